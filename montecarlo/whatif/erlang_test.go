package whatif

import (
	"context"
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// erlangCExact returns Erlang C by its textbook formula in exact rational
// arithmetic, for an a given as num/den:
//
//	C = (a^c/c!)·(c/(c−a)) / (Σ_{k<c} a^k/k! + (a^c/c!)·(c/(c−a))).
func erlangCExact(c int, num, den int64) float64 {
	a := big.NewRat(num, den)
	term := big.NewRat(1, 1) // a^k/k!
	sum := new(big.Rat)
	for k := 0; k < c; k++ {
		sum.Add(sum, term)
		term.Mul(term, a)
		term.Quo(term, big.NewRat(int64(k+1), 1))
	}
	cr := big.NewRat(int64(c), 1)
	last := new(big.Rat).Mul(term, new(big.Rat).Quo(cr, new(big.Rat).Sub(cr, a)))
	f, _ := new(big.Rat).Quo(last, new(big.Rat).Add(sum, last)).Float64()
	return f
}

func TestErlangC(t *testing.T) {
	for _, tt := range []struct {
		name     string
		c        int
		num, den int64
		want     float64 // 0: compare with the exact rational formula only
	}{
		{"one server is rho", 1, 1, 2, 0.5},
		{"two servers one erlang", 2, 1, 1, 1.0 / 3},
		{"table 3 servers 2 erlangs", 3, 2, 1, 4.0 / 9},
		{"table 10 servers 8 erlangs", 10, 8, 1, 0},
		{"call centre 25 servers 20 erlangs", 25, 20, 1, 0},
		{"light load", 6, 153, 100, 0},
		{"heavy load", 50, 495, 10, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ErlangC(tt.c, float64(tt.num)/float64(tt.den))
			exact := erlangCExact(tt.c, tt.num, tt.den)
			if math.Abs(got-exact) > 1e-9 {
				t.Errorf("ErlangC(%d, %d/%d) = %.15g, exact %.15g", tt.c, tt.num, tt.den, got, exact)
			}
			if tt.want != 0 && math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("ErlangC(%d, %d/%d) = %.15g, want %.15g", tt.c, tt.num, tt.den, got, tt.want)
			}
		})
	}
	// Published table value (e.g. Cooper, Introduction to Queueing Theory):
	// 10 servers, 8 Erlangs: C = 0.409 to three places.
	if got := ErlangC(10, 8); math.Abs(got-0.4092) > 5e-5 {
		t.Errorf("ErlangC(10, 8) = %.6f, want 0.4092", got)
	}
	// The recursion stays finite where a^c/c! overflows.
	if got := ErlangC(2000, 1950); !(got > 0 && got < 1) {
		t.Errorf("ErlangC(2000, 1950) = %v, want a probability", got)
	}
	if ErlangC(3, 3) != 1 || !math.IsInf(ErlangMeanWait(3, 3.5, 1), 1) {
		t.Error("overloaded queue: want C = 1 and an infinite mean wait")
	}
	// Mean wait and wait distribution agree: E[W] = ∫ P(W > t) dt.
	c, a, s := 4, 3.0, 10.0
	integral, dt := 0.0, 0.01
	for x := dt / 2; x < 2000; x += dt {
		integral += (1 - ErlangWaitWithin(c, a, s, x)) * dt
	}
	if w := ErlangMeanWait(c, a, s); math.Abs(integral-w) > 1e-6 {
		t.Errorf("∫P(W>t)dt = %.9f, E[W] = %.9f", integral, w)
	}
	if q := ErlangWaitQuantile(c, a, s, 0.9); math.Abs(ErlangWaitWithin(c, a, s, q)-0.9) > 1e-12 {
		t.Errorf("P(W ≤ q90) = %v", ErlangWaitWithin(c, a, s, q))
	}
}

// mmcModel is an M/M/c queue in the engine's terms: Poisson arrivals
// straight into the handoff stage at a flat rate, SDRs around the clock,
// exponential handling times.
func mmcModel(t *testing.T, c int, lambdaPerHour, handleMinutes float64) *model.Model {
	t.Helper()
	y := `
name: mmc
currency: USD
time_zone: UTC
quarter_weeks: 13
quota: 0
max_recycles: 0
stages:
  - {name: mql, team: marketing}
  - {name: opportunity, team: sales, opportunity: true}
  - {name: won, team: sales, outcome: won}
  - {name: lost, team: sales, outcome: lost}
transitions:
  - {from: mql, to: opportunity, p: 0.5, delay_days: {dist: fixed, value: 0.1}}
  - {from: opportunity, to: won, p: 0.5, delay_days: {dist: fixed, value: 1}}
  - {from: opportunity, to: lost, p: 0.5, delay_days: {dist: fixed, value: 1}}
sources:
  - {name: inbound, entry: mql, rate_per_week: RATE, profile: {shape: flat}, deal_size: {dist: fixed, value: 1000}}
handoff:
  stage: mql
  contact: 1
  decay: {form: none}
  sdr: {headcount: HEADS, hours: {start: 0, end: 24}, handle_minutes: {dist: exponential, mean: HANDLE}}
`
	r := strings.NewReplacer("RATE", ftoa(lambdaPerHour*model.HoursPerWeek), "HEADS", ftoa(float64(c)), "HANDLE", ftoa(handleMinutes))
	m, err := model.Parse(strings.NewReader(r.Replace(y)))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func ftoa(v float64) string {
	return strings.TrimRight(strings.TrimRight(big.NewFloat(v).Text('f', 6), "0"), ".")
}

// TestQueueMatchesErlangC checks the engine's SDR queue against M/M/c
// theory where M/M/c holds: P(wait = 0) and P(wait ≤ 5 min) per quarter,
// and the mean wait, each within 4 standard errors between quarters.
func TestQueueMatchesErlangC(t *testing.T) {
	quarters := 60
	if testing.Short() {
		quarters = 24
	}
	for _, tt := range []struct {
		c      int
		lambda float64 // an hour
		handle float64 // minutes
	}{
		{4, 18, 10}, // a = 3, ρ = 0.75
		{2, 9, 10},  // a = 1.5, ρ = 0.75
	} {
		m := mmcModel(t, tt.c, tt.lambda, tt.handle)
		m, err := WithWaitSLAs(m, []float64{5}, false)
		if err != nil {
			t.Fatal(err)
		}
		res, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: quarters, Seed: 5})
		if err != nil {
			t.Fatal(err)
		}
		a := tt.lambda * tt.handle / 60
		check := func(what string, got montecarlo.Summary, want float64) {
			t.Helper()
			t.Logf("c=%d a=%g: %s = %.5f ± %.5f (SE), Erlang C %.5f", tt.c, a, what, got.Mean, got.SE, want)
			if d := math.Abs(float64(got.Mean) - want); d > 4*float64(got.SE) {
				t.Errorf("c=%d a=%g: %s = %.5f ± %.5f (SE), Erlang C gives %.5f (%.1f SE off)", tt.c, a, what, got.Mean, got.SE, want, d/float64(got.SE))
			}
		}
		check("P(no wait)", montecarlo.Summarize(SLACompliance(res, 0)), 1-ErlangC(tt.c, a))
		check("P(wait ≤ 5m)", montecarlo.Summarize(SLACompliance(res, 1)), ErlangWaitWithin(tt.c, a, tt.handle, 5))
		var means []float64
		for _, v := range res.RespSample {
			s := 0.0
			for _, x := range v {
				s += x
			}
			means = append(means, s/float64(len(v)))
		}
		check("mean wait (minutes)", montecarlo.Summarize(means), ErlangMeanWait(tt.c, a, tt.handle))
	}
}
