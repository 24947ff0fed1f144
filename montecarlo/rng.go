package montecarlo

import (
	"math"
	"math/rand/v2"
)

// stream is a SplitMix64 generator (Steele, Lea & Flood 2014): a 64-bit
// state advanced by a fixed odd increment and mixed on output. Every lead
// owns one, seeded by hashing (seed, quarter, source, block, lead), so a
// lead's draws do not depend on the worker that simulates it, nor on the
// other leads: the same lead sees the same numbers in every scenario that
// does not change it (common random numbers).
type stream struct{ s uint64 }

// Uint64 implements rand.Source.
func (g *stream) Uint64() uint64 {
	g.s += 0x9e3779b97f4a7c15
	return fmix(g.s)
}

// fmix is the 64-bit finaliser of MurmurHash3 with SplitMix64's constants.
func fmix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// key derives a stream state from a parent key and an index.
func key(parent, i uint64) uint64 { return fmix(parent ^ fmix(i+0x632be59bd9b4e019)) }

// Stream purposes, mixed into keys so that streams for different uses
// never coincide.
const (
	purposeArrivals = 1 + iota
	purposeLead
	purposeStartLead
	purposeStartOpp
	purposeParams
)

// poisson returns a Poisson(λ) variate. For λ < 10 it multiplies uniforms
// (Knuth); otherwise it uses Hörmann's PTRS transformed rejection (1993).
func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda < 10 {
		l := math.Exp(-lambda)
		k, p := 0, r.Float64()
		for p > l {
			k++
			p *= r.Float64()
		}
		return k
	}
	slam := math.Sqrt(lambda)
	loglam := math.Log(lambda)
	b := 0.931 + 2.53*slam
	a := -0.059 + 0.02483*b
	invalpha := 1.1239 + 1.1328/(b-3.4)
	vr := 0.9277 - 3.6224/(b-2)
	for {
		u := r.Float64() - 0.5
		v := r.Float64()
		us := 0.5 - math.Abs(u)
		k := math.Floor((2*a/us+b)*u + lambda + 0.43)
		if us >= 0.07 && v <= vr {
			return int(k)
		}
		if k < 0 || (us < 0.013 && v > us) {
			continue
		}
		lg, _ := math.Lgamma(k + 1)
		if math.Log(v)+math.Log(invalpha)-math.Log(a/(us*us)+b) <= -lambda+k*loglam-lg {
			return int(k)
		}
	}
}

// gamma returns a Gamma(shape α, scale 1) variate (Marsaglia & Tsang 2000;
// α < 1 by boosting with U^(1/α)).
func gamma(r *rand.Rand, alpha float64) float64 {
	if alpha < 1 {
		u := r.Float64()
		return gamma(r, 1+alpha) * math.Pow(u, 1/alpha)
	}
	d := alpha - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// float64 returns a uniform variate in [0,1) from g, as rand.Rand.Float64
// would from g, without the interface call.
func (g *stream) float64() float64 {
	return float64(g.Uint64()<<11>>11) / (1 << 53)
}
