package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestPeriodSingle checks that the one-quarter shortcut of sim.period
// returns int(t/quarter), near the quarter's end in particular, for the
// quarter lengths of 1 to 52 weeks.
func TestPeriodSingle(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for weeks := 1; weeks <= 52; weeks++ {
		q := float64(weeks) * 168
		s := &sim{c: &compiled{quarter: q}, H: 1, end: q}
		for _, v := range []float64{0, 1e-300, q / 2, math.Nextafter(q, 0), q - 1e-9, r.Float64() * q} {
			if got, want := s.period(v), int(v/q); got != want {
				t.Fatalf("quarter %v: period(%v) = %d, want %d", q, v, got, want)
			}
		}
		x := math.Nextafter(q, 0)
		for range 1000 {
			if got, want := s.period(x), int(x/q); got != want {
				t.Fatalf("quarter %v: period(%v) = %d, want %d", q, x, got, want)
			}
			x = math.Nextafter(x, 0)
		}
	}
}
