package calibrate

import (
	"math"
	"slices"
)

// Obs is one right-censored, possibly left-truncated, time-to-event
// observation.
type Obs struct {
	T     float64 // time from the clock's start to the event or to censoring, ≥ 0, in the caller's unit
	Event bool    // true: the event happened at T; false: censored at T (still open)
	// Entry is the time from the clock's start at which the observation
	// came under observation (delayed entry, left truncation), in [0, T]:
	// it is in the risk set of the times t with Entry ≤ t ≤ T. 0 (the zero
	// value) means from the start.
	Entry float64
}

// Survival is a Kaplan-Meier estimate. The slices are indexed by the distinct
// event times in increasing order; S is right-continuous, so S[i] is the
// survival just after Time[i].
//
//	S(t)   = Π_{t_i ≤ t} (1 - d_i/n_i)
//	Var(t) = S(t)² Σ_{t_i ≤ t} d_i / (n_i (n_i - d_i))          (Greenwood)
//
// The 95% interval uses the log-log transform (Kalbfleisch-Prentice):
//
//	se_i  = sqrt(Σ_{t_j ≤ t_i} d_j/(n_j(n_j-d_j))) / |log S_i|
//	Lower = S^{exp(+z·se)},  Upper = S^{exp(-z·se)},  z = 1.959964
//
// which stays in [0,1]. Where S = 1 the interval is [1,1]; where S = 0
// (everyone at risk had the event) Var = 0 and the interval is [0,0].
type Survival struct {
	Time   []float64 // distinct event times t_i, increasing
	AtRisk []int     // n_i: observations with T ≥ t_i
	Events []int     // d_i: events at t_i
	S      []float64 // S(t_i), Kaplan-Meier survival just after t_i
	Var    []float64 // Greenwood variance of S(t_i)
	Lower  []float64 // 95% log-log lower bound of S(t_i)
	Upper  []float64 // 95% log-log upper bound of S(t_i)

	N       int     // number of observations
	NEvents int     // number of events, Σ d_i
	MaxT    float64 // largest observed time (event or censoring); 0 if N = 0
}

// KaplanMeier returns the Kaplan-Meier estimate of the survival function of
// obs. At tied times events are counted as happening before censorings, so a
// censored observation at t_i is in the risk set of t_i. obs is not modified.
//
// The risk set of t is the observations with Entry ≤ t ≤ T, so an event at
// time 0 (or at its own Entry) is at risk at its own time: without delayed
// entries n_i is the number with T ≥ t_i, and an event at T = 0 is a step
// of the curve at 0 (S(0) = 1 − d_0/n), as R's survfit(Surv(T, event))
// computes it. With delayed entries this is survfit(Surv(Entry, T, event))
// for entries strictly before their T, an entry equal to its T counted as
// just before it.
//
// KaplanMeier panics if some T is negative or NaN, or an Entry is negative,
// NaN or after its T.
func KaplanMeier(obs []Obs) Survival {
	o := sortedObs(obs)
	ent := entryTimes(len(o), func(i int) (float64, float64) { return o[i].Entry, o[i].T })
	var s Survival
	s.N = len(o)
	if s.N > 0 {
		s.MaxT = o[len(o)-1].T
	}
	// A step at each time with an event: the curve's length, so that it
	// is made at once, not grown by copies.
	m := 0
	for i := range o {
		if o[i].Event && (i == 0 || o[i-1].T != o[i].T || !o[i-1].Event) {
			m++
		}
	}
	if m > 0 { // (nil when there are none, as before)
		s.Time, s.AtRisk, s.Events, s.S = make([]float64, 0, m), make([]int, 0, m), make([]int, 0, m), make([]float64, 0, m)
		s.Var, s.Lower, s.Upper = make([]float64, 0, m), make([]float64, 0, m), make([]float64, 0, m)
	}
	surv, gw := 1.0, 0.0
	k := 0 // entries ≤ t
	for i := 0; i < len(o); {
		t := o[i].T
		atRisk := len(o) - i
		if ent != nil {
			for k < len(ent) && ent[k] <= t {
				k++
			}
			atRisk = k - i
		}
		d := 0
		j := i
		for ; j < len(o) && o[j].T == t; j++ {
			if o[j].Event {
				d++
			}
		}
		i = j
		if d == 0 {
			continue
		}
		surv *= 1 - float64(d)/float64(atRisk)
		if d < atRisk {
			gw += float64(d) / (float64(atRisk) * float64(atRisk-d))
		}
		s.Time = append(s.Time, t)
		s.AtRisk = append(s.AtRisk, atRisk)
		s.Events = append(s.Events, d)
		s.S = append(s.S, surv)
		s.NEvents += d
		var v, lo, hi float64
		switch {
		case surv == 0:
			v, lo, hi = 0, 0, 0
		default:
			v = surv * surv * gw
			lo, hi = logLogCI(surv, gw)
		}
		s.Var = append(s.Var, v)
		s.Lower = append(s.Lower, lo)
		s.Upper = append(s.Upper, hi)
	}
	return s
}

// logLogCI returns the 95% log-log interval for a survival probability surv
// in (0,1] with Greenwood sum gw = Σ d/(n(n-d)).
func logLogCI(surv, gw float64) (lo, hi float64) {
	if surv >= 1 {
		return 1, 1
	}
	se := math.Sqrt(gw) / math.Abs(math.Log(surv))
	return math.Pow(surv, math.Exp(z95*se)), math.Pow(surv, math.Exp(-z95*se))
}

// entryTimes returns the sorted entry times of n observations, given by at(i)
// as (entry, T), or nil when all are 0. It panics on an entry that is
// negative, NaN or after its T.
func entryTimes(n int, at func(i int) (entry, t float64)) []float64 {
	var ent []float64
	for i := range n {
		e, t := at(i)
		if e != 0 && !(e > 0 && e <= t) {
			panic("calibrate: entry time must be in [0, T]")
		}
		if e > 0 && ent == nil {
			ent = make([]float64, 0, n)
			for j := range i {
				e0, _ := at(j)
				ent = append(ent, e0)
			}
		}
		if ent != nil {
			ent = append(ent, e)
		}
	}
	slices.Sort(ent)
	return ent
}

// sortedObs returns a copy of obs sorted by T, events before censorings at
// equal T. It panics on negative or NaN times.
func sortedObs(obs []Obs) []Obs {
	o := slices.Clone(obs)
	for _, x := range o {
		if !(x.T >= 0) {
			panic("calibrate: observation time must be ≥ 0")
		}
	}
	slices.SortStableFunc(o, func(a, b Obs) int {
		switch {
		case a.T < b.T:
			return -1
		case a.T > b.T:
			return 1
		case a.Event && !b.Event:
			return -1
		case !a.Event && b.Event:
			return 1
		}
		return 0
	})
	return o
}

// index returns the number of event times ≤ t, i.e. the index just past the
// step in effect at t.
func stepIndex(times []float64, t float64) int {
	i, found := slices.BinarySearch(times, t)
	if found {
		return i + 1
	}
	return i
}

// At returns the Kaplan-Meier survival S(t): 1 before the first event time,
// constant between event times and after the last one (even beyond MaxT,
// where the estimate is an extrapolation).
func (s Survival) At(t float64) float64 {
	i := stepIndex(s.Time, t)
	if i == 0 {
		return 1
	}
	return s.S[i-1]
}

// Quantile returns the p-quantile of the time to event, the smallest event
// time t_i with S(t_i) ≤ 1-p (with a relative tolerance of 1e-12 so that
// products of fractions that equal 1-p exactly are not missed). It returns
// +Inf if the curve never drops to 1-p (too much censoring, or a cure
// fraction). Quantile(0.5) is the median. Quantile panics if p is not in (0,1).
func (s Survival) Quantile(p float64) float64 {
	if !(p > 0 && p < 1) {
		panic("calibrate: quantile p must be in (0,1)")
	}
	target := (1 - p) * (1 + 1e-12)
	for i, v := range s.S {
		if v <= target {
			return s.Time[i]
		}
	}
	return math.Inf(1)
}

// Median returns Quantile(0.5).
func (s Survival) Median() float64 { return s.Quantile(0.5) }
