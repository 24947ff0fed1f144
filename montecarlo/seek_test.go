package montecarlo

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSeek checks the guided search against slices.BinarySearch on
// cumulative sums with zero cells, concentrated mass and ties, at random
// points and at every sum exactly.
func TestSeek(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		n := 1 + r.IntN(300)
		cum := make([]float64, n)
		s := 0.0
		for i := range cum {
			switch r.IntN(4) {
			case 0: // an empty cell: a tie with the previous sum
			case 1:
				s += r.ExpFloat64() * 1e3
			default:
				s += r.Float64() * 1e-3
			}
			cum[i] = s
		}
		if s == 0 {
			continue
		}
		gd := guide(nil, cum)
		xs := slices.Clone(cum)
		for range 200 {
			xs = append(xs, r.Float64()*s)
		}
		for _, x := range xs {
			want, _ := slices.BinarySearch(cum, x)
			want = min(want, n-1)
			if got := seek(cum, gd, x); got != want {
				t.Fatalf("trial %d: seek(%v) = %d, BinarySearch %d", trial, x, got, want)
			}
		}
	}
}
