package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestExp(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	worst := 0.0
	check := func(x float64) {
		got, want := exp(x), math.Exp(x)
		if d := math.Abs(got-want) / want; d > worst {
			worst = d
		}
	}
	for range 1_000_000 {
		check(r.Float64()*1400 - 700)
		check(r.NormFloat64() * 3)
	}
	for _, x := range []float64{0, 1, -1, 1e-300, -1e-300, math.Ln2, 699.99, -699.99, 0.5 / invLn2N, -0.5 / invLn2N} {
		check(x)
	}
	// 3 ulp = 3·2^-52 ≈ 6.7e-16 relative.
	if worst > 3*0x1p-52 {
		t.Errorf("exp: worst relative error %.3g, want ≤ 3 ulp (%.3g)", worst, 3*0x1p-52)
	}
	for _, x := range []float64{700, -700, 710, -746, math.Inf(1), math.Inf(-1)} {
		if got, want := exp(x), math.Exp(x); got != want {
			t.Errorf("exp(%v) = %v, want %v", x, got, want)
		}
	}
	if !math.IsNaN(exp(math.NaN())) {
		t.Error("exp(NaN) is not NaN")
	}
}

func BenchmarkExp(b *testing.B) {
	x, s := 0.1, 0.0
	for range b.N {
		s += exp(x)
		x += 1e-9
	}
	sink = s
}

func BenchmarkMathExp(b *testing.B) {
	x, s := 0.1, 0.0
	for range b.N {
		s += math.Exp(x)
		x += 1e-9
	}
	sink = s
}

var sink float64
