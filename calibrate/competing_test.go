package calibrate

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestAalenJohansenHand(t *testing.T) {
	obs := []CRObs{
		{T: 7, Cause: 1}, {T: 2, Cause: 2}, {T: 1, Cause: 1}, {T: 2, Cause: 0}, {T: 2, Cause: 1},
		{T: 3, Cause: 2}, {T: 4, Cause: 0}, {T: 5, Cause: 1}, {T: 5, Cause: 2}, {T: 6, Cause: 0},
	}
	c := AalenJohansen(obs, 2)
	// Hand computation:
	//  t=1: n=10 d1=1 d2=0 S-=1     CIF1=1/10            S=9/10
	//  t=2: n=9  d1=1 d2=1 S-=9/10  CIF1=2/10 CIF2=1/10  S=7/10
	//  t=3: n=6  d1=0 d2=1 S-=7/10  CIF2=1/10+7/60       S=7/12
	//  t=5: n=4  d1=1 d2=1 S-=7/12  +7/48 to both        S=7/24
	//  t=7: n=1  d1=1 d2=0 S-=7/24  CIF1 += 7/24         S=0
	tm := []float64{1, 2, 3, 5, 7}
	n := []int{10, 9, 6, 4, 1}
	d1 := []int{1, 1, 0, 1, 1}
	d2 := []int{0, 1, 1, 1, 0}
	lag := []float64{1, 9.0 / 10, 7.0 / 10, 7.0 / 12, 7.0 / 24}
	f1 := []float64{1.0 / 10, 2.0 / 10, 2.0 / 10, 2.0/10 + 7.0/48, 2.0/10 + 7.0/48 + 7.0/24}
	f2 := []float64{0, 1.0 / 10, 1.0/10 + 7.0/60, 1.0/10 + 7.0/60 + 7.0/48, 1.0/10 + 7.0/60 + 7.0/48}
	if !slices.Equal(c.Time, tm) || !slices.Equal(c.AtRisk, n) ||
		!slices.Equal(c.Events[0], d1) || !slices.Equal(c.Events[1], d2) {
		t.Fatalf("table: time %v n %v d %v", c.Time, c.AtRisk, c.Events)
	}
	if !slices.Equal(c.NEvents, []int{4, 3}) || c.N != 10 {
		t.Errorf("N=%d NEvents=%v", c.N, c.NEvents)
	}
	// The delta-method variance evaluated term by term on the hand table.
	variance := func(f []float64, dj []int, i int) float64 {
		var v float64
		for l := 0; l <= i; l++ {
			nl, dl := float64(n[l]), float64(d1[l]+d2[l])
			w := f[i] - f[l]
			if w != 0 {
				v += w * w * dl / (nl * (nl - dl))
			}
			dq := float64(dj[l])
			v += lag[l] * lag[l] * dq * (nl - dq) / (nl * nl * nl)
			v -= 2 * w * lag[l] * dq / (nl * nl)
		}
		return v
	}
	for q, f := range [][]float64{f1, f2} {
		dj := [][]int{d1, d2}[q]
		for i := range tm {
			if !close12(c.CIF[q][i], f[i]) {
				t.Errorf("CIF%d[%d]=%.17g want %.17g", q+1, i, c.CIF[q][i], f[i])
			}
			if v := variance(f, dj, i); math.Abs(c.Var[q][i]-v) > 1e-12*math.Max(1e-3, v) {
				t.Errorf("Var%d[%d]=%.17g want %.17g", q+1, i, c.Var[q][i], v)
			}
		}
	}
	// Everyone resolved: the CIFs sum to 1 - S = 1.
	p1, _ := c.Eventual(1)
	p2, _ := c.Eventual(2)
	if !close12(p1+p2, 1) || !close12(p1, 0.6375) {
		t.Errorf("eventual %v + %v, want 0.6375 + 0.3625", p1, p2)
	}
	at := []struct {
		name  string
		cause int
		t     float64
		want  float64
	}{
		{"before", 1, 0.5, 0},
		{"cause 2 at 2", 2, 2, 0.1},
		{"between", 2, 4, 1.0/10 + 7.0/60},
		{"after", 1, 99, 0.6375},
	}
	for _, tt := range at {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.At(tt.cause, tt.t); !close12(got, tt.want) {
				t.Errorf("At(%d,%v)=%v want %v", tt.cause, tt.t, got, tt.want)
			}
		})
	}
	// With one cause the CIF is 1 - Kaplan-Meier.
	single := make([]Obs, len(obs))
	one := make([]CRObs, len(obs))
	for i, o := range obs {
		single[i] = Obs{T: o.T, Event: o.Cause > 0}
		one[i] = CRObs{T: o.T, Cause: min(o.Cause, 1)}
	}
	km, aj := KaplanMeier(single), AalenJohansen(one, 1)
	for i := range km.S {
		if !close12(aj.CIF[0][i], 1-km.S[i]) {
			t.Errorf("K=1: CIF %v != 1-KM %v", aj.CIF[0][i], 1-km.S[i])
		}
		if km.S[i] > 0 && !close12(aj.Var[0][i], km.Var[i]) {
			t.Errorf("K=1: Var %v != Greenwood %v", aj.Var[0][i], km.Var[i])
		}
	}
}

// TestAalenJohansenRecovery simulates won / lost / never (cure fraction) with
// lognormal times and random administrative censoring, and checks the CIFs
// at several times against the exact truth p_j·Φ((log t - μ_j)/σ_j) within
// 4 delta-method standard errors.
func TestAalenJohansenRecovery(t *testing.T) {
	const n = 2000
	p := []float64{0.25, 0.55} // won, lost; never = 0.20
	delay := []distuv.LogNormal{{Mu: math.Log(45), Sigma: 0.7}, {Mu: math.Log(20), Sigma: 1}}
	seeds := []uint64{1, 2, 3, 4, 5}
	if testing.Short() {
		seeds = seeds[:2]
	}
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 0))
		for q := range delay {
			delay[q].Src = r
		}
		obs := make([]CRObs, n)
		for i := range obs {
			u := r.Float64()
			c := 150 + 600*r.Float64() // days of follow-up: entry spread over 600 days
			cause, tt := 0, math.Inf(1)
			switch {
			case u < p[0]:
				cause, tt = 1, delay[0].Rand()
			case u < p[0]+p[1]:
				cause, tt = 2, delay[1].Rand()
			}
			if tt > c {
				cause, tt = 0, c
			}
			obs[i] = CRObs{T: tt, Cause: cause}
		}
		cr := AalenJohansen(obs, 2)
		for _, at := range []float64{10, 30, 90, 300} {
			for q := range p {
				want := p[q] * delay[q].CDF(at)
				got, se := cr.At(q+1, at), cr.SE(q+1, at)
				if math.Abs(got-want) > 4*se {
					t.Errorf("seed %d cause %d t=%v: CIF %.4f ± %.4f, truth %.4f", seed, q+1, at, got, se, want)
				}
			}
		}
		for q := range p {
			got, se := cr.Eventual(q + 1)
			// The last outcome time is beyond 150 days, where both
			// lognormal CDFs exceed 0.95; the truth there is p·CDF(last).
			want := p[q] * delay[q].CDF(cr.Time[len(cr.Time)-1])
			if math.Abs(got-want) > 4*se {
				t.Errorf("seed %d cause %d eventual %.4f ± %.4f, truth %.4f", seed, q+1, got, se, want)
			}
		}
	}
}
