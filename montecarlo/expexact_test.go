package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expRound is exp as first written, with k = math.Round(x·N/ln2): exp
// must return exactly its values, which the engine's results rest on.
func expRound(x float64) float64 {
	if !(x > -700 && x < 700) {
		return math.Exp(x)
	}
	k := math.Round(x * invLn2N)
	r := (x - k*ln2HiN) - k*ln2LoN
	ki := int64(k)
	j := ki & (expN - 1)
	e := ki >> expTableBits
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120)))))
	scale := math.Float64frombits(uint64(e+1023) << 52)
	return exp2Table[j] * p * scale
}

// TestExpBitExact checks exp against expRound bit for bit: at random
// points, near zero, at the range ends, and at the x whose x·N/ln2 is an
// exact half, where rounding ties differ.
func TestExpBitExact(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	check := func(x float64) {
		t.Helper()
		if got, want := exp(x), expRound(x); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
			t.Fatalf("exp(%v) = %v, want %v", x, got, want)
		}
	}
	for range 2_000_000 {
		check(r.Float64()*1400 - 700)
		check(r.NormFloat64() * 3)
		check(r.NormFloat64() * 1e-3)
	}
	ties := 0
	for n := -130000; n < 130000; n += 1 + r.IntN(50) {
		h := float64(n) + 0.5
		x := h / invLn2N
		for range 8 {
			if x*invLn2N == h {
				ties++
			}
			check(x)
			x = math.Nextafter(x, math.Inf(1))
		}
		check(-x)
	}
	if ties == 0 {
		t.Error("no exact ties tried")
	}
	for _, x := range []float64{0, math.Copysign(0, -1), 1e-300, -1e-300, 0.5 / invLn2N, -0.5 / invLn2N,
		699.999, -699.999, 700, -700, math.Inf(1), math.Inf(-1), math.NaN()} {
		check(x)
	}
}
