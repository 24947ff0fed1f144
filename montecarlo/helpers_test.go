package montecarlo

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// Helpers for the statistical tests. Every check compares an estimate with
// an analytic value and fails beyond 4 standard errors, the standard error
// derived from the analytic distribution or from the spread between
// independent quarters, never from the engine's own summary.

// seeds returns the seeds to run: several, fewer under -short.
func seeds() []uint64 {
	if testing.Short() {
		return []uint64{1}
	}
	return []uint64{1, 2, 3}
}

// size returns long, or short under -short.
func size(long, short int) int {
	if testing.Short() {
		return short
	}
	return long
}

// within fails t when |got − want| > 4·se.
func within(t *testing.T, what string, got, want, se float64) {
	t.Helper()
	if !(se > 0) {
		t.Fatalf("%s: standard error %v is not positive", what, se)
	}
	z := (got - want) / se
	if !(math.Abs(z) <= 4) {
		t.Errorf("%s = %.6g, want %.6g ± 4·%.3g (z = %.2f)", what, got, want, se, z)
	} else {
		t.Logf("%s = %.6g, want %.6g, se %.3g, z = %+.2f", what, got, want, se, z)
	}
}

// sameLaw checks the series a and b of one quantity from two independent
// runs (a value per quarter, as many quarters each): their means must agree
// within 4 standard errors of the difference and, if sd, so must their
// standard deviations (the SE of a standard deviation is about sd/√(2n)).
// Two constant series must be equal.
func sameLaw(t *testing.T, what string, a, b []float64, sd bool) {
	t.Helper()
	ma, va := meanVar(a)
	mb, vb := meanVar(b)
	if va == 0 && vb == 0 {
		if ma != mb {
			t.Errorf("%s: constant %v in one run, %v in the other", what, ma, mb)
		}
		return
	}
	n := float64(len(a))
	within(t, what+" mean", ma, mb, math.Sqrt((va+vb)/n))
	if sd {
		within(t, what+" sd", math.Sqrt(va), math.Sqrt(vb), math.Sqrt((va+vb)/(2*n)))
	}
}

// meanVar returns the sample mean and the unbiased sample variance of x.
func meanVar(x []float64) (mean, variance float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		variance += (v - mean) * (v - mean)
	}
	return mean, variance / float64(len(x)-1)
}

// ratioSE returns Σy/Σx over quarters and its standard error by the delta
// method for a ratio of sums over n independent quarters:
// se² = Σ(y_i − R·x_i)² / (n(n−1)·x̄²). It is the between-quarter standard
// error, right when the units inside a quarter are correlated (as the
// waits of a queue are).
func ratioSE(y, x []float64) (r, se float64) {
	sy, sx := 0.0, 0.0
	for i := range y {
		sy += y[i]
		sx += x[i]
	}
	r = sy / sx
	n := float64(len(y))
	ss := 0.0
	for i := range y {
		d := y[i] - r*x[i]
		ss += d * d
	}
	xbar := sx / n
	return r, math.Sqrt(ss/(n*(n-1))) / xbar
}

// column returns element j of every quarter of a series of the given width.
func columnOf(x []float64, width, j int) []float64 {
	out := make([]float64, len(x)/width)
	for i := range out {
		out[i] = x[i*width+j]
	}
	return out
}

func sumOf(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s
}

// normCDF is Φ.
func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// mustRun runs m and fails t on error.
func mustRun(t testing.TB, m *model.Model, cfg Config) *Results {
	t.Helper()
	if err := m.Validate(); err != nil {
		t.Fatalf("test model invalid: %v", err)
	}
	r, err := Run(context.Background(), m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// tiny is a delay of 0.0001 days (8.6 s): transitions resolve at once.
var tiny = model.Dist{Form: model.Fixed, Value: 0.0001}

// idleSource is a source whose leads enter a stage with no way out, so its
// arrivals touch nothing the tests measure.
func idleSource(deal model.Dist) model.Source {
	return model.Source{Name: "src", Entry: "idle", RatePerWeek: 1, DealSize: deal}
}
