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
type TruncObs struct {
	T      float64 // the delay, > 0, in the caller's unit
	Follow float64 // the longest delay that could have been observed, ≥ T; +Inf: no truncation
}

// FitTruncatedDelay fits the delay distribution form to right-truncated
// delays by maximum likelihood: the conditional log-likelihood of delays
// known to end before their follow-up C_i,
//
//	ℓ(θ) = Σ_i [ log f(T_i; θ) − log F(C_i; θ) ],
//
// F the distribution function. This is the likelihood of the delay of one
// competing outcome given that the outcome was taken and seen: in a funnel
// a lead picks its next stage with probability p_j and then waits a delay
// drawn from f_j, so among the leads seen taking edge j by the as-of date,
// delays are f_j truncated at their own follow-up. It needs neither p_j nor
// the leads that have not moved yet, and it reduces to the ordinary MLE when
// every C_i is far in the tail. AIC = 2p − 2ℓ compares forms on the same
// data; SE and Cov come from the observed information as in FitDelay.
//
// It returns ErrNoEvents for no observations, and an error for T ≤ 0 or
// Follow < T. It panics on an unknown form.
func FitTruncatedDelay(obs []TruncObs, form DelayForm) (Fit, error) {
	if form < Exponential || form > Gamma {
		panic("calibrate: unknown DelayForm")
	}
	if len(obs) == 0 {
		return Fit{}, ErrNoEvents
	}
	sumT, sumLog, sumLog2 := 0.0, 0.0, 0.0
	for i, o := range obs {
		if !(o.T > 0) || !(o.Follow >= o.T) {
			return Fit{}, fmt.Errorf("calibrate: truncated delay %d: T=%v, Follow=%v; want 0 < T ≤ Follow", i, o.T, o.Follow)
		}
		sumT += o.T
		l := math.Log(o.T)
		sumLog += l
		sumLog2 += l * l
	}
	n := float64(len(obs))
	// The density term from sufficient statistics (per observation only
	// for the Weibull), and the truncation term over the follow-ups in
	// increasing order, stopping where F(C) = 1 to double precision.
	logT := make([]float64, len(obs))
	follow := make([]float64, 0, len(obs))
	for i, o := range obs {
		logT[i] = math.Log(o.T)
		if !math.IsInf(o.Follow, 1) {
			follow = append(follow, o.Follow)
		}
	}
	slices.Sort(follow)
	lgN := float64(len(obs))
	nll := func(eta []float64) float64 {
		p, _ := fromEta(form, eta)
		var ll float64
		switch form {
		case Exponential:
			ll = lgN*math.Log(p[0]) - p[0]*sumT
		case LogNormal:
			mu, sg := p[0], p[1]
			ss := sumLog2 - 2*mu*sumLog + lgN*mu*mu
			ll = -sumLog - lgN*math.Log(sg) - 0.5*lgN*math.Log(2*math.Pi) - ss/(2*sg*sg)
		case Weibull:
			k, lam := p[0], p[1]
			ll = lgN*(math.Log(k)-k*math.Log(lam)) + (k-1)*sumLog
			ll0 := k * math.Log(lam)
			for _, lt := range logT {
				ll -= math.Exp(k*lt - ll0)
			}
		case Gamma:
			a, b := p[0], p[1]
			lg, _ := math.Lgamma(a)
			ll = lgN*(a*math.Log(b)-lg) + (a-1)*sumLog - b*sumT
		}
		for _, c := range follow {
			ls := logSurvival(form, p, c)
			if ls < -40 {
				break
			}
			if !(ls < -1e-300) {
				return math.Inf(1)
			}
			ll -= math.Log(-math.Expm1(ls))
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
