package montecarlo

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
)

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
