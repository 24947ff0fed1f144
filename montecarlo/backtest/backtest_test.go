package backtest_test

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo/backtest"
)

// narrowFunnel is a model unlike the default: no marketing funnel, one
// source of deals straight into the opportunity stage, and a two-phase
// sales cycle (a quarter of the wins close within a week, the rest in
// about two months).
func narrowFunnel() *model.Model {
	fast := model.Dist{Form: model.LogNormal, Median: 4, Sigma: 0.6}
	twoPhase := model.Dist{Form: model.Empirical}
	for i := range 40 {
		u := (float64(i) + 0.5) / 40
		if i < 10 {
			twoPhase.Values = append(twoPhase.Values, math.Round(fast.Quantile(u*4)*100)/100)
		} else {
			slow := model.Dist{Form: model.LogNormal, Median: 60, Sigma: 0.4}
			twoPhase.Values = append(twoPhase.Values, math.Round(slow.Quantile((u-0.25)/0.75)*100)/100)
		}
	}
	return &model.Model{Name: "narrow", Currency: "USD", TimeZone: "UTC", QuarterWeeks: 13,
		Stages: []model.Stage{
			{Name: "opportunity", Team: model.Sales, Opportunity: true},
			{Name: "won", Team: model.Sales, Outcome: model.Won},
			{Name: "lost", Team: model.Sales, Outcome: model.Lost},
		},
		Transitions: []model.Transition{
			{From: "opportunity", To: "won", P: 0.35, Delay: twoPhase},
			{From: "opportunity", To: "lost", P: 0.5, Delay: model.Dist{Form: model.LogNormal, Median: 40, Sigma: 0.7}},
		},
		Sources: []model.Source{{Name: "pipeline", Entry: "opportunity", RatePerWeek: 40, Profile: model.Profile{Shape: "flat"},
			DealSize: model.Dist{Form: model.LogNormal, Median: 8000, Sigma: 0.6}}},
	}
}

// TestBacktestNarrowFunnel generates an export from narrowFunnel, backtests
// it at every month end with 6 months of history, and checks that the
// P10–P90 interval covers the revenue won at a number of origins inside
// the 99% binomial band of 80% (origins a month apart overlap, so the
// band is generous), and that the forecast beats the naive pipeline.
func TestBacktestNarrowFunnel(t *testing.T) {
	m := narrowFunnel()
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	quarters, sims := 5, 150
	if testing.Short() {
		sims = 100 // 5 quarters: 6 months of history and a window leave 3 month ends
	}
	e, err := synth.Generate(t.Context(), m, synth.Config{Quarters: quarters, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	origins := backtest.MonthEnds(e, 6, 91*24*time.Hour, nil)
	if len(origins) < 3 {
		t.Fatalf("%d origins in %d quarters", len(origins), quarters)
	}
	res, err := backtest.Run(t.Context(), e, backtest.Config{Origins: origins, Base: m, Quarters: sims, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summary
	for _, o := range res.Origins {
		t.Logf("%s P10 %.0f P50 %.0f P90 %.0f actual %.0f PIT %.2f CRPS %.0f %s", o.Origin.Format(time.DateOnly), o.P10, o.P50, o.P90, o.Actual, o.PIT, o.CRPS, o.Error)
	}
	if s.Failed > 0 {
		t.Fatalf("%d origins failed", s.Failed)
	}
	lo, hi := backtest.BinomialBand(s.N, 0.8, 0.99)
	if s.Covered80 < lo || s.Covered80 > hi {
		t.Errorf("P10–P90 covered %d of %d origins, outside the 99%% band %d–%d of 80%%", s.Covered80, s.N, lo, hi)
	}
	if float64(s.MeanCRPS) >= float64(s.Baselines[0].MAE) {
		t.Errorf("mean CRPS %.0f not below the pipeline baseline's MAE %.0f", float64(s.MeanCRPS), float64(s.Baselines[0].MAE))
	}
	// Deterministic: the same configuration gives the same result.
	again, err := backtest.Run(t.Context(), e, backtest.Config{Origins: origins[:1], Base: m, Quarters: sims, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if again.Origins[0].P50 != res.Origins[0].P50 || again.Origins[0].CRPS != res.Origins[0].CRPS {
		t.Errorf("origin 0 alone: P50 %v CRPS %v; with the others %v %v", again.Origins[0].P50, again.Origins[0].CRPS, res.Origins[0].P50, res.Origins[0].CRPS)
	}
}

// TestBacktestFailedOrigin: an origin before any data and one whose window
// ends after the export are recorded as failures, not errors of the run,
// and the JSON form has its schema version and no NaN.
func TestBacktestFailedOrigin(t *testing.T) {
	m := narrowFunnel()
	e, err := synth.Generate(t.Context(), m, synth.Config{Quarters: 3, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	first := backtest.Earliest(e)
	origins := []time.Time{first, e.AsOf.Add(-91 * 24 * time.Hour), e.AsOf}
	res, err := backtest.Run(t.Context(), e, backtest.Config{Origins: origins, Base: m, Quarters: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Origins[0].Error == "" || res.Origins[2].Error == "" || res.Origins[1].Error != "" {
		t.Errorf("errors: %q, %q, %q; want the first and last to fail", res.Origins[0].Error, res.Origins[1].Error, res.Origins[2].Error)
	}
	if !strings.Contains(res.Origins[2].Error, "after the export's as-of date") {
		t.Errorf("last origin's error: %s", res.Origins[2].Error)
	}
	if res.Summary.N != 1 || res.Summary.Failed != 2 {
		t.Errorf("summary n %d failed %d, want 1 and 2", res.Summary.N, res.Summary.Failed)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"schema_version":1`) {
		t.Errorf("JSON lacks the schema version: %.200s", b)
	}
	if _, err := backtest.Run(t.Context(), e, backtest.Config{}); err == nil {
		t.Error("no origins: no error")
	}
	if _, err := backtest.Run(t.Context(), e, backtest.Config{Origins: origins, Window: 90 * 24 * time.Hour}); err == nil {
		t.Error("a 90-day window: no error")
	}
}
