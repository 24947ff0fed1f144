package calibrate

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// DelayForm names a parametric family for a time-to-event (delay)
// distribution.
type DelayForm int

const (
	Exponential DelayForm = iota // Params: [λ], rate per unit time; mean 1/λ
	LogNormal                    // Params: [μ, σ] of log T; median exp(μ)
	Weibull                      // Params: [k, λ], shape and scale; S(t) = exp(-(t/λ)^k)
	Gamma                        // Params: [α, β], shape and rate; mean α/β
)

// DelayForms lists every DelayForm, in the order FitBestDelay tries them.
var DelayForms = []DelayForm{Exponential, LogNormal, Weibull, Gamma}

var delayNames = [...]string{"exponential", "lognormal", "weibull", "gamma"}

// String returns the lower-case name of the form.
func (f DelayForm) String() string {
	if f < 0 || int(f) >= len(delayNames) {
		return fmt.Sprintf("DelayForm(%d)", int(f))
	}
	return delayNames[f]
}

// Fit is a censored maximum-likelihood fit of a delay distribution.
//
// The log-likelihood of right-censored data is
//
//	ℓ(θ) = Σ_events log f(T_i; θ) + Σ_censored log S(T_i; θ)
//
// and AIC = 2p - 2ℓ with p = len(Params). SE comes from the observed
// information: the inverse of the numerical Hessian of -ℓ with respect to the
// optimisation scale (log of every positive parameter, μ as is), mapped to
// Params by the delta method. SE entries are NaN if the Hessian is not
// positive definite.
type Fit struct {
	Form   DelayForm
	Params []float64 // parameters in the order documented on Form
	SE     []float64 // standard errors of Params
	LogLik float64   // maximised log-likelihood ℓ
	AIC    float64   // 2·len(Params) - 2·LogLik
	N      int       // observations used
	Events int       // uncensored observations
	// Eta and Cov are the optimisation-scale parameters (log of every
	// positive parameter, μ as is) and their covariance, the inverse
	// observed information; set by FitTruncatedDelay (nil elsewhere, and
	// Cov nil when the information is singular).
	Eta []float64
	Cov [][]float64
}

// Survival returns S(t) = P(T > t) under the fitted distribution.
func (f Fit) Survival(t float64) float64 {
	return survivalOf(f.Form, f.Params, t)
}

// Quantile returns the p-quantile of the fitted distribution, p in (0,1);
// Quantile(0.5) is the median delay.
func (f Fit) Quantile(p float64) float64 {
	switch f.Form {
	case Exponential:
		return distuv.Exponential{Rate: f.Params[0]}.Quantile(p)
	case LogNormal:
		return distuv.LogNormal{Mu: f.Params[0], Sigma: f.Params[1]}.Quantile(p)
	case Weibull:
		return distuv.Weibull{K: f.Params[0], Lambda: f.Params[1]}.Quantile(p)
	case Gamma:
		return distuv.Gamma{Alpha: f.Params[0], Beta: f.Params[1]}.Quantile(p)
	}
	panic("calibrate: unknown DelayForm")
}

func survivalOf(form DelayForm, p []float64, t float64) float64 {
	return math.Exp(logSurvival(form, p, t))
}

// logDensity returns log f(t; p).
func logDensity(form DelayForm, p []float64, t float64) float64 {
	switch form {
	case Exponential:
		return math.Log(p[0]) - p[0]*t
	case LogNormal:
		return distuv.LogNormal{Mu: p[0], Sigma: p[1]}.LogProb(t)
	case Weibull:
		return distuv.Weibull{K: p[0], Lambda: p[1]}.LogProb(t)
	case Gamma:
		return distuv.Gamma{Alpha: p[0], Beta: p[1]}.LogProb(t)
	}
	panic("calibrate: unknown DelayForm")
}

// logSurvival returns log S(t; p).
func logSurvival(form DelayForm, p []float64, t float64) float64 {
	if t <= 0 {
		return 0
	}
	switch form {
	case Exponential:
		return -p[0] * t
	case LogNormal:
		z := (math.Log(t) - p[0]) / p[1]
		return math.Log(0.5 * math.Erfc(z/math.Sqrt2))
	case Weibull:
		return -math.Pow(t/p[1], p[0])
	case Gamma:
		return math.Log(mathext.GammaIncRegComp(p[0], p[1]*t))
	}
	panic("calibrate: unknown DelayForm")
}

// fromEta maps optimisation-scale parameters η to natural parameters θ and
// returns dθ_i/dη_i.
func fromEta(form DelayForm, eta []float64) (theta, deriv []float64) {
	theta = make([]float64, len(eta))
	deriv = make([]float64, len(eta))
	for i, e := range eta {
		if form == LogNormal && i == 0 {
			theta[i], deriv[i] = e, 1
			continue
		}
		theta[i] = math.Exp(e)
		deriv[i] = theta[i]
	}
	return theta, deriv
}

// ErrNoEvents is returned when a fit needs at least one uncensored
// observation and there is none.
var ErrNoEvents = errors.New("calibrate: no uncensored observations")

// FitDelay fits the delay distribution form to right-censored observations
// by maximum likelihood. The exponential fit is closed-form, λ = d/ΣT_i with
// SE λ/√d; the others are maximised numerically on the log scale of their
// positive parameters, started from moment-like values.
//
// It returns ErrNoEvents if no observation is an event, and an error if a
// non-exponential form gets an event at T = 0 (zero or infinite density:
// shift or drop such rows first). It panics on negative or NaN times.
func FitDelay(obs []Obs, form DelayForm) (Fit, error) {
	if form < Exponential || form > Gamma {
		panic("calibrate: unknown DelayForm")
	}
	d, sumT, sumLog, sumLog2 := 0, 0.0, 0.0, 0.0
	for _, o := range obs {
		if !(o.T >= 0) {
			panic("calibrate: observation time must be ≥ 0")
		}
		sumT += o.T
		if o.Event {
			if o.T == 0 && form != Exponential {
				return Fit{}, fmt.Errorf("calibrate: %v fit: event at T=0 has degenerate density", form)
			}
			d++
			if o.T > 0 {
				sumLog += math.Log(o.T)
				sumLog2 += math.Log(o.T) * math.Log(o.T)
			}
		}
	}
	if d == 0 {
		return Fit{}, ErrNoEvents
	}
	fit := Fit{Form: form, N: len(obs), Events: d}
	np := 2
	if form == Exponential {
		np = 1
	}
	if form == Exponential {
		lam := float64(d) / sumT
		fit.Params = []float64{lam}
		fit.SE = []float64{lam / math.Sqrt(float64(d))}
		fit.LogLik = float64(d)*math.Log(lam) - lam*sumT
		fit.AIC = 2*float64(np) - 2*fit.LogLik
		return fit, nil
	}
	nll := func(eta []float64) float64 {
		p, _ := fromEta(form, eta)
		var ll float64
		for _, o := range obs {
			if o.Event {
				ll += logDensity(form, p, o.T)
			} else {
				ll += logSurvival(form, p, o.T)
			}
		}
		return -ll
	}
	var x0 []float64
	rate := float64(d) / sumT
	switch form {
	case LogNormal:
		m := sumLog / float64(d)
		v := sumLog2/float64(d) - m*m
		x0 = []float64{m, 0.5 * math.Log(math.Max(v, 1e-4))}
	case Weibull:
		x0 = []float64{0, -math.Log(rate)}
	case Gamma:
		x0 = []float64{0, math.Log(rate)}
	}
	eta, f := minimizeNLL(nll, x0)
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return Fit{}, fmt.Errorf("calibrate: %v fit did not reach a finite likelihood", form)
	}
	var deriv []float64
	fit.Params, deriv = fromEta(form, eta)
	_, fit.SE = deltaSE(covariance(nll, eta), deriv)
	fit.LogLik = -f
	fit.AIC = 2*float64(np) - 2*fit.LogLik
	return fit, nil
}

// FitBestDelay fits every form in DelayForms and returns the one with the
// smallest AIC, and all successful fits in DelayForms order. Forms that fail
// are left out of all; the error is that of the last failure if every form
// fails.
func FitBestDelay(obs []Obs) (best Fit, all []Fit, err error) {
	return bestByAIC(func(form DelayForm) (Fit, error) { return FitDelay(obs, form) })
}

// bestByAIC fits every form in DelayForms with fit and returns the fit with
// the smallest AIC and all successful fits in DelayForms order, or, if
// every form fails, the last error.
func bestByAIC(fit func(DelayForm) (Fit, error)) (best Fit, all []Fit, err error) {
	for _, form := range DelayForms {
		f, e := fit(form)
		if e != nil {
			err = e
			continue
		}
		all = append(all, f)
	}
	if len(all) == 0 {
		if err == nil {
			err = errors.New("calibrate: no delay form could be fitted")
		}
		return Fit{}, nil, err
	}
	best = all[0]
	for _, f := range all[1:] {
		if f.AIC < best.AIC {
			best = f
		}
	}
	return best, all, nil
}
