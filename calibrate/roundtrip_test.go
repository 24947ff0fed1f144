package calibrate_test

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// roundTrip calibrates a model on quarters of truth's export (seed) and
// compares the mean revenue of the next quarter forecast by truth and by
// the calibrated model, both from the start state the calibration read
// off the export, over n simulated quarters each. It returns the
// difference in standard errors.
//
// Two things make a naive comparison unfair. First, the export's history
// starts from an empty funnel, so its open pipeline is not truth's steady
// state: truth is therefore forecast from the calibrated start state too
// (copied into a clone), not from its own warm-up. Second, the calibrated
// parameters are estimates from one history (the sources' quarterly rate
// multipliers alone move a four-quarter rate by several per cent): their
// error moves the forecast mean by far more than Monte Carlo noise. Its
// variance is the extra variance of a forecast that draws the parameters
// from their posteriors (montecarlo.Config.DrawParams) over one that does
// not, Var(E[rev|θ]) = Var_draw − Var_fixed, and it enters the standard
// error of the difference beside the two Monte Carlo variances.
func roundTrip(t *testing.T, truth *model.Model, seed uint64, quarters, n int) float64 {
	t.Helper()
	ctx := context.Background()
	e, err := synth.Generate(ctx, truth, synth.Config{Quarters: quarters, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	r, err := calibrate.Calibrate(e, calibrate.Config{Base: truth})
	if err != nil {
		t.Fatal(err)
	}
	truthStart := truth.Clone()
	truthStart.Start = r.Model.Start
	stats := func(m *model.Model, seed uint64, draw bool) (mean, v float64) {
		res, err := montecarlo.Run(ctx, m, montecarlo.Config{Quarters: n, Seed: seed, DrawParams: draw})
		if err != nil {
			t.Fatal(err)
		}
		var s, s2 float64
		for _, x := range res.Revenue {
			s += x
			s2 += x * x
		}
		mean = s / float64(n)
		return mean, (s2/float64(n) - mean*mean) * float64(n) / float64(n-1)
	}
	m1, v1 := stats(truthStart, 2*seed, false)
	m2, v2 := stats(r.Model, 2*seed+1, false)
	_, v3 := stats(r.Model, 2*seed+1, true)
	vθ := max(v3-v2, 0)
	se := math.Sqrt(v1/float64(n) + v2/float64(n) + vθ)
	z := (m2 - m1) / se
	t.Logf("seed %d: mean revenue from the calibrated start state: true model %.4g ± %.2g, calibrated %.4g ± %.2g (Monte Carlo SE, n=%d), parameter SE %.2g: z = %+.2f",
		seed, m1, math.Sqrt(v1/float64(n)), m2, math.Sqrt(v2/float64(n)), n, math.Sqrt(vθ), z)
	return z
}

// TestRoundTrip calibrates a tenth-size default model from four quarters
// of its own export, for several seeds, and checks that the calibrated
// forecast of the next quarter's mean revenue agrees with the true
// model's, both from the same start state, within 4 standard errors (see
// roundTrip). The full-size version runs under the long build tag.
func TestRoundTrip(t *testing.T) {
	seeds, n := []uint64{11, 12, 13}, 1000
	if testing.Short() {
		seeds, n = seeds[:1], 500
	}
	sum := 0.0
	for _, seed := range seeds {
		z := roundTrip(t, scaled(model.Default(), 10), seed, 4, n)
		sum += z
		if math.Abs(z) > 4 {
			t.Errorf("seed %d: calibrated forecast mean differs from the true model's by %.1f standard errors", seed, z)
		}
	}
	t.Logf("mean z over %d seeds: %+.2f", len(seeds), sum/float64(len(seeds)))
}
