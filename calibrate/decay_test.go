package calibrate

import (
	"math"
	"math/rand/v2"
	"testing"
)

// simulateDecay draws n response times log-uniform on [0.5 min, 3 days] and
// contacts with probability c0·m(t) of the true curve.
func simulateDecay(r *rand.Rand, n int, truth DecayFit) ([]float64, []bool) {
	t := make([]float64, n)
	y := make([]bool, n)
	lo, hi := math.Log(0.5), math.Log(3*24*60)
	for i := range t {
		t[i] = math.Exp(lo + (hi-lo)*r.Float64())
		y[i] = r.Float64() < truth.P(t[i])
	}
	return t, y
}

func TestOddsRatioHand(t *testing.T) {
	// DOMAIN.md's curve: t50 = 4 min, k = 2, f = 3e-4, with c0 = 0.5.
	fit := DecayFit{Form: Hill, Params: []float64{0.5, 4, 2, 3e-4}}
	p := func(t float64) float64 { return 0.5 * (3e-4 + (1-3e-4)/(1+(t/4)*(t/4))) }
	odds := func(q float64) float64 { return q / (1 - q) }
	tests := []struct {
		name   string
		t1, t2 float64
	}{
		{"5 vs 30 min", 5, 30},
		{"30 vs 90 min", 30, 90},
		{"30 min vs 24 h", 30, 1440},
		{"0 vs 5 min", 0, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := odds(p(tt.t1)) / odds(p(tt.t2))
			if got := OddsRatio(fit, tt.t1, tt.t2); !close12(got, want) {
				t.Errorf("OddsRatio=%.17g want %.17g", got, want)
			}
		})
	}
	// With these parameters the odds of contact at 5 min are large
	// compared with 30 min: P(5) = 0.195213, P(30) = 0.0088810, OR = 27.07.
	if or := OddsRatio(fit, 5, 30); math.Abs(or-27.07) > 0.005 {
		t.Errorf("OR(5,30)=%v, hand value 27.07", or)
	}
	e := DecayFit{Form: ExpFloor, Params: []float64{0.6, 30, 0.05}}
	pe := func(t float64) float64 { return 0.6 * (0.05 + 0.95*math.Exp(-t/30)) }
	if got, want := OddsRatio(e, 5, 60), odds(pe(5))/odds(pe(60)); !close12(got, want) {
		t.Errorf("exp OddsRatio=%v want %v", got, want)
	}
}

// TestFitDecayHillRecovery fits a Hill truth (c0 = 0.6, t50 = 4 min, k = 2,
// f = 0.02) from 20,000 leads and checks every parameter within 4 standard
// errors on the optimisation scale, and that AIC prefers Hill.
func TestFitDecayHillRecovery(t *testing.T) {
	truth := DecayFit{Form: Hill, Params: []float64{0.6, 4, 2, 0.02}}
	wantEta := []float64{logit(0.6), math.Log(4), math.Log(2), logit(0.02)}
	seeds := []uint64{41, 42}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 4))
		tm, y := simulateDecay(r, 20000, truth)
		best, all, err := FitBestDecay(tm, y)
		if err != nil {
			t.Fatal(err)
		}
		if best.Form != Hill {
			t.Errorf("seed %d: AIC picked %v (exp %.1f, hill %.1f)", seed, best.Form, all[0].AIC, all[1].AIC)
		}
		h := all[1]
		for i, p := range h.Params {
			var eta float64
			if i == 0 || i == 3 {
				eta = logit(p)
			} else {
				eta = math.Log(p)
			}
			if !(math.Abs(eta-wantEta[i]) <= 4*h.EtaSE[i]) {
				t.Errorf("seed %d param %d: %.4g [%.4g, %.4g], truth %v", seed, i, p, h.Lower[i], h.Upper[i], truth.Params[i])
			}
			if !(h.Lower[i] < p && p < h.Upper[i]) {
				t.Errorf("seed %d param %d: interval [%v,%v] misses estimate %v", seed, i, h.Lower[i], h.Upper[i], p)
			}
		}
		if h.N != 20000 || h.Contacted == 0 {
			t.Errorf("N=%d Contacted=%d", h.N, h.Contacted)
		}
	}
}

// TestFitDecayExpTruth: with an exponential-to-floor truth, AIC prefers the
// exponential or is within 2 of the Hill fit.
func TestFitDecayExpTruth(t *testing.T) {
	truth := DecayFit{Form: ExpFloor, Params: []float64{0.6, 30, 0.05}}
	r := rand.New(rand.NewPCG(43, 4))
	tm, y := simulateDecay(r, 20000, truth)
	_, all, err := FitBestDecay(tm, y)
	if err != nil {
		t.Fatal(err)
	}
	if all[0].AIC > all[1].AIC+2 {
		t.Errorf("exp AIC %.2f vs hill %.2f", all[0].AIC, all[1].AIC)
	}
	want := []float64{logit(0.6), math.Log(30), logit(0.05)}
	for i, p := range all[0].Params {
		eta := math.Log(p)
		if i != 1 {
			eta = logit(p)
		}
		if !(math.Abs(eta-want[i]) <= 4*all[0].EtaSE[i]) {
			t.Errorf("param %d: %.4g, truth %v", i, p, truth.Params[i])
		}
	}
}

func TestFitDecayErrors(t *testing.T) {
	tests := []struct {
		name string
		t    []float64
		y    []bool
		want string
	}{
		{"length mismatch", []float64{1, 2}, []bool{true}, "calibrate: FitDecay: 2 times but 1 outcomes"},
		{"too few", []float64{1, 2}, []bool{true, false}, "calibrate: FitDecay: 2 observations, need at least 8"},
		{"all equal", make([]float64, 8), make([]bool, 8), "calibrate: FitDecay: outcomes are all equal; the curve is not identified"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FitDecay(tt.t, tt.y, Hill)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err=%v want %q", err, tt.want)
			}
		})
	}
}

// TestBootstrapDecay checks that percentile intervals from a small seeded
// bootstrap bracket the estimate and have widths comparable to the Wald
// intervals (within a factor of 3), on an exponential fit of 3,000 leads.
func TestBootstrapDecay(t *testing.T) {
	truth := DecayFit{Form: ExpFloor, Params: []float64{0.6, 30, 0.05}}
	r := rand.New(rand.NewPCG(44, 4))
	tm, y := simulateDecay(r, 3000, truth)
	fit, err := FitDecay(tm, y, ExpFloor)
	if err != nil {
		t.Fatal(err)
	}
	reps := 40
	if testing.Short() {
		reps = 15
	}
	lo, hi := BootstrapDecay(fit, tm, rand.New(rand.NewPCG(45, 0)), reps)
	for i, p := range fit.Params {
		if !(lo[i] < p && p < hi[i]) {
			t.Errorf("param %d: bootstrap [%v,%v] misses %v", i, lo[i], hi[i], p)
		}
		wb, ww := hi[i]-lo[i], fit.Upper[i]-fit.Lower[i]
		if wb > 3*ww || ww > 3*wb {
			t.Errorf("param %d: bootstrap width %v vs Wald %v", i, wb, ww)
		}
	}
}
