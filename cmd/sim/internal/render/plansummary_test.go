package render

import (
	"math"
	"testing"
)

// TestWorksheetVerdict: the plan claims a difference from the worksheet
// only when the simulation's 95% interval excludes the worksheet's MQLs
// (sim plan --quarters 150 once said "needs 13.3% more" with 6,148 inside
// 5,356 to 8,578).
func TestWorksheetVerdict(t *testing.T) {
	for _, tt := range []struct {
		name                  string
		sheet, sim, lo, hi, p float64
		want                  string
	}{
		{"inside", 6148, 6967, 5356, 8578, 0.8,
			"~ the simulation's 95% interval (5,356 to 8,578) contains it: no difference shown"},
		{"at the lower end", 6000, 6500, 6000, 7000, 0.8,
			"~ the simulation's 95% interval (6,000 to 7,000) contains it: no difference shown"},
		{"more", 6148, 6967, 6757, 7287, 0.8,
			"the simulation needs 13.3% more (95%: 9.9% to 18.5%; the worksheet plans for the mean at today's rates, the simulation for an 80.0% chance with the queue slowing as volume grows)"},
		{"fewer", 8000, 7000, 6800, 7200, 0.5, "the simulation needs 12.5% fewer (95%: 10.0% to 15.0%)"},
		{"open above", 6000, 7000, 6500, math.Inf(1), 0.9,
			"the simulation needs 16.7% more (95%: at least 8.3%; the worksheet plans for the mean at today's rates, the simulation for a 90.0% chance with the queue slowing as volume grows)"},
		{"no MQLs needed", 0, 150, 100, 200, 0.8, "the simulation needs 150 (95%: 100 to 200)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := worksheetVerdict(tt.sheet, tt.sim, tt.lo, tt.hi, tt.p); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestAPercent(t *testing.T) {
	for _, tt := range []struct {
		p    float64
		want string
	}{
		{0.8, "an 80.0%"}, {0.08, "an 8.0%"}, {0.85, "an 85.0%"}, {0.11, "an 11.0%"}, {0.185, "an 18.5%"},
		{0.118, "an 11.8%"}, {0.9, "a 90.0%"}, {0.01, "a 1.0%"}, {0.5, "a 50.0%"}, {1, "a 100.0%"}, {0.12, "a 12.0%"},
	} {
		if got := APercent(tt.p); got != tt.want {
			t.Errorf("APercent(%v) = %q, want %q", tt.p, got, tt.want)
		}
	}
}
