package calibrate

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
)

// TestTruncatedDelayEntry fits lognormal delays seen only within a window
// [E_i, C_i] (stays begun before the records start at 0 are seen only if
// they end after it; all are seen only up to the as-of): the doubly
// truncated likelihood of TruncObs.Entry recovers μ and σ within 4
// standard errors, where leaving the entries out (right truncation only)
// is off by more than 2 standard errors and twice as far; the mixture's
// likelihood is at least the lognormal's.
func TestTruncatedDelayEntry(t *testing.T) {
	const mu, sigma = 3.0, 0.8
	seeds := []uint64{1, 2, 3, 4}
	if testing.Short() {
		seeds = seeds[:2]
	}
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 16))
		var obs, naive []TruncObs
		for len(obs) < 3000 {
			start := -300 + 400*r.Float64() // days relative to the records' start
			d := math.Exp(mu + sigma*r.NormFloat64())
			entry, follow := max(0, -start), 100-start
			if d < entry || d > follow {
				continue
			}
			obs = append(obs, TruncObs{T: d, Follow: follow, Entry: entry})
			naive = append(naive, TruncObs{T: d, Follow: follow})
		}
		f, err := FitTruncatedDelay(obs, LogNormal)
		if err != nil {
			t.Fatal(err)
		}
		for i, want := range []float64{mu, sigma} {
			if math.Abs(f.Params[i]-want) > 4*f.SE[i] {
				t.Errorf("seed %d: parameter %d = %.4f ± %.4f, want %v within 4 SE", seed, i, f.Params[i], f.SE[i], want)
			}
		}
		t.Logf("seed %d: with entries μ %.4f ± %.4f σ %.4f ± %.4f", seed, f.Params[0], f.SE[0], f.Params[1], f.SE[1])
		g, err := FitTruncatedDelay(naive, LogNormal)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(g.Params[0]-mu) < 2*g.SE[0] || math.Abs(g.Params[0]-mu) < 2*math.Abs(f.Params[0]-mu) {
			t.Errorf("seed %d: without the entries μ = %.4f ± %.4f, no bias: the test does not test the entries", seed, g.Params[0], g.SE[0])
		}
		mix, err := FitTruncatedMixture(obs)
		if err != nil {
			t.Fatal(err)
		}
		// The mixture nests the lognormal: its doubly truncated likelihood
		// is at least the lognormal's (its weights beyond the windows are
		// not identified, so its quantiles are not checked).
		if mix.LogLik < f.LogLik-1 {
			t.Errorf("seed %d: mixture log-likelihood %.2f below the lognormal's %.2f", seed, mix.LogLik, f.LogLik)
		}
	}
}

// dealsModel is an opportunity-only funnel: deals won or lost after
// lognormal cycles.
func dealsModel() *model.Model {
	return &model.Model{Name: "deals", Currency: "USD", TimeZone: "UTC", QuarterWeeks: 13,
		Stages: []model.Stage{
			{Name: "opportunity", Team: model.Sales, Opportunity: true},
			{Name: "won", Team: model.Sales, Outcome: model.Won},
			{Name: "lost", Team: model.Sales, Outcome: model.Lost},
		},
		Transitions: []model.Transition{
			{From: "opportunity", To: "won", P: 0.4, Delay: model.Dist{Form: model.LogNormal, Median: 30, Sigma: 0.7}},
			{From: "opportunity", To: "lost", P: 0.45, Delay: model.Dist{Form: model.LogNormal, Median: 20, Sigma: 0.8}},
		},
		Sources: []model.Source{{Name: "pipeline", Entry: "opportunity", RatePerWeek: 60, Profile: model.Profile{Shape: "flat"},
			DealSize: model.Dist{Form: model.LogNormal, Median: 5000, Sigma: 0.5}}},
	}
}

// dropClosedBefore returns e without the leads (and their deals) that left
// the opportunity stage before l: an export whose records begin at l.
func dropClosedBefore(e *data.Export, l time.Time) *data.Export {
	gone := map[string]bool{}
	for _, s := range e.StageEvents {
		if (s.Stage == "won" || s.Stage == "lost") && s.At.Before(l) {
			gone[s.LeadID] = true
		}
	}
	out := &data.Export{AsOf: e.AsOf}
	for _, x := range e.Leads {
		if !gone[x.ID] {
			out.Leads = append(out.Leads, x)
		}
	}
	for _, x := range e.StageEvents {
		if !gone[x.LeadID] {
			out.StageEvents = append(out.StageEvents, x)
		}
	}
	opp := map[string]bool{}
	for _, x := range e.Opportunities {
		if x.LeadID == "" || !gone[x.LeadID] {
			out.Opportunities = append(out.Opportunities, x)
			opp[x.ID] = true
		}
	}
	for _, x := range e.OppStageEvents {
		if opp[x.OpportunityID] {
			out.OppStageEvents = append(out.OppStageEvents, x)
		}
	}
	return out
}

// TestLeftTruncation generates a year of deals and removes those closed in
// its first half (records that begin at a migration): calibration detects
// the stage's late start (and not in the whole export), and with
// Config.LeftTruncation recovers the win probability within 4 standard
// errors.
func TestLeftTruncation(t *testing.T) {
	m := dealsModel()
	e, err := synth.Generate(t.Context(), m, synth.Config{Quarters: 4, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	l := time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)
	said := func(r *Result) bool {
		for _, w := range r.Warnings {
			if strings.Contains(w.Error(), "seem to begin then") {
				return true
			}
		}
		return false
	}
	full, err := Calibrate(e, Config{Base: m})
	if err != nil {
		t.Fatal(err)
	}
	if said(full) {
		t.Error("the whole export is taken as left-truncated")
	}
	cut := dropClosedBefore(e, l)
	naive, err := Calibrate(cut, Config{Base: m})
	if err != nil {
		t.Fatal(err)
	}
	if !said(naive) {
		t.Errorf("the export without the deals closed before %s: no warning of its late start: %v", l.Format(time.DateOnly), naive.Warnings)
	}
	lt, err := Calibrate(cut, Config{Base: m, LeftTruncation: true})
	if err != nil {
		t.Fatal(err)
	}
	ef := lt.Stages[0].Edges[0]
	if ef.To != "won" || math.Abs(ef.P-0.4) > 4*ef.SE {
		t.Errorf("left-truncated fit: p(%s) = %.3f ± %.3f, want 0.4 within 4 SE", ef.To, ef.P, ef.SE)
	}
	if d := ef.Dist.Quantile(0.5); math.Abs(d-30)/30 > 0.15 {
		t.Errorf("left-truncated fit: won delay median %.1f days, want 30 within 15%%", d)
	}
	t.Logf("p(won): whole %.3f, naive %.3f, left-truncated %.3f ± %.3f; median delay naive %.1f, left-truncated %.1f",
		full.Stages[0].Edges[0].P, naive.Stages[0].Edges[0].P, ef.P, ef.SE, naive.Stages[0].Edges[0].Dist.Quantile(0.5), ef.Dist.Quantile(0.5))
}
