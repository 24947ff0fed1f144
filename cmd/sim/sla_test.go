package main

import (
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
