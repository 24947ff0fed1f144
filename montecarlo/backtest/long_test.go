//go:build long

package backtest_test

import (
	"testing"
	"time"

	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/montecarlo/backtest"
)

// TestBacktestNarrowFunnelLong pools the P10–P90 coverage of several
// generated histories of narrowFunnel (two years each) and checks it
// against the 99% binomial band of 80%.
func TestBacktestNarrowFunnelLong(t *testing.T) {
	m := narrowFunnel()
	covered, n := 0, 0
	for seed := uint64(1); seed <= 4; seed++ {
		e, err := synth.Generate(t.Context(), m, synth.Config{Quarters: 8, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		origins := backtest.MonthEnds(e, 6, 91*24*time.Hour, nil)
		res, err := backtest.Run(t.Context(), e, backtest.Config{Origins: origins, Base: m, Quarters: 500, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if res.Summary.Failed > 0 {
			t.Errorf("seed %d: %d origins failed", seed, res.Summary.Failed)
		}
		covered += res.Summary.Covered80
		n += res.Summary.N
		t.Logf("seed %d: covered %d of %d, mean CRPS %.0f, pipeline MAE %.0f", seed, res.Summary.Covered80, res.Summary.N, float64(res.Summary.MeanCRPS), float64(res.Summary.Baselines[0].MAE))
	}
	lo, hi := backtest.BinomialBand(n, 0.8, 0.99)
	if covered < lo || covered > hi {
		t.Errorf("P10–P90 covered %d of %d origins, outside the 99%% band %d–%d of 80%%", covered, n, lo, hi)
	}
}

// TestBacktestCoverageLong is TestBacktestCoverage over longer histories
// and more seeds.
func TestBacktestCoverageLong(t *testing.T) {
	checkCoverage(t, coverageCases(8), []uint64{1, 2, 3, 4, 5}, 400)
}
