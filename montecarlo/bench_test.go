package montecarlo

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// benchQuarters is the number of quarters simulated per benchmark op.
const benchQuarters = 2000

func benchRun(b *testing.B, m *model.Model) { benchRunCfg(b, m, Config{}) }

func benchRunCfg(b *testing.B, m *model.Model, cfg Config) {
	b.Helper()
	if err := m.Validate(); err != nil {
		b.Fatal(err)
	}
	var leads int64
	ops := 0
	for b.Loop() {
		if cfg.Quarters == 0 {
			cfg.Quarters = benchQuarters
		}
		cfg.Seed = uint64(ops + 1)
		r, err := Run(context.Background(), m, cfg)
		if err != nil {
			b.Fatal(err)
		}
		leads += r.Leads
		ops++
	}
	s := b.Elapsed().Seconds()
	b.ReportMetric(float64(leads)/s, "leads/s")
	b.ReportMetric(float64(ops*cfg.Quarters)/s, "quarters/s")
	b.ReportMetric(float64(leads)/float64(ops*cfg.Quarters), "leads/quarter")
}

// BenchmarkRunDefault runs the default model (warm-up, SDR queue, business
// hours), 200 quarters per op.
func BenchmarkRunDefault(b *testing.B) { benchRun(b, model.Default()) }

// BenchmarkRunNoWarmup runs the default model from an empty funnel: the
// quarter alone, without the warm-up that builds the opening pipeline.
func BenchmarkRunNoWarmup(b *testing.B) {
	m := model.Default()
	m.Start = &model.Start{}
	benchRun(b, m)
}

// plain5Stage is a five-stage funnel without an SDR queue, with about 5,000
// leads entering a quarter at the MQL stage.
func plain5Stage() *model.Model {
	ln := func(median, sigma float64) model.Dist {
		return model.Dist{Form: model.LogNormal, Median: median, Sigma: sigma}
	}
	return &model.Model{
		Name: "plain", Currency: "USD", QuarterWeeks: 13, Quota: 1e6,
		Stages: []model.Stage{
			{Name: "mql"}, {Name: "sql", Team: model.SDR}, {Name: "sal", Team: model.Sales},
			{Name: "opp", Team: model.Sales, Opportunity: true},
			{Name: "won", Team: model.Sales, Outcome: model.Won}, {Name: "lost", Team: model.Sales, Outcome: model.Lost},
		},
		Transitions: []model.Transition{
			{From: "mql", To: "sql", P: 0.5, Delay: ln(2, 0.8)},
			{From: "sql", To: "sal", P: 0.7, Delay: ln(3, 0.8)},
			{From: "sal", To: "opp", P: 0.6, Delay: ln(7, 0.8)},
			{From: "opp", To: "won", P: 0.27, Delay: ln(55, 0.6)},
			{From: "opp", To: "lost", P: 0.73, Delay: ln(40, 0.8)},
		},
		Sources: []model.Source{{Name: "web", Entry: "mql", RatePerWeek: 5000.0 / 13,
			Profile: model.Profile{Shape: "business"}, DealSize: ln(22000, 0.7)}},
	}
}

// BenchmarkRunPlain5Stage runs plain5Stage, drawn from its marks (its
// leads do not interact), preparation included.
func BenchmarkRunPlain5Stage(b *testing.B) { benchRun(b, plain5Stage()) }

// BenchmarkForecastPlain5Stage is the forecast of plain5Stage: 10,000
// quarters, preparation included (the target: under 2 s on 2 cores).
func BenchmarkForecastPlain5Stage(b *testing.B) {
	benchRunCfg(b, plain5Stage(), Config{Quarters: 10000})
}

// BenchmarkRunPlain5StageWalked runs plain5Stage lead by lead, from the
// stationary opening state: the engine for funnels with an SDR queue.
func BenchmarkRunPlain5StageWalked(b *testing.B) {
	benchRunCfg(b, plain5Stage(), Config{engine: engineWalk})
}

// TestHotPathAllocs checks that, once a worker's buffers have grown, a
// simulated quarter allocates nothing: the allocations of a 120-quarter run
// exceed those of a 20-quarter run by far less than one per extra quarter.
// (Run itself allocates its results, a fixed number of slices.)
func TestHotPathAllocs(t *testing.T) {
	t.Run("walked", func(t *testing.T) { testAllocs(t, model.Default()) })
	t.Run("marks", func(t *testing.T) { testAllocs(t, plain5Stage()) })
}

func testAllocs(t *testing.T, m *model.Model) {
	small, big := size(20, 10), size(120, 60)
	allocs := func(n int) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		if _, err := Run(context.Background(), m, Config{Quarters: n, Seed: 3, Workers: 1}); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		return after.Mallocs - before.Mallocs
	}
	a, b := allocs(small), allocs(big)
	per := (float64(b) - float64(a)) / float64(big-small)
	t.Logf("allocations: %d quarters %d, %d quarters %d: %.3f per extra quarter", small, a, big, b, per)
	if !(per < 1) {
		t.Errorf("%.3f allocations per simulated quarter, want < 1 (hot path allocates)", per)
	}
}

// BenchmarkQuarterDefault times one quarter of the default model on one
// goroutine, preparation excluded: its upstream part (the opening state's
// fixed cells, the arrivals, the walks up to the handoff) and its
// downstream part (the cells that met the queue, the queue and the walks
// after it), which a sweep over the SDR team pays once per scenario, here
// for 1, 2, 6 (the default) and 20 SDRs: "first" as the first model of a
// sweep's group, which records the walks after the handoff, "replay" as
// a model that replays them all. (The replay is its own model's
// recording, so it records nothing and every calendar conversion hits:
// a lower bound for the other models of a real sweep.)
func BenchmarkQuarterDefault(b *testing.B) {
	cfg := Config{Quarters: 1}
	if err := cfg.fill(); err != nil {
		b.Fatal(err)
	}
	const n = 64 // distinct quarters, cycled
	for _, sdrs := range []int{1, 2, 6, 20} {
		m := model.Default()
		m.Handoff.SDR.Headcount = sdrs
		c := prepare(context.Background(), m, cfg, nil)
		up := make([]*sim, n)
		for q := range up {
			up[q] = newSim(c, newResults(m, cfg), 1, nil)
			up[q].upstreamRun(q, 1)
		}
		if sdrs == 6 {
			b.Run("upstream", func(b *testing.B) {
				q := 0
				for b.Loop() {
					up[q%n].upstreamRun(q%n, 1)
					q++
				}
			})
		}
		for _, first := range []bool{true, false} {
			name := fmt.Sprintf("downstream/sdrs=%d/replay", sdrs)
			if first {
				name = fmt.Sprintf("downstream/sdrs=%d/first", sdrs)
			}
			b.Run(name, func(b *testing.B) {
				s := newSim(c, newResults(m, Config{Quarters: n, Horizon: 1}), 1, nil)
				if !first { // record every quarter's memos before timing their replays
					for q := range n {
						up[q].resetMemos()
						s.runAfter(up[q], q, 1)
					}
				}
				q := 0
				for b.Loop() {
					u := up[q%n]
					if first {
						u.resetMemos()
					}
					s.runAfter(u, q%n, 1)
					q++
				}
			})
		}
	}
}

// BenchmarkPrepareDefault times the preparation of the default model (its
// stationary opening state: propagation, pilot queues, tables), which
// every model of a run or sweep pays once.
func BenchmarkPrepareDefault(b *testing.B) {
	cfg := Config{Quarters: 1}
	if err := cfg.fill(); err != nil {
		b.Fatal(err)
	}
	m := model.Default()
	for b.Loop() {
		prepare(context.Background(), m, cfg, nil)
	}
}

// BenchmarkSweepFloor times the least any lead-by-lead sweep over SDR
// headcounts must do: for each of 20 headcounts (1 to 20) of the default
// model, one quarter's upstream handoff entries are given to the SDR free
// first (the servers' heap, and the wall-clock conversion of a wait),
// their arrivals' working times, first touches at a free SDR and handling
// times already known (as serve's memos hold them for a sweep), with
// nothing else: no contact, SLA, walk, re-entry or opening state. One op
// is the 20 scenarios of one quarter; a sweep of 20 x 10,000 quarters
// costs at least 10,000 ops of CPU, plus its upstream parts and its
// preparations.
func BenchmarkSweepFloor(b *testing.B) {
	cfg := Config{Quarters: 1}
	if err := cfg.fill(); err != nil {
		b.Fatal(err)
	}
	m := model.Default()
	c := prepare(context.Background(), m, cfg, nil)
	// touch0: the first touch if an SDR is free, as serve's memo holds it.
	type entry struct{ a, wa, touch0, h float64 }
	const n = 64 // distinct quarters, cycled
	qs := make([][]entry, n)
	mqls := 0
	for q := range qs {
		s := newSim(c, newResults(m, cfg), 1, nil)
		s.upstreamRun(q, 1)
		for _, p := range s.up {
			s.gen.s = p.l.rng
			wa := c.cal.work(p.t)
			qs[q] = append(qs[q], entry{p.t, wa, later(p.t, c.cal.wall(wa)), c.handle.sample(&s.gen, s.r)})
		}
		mqls += len(qs[q])
	}
	var cs []*compiled
	for h := 1; h <= 20; h++ {
		m := model.Default()
		m.Handoff.SDR.Headcount = h
		cs = append(cs, compile(m))
	}
	resp := make([]float64, 0, 2*mqls/n)
	q := 0
	for b.Loop() {
		for _, c := range cs {
			free := newServers(c.servers)
			free.reset(math.Inf(-1))
			resp = resp[:0]
			for _, x := range qs[q%n] {
				start, _ := free.take(x.wa, x.h)
				touch := x.touch0
				if start != x.wa {
					touch = later(x.a, c.cal.wall(start))
				}
				resp = append(resp, touch-x.a)
			}
		}
		q++
	}
	b.ReportMetric(float64(mqls)/n, "mqls/quarter")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(q)/20/(float64(mqls)/n), "ns/mql")
}
