package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// ClopperPearson returns the exact (Clopper–Pearson) two-sided confidence
// interval of level in (0,1) for a binomial probability from k successes
// in n trials:
//
//	lo = B⁻¹(α/2; k, n−k+1),  hi = B⁻¹(1−α/2; k+1, n−k),  α = 1 − level,
//
// B⁻¹(q; a, b) the q-quantile of the Beta(a, b) distribution, so that each
// bound is a one-sided bound of level 1 − α/2. At the ends the interval has
// a closed form, which it uses: lo = 0 and hi = 1 − (α/2)^(1/n) when k = 0;
// lo = (α/2)^(1/n) and hi = 1 when k = n (there the binomial standard
// error √(p(1−p)/n) is 0).
//
// With no trials (n = 0) nothing is known and it returns NaN, NaN. It
// panics if k is outside [0, n] or level outside (0,1).
func ClopperPearson(k, n int, level float64) (lo, hi float64) {
	if k < 0 || k > n || !(level > 0 && level < 1) {
		panic(fmt.Sprintf("stats: ClopperPearson(%d, %d, %v): want 0 ≤ k ≤ n and a level in (0,1)", k, n, level))
	}
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	half := (1 - level) / 2
	end := math.Pow(half, 1/float64(n))
	switch {
	case k == 0:
		lo, hi = 0, 1-end
	case k == n:
		lo, hi = end, 1
	default:
		lo = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(half)
		hi = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(1 - half)
	}
	return lo, hi
}
