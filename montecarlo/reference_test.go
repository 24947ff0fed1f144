package montecarlo

import (
	"math"
	"math/rand/v2"

	"github.com/funnelsim/funnel/model"
)

// draw is the reference sampler, through math/rand/v2: sampler.sample
// must give the same values from the same stream (TestSampleMatchesDraw).
func (s *sampler) draw(r *rand.Rand) float64 {
	switch s.form {
	case model.Fixed:
		return s.a
	case model.Exponential:
		return s.a * r.ExpFloat64()
	case model.LogNormal:
		return exp(s.a + s.b*r.NormFloat64())
	case model.Weibull:
		return s.a * math.Pow(r.ExpFloat64(), s.b)
	case model.Gamma:
		return s.b * gamma(r, s.a)
	default:
		return s.values[r.IntN(len(s.values))]
	}
}

// draw is the reference alias sampler through math/rand/v2.
func (t *aliasTable) draw(r *rand.Rand) int {
	i := r.IntN(len(t.prob))
	if r.Float64() < t.prob[i] {
		return i
	}
	return t.alias[i]
}
