package calibrate

import (
	"fmt"
	"math"
	"time"

	"github.com/funnelsim/funnel/model"
)

// Active stages.
//
// A stage is active (model.Stage.Active) when leads enter it by acting: the
// entry happens at the lead's first active moment after its delay ends,
// where a lead acts at rate w(h)/actionHours an hour, w its source's
// weekday-by-hour profile (mean 1). An active stage's entries therefore
// crowd into the hours the source's leads act in; an inactive stage's fall
// wherever the delay ends. fitActive tells the two apart from the data, for
// every stage leads enter along transitions, by the likelihood ratio of
// the observed entry times given the clock each delay started from:
//
//	inactive: f(T)                                  T the observed days from the clock to the entry
//	active:   λ(t₁)·∫₀^T f(T−s)·exp(−∫_{t₁−s}^{t₁} λ) ds
//
// with f the edge's fitted delay density, t₁ the entry and λ = w/actionHours.
// The active density is mixed with 1% of the inactive one, so that a few
// entries recorded at hours the profile deems idle (a back-office import,
// a clock error) weaken the evidence rather than veto it. Both use the
// delay fitted to the observed times, which under the active hypothesis
// also hold the wait for the active moment (hours, against delays of days):
// that slightly favours the inactive one.
//
// Entries recorded as dates only (datesOnly: every one at midnight) say
// nothing about the time of day: such a stage is not tested (its flag is
// the base model's, with a warning), and an entry whose clock started at
// a date only is left out of its stage's test (its delay is known to a
// day, the wait for an active moment to hours).

// actionHours is the engine's mean time between a lead's actions at the
// profile's average intensity (montecarlo's constant of the same name).
const actionHours = 8

// activeEvidence is the log likelihood ratio beyond which the data decide
// a stage's flag; within ±activeEvidence the base model's is kept.
const activeEvidence = 3

// activeMix is the weight of the inactive density in the active one.
const activeMix = 0.01

// ActiveFit is the test of one stage's active flag.
type ActiveFit struct {
	Stage  string
	N      int     // entries along transitions used
	LogLR  float64 // log likelihood ratio, active against inactive
	Active bool    // the flag written to the model
	Base   bool    // the base model's flag
	Kept   bool    // the evidence was too weak: Base was kept
}

// fitActive sets each stage's Active flag from the entries along its
// incoming transitions (see above), after fitStages and fitArrivals, whose
// delays and profiles it uses; org is the Monday midnight hours of the
// week are counted from.
func (c *calib) fitActive(org time.Time) {
	m := c.m
	// The fitted delay of each transition, by from and to.
	delays := map[[2]string]Fit{}
	for _, sf := range c.res.Stages {
		for _, ef := range sf.Edges {
			if ef.Delay.Form >= 0 && !ef.Kept {
				delays[[2]string{sf.Stage, ef.To}] = ef.Delay
			}
		}
	}
	// Each source's cumulative action intensity over the week, in actions.
	type profile struct {
		lam, cum [model.HoursPerWeek + 1]float64
	}
	profiles := map[string]*profile{}
	for i := range m.Sources {
		w := m.Sources[i].Profile.HourWeights()
		p := &profile{}
		for h := range model.HoursPerWeek {
			p.lam[h] = w[h] / actionHours
			p.cum[h+1] = p.cum[h] + p.lam[h]
		}
		profiles[m.Sources[i].Name] = p
	}
	// lambda returns the intensity at t (hours from org) and Λ(t), the
	// actions expected from org to t.
	lambda := func(p *profile, t float64) (float64, float64) {
		wk := math.Floor(t / model.HoursPerWeek)
		r := t - wk*model.HoursPerWeek
		h := min(int(r), model.HoursPerWeek-1)
		return p.lam[h], wk*p.cum[model.HoursPerWeek] + p.cum[h] + p.lam[h]*(r-float64(h))
	}
	const (
		step   = 0.25                   // hours, of the integral over the wait
		window = 2 * model.HoursPerWeek // hours: waits longer than two weeks are negligible
		perDay = 24.0                   // hours a day
		minLog = -745.0                 // below this exp underflows
	)
	type acc struct {
		n   int
		llr float64
	}
	by := map[string]*acc{}
	dated := map[string]int{} // entries left out: their clock started at a date
	for _, o := range c.stays {
		if o.cause <= 0 || o.to < 0 || o.capped || c.stageDatesOf(o.to) != nil {
			continue
		}
		to := m.Stages[o.to].Name
		if c.startDates(o) != nil {
			dated[to]++
			continue
		}
		fit, ok := delays[[2]string{m.Stages[o.stage].Name, to}]
		var p *profile
		if o.lead >= 0 {
			p = profiles[c.e.Leads[o.lead].Source]
		}
		if !ok || p == nil || o.T <= 0 {
			continue
		}
		T := o.T * perDay // hours
		t1 := o.Start.Sub(org).Hours() + T
		logInactive := logDensity(fit.Form, fit.Params, o.T) - math.Log(perDay) // per hour
		if math.IsInf(logInactive, 0) || math.IsNaN(logInactive) {
			continue
		}
		lam1, cum1 := lambda(p, t1)
		// ∫₀^T f(T−s)·exp(−(Λ(t₁)−Λ(t₁−s))) ds by the midpoint rule.
		integral := 0.0
		for s := step / 2; s < min(T, window); s += step {
			_, cum := lambda(p, t1-s)
			if x := cum1 - cum; x < -minLog {
				d := logDensity(fit.Form, fit.Params, (T-s)/perDay) - math.Log(perDay)
				integral += math.Exp(d-x) * step
			}
		}
		active := (1-activeMix)*lam1*integral + activeMix*math.Exp(logInactive)
		if !(active > 0) {
			continue
		}
		a := by[to]
		if a == nil {
			a = &acc{}
			by[to] = a
		}
		a.n++
		a.llr += math.Log(active) - logInactive
	}
	for si := range m.Stages {
		st := &m.Stages[si]
		if z := c.stageDates[st.Name]; z != nil {
			if c.enteredAlong(st.Name) {
				c.warn(fmt.Errorf("%s: entry times are dates only (at midnight %s); activity not tested: active=%v as in the base model", st.Name, z, st.Active))
			}
			continue
		}
		a := by[st.Name]
		n := 0
		if a != nil {
			n = a.n
		}
		if n < c.cfg.MinObs {
			if n+dated[st.Name] >= c.cfg.MinObs {
				c.warn(fmt.Errorf("%s: %d of its %d entries follow a stay whose start is a date only, which cannot time them to the hour; activity not tested: active=%v as in the base model", st.Name, dated[st.Name], n+dated[st.Name], st.Active))
			}
			continue
		}
		af := ActiveFit{Stage: st.Name, N: a.n, LogLR: a.llr, Base: st.Active}
		switch {
		case a.llr > activeEvidence:
			af.Active = true
		case a.llr < -activeEvidence:
			af.Active = false
		default:
			af.Active, af.Kept = st.Active, true
		}
		st.Active = af.Active
		c.res.Active = append(c.res.Active, af)
		v := 0.0
		if af.Active {
			v = 1
		}
		method := fmt.Sprintf("entry times, log likelihood ratio %.1f (active vs at the delay's end)", a.llr)
		if af.Kept {
			method += ": too weak to decide, the base model's flag kept"
		}
		c.param(Param{Path: "stages[" + st.Name + "].active", Estimate: v, Lower: math.NaN(), Upper: math.NaN(), N: a.n, Method: method})
		if af.Active != af.Base {
			c.warn(fmt.Errorf("stage %s: active set to %v, unlike the base model, by its entry times (log likelihood ratio %.1f over %d entries)", st.Name, af.Active, a.llr, a.n))
		}
	}
}

// enteredAlong reports whether the model has a transition into stage.
func (c *calib) enteredAlong(stage string) bool {
	for _, t := range c.m.Transitions {
		if t.To == stage {
			return true
		}
	}
	return false
}

// weekOrigin returns the Monday midnight, in the model's zone, on or
// before the first lead's creation, from which fitArrivals counts the
// hours of the week; false when no lead has a creation time.
func (c *calib) weekOrigin() (time.Time, bool) {
	var first time.Time
	for _, l := range c.e.Leads {
		if !l.CreatedAt.IsZero() && (first.IsZero() || l.CreatedAt.Before(first)) {
			first = l.CreatedAt
		}
	}
	if first.IsZero() {
		return time.Time{}, false
	}
	return origin(first, c.loc), true
}
