package calibrate

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

func TestFitDelayExponentialClosedForm(t *testing.T) {
	// kmFixture: d = 6 events, total time ΣT = 37.
	f, err := FitDelay(kmFixture, Exponential)
	if err != nil {
		t.Fatal(err)
	}
	lam := 6.0 / 37
	ll := 6*math.Log(lam) - 6
	if math.Abs(f.Params[0]-lam) > 1e-9*lam || math.Abs(f.LogLik-ll) > 1e-9 ||
		math.Abs(f.SE[0]-lam/math.Sqrt(6)) > 1e-9 || math.Abs(f.AIC-(2-2*ll)) > 1e-9 {
		t.Errorf("got λ=%v ℓ=%v SE=%v AIC=%v; want %v %v %v %v", f.Params[0], f.LogLik, f.SE[0], f.AIC,
			lam, ll, lam/math.Sqrt(6), 2-2*ll)
	}
	if f.N != 10 || f.Events != 6 {
		t.Errorf("N=%d Events=%d", f.N, f.Events)
	}
	// Weibull (k=1) and gamma (α=1) nest the exponential: their maximised
	// likelihood can only be higher. This checks the optimiser finds the
	// optimum at least as well as the closed form.
	for _, form := range []DelayForm{Weibull, Gamma} {
		g, err := FitDelay(kmFixture, form)
		if err != nil {
			t.Fatal(err)
		}
		if g.LogLik < ll-1e-9 {
			t.Errorf("%v ℓ=%v below nested exponential ℓ=%v", form, g.LogLik, ll)
		}
	}
}

func TestFitDelayErrors(t *testing.T) {
	tests := []struct {
		name string
		obs  []Obs
		form DelayForm
		want string
	}{
		{"no events", []Obs{{T: 1, Event: false}, {T: 2, Event: false}}, Weibull, ErrNoEvents.Error()},
		{"event at zero", []Obs{{T: 0, Event: true}, {T: 2, Event: true}}, LogNormal, "calibrate: lognormal fit: event at T=0 has degenerate density"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FitDelay(tt.obs, tt.form)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err=%v want %q", err, tt.want)
			}
		})
	}
	if _, _, err := FitBestDelay([]Obs{{T: 1, Event: false}}); !errors.Is(err, ErrNoEvents) {
		t.Errorf("FitBestDelay err=%v", err)
	}
}

// simulateDelay draws n delays from rnd and censors them at uniform
// administrative censoring times on (0, cmax).
func simulateDelay(r *rand.Rand, n int, rnd func() float64, cmax float64) []Obs {
	obs := make([]Obs, n)
	for i := range obs {
		x, c := rnd(), cmax*r.Float64()
		obs[i] = Obs{T: math.Min(x, c), Event: x <= c}
	}
	return obs
}

// TestFitDelayRecovery fits each family to n=2000 censored draws from itself
// and checks every parameter within 4 standard errors of the truth.
func TestFitDelayRecovery(t *testing.T) {
	tests := []struct {
		name  string
		form  DelayForm
		truth []float64
		rnd   func(r *rand.Rand) func() float64
	}{
		{"exponential", Exponential, []float64{0.02}, func(r *rand.Rand) func() float64 {
			return distuv.Exponential{Rate: 0.02, Src: r}.Rand
		}},
		{"lognormal", LogNormal, []float64{math.Log(30), 0.9}, func(r *rand.Rand) func() float64 {
			return distuv.LogNormal{Mu: math.Log(30), Sigma: 0.9, Src: r}.Rand
		}},
		{"weibull", Weibull, []float64{1.5, 60}, func(r *rand.Rand) func() float64 {
			return distuv.Weibull{K: 1.5, Lambda: 60, Src: r}.Rand
		}},
		{"gamma", Gamma, []float64{2.5, 0.05}, func(r *rand.Rand) func() float64 {
			return distuv.Gamma{Alpha: 2.5, Beta: 0.05, Src: r}.Rand
		}},
	}
	seeds := []uint64{11, 12, 13}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, seed := range seeds {
				r := rand.New(rand.NewPCG(seed, 1))
				obs := simulateDelay(r, 2000, tt.rnd(r), 200)
				f, err := FitDelay(obs, tt.form)
				if err != nil {
					t.Fatal(err)
				}
				for i, want := range tt.truth {
					if !(math.Abs(f.Params[i]-want) <= 4*f.SE[i]) {
						t.Errorf("seed %d param %d: %.5g ± %.2g, truth %v", seed, i, f.Params[i], f.SE[i], want)
					}
				}
			}
		})
	}
}

// TestFitBestDelayAIC checks that AIC picks the true family when the
// families differ clearly: a wide lognormal (heavy right tail) and a
// decreasing-hazard Weibull.
func TestFitBestDelayAIC(t *testing.T) {
	tests := []struct {
		name string
		want DelayForm
		rnd  func(r *rand.Rand) func() float64
	}{
		{"lognormal σ=1.3", LogNormal, func(r *rand.Rand) func() float64 {
			return distuv.LogNormal{Mu: math.Log(20), Sigma: 1.3, Src: r}.Rand
		}},
		{"weibull k=0.6", Weibull, func(r *rand.Rand) func() float64 {
			return distuv.Weibull{K: 0.6, Lambda: 40, Src: r}.Rand
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, seed := range []uint64{21, 22} {
				r := rand.New(rand.NewPCG(seed, 2))
				obs := simulateDelay(r, 2000, tt.rnd(r), 400)
				best, all, err := FitBestDelay(obs)
				if err != nil {
					t.Fatal(err)
				}
				if len(all) != 4 || best.Form != tt.want {
					for _, f := range all {
						t.Logf("%v AIC %.1f %v", f.Form, f.AIC, f.Params)
					}
					t.Errorf("seed %d: best %v, want %v", seed, best.Form, tt.want)
				}
			}
		})
	}
}
