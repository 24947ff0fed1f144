package model

import (
	"math"
	"testing"
)

func TestDecayAt(t *testing.T) {
	for _, tt := range []struct {
		name string
		d    Decay
		t    float64
		want float64
	}{
		{"none", Decay{Form: NoDecay}, 1e6, 1},
		{"exp-t0", Decay{Form: ExpFloor, Floor: 0.1, Tau: 10}, 0, 1},
		{"exp-negative-t", Decay{Form: ExpFloor, Floor: 0.1, Tau: 10}, -5, 1},
		{"exp-tau", Decay{Form: ExpFloor, Floor: 0.1, Tau: 10}, 10, 0.1 + 0.9/math.E},
		{"exp-inf", Decay{Form: ExpFloor, Floor: 0.1, Tau: 10}, math.Inf(1), 0.1},
		{"hill-t0", Decay{Form: Hill, Floor: 0.08, T50: 15, K: 1.5}, 0, 1},
		// At t50 the non-floor part is halved.
		{"hill-t50", Decay{Form: Hill, Floor: 0.08, T50: 15, K: 1.5}, 15, 0.08 + 0.92/2},
		{"hill-2t50", Decay{Form: Hill, Floor: 0, T50: 4, K: 2}, 8, 1.0 / 5},
		{"hill-inf", Decay{Form: Hill, Floor: 0.08, T50: 15, K: 1.5}, math.Inf(1), 0.08},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.d.At(tt.t); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("At(%v) = %.17g, want %.17g", tt.t, got, tt.want)
			}
		})
	}
}

func TestDecayOddsRatio(t *testing.T) {
	odds := func(p float64) float64 { return p / (1 - p) }
	for _, tt := range []struct {
		name   string
		d      Decay
		c0     float64
		t1, t2 float64
		m1, m2 float64 // m(t1), m(t2) by hand
	}{
		{"hill", Decay{Form: Hill, Floor: 3e-4, T50: 4, K: 2}, 0.5, 5, 30,
			3e-4 + (1-3e-4)/(1+25.0/16), 3e-4 + (1-3e-4)/(1+900.0/16)},
		{"exp", Decay{Form: ExpFloor, Floor: 0.05, Tau: 20}, 0.85, 0, 60,
			1, 0.05 + 0.95*math.Exp(-3)},
		{"none", Decay{Form: NoDecay}, 0.3, 0, 1000, 1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want := odds(tt.c0*tt.m1) / odds(tt.c0*tt.m2)
			if got := tt.d.OddsRatio(tt.c0, tt.t1, tt.t2); math.Abs(got-want) > 1e-12*want {
				t.Errorf("OddsRatio(%v, %v, %v) = %.17g, want %.17g", tt.c0, tt.t1, tt.t2, got, want)
			}
		})
	}
}

// TestDecayPublishedRatios documents the single-call studies' Hill fit
// (t50 = 4 min, k = 2, floor = 3e-4): contact at 5 minutes is about 22
// times contact at 30 minutes, which in turn is about 58 times contact at
// 24 hours. No exponential decay to zero can show both: the exponential
// matching the first ratio, τ = 25/ln 22 ≈ 8.1 min, predicts a 30-min vs
// 24-h ratio of e^(1410/τ) ≈ 10^75, because for m(t) = e^(-t/τ) the second
// ratio is always the first raised to the power 1410/25 = 56.4.
func TestDecayPublishedRatios(t *testing.T) {
	const f = 3e-4
	hill := Decay{Form: Hill, Floor: f, T50: 4, K: 2}
	m5 := f + (1-f)/(1+math.Pow(5.0/4, 2))      // 0.390427...
	m30 := f + (1-f)/(1+math.Pow(30.0/4, 2))    // 0.017762...
	m24h := f + (1-f)/(1+math.Pow(1440.0/4, 2)) // 0.000307714...
	for _, c := range []struct {
		t, want float64
	}{{5, m5}, {30, m30}, {1440, m24h}} {
		if got := hill.At(c.t); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("At(%v) = %.17g, want %.17g", c.t, got, c.want)
		}
	}
	r1, r2 := hill.At(5)/hill.At(30), hill.At(30)/hill.At(1440)
	t.Logf("Hill: m(5)/m(30) = %.2f, m(30)/m(24h) = %.2f", r1, r2)
	if math.Abs(r1-21.98) > 0.01 || math.Abs(r2-57.72) > 0.01 {
		t.Errorf("Hill ratios %.4f, %.4f; want ≈21.98 and ≈57.72", r1, r2)
	}

	// The exponential (floor 0) fitted to the first ratio.
	tau := 25 / math.Log(r1)
	exp := Decay{Form: ExpFloor, Tau: tau}
	e1 := exp.At(5) / exp.At(30)
	if math.Abs(e1-r1) > 1e-9*r1 {
		t.Fatalf("fitted exponential: m(5)/m(30) = %v, want %v", e1, r1)
	}
	// m(1440) underflows nowhere near: e^(-1440/8.09) ≈ 1e-77.
	e2 := exp.At(30) / exp.At(1440)
	t.Logf("exponential τ = %.3f min: m(5)/m(30) = %.2f, m(30)/m(24h) = %.3g", tau, e1, e2)
	if !(e2 > 1e70) {
		t.Errorf("exponential fitted to the 5-vs-30 ratio gives m(30)/m(24h) = %.3g, want astronomically large (> 1e70)", e2)
	}
	// Conversely, an exponential giving the 60x second ratio gives almost
	// no difference between 5 and 30 minutes.
	tau2 := 1410 / math.Log(r2)
	exp2 := Decay{Form: ExpFloor, Tau: tau2}
	if e1 := exp2.At(5) / exp2.At(30); !(e1 < 1.1) {
		t.Errorf("exponential fitted to the 30-vs-24h ratio gives m(5)/m(30) = %v, want < 1.1", e1)
	}
}
