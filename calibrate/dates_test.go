package calibrate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/integrate/quad"
	"gonum.org/v1/gonum/stat/distuv"
)

// TestDatesOnly: the rule for a set of times that are dates only (at
// least 99% exactly at midnight in one of the zones tried).
func TestDatesOnly(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	day := func(i int, z *time.Location) time.Time { return time.Date(2024, 3, 1+i, 0, 0, 0, 0, z) } // across the DST change of 10 March
	days := func(n int, z *time.Location) []time.Time {
		var s []time.Time
		for i := range n {
			s = append(s, day(i, z).UTC()) // package data keeps times in UTC
		}
		return s
	}
	with := func(s []time.Time, k int, d time.Duration) []time.Time {
		s = append([]time.Time(nil), s...)
		for i := range k {
			s[i] = s[i].Add(d)
		}
		return s
	}
	tests := []struct {
		name  string
		times []time.Time
		zones []*time.Location
		want  *time.Location // nil: not dates only
	}{
		{"empty", nil, []*time.Location{time.UTC}, nil},
		{"only zero times", make([]time.Time, 3), []*time.Location{time.UTC}, nil},
		{"one midnight", days(1, time.UTC), []*time.Location{time.UTC}, time.UTC},
		{"midnights in UTC", days(200, time.UTC), []*time.Location{time.UTC, ny}, time.UTC},
		{"midnights in New York, across DST", days(200, ny), []*time.Location{time.UTC, ny}, ny},
		{"midnights in New York, UTC only tried", days(200, ny), []*time.Location{time.UTC}, nil},
		{"nil zone skipped", days(200, ny), []*time.Location{nil, ny}, ny},
		{"zero times skipped", append(days(100, time.UTC), make([]time.Time, 50)...), []*time.Location{time.UTC}, time.UTC},
		{"1% with a time", with(days(200, time.UTC), 2, 9*time.Hour), []*time.Location{time.UTC}, time.UTC},
		{"1.5% with a time", with(days(200, time.UTC), 3, 9*time.Hour), []*time.Location{time.UTC}, nil},
		{"a second past midnight", with(days(50, time.UTC), 50, time.Second), []*time.Location{time.UTC}, nil},
		{"a nanosecond past midnight", with(days(50, time.UTC), 50, time.Nanosecond), []*time.Location{time.UTC}, nil},
		{"times of day", with(days(50, time.UTC), 50, 14*time.Hour+3*time.Minute), []*time.Location{time.UTC, ny}, nil},
		{"noons", with(days(50, time.UTC), 50, 12*time.Hour), []*time.Location{time.UTC, ny}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z, ok := datesOnly(tt.times, tt.zones...)
			if ok != (tt.want != nil) || z != tt.want {
				t.Errorf("datesOnly = %v, %v; want %v", z, ok, tt.want)
			}
		})
	}
}

// dayDists are the distributions the day-resolution likelihoods are
// checked on: light and heavy tails, densities infinite at 0 (Weibull
// and gamma shapes below 1), and a mixture.
var dayDists = []struct {
	name string
	d    dayDist
}{
	{"exponential(0.3)", formDist{Exponential, []float64{0.3}}},
	{"lognormal(ln 2, 1)", formDist{LogNormal, []float64{math.Ln2, 1}}},
	{"lognormal(1, 3)", formDist{LogNormal, []float64{1, 3}}},
	{"weibull(0.7, 5)", formDist{Weibull, []float64{0.7, 5}}},
	{"weibull(2, 5)", formDist{Weibull, []float64{2, 5}}},
	{"gamma(0.6, 0.2)", formDist{Gamma, []float64{0.6, 0.2}}},
	{"gamma(3, 0.5)", formDist{Gamma, []float64{3, 0.5}}},
	{"mixture", newMixDist(MixFit{W: 0.4, Mu1: 1, Sigma1: 0.5, Mu2: 4, Sigma2: 0.7})},
}

// TestDayLikelihoodIdentities checks closed forms: the probabilities of
// the recorded whole days sum to what the truncation term says, and to 1.
func TestDayLikelihoodIdentities(t *testing.T) {
	for _, tt := range dayDists {
		t.Run(tt.name, func(t *testing.T) {
			const K, N = 30, 20000
			sumBoth, sumEnd := 0.0, 0.0
			for k := 0; k <= N; k++ {
				pb := math.Exp(dayLogLik(tt.d, BothDays, float64(k)))
				pe := math.Exp(dayLogLik(tt.d, EndDay, float64(k)))
				if !(pb >= 0) || !(pe >= 0) {
					t.Fatalf("k=%d: P = %v, %v", k, pb, pe)
				}
				sumBoth += pb
				sumEnd += pe
				if k == K {
					if seen := math.Exp(dayLogSeen(tt.d, BothDays, K)); math.Abs(sumBoth-seen) > 1e-12 {
						t.Errorf("Σ_{k≤%d} P(k) = %.15g, truncation term %.15g", K, sumBoth, seen)
					}
					if seen := math.Exp(dayLogSeen(tt.d, EndDay, K)); math.Abs(sumEnd-seen) > 1e-12 {
						t.Errorf("end date: Σ_{k≤%d} P(k) = %.15g, truncation term %.15g", K, sumEnd, seen)
					}
				}
			}
			// Σ_{k≤N} P(k) = ∫_N^{N+1} F for two dates, F(N+1) for an end
			// date; both → 1.
			if seen := math.Exp(dayLogSeen(tt.d, BothDays, N)); math.Abs(sumBoth-seen) > 1e-12 {
				t.Errorf("Σ_{k≤%d} P(k) = %.15g; want ∫_N^{N+1} F = %.15g", N, sumBoth, seen)
			}
			if lf, _ := tt.d.logCDF(N + 1); math.Abs(sumEnd-math.Exp(lf)) > 1e-12 {
				t.Errorf("end date: Σ_{k≤%d} P(k) = %.15g; want F(N+1) = %.15g", N, sumEnd, math.Exp(lf))
			}
		})
	}
}

// TestDayLikelihoodQuadrature checks the likelihoods against numerical
// integrals of the distribution function: P(k) = ∫_0^1 [F(k+1−u) −
// F(k−u)] du for two dates, P = F(T) − F(T−1) for a start date, and the
// truncation terms ∫ F.
func TestDayLikelihoodQuadrature(t *testing.T) {
	F := func(d dayDist, x float64) float64 { lf, _ := d.logCDF(x); return math.Exp(lf) }
	integral := func(g func(float64) float64, a, b float64) float64 {
		const pieces = 2000
		v, h := 0.0, (b-a)/pieces
		for i := range pieces {
			v += quad.Fixed(g, a+float64(i)*h, a+float64(i+1)*h, 8, quad.Legendre{}, 0)
		}
		return v
	}
	for _, tt := range dayDists {
		for _, x := range []float64{0, 0.3, 1, 2, 7, 30.5} {
			t.Run(fmt.Sprintf("%s/%g", tt.name, x), func(t *testing.T) {
				check := func(what string, got, want float64) {
					t.Helper()
					// The quadrature's error: the integrands' derivatives
					// are unbounded at 0 for shapes below 1.
					if !(math.Abs(got-want) <= 1e-7*want+1e-12) {
						t.Errorf("%s = %.12g, quadrature %.12g", what, got, want)
					}
				}
				both := integral(func(u float64) float64 { return F(tt.d, x+1-u) - F(tt.d, x-u) }, 0, 1)
				check("P(dates)", math.Exp(dayLogLik(tt.d, BothDays, x)), both)
				check("P(end date)", math.Exp(dayLogLik(tt.d, EndDay, x)), F(tt.d, x+1)-F(tt.d, x))
				check("seen(dates)", math.Exp(dayLogSeen(tt.d, BothDays, x)), integral(func(s float64) float64 { return F(tt.d, s) }, x, x+1))
				check("seen(end date)", math.Exp(dayLogSeen(tt.d, EndDay, x)), F(tt.d, x+1))
				if x > 0 {
					check("P(start date)", math.Exp(dayLogLik(tt.d, StartDay, x)), F(tt.d, x)-F(tt.d, max(x-1, 0)))
					check("seen(start date)", math.Exp(dayLogSeen(tt.d, StartDay, x)), integral(func(s float64) float64 { return F(tt.d, s) }, max(x-1, 0), x))
				}
			})
		}
	}
}

// dayDelays draws n right-truncated delays from d whose starts are
// uniform over [0, days) days, each at a uniform time of day, recorded as
// dates: the whole days between the start's date and the end's, with
// follow-up to day `days`; ends after it are not seen.
func dayDelays(d distuv.Rander, n int, days float64, r *rand.Rand) []TruncObs {
	var obs []TruncObs
	for len(obs) < n {
		sd := math.Floor(r.Float64() * days)
		end := sd + r.Float64() + d.Rand()
		if ed := math.Floor(end); ed <= days {
			obs = append(obs, TruncObs{T: ed - sd, Follow: days - sd, Days: BothDays})
		}
	}
	return obs
}

// TestFitTruncatedDays recovers delays recorded as dates, many of them 0
// whole days, within 4 standard errors, where the same delays taken as
// exact times (a 0 made half a second) are far off.
func TestFitTruncatedDays(t *testing.T) {
	seeds := []uint64{1, 2, 3}
	if testing.Short() {
		seeds = seeds[:1]
	}
	cases := []struct {
		form  DelayForm
		truth []float64
		d     func(src rand.Source) distuv.Rander
	}{
		{LogNormal, []float64{0, 1}, func(src rand.Source) distuv.Rander {
			return distuv.LogNormal{Mu: 0, Sigma: 1, Src: src}
		}},
		{Weibull, []float64{0.8, 1.5}, func(src rand.Source) distuv.Rander {
			return distuv.Weibull{K: 0.8, Lambda: 1.5, Src: src}
		}},
		{Gamma, []float64{1.5, 1}, func(src rand.Source) distuv.Rander {
			return distuv.Gamma{Alpha: 1.5, Beta: 1, Src: src}
		}},
	}
	for _, tc := range cases {
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%v/seed%d", tc.form, seed), func(t *testing.T) {
				r := rand.New(rand.NewPCG(seed, 17))
				obs := dayDelays(tc.d(rand.NewPCG(seed, 18)), 5000, 120, r)
				zero := 0
				for _, o := range obs {
					if o.T == 0 {
						zero++
					}
				}
				fit, err := FitTruncatedDelay(obs, tc.form)
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%d delays, %.0f%% of 0 days: %v %.4g ± %.2g", len(obs), 100*float64(zero)/float64(len(obs)), tc.form, fit.Params, fit.SE)
				if zero < len(obs)/10 {
					t.Errorf("only %d of %d delays are 0 days: the case is not tested", zero, len(obs))
				}
				for i, v := range tc.truth {
					if z := (fit.Params[i] - v) / fit.SE[i]; !(math.Abs(z) < 4) {
						t.Errorf("param %d = %.4g ± %.2g, truth %v: %.1f SE", i, fit.Params[i], fit.SE[i], v, z)
					}
				}
				naive := make([]TruncObs, len(obs))
				for i, o := range obs {
					naive[i] = TruncObs{T: max(o.T, tiny), Follow: o.Follow}
				}
				nf, err := FitTruncatedDelay(naive, tc.form)
				if err == nil {
					worst := 0.0
					for i, v := range tc.truth {
						worst = max(worst, math.Abs(nf.Params[i]-v)/nf.SE[i])
					}
					if worst < 10 {
						t.Errorf("the naive fit %.4g is within %.1f SE of the truth: the test does not tell", nf.Params, worst)
					}
				}
			})
		}
	}
}

func TestFitTruncatedDaysErrors(t *testing.T) {
	tests := []struct {
		name string
		o    TruncObs
		want string
	}{
		{"exact 0", TruncObs{T: 0, Follow: 3}, "calibrate: truncated delay 0: T=0, Follow=3 (exact); want 0 < T ≤ Follow"},
		{"dates -1", TruncObs{T: -1, Follow: 3, Days: BothDays}, "calibrate: truncated delay 0: T=-1, Follow=3 (dates); want 0 ≤ T ≤ Follow"},
		{"end date -1", TruncObs{T: -1, Follow: 3, Days: EndDay}, "calibrate: truncated delay 0: T=-1, Follow=3 (end date); want -1 < T ≤ Follow"},
		{"start date 0", TruncObs{T: 0, Follow: 3, Days: StartDay}, "calibrate: truncated delay 0: T=0, Follow=3 (start date); want 0 < T ≤ Follow"},
		{"follow below T", TruncObs{T: 4, Follow: 3, Days: BothDays}, "calibrate: truncated delay 0: T=4, Follow=3 (dates); want 0 ≤ T ≤ Follow"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FitTruncatedDelay([]TruncObs{tt.o}, LogNormal)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v\nwant %s", err, tt.want)
			}
		})
	}
	// A same-day delay between dates is valid.
	if _, err := FitTruncatedDelay([]TruncObs{{T: 0, Follow: 3, Days: BothDays}, {T: 1, Follow: 3, Days: BothDays}, {T: 2, Follow: 5, Days: BothDays}}, LogNormal); err != nil {
		t.Error(err)
	}
}
