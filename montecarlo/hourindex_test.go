package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestHourIndex checks hourIndex.find against the binary search it
// replaces, on profiles with busy, quiet and closed hours, at random points,
// at every cumulative total and its neighbours, and outside the week.
func TestHourIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	profiles := map[string][model.HoursPerWeek]float64{}
	for _, shape := range []string{"business", "flat"} {
		p := model.Profile{Shape: shape}
		profiles[shape] = p.HourWeights()
	}
	var sparse, spiky [model.HoursPerWeek]float64
	for h := range sparse {
		if h%24 >= 9 && h%24 < 17 && h < 120 {
			sparse[h] = 1
		}
		spiky[h] = math.Pow(r.Float64(), 8) * 50
	}
	spiky[3], spiky[100] = 0, 0
	profiles["sparse"], profiles["spiky"] = sparse, spiky
	for name, w := range profiles {
		a := newActivity(w)
		cal := calendar{}
		for i, v := range w {
			cal.cum[i+1] = cal.cum[i] + math.Min(v, 1)
		}
		cal.index = newHourIndex(&cal.cum)
		for _, c := range []struct {
			cum *[model.HoursPerWeek + 1]float64
			x   *hourIndex
		}{{&a.cum, &a.index}, {&cal.cum, &cal.index}} {
			total := c.cum[model.HoursPerWeek]
			check := func(v float64) {
				if got, want := c.x.find(c.cum, v), searchHour(c.cum, v); got != want {
					t.Fatalf("%s: find(%v) = %d, binary search %d", name, v, got, want)
				}
			}
			for _, v := range c.cum {
				check(v)
				check(math.Nextafter(v, math.Inf(-1)))
				check(math.Nextafter(v, math.Inf(1)))
			}
			for b := range hourBuckets + 2 {
				v := float64(b) / c.x.inv
				check(v)
				check(math.Nextafter(v, math.Inf(-1)))
				check(math.Nextafter(v, math.Inf(1)))
			}
			for range 200000 {
				check(r.Float64() * total)
			}
			for _, v := range []float64{-1, -1e-300, 0, total * 2, math.Inf(1), math.Inf(-1), math.NaN()} {
				check(v)
			}
		}
	}
}
