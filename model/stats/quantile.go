package stats

import (
	"fmt"
	"math"
)

// Quantile returns the p-quantile of sorted, which must be in ascending
// order (as slices.Sort leaves it), by linear interpolation between order
// statistics (Hyndman and Fan's type 7, the default of R and NumPy): with
// n = len(sorted), h = (n−1)·p and i = ⌊h⌋,
//
//	Q(p) = x[i] + (h − i)·(x[i+1] − x[i])
//
// so the median of an even sample is the mean of its middle values.
//
// Infinite values are order statistics like the others: when h is a whole
// number the result is x[h] itself, and between a finite value and an
// infinite one the interpolation is the infinite one. On
// [1, 2, 3, 4, 5, +Inf], Quantile(0.8) is 5 and Quantile(0.9) is +Inf.
//
// It returns NaN for an empty sorted. sorted must not hold NaN: drop
// missing values first (slices.Sort puts NaN first, and the result is then
// not meaningful). It panics if p is outside [0,1].
func Quantile(p float64, sorted []float64) float64 {
	i, f := position("Quantile", p, len(sorted))
	switch {
	case i < 0:
		return math.NaN()
	case i >= len(sorted)-1:
		return sorted[len(sorted)-1]
	}
	return interpolate(sorted[i], sorted[i+1], f)
}

// QuantileSelect returns Quantile(p, x sorted) without sorting x: it
// reorders x by Hoare's selection (Select), in expected linear time, and
// finds the next order statistic as the minimum of the upper part. The
// result is the same, bit for bit, as Quantile's on sorted x. It returns
// NaN for an empty x. x must not hold NaN. It panics if p is outside
// [0,1].
func QuantileSelect(p float64, x []float64) float64 {
	i, f := position("QuantileSelect", p, len(x))
	if i < 0 {
		return math.NaN()
	}
	a := Select(x, i)
	if i+1 >= len(x) || f == 0 {
		return a
	}
	b := math.Inf(1)
	for _, v := range x[i+1:] {
		b = min(b, v)
	}
	return interpolate(a, b, f)
}

// interpolate returns lo + f·(hi − lo) for lo ≤ hi and f in [0,1): lo
// itself when f is 0 or lo = hi, and the infinite end when one is
// infinite (where the formula would give NaN).
func interpolate(lo, hi, f float64) float64 {
	switch {
	case f == 0 || lo == hi:
		return lo
	case math.IsInf(lo, -1):
		return lo
	case math.IsInf(hi, 1):
		return hi
	}
	return lo + f*(hi-lo)
}

// Select reorders x so that x[k] is its k-th smallest element (from 0),
// with smaller or equal elements before it and larger or equal ones after,
// and returns x[k]. It takes expected linear time (Hoare's selection with
// a median-of-three pivot). x must not hold NaN. It panics if k is outside
// [0, len(x)).
func Select(x []float64, k int) float64 {
	if k < 0 || k >= len(x) {
		panic(fmt.Sprintf("stats: Select: index %d out of range [0, %d)", k, len(x)))
	}
	lo, hi := 0, len(x)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if x[mid] < x[lo] {
			x[mid], x[lo] = x[lo], x[mid]
		}
		if x[hi] < x[lo] {
			x[hi], x[lo] = x[lo], x[hi]
		}
		if x[hi] < x[mid] {
			x[hi], x[mid] = x[mid], x[hi]
		}
		pivot := x[mid]
		i, j := lo, hi
		for i <= j {
			for x[i] < pivot {
				i++
			}
			for x[j] > pivot {
				j--
			}
			if i <= j {
				x[i], x[j] = x[j], x[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return x[k]
		}
	}
	return x[k]
}

// position returns the order statistic i = ⌊h⌋ and the fraction f = h − i
// of the type-7 p-quantile of n values, h = (n−1)·p; i is −1 when n is 0.
// It panics, naming fn, if p is outside [0,1].
func position(fn string, p float64, n int) (i int, f float64) {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("stats: %s: probability %v outside [0,1]", fn, p))
	}
	if n == 0 {
		return -1, 0
	}
	h := p * float64(n-1)
	i = int(h)
	return i, h - float64(i)
}
