package data

import (
	"math"
	"time"
)

// MaxWaterfallQuarters is the most quarters PipelineWaterfall returns:
// the latest ones, 50 years.
const MaxWaterfallQuarters = 200

// QuarterMovement is the pipeline's actual movement in a quarter of an
// export: the value of the opportunities open at its start (Opening),
// created in it, won and lost in it, and open at its end (Closing), of
// which Slipped was already open at its start. Opening + Created − Won −
// Lost = Closing. Amounts are in the export's currencies, added as they
// are; counts beside them.
type QuarterMovement struct {
	Start, End time.Time // the quarter, [Start, End)
	// Fiscal year (named by the calendar year it ends in) and quarter.
	FiscalYear, Quarter int

	Opening, Created, Won, Lost, Closing, Slipped float64
	OpeningDeals, CreatedDeals, WonDeals          int
	LostDeals, ClosingDeals, SlippedDeals         int
}

// PipelineWaterfall returns the movement of every complete fiscal quarter
// (of a year starting in month fy, in zone loc; nil means UTC) of e's
// opportunities, oldest first: from the quarter of the first creation to
// the last quarter that ends by e.AsOf (by the end of its day when e.AsOf
// is at midnight: a date), the last MaxWaterfallQuarters of them at most. An opportunity is in the pipeline
// from its CreatedAt until its ClosedAt (for ever while open); it is open
// at a quarter's start or end when it was created before it and closed at
// or after it, so that a deal created and closed on the boundary counts
// once. Opportunities without a creation date are left out and counted in
// skipped. It returns nil when no quarter is complete.
func PipelineWaterfall(e *Export, fy time.Month, loc *time.Location) (qs []QuarterMovement, skipped int) {
	if loc == nil {
		loc = time.UTC
	}
	if fy < time.January || fy > time.December {
		fy = time.January
	}
	first := time.Time{}
	for _, o := range e.Opportunities {
		if o.CreatedAt.IsZero() {
			skipped++
			continue
		}
		if first.IsZero() || o.CreatedAt.Before(first) {
			first = o.CreatedAt
		}
	}
	if first.IsZero() {
		return nil, skipped
	}
	// The fiscal quarter holding first.
	f := first.In(loc)
	m := int(f.Month()) - int(fy)
	m -= ((m % 3) + 3) % 3
	start := time.Date(f.Year(), fy+time.Month(m), 1, 0, 0, 0, 0, loc)
	// An as-of at midnight is a date: its day's rows are in the export.
	// Each quarter looks at every opportunity: the last
	// MaxWaterfallQuarters quarters at most, so that a row dated a
	// century early costs no more than that.
	if a := e.AsOf.In(loc); !a.IsZero() {
		months := (a.Year()-start.Year())*12 + int(a.Month()) - int(start.Month())
		if q := months / 3; q > MaxWaterfallQuarters {
			start = start.AddDate(0, 3*(q-MaxWaterfallQuarters), 0)
		}
	}
	last := e.AsOf
	if a := e.AsOf.In(loc); a.Hour() == 0 && a.Minute() == 0 && a.Second() == 0 && a.Nanosecond() == 0 {
		last = a.AddDate(0, 0, 1)
	}
	for {
		end := start.AddDate(0, 3, 0)
		if end.After(last) {
			break
		}
		q := QuarterMovement{Start: start, End: end}
		off := (int(start.Month()) - int(fy) + 12) % 12
		q.Quarter, q.FiscalYear = off/3+1, start.Year()
		if fy != time.January && int(start.Month()) >= int(fy) {
			q.FiscalYear++
		}
		for _, o := range e.Opportunities {
			if o.CreatedAt.IsZero() {
				continue
			}
			c, cl := o.CreatedAt, o.ClosedAt
			closed := !cl.IsZero() && o.Outcome != OutcomeOpen
			if cl.Before(c) { // closed before created: on the day it was created
				cl = c
			}
			// openAt reports whether o is open just before t.
			openAt := func(t time.Time) bool {
				return c.Before(t) && (!closed || !cl.Before(t))
			}
			a := o.Amount
			if math.IsNaN(a) || math.IsInf(a, 0) {
				a = 0
			}
			in := func(t time.Time) bool { return !t.Before(start) && t.Before(end) }
			opening, closing := openAt(start), openAt(end)
			if opening {
				q.Opening += a
				q.OpeningDeals++
			}
			if in(c) {
				q.Created += a
				q.CreatedDeals++
			}
			if closed && in(cl) && (opening || in(c)) {
				if o.Outcome == OutcomeWon {
					q.Won += a
					q.WonDeals++
				} else {
					q.Lost += a
					q.LostDeals++
				}
			}
			if closing {
				q.Closing += a
				q.ClosingDeals++
				if opening {
					q.Slipped += a
					q.SlippedDeals++
				}
			}
		}
		qs = append(qs, q)
		start = end
	}
	return qs, skipped
}
