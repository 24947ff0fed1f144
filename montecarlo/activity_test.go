package montecarlo

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestActivityFlat: with a flat profile (w = 1) the wait for the next
// action is actionHours·Exp(1) hours, from any start.
func TestActivityFlat(t *testing.T) {
	var w [model.HoursPerWeek]float64
	for i := range w {
		w[i] = 1
	}
	a := newActivity(w)
	for _, t0 := range []float64{0, 13.25, 167.9, -500.5, 2000} {
		for _, e := range []float64{0, 0.3, 1, 7.5, 400} {
			if got := a.next(t0, e); math.Abs(got-(t0+actionHours*e)) > 1e-9 {
				t.Errorf("next(%v, %v) = %v, want %v", t0, e, got, t0+actionHours*e)
			}
		}
	}
}

// TestActivityOneHour: a profile active only on Monday 10:00-11:00 (with
// the weight 168 that mean 1 gives) moves a lead starting on Sunday to
// Monday 10:00 + X, X ~ Exp(168) truncated to the hour, or a later week.
func TestActivityOneHour(t *testing.T) {
	var w [model.HoursPerWeek]float64
	w[10] = model.HoursPerWeek
	a := newActivity(w)
	r := rand.New(rand.NewPCG(3, 4))
	const n = 100000
	sum, inHour := 0.0, 0
	for range n {
		got := a.next(-20, r.ExpFloat64()) // Sunday 04:00 of the week before
		if got < 10 || got >= 11+model.HoursPerWeek*3 {
			t.Fatalf("next = %v, want Monday 10:00-11:00 of some week", got)
		}
		if got < 11 {
			inHour++
			sum += got - 10
		}
	}
	// The rate in the active hour is 168/actionHours = 21 an hour: P(act
	// within it) = 1 − e^(−21) ≈ 1, and the offset is Exp(21) truncated at
	// 1 hour (negligibly): mean 1/21, sd 1/21.
	rate := float64(model.HoursPerWeek) / actionHours
	if inHour != n {
		t.Errorf("%d of %d acted in the first active hour, want all", inHour, n)
	}
	mean, se := sum/float64(inHour), 1/rate/math.Sqrt(float64(inHour))
	if math.Abs(mean-1/rate) > 4*se {
		t.Errorf("mean offset %.6g h, want %.6g ± %.2g", mean, 1/rate, 4*se)
	}
}

// TestActivityBusiness checks the defining property under the business
// profile: the integral of w from the start to the returned time equals
// the exponential variate, computed here hour by hour, independently.
func TestActivityBusiness(t *testing.T) {
	p := model.Profile{Shape: "business"}
	w := p.HourWeights()
	a := newActivity(w)
	integral := func(t0, t1 float64) float64 {
		s := 0.0
		for x := t0; x < t1; {
			h := math.Floor(x)
			end := math.Min(h+1, t1)
			hw := int(math.Mod(h, model.HoursPerWeek)+model.HoursPerWeek) % model.HoursPerWeek
			s += w[hw] * (end - x)
			x = end
		}
		return s
	}
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		t0 := r.Float64()*1000 - 500
		e := r.ExpFloat64() * 3
		got := a.next(t0, e)
		if got < t0 {
			t.Fatalf("next(%v, %v) = %v is before the start", t0, e, got)
		}
		if d := integral(t0, got); math.Abs(d-actionHours*e) > 1e-9*math.Max(1, e) {
			t.Errorf("∫w from %v to next(%v, %v) = %v: %v, want %v", t0, t0, e, got, d, actionHours*e)
		}
	}
}
