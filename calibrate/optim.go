package calibrate

import (
	"math"
	"slices"

	"github.com/funnelsim/funnel/model/stats"
	"gonum.org/v1/gonum/diff/fd"
	"gonum.org/v1/gonum/mat"
)

// z95 is the standard normal 0.975 quantile used for 95% intervals.
const z95 = stats.Z95

// minimizeNLL minimises the negative log-likelihood nll over an unconstrained
// parameter vector starting at x0, and returns the best point and its value.
// Non-finite values of nll are treated as +Inf.
//
// It runs Nelder-Mead with restarts, then polishes with damped Newton steps
// using central-difference derivatives. (gonum/optimize is not used because
// it imports stat/distmv, whose golang.org/x/tools dependency is not in the
// module's go.sum.)
func minimizeNLL(nll func(x []float64) float64, x0 []float64) ([]float64, float64) {
	f := func(x []float64) float64 {
		v := nll(x)
		if math.IsNaN(v) {
			return math.Inf(1)
		}
		return v
	}
	x, fx := slices.Clone(x0), f(x0)
	for restart := 0; restart < 4; restart++ {
		step := 0.5
		if restart > 0 {
			step = 0.1
		}
		nx, nf := nelderMead(f, x, step, 4000)
		improved := fx - nf
		if nf < fx {
			x, fx = nx, nf
		}
		if restart > 0 && improved < 1e-10*math.Max(1, math.Abs(fx)) {
			break
		}
	}
	return newtonPolish(f, x, fx)
}

// nelderMead is the standard Nelder-Mead simplex method (reflection 1,
// expansion 2, contraction 1/2, shrink 1/2) with an initial simplex of
// axis steps of size step around x0. It stops when the spread of function
// values and the simplex diameter are both tiny, or after maxEval
// evaluations.
func nelderMead(f func([]float64) float64, x0 []float64, step float64, maxEval int) ([]float64, float64) {
	n := len(x0)
	pts := make([][]float64, n+1)
	vals := make([]float64, n+1)
	for i := range pts {
		pts[i] = slices.Clone(x0)
		if i > 0 {
			pts[i][i-1] += step
		}
		vals[i] = f(pts[i])
	}
	evals := n + 1
	idx := make([]int, n+1)
	cen := make([]float64, n)
	trial := func(c float64) ([]float64, float64) {
		// point = cen + c·(cen - worst)
		w := pts[idx[n]]
		p := make([]float64, n)
		for j := range p {
			p[j] = cen[j] + c*(cen[j]-w[j])
		}
		evals++
		return p, f(p)
	}
	for evals < maxEval {
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return cmpFloat(vals[a], vals[b]) })
		best, worst := vals[idx[0]], vals[idx[n]]
		diam := 0.0
		for i := 1; i <= n; i++ {
			for j := range n {
				diam = math.Max(diam, math.Abs(pts[idx[i]][j]-pts[idx[0]][j]))
			}
		}
		if !math.IsInf(worst, 1) && worst-best <= 1e-13*math.Max(1, math.Abs(best)) && diam < 1e-9 {
			break
		}
		for j := range cen {
			cen[j] = 0
			for i := 0; i < n; i++ {
				cen[j] += pts[idx[i]][j] / float64(n)
			}
		}
		r, fr := trial(1)
		second := vals[idx[n-1]]
		switch {
		case fr < best:
			e, fe := trial(2)
			if fe < fr {
				pts[idx[n]], vals[idx[n]] = e, fe
			} else {
				pts[idx[n]], vals[idx[n]] = r, fr
			}
		case fr < second:
			pts[idx[n]], vals[idx[n]] = r, fr
		default:
			var c []float64
			var fc float64
			if fr < worst {
				c, fc = trial(0.5) // outside contraction
			} else {
				c, fc = trial(-0.5) // inside contraction
			}
			if fc < math.Min(fr, worst) {
				pts[idx[n]], vals[idx[n]] = c, fc
				continue
			}
			b := pts[idx[0]]
			for i := 1; i <= n; i++ {
				p := pts[idx[i]]
				for j := range p {
					p[j] = b[j] + 0.5*(p[j]-b[j])
				}
				vals[idx[i]] = f(p)
				evals++
			}
		}
	}
	bi := 0
	for i := range vals {
		if vals[i] < vals[bi] {
			bi = i
		}
	}
	return pts[bi], vals[bi]
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// newtonPolish takes up to 30 Newton steps with step halving from x, using
// finite-difference gradient and Hessian, while they decrease f. It returns
// x unchanged if the Hessian is not positive definite.
func newtonPolish(f func([]float64) float64, x []float64, fx float64) ([]float64, float64) {
	n := len(x)
	g := make([]float64, n)
	for it := 0; it < 30; it++ {
		fd.Gradient(g, f, x, &fd.Settings{Formula: fd.Central, Step: 1e-6})
		h := mat.NewSymDense(n, nil)
		fd.Hessian(h, f, x, &fd.Settings{Formula: fd.Central, Step: 1e-4})
		var ch mat.Cholesky
		if !ch.Factorize(h) {
			break
		}
		var d mat.VecDense
		if err := ch.SolveVecTo(&d, mat.NewVecDense(n, g)); err != nil {
			break
		}
		moved := false
		for a := 1.0; a > 1e-4; a /= 2 {
			nx := make([]float64, n)
			for j := range nx {
				nx[j] = x[j] - a*d.AtVec(j)
			}
			if nf := f(nx); nf < fx {
				moved = fx-nf > 1e-14*math.Max(1, math.Abs(fx))
				x, fx = nx, nf
				break
			}
		}
		if !moved {
			break
		}
	}
	return x, fx
}

// covariance returns the inverse of the numerical Hessian of nll at x (the
// inverse observed information), or nil if the Hessian is not positive
// definite or not finite.
func covariance(nll func(x []float64) float64, x []float64) *mat.SymDense {
	n := len(x)
	h := mat.NewSymDense(n, nil)
	fd.Hessian(h, nll, x, &fd.Settings{Formula: fd.Central, Step: 1e-4})
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if v := h.At(i, j); math.IsNaN(v) || math.IsInf(v, 0) {
				return nil
			}
		}
	}
	var ch mat.Cholesky
	if ok := ch.Factorize(h); !ok {
		return nil
	}
	cov := mat.NewSymDense(n, nil)
	if err := ch.InverseTo(cov); err != nil {
		return nil
	}
	return cov
}

// deltaSE maps the covariance of transformed parameters η to standard errors
// of natural parameters θ_i = g_i(η_i), SE(θ_i) = |g_i'(η_i)|·SE(η_i). The
// slice deriv holds g_i'(η_i). With a nil covariance all SEs are NaN.
func deltaSE(cov *mat.SymDense, deriv []float64) (seEta, seTheta []float64) {
	n := len(deriv)
	seEta = make([]float64, n)
	seTheta = make([]float64, n)
	for i := range deriv {
		if cov == nil {
			seEta[i], seTheta[i] = math.NaN(), math.NaN()
			continue
		}
		seEta[i] = math.Sqrt(cov.At(i, i))
		seTheta[i] = math.Abs(deriv[i]) * seEta[i]
	}
	return seEta, seTheta
}

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

func expit(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + math.Exp(-x))
	}
	e := math.Exp(x)
	return e / (1 + e)
}
