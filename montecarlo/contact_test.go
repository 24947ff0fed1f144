package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestContactedExact checks that compiled.contacted decides exactly as
// u < contact·decayAt(resp) does, for u near the bounds and the curve, at
// cell edges, and at response times beyond the table.
func TestContactedExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 9))
	for _, tt := range []struct {
		name    string
		contact float64
		decay   model.Decay
		noTable bool // the span's cells a minute overflow
	}{
		{"hill", 0.85, model.Decay{Form: model.Hill, T50: 30, K: 1.5, Floor: 0.15}, false},
		{"hill-steep", 1, model.Decay{Form: model.Hill, T50: 4, K: 2, Floor: 3e-4}, false},
		{"hill-flat", 0.5, model.Decay{Form: model.Hill, T50: 300, K: 0.3, Floor: 0}, false},
		{"hill-cliff", 1, model.Decay{Form: model.Hill, T50: 30, K: 1e4, Floor: 0}, false}, // m falls from 1 to 0 inside a cell
		{"exp", 0.7, model.Decay{Form: model.ExpFloor, Tau: 45, Floor: 0.1}, false},
		{"none", 0.9, model.Decay{Form: model.NoDecay}, true},
		{"hill-tiny", 1, model.Decay{Form: model.Hill, T50: 1e-310, K: 1, Floor: 0}, true},
		{"exp-tiny", 1, model.Decay{Form: model.ExpFloor, Tau: 1e-310, Floor: 0.1}, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &compiled{contact: tt.contact, decay: tt.decay}
			if tt.decay.Form == model.Hill {
				c.logT50 = math.Log(tt.decay.T50)
			}
			c.contactB = c.newContactBounds()
			if (c.contactB == nil) != tt.noTable {
				t.Fatalf("bounds %v for %v", c.contactB, tt.decay.Form)
			}
			span := 1e4
			if b := c.contactB; b != nil {
				span = 1.5 * contactCells / b.inv
			}
			check := func(u, resp float64) {
				if got, want := c.contacted(u, resp), u < c.contact*c.decayAt(resp); got != want {
					t.Fatalf("contacted(%v, %v) = %v, want %v", u, resp, got, want)
				}
			}
			for range 300000 {
				resp := r.Float64() * span
				if r.IntN(4) == 0 && c.contactB != nil {
					resp = math.Nextafter(float64(r.IntN(contactCells+1))/c.contactB.inv, math.Inf(r.IntN(2)*2-1))
				}
				m := c.contact * c.decayAt(resp)
				check(r.Float64(), resp)
				check(m, resp)
				check(math.Nextafter(m, 0), resp)
				check(math.Nextafter(m, 1), resp)
				if b := c.contactB; b != nil {
					lh := b.tail
					if f := resp * b.inv; f >= 0 && f < contactCells {
						lh = b.lohi[int(f)]
					}
					for _, v := range lh {
						check(v, resp)
						check(math.Nextafter(v, 0), resp)
						check(math.Nextafter(v, 1), resp)
					}
				}
			}
			for _, resp := range []float64{0, 1e-311, 1e-300, 1e300, math.Inf(1), math.NaN()} {
				for _, u := range []float64{0, 0.3, c.contact * c.decay.Floor, math.Nextafter(c.contact*c.decay.Floor, 1), 0.99} {
					check(u, resp)
				}
			}
		})
	}
}
