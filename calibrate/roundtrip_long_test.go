//go:build long

package calibrate_test

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// TestRoundTrip calibrates the default model from four quarters of its own
// export and forecasts both: the mean revenue must agree within 4 standard
// errors.
func TestRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("round trip runs the full-size default model")
	}
	truthM := model.Default()
	e, err := data.Generate(context.Background(), truthM, data.GenerateConfig{Quarters: 4, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	r, err := calibrate.Calibrate(e, calibrate.Config{})
	if err != nil {
		t.Fatal(err)
	}
	const n = 300
	stats := func(m *model.Model, seed uint64) (mean, se float64) {
		res, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: n, Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		var s, s2 float64
		for _, v := range res.Revenue {
			s += v
			s2 += v * v
		}
		mean = s / n
		return mean, math.Sqrt((s2/n - mean*mean) / (n - 1))
	}
	m1, se1 := stats(truthM, 1)
	m2, se2 := stats(r.Model, 2)
	z := (m2 - m1) / math.Hypot(se1, se2)
	t.Logf("mean revenue: true model %.4g ± %.2g, calibrated %.4g ± %.2g, z = %.2f", m1, se1, m2, se2, z)
	if math.Abs(z) > 4 {
		t.Errorf("calibrated forecast mean %.4g differs from the true model's %.4g by %.1f standard errors", m2, m1, z)
	}
}

