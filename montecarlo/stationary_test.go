package montecarlo

import (
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestStationaryMatchesWarmup checks the stationary opening state against
// its definition: a warm-up as long as the past it propagates
// (stationaryPast times the warm-up the engine derives),
// simulated lead by lead from an empty funnel, must open the quarter on
// the same pipeline and produce the same quarter. Both runs are
// independent (different seeds); means must agree within 4 standard errors
// of their difference, and so must the spread of the opening pipeline
// (the SE of a standard deviation is about sd/√(2n)). Without an SDR queue
// the state is exact up to the hourly grid; with one (the default model)
// the far past uses the queue's law linearised in its load, and this test
// is what bounds that approximation.
func TestStationaryMatchesWarmup(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    func() *model.Model
		n    int
	}{
		{"plain", plain5Stage, size(4000, 1000)},
		{"default", model.Default, size(800, 300)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stat := tc.m()
			warm := tc.m()
			if err := warm.Validate(); err != nil {
				t.Fatal(err)
			}
			warm.WarmupDays = stationaryPast * warm.WarmupDaysNeeded()
			if c := compile(stat); !c.stationaryOK() {
				t.Fatal("stationary start not used")
			}
			a := mustRun(t, stat, Config{Quarters: tc.n, Seed: 101, engine: engineWalk})
			b := mustRun(t, warm, Config{Quarters: tc.n, Seed: 202})
			for _, f := range []struct {
				what string
				a, b []float64
				sd   bool
			}{
				{"revenue", a.Revenue, b.Revenue, false},
				{"deals won", a.Won, b.Won, false},
				{"open pipeline", a.OpenPipeline, b.OpenPipeline, true},
				{"open deals", a.OpenDeals, b.OpenDeals, true},
				{"MQLs", a.MQLs, b.MQLs, false},
				{"contacted", a.Contacted, b.Contacted, false},
			} {
				sameLaw(t, f.what, f.a, f.b, f.sd)
			}
		})
	}
}
