package montecarlo

import (
	"context"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/funnelsim/funnel/model"
)

// fuzzDist returns a distribution of form form%6 with parameters a and b.
func fuzzDist(form uint8, a, b float64) model.Dist {
	switch model.DistForm(form % 6) {
	case model.Fixed:
		return model.Dist{Form: model.Fixed, Value: a}
	case model.Exponential:
		return model.Dist{Form: model.Exponential, Mean: a}
	case model.LogNormal:
		return model.Dist{Form: model.LogNormal, Median: a, Sigma: b}
	case model.Weibull:
		return model.Dist{Form: model.Weibull, Shape: b, Scale: a}
	case model.Gamma:
		return model.Dist{Form: model.Gamma, Shape: b, Mean: a}
	default:
		return model.Dist{Form: model.Empirical, Values: []float64{a, b}}
	}
}

// fuzzModel returns the default model with parameters from the fuzzer:
// the delay into the active mql stage (delayForm, d1, d2), the web
// source's profile (weight w0 at Monday 00:00, w elsewhere), its deal
// size (dealForm, a1, a2), rate and dispersion, the SDR headcount and
// handling time, the recycle cap and, when age ≥ 0, a starting state of
// leads that old.
func fuzzModel(delayForm uint8, d1, d2, w0, w float64, dealForm uint8, a1, a2, rate, disp float64, headcount, recycles int, handle, age float64) *model.Model {
	m := model.Default()
	m.Transitions[1].Delay = fuzzDist(delayForm, d1, d2)
	weights := make([][]float64, 7)
	for d := range weights {
		weights[d] = make([]float64, 24)
		for h := range weights[d] {
			weights[d][h] = w
		}
	}
	weights[0][0] = w0
	m.Sources[0].Profile.Weights = weights
	m.Sources[0].DealSize = fuzzDist(dealForm, a1, a2)
	m.Sources[0].RatePerWeek, m.Sources[0].Dispersion = rate, disp
	m.Handoff.SDR.Headcount = headcount
	m.Handoff.SDR.Handle = model.Dist{Form: model.Exponential, Mean: handle}
	m.MaxRecycles = recycles
	if age >= 0 {
		m.Start = &model.Start{Leads: []model.OpenLead{
			{Stage: "engaged", Source: "web", Count: 50, AgeDays: age},
			{Stage: "mql", Source: "web", Count: 20, AgeDays: age, Waiting: true},
			{Stage: "opportunity", Source: "web", Count: 10, AgeDays: age},
		}}
	}
	return m
}

// FuzzForecastModel draws model parameters (delay forms and parameters,
// profile weights, deal sizes, rates, headcount, recycles, ages) and, when
// the model is valid and CheckSize accepts two runs of it, forecasts them
// under a deadline: the run must not panic, must return within a second
// of its deadline (a cancel is honoured in every phase), and, when it
// finishes, give finite revenue. The seeds are the reported crashers:
// the validation now refuses most of them.
func FuzzForecastModel(f *testing.F) {
	// Default-like parameters, then the crashers of the issues.
	f.Add(uint8(2), 14.0, 1.0, 1.0, 1.0, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 2, 9.0, -1.0)
	f.Add(uint8(2), 14.0, 40.0, 1.0, 1.0, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 2, 9.0, -1.0)         // lognormal sigma 40: makeslice in hourKernels
	f.Add(uint8(2), 14.0, 30.0, 1.0, 1.0, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 2, 9.0, -1.0)         // sigma 30
	f.Add(uint8(2), 14.0, 75.0, 1.0, 1.0, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 2, 9.0, -1.0)         // sigma 75
	f.Add(uint8(2), 14.0, 1.0, 5e-324, 5e-324, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 2, 9.0, -1.0)    // weights all 5e-324: poisson(NaN) in pilotQueue
	f.Add(uint8(2), 14.0, 1.0, math.Inf(1), 1.0, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 2, 9.0, -1.0)  // one weight .inf
	f.Add(uint8(2), 14.0, 1.0, 1e308, 1e308, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 2, 9.0, -1.0)      // weights all 1e308: sortPending
	f.Add(uint8(2), 14.0, 1.0, 1.0, 1.0, uint8(2), 1e300, 5.0, 2000.0, 40.0, 6, 2, 9.0, -1.0)            // deal sizes overflowing to Inf
	f.Add(uint8(3), 40.0, 0.01, 1.0, 1.0, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 2, 9.0, 3.0)          // huge times into an active stage: activity.next
	f.Add(uint8(2), 36500.0, 10.0, 1.0, 1.0, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 2, 9.0, 36500.0)   // the same from old open leads
	f.Add(uint8(2), 14.0, 1.0, 1.0, 1.0, uint8(2), 22000.0, 0.7, 1e12, 40.0, 6, 2, 9.0, -1.0)            // rate 1e12
	f.Add(uint8(2), 14.0, 1.0, 1.0, 1.0, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 1000000000, 2, 9.0, -1.0) // headcount 1e9
	f.Add(uint8(2), 14.0, 1.0, 1.0, 1.0, uint8(2), 22000.0, 0.7, 2000.0, 40.0, 6, 1000000, 9.0, -1.0)    // max_recycles 1e6
	f.Fuzz(func(t *testing.T, delayForm uint8, d1, d2, w0, w float64, dealForm uint8, a1, a2, rate, disp float64, headcount, recycles int, handle, age float64) {
		m := fuzzModel(delayForm, d1, d2, w0, w, dealForm, a1, a2, rate, disp, headcount, recycles, handle, age)
		if m.Validate() != nil {
			return
		}
		cfg := Config{Quarters: 2, Horizon: 2, Seed: 1, Workers: 2}
		if CheckSize(cfg, m) != nil {
			return
		}
		const deadline = 3 * time.Second
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
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
				if !errors.Is(o.err, context.DeadlineExceeded) {
					t.Fatalf("Run: %v", o.err)
				}
				return
			}
			for i, v := range o.r.Revenue {
				if math.IsNaN(v) || math.IsInf(v, 0) {
					t.Fatalf("revenue[%d] = %v, want a finite amount", i, v)
				}
			}
		case <-time.After(deadline + time.Second):
			t.Fatalf("Run did not return within a second of its %v deadline", deadline)
		}
	})
}
