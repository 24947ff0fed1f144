package montecarlo

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// wonModel is N leads starting in the opportunity stage that close won with
// probability p, known from n observations, almost at once.
func wonModel(N int, p, n float64) *model.Model {
	tiny := model.Dist{Form: model.Fixed, Value: 1e-4}
	return &model.Model{
		Name: "won", Currency: "USD", QuarterWeeks: 13, Quota: 1,
		Stages: []model.Stage{
			{Name: "opportunity", Team: model.Sales, Opportunity: true, Observations: n},
			{Name: "won", Team: model.Sales, Outcome: model.Won},
			{Name: "lost", Team: model.Sales, Outcome: model.Lost},
		},
		Transitions: []model.Transition{
			{From: "opportunity", To: "won", P: p, Delay: tiny},
			{From: "opportunity", To: "lost", P: 1 - p, Delay: tiny},
		},
		Sources: []model.Source{{Name: "s", Entry: "opportunity", RatePerWeek: 1e-9,
			DealSize: model.Dist{Form: model.Fixed, Value: 1}}},
		Start: &model.Start{Leads: []model.OpenLead{{Stage: "opportunity", Source: "s", Count: N}}},
	}
}

// TestDrawParamsBetaBinomial checks the per-run draw of transition
// probabilities: wins of N leads with p drawn from Beta(n·p, n·(1−p)) have
// mean N·p and variance N·p(1−p)(n+N)/(n+1) (beta-binomial); with fixed
// parameters the variance is binomial, N·p(1−p).
func TestDrawParamsBetaBinomial(t *testing.T) {
	const N, p, n = 400, 0.3, 50.0
	quarters := 4000
	if testing.Short() {
		quarters = 1500
	}
	for _, draw := range []bool{true, false} {
		res, err := Run(context.Background(), wonModel(N, p, n), Config{Quarters: quarters, Seed: 5, DrawParams: draw})
		if err != nil {
			t.Fatal(err)
		}
		s := Summarize(res.Won)
		mean, sd := float64(s.Mean), float64(s.SD)
		wantVar := N * p * (1 - p)
		if draw {
			wantVar *= (n + N) / (n + 1)
		}
		q := float64(quarters)
		if se := math.Sqrt(wantVar / q); math.Abs(mean-N*p) > 4*se {
			t.Errorf("draw=%v: mean wins %.3f, want %.3f ± %.3f (4 SE)", draw, mean, N*p, 4*se)
		}
		// SE of a sample variance of near-normal data: σ²·√(2/(q−1)).
		if se := wantVar * math.Sqrt(2/(q-1)); math.Abs(sd*sd-wantVar) > 4*se {
			t.Errorf("draw=%v: variance of wins %.1f, want %.1f ± %.1f (4 SE)", draw, sd*sd, wantVar, 4*se)
		}
	}
}

// TestDrawParamsRate checks the per-run draw of an arrival rate from its
// gamma posterior: the quarterly count is then negative binomial with
// variance Λ + Λ²/(λ·W), Λ the quarter's mean count.
func TestDrawParamsRate(t *testing.T) {
	const rate, weeks = 50.0, 26.0
	m := wonModel(1, 0.5, 0)
	m.Start = &model.Start{}
	m.Sources[0].RatePerWeek, m.Sources[0].RateWeeks = rate, weeks
	quarters := 4000
	if testing.Short() {
		quarters = 1500
	}
	res, err := Run(context.Background(), m, Config{Quarters: quarters, Seed: 9, DrawParams: true})
	if err != nil {
		t.Fatal(err)
	}
	entries := make([]float64, quarters)
	for i := range entries {
		entries[i] = res.Entries[i*len(res.Stages)]
	}
	s := Summarize(entries)
	lam := rate * 13
	wantVar := lam + lam*lam/(rate*weeks)
	q := float64(quarters)
	if se := math.Sqrt(wantVar / q); math.Abs(float64(s.Mean)-lam) > 4*se {
		t.Errorf("mean arrivals %.2f, want %.2f ± %.2f", float64(s.Mean), lam, 4*se)
	}
	// Near-normal sample variance SE (the gamma mixing is mild here).
	if v, se := float64(s.SD*s.SD), wantVar*math.Sqrt(2/(q-1)); math.Abs(v-wantVar) > 4*se {
		t.Errorf("variance of arrivals %.1f, want %.1f ± %.1f", v, wantVar, 4*se)
	}
}
