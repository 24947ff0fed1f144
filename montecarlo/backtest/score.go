package backtest

import (
	"math"
	"slices"

	"github.com/funnelsim/funnel/model/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

// CRPS returns the continuous ranked probability score of the forecast
// whose sample is x for the outcome y,
//
//	CRPS(F, y) = ∫ (F(z) − 1{y ≤ z})² dz = E|X − y| − ½·E|X − X'|,
//
// with F the empirical distribution of x: for x sorted,
//
//	CRPS = (1/n) Σ_i |x_i − y| − (1/n²) Σ_i (2i − n − 1)·x_i,   i = 1..n.
//
// It is in the unit of y (currency for revenue), 0 for a point mass at y,
// and |x − y| for a point forecast x. Against the distribution x was drawn
// from it is biased up by E|X − X'|/(2n), negligible for thousands of
// draws. x is not modified. CRPS panics if x is empty.
func CRPS(x []float64, y float64) float64 {
	if len(x) == 0 {
		panic("backtest: CRPS of an empty sample")
	}
	s := slices.Clone(x)
	slices.Sort(s)
	return crpsSorted(s, y)
}

func crpsSorted(s []float64, y float64) float64 {
	n := float64(len(s))
	var abs, spread float64
	for i, v := range s {
		abs += math.Abs(v - y)
		spread += (2*float64(i+1) - n - 1) * v
	}
	return abs/n - spread/(n*n)
}

// CRPSNormal returns the CRPS of the normal distribution N(mu, sigma²) for
// the outcome y (Gneiting and Raftery, 2007),
//
//	σ·[z(2Φ(z) − 1) + 2φ(z) − 1/√π],  z = (y − μ)/σ,
//
// and |y − mu| when sigma is 0. It panics if sigma < 0.
func CRPSNormal(mu, sigma, y float64) float64 {
	if sigma < 0 {
		panic("backtest: CRPSNormal with negative sigma")
	}
	if sigma == 0 {
		return math.Abs(y - mu)
	}
	z := (y - mu) / sigma
	n := distuv.UnitNormal
	return sigma * (z*(2*n.CDF(z)-1) + 2*n.Prob(z) - 1/math.Sqrt(math.Pi))
}

// PIT returns the probability integral transform of y under the sample x,
// the share of x below y with ties counted half:
//
//	PIT = (#{x_i < y} + ½·#{x_i = y}) / n,
//
// in [0,1]. Over many origins a calibrated forecast gives PITs spread
// uniformly; PITs near 1 mean outcomes above the forecast. It panics if x
// is empty.
func PIT(x []float64, y float64) float64 {
	if len(x) == 0 {
		panic("backtest: PIT of an empty sample")
	}
	below, tie := 0, 0
	for _, v := range x {
		switch {
		case v < y:
			below++
		case v == y:
			tie++
		}
	}
	return (float64(below) + 0.5*float64(tie)) / float64(len(x))
}

// quantile returns the type-7 p-quantile of sorted s (stats.Quantile);
// NaN when s is empty.
func quantile(s []float64, p float64) float64 { return stats.Quantile(p, s) }

// BinomialBand returns the central range [lo, hi] of the number of
// successes in n trials of probability p holding at least level of the
// binomial mass: lo is the largest k with P(X < k) ≤ (1−level)/2 and hi the
// smallest k with P(X > k) ≤ (1−level)/2. An interval forecast of nominal
// coverage p covering the outcome at k of n independent origins is
// consistent with p at that level when lo ≤ k ≤ hi. It panics for n < 0, p
// outside [0,1] or level outside (0,1).
func BinomialBand(n int, p, level float64) (lo, hi int) {
	if n < 0 || !(p >= 0 && p <= 1) || !(level > 0 && level < 1) {
		panic("backtest: BinomialBand arguments out of range")
	}
	if n == 0 {
		return 0, 0
	}
	b := distuv.Binomial{N: float64(n), P: p}
	tail := (1 - level) / 2
	for lo = 0; lo < n && b.CDF(float64(lo)) <= tail; lo++ {
	}
	for hi = n; hi > 0 && 1-b.CDF(float64(hi-1)) <= tail; hi-- {
	}
	return lo, hi
}
