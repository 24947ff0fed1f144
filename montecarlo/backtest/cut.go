package backtest

import (
	"time"

	"github.com/funnelsim/funnel/data"
)

// Cut returns the export e as it looked at the instant t: what happened
// strictly before t is known, the rest is not.
//
//   - Leads, stage events, activities and opportunity stage events at or
//     after t do not exist.
//   - An opportunity created at or after t does not exist. One created
//     before t that closed at or after t is open at t: its outcome and
//     close are removed, and its stage is its last stage event before t
//     (its stage in e when it is still open in e, "open" otherwise).
//   - Amounts are as e shows them: an export holds a deal's latest amount,
//     not its history, so the amount of a deal open at t may be the one it
//     closed at (a lost deal's amount is often 0, which calibration reads
//     as unknown).
//   - An opportunity without a creation date cannot be placed in time: it
//     is kept when it closed before t, and when t is not before e.AsOf;
//     otherwise it is left out.
//
// The cut's AsOf is t, or e.AsOf when t is later. Its Report is empty. e is
// not modified; the cut shares no slices with it.
func Cut(e *data.Export, t time.Time) *data.Export {
	c := &data.Export{AsOf: t}
	if e.AsOf.Before(t) {
		c.AsOf = e.AsOf
	}
	known := func(at time.Time) bool { return at.Before(t) }
	leads := make(map[string]bool, len(e.Leads))
	for _, l := range e.Leads {
		if known(l.CreatedAt) {
			c.Leads = append(c.Leads, l)
			leads[l.ID] = true
		}
	}
	for _, s := range e.StageEvents {
		if known(s.At) && leads[s.LeadID] {
			c.StageEvents = append(c.StageEvents, s)
		}
	}
	for _, a := range e.Activities {
		if known(a.At) && leads[a.LeadID] {
			c.Activities = append(c.Activities, a)
		}
	}
	lastStage := make(map[string]string)
	for _, s := range e.OppStageEvents {
		if known(s.At) {
			lastStage[s.OpportunityID] = s.Stage // sorted by time within a deal
		}
	}
	opps := make(map[string]bool, len(e.Opportunities))
	for _, o := range e.Opportunities {
		switch {
		case o.CreatedAt.IsZero():
			closedBefore := o.Outcome != data.OutcomeOpen && known(o.ClosedAt)
			if !closedBefore && t.Before(e.AsOf) {
				continue
			}
		case !known(o.CreatedAt):
			continue
		}
		if o.Outcome != data.OutcomeOpen && !known(o.ClosedAt) {
			o.Outcome, o.ClosedAt = data.OutcomeOpen, time.Time{}
			o.Stage = "open"
		}
		if s, ok := lastStage[o.ID]; ok {
			o.Stage = s
		}
		c.Opportunities = append(c.Opportunities, o)
		opps[o.ID] = true
	}
	for _, s := range e.OppStageEvents {
		if known(s.At) && opps[s.OpportunityID] {
			c.OppStageEvents = append(c.OppStageEvents, s)
		}
	}
	return c
}

// WonIn returns the revenue and the number of deals of e closed won in
// [from, to): what a window of a backtest actually brought.
func WonIn(e *data.Export, from, to time.Time) (revenue float64, deals int) {
	for _, o := range e.Opportunities {
		if o.Outcome == data.OutcomeWon && !o.ClosedAt.Before(from) && o.ClosedAt.Before(to) {
			revenue += o.Amount
			deals++
		}
	}
	return revenue, deals
}
