package montecarlo

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSeek checks the guided search against slices.BinarySearch on
// cumulative sums with zero cells, concentrated mass and ties, at random
// points and at every sum exactly; and on sums just below the buckets'
// thresholds, where rounding sends a point to a bucket whose guide is past
// its answer (seek must step back).
func TestSeek(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var cases [][]float64
	for range 200 {
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
		cases = append(cases, cum)
	}
	for n := 2; n <= 200; n++ { // guide uses guideLen(n) buckets
		total := float64(n) * (1 + r.Float64())
		m := n/2 + 1
		cum := make([]float64, 0, n)
		for b := 1; b < m; b++ {
			cum = append(cum, math.Nextafter(float64(b)/float64(m)*total, 0))
		}
		for len(cum) < n {
			cum = append(cum, total)
		}
		cases = append(cases, cum)
	}
	stepped := false
	for trial, cum := range cases {
		n, s := len(cum), cum[len(cum)-1]
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
				t.Fatalf("case %d: seek(%v) = %d, BinarySearch %d", trial, x, got, want)
			}
			m := len(gd)
			if b := min(int(x/s*float64(m)), m-1); int(gd[b]) > want {
				stepped = true
			}
		}
	}
	if !stepped {
		t.Error("no case made seek step back from its guide")
	}
}
