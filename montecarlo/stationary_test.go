package montecarlo

import (
	"context"
	"fmt"
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

// TestClosingMatchesWalk: the open opportunities of the stationary state,
// drawn by the edge and period of their close (closing summaries), have
// the law of the same leads walked one by one: open pipeline and deals at
// each quarter's start, and what closes in each quarter, over a horizon of
// two quarters, with independent seeds.
func TestClosingMatchesWalk(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    func() *model.Model
		n    int
	}{
		{"plain", plain5Stage, size(6000, 1500)},
		{"default", model.Default, size(1200, 300)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.m()
			cfg := Config{Quarters: tc.n, Seed: 303, Horizon: 2, engine: engineWalk}
			a := mustRun(t, m, cfg)
			if c := prepare(context.Background(), m, cfg, nil); len(c.stat.closing) == 0 {
				t.Fatal("no closing summaries: the comparison would be vacuous")
			}
			noClosing = true
			defer func() { noClosing = false }()
			cfg.Seed = 404
			b := mustRun(t, m, cfg)
			won, lost := m.StageIndex("won"), m.StageIndex("lost")
			for k := range cfg.Horizon {
				for _, f := range []struct {
					what string
					a, b []float64
					sd   bool
				}{
					{"open pipeline", a.Period(a.OpenPipeline, k), b.Period(b.OpenPipeline, k), true},
					{"open deals", a.Period(a.OpenDeals, k), b.Period(b.OpenDeals, k), true},
					{"revenue", a.Period(a.Revenue, k), b.Period(b.Revenue, k), true},
					{"deals won", a.Period(a.Won, k), b.Period(b.Won, k), false},
					{"won entries", stageSeries(a, won, k), stageSeries(b, won, k), false},
					{"lost entries", stageSeries(a, lost, k), stageSeries(b, lost, k), false},
				} {
					sameLaw(t, fmt.Sprintf("quarter %d %s", k, f.what), f.a, f.b, f.sd)
				}
			}
		})
	}
}

// stageSeries returns the entries into stage s in period k of every run.
func stageSeries(r *Results, s, k int) []float64 {
	n := len(r.Stages)
	out := make([]float64, r.Quarters)
	for q := range out {
		out[q] = r.Entries[(q*r.Horizon+k)*n+s]
	}
	return out
}
