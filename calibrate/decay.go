package calibrate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/funnelsim/funnel/model/stats"
)

// DecayForm names the shape of the response-time decay curve m(t), t in
// minutes, m(0) = 1, decreasing to the floor f.
type DecayForm int

const (
	// ExpFloor is m(t) = f + (1-f)·exp(-t/τ).
	// DecayFit.Params: [c0, τ (minutes), f].
	ExpFloor DecayForm = iota
	// Hill (log-logistic with floor) is m(t) = f + (1-f)/(1+(t/t50)^k).
	// DecayFit.Params: [c0, t50 (minutes), k, f].
	Hill
)

// DecayForms lists every DecayForm, in the order FitBestDecay tries them.
var DecayForms = []DecayForm{ExpFloor, Hill}

var decayFormNames = [...]string{"exponential", "hill"}

// String returns "exponential" or "hill".
func (f DecayForm) String() string {
	if f < 0 || int(f) >= len(decayFormNames) {
		return fmt.Sprintf("DecayForm(%d)", int(f))
	}
	return decayFormNames[f]
}

func (f DecayForm) nparams() int {
	switch f {
	case ExpFloor:
		return 3
	case Hill:
		return 4
	}
	panic("calibrate: unknown DecayForm")
}

// DecayFit is a Bernoulli maximum-likelihood fit of the contact probability
// of a lead first answered t minutes after it arrived,
//
//	P(t) = c0·m(t),  c0 in (0,1) the contact probability at t = 0.
//
// The log-likelihood is ℓ = Σ_i [y_i log P(t_i) + (1-y_i) log(1-P(t_i))] and
// AIC = 2·len(Params) - 2ℓ. The parameters are optimised on the scales
// η = (logit c0, log τ, logit f) or (logit c0, log t50, log k, logit f).
// SE are delta-method standard errors from the observed information on the
// η scale; Lower and Upper are 95% Wald intervals on the η scale mapped back
// (so they stay inside each parameter's range and are asymmetric). For
// resampling intervals use BootstrapDecay.
type DecayFit struct {
	Form      DecayForm
	Params    []float64 // natural parameters in the order documented on Form
	SE        []float64 // standard errors of Params (NaN if the information is singular)
	Lower     []float64 // 95% lower bounds of Params
	Upper     []float64 // 95% upper bounds of Params
	EtaSE     []float64 // standard errors on the optimisation (η) scale
	LogLik    float64   // maximised ℓ
	AIC       float64   // 2·len(Params) - 2·LogLik
	N         int       // leads
	Contacted int       // leads contacted
}

// M returns the fitted decay m(t) at t minutes (t < 0 is treated as 0).
func (d DecayFit) M(t float64) float64 { return decayM(d.Form, d.Params, t) }

// P returns the fitted contact probability P(t) = c0·m(t).
func (d DecayFit) P(t float64) float64 { return d.Params[0] * d.M(t) }

func decayM(form DecayForm, p []float64, t float64) float64 {
	t = math.Max(t, 0)
	switch form {
	case ExpFloor:
		f := p[2]
		return f + (1-f)*math.Exp(-t/p[1])
	case Hill:
		f := p[3]
		return f + (1-f)/(1+math.Pow(t/p[1], p[2]))
	}
	panic("calibrate: unknown DecayForm")
}

// OddsRatio returns the fitted odds ratio of contact at t1 versus t2
// minutes,
//
//	OR = [P(t1)/(1-P(t1))] / [P(t2)/(1-P(t2))],
//
// the quantity reported by response-time studies ("odds of contact 100x
// higher at 5 than at 30 minutes").
func OddsRatio(fit DecayFit, t1, t2 float64) float64 {
	p1, p2 := fit.P(t1), fit.P(t2)
	return p1 / (1 - p1) / (p2 / (1 - p2))
}

// decayTheta maps η to natural parameters and returns dθ/dη.
func decayTheta(form DecayForm, eta []float64) (theta, deriv []float64) {
	theta = make([]float64, len(eta))
	deriv = make([]float64, len(eta))
	last := len(eta) - 1
	for i, e := range eta {
		if i == 0 || i == last { // c0 and f: logit scale
			theta[i] = expit(e)
			deriv[i] = theta[i] * (1 - theta[i])
		} else {
			theta[i] = math.Exp(e)
			deriv[i] = theta[i]
		}
	}
	return theta, deriv
}

func decayNLL(form DecayForm, t []float64, y []bool) func(eta []float64) float64 {
	return func(eta []float64) float64 {
		p, _ := decayTheta(form, eta)
		var ll float64
		for i, ti := range t {
			pi := p[0] * decayM(form, p, ti)
			if y[i] {
				ll += math.Log(pi)
			} else {
				ll += math.Log1p(-pi)
			}
		}
		return -ll
	}
}

// FitDecay fits the decay curve form to response times t (minutes, ≥ 0) and
// contact outcomes by Bernoulli maximum likelihood. It returns an error if
// the slices differ in length, there are fewer observations than twice the
// number of parameters, or all outcomes are equal. It panics on a negative
// or NaN time.
func FitDecay(t []float64, contacted []bool, form DecayForm) (DecayFit, error) {
	k := form.nparams()
	if len(t) != len(contacted) {
		return DecayFit{}, fmt.Errorf("calibrate: FitDecay: %d times but %d outcomes", len(t), len(contacted))
	}
	if len(t) < 2*k {
		return DecayFit{}, fmt.Errorf("calibrate: FitDecay: %d observations, need at least %d", len(t), 2*k)
	}
	yes := 0
	for i, ti := range t {
		if !(ti >= 0) {
			panic("calibrate: response time must be ≥ 0")
		}
		if contacted[i] {
			yes++
		}
	}
	if yes == 0 || yes == len(t) {
		return DecayFit{}, errors.New("calibrate: FitDecay: outcomes are all equal; the curve is not identified")
	}
	eta0 := decayStart(form, t, contacted)
	nll := decayNLL(form, t, contacted)
	eta, f := minimizeNLL(nll, eta0)
	return decayResult(form, nll, eta, f, len(t), yes), nil
}

func decayResult(form DecayForm, nll func([]float64) float64, eta []float64, f float64, n, yes int) DecayFit {
	d := DecayFit{Form: form, N: n, Contacted: yes, LogLik: -f}
	var deriv []float64
	d.Params, deriv = decayTheta(form, eta)
	d.EtaSE, d.SE = deltaSE(covariance(nll, eta), deriv)
	d.AIC = 2*float64(len(eta)) - 2*d.LogLik
	lo, hi := make([]float64, len(eta)), make([]float64, len(eta))
	for i := range eta {
		e := slices.Clone(eta)
		e[i] = eta[i] - z95*d.EtaSE[i]
		l, _ := decayTheta(form, e)
		e[i] = eta[i] + z95*d.EtaSE[i]
		h, _ := decayTheta(form, e)
		lo[i], hi[i] = l[i], h[i]
	}
	d.Lower, d.Upper = lo, hi
	return d
}

// decayStart picks starting values: c0 from the fastest decile, f from the
// slowest decile relative to c0, the time scale at the median time, k = 1.
func decayStart(form DecayForm, t []float64, y []bool) []float64 {
	idx := make([]int, len(t))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(t[a], t[b]) })
	m := max(len(t)/10, 1)
	rate := func(ix []int) float64 {
		s := 0.5
		for _, i := range ix {
			if y[i] {
				s++
			}
		}
		return s / (float64(len(ix)) + 1)
	}
	c0 := math.Min(math.Max(rate(idx[:m]), 0.05), 0.95)
	f := math.Min(math.Max(rate(idx[len(idx)-m:])/c0, 1e-3), 0.5)
	scale := math.Max(t[idx[len(idx)/2]], 1e-3)
	if form == ExpFloor {
		return []float64{logit(c0), math.Log(scale), logit(f)}
	}
	return []float64{logit(c0), math.Log(scale), 0, logit(f)}
}

// FitBestDecay fits every form in DecayForms and returns the one with the
// smallest AIC and all successful fits. It returns the last error if every
// form fails.
func FitBestDecay(t []float64, contacted []bool) (best DecayFit, all []DecayFit, err error) {
	for _, form := range DecayForms {
		f, e := FitDecay(t, contacted, form)
		if e != nil {
			err = e
			continue
		}
		all = append(all, f)
	}
	if len(all) == 0 {
		return DecayFit{}, nil, err
	}
	best = all[0]
	for _, f := range all[1:] {
		if f.AIC < best.AIC {
			best = f
		}
	}
	return best, all, nil
}

// BootstrapDecay returns 95% parametric-bootstrap percentile intervals for
// fit.Params: it draws reps data sets of contacts y*_i ~ Bernoulli(P̂(t_i))
// at the observed times t, refits fit.Form to each (starting from the
// fitted values), and returns the 2.5% and 97.5% quantiles of each
// parameter over the replicates. Replicates whose outcomes are all equal are
// skipped. r is the only source of randomness. It panics if reps < 1.
func BootstrapDecay(fit DecayFit, t []float64, r *rand.Rand, reps int) (lower, upper []float64) {
	if reps < 1 {
		panic("calibrate: BootstrapDecay needs reps ≥ 1")
	}
	k := len(fit.Params)
	draws := make([][]float64, k)
	y := make([]bool, len(t))
	prob := make([]float64, len(t))
	for i, ti := range t {
		prob[i] = fit.P(ti)
	}
	eta0 := make([]float64, k)
	for i, p := range fit.Params {
		if i == 0 || i == k-1 {
			eta0[i] = logit(p)
		} else {
			eta0[i] = math.Log(p)
		}
	}
	for range reps {
		yes := 0
		for i := range y {
			y[i] = r.Float64() < prob[i]
			if y[i] {
				yes++
			}
		}
		if yes == 0 || yes == len(y) {
			continue
		}
		eta, _ := minimizeNLL(decayNLL(fit.Form, t, y), eta0)
		th, _ := decayTheta(fit.Form, eta)
		for i := range th {
			draws[i] = append(draws[i], th[i])
		}
	}
	lower, upper = make([]float64, k), make([]float64, k)
	for i := range draws {
		if len(draws[i]) == 0 {
			lower[i], upper[i] = math.NaN(), math.NaN()
			continue
		}
		slices.Sort(draws[i])
		lower[i] = empiricalQuantile(draws[i], 0.025)
		upper[i] = empiricalQuantile(draws[i], 0.975)
	}
	return lower, upper
}

// empiricalQuantile returns the type-7 p-quantile of sorted x
// (stats.Quantile).
func empiricalQuantile(x []float64, p float64) float64 { return stats.Quantile(p, x) }
