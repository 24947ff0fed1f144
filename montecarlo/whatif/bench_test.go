package whatif

import (
	"context"
	"testing"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// BenchmarkSweep20 simulates a sweep of 20 scenarios (headcounts 1-20 of
// the default model) of 50 quarters each; one op is the whole sweep.
// Time per quarter = ns/op / 1000.
func BenchmarkSweep20(b *testing.B) {
	base := model.Default()
	var ms []*model.Model
	for h := 1; h <= 20; h++ {
		m, err := WithSDR(base, h, nil)
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, m)
	}
	for b.Loop() {
		for _, m := range ms {
			if _, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: 50, Seed: 1}); err != nil {
				b.Fatal(err)
			}
		}
	}
}
