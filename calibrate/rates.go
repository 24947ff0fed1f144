package calibrate

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Beta is a Beta(Alpha, Beta) distribution of a conversion probability, with
// density ∝ p^(α-1) (1-p)^(β-1) on [0,1]; Alpha > 0, Beta > 0.
type Beta struct {
	Alpha float64 // α > 0: prior pseudo-successes plus successes
	Beta  float64 // β > 0: prior pseudo-failures plus failures
}

// BetaPosterior returns the posterior of a binomial probability after
// successes out of trials under a Beta(a0, b0) prior:
//
//	Beta(a0 + successes, b0 + trials - successes).
//
// Beta(1,1) is the uniform prior, Beta(0.5,0.5) Jeffreys'. It panics if
// successes < 0, successes > trials, or a0 or b0 is not positive.
func BetaPosterior(successes, trials int, a0, b0 float64) Beta {
	if successes < 0 || successes > trials {
		panic("calibrate: BetaPosterior needs 0 ≤ successes ≤ trials")
	}
	if !(a0 > 0 && b0 > 0) {
		panic("calibrate: BetaPosterior needs a0 > 0 and b0 > 0")
	}
	return Beta{a0 + float64(successes), b0 + float64(trials-successes)}
}

// Mean returns α/(α+β).
func (b Beta) Mean() float64 { return b.Alpha / (b.Alpha + b.Beta) }

// Quantile returns the p-quantile of the distribution, p in [0,1].
func (b Beta) Quantile(p float64) float64 {
	return distuv.Beta{Alpha: b.Alpha, Beta: b.Beta}.Quantile(p)
}

// Interval95 returns the equal-tailed 95% credible interval
// [Quantile(0.025), Quantile(0.975)].
func (b Beta) Interval95() (lo, hi float64) {
	return b.Quantile(0.025), b.Quantile(0.975)
}

// Group is the conversion count of one segment (a lead source, a rep, a
// region).
type Group struct {
	Name      string
	Successes int // conversions, 0 ≤ Successes ≤ Trials
	Trials    int // leads at risk of converting, ≥ 0
}

// GroupRate is a group's partially pooled conversion rate.
type GroupRate struct {
	Group
	Raw       float64 // Successes/Trials; NaN when Trials = 0
	Posterior Beta    // Beta(α + s, β + n - s) under the estimated prior
	Mean      float64 // posterior mean (α + s)/(α + β + n)
	Lower     float64 // 2.5% posterior quantile
	Upper     float64 // 97.5% posterior quantile
}

// Pooled is an empirical-Bayes beta-binomial fit: every group's rate p_g is
// drawn from a common Beta(α, β) prior and s_g ~ Binomial(n_g, p_g). The
// prior maximises the marginal log-likelihood
//
//	ℓ(α, β) = Σ_g [ log C(n_g, s_g) + log B(α + s_g, β + n_g - s_g) - log B(α, β) ]
//
// over μ = α/(α+β) and κ = α+β (optimised as logit μ and log κ, with κ
// restricted to [1e-3, 1e6]). Each group's posterior is then
// Beta(α + s_g, β + n_g - s_g): small groups are pulled toward μ, and a
// group with 0 successes still gets a positive rate.
type Pooled struct {
	Alpha, Beta   float64 // estimated prior Beta(α, β)
	Mean          float64 // prior mean μ = α/(α+β), the pooled rate
	Concentration float64 // κ = α+β, prior pseudo-trials; large κ means little between-group variation
	// MeanSE is the asymptotic standard error of μ and LogConcentrationSE
	// that of log κ, from the observed information of ℓ on the (logit μ,
	// log κ) scale; NaN if the information is singular (for example κ at
	// its bound).
	MeanSE, LogConcentrationSE float64
	LogLik                     float64 // maximised ℓ
	Groups                     []GroupRate
	Warnings                   []error
}

// Bounds on the prior concentration κ = α+β.
const (
	minConcentration = 1e-3
	maxConcentration = 1e6
)

// ErrTooFewGroups is returned by PoolRates when fewer than two groups have
// trials.
var ErrTooFewGroups = errors.New("calibrate: partial pooling needs at least two groups with trials")

// PoolRates estimates a beta-binomial prior from groups by maximum marginal
// likelihood and returns every group's posterior, in input order. Groups with
// zero trials get the prior as posterior. It returns ErrTooFewGroups if fewer
// than two groups have trials, and an error naming the group if a count is
// invalid.
func PoolRates(groups []Group) (Pooled, error) {
	used, s, n := 0, 0, 0
	for _, g := range groups {
		if g.Trials < 0 || g.Successes < 0 || g.Successes > g.Trials {
			return Pooled{}, fmt.Errorf("calibrate: group %q: need 0 ≤ successes (%d) ≤ trials (%d)", g.Name, g.Successes, g.Trials)
		}
		if g.Trials > 0 {
			used++
			s += g.Successes
			n += g.Trials
		}
	}
	if used < 2 {
		return Pooled{}, ErrTooFewGroups
	}
	var constant float64
	for _, g := range groups {
		constant += lchoose(g.Trials, g.Successes)
	}
	etaTo := func(eta []float64) (mu, kappa float64) {
		lk := math.Min(math.Max(eta[1], math.Log(minConcentration)), math.Log(maxConcentration))
		return expit(eta[0]), math.Exp(lk)
	}
	nll := func(eta []float64) float64 {
		mu, kappa := etaTo(eta)
		a, b := mu*kappa, (1-mu)*kappa
		if !(a > 0 && b > 0) {
			return math.Inf(1)
		}
		lb0 := lbeta(a, b)
		ll := constant
		for _, g := range groups {
			if g.Trials == 0 {
				continue
			}
			ll += lbeta(a+float64(g.Successes), b+float64(g.Trials-g.Successes)) - lb0
		}
		return -ll
	}
	// Start at the pooled rate (kept off 0 and 1) and κ = 10.
	mu0 := (float64(s) + 0.5) / (float64(n) + 1)
	eta, f := minimizeNLL(nll, []float64{logit(mu0), math.Log(10)})
	mu, kappa := etaTo(eta)
	eta[1] = math.Log(kappa)
	p := Pooled{Alpha: mu * kappa, Beta: (1 - mu) * kappa, Mean: mu, Concentration: kappa, LogLik: -f}
	seEta, _ := deltaSE(covariance(nll, eta), []float64{1, 1})
	p.MeanSE = mu * (1 - mu) * seEta[0]
	p.LogConcentrationSE = seEta[1]
	if kappa >= maxConcentration*0.999 {
		p.Warnings = append(p.Warnings, fmt.Errorf("no between-group variation detected: concentration at its bound %g, groups fully pooled", maxConcentration))
		p.MeanSE = math.Sqrt(mu * (1 - mu) / float64(n))
		p.LogConcentrationSE = math.NaN()
	}
	for _, g := range groups {
		post := BetaPosterior(g.Successes, g.Trials, p.Alpha, p.Beta)
		lo, hi := post.Interval95()
		raw := math.NaN()
		if g.Trials > 0 {
			raw = float64(g.Successes) / float64(g.Trials)
		}
		p.Groups = append(p.Groups, GroupRate{Group: g, Raw: raw, Posterior: post, Mean: post.Mean(), Lower: lo, Upper: hi})
	}
	return p, nil
}

// lbeta returns log B(a, b) = lgamma(a) + lgamma(b) - lgamma(a+b).
func lbeta(a, b float64) float64 {
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	return la + lb - lab
}

// lchoose returns log C(n, k).
func lchoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n + 1))
	b, _ := math.Lgamma(float64(k + 1))
	c, _ := math.Lgamma(float64(n - k + 1))
	return a - b - c
}
