package calibrate

import (
	"fmt"
	"github.com/funnelsim/funnel/model"
	"math"
	"time"
)

// leftTruncP is the p-value below which a stage's records are taken as
// left-truncated (see detectLeftTruncation): e^{−E} < leftTruncP, E the
// exits expected before the first one recorded.
const leftTruncP = 1e-4

// detectLeftTruncation finds the stages whose records begin late: the
// export shows no exit from the stage before some instant L although many
// of its stays began well before L. That is the mark of an export whose
// history starts at L (a CRM migrated, a report run from a date): a stay
// that began before L is in it only because it was still under way at L,
// and those that ended before L are missing. Such stays are
// left-truncated: they enter the stage's Aalen-Johansen and Kaplan-Meier
// risk sets at their age at L (delayed entry) and their delays the fits
// with the truncation term of TruncObs.Entry; and arrivals are counted
// from the first Monday at or after L, before which only the survivors
// were recorded.
//
// Without Config.LeftTruncation the stages are only detected, with a
// warning, and fitted as before.
//
// The test: with S the Kaplan-Meier probability of no exit, estimated from
// the stays that began at or after L, the stays that began before L would
// have shown E = Σ (1 − S(min(a_i, τ))) exits before L, a_i their age at L
// and τ the longest observed time (a conservative S beyond it). With no
// truncation the count of exits before L is about Poisson(E), and it is 0:
// the stage is taken as left-truncated at L when e^{−E} < leftTruncP (E >
// 9.2), with a warning. An export with its whole history has its first
// exit soon after its first stays, so E is near 0.
func (c *calib) detectLeftTruncation() {
	m := c.m
	c.leftTrunc = make([]time.Time, len(m.Stages))
	c.recordsFrom = make([]time.Time, len(m.Stages))
	dayDur := 24 * time.Hour
	exit := func(o stay) time.Time { return o.Start.Add(time.Duration(o.T * float64(dayDur))) }
	for si := range m.Stages {
		var first time.Time
		for _, o := range c.stays {
			if int(o.stage) == si && !o.capped && o.cause != 0 {
				if t := exit(o); first.IsZero() || t.Before(first) {
					first = t
				}
			}
		}
		if first.IsZero() {
			continue
		}
		var post []Obs
		var ages []float64
		for _, o := range c.stays {
			if int(o.stage) != si || o.capped {
				continue
			}
			if o.Start.Before(first) {
				ages = append(ages, first.Sub(o.Start).Hours()/24)
			} else {
				post = append(post, Obs{T: o.T, Event: o.cause != 0})
			}
		}
		if len(ages) < 10 || len(post) == 0 {
			continue
		}
		km := KaplanMeier(post)
		if km.NEvents == 0 {
			continue
		}
		e := 0.0
		for _, a := range ages {
			e += 1 - km.At(min(a, km.MaxT))
		}
		if !(e > -math.Log(leftTruncP)) {
			continue
		}
		c.recordsFrom[si] = first
		what := "its delays and rates are fitted as if every stay were seen from its start (calibrate.Config.LeftTruncation fits them as left-truncated); delays from its older stays may be too long and arrivals before then too few"
		if c.cfg.LeftTruncation {
			c.leftTrunc[si] = first
			if first.After(c.arrivalsFrom) {
				c.arrivalsFrom = first
			}
			what = "stays under way then are fitted as left-truncated (entering at their age then), and arrivals are counted from the week after"
		}
		c.warn(fmt.Errorf("stage %s: no exit recorded before %s, although its %d stays that began earlier would have shown %.0f by the exits of later stays (p = %.1g): the export's records of it seem to begin then; %s",
			m.Stages[si].Name, first.Format(time.DateOnly), len(ages), e, math.Exp(-e), what))
	}
}

// entry returns the delayed entry of the stay o, in days from its start:
// its age at its stage's left truncation (detectLeftTruncation), at most
// o.T; 0 when the stage is not left-truncated or o began after it.
func (c *calib) entry(o stay) float64 {
	if c.leftTrunc == nil {
		return 0
	}
	l := c.leftTrunc[o.stage]
	if l.IsZero() || !o.Start.Before(l) {
		return 0
	}
	return min(l.Sub(o.Start).Hours()/24, o.T)
}

// truncEntry sets the Entry of t, the TruncObs of the stay o, in t's unit:
// whole days when both ends are dates.
func (c *calib) truncEntry(o stay, t TruncObs) TruncObs {
	e := c.entry(o)
	if e <= 0 {
		return t
	}
	if t.Days == BothDays {
		e = math.Round(e)
	}
	t.Entry = min(e, t.Follow)
	if t.Entry <= 0 {
		t.Entry = 0
	}
	return t
}

// ajDelay returns the delay of cause j (1-based) of cif as the
// Aalen-Johansen estimate conditional on taking it within the follow-up,
// F_j(t) = CIF_j(t)/CIF_j(t_max), as n quantiles at (i + ½)/n of the
// piecewise-linear distribution function through (0, 0) and (t_i + h,
// F_j(t_i)) at the event times (h = ½ day when the delays are recorded as
// whole days, for the unknown time within the day). ok is false when the
// cause has fewer than 5 events.
//
// A left-truncated stage's delays come from here: the truncated
// likelihoods of FitTruncatedDelay and FitTruncatedMixture condition on
// each delay being seen, so they cannot weigh a slow phase whose delays
// are mostly beyond the younger stays' follow-up, while the Aalen-Johansen
// estimate weighs it by the stays still open (censored) and by the older
// stays under way when the records began (delayed entry).
func ajDelay(cif CumInc, j int, h float64, n int) (model.Dist, bool) {
	if cif.NEvents[j-1] < 5 || len(cif.Time) == 0 {
		return model.Dist{}, false
	}
	f := cif.CIF[j-1]
	last := f[len(f)-1]
	if !(last > 0) {
		return model.Dist{}, false
	}
	xs, ys := []float64{0}, []float64{0}
	for i, t := range cif.Time {
		if cif.Events[j-1][i] == 0 {
			continue
		}
		xs = append(xs, t+h)
		ys = append(ys, f[i]/last)
	}
	vals := make([]float64, n)
	k := 1
	for i := range vals {
		u := (float64(i) + 0.5) / float64(n)
		for k < len(ys)-1 && ys[k] < u {
			k++
		}
		x0, x1, y0, y1 := xs[k-1], xs[k], ys[k-1], ys[k]
		v := x1
		if y1 > y0 {
			v = x0 + (x1-x0)*(u-y0)/(y1-y0)
		}
		vals[i] = max(math.Round(v*1e4)/1e4, 1e-4)
	}
	return model.Dist{Form: model.Empirical, Values: vals}, true
}
