package montecarlo

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestClopperPearson(t *testing.T) {
	for _, tt := range []struct {
		name        string
		k, n        int
		level       float64
		lo, hi      float64
		tol         float64
		nanInterval bool
	}{
		{name: "none of 300", k: 0, n: 300, level: 0.95, lo: 0, hi: 1 - math.Pow(0.025, 1.0/300), tol: 1e-12},
		{name: "all of 300", k: 300, n: 300, level: 0.95, lo: math.Pow(0.025, 1.0/300), hi: 1, tol: 1e-12},
		{name: "all of 1", k: 1, n: 1, level: 0.95, lo: 0.025, hi: 1, tol: 1e-12},
		{name: "all of 120 at 90%", k: 120, n: 120, level: 0.9, lo: math.Pow(0.05, 1.0/120), hi: 1, tol: 1e-12},
		// Published values, to the 7 digits R's binom.test prints.
		{name: "5 of 10", k: 5, n: 10, level: 0.95, lo: 0.1870860, hi: 0.8129140, tol: 1e-6},
		{name: "1 of 10", k: 1, n: 10, level: 0.95, lo: 0.002528579, hi: 0.4450161, tol: 1e-7},
		{name: "no trials", k: 0, n: 0, level: 0.95, nanInterval: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi := ClopperPearson(tt.k, tt.n, tt.level)
			if tt.nanInterval {
				if !math.IsNaN(lo) || !math.IsNaN(hi) {
					t.Errorf("ClopperPearson(%d, %d) = %v, %v; want NaN, NaN", tt.k, tt.n, lo, hi)
				}
				return
			}
			if math.Abs(lo-tt.lo) > tt.tol || math.Abs(hi-tt.hi) > tt.tol {
				t.Errorf("ClopperPearson(%d, %d, %v) = [%.10f, %.10f], want [%.10f, %.10f]", tt.k, tt.n, tt.level, lo, hi, tt.lo, tt.hi)
			}
		})
	}
}

// TestClopperPearsonTails checks the defining property of the interval: at
// its ends the binomial tails beyond the observed count hold α/2.
func TestClopperPearsonTails(t *testing.T) {
	for _, n := range []int{7, 40, 300} {
		for _, k := range []int{1, n / 3, n / 2, n - 1} {
			lo, hi := ClopperPearson(k, n, 0.95)
			// P(X ≥ k; lo) = 0.025 and P(X ≤ k; hi) = 0.025.
			if got := 1 - (distuv.Binomial{N: float64(n), P: lo}).CDF(float64(k-1)); math.Abs(got-0.025) > 1e-9 {
				t.Errorf("k=%d n=%d: P(X ≥ k; lo=%v) = %v, want 0.025", k, n, lo, got)
			}
			if got := (distuv.Binomial{N: float64(n), P: hi}).CDF(float64(k)); math.Abs(got-0.025) > 1e-9 {
				t.Errorf("k=%d n=%d: P(X ≤ k; hi=%v) = %v, want 0.025", k, n, hi, got)
			}
		}
	}
}

// TestReportQuotaBounds checks that a quota no quarter reaches, or every
// quarter does, gets the exact interval rather than only a zero standard
// error.
func TestReportQuotaBounds(t *testing.T) {
	const n = 12
	for _, tt := range []struct {
		name      string
		quota     float64
		p, lo, hi float64
	}{
		{name: "unreachable", quota: 1e12, p: 0, lo: 0, hi: 1 - math.Pow(0.025, 1.0/n)},
		{name: "always made", quota: 1, p: 1, lo: math.Pow(0.025, 1.0/n), hi: 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := model.Default()
			m.Quota = tt.quota
			res, err := Run(context.Background(), m, Config{Quarters: n, Seed: 5})
			if err != nil {
				t.Fatal(err)
			}
			rep := NewReport(m, res)
			if float64(rep.ProbHitQuota) != tt.p || rep.ProbHitQuotaSE != 0 {
				t.Fatalf("ProbHitQuota = %v ± %v, want %v ± 0", rep.ProbHitQuota, rep.ProbHitQuotaSE, tt.p)
			}
			if math.Abs(float64(rep.ProbHitQuotaLo95)-tt.lo) > 1e-12 || math.Abs(float64(rep.ProbHitQuotaHi95)-tt.hi) > 1e-12 {
				t.Errorf("95%% interval [%v, %v], want [%v, %v]", rep.ProbHitQuotaLo95, rep.ProbHitQuotaHi95, tt.lo, tt.hi)
			}
		})
	}
	m := model.Default()
	m.Quota = 0
	res, err := Run(context.Background(), m, Config{Quarters: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	if rep := NewReport(m, res); !math.IsNaN(float64(rep.ProbHitQuotaLo95)) || !math.IsNaN(float64(rep.ProbHitQuotaHi95)) {
		t.Errorf("no quota: interval [%v, %v], want NaN", rep.ProbHitQuotaLo95, rep.ProbHitQuotaHi95)
	}
}
