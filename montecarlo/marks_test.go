package montecarlo

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// mixedQueueFree is a funnel without an SDR queue that uses every part of
// the marks: a recycle edge with its cap, a pipeline left for an outcome, a
// sales-sourced source entering mid-funnel, a bursty rate, both arrival
// profiles and every delay family.
func mixedQueueFree() *model.Model {
	ln := func(median, sigma float64) model.Dist {
		return model.Dist{Form: model.LogNormal, Median: median, Sigma: sigma}
	}
	return &model.Model{
		Name: "mixed", Currency: "USD", QuarterWeeks: 13, Quota: 5e5, MaxRecycles: 1,
		Stages: []model.Stage{
			{Name: "known"}, {Name: "mql"}, {Name: "sal", Team: model.Sales}, {Name: "rejected", Team: model.Sales},
			{Name: "opp", Team: model.Sales, Opportunity: true},
			{Name: "won", Team: model.Sales, Outcome: model.Won}, {Name: "lost", Team: model.Sales, Outcome: model.Lost},
			{Name: "dq", Team: model.Sales, Outcome: model.Disqualified},
		},
		Transitions: []model.Transition{
			{From: "known", To: "mql", P: 0.4, Delay: model.Dist{Form: model.Gamma, Shape: 2, Mean: 9}},
			{From: "mql", To: "sal", P: 0.5, Delay: model.Dist{Form: model.Weibull, Shape: 1.5, Scale: 3}},
			{From: "mql", To: "dq", P: 0.3, Delay: model.Dist{Form: model.Exponential, Mean: 4}},
			{From: "sal", To: "opp", P: 0.6, Delay: ln(6, 0.5)},
			{From: "sal", To: "rejected", P: 0.3, Delay: model.Dist{Form: model.Fixed, Value: 2}},
			{From: "rejected", To: "known", P: 1, Recycle: true, Delay: ln(10, 0.4)},
			{From: "opp", To: "won", P: 0.3, Delay: ln(30, 0.4)},
			{From: "opp", To: "lost", P: 0.7, Delay: model.Dist{Form: model.Empirical, Values: []float64{5, 12, 30, 47, 60}}},
		},
		Sources: []model.Source{
			{Name: "web", Entry: "known", RatePerWeek: 150, Dispersion: 10,
				Profile: model.Profile{Shape: "business"}, DealSize: ln(20000, 0.6)},
			{Name: "outbound", Entry: "sal", SalesSourced: true, RatePerWeek: 12,
				Profile: model.Profile{Shape: "flat"}, DealSize: ln(40000, 0.7)},
		},
	}
}

// TestMarksMatchWalk checks runs drawn from marks against their definition:
// the same funnel walked lead by lead after a warm-up as long as the past
// the marks propagate. Both are independent (different seeds). Every
// per-quarter series must agree in mean within 4 standard errors of the
// difference, and the main ones in spread as well (the SE of a standard
// deviation is about sd/√(2n)).
func TestMarksMatchWalk(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    func() *model.Model
		h, n int
	}{
		{"mixed", mixedQueueFree, 2, size(3000, 600)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			marked, walked := tc.m(), tc.m()
			if err := marked.Validate(); err != nil {
				t.Fatal(err)
			}
			c := compile(marked)
			mk := c.buildMarks(context.Background(), tc.h, true)
			if mk == nil {
				t.Fatal("marks not built")
			}
			weeks := math.Ceil(markPast(context.Background(), c.markPaths()) / model.HoursPerWeek)
			t.Logf("%d marks over %d blocks, %.0f weeks of past", len(mk.marks), len(mk.blocks), weeks)
			walked.WarmupDays = 7 * weeks
			a := mustRun(t, marked, Config{Quarters: tc.n, Horizon: tc.h, Seed: 101, engine: engineMarks})
			b := mustRun(t, walked, Config{Quarters: tc.n, Horizon: tc.h, Seed: 202})
			for k := range tc.h {
				for _, f := range []struct {
					what string
					a, b []float64
					sd   bool
				}{
					{"revenue", a.Revenue, b.Revenue, true},
					{"won", a.Won, b.Won, true},
					{"mkt created", a.MktCreated, b.MktCreated, false},
					{"mkt value", a.MktValue, b.MktValue, false},
					{"sales created", a.SalesCreated, b.SalesCreated, false},
					{"sales value", a.SalesValue, b.SalesValue, false},
					{"open pipeline", a.OpenPipeline, b.OpenPipeline, true},
					{"open deals", a.OpenDeals, b.OpenDeals, true},
				} {
					sameLaw(t, fmt.Sprintf("q%d %s", k, f.what), a.Period(f.a, k), b.Period(f.b, k), f.sd)
				}
				S, E := len(marked.Stages), len(marked.Transitions)
				for s, name := range a.Stages {
					sameLaw(t, fmt.Sprintf("q%d entries %s", k, name), columnOf(a.Entries, S*tc.h, k*S+s), columnOf(b.Entries, S*tc.h, k*S+s), true)
				}
				for e, tr := range marked.Transitions {
					sameLaw(t, fmt.Sprintf("q%d moves %s->%s", k, tr.From, tr.To), columnOf(a.Moves, E*tc.h, k*E+e), columnOf(b.Moves, E*tc.h, k*E+e), false)
				}
			}
		})
	}
}

// TestMarksClosedForm checks runs drawn from marks against the steady state
// of a funnel with Poisson arrivals: each stage's entries in a quarter are
// Poisson with mean rate·T·P(reach), revenue is compound Poisson with mean
// rate·T·P(won)·E[A] and variance rate·T·P(won)·E[A²], and by Little's law
// the deals open at the quarter's start are Poisson with mean
// rate·P(opp)·E[time in opp].
func TestMarksClosedForm(t *testing.T) {
	m := plain5Stage()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	if compile(m).buildMarks(context.Background(), 1, false) == nil {
		t.Fatal("marks not built")
	}
	n := size(20000, 4000)
	r := mustRun(t, m, Config{Quarters: n, Seed: 7})
	rate := m.Sources[0].RatePerWeek * float64(m.QuarterWeeks)
	reach := map[string]float64{"mql": 1, "sql": 0.5, "sal": 0.35, "opp": 0.21, "won": 0.21 * 0.27, "lost": 0.21 * 0.73}
	S := len(m.Stages)
	poissonCheck := func(what string, x []float64, mean float64) {
		t.Helper()
		mx, vx := meanVar(x)
		within(t, what+" mean", mx, mean, math.Sqrt(mean/float64(n)))
		within(t, what+" variance", vx, mean, mean*math.Sqrt(2/float64(n-1)))
	}
	for s, name := range r.Stages {
		poissonCheck("entries "+name, columnOf(r.Entries, S, s), rate*reach[name])
	}
	lnMean := func(median, sigma float64) float64 { return median * math.Exp(sigma*sigma/2) }
	deal := m.Sources[0].DealSize
	ea := lnMean(deal.Median, deal.Sigma)
	ea2 := deal.Median * deal.Median * math.Exp(2*deal.Sigma*deal.Sigma)
	wonRate := rate * reach["won"]
	mr, _ := meanVar(r.Revenue)
	within(t, "revenue mean", mr, wonRate*ea, math.Sqrt(wonRate*ea2/float64(n)))
	_, vr := meanVar(r.Revenue)
	// The variance of a sample variance needs the fourth moment: for a
	// compound Poisson sum it is λE[A⁴] + 3(λE[A²])².
	ea4 := math.Pow(deal.Median, 4) * math.Exp(8*deal.Sigma*deal.Sigma)
	within(t, "revenue variance", vr, wonRate*ea2, math.Sqrt((wonRate*ea4+2*wonRate*wonRate*ea2*ea2)/float64(n)))
	stay := (0.27*lnMean(55, 0.6) + 0.73*lnMean(40, 0.8)) / 7 // weeks
	poissonCheck("open deals", r.OpenDeals, m.Sources[0].RatePerWeek*reach["opp"]*stay)
}

// TestMarksCoarsePast checks the daily grid of the far past against the
// hourly one: each mark's mean and the expected entries and moves of each
// stage and transition, computed both ways. Leads older than the fine
// past reach the horizon only through long delays, smooth at the scale of
// a day, so every difference must stay below 1% of the Monte Carlo
// standard error of that mean in a 10,000-quarter forecast. Both funnels
// keep a real share of their leads in the coarse past (252 and 338 weeks
// of past, deals open for months). Measured: at most 0.17 (plain) and 0.41
// (default without queue) of that; without the slope term of the arrival
// sum, 1.9 and 4.2.
func TestMarksCoarsePast(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    func() *model.Model
		h    int
	}{
		{"plain", plain5Stage, 1},
		{"default without queue", func() *model.Model { return defaultQueueFree(1) }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := tc.m()
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			c := compile(m)
			coarse, hourly := c.buildMarksFine(context.Background(), tc.h, true, -1), c.buildMarksFine(context.Background(), tc.h, true, 1<<20)
			mus := func(mk *marks) (map[string][]float64, map[int32]float64, float64) {
				by := make(map[string][]float64)
				entries := make(map[int32]float64)
				tot := 0.0
				for _, x := range mk.marks {
					by[fmt.Sprint(x.key, x.entries, x.moves, x.episodes)] = x.mu
					for _, v := range x.mu {
						tot += v
						for _, e := range x.entries {
							entries[e] += v
						}
						for _, e := range x.moves {
							entries[-1-e] += v
						}
					}
				}
				return by, entries, tot
			}
			a, ea, _ := mus(coarse)
			b, eb, tb := mus(hourly)
			// A mean μ over 10,000 quarters has a Poisson standard error of
			// √(μ/10⁴); each difference must stay below 1% of it.
			tol := func(mu float64) float64 { return 0.01 * math.Sqrt(mu/1e4) }
			sum := func(x []float64) float64 {
				s := 0.0
				for _, v := range x {
					s += v
				}
				return s
			}
			worst, diff := 0.0, 0.0 // the largest difference in tolerances, Σ|Δμ|
			for k, y := range b {
				d := math.Abs(sum(a[k]) - sum(y))
				worst, diff = max(worst, d/tol(sum(y))), diff+d
			}
			for k, x := range a {
				if b[k] == nil {
					worst, diff = max(worst, sum(x)/tol(sum(x))), diff+sum(x)
				}
			}
			t.Logf("%d marks coarse, %d hourly; Σ|Δμ| = %.3g of Σμ = %.6g; worst mark %.3g tolerances", len(a), len(b), diff, tb, worst)
			if !(worst <= 1) {
				t.Errorf("a mark's mean differs by %.3g times 1%% of its 10,000-quarter SE", worst)
			}
			worst = 0
			for k, y := range eb {
				worst = max(worst, math.Abs(ea[k]-y)/tol(y))
			}
			t.Logf("expected entries and moves: worst difference %.3g tolerances", worst)
			if !(worst <= 1) {
				t.Errorf("expected entries or moves differ by %.3g times 1%% of their 10,000-quarter SE", worst)
			}
		})
	}
}

// defaultQueueFree is the default model without its SDR queue, SLAs and
// active stage, with the given recycle cap: a funnel of several sources
// and recycled paths that marks can draw.
func defaultQueueFree(maxRecycles int) *model.Model {
	m := model.Default()
	m.Name = "default without queue"
	m.Handoff, m.SLAs, m.MaxRecycles = nil, nil, maxRecycles
	for i := range m.Stages {
		m.Stages[i].Active = false
	}
	return m
}
