package calibrate

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// ArrivalFit summarises lead arrivals observed over whole weeks.
//
// Arrivals are given as hours since an origin that is midnight at the start
// of a day of the week (in the time zone whose weekday/hour profile is
// wanted); the observation window is [0, 168·Weeks) hours.
type ArrivalFit struct {
	Weeks        int     // whole weeks observed
	Total        int     // arrivals in the window
	WeeklyCounts []int   // arrivals per week, week w covering hours [168w, 168(w+1))
	WeeklyRate   float64 // mean arrivals per week, Total/Weeks
	// WeeklyRateSE is sqrt((μ + μ²/r)/Weeks), the standard error of
	// WeeklyRate under the fitted negative binomial (r = Dispersion; Poisson
	// when r = +Inf).
	WeeklyRateSE float64
	// Profile is the weekday-by-hour intensity relative to the mean,
	// indexed [time.Weekday][hour 0..23], with mean 1 over the 168 cells:
	// Profile[d][h] = 168·count(d,h)/Total. The expected arrivals in one
	// hour-cell of one week are WeeklyRate/168·Profile[d][h]. All cells are
	// 0 when Total = 0.
	Profile [7][24]float64
	// Trend is the ordinary-least-squares slope of weekly counts on the week
	// index, in arrivals per week per week, and TrendSE its standard error
	// (residual variance on Weeks-2 degrees of freedom).
	Trend, TrendSE float64
	// Dispersion is the maximum-likelihood negative binomial size r of the
	// weekly counts with a constant mean (variance μ + μ²/r), searched on
	// [1e-3, 1e8]; +Inf when the likelihood is largest at the Poisson
	// boundary. DispersionLogSE is the standard error of log r from the
	// curvature of the profile likelihood (NaN when r = +Inf).
	Dispersion, DispersionLogSE float64
	// LR is the likelihood-ratio statistic 2(ℓ_NB - ℓ_Poisson) ≥ 0 and
	// PValue its p-value against the boundary null r = ∞, from the
	// chi-bar-square mixture ½χ²₀ + ½χ²₁: PValue = ½·P(χ²₁ > LR) for LR > 0
	// and 1 for LR = 0.
	LR, PValue float64
	Warnings   []error
}

// FitArrivals estimates the weekly arrival rate, weekday-by-hour profile,
// linear trend and overdispersion from arrival times in hours since origin
// (midnight starting a day whose weekday is origin), observed over weeks
// whole weeks. It returns an error if weeks < 3 or if an arrival time is
// outside [0, 168·weeks) or NaN.
//
// The overdispersion test assumes a constant weekly mean: a trend or a
// seasonal pattern across weeks also shows up as overdispersion, so a
// warning is added when |Trend| > 2·TrendSE.
func FitArrivals(hours []float64, weeks int, origin time.Weekday) (ArrivalFit, error) {
	if weeks < 3 {
		return ArrivalFit{}, fmt.Errorf("calibrate: FitArrivals: %d weeks, need at least 3", weeks)
	}
	if origin < time.Sunday || origin > time.Saturday {
		panic("calibrate: FitArrivals: origin is not a weekday")
	}
	end := 168 * float64(weeks)
	a := ArrivalFit{Weeks: weeks, Total: len(hours), WeeklyCounts: make([]int, weeks)}
	var cells [7][24]int
	for i, h := range hours {
		if !(h >= 0 && h < end) {
			return ArrivalFit{}, fmt.Errorf("calibrate: FitArrivals: arrival %d at hour %v is outside [0, %v)", i, h, end)
		}
		a.WeeklyCounts[int(h/168)]++
		day := (int(origin) + int(h/24)) % 7
		cells[day][int(h)%24]++
	}
	if a.Total > 0 {
		for d := range cells {
			for h := range cells[d] {
				a.Profile[d][h] = 168 * float64(cells[d][h]) / float64(a.Total)
			}
		}
	}
	mu := float64(a.Total) / float64(weeks)
	a.WeeklyRate = mu
	a.Trend, a.TrendSE = olsSlope(a.WeeklyCounts)
	a.Dispersion, a.DispersionLogSE, a.LR = nbDispersion(a.WeeklyCounts, mu)
	a.PValue = 1
	if a.LR > 0 {
		a.PValue = 0.5 * distuv.ChiSquared{K: 1}.Survival(a.LR)
	}
	v := mu
	if !math.IsInf(a.Dispersion, 1) {
		v += mu * mu / a.Dispersion
	}
	a.WeeklyRateSE = math.Sqrt(v / float64(weeks))
	if math.Abs(a.Trend) > 2*a.TrendSE {
		a.Warnings = append(a.Warnings, fmt.Errorf("weekly counts trend by %.3g ± %.2g per week: the overdispersion test assumes a constant mean", a.Trend, a.TrendSE))
	}
	return a, nil
}

// olsSlope returns the least-squares slope of y on 0..len(y)-1 and its
// standard error.
func olsSlope(y []int) (slope, se float64) {
	n := float64(len(y))
	xm := (n - 1) / 2
	var ym float64
	for _, v := range y {
		ym += float64(v)
	}
	ym /= n
	var sxx, sxy float64
	for i, v := range y {
		dx := float64(i) - xm
		sxx += dx * dx
		sxy += dx * (float64(v) - ym)
	}
	slope = sxy / sxx
	var rss float64
	for i, v := range y {
		r := float64(v) - ym - slope*(float64(i)-xm)
		rss += r * r
	}
	return slope, math.Sqrt(rss / (n - 2) / sxx)
}

// nbLogLik returns the negative binomial log-likelihood of counts y with
// mean mu and size r, without the Σ log y! term (shared with the Poisson).
// lgamma(y+r) - lgamma(r) is summed as Σ_{i<y} log(r+i) for accuracy at
// large r.
func nbLogLik(y []int, mu, r float64) float64 {
	var ll float64
	lr := -r * math.Log1p(mu/r) // r·log(r/(r+μ))
	for _, v := range y {
		if v < 100000 {
			for i := 0; i < v; i++ {
				ll += math.Log(r + float64(i))
			}
		} else {
			a, _ := math.Lgamma(float64(v) + r)
			b, _ := math.Lgamma(r)
			ll += a - b
		}
		ll += lr + float64(v)*(math.Log(mu)-math.Log(r+mu))
	}
	return ll
}

// nbDispersion maximises the negative binomial likelihood over log r by
// golden-section search on [log 1e-3, log 1e8] and returns r (+Inf at the
// upper end), the standard error of log r, and the LR statistic against the
// Poisson with the same mean.
func nbDispersion(y []int, mu float64) (r, logSE, lr float64) {
	if mu == 0 {
		return math.Inf(1), math.NaN(), 0
	}
	var pois float64
	for _, v := range y {
		pois += float64(v)*math.Log(mu) - mu
	}
	f := func(lr float64) float64 { return nbLogLik(y, mu, math.Exp(lr)) }
	lo, hi := math.Log(1e-3), math.Log(1e8)
	g := (math.Sqrt(5) - 1) / 2
	x1, x2 := hi-g*(hi-lo), lo+g*(hi-lo)
	f1, f2 := f(x1), f(x2)
	for hi-lo > 1e-7 {
		if f1 < f2 {
			lo, x1, f1 = x1, x2, f2
			x2 = lo + g*(hi-lo)
			f2 = f(x2)
		} else {
			hi, x2, f2 = x2, x1, f1
			x1 = hi - g*(hi-lo)
			f1 = f(x1)
		}
	}
	x := (lo + hi) / 2
	if x > math.Log(1e8)-0.01 {
		return math.Inf(1), math.NaN(), 0
	}
	best := f(x)
	lr = math.Max(0, 2*(best-pois))
	const h = 1e-3
	curv := -(f(x+h) - 2*best + f(x-h)) / (h * h)
	logSE = math.NaN()
	if curv > 0 {
		logSE = 1 / math.Sqrt(curv)
	}
	return math.Exp(x), logSE, lr
}
