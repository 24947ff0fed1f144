package calibrate

import (
	"math"
	"slices"
)

// CRObs is one competing-risks observation.
type CRObs struct {
	T     float64 // time from the clock's start to the outcome or to censoring, ≥ 0
	Cause int     // 0: censored at T (still open); 1..K: the outcome that happened at T
	// Entry is the time at which the observation came under observation
	// (delayed entry, left truncation), in [0, T]; 0 means from the start.
	// It is in the risk set of the times t with Entry ≤ t ≤ T.
	Entry float64
}

// CumInc is an Aalen-Johansen estimate of the cumulative incidence functions
// of K competing outcomes. Slices over time are indexed by the distinct times
// t_i at which any outcome happened; per-cause slices are indexed by cause-1.
//
// With n_i at risk (T ≥ t_i), d_ji outcomes of cause j and d_i = Σ_j d_ji at
// t_i, and S the Kaplan-Meier probability of no outcome of any cause,
//
//	CIF_j(t) = Σ_{t_i ≤ t} S(t_{i-1}) d_ji / n_i.
//
// The variance is the delta-method (Greenwood-type) estimator of Marubini and
// Valsecchi (1995), as given by Collett, Modelling Survival Data in Medical
// Research (3rd ed., §12.2) and used by SAS PROC LIFETEST:
//
//	Var CIF_j(t) = Σ_{t_i ≤ t} [CIF_j(t) - CIF_j(t_i)]² d_i / (n_i (n_i - d_i))
//	             + Σ_{t_i ≤ t} S(t_{i-1})² d_ji (n_i - d_ji) / n_i³
//	             - 2 Σ_{t_i ≤ t} [CIF_j(t) - CIF_j(t_i)] S(t_{i-1}) d_ji / n_i²
//
// where a term with n_i = d_i (the last time, everyone left has an outcome)
// has weight CIF_j(t) - CIF_j(t_i) = 0 and contributes nothing to the first
// sum. The 95% interval is log-log on CIF: with se = sqrt(Var)/(CIF·|log CIF|),
// [CIF^{exp(+z·se)}, CIF^{exp(-z·se)}]; it is [0,0] where CIF = 0 and
// [1,1] where CIF = 1.
//
// ties: outcomes at t_i happen before censorings at t_i.
//
// The risk set n_i is the observations with Entry ≤ t_i ≤ T: without
// delayed entries, those with T ≥ t_i, so an outcome at time 0 is a step at
// 0 with every observation at risk (the rule of R's survfit for
// Surv(T, cause) with a factor status: an event "at or before time 0" is
// one at 0, in the risk set of all). With delayed entries (left-truncated
// data, such as stays already under way when an export's records begin)
// the estimator is the Aalen-Johansen with late entry, R's
// survfit(Surv(Entry, T, cause)) for entries strictly before their T.
type CumInc struct {
	K      int       // number of causes
	Time   []float64 // distinct outcome times t_i, increasing
	AtRisk []int     // n_i
	Events [][]int   // Events[j-1][i] = d_ji, outcomes of cause j at t_i
	S      []float64 // S(t_i): Kaplan-Meier probability of no outcome yet
	CIF    [][]float64
	Var    [][]float64 // delta-method variance of CIF[j-1][i]
	Lower  [][]float64 // 95% log-log lower bound of CIF[j-1][i]
	Upper  [][]float64 // 95% log-log upper bound of CIF[j-1][i]

	N       int   // number of observations
	NEvents []int // NEvents[j-1]: outcomes of cause j
	MaxT    float64
}

// AalenJohansen returns the Aalen-Johansen cumulative incidence of causes
// 1..k in obs. It panics if k < 1, if a cause is outside 0..k, or if a time
// is negative or NaN. obs is not modified.
func AalenJohansen(obs []CRObs, k int) CumInc {
	if k < 1 {
		panic("calibrate: AalenJohansen needs k ≥ 1 causes")
	}
	o := slices.Clone(obs)
	ent := entryTimes(len(o), func(i int) (float64, float64) { return o[i].Entry, o[i].T })
	for _, x := range o {
		if !(x.T >= 0) {
			panic("calibrate: observation time must be ≥ 0")
		}
		if x.Cause < 0 || x.Cause > k {
			panic("calibrate: cause outside 0..k")
		}
	}
	// Outcomes before censorings at equal times.
	slices.SortStableFunc(o, func(a, b CRObs) int {
		if c := cmpFloat(a.T, b.T); c != 0 {
			return c
		}
		return cmpInt(b.Cause > 0, a.Cause > 0)
	})
	c := CumInc{K: k, N: len(o), NEvents: make([]int, k),
		Events: make([][]int, k), CIF: make([][]float64, k), Var: make([][]float64, k),
		Lower: make([][]float64, k), Upper: make([][]float64, k)}
	if len(o) > 0 {
		c.MaxT = o[len(o)-1].T
	}
	// The curves have a step at each time with an outcome: their length,
	// so that they are made at once, not grown by copies.
	m := 0
	for i := range o {
		if o[i].Cause > 0 && (i == 0 || o[i-1].T != o[i].T || o[i-1].Cause == 0) {
			m++
		}
	}
	if m > 0 { // (nil when there are none, as before)
		c.Time, c.AtRisk, c.S = make([]float64, 0, m), make([]int, 0, m), make([]float64, 0, m)
		for q := range k {
			c.Events[q], c.CIF[q] = make([]int, 0, m), make([]float64, 0, m)
		}
	}
	lagS := make([]float64, 0, m) // S(t_{i-1})
	surv := 1.0
	cif := make([]float64, k)
	dj := make([]int, k)
	e := 0 // entries ≤ t
	for i := 0; i < len(o); {
		t := o[i].T
		n := len(o) - i
		if ent != nil {
			for e < len(ent) && ent[e] <= t {
				e++
			}
			n = e - i
		}
		clear(dj)
		d := 0
		j := i
		for ; j < len(o) && o[j].T == t; j++ {
			if cs := o[j].Cause; cs > 0 {
				dj[cs-1]++
				d++
			}
		}
		i = j
		if d == 0 {
			continue
		}
		c.Time = append(c.Time, t)
		c.AtRisk = append(c.AtRisk, n)
		lagS = append(lagS, surv)
		for q := range k {
			cif[q] += surv * float64(dj[q]) / float64(n)
			c.Events[q] = append(c.Events[q], dj[q])
			c.CIF[q] = append(c.CIF[q], cif[q])
			c.NEvents[q] += dj[q]
		}
		surv *= 1 - float64(d)/float64(n)
		c.S = append(c.S, surv)
	}
	// Variance by running sums, expanding the squares around CIF_j(t):
	//   Σ (F - F_i)² a_i = F² A0 - 2F A1 + A2,  a_i = d_i/(n_i(n_i-d_i))
	//   Σ (F - F_i) b_i  = F B0 - B1,           b_i = S_{i-1} d_ji / n_i²
	for q := range k {
		var a0, a1, a2, b0, b1, second float64
		m := len(c.Time)
		c.Var[q] = make([]float64, m)
		c.Lower[q] = make([]float64, m)
		c.Upper[q] = make([]float64, m)
		for i := range m {
			n := float64(c.AtRisk[i])
			d := 0
			for r := range k {
				d += c.Events[r][i]
			}
			dq := float64(c.Events[q][i])
			fi := c.CIF[q][i]
			if float64(d) < n {
				a := float64(d) / (n * (n - float64(d)))
				a0 += a
				a1 += a * fi
				a2 += a * fi * fi
			}
			b := lagS[i] * dq / (n * n)
			b0 += b
			b1 += b * fi
			second += lagS[i] * lagS[i] * dq * (n - dq) / (n * n * n)
			v := fi*fi*a0 - 2*fi*a1 + a2 + second - 2*(fi*b0-b1)
			if v < 0 { // rounding in the expansion
				v = 0
			}
			c.Var[q][i] = v
			c.Lower[q][i], c.Upper[q][i] = logLogCIF(fi, v)
		}
	}
	return c
}

func cmpInt(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// logLogCIF is the 95% log-log interval of a cumulative incidence f with
// variance v.
func logLogCIF(f, v float64) (lo, hi float64) {
	switch {
	case f <= 0:
		return 0, 0
	case f >= 1:
		return 1, 1
	}
	se := math.Sqrt(v) / (f * math.Abs(math.Log(f)))
	return math.Pow(f, math.Exp(z95*se)), math.Pow(f, math.Exp(-z95*se))
}

func (c CumInc) checkCause(cause int) {
	if cause < 1 || cause > c.K {
		panic("calibrate: cause outside 1..K")
	}
}

// At returns CIF_cause(t), the probability that outcome cause has happened by
// time t: 0 before the first outcome time, a step function after. It panics
// if cause is not in 1..K.
func (c CumInc) At(cause int, t float64) float64 {
	c.checkCause(cause)
	i := stepIndex(c.Time, t)
	if i == 0 {
		return 0
	}
	return c.CIF[cause-1][i-1]
}

// SE returns the delta-method standard error of CIF_cause(t) (0 before the
// first outcome time). It panics if cause is not in 1..K.
func (c CumInc) SE(cause int, t float64) float64 {
	c.checkCause(cause)
	i := stepIndex(c.Time, t)
	if i == 0 {
		return 0
	}
	return math.Sqrt(c.Var[cause-1][i-1])
}

// Eventual returns the last value of CIF_cause and its standard error: the
// estimated probability that outcome cause ever happens, CIF_cause(∞), read
// at the last outcome time. It is a lower bound on the true eventual
// probability when follow-up is shorter than the slowest outcomes. The
// remainder 1 - Σ_j Eventual(j) estimates the never-converting ("cure")
// fraction plus what was unresolved at the end of follow-up. It returns
// (0, 0) when there are no outcomes, and panics if cause is not in 1..K.
func (c CumInc) Eventual(cause int) (p, se float64) {
	c.checkCause(cause)
	m := len(c.Time)
	if m == 0 {
		return 0, 0
	}
	return c.CIF[cause-1][m-1], math.Sqrt(c.Var[cause-1][m-1])
}
