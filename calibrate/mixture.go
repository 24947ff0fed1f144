package calibrate

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// MixFit is a right-truncated maximum-likelihood fit of a two-component
// lognormal mixture of delays,
//
//	f(t) = W·LN(t; Mu1, Sigma1) + (1 − W)·LN(t; Mu2, Sigma2),
//
// for delays with two phases (deals that close within days, and those
// that take months), which no single lognormal, Weibull or gamma fits.
// Component 1 is the faster (Mu1 ≤ Mu2).
type MixFit struct {
	W           float64 // weight of component 1, in (0,1)
	Mu1, Sigma1 float64 // of log T in component 1; Sigma1 ≥ MixSigmaMin
	Mu2, Sigma2 float64 // of log T in component 2; Sigma2 ≥ MixSigmaMin
	LogLik, AIC float64 // maximised truncated log-likelihood; AIC = 10 − 2·LogLik
	N           int     // delays fitted
}

// MixSigmaMin is the smallest component sigma FitTruncatedMixture allows:
// CRM delays are often whole days, and a component collapsing on one value
// would make the likelihood unbounded.
const MixSigmaMin = 0.15

// CDF returns P(T ≤ t).
func (m MixFit) CDF(t float64) float64 {
	if t <= 0 {
		return 0
	}
	return m.cdfOf(math.Log(t))
}

func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

func (m MixFit) logPDF(t float64) float64 {
	return m.logPDFOf(math.Log(t), m.logWeights())
}

// logWeights returns the terms of logPDF that do not depend on t:
// log W − log Sigma1 and log(1 − W) − log Sigma2.
func (m MixFit) logWeights() [2]float64 {
	return [2]float64{math.Log(m.W) - math.Log(m.Sigma1), math.Log1p(-m.W) - math.Log(m.Sigma2)}
}

// halfLog2Pi is ½·log 2π.
var halfLog2Pi = 0.5 * math.Log(2*math.Pi)

// logPDFOf returns logPDF at the t with log t = l, given w =
// m.logWeights(): the likelihood computes both once per t or per
// evaluation, not per term (the result is the same to the bit).
func (m MixFit) logPDFOf(l float64, w [2]float64) float64 {
	z1, z2 := (l-m.Mu1)/m.Sigma1, (l-m.Mu2)/m.Sigma2
	a := w[0] - z1*z1/2
	b := w[1] - z2*z2/2
	hi := math.Max(a, b)
	return hi + math.Log(math.Exp(a-hi)+math.Exp(b-hi)) - l - halfLog2Pi
}

// cdfOf returns CDF at the t > 0 with log t = l.
func (m MixFit) cdfOf(l float64) float64 {
	return m.W*normCDF((l-m.Mu1)/m.Sigma1) + (1-m.W)*normCDF((l-m.Mu2)/m.Sigma2)
}

// FitTruncatedMixture fits MixFit to right-truncated delays by maximum
// likelihood, ℓ = Σ_i [log f(T_i) − log F(C_i)] as in FitTruncatedDelay
// (delays with date-only ends by the likelihoods of DayEnds), from a start
// that splits the log delays into two clusters (k-means). It returns an
// error for fewer than 10 delays, for delays that are not valid TruncObs,
// or when no finite likelihood is reached.
func FitTruncatedMixture(obs []TruncObs) (MixFit, error) {
	if len(obs) < 10 {
		return MixFit{}, fmt.Errorf("calibrate: mixture fit: %d delays, need at least 10", len(obs))
	}
	logT := make([]float64, len(obs))
	var exact []float64  // log T of the exact delays
	var follow []float64 // their follow-ups; logFollow, the logs of those > 0
	for i, o := range obs {
		if !o.Days.valid(o.T, o.Follow) {
			return MixFit{}, fmt.Errorf("calibrate: truncated delay %d: T=%v, Follow=%v (%v); want %s", i, o.T, o.Follow, o.Days, wantT(o.Days))
		}
		if !validEntry(o) {
			return MixFit{}, fmt.Errorf("calibrate: truncated delay %d: Entry=%v, Follow=%v; want Entry 0 or in (0, Follow]", i, o.Entry, o.Follow)
		}
		logT[i] = math.Log(dayProxy(o))
		if o.Days != TimesExact {
			continue
		}
		exact = append(exact, math.Log(o.T))
		if o.Entry == 0 && !math.IsInf(o.Follow, 1) {
			follow = append(follow, o.Follow)
		}
	}
	logFollow := make([]float64, len(follow))
	for i, c := range follow {
		logFollow[i] = math.Log(c)
	}
	dayT, dayFollow := dayGroups(obs)
	window := windowGroups(obs)
	from := func(eta []float64) MixFit {
		return MixFit{Mu1: eta[0], Sigma1: MixSigmaMin + math.Exp(eta[1]), Mu2: eta[2], Sigma2: MixSigmaMin + math.Exp(eta[3]), W: expit(eta[4])}
	}
	nll := func(eta []float64) float64 {
		m := from(eta)
		if !(m.W > 1e-9 && m.W < 1-1e-9) {
			return math.Inf(1)
		}
		ll := 0.0
		w := m.logWeights()
		for _, l := range exact {
			ll += m.logPDFOf(l, w)
		}
		for i, c := range follow {
			f := 0.0
			if c > 0 {
				f = m.cdfOf(logFollow[i])
			}
			if !(f > 0) {
				return math.Inf(1)
			}
			ll -= math.Log(f)
		}
		if len(dayT) > 0 {
			d := newMixDist(m)
			for _, g := range dayT {
				ll += g.n * dayLogLik(d, g.e, g.v)
			}
			for _, g := range dayFollow {
				ll -= g.n * dayLogSeen(d, g.e, g.v)
			}
			if math.IsNaN(ll) || math.IsInf(ll, 0) {
				return math.Inf(1)
			}
		}
		if len(window) > 0 {
			d := newMixDist(m)
			for _, g := range window {
				ll -= g.n * logSeenWindow(d, g)
			}
			if math.IsNaN(ll) || math.IsInf(ll, 0) {
				return math.Inf(1)
			}
		}
		return -ll
	}
	x0 := mixStart(logT)
	eta, f := minimizeNLL(nll, x0)
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return MixFit{}, errors.New("calibrate: truncated lognormal mixture did not reach a finite likelihood")
	}
	m := from(eta)
	if m.Mu1 > m.Mu2 {
		m.Mu1, m.Sigma1, m.Mu2, m.Sigma2, m.W = m.Mu2, m.Sigma2, m.Mu1, m.Sigma1, 1-m.W
	}
	m.LogLik, m.N = -f, len(obs)
	m.AIC = 2*5 - 2*m.LogLik
	return m, nil
}

// mixStart returns a starting η for the mixture: two clusters of the log
// delays by k-means (from the quartiles), their means, log(sd − σmin) and
// the logit of the first's share.
func mixStart(logT []float64) []float64 {
	s := slices.Clone(logT)
	slices.Sort(s)
	c1, c2 := empiricalQuantile(s, 0.25), empiricalQuantile(s, 0.75)
	var cut int
	for range 50 {
		mid := (c1 + c2) / 2
		cut, _ = slices.BinarySearch(s, mid)
		if cut == 0 || cut == len(s) {
			break
		}
		n1, n2 := mean(s[:cut]), mean(s[cut:])
		if n1 == c1 && n2 == c2 {
			break
		}
		c1, c2 = n1, n2
	}
	if cut == 0 || cut == len(s) {
		cut = len(s) / 2
	}
	sd := func(x []float64, m float64) float64 {
		v := 0.0
		for _, y := range x {
			v += (y - m) * (y - m)
		}
		return math.Sqrt(v / float64(len(x)))
	}
	a, b := s[:cut], s[cut:]
	ma, mb := mean(a), mean(b)
	w := float64(len(a)) / float64(len(s))
	return []float64{ma, math.Log(math.Max(sd(a, ma)-MixSigmaMin, 0.05)), mb, math.Log(math.Max(sd(b, mb)-MixSigmaMin, 0.05)), logit(math.Min(math.Max(w, 0.05), 0.95))}
}

// quantilesWithin returns n quantiles, at the probabilities (i + ½)/n, of
// the distribution with distribution function cdf conditional on T ≤ tau:
// G(t) = cdf(t)/cdf(tau). lo > 0 is a delay below which cdf is negligible.
// They are found by bisection on log t.
func quantilesWithin(cdf func(float64) float64, lo, tau float64, n int) []float64 {
	ftau := cdf(tau)
	out := make([]float64, n)
	for i := range out {
		target := ftau * (float64(i) + 0.5) / float64(n)
		a, b := math.Log(lo), math.Log(tau)
		for range 100 {
			mid := (a + b) / 2
			if cdf(math.Exp(mid)) < target {
				a = mid
			} else {
				b = mid
			}
			if b-a < 1e-9 {
				break
			}
		}
		out[i] = math.Exp((a + b) / 2)
	}
	return out
}
