package calibrate

import (
	"fmt"
	"math"
	"slices"
)

// TruncObs is a delay that was observed because it ended before the end of
// follow-up: a lead that took an edge after T, when it could have been seen
// taking it only up to Follow (the time from its clock start to the as-of
// date of the export).
//
// When Days is not TimesExact, an end of the delay was recorded as a date
// only (see DayEnds): T and Follow are then in days, T is the recorded
// delay (from the recorded start to the recorded end, a date's midnight)
// and Follow the largest recorded delay the export could show (to the
// as-of time, or to the midnight starting the as-of day when the end is a
// date).
type TruncObs struct {
	T      float64 // the delay, > 0 (see DayEnds for date-only ends), in the caller's unit
	Follow float64 // the longest delay that could have been observed, ≥ T; +Inf: no truncation
	Days   DayEnds // which ends are dates only; TimesExact (the zero value): neither
	// Entry, when positive, is a left truncation: the delay could be seen
	// only if it was at least Entry (the stay was under way before the
	// export's records of it begin, Entry after its start), in [0,
	// Follow]. The truncation term is then P(Entry ≤ recorded delay ≤
	// Follow): F(Follow) − F(Entry) for exact times, and for date-only
	// ends DayEnds' term at Follow less its term at Entry − 1 (a recorded
	// delay is whole days or, with one date-only end, seen from the day
	// Entry names). 0 means no left truncation.
	Entry float64
}

// windowGroup is a count n of left-truncated delays (TruncObs.Entry > 0)
// with the same ends, follow-up and entry.
type windowGroup struct {
	e             DayEnds
	follow, entry float64
	n             float64
}

// windowGroups collects the left-truncated observations of obs, in a fixed
// order.
func windowGroups(obs []TruncObs) []windowGroup {
	type key struct {
		e             DayEnds
		follow, entry float64
	}
	c := map[key]float64{}
	for _, o := range obs {
		if o.Entry > 0 {
			c[key{o.Days, o.Follow, o.Entry}]++
		}
	}
	gs := make([]windowGroup, 0, len(c))
	for k, n := range c {
		gs = append(gs, windowGroup{k.e, k.follow, k.entry, n})
	}
	slices.SortFunc(gs, func(a, b windowGroup) int {
		if c := cmpFloat(a.follow, b.follow); c != 0 {
			return c
		}
		if c := cmpFloat(a.entry, b.entry); c != 0 {
			return c
		}
		return int(a.e) - int(b.e)
	})
	return gs
}

// logSeenWindow returns the log of the truncation term of g under d (see
// TruncObs.Entry): −Inf when d puts no mass in the window.
func logSeenWindow(d dayDist, g windowGroup) float64 {
	var hi, lo float64
	if g.e == TimesExact {
		if !math.IsInf(g.follow, 1) {
			hi, _ = d.logCDF(g.follow)
		}
		lo, _ = d.logCDF(g.entry)
	} else {
		hi, lo = dayLogSeen(d, g.e, g.follow), dayLogSeen(d, g.e, g.entry-1)
	}
	if !(lo < hi) {
		return math.Inf(-1)
	}
	return hi + math.Log1p(-math.Exp(lo-hi))
}

// validEntry reports whether o's Entry is possible: 0, or in (0, Follow].
func validEntry(o TruncObs) bool { return o.Entry == 0 || o.Entry > 0 && o.Entry <= o.Follow }

// dayGroups collects the day-resolution observations of obs, and their
// follow-ups, as counts of distinct (DayEnds, value) in a fixed order
// (the order of summation does not depend on obs's order).
type dayGroup struct {
	e DayEnds
	v float64
	n float64
}

func dayGroups(obs []TruncObs) (ts, follows []dayGroup) {
	type key struct {
		e DayEnds
		v float64
	}
	tc, fc := map[key]float64{}, map[key]float64{}
	for _, o := range obs {
		if o.Days == TimesExact {
			continue
		}
		tc[key{o.Days, o.T}]++
		if o.Entry == 0 && !math.IsInf(o.Follow, 1) {
			fc[key{o.Days, o.Follow}]++
		}
	}
	for k, n := range tc {
		ts = append(ts, dayGroup{k.e, k.v, n})
	}
	for k, n := range fc {
		follows = append(follows, dayGroup{k.e, k.v, n})
	}
	order := func(a, b dayGroup) int {
		if c := cmpFloat(a.v, b.v); c != 0 {
			return c
		}
		return int(a.e) - int(b.e)
	}
	slices.SortFunc(ts, order)
	slices.SortFunc(follows, order)
	return ts, follows
}

// dayProxy returns a delay in the middle of what a recorded delay with
// date-only ends stands for, at least half a day: for starting values.
func dayProxy(o TruncObs) float64 {
	switch o.Days {
	case EndDay:
		return max(o.T+0.5, 0.5)
	case StartDay:
		return max(o.T-0.5, 0.5)
	case BothDays:
		return max(o.T, 0.5)
	}
	return o.T
}

// FitTruncatedDelay fits the delay distribution form to right-truncated
// delays by maximum likelihood: the conditional log-likelihood of delays
// known to end before their follow-up C_i,
//
//	ℓ(θ) = Σ_i [ log f(T_i; θ) − log F(C_i; θ) ],
//
// (with a left truncation E_i, TruncObs.Entry, the term is
// log(F(C_i; θ) − F(E_i; θ)): doubly truncated delays),
//
// F the distribution function. This is the likelihood of the delay of one
// competing outcome given that the outcome was taken and seen: in a funnel
// a lead picks its next stage with probability p_j and then waits a delay
// drawn from f_j, so among the leads seen taking edge j by the as-of date,
// delays are f_j truncated at their own follow-up. It needs neither p_j nor
// the leads that have not moved yet, and it reduces to the ordinary MLE when
// every C_i is far in the tail. AIC = 2p − 2ℓ compares forms on the same
// data; SE and Cov come from the observed information as in FitDelay.
// Delays with date-only ends (TruncObs.Days) enter with the likelihood and
// truncation term of DayEnds instead of f and F.
//
// It returns ErrNoEvents for no observations, and an error for a T or
// Follow its Days does not allow (T ≤ 0 for exact times, Follow < T). It
// panics on an unknown form.
func FitTruncatedDelay(obs []TruncObs, form DelayForm) (Fit, error) {
	if form < Exponential || form > Gamma {
		panic("calibrate: unknown DelayForm")
	}
	if len(obs) == 0 {
		return Fit{}, ErrNoEvents
	}
	// The exact delays enter the density term by their sufficient
	// statistics (per observation only for the Weibull); the starting
	// values come from all delays (date-only ones by dayProxy).
	sumT, sumLog, sumLog2 := 0.0, 0.0, 0.0
	eT, eLog, eLog2 := 0.0, 0.0, 0.0
	var logT []float64
	for i, o := range obs {
		if !o.Days.valid(o.T, o.Follow) {
			return Fit{}, fmt.Errorf("calibrate: truncated delay %d: T=%v, Follow=%v (%v); want %s", i, o.T, o.Follow, o.Days, wantT(o.Days))
		}
		if !validEntry(o) {
			return Fit{}, fmt.Errorf("calibrate: truncated delay %d: Entry=%v, Follow=%v; want Entry 0 or in (0, Follow]", i, o.Entry, o.Follow)
		}
		t := dayProxy(o)
		sumT += t
		l := math.Log(t)
		sumLog += l
		sumLog2 += l * l
		if o.Days == TimesExact {
			eT += o.T
			eLog += l
			eLog2 += l * l
			logT = append(logT, l)
		}
	}
	n := float64(len(obs))
	// The truncation term over the follow-ups in increasing order,
	// stopping where F(C) = 1 to double precision.
	follow := make([]float64, 0, len(obs))
	for _, o := range obs {
		if o.Days == TimesExact && o.Entry == 0 && !math.IsInf(o.Follow, 1) {
			follow = append(follow, o.Follow)
		}
	}
	slices.Sort(follow)
	var logFollow []float64 // for the lognormal: log C, computed once
	if form == LogNormal {
		logFollow = make([]float64, len(follow))
		for i, c := range follow {
			logFollow[i] = math.Log(c)
		}
	}
	dayT, dayFollow := dayGroups(obs)
	window := windowGroups(obs)
	lgN := float64(len(logT))
	nll := func(eta []float64) float64 {
		p, _ := fromEta(form, eta)
		var ll float64
		if lgN > 0 {
			switch form {
			case Exponential:
				ll = lgN*math.Log(p[0]) - p[0]*eT
			case LogNormal:
				mu, sg := p[0], p[1]
				ss := eLog2 - 2*mu*eLog + lgN*mu*mu
				ll = -eLog - lgN*math.Log(sg) - 0.5*lgN*math.Log(2*math.Pi) - ss/(2*sg*sg)
			case Weibull:
				k, lam := p[0], p[1]
				ll = lgN*(math.Log(k)-k*math.Log(lam)) + (k-1)*eLog
				ll0 := k * math.Log(lam)
				for _, lt := range logT {
					ll -= math.Exp(k*lt - ll0)
				}
			case Gamma:
				a, b := p[0], p[1]
				lg, _ := math.Lgamma(a)
				ll = lgN*(a*math.Log(b)-lg) + (a-1)*eLog - b*eT
			}
		}
		for i, c := range follow {
			var ls float64
			if logFollow != nil && c > 0 { // logSurvival's lognormal case, with log C at hand
				z := (logFollow[i] - p[0]) / p[1]
				ls = math.Log(0.5 * math.Erfc(z/math.Sqrt2))
			} else {
				ls = logSurvival(form, p, c)
			}
			if ls < -40 {
				break
			}
			if !(ls < -1e-300) {
				return math.Inf(1)
			}
			ll -= math.Log(-math.Expm1(ls))
		}
		if len(dayT) > 0 {
			d := formDist{form, p}
			for _, g := range dayT {
				ll += g.n * dayLogLik(d, g.e, g.v)
			}
			for _, g := range dayFollow {
				if logSurvival(form, p, g.v-1) < -40 {
					break
				}
				ll -= g.n * dayLogSeen(d, g.e, g.v)
			}
		}
		if len(window) > 0 {
			d := formDist{form, p}
			for _, g := range window {
				ll -= g.n * logSeenWindow(d, g)
			}
		}
		if math.IsNaN(ll) || math.IsInf(ll, 0) {
			return math.Inf(1)
		}
		return -ll
	}
	rate := n / sumT
	var x0 []float64
	switch form {
	case Exponential:
		x0 = []float64{math.Log(rate)}
	case LogNormal:
		m := sumLog / n
		v := sumLog2/n - m*m
		x0 = []float64{m, 0.5 * math.Log(math.Max(v, 1e-4))}
	case Weibull:
		x0 = []float64{0, -math.Log(rate)}
	case Gamma:
		x0 = []float64{0, math.Log(rate)}
	}
	eta, f := minimizeNLL(nll, x0)
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return Fit{}, fmt.Errorf("calibrate: truncated %v fit did not reach a finite likelihood", form)
	}
	fit := Fit{Form: form, N: len(obs), Events: len(obs)}
	var deriv []float64
	fit.Params, deriv = fromEta(form, eta)
	fit.Eta = eta
	cov := covariance(nll, eta)
	_, fit.SE = deltaSE(cov, deriv)
	if cov != nil {
		k := len(eta)
		fit.Cov = make([][]float64, k)
		for i := range k {
			fit.Cov[i] = make([]float64, k)
			for j := range k {
				fit.Cov[i][j] = cov.At(i, j)
			}
		}
	}
	fit.LogLik = -f
	fit.AIC = 2*float64(len(eta)) - 2*fit.LogLik
	return fit, nil
}

// FitBestTruncatedDelay fits every form in DelayForms with
// FitTruncatedDelay and returns the one with the smallest AIC, and all
// successful fits in DelayForms order. It returns the last error if every
// form fails.
func FitBestTruncatedDelay(obs []TruncObs) (best Fit, all []Fit, err error) {
	return bestByAIC(func(form DelayForm) (Fit, error) { return FitTruncatedDelay(obs, form) })
}

// wantT says which T and Follow a DayEnds allows.
func wantT(e DayEnds) string {
	switch e {
	case EndDay:
		return "-1 < T ≤ Follow"
	case BothDays:
		return "0 ≤ T ≤ Follow"
	}
	return "0 < T ≤ Follow"
}
