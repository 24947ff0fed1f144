//go:build long

package calibrate_test

import (
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestRoundTripFull is TestRoundTrip on the full-size default model (about
// 100,000 leads a quarter): calibration takes about 20 s, the three forecasts about a minute.
func TestRoundTripFull(t *testing.T) {
	if testing.Short() {
		t.Skip("round trip runs the full-size default model")
	}
	if z := roundTrip(t, model.Default(), 11, 4, 1000); math.Abs(z) > 4 {
		t.Errorf("calibrated forecast mean differs from the true model's by %.1f standard errors", z)
	}
}
