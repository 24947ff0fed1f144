package calibrate

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

func TestBetaPosterior(t *testing.T) {
	tests := []struct {
		name             string
		s, n             int
		a0, b0           float64
		wantA, wantB, mu float64
	}{
		{"uniform prior", 3, 12, 1, 1, 4, 10, 4.0 / 14},
		{"jeffreys zero successes", 0, 12, 0.5, 0.5, 0.5, 12.5, 0.5 / 13},
		{"all successes", 5, 5, 2, 3, 7, 3, 0.7},
		{"no trials is the prior", 0, 0, 2, 8, 2, 8, 0.2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := BetaPosterior(tt.s, tt.n, tt.a0, tt.b0)
			if b.Alpha != tt.wantA || b.Beta != tt.wantB || !close12(b.Mean(), tt.mu) {
				t.Errorf("got %+v mean %v, want Beta(%v,%v) mean %v", b, b.Mean(), tt.wantA, tt.wantB, tt.mu)
			}
			// The interval's ends have regularised incomplete beta 0.025 and 0.975.
			lo, hi := b.Interval95()
			if math.Abs(mathext.RegIncBeta(b.Alpha, b.Beta, lo)-0.025) > 1e-10 ||
				math.Abs(mathext.RegIncBeta(b.Alpha, b.Beta, hi)-0.975) > 1e-10 {
				t.Errorf("interval [%v,%v] has CDF [%v,%v]", lo, hi,
					mathext.RegIncBeta(b.Alpha, b.Beta, lo), mathext.RegIncBeta(b.Alpha, b.Beta, hi))
			}
		})
	}
}

func TestPoolRatesErrors(t *testing.T) {
	tests := []struct {
		name   string
		groups []Group
		want   string
	}{
		{"one group", []Group{{"a", 1, 10}, {"b", 0, 0}}, ErrTooFewGroups.Error()},
		{"successes above trials", []Group{{"a", 11, 10}, {"b", 1, 2}}, `calibrate: group "a": need 0 ≤ successes (11) ≤ trials (10)`},
		{"negative", []Group{{"a", 1, 10}, {"b", -1, 2}}, `calibrate: group "b": need 0 ≤ successes (-1) ≤ trials (2)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := PoolRates(tt.groups)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err=%v want %q", err, tt.want)
			}
		})
	}
}

// TestPoolRatesRecovery simulates 300 groups of 40 trials with rates drawn
// from Beta(2, 8) (μ = 0.2, κ = 10) and checks μ and log κ within 4
// asymptotic standard errors.
func TestPoolRatesRecovery(t *testing.T) {
	seeds := []uint64{31, 32, 33}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 3))
		prior := distuv.Beta{Alpha: 2, Beta: 8, Src: r}
		groups := make([]Group, 300)
		for i := range groups {
			p := prior.Rand()
			s := 0
			for range 40 {
				if r.Float64() < p {
					s++
				}
			}
			groups[i] = Group{Successes: s, Trials: 40}
		}
		pl, err := PoolRates(groups)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(pl.Mean-0.2) > 4*pl.MeanSE || math.Abs(math.Log(pl.Concentration)-math.Log(10)) > 4*pl.LogConcentrationSE {
			t.Errorf("seed %d: μ=%.4f±%.4f (0.2), log κ=%.3f±%.3f (%.3f)", seed, pl.Mean, pl.MeanSE,
				math.Log(pl.Concentration), pl.LogConcentrationSE, math.Log(10))
		}
		if len(pl.Warnings) != 0 {
			t.Errorf("seed %d: warnings %v", seed, pl.Warnings)
		}
	}
}

func TestPoolRatesShrinkage(t *testing.T) {
	groups := []Group{
		{"zero of twelve", 0, 12},
		{"a", 2, 40}, {"b", 5, 40}, {"c", 8, 40}, {"d", 12, 40}, {"e", 16, 40},
		{"small 30%", 3, 10}, {"medium 30%", 30, 100}, {"large 30%", 300, 1000},
		{"empty", 0, 0},
	}
	pl, err := PoolRates(groups)
	if err != nil {
		t.Fatal(err)
	}
	g := pl.Groups
	if !(g[0].Mean > 0 && g[0].Lower > 0) {
		t.Errorf("0/12 got mean %v lower %v, want > 0", g[0].Mean, g[0].Lower)
	}
	for _, x := range g {
		if x.Trials == 0 {
			if x.Posterior.Alpha != pl.Alpha || x.Posterior.Beta != pl.Beta {
				t.Errorf("empty group posterior %+v, want prior", x.Posterior)
			}
			continue
		}
		lo, hi := math.Min(x.Raw, pl.Mean), math.Max(x.Raw, pl.Mean)
		if x.Mean < lo || x.Mean > hi {
			t.Errorf("%s: posterior mean %v not between raw %v and pooled %v", x.Name, x.Mean, x.Raw, pl.Mean)
		}
		if !(x.Lower < x.Mean && x.Mean < x.Upper) {
			t.Errorf("%s: interval [%v,%v] does not hold mean %v", x.Name, x.Lower, x.Upper, x.Mean)
		}
	}
	// Same raw rate: more trials, less shrinkage.
	d1, d2, d3 := math.Abs(g[6].Mean-0.3), math.Abs(g[7].Mean-0.3), math.Abs(g[8].Mean-0.3)
	if !(d1 > d2 && d2 > d3) {
		t.Errorf("shrinkage not decreasing with trials: %v %v %v", d1, d2, d3)
	}
	// Same trials: order of raw rates kept.
	for i := 2; i <= 5; i++ {
		if !(g[i].Mean > g[i-1].Mean) {
			t.Errorf("order lost: %s %v ≤ %s %v", g[i].Name, g[i].Mean, g[i-1].Name, g[i-1].Mean)
		}
	}
	// Posterior is exactly Beta(α+s, β+n-s).
	if x := g[7]; x.Posterior.Alpha != pl.Alpha+30 || x.Posterior.Beta != pl.Beta+70 {
		t.Errorf("posterior %+v, prior (%v,%v)", x.Posterior, pl.Alpha, pl.Beta)
	}
}

func TestPoolRatesNoVariation(t *testing.T) {
	// Identical rates: no between-group variance, κ at its bound, warning.
	pl, err := PoolRates([]Group{{"a", 10, 100}, {"b", 10, 100}, {"c", 10, 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(pl.Warnings) != 1 || math.Abs(pl.Mean-0.1) > 1e-4 { // SE is 0.017; the optimiser stops on a flat ridge
		t.Errorf("μ=%v κ=%v warnings %v", pl.Mean, pl.Concentration, pl.Warnings)
	}
}
