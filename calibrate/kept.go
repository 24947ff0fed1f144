package calibrate

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/funnelsim/funnel/model"
)

// Kept is a part of the fitted model the export could not tell: it holds
// the base model's value, not an estimate. Result.Kept lists them, so
// that a model fitted from a small export never passes the base model's
// values off as its own.
type Kept struct {
	Path   string // the model field, in Param.Path's notation: "sources[web].rate_per_week"
	Value  string // the base model's value the field keeps, for people: "2,000 leads/week"
	Reason string // why the export could not fit it
}

func (c *calib) keep(path, value, reason string) {
	c.res.Kept = append(c.res.Kept, Kept{Path: path, Value: value, Reason: reason})
}

// keptTransitions adds to Result.Kept the transitions whose p, delay or
// both keep the base model's values, from the stage fits, and records
// every Kept in the model (model.Model.NotFitted). It runs once, on the
// final model.
func (c *calib) keptTransitions() {
	defer func() {
		c.res.Model.NotFitted = nil
		for _, k := range c.res.Kept {
			c.res.Model.NotFitted = append(c.res.Model.NotFitted, notFitted(k))
		}
	}()
	m := c.m
	for _, sf := range c.res.Stages {
		for _, ef := range sf.Edges {
			ti := transitionIndex(m, sf.Stage, ef.To)
			if ti < 0 || !ef.KeptP && !ef.Kept {
				continue
			}
			t := m.Transitions[ti]
			name := "transitions[" + sf.Stage + "->" + ef.To + "]"
			switch {
			case ef.KeptP && ef.Kept:
				reason := fmt.Sprintf("no stays in %s observed", sf.Stage)
				if sf.N > 0 {
					reason = fmt.Sprintf("never taken in %d stays of %s (p < %.2g, but not known)", sf.N, sf.Stage, math.Min(1, 3/float64(sf.N)))
				}
				c.keep(name, fmt.Sprintf("p %.3g, delay %s", t.P, distText(t.Delay)), reason)
			case ef.KeptP:
				c.keep(name+".p", fmt.Sprintf("%.3g", t.P), fmt.Sprintf("never taken in %d stays of %s", sf.N, sf.Stage))
			case sf.Stage+"->"+ef.To == c.undated:
				c.keep(name+".delay_days", distText(t.Delay), fmt.Sprintf("the export does not date the %d moves (a current status, not a change: no lead history)", ef.Events))
			default:
				c.keep(name+".delay_days", distText(t.Delay), fmt.Sprintf("%d moves seen, fewer than the 5 a delay fit needs", ef.Events))
			}
		}
	}
}

// notFitted is k as an entry of model.Model.NotFitted: one line, bounded.
func notFitted(k Kept) string {
	s := strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, k.Path+" = "+k.Value+": "+k.Reason)
	if len(s) > model.MaxNotFittedBytes {
		s = strings.ToValidUTF8(s[:model.MaxNotFittedBytes-3], "") + "..."
	}
	return s
}

// distText describes a delay in days for people.
func distText(d model.Dist) string {
	switch d.Form {
	case model.Empirical:
		return fmt.Sprintf("empirical, median %.3g days", d.Quantile(0.5))
	}
	return fmt.Sprintf("%v, median %.3g days", d.Form, d.Quantile(0.5))
}

// keepArrivals records (as one Kept, its Path naming every source) that
// the base model's sources and arrival rates stand because the export's leads cannot give them: why says so, and
// the export's own sources (which the model then lacks) are named.
func (c *calib) keepArrivals(why string) {
	own := map[string]int{}
	for _, l := range c.e.Leads {
		own[l.Source]++
	}
	var theirs []string
	for _, s := range sortedKeys(own) {
		if c.m.SourceIndex(s) < 0 {
			theirs = append(theirs, fmt.Sprintf("%s (%d leads)", s, own[s]))
		}
	}
	if len(theirs) > 0 {
		why += "; the export's own sources " + strings.Join(theirs, ", ") + " are not in the model"
	}
	var names, rates []string
	for _, s := range c.m.Sources {
		names = append(names, s.Name)
		rates = append(rates, fmt.Sprintf("%s %.4g", s.Name, s.RatePerWeek))
	}
	c.keep("sources["+strings.Join(names, ",")+"].rate_per_week", strings.Join(rates, ", ")+" leads/week", why)
}

// spanText describes when the export's leads were created: "all 60 at
// 2024-01-22 20:36 UTC" or "between ... and ...".
func (c *calib) spanText() string {
	var lo, hi time.Time
	n := 0
	for _, l := range c.e.Leads {
		if l.CreatedAt.IsZero() {
			continue
		}
		n++
		if lo.IsZero() || l.CreatedAt.Before(lo) {
			lo = l.CreatedAt
		}
		if l.CreatedAt.After(hi) {
			hi = l.CreatedAt
		}
	}
	const f = "2006-01-02 15:04 MST"
	if n > 1 && lo.Equal(hi) {
		return fmt.Sprintf("all %d leads were created at the same instant, %s (a bulk load or an org's setup, not arrivals)", n, lo.In(c.loc).Format(f))
	}
	return fmt.Sprintf("the %d leads were created between %s and %s, with the as-of %s", n, lo.In(c.loc).Format(f), hi.In(c.loc).Format(f), c.e.AsOf.In(c.loc).Format(f))
}
