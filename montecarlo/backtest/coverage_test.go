package backtest_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo/backtest"
)

// twoPhase is a delay of two phases, as real cycle times have: a share
// fast of the delays lognormal around fastDays, the rest around slowDays,
// as 40 quantiles.
func twoPhase(fast, fastDays, slowDays float64) model.Dist {
	d := model.Dist{Form: model.Empirical}
	f := model.Dist{Form: model.LogNormal, Median: fastDays, Sigma: 0.6}
	s := model.Dist{Form: model.LogNormal, Median: slowDays, Sigma: 0.4}
	for i := range 40 {
		u := (float64(i) + 0.5) / 40
		var v float64
		if u < fast {
			v = f.Quantile(u / fast)
		} else {
			v = s.Quantile((u - fast) / (1 - fast))
		}
		d.Values = append(d.Values, math.Round(v*100)/100)
	}
	return d
}

// leadsFunnel is a model with a marketing stage before the deals, both
// with two-phase delays: leads become opportunities within days or after
// about a month, and deals close within a week or after two months.
func leadsFunnel() *model.Model {
	return &model.Model{Name: "leads", Currency: "USD", TimeZone: "UTC", QuarterWeeks: 13,
		Stages: []model.Stage{
			{Name: "mql", Team: model.Marketing},
			{Name: "opportunity", Team: model.Sales, Opportunity: true},
			{Name: "won", Team: model.Sales, Outcome: model.Won},
			{Name: "lost", Team: model.Sales, Outcome: model.Lost},
			{Name: "disqualified", Team: model.Marketing, Outcome: model.Disqualified},
		},
		Transitions: []model.Transition{
			{From: "mql", To: "opportunity", P: 0.3, Delay: twoPhase(0.4, 2, 30)},
			{From: "mql", To: "disqualified", P: 0.5, Delay: model.Dist{Form: model.LogNormal, Median: 10, Sigma: 0.8}},
			{From: "opportunity", To: "won", P: 0.4, Delay: twoPhase(0.3, 5, 60)},
			{From: "opportunity", To: "lost", P: 0.45, Delay: model.Dist{Form: model.LogNormal, Median: 35, Sigma: 0.7}},
		},
		Sources: []model.Source{{Name: "web", Entry: "mql", RatePerWeek: 120, Profile: model.Profile{Shape: "flat"},
			DealSize: model.Dist{Form: model.LogNormal, Median: 6000, Sigma: 0.7}}},
	}
}

// rampExport generates an export of m whose arrivals grow: the sum of
// steps exports of m (Poisson streams superpose), the k-th starting k
// quarters after the first and all ending together, so the rate rises by
// RatePerWeek at each of the first steps quarters. Ids of the k-th are
// prefixed with its letter; its sources keep their names.
func rampExport(t *testing.T, m *model.Model, quarters, steps int, seed uint64) *data.Export {
	t.Helper()
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var out *data.Export
	for k := range steps {
		e, err := synth.Generate(t.Context(), m, synth.Config{Quarters: quarters - k, Seed: seed*10 + uint64(k),
			Start: start.AddDate(0, 0, 7*m.QuarterWeeks*k)})
		if err != nil {
			t.Fatal(err)
		}
		if k == 0 {
			out = e
			continue
		}
		p := string(rune('A'+k)) + "-"
		for _, l := range e.Leads {
			l.ID = p + l.ID
			out.Leads = append(out.Leads, l)
		}
		for _, s := range e.StageEvents {
			s.LeadID = p + s.LeadID
			out.StageEvents = append(out.StageEvents, s)
		}
		for _, a := range e.Activities {
			a.LeadID = p + a.LeadID
			out.Activities = append(out.Activities, a)
		}
		for _, o := range e.Opportunities {
			o.ID = p + o.ID
			if o.LeadID != "" {
				o.LeadID = p + o.LeadID
			}
			out.Opportunities = append(out.Opportunities, o)
		}
		for _, s := range e.OppStageEvents {
			s.OpportunityID = p + s.OpportunityID
			out.OppStageEvents = append(out.OppStageEvents, s)
		}
		if !e.AsOf.Equal(out.AsOf) {
			t.Fatalf("step %d ends %v, the first %v", k, e.AsOf, out.AsOf)
		}
	}
	return out
}

// coverageCase is a family of generated exports backtested by
// TestBacktestCoverage.
type coverageCase struct {
	name   string
	model  *model.Model
	export func(t *testing.T, seed uint64) *data.Export
}

func coverageCases(quarters int) []coverageCase {
	narrow, leads := narrowFunnel(), leadsFunnel()
	ramp := narrowFunnel()
	ramp.Sources[0].RatePerWeek = 15
	gen := func(m *model.Model) func(*testing.T, uint64) *data.Export {
		return func(t *testing.T, seed uint64) *data.Export {
			e, err := synth.Generate(t.Context(), m, synth.Config{Quarters: quarters, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			return e
		}
	}
	return []coverageCase{
		{"narrow funnel, two-phase wins", narrow, gen(narrow)},
		{"arrivals ramping up 15/week a quarter", ramp, func(t *testing.T, seed uint64) *data.Export {
			return rampExport(t, ramp, quarters, quarters-1, seed)
		}},
		{"leads funnel, two-phase conversion and wins", leads, gen(leads)},
	}
}

// quarterOrigins returns every third month end of MonthEnds (6 months of
// history, a 13-week window): origins a quarter apart, whose windows do
// not overlap, so that their misses are nearly independent.
func quarterOrigins(e *data.Export) []time.Time {
	var out []time.Time
	for i, o := range backtest.MonthEnds(e, 6, 91*24*time.Hour, nil) {
		if i%3 == 0 {
			out = append(out, o)
		}
	}
	return out
}

// TestBacktestCoverage generates exports from three models unlike the
// default (a narrow funnel with two-phase wins; the same with arrivals
// that ramp up every quarter; a funnel with a marketing stage, two-phase
// conversions and wins), backtests each at origins a quarter apart, and
// checks that the pooled P10–P90 coverage is inside the exact binomial
// band of 80% at the two-sided level of 4 standard deviations (1 −
// 6.3·10⁻⁵), and that no origin fails. The long variant (-tags long,
// TestBacktestCoverageLong) pools more histories.
func TestBacktestCoverage(t *testing.T) {
	seeds, quarters, sims := []uint64{1, 2}, 6, 200
	if testing.Short() {
		seeds, sims = []uint64{1}, 100
	}
	checkCoverage(t, coverageCases(quarters), seeds, sims)
}

func checkCoverage(t *testing.T, cases []coverageCase, seeds []uint64, sims int) {
	covered, n, above, below := 0, 0, 0, 0
	for _, c := range cases {
		for _, seed := range seeds {
			e := c.export(t, seed)
			origins := quarterOrigins(e)
			if len(origins) == 0 {
				t.Fatalf("%s seed %d: no origins", c.name, seed)
			}
			res, err := backtest.Run(t.Context(), e, backtest.Config{Origins: origins, Base: c.model, Quarters: sims, Seed: seed})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range res.Origins {
				if o.Error != "" {
					t.Errorf("%s seed %d origin %s failed: %s", c.name, seed, o.Origin.Format(time.DateOnly), o.Error)
					continue
				}
				t.Logf("%s seed %d %s: P10 %.0f P50 %.0f P90 %.0f actual %.0f PIT %.2f", c.name, seed, o.Origin.Format(time.DateOnly), o.P10, o.P50, o.P90, o.Actual, o.PIT)
			}
			s := res.Summary
			line := fmt.Sprintf("%s seed %d: covered %d of %d, mean CRPS %.0f", c.name, seed, s.Covered80, s.N, s.MeanCRPS)
			for _, b := range s.Baselines {
				line += fmt.Sprintf(", %s MAE %.0f (skill %+.2f)", b.Name, b.MAE, b.Skill)
			}
			t.Log(line)
			covered += s.Covered80
			n += s.N
			above += s.Above90
			below += s.Below10
		}
	}
	lo, hi := backtest.BinomialBand(n, 0.8, 1-6.3e-5)
	t.Logf("P10–P90 covered %d of %d origins (%d above P90, %d below P10); 4σ band %d–%d", covered, n, above, below, lo, hi)
	if covered < lo || covered > hi {
		t.Errorf("P10–P90 covered %d of %d origins (%d above P90, %d below P10), outside the exact binomial band %d–%d of 80%% at 4σ",
			covered, n, above, below, lo, hi)
	}
}
