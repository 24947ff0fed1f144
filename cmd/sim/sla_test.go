package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo/whatif"
)

func TestSDRs(t *testing.T) {
	for n, want := range map[int]string{1: "1 SDR", 2: "2 SDRs", 10: "10 SDRs"} {
		if got := sdrs(n); got != want {
			t.Errorf("sdrs(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestErlangCaveatHours: the Erlang C note names the hours the model's
// team works (it once said "business hours" for extended ones).
func TestErlangCaveatHours(t *testing.T) {
	for _, tt := range []struct {
		name  string
		hours model.WorkHours
		want  string // "" for no hours caveat
	}{
		{"business", whatif.Coverages[0].Hours, "the team works business hours (9-17 on weekdays, 40 of 168 hours a week): MQLs arriving off hours wait for it to start, which M/M/c (always open) does not know"},
		{"extended", whatif.Coverages[1].Hours, "the team works extended hours (8-20 on weekdays, 60 of 168 hours a week): MQLs arriving off hours wait for it to start, which M/M/c (always open) does not know"},
		{"other", model.WorkHours{Days: []model.Weekday{1, 6}, Start: 7.5, End: 0}, "the team works hours 7.5-24 on mon,sat (33 of 168 hours a week): MQLs arriving off hours wait for it to start, which M/M/c (always open) does not know"},
		{"24x7", whatif.Coverages[2].Hours, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := whatif.WithSDR(model.Default(), 0, &tt.hours)
			if err != nil {
				t.Fatal(err)
			}
			got := erlangCaveats(m)[0]
			if tt.want == "" {
				if strings.HasPrefix(got, "the team works") {
					t.Errorf("around the clock, the first caveat is %q", got)
				}
				return
			}
			if got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// TestSLAMoneyCurveEveryPolicy: the money curve of sim sla draws every
// policy, the thresholds included (it once left them out while saying "one
// point per policy"), and the 24x7 policy's 0s median at a "0s" tick, not
// at the log axis' "1s".
func TestSLAMoneyCurveEveryPolicy(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runSim(t, context.Background(), "sla", "--quarters", "2", "--seed", "3", "--out", dir, "-q"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Policies []struct {
			Name string `json:"name"`
		} `json:"policies"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "sla.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "moneycurve.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Policies) != 9 {
		t.Errorf("%d policies, want 9 (base, 4 headcounts, 2 hours, 2 thresholds)", len(doc.Policies))
	}
	for _, p := range doc.Policies {
		if !strings.Contains(string(svg), ">"+p.Name+"<") {
			t.Errorf("moneycurve.svg does not show policy %q", p.Name)
		}
	}
	if !strings.Contains(string(svg), ">0s<") || strings.Contains(string(svg), ">1s<") {
		t.Errorf("moneycurve.svg: want a 0s tick and no 1s tick")
	}
}
