package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestStreamMatchesRand checks that the stream's own variate methods return
// exactly what rand.Rand's return from the same stream, call for call,
// including the ziggurats' rare tail and wedge paths and IntN's rejections.
func TestStreamMatchesRand(t *testing.T) {
	n := size(2_000_000, 200_000)
	for seed := range uint64(3) {
		var a, b stream
		a.s, b.s = key(seed, 1), key(seed, 1)
		r := rand.New(&b)
		for i := range n {
			var got, want float64
			switch k := i % 7; k {
			case 0, 1:
				got, want = a.normFloat64(), r.NormFloat64()
			case 2, 3:
				got, want = a.expFloat64(), r.ExpFloat64()
			case 4:
				got, want = a.float64(), r.Float64()
			case 5:
				m := 1 + i%1000
				got, want = float64(a.intN(m)), float64(r.IntN(m))
			case 6:
				m := (1<<62)/(1+i%5) + 1<<61 // large n: rejections are frequent
				got, want = float64(a.intN(m)), float64(r.IntN(m))
			}
			if math.Float64bits(got) != math.Float64bits(want) || a.s != b.s {
				t.Fatalf("seed %d draw %d: stream %v, rand.Rand %v", seed, i, got, want)
			}
		}
	}
}

// TestSampleMatchesDraw checks that sampler.sample and aliasTable.sample
// return what draw returns from the same stream.
func TestSampleMatchesDraw(t *testing.T) {
	for _, d := range []model.Dist{
		{Form: model.Fixed, Value: 2},
		{Form: model.Exponential, Mean: 3},
		{Form: model.LogNormal, Median: 55, Sigma: 0.6},
		{Form: model.Weibull, Shape: 1.7, Scale: 4},
		{Form: model.Gamma, Shape: 2.5, Mean: 7},
		{Form: model.Gamma, Shape: 0.6, Mean: 7},
		{Form: model.Empirical, Values: []float64{1, 2, 5, 7, 11}},
	} {
		t.Run(d.Form.String(), func(t *testing.T) {
			s := newSampler(d, 24)
			var a, b stream
			a.s, b.s = 42, 42
			ra, rb := rand.New(&a), rand.New(&b)
			for i := range 100000 {
				got, want := s.sample(&a, ra), s.draw(rb)
				if math.Float64bits(got) != math.Float64bits(want) || a.s != b.s {
					t.Fatalf("draw %d: sample %v, draw %v", i, got, want)
				}
			}
		})
	}
	w := []float64{0, 1, 3, 0.5, 2, 0, 7}
	at := newAlias(w)
	var a, b stream
	a.s, b.s = 7, 7
	rb := rand.New(&b)
	for i := range 100000 {
		if got, want := at.sample(&a), at.draw(rb); got != want || a.s != b.s {
			t.Fatalf("alias draw %d: sample %v, draw %v", i, got, want)
		}
	}
}
