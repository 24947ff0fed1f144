package stats

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

var inf = math.Inf(1)

// TestQuantile holds the edge cases of the type-7 quantile, for Quantile
// and QuantileSelect alike.
func TestQuantile(t *testing.T) {
	for _, tt := range []struct {
		name string
		x    []float64
		p    float64
		want float64
	}{
		{"empty", nil, 0.5, math.NaN()},
		{"one value", []float64{7}, 0.3, 7},
		{"min", []float64{1, 2, 3}, 0, 1},
		{"max", []float64{1, 2, 3}, 1, 3},
		{"median of even", []float64{1, 2, 3, 4}, 0.5, 2.5},
		{"interpolated", []float64{0, 10}, 0.25, 2.5},
		// R: quantile(c(1,2,3,4,5,10), 0.9, type = 7) = 7.5.
		{"R type 7", []float64{1, 2, 3, 4, 5, 10}, 0.9, 7.5},
		// h = 4 is whole: the answer is x[4], not 5 + 0·∞ = NaN.
		{"whole h before +Inf", []float64{1, 2, 3, 4, 5, inf}, 0.8, 5},
		{"toward +Inf", []float64{1, 2, 3, 4, 5, inf}, 0.9, inf},
		{"between two +Inf", []float64{1, inf, inf}, 0.75, inf},
		{"all +Inf", []float64{inf, inf}, 0.5, inf},
		{"from -Inf", []float64{-inf, 1}, 0.5, -inf},
		{"at -Inf", []float64{-inf, 1}, 0, -inf},
		{"ties", []float64{2, 2, 2, 2}, 0.37, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
			if got := Quantile(tt.p, tt.x); !same(got, tt.want) {
				t.Errorf("Quantile(%v, %v) = %v, want %v", tt.p, tt.x, got, tt.want)
			}
			w := slices.Clone(tt.x)
			slices.Reverse(w)
			if got := QuantileSelect(tt.p, w); !same(got, tt.want) {
				t.Errorf("QuantileSelect(%v, %v) = %v, want %v", tt.p, tt.x, got, tt.want)
			}
		})
	}
}

// TestQuantileSelect compares the selection quantile with the sorted one,
// bit for bit, on random samples with and without ties.
func TestQuantileSelect(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 3, 10, 101, 1000} {
		for _, ties := range []bool{false, true} {
			v := make([]float64, n)
			for i := range v {
				v[i] = r.ExpFloat64()
				if ties {
					v[i] = math.Floor(v[i] * 3)
				}
			}
			s := slices.Sorted(slices.Values(v))
			for _, p := range []float64{0, 0.1, 0.5, 0.9, 1} {
				w := slices.Clone(v)
				if got, want := QuantileSelect(p, w), Quantile(p, s); got != want {
					t.Errorf("n=%d ties=%v p=%v: QuantileSelect = %v, Quantile = %v", n, ties, p, got, want)
				}
				if k := int(p * float64(n-1)); w[k] != s[k] {
					t.Errorf("n=%d ties=%v p=%v: x[%d] = %v after selection, want %v", n, ties, p, k, w[k], s[k])
				}
			}
		}
	}
}

func TestQuantilePanics(t *testing.T) {
	for _, tt := range []struct {
		name string
		f    func()
	}{
		{"p above 1", func() { Quantile(1.5, []float64{1}) }},
		{"p NaN", func() { QuantileSelect(math.NaN(), []float64{1}) }},
		{"k out of range", func() { Select([]float64{1, 2}, 2) }},
		{"no trials but k", func() { ClopperPearson(1, 0, 0.95) }},
		{"level 1", func() { ClopperPearson(1, 2, 1) }},
		{"lengths", func() { CoverageNeeded([]float64{1}, nil, 0.8) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("no panic")
				}
			}()
			tt.f()
		})
	}
}

func TestClopperPearson(t *testing.T) {
	for _, tt := range []struct {
		name        string
		k, n        int
		level       float64
		lo, hi      float64
		tol         float64
		nanInterval bool
	}{
		// Closed forms at the ends.
		{name: "none of 300", k: 0, n: 300, level: 0.95, lo: 0, hi: 1 - math.Pow(0.025, 1.0/300), tol: 1e-12},
		{name: "all of 300", k: 300, n: 300, level: 0.95, lo: math.Pow(0.025, 1.0/300), hi: 1, tol: 1e-12},
		{name: "none of 1", k: 0, n: 1, level: 0.95, lo: 0, hi: 0.975, tol: 1e-12},
		{name: "all of 1", k: 1, n: 1, level: 0.95, lo: 0.025, hi: 1, tol: 1e-12},
		{name: "all of 120 at 90%", k: 120, n: 120, level: 0.9, lo: math.Pow(0.05, 1.0/120), hi: 1, tol: 1e-12},
		// Published values, to the 7 digits R's binom.test prints.
		{name: "5 of 10", k: 5, n: 10, level: 0.95, lo: 0.1870860, hi: 0.8129140, tol: 1e-6},
		{name: "1 of 10", k: 1, n: 10, level: 0.95, lo: 0.002528579, hi: 0.4450161, tol: 1e-7},
		// No trials: nothing known, and no panic.
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
// its ends the binomial tails beyond the observed count hold α/2; and its
// symmetry lo(k, n) = 1 − hi(n−k, n).
func TestClopperPearsonTails(t *testing.T) {
	for _, n := range []int{7, 40, 300, 500} {
		for _, k := range []int{1, n / 3, n / 2, n - 1} {
			lo, hi := ClopperPearson(k, n, 0.95)
			if got := 1 - (distuv.Binomial{N: float64(n), P: lo}).CDF(float64(k-1)); math.Abs(got-0.025) > 1e-9 {
				t.Errorf("k=%d n=%d: P(X ≥ k; lo=%v) = %v, want 0.025", k, n, lo, got)
			}
			if got := (distuv.Binomial{N: float64(n), P: hi}).CDF(float64(k)); math.Abs(got-0.025) > 1e-9 {
				t.Errorf("k=%d n=%d: P(X ≤ k; hi=%v) = %v, want 0.025", k, n, hi, got)
			}
			if _, h2 := ClopperPearson(n-k, n, 0.95); math.Abs(lo-(1-h2)) > 1e-12 {
				t.Errorf("k=%d n=%d: lo %v, 1 − hi(n−k) %v", k, n, lo, 1-h2)
			}
		}
	}
}

func TestNormalQuantiles(t *testing.T) {
	for _, tt := range []struct {
		name string
		z, p float64
	}{{"Z90", Z90, 0.95}, {"Z95", Z95, 0.975}, {"Z99", Z99, 0.995}} {
		if got := distuv.UnitNormal.Quantile(tt.p); math.Abs(got-tt.z) > 1e-14 {
			t.Errorf("%s = %v, Φ⁻¹(%v) = %v", tt.name, tt.z, tt.p, got)
		}
	}
}

func TestCoverageNeeded(t *testing.T) {
	for _, tt := range []struct {
		name          string
		open, revenue []float64
		p, want       float64
	}{
		{"none", nil, nil, 0.8, math.NaN()},
		// Ratios 4, 3, 3, 5, 5: the median is 4.
		{"ratios", []float64{4, 6, 9, 10, 15}, []float64{1, 2, 3, 2, 3}, 0.5, 4},
		// Ratios 1..5 and a quarter without revenue: 5, as TestQuantile.
		{"no revenue once", []float64{1, 2, 3, 4, 5, 6}, []float64{1, 1, 1, 1, 1, 0}, 0.8, 5},
		{"never revenue", []float64{1, 2}, []float64{0, math.NaN()}, 0.8, inf},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := CoverageNeeded(tt.open, tt.revenue, tt.p)
			if got != tt.want && !(math.IsNaN(got) && math.IsNaN(tt.want)) {
				t.Errorf("CoverageNeeded = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestFloatJSON(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    float64
		json string
	}{
		{"NaN", math.NaN(), "null"},
		{"+Inf", inf, "null"},
		{"-Inf", -inf, "null"},
		{"shortest", 0.1, "0.1"},
		{"large", 1e21, "1e+21"},
		{"negative zero", math.Copysign(0, -1), "-0"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(Float(tt.v))
			if err != nil || string(b) != tt.json {
				t.Fatalf("Marshal(%v) = %s, %v; want %s", tt.v, b, err, tt.json)
			}
			var back Float
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if want := tt.v; !math.IsInf(want, 0) && math.Float64bits(float64(back)) != math.Float64bits(want) && !(math.IsNaN(want) && math.IsNaN(float64(back))) {
				t.Errorf("read back %v, want %v", back, want)
			}
		})
	}
	var f Float
	if err := json.Unmarshal([]byte(`"x"`), &f); err == nil {
		t.Errorf("Unmarshal of a string: no error")
	}
}
