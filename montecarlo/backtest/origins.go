package backtest

import (
	"time"

	"github.com/funnelsim/funnel/data"
)

// MonthEnds returns the ends of the months of e's history (midnight
// starting the next month in loc; nil means UTC) that have at least
// history months of data before them and a whole window after them
// before e.AsOf: t with first + history months ≤ t and t + window ≤
// e.AsOf, first the earliest creation time in e. It returns nil when there
// is none.
func MonthEnds(e *data.Export, history int, window time.Duration, loc *time.Location) []time.Time {
	if loc == nil {
		loc = time.UTC
	}
	first := Earliest(e)
	if first.IsZero() {
		return nil
	}
	start := first.AddDate(0, history, 0)
	f := first.In(loc)
	var out []time.Time
	for t := time.Date(f.Year(), f.Month()+1, 1, 0, 0, 0, 0, loc); !t.Add(window).After(e.AsOf); t = t.AddDate(0, 1, 0) {
		if !t.Before(start) {
			out = append(out, t)
		}
	}
	return out
}

// Earliest returns the earliest creation time of a lead or opportunity in
// e, zero when there is none.
func Earliest(e *data.Export) time.Time {
	var first time.Time
	min := func(t time.Time) {
		if !t.IsZero() && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	for _, l := range e.Leads {
		min(l.CreatedAt)
	}
	for _, o := range e.Opportunities {
		min(o.CreatedAt)
	}
	return first
}
