package whatif

import (
	"context"
	"flag"
	"testing"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

var sweepQuarters = flag.Int("sweep.quarters", 500, "quarters per scenario in BenchmarkSweep20")

// sweep20 returns the default model with SDR headcounts 1 to 20.
func sweep20(b *testing.B) []*model.Model {
	base := model.Default()
	var ms []*model.Model
	for h := 1; h <= 20; h++ {
		m, err := WithSDR(base, h, nil)
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, m)
	}
	return ms
}

// BenchmarkSweep20 simulates a sweep of 20 scenarios (headcounts 1-20 of
// the default model) of -sweep.quarters quarters each with
// montecarlo.RunSweep, preparation included; one op is the whole sweep.
// The target: -sweep.quarters 10000 in under a minute.
func BenchmarkSweep20(b *testing.B) {
	ms := sweep20(b)
	n := 0
	for b.Loop() {
		if _, err := montecarlo.RunSweep(context.Background(), ms, montecarlo.Config{Quarters: *sweepQuarters, Seed: 1}); err != nil {
			b.Fatal(err)
		}
		n++
	}
	b.ReportMetric(float64(n*len(ms)**sweepQuarters)/b.Elapsed().Seconds(), "quarters/s")
}

// BenchmarkSweep20Separate is BenchmarkSweep20 with each scenario run on
// its own by montecarlo.Run: what the sweep saves.
func BenchmarkSweep20Separate(b *testing.B) {
	ms := sweep20(b)
	n := 0
	for b.Loop() {
		for _, m := range ms {
			if _, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: *sweepQuarters, Seed: 1}); err != nil {
				b.Fatal(err)
			}
		}
		n++
	}
	b.ReportMetric(float64(n*len(ms)**sweepQuarters)/b.Elapsed().Seconds(), "quarters/s")
}
