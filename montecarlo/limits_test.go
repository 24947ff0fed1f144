package montecarlo

import (
	"context"
	"errors"
	"math"
	"runtime/debug"
	"testing"
	"time"

	"github.com/funnelsim/funnel/model"
)

// TestCheckSize: absurd configurations are refused before anything is
// allocated, with the limit and how to raise it.
func TestCheckSize(t *testing.T) {
	def := model.Default()
	noQueue := model.Default()
	noQueue.Handoff, noQueue.SLAs = nil, nil
	for _, tt := range []struct {
		name string
		cfg  Config
		ms   []*model.Model
		want string // "" for nil
	}{
		{"default", Config{}, []*model.Model{def}, ""},
		{"horizon-40", Config{Quarters: 10000, Horizon: MaxHorizon}, []*model.Model{def}, ""},
		{"negative-quarters", Config{Quarters: -1}, []*model.Model{def}, "montecarlo: -1 quarters; want a positive number, or 0 for 10000"},
		{"negative-horizon", Config{Horizon: -1}, []*model.Model{def}, "montecarlo: a horizon of -1 quarters; want 1 to 40 (MaxHorizon), or 0 for 1"},
		{"horizon-1e6", Config{Horizon: 1e6}, []*model.Model{def}, "montecarlo: a horizon of 1000000 quarters; want 1 to 40 (MaxHorizon), or 0 for 1"},
		{"negative-workers", Config{Workers: -2}, []*model.Model{def}, "montecarlo: -2 workers; want a positive number, or 0 for one a CPU"},
		{"quarters-maxint", Config{Quarters: math.MaxInt}, []*model.Model{def},
			"montecarlo: simulating 9223372036854775807 runs of horizon 1 would take about 1.13e+24 leads, over the limit of 1e+11 (Config.MaxLeads): simulate fewer quarters or a shorter horizon, or raise Config.MaxLeads"},
		{"quarters-1e9", Config{Quarters: 1e9}, []*model.Model{def},
			"montecarlo: simulating 1000000000 runs of horizon 1 would take about 1.23e+14 leads, over the limit of 1e+11 (Config.MaxLeads): simulate fewer quarters or a shorter horizon, or raise Config.MaxLeads"},
		{"quarters-1e9-no-lead-limit", Config{Quarters: 1e9, MaxLeads: -1}, []*model.Model{def},
			"montecarlo: simulating 1000000000 runs of horizon 1 would take about 4.4e+11 bytes of results, over the limit of 2.15e+09 (Config.MaxBytes): simulate fewer quarters or a shorter horizon, or raise Config.MaxBytes"},
		{"no-limits", Config{Quarters: 1e9, MaxLeads: -1, MaxBytes: -1}, []*model.Model{def}, ""},
		{"own-limit", Config{Quarters: 10, MaxLeads: 1e6}, []*model.Model{noQueue},
			"montecarlo: simulating 10 runs of horizon 1 would take about 1.23e+06 leads, over the limit of 1e+06 (Config.MaxLeads): simulate fewer quarters or a shorter horizon, or raise Config.MaxLeads"},
		{"sweep-sums", Config{Quarters: 5e5}, []*model.Model{def, def},
			"montecarlo: simulating 500000 runs of horizon 1 would take about 1.23e+11 leads, over the limit of 1e+11 (Config.MaxLeads): simulate fewer quarters or a shorter horizon, or raise Config.MaxLeads"},
		{"sweep-one-fits", Config{Quarters: 5e5}, []*model.Model{def}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckSize(tt.cfg, tt.ms...)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("CheckSize() = %q, want nil", err)
			case tt.want == "":
				return
			case err == nil || err.Error() != tt.want:
				t.Fatalf("CheckSize():\n got %v\nwant %s", err, tt.want)
			}
			var se *SizeError
			if errors.As(err, &se) != (tt.cfg.Quarters > 0 && tt.cfg.Horizon >= 0) {
				t.Errorf("CheckSize() = %T, want a *SizeError exactly for sizes", err)
			}
		})
	}
}

// TestRunRefusesSize: Run and RunSweep refuse what CheckSize refuses, at
// once (Quarters: MaxInt used to panic in makeslice; a horizon of 1e6
// allocated gigabytes preparing the closing summaries).
func TestRunRefusesSize(t *testing.T) {
	m := model.Default()
	for _, cfg := range []Config{{Quarters: math.MaxInt}, {Quarters: 1e9}, {Horizon: 1e6}, {Quarters: 2, Horizon: math.MaxInt}} {
		start := time.Now()
		want := CheckSize(cfg, m)
		if _, err := Run(context.Background(), m, cfg); err == nil || err.Error() != want.Error() {
			t.Errorf("Run(%+v) error = %v, want %v", cfg, err, want)
		}
		if _, err := RunSweep(context.Background(), []*model.Model{m, m}, cfg); err == nil {
			t.Errorf("RunSweep(%+v) succeeded, want an error", cfg)
		}
		if d := time.Since(start); d > time.Second {
			t.Errorf("refusing %+v took %v, want under a second", cfg, d)
		}
	}
}

// extremeModels returns valid models at the model package's limits, each
// of which crashed the engine: a delay whose 95th percentile overflows an
// int (a negative warm-up: makeslice: len out of range in hourKernels),
// times past 2^53 hours reaching an active stage (index out of range in
// activity.next, from walkAged and startState), deal sizes at the
// largest amounts and profiles at the extremes of their sums.
func extremeModels() map[string]*model.Model {
	ms := map[string]*model.Model{}
	add := func(name string, edit func(m *model.Model)) {
		m := model.Default()
		edit(m)
		ms[name] = m
	}
	weibull := model.Dist{Form: model.Weibull, Shape: model.MinShape, Scale: 40}
	lognormal := model.Dist{Form: model.LogNormal, Median: model.MaxDays, Sigma: model.MaxSigma}
	add("weibull-shape-min", func(m *model.Model) { m.Transitions[0].Delay = weibull })
	add("weibull-into-active", func(m *model.Model) { m.Transitions[1].Delay = weibull })
	add("lognormal-max-into-active", func(m *model.Model) { m.Transitions[1].Delay = lognormal })
	add("lognormal-max-start", func(m *model.Model) {
		m.Transitions[1].Delay = lognormal
		m.Start = &model.Start{Leads: []model.OpenLead{
			{Stage: "engaged", Source: "web", Count: 200, AgeDays: model.MaxDays},
			{Stage: "mql", Source: "web", Count: 20, AgeDays: model.MaxDays, Waiting: true},
		}}
	})
	add("weibull-start", func(m *model.Model) {
		m.Transitions[1].Delay = weibull
		m.Start = &model.Start{Leads: []model.OpenLead{{Stage: "engaged", Source: "web", Count: 200, AgeDays: 3}}}
	})
	add("deal-size-max", func(m *model.Model) {
		for i := range m.Sources {
			m.Sources[i].DealSize = model.Dist{Form: model.LogNormal, Median: model.MaxAmount, Sigma: model.MaxSigma}
		}
	})
	add("profile-tiny-sum", func(m *model.Model) {
		w := make([][]float64, 7)
		for d := range w {
			w[d] = make([]float64, 24)
		}
		w[2][10] = model.MinProfileSum
		m.Sources[0].Profile.Weights = w
	})
	add("profile-huge-sum", func(m *model.Model) {
		w := make([][]float64, 7)
		for d := range w {
			w[d] = make([]float64, 24)
			for h := range w[d] {
				w[d][h] = model.MaxProfileSum / model.HoursPerWeek / 2
			}
		}
		m.Sources[0].Profile.Weights = w
	})
	add("no-queue-weibull", func(m *model.Model) { // drawn from marks, whose past overflowed an int
		m.Handoff, m.SLAs = nil, nil
		m.Stages[2].Active = false
		m.Transitions[9].Delay = weibull
	})
	return ms
}

// TestRunExtremeModels: every model at the limits runs and gives finite
// revenue.
func TestRunExtremeModels(t *testing.T) {
	for name, m := range extremeModels() {
		t.Run(name, func(t *testing.T) {
			if err := m.Validate(); err != nil {
				t.Fatalf("model invalid: %v", err)
			}
			r := runWatched(t, m, Config{Quarters: 2, Seed: 3, Horizon: 2}, 60*time.Second)
			for i, v := range r.Revenue {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Errorf("revenue[%d] = %v, want a finite amount", i, v)
				}
			}
		})
	}
}

// runWatched runs m with cfg under a deadline, failing t on an error, or
// when Run does not return within a second of the deadline.
func runWatched(t *testing.T, m *model.Model, cfg Config, limit time.Duration) *Results {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	type out struct {
		r   *Results
		err error
	}
	done := make(chan out, 1)
	go func() {
		r, err := Run(ctx, m, cfg)
		done <- out{r, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatalf("Run: %v", o.err)
		}
		return o.r
	case <-time.After(limit + time.Second):
		t.Fatalf("Run did not return within a second of its %v deadline", limit)
	}
	return nil
}

// TestCancelPreparing: a cancel returns within a second in every phase of
// a run, preparing included (the pilot queue of a model with a million
// leads a week, the propagation of twenty recycles, the marks of a long
// horizon), where preparing ignored it for a minute.
func TestCancelPreparing(t *testing.T) {
	big := model.Default()
	big.Sources[0].RatePerWeek = model.MaxRatePerWeek
	recycles := model.Default()
	recycles.MaxRecycles = model.MaxRecycleCap
	marks := model.Default()
	marks.Handoff, marks.SLAs = nil, nil
	marks.Stages[2].Active = false
	marks.Sources[0].RatePerWeek = model.MaxRatePerWeek
	after := []time.Duration{10 * time.Millisecond, 300 * time.Millisecond, 1500 * time.Millisecond}
	if testing.Short() {
		after = after[:2]
	}
	for _, tt := range []struct {
		name string
		m    *model.Model
		cfg  Config
	}{
		{"pilot", big, Config{Quarters: 2}},
		{"recycles", recycles, Config{Quarters: 2}},
		{"marks", marks, Config{Quarters: 2, Horizon: MaxHorizon, MaxLeads: -1}},
		{"sweep", recycles, Config{Quarters: 2}},
	} {
		for _, d := range after {
			t.Run(tt.name+"/"+d.String(), func(t *testing.T) {
				ctx, cancel := context.WithCancel(context.Background())
				done := make(chan error, 1)
				go func() {
					var err error
					if tt.name == "sweep" {
						_, err = RunSweep(ctx, []*model.Model{tt.m, tt.m, tt.m}, tt.cfg)
					} else {
						_, err = Run(ctx, tt.m, tt.cfg)
					}
					done <- err
				}()
				time.Sleep(d)
				cancel()
				start := time.Now()
				select {
				case err := <-done:
					if !errors.Is(err, context.Canceled) {
						t.Errorf("Run = %v, want context.Canceled", err)
					}
					t.Logf("returned %v after the cancel", time.Since(start))
				case <-time.After(time.Second):
					t.Fatalf("Run did not return within a second of the cancel")
				}
			})
		}
	}
	debug.FreeOSMemory()
}
