package montecarlo

import (
	"context"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestQuarterAllocs checks that a simulated quarter allocates nothing once
// a worker's buffers have grown: the walk with a queue and the marks, a
// horizon of two, the per-source and waterfall counts included.
func TestQuarterAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("a few seconds")
	}
	for _, tc := range []struct {
		name string
		m    *model.Model
	}{
		{"default", model.Default()},
		{"marks", mixedQueueFree()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := Config{Quarters: 60, Horizon: 2, Seed: 1}
			c := prepare(context.Background(), tc.m, cfg, nil)
			s := newSim(c, newResults(tc.m, cfg), cfg.Horizon, nil)
			for q := RespSampleRuns; q < RespSampleRuns+10; q++ { // grow the buffers
				s.runQuarter(q, cfg.Seed)
			}
			q := RespSampleRuns + 10
			allocs := testing.AllocsPerRun(5, func() {
				s.runQuarter(q, cfg.Seed)
				q++
			})
			if allocs > 0 {
				t.Errorf("%g allocations a quarter, want 0", allocs)
			}
		})
	}
}
