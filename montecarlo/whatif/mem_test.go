package whatif

import (
	"context"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// slaModels returns the models sim sla simulates by default: the default
// model with first-touch SLAs of 5, 60 and 240 minutes, and each lever
// changed alone around it (headcounts 2, 4, 6, 8 and 10, the three
// coverages, thresholds 50 and 70).
func slaModels(tb testing.TB) []*model.Model {
	tb.Helper()
	base := model.Default()
	head := base.Handoff.SDR.Headcount
	hours := CoverageName(base.Handoff.SDR.Hours)
	mk := func(m *model.Model, h int, hrs *model.WorkHours) *model.Model {
		m, err := WithSDR(m, h, hrs)
		if err == nil {
			m, err = WithWaitSLAs(m, []float64{5, 60, 240}, false)
		}
		if err != nil {
			tb.Fatal(err)
		}
		return m
	}
	ms := []*model.Model{mk(base, head, nil)}
	for _, h := range []int{2, 4, 6, 8, 10} {
		if h != head {
			ms = append(ms, mk(base, h, nil))
		}
	}
	for _, n := range []string{"business", "extended", "24x7"} {
		c, err := CoverageNamed(n)
		if err != nil {
			tb.Fatal(err)
		}
		if n != hours {
			ms = append(ms, mk(base, head, &c.Hours))
		}
	}
	for _, t := range []float64{50, 70} {
		m, _, err := DefaultScoreModel.Apply(base, t)
		if err != nil {
			tb.Fatal(err)
		}
		ms = append(ms, mk(m, head, nil))
	}
	return ms
}

// compareModels returns the models sim compare simulates by default: the
// default model under each embedded scenario.
func compareModels(tb testing.TB) []*model.Model {
	tb.Helper()
	var ms []*model.Model
	for _, n := range model.Scenarios() {
		sc, err := model.EmbeddedScenario(n)
		if err != nil {
			tb.Fatal(err)
		}
		m, err := sc.Apply(model.Default())
		if err != nil {
			tb.Fatal(err)
		}
		ms = append(ms, m)
	}
	return ms
}

// peakHeap samples the bytes of live and not yet swept heap objects
// every millisecond while f runs and returns their maximum: the heap's
// peak, which the process's peak resident memory follows.
func peakHeap(f func()) uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	sample := func() {
		metrics.Read(s)
		peak = max(peak, s[0].Value.Uint64())
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				sample()
			}
		}
	}()
	f()
	close(stop)
	wg.Wait()
	sample()
	return peak
}

// benchSweepMem runs RunSweep on ms with n quarters a scenario and
// reports the heap's peak over the ops (see peakHeap) in MB.
func benchSweepMem(b *testing.B, ms []*model.Model, n int) {
	var peak uint64
	for b.Loop() {
		peak = max(peak, peakHeap(func() {
			if _, err := montecarlo.RunSweep(context.Background(), ms, montecarlo.Config{Quarters: n, Seed: 1}); err != nil {
				b.Fatal(err)
			}
		}))
	}
	b.ReportMetric(float64(peak)/1e6, "peak-heap-MB")
}

// BenchmarkSweepMemSLA is sim sla --quarters 100: the default policies'
// sweep, and the heap it needs at its peak (issue #17: the process then
// took over 1 GB).
func BenchmarkSweepMemSLA(b *testing.B) { benchSweepMem(b, slaModels(b), 100) }

// BenchmarkSweepMemCompare is sim compare: the embedded scenarios' sweep
// at its 2,000 quarters, and its peak heap.
func BenchmarkSweepMemCompare(b *testing.B) { benchSweepMem(b, compareModels(b), 2000) }
