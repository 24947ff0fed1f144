package backtest

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestCRPSClosedForms(t *testing.T) {
	for _, tt := range []struct {
		name string
		x    []float64
		y    float64
		want float64
	}{
		{"point mass at y", []float64{5, 5, 5}, 5, 0},
		{"point mass below y", []float64{2, 2}, 5, 3},
		{"one draw", []float64{7}, 4, 3},
		// E|X−y| = 0.5, ½E|X−X'| = 0.25.
		{"two points, y between", []float64{1, 0}, 0.5, 0.25},
		// F = ¼ on [0,1), ¾ on [1,2), 1 on [2,3), and y = 3:
		// ∫₀¹ (¼)² + ∫₁² (¾)² + ∫₂³ 1² = 1/16 + 9/16 + 1.
		{"step function", []float64{0, 1, 1, 2}, 3, 1.0/16 + 9.0/16 + 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := CRPS(tt.x, tt.y); math.Abs(got-tt.want) > 1e-12 {
				t.Errorf("CRPS(%v, %v) = %v, want %v", tt.x, tt.y, got, tt.want)
			}
		})
	}
	if got, want := CRPSNormal(0, 1, 0), 2*distuv.UnitNormal.Prob(0)-1/math.Sqrt(math.Pi); math.Abs(got-want) > 1e-15 {
		t.Errorf("CRPSNormal(0,1,0) = %v, want %v", got, want)
	}
	if got := CRPSNormal(3, 0, 1); got != 2 {
		t.Errorf("CRPSNormal with sigma 0 = %v, want 2", got)
	}
}

// TestCRPSNormalSample: the CRPS of a normal sample is the closed form
// within Monte Carlo error, over several seeds and outcomes.
func TestCRPSNormalSample(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 4000
	}
	const mu, sigma = 10.0, 2.0
	for seed := range uint64(3) {
		r := rand.New(rand.NewPCG(seed, 1))
		x := make([]float64, n)
		for i := range x {
			x[i] = mu + sigma*r.NormFloat64()
		}
		for _, y := range []float64{4, 9, 10, 13.5} {
			got, want := CRPS(x, y), CRPSNormal(mu, sigma, y)
			// The estimator's sd is below σ/√n (|X−y| and |X−X'| have sd
			// below σ·√2 and enter with weights 1 and ½): 4 of them.
			if tol := 4 * sigma * math.Sqrt(2) / math.Sqrt(float64(n)); math.Abs(got-want) > tol {
				t.Errorf("seed %d, y %v: CRPS %v, closed form %v (tolerance %.3g)", seed, y, got, want, tol)
			}
		}
	}
}

func TestPIT(t *testing.T) {
	x := []float64{1, 2, 2, 3}
	for _, tt := range []struct {
		y, want float64
	}{{0, 0}, {1, 0.125}, {2, 0.5}, {2.5, 0.75}, {9, 1}} {
		if got := PIT(x, tt.y); got != tt.want {
			t.Errorf("PIT(%v) = %v, want %v", tt.y, got, tt.want)
		}
	}
}

// TestBinomialBand checks the band against the binomial tails directly.
func TestBinomialBand(t *testing.T) {
	for _, tt := range []struct {
		n        int
		p, level float64
		lo, hi   int
	}{
		{6, 0.8, 0.95, 3, 6},
		{6, 0.5, 0.95, 1, 5},
		{100, 0.8, 0.95, 72, 88},
		{0, 0.8, 0.95, 0, 0},
	} {
		lo, hi := BinomialBand(tt.n, tt.p, tt.level)
		if lo != tt.lo || hi != tt.hi {
			t.Errorf("BinomialBand(%d, %v, %v) = %d, %d, want %d, %d", tt.n, tt.p, tt.level, lo, hi, tt.lo, tt.hi)
		}
		if tt.n == 0 {
			continue
		}
		b := distuv.Binomial{N: float64(tt.n), P: tt.p}
		tail := (1 - tt.level) / 2
		if below := b.CDF(float64(lo) - 1); lo > 0 && below > tail {
			t.Errorf("n %d: P(X < %d) = %v > %v", tt.n, lo, below, tail)
		}
		if above := 1 - b.CDF(float64(hi)); above > tail+1e-12 {
			t.Errorf("n %d: P(X > %d) = %v > %v", tt.n, hi, above, tail)
		}
	}
}
