package whatif

import (
	"reflect"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/model"
)

func TestSDRs(t *testing.T) {
	for n, want := range map[int]string{1: "1 SDR", 2: "2 SDRs", 10: "10 SDRs"} {
		if got := SDRs(n); got != want {
			t.Errorf("SDRs(%d) = %q, want %q", n, got, want)
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
		{"business", Coverages[0].Hours, "the team works business hours (9-17 on weekdays, 40 of 168 hours a week): MQLs arriving off hours wait for it to start, which M/M/c (always open) does not know"},
		{"extended", Coverages[1].Hours, "the team works extended hours (8-20 on weekdays, 60 of 168 hours a week): MQLs arriving off hours wait for it to start, which M/M/c (always open) does not know"},
		{"other", model.WorkHours{Days: []model.Weekday{1, 6}, Start: 7.5, End: 0}, "the team works hours 7.5-24 on mon,sat (33 of 168 hours a week): MQLs arriving off hours wait for it to start, which M/M/c (always open) does not know"},
		{"24x7", Coverages[2].Hours, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, err := WithSDR(model.Default(), 0, &tt.hours)
			if err != nil {
				t.Fatal(err)
			}
			got := ErlangCaveats(m)[0]
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

// TestDesignPolicies checks the policies of a sweep: the base first, then
// one lever at a time, or the grid without the base's own combination;
// names, levers, the threshold's effect and the measurement SLAs.
func TestDesignPolicies(t *testing.T) {
	base := model.Default() // 6 SDRs, extended hours
	ext, _ := CoverageNamed("extended")
	all := []Coverage{Coverages[0], ext, Coverages[2]}
	type row struct {
		Name, Lever string
		Head        int
		Hours       string
		Thr         float64
	}
	rows := func(ps []Policy) []row {
		var out []row
		for _, p := range ps {
			out = append(out, row{p.Name, p.Lever, p.Headcount, p.Hours, p.Threshold})
		}
		return out
	}
	ps, err := DesignPolicies(base, PolicyDesign{Headcounts: []int{4, 6}, Coverages: all, Thresholds: []float64{60, 70}, TouchMinutes: []float64{60, 5, 60}})
	if err != nil {
		t.Fatal(err)
	}
	want := []row{
		{"base", "base", 6, "extended", 60},
		{"4 SDRs", "headcount", 4, "extended", 60},
		{"business", "hours", 6, "business", 60},
		{"24x7", "hours", 6, "24x7", 60},
		{"threshold 70", "threshold", 6, "extended", 70},
	}
	if got := rows(ps); !reflect.DeepEqual(got, want) {
		t.Errorf("one lever at a time:\ngot  %v\nwant %v", got, want)
	}
	if e := ps[4].Effect; e.Threshold != 70 || !(e.Volume < 1) || !(e.Quality > 1) {
		t.Errorf("threshold 70: effect %+v", e)
	}
	if ps[0].Effect != (ThresholdEffect{}) {
		t.Errorf("base: effect %+v, want none", ps[0].Effect)
	}
	// The targets, sorted and once each, after the no-wait one.
	var names []string
	for _, s := range ps[1].Model.SLAs[len(base.SLAs):] {
		names = append(names, s.Name)
	}
	if want := []string{WaitSLAName(0, false), WaitSLAName(5, false), WaitSLAName(60, false)}; !reflect.DeepEqual(names, want) {
		t.Errorf("measurement SLAs %v, want %v", names, want)
	}
	if h := ps[1].Model.Handoff.SDR.Headcount; h != 4 || base.Handoff.SDR.Headcount != 6 {
		t.Errorf("4 SDRs: model has %d SDRs, base %d", h, base.Handoff.SDR.Headcount)
	}

	grid, err := DesignPolicies(base, PolicyDesign{Headcounts: []int{4, 6}, Coverages: []Coverage{ext, Coverages[2]}, Grid: true})
	if err != nil {
		t.Fatal(err)
	}
	want = []row{
		{"base", "base", 6, "extended", 60},
		{"4 SDRs", "grid", 4, "extended", 60},
		{"24x7, 4 SDRs", "grid", 4, "24x7", 60},
		{"24x7", "grid", 6, "24x7", 60},
	}
	if got := rows(grid); !reflect.DeepEqual(got, want) {
		t.Errorf("grid:\ngot  %v\nwant %v", got, want)
	}

	for _, tt := range []struct {
		name string
		d    PolicyDesign
		want string
	}{
		{"headcount", PolicyDesign{Headcounts: []int{0}}, "headcount 0: want at least 1"},
		{"target", PolicyDesign{TouchMinutes: []float64{-5}}, "first-touch target -5 minutes: want a positive number"},
	} {
		if _, err := DesignPolicies(base, tt.d); err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %s", tt.name, err, tt.want)
		}
	}
	noSDR := model.Default()
	noSDR.Handoff = nil
	if _, err := DesignPolicies(noSDR, PolicyDesign{}); err != ErrNoHandoff {
		t.Errorf("no handoff: error %v", err)
	}
}

func TestComplianceColumns(t *testing.T) {
	m := model.Default()
	cols := ComplianceColumns(m, []float64{60, 5, 5})
	if len(cols) != len(m.SLAs)+2 {
		t.Fatalf("%d columns, want the model's %d SLAs and 2 targets", len(cols), len(m.SLAs))
	}
	for i, s := range m.SLAs {
		if cols[i] != (ComplianceColumn{SLA: s.Name}) {
			t.Errorf("column %d = %+v, want SLA %s", i, cols[i], s.Name)
		}
	}
	if got := cols[len(m.SLAs):]; got[0].TouchMinutes != 5 || got[1].TouchMinutes != 60 || got[0].SLA != "" {
		t.Errorf("target columns %+v, want 5 and 60 minutes", got)
	}
}
