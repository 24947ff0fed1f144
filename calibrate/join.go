package calibrate

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
)

// unlinkedPrefix starts the id under which an opportunity linked to no
// lead of the export is followed through the opportunity stage.
const unlinkedPrefix = "opportunity:"

// UnlinkedSource is the source of the opportunities linked to no lead of
// the export (sales-sourced deals opened on an account or contact): a
// calibrated model has it when there are such opportunities created while
// the export's leads arrive.
const UnlinkedSource = "(no lead)"

// joinOpportunities returns e with the stage events its opportunities
// imply and its leads' stage events lack, for exports whose lead stages
// stop at conversion (a Salesforce lead's Status ends at "Closed -
// Converted"; without LeadHistory it has no other date than CreatedDate
// and ConvertedDate):
//
//   - a lead linked to an opportunity (its earliest-created one, when it
//     has several) that has no event in m's opportunity stage enters it
//     when the opportunity was created (not before the lead's last
//     earlier event);
//   - a lead whose linked opportunity is closed and that has no event in
//     an outcome reached from the opportunity stage enters the won or
//     lost stage at the close date (not before its opportunity entry);
//   - an opportunity linked to no lead of the export is followed on its
//     own, under the id unlinkedPrefix+ID, from its creation to its close:
//     it informs opportunity->won and ->lost, and the returned copy of
//     the opportunity carries that id as its LeadID, so that an open one
//     is counted once, as an open opportunity. When the export's leads
//     span at least 4 weeks, those created since its first lead also
//     arrive, as leads of UnlinkedSource entering the opportunity stage
//     (sales-sourced pipeline, which the forecast would otherwise miss);
//     earlier ones add no arrival (their rate cannot be told beside the
//     leads').
//
// e itself is not modified. Notes say what was added; none when nothing
// was.
func joinOpportunities(e *data.Export, m *model.Model) (*data.Export, []error) {
	oi := m.OpportunityStage()
	if oi < 0 || len(e.Opportunities) == 0 {
		return e, nil
	}
	oppStage := m.Stages[oi].Name
	won, lost := "", ""
	outcome := map[string]bool{} // outcomes reached from the opportunity stage
	for _, t := range m.Transitions {
		if t.From != oppStage {
			continue
		}
		si := m.StageIndex(t.To)
		if si < 0 {
			continue
		}
		switch m.Stages[si].Outcome {
		case model.Won:
			outcome[t.To] = true
			if won == "" {
				won = t.To
			}
		case model.Lost:
			outcome[t.To] = true
			if lost == "" {
				lost = t.To
			}
		}
	}
	if won == "" || lost == "" {
		return e, nil
	}
	leads := leadIndex(e)
	// The range of each lead's events in e.StageEvents (data groups them
	// by lead).
	type span struct{ from, to int }
	spans := make(map[string]span)
	ev := e.StageEvents
	for i := 0; i < len(ev); {
		j := i
		for j < len(ev) && ev[j].LeadID == ev[i].LeadID {
			j++
		}
		if _, ok := spans[ev[i].LeadID]; !ok {
			spans[ev[i].LeadID] = span{i, j}
		}
		i = j
	}
	// The earliest-created opportunity of each lead.
	first := map[string]int{}
	for i, o := range e.Opportunities {
		if o.LeadID == "" || o.CreatedAt.IsZero() {
			continue
		}
		if _, ok := leads[o.LeadID]; !ok {
			continue
		}
		if j, ok := first[o.LeadID]; !ok || o.CreatedAt.Before(e.Opportunities[j].CreatedAt) {
			first[o.LeadID] = i
		}
	}
	extra := map[string][]data.StageEvent{}
	var unlinked []data.StageEvent
	var firstLead time.Time // the export's first lead: unlinked opportunities arrive from then
	for _, l := range e.Leads {
		if !l.CreatedAt.IsZero() && (firstLead.IsZero() || l.CreatedAt.Before(firstLead)) {
			firstLead = l.CreatedAt
		}
	}
	arrive := !firstLead.IsZero() && e.AsOf.Sub(firstLead) >= 4*7*24*time.Hour
	var arrivals []data.Lead
	opps := slices.Clone(e.Opportunities)
	entered, closed, later, nUnlinked, unlinkedClosed := 0, 0, 0, 0, 0
	for i := range opps {
		o := &opps[i]
		if o.CreatedAt.IsZero() || o.CreatedAt.After(e.AsOf) {
			continue
		}
		closedAt := o.ClosedAt
		isClosed := (o.Outcome == data.OutcomeWon || o.Outcome == data.OutcomeLost) && !closedAt.IsZero() && !closedAt.After(e.AsOf)
		to := won
		if o.Outcome == data.OutcomeLost {
			to = lost
		}
		if _, ok := leads[o.LeadID]; !ok || o.LeadID == "" {
			id := unlinkedPrefix + o.ID
			if _, clash := leads[id]; clash {
				continue
			}
			o.LeadID = id
			nUnlinked++
			if arrive && !o.CreatedAt.Before(firstLead) {
				arrivals = append(arrivals, data.Lead{ID: id, CreatedAt: o.CreatedAt, Source: UnlinkedSource})
			}
			unlinked = append(unlinked, data.StageEvent{LeadID: id, Stage: oppStage, At: o.CreatedAt})
			if isClosed {
				unlinkedClosed++
				unlinked = append(unlinked, data.StageEvent{LeadID: id, Stage: to, At: latest(closedAt, o.CreatedAt)})
			}
			continue
		}
		if first[o.LeadID] != i {
			later++
			continue
		}
		var have []data.StageEvent
		if s, ok := spans[o.LeadID]; ok {
			have = ev[s.from:s.to]
		}
		var inOpp time.Time
		hasOutcome := false
		for _, x := range have {
			if x.Stage == oppStage && inOpp.IsZero() {
				inOpp = x.At
			}
			hasOutcome = hasOutcome || outcome[x.Stage]
		}
		if hasOutcome {
			continue
		}
		if inOpp.IsZero() {
			inOpp = o.CreatedAt
			for _, x := range have {
				if si := m.StageIndex(x.Stage); si >= 0 && m.Stages[si].Outcome == model.Open && x.At.After(inOpp) {
					inOpp = x.At // not before the lead's earlier stages
				}
			}
			extra[o.LeadID] = append(extra[o.LeadID], data.StageEvent{LeadID: o.LeadID, Stage: oppStage, At: inOpp})
			entered++
		}
		if isClosed {
			extra[o.LeadID] = append(extra[o.LeadID], data.StageEvent{LeadID: o.LeadID, Stage: to, At: latest(closedAt, inOpp)})
			closed++
		}
	}
	if len(extra) == 0 && len(unlinked) == 0 {
		return e, nil
	}
	out := *e
	out.Opportunities = opps
	if len(arrivals) > 0 {
		out.Leads = append(slices.Clip(e.Leads), arrivals...)
	}
	evs := make([]data.StageEvent, 0, len(ev)+len(unlinked)+2*len(extra))
	for i := 0; i < len(ev); {
		j := i
		for j < len(ev) && ev[j].LeadID == ev[i].LeadID {
			j++
		}
		id := ev[i].LeadID
		evs = append(evs, ev[i:j]...)
		if x, ok := extra[id]; ok && spans[id].from == i {
			evs = append(evs, x...)
			data.SortStageEvents(evs[len(evs)-(j-i)-len(x):], m)
			delete(extra, id)
		}
		i = j
	}
	// Leads with no stage event of their own.
	for _, id := range sortedKeys(extra) {
		evs = append(evs, extra[id]...)
	}
	evs = append(evs, unlinked...)
	out.StageEvents = evs
	var notes []error
	if entered+closed > 0 {
		notes = append(notes, fmt.Errorf("opportunities: %d leads enter %s when their opportunity was created and %d leave it when it closed (won or lost): the export's lead stages stop at conversion, so the opportunities' own dates and stages give those moves", entered, oppStage, closed))
	}
	if later > 0 {
		notes = append(notes, fmt.Errorf("opportunities: %d leads have more than one opportunity: only the earliest created is followed through the funnel (all count in deal sizes)", later))
	}
	if nUnlinked > 0 {
		what := "they add no arrivals (the export's leads span less than 4 weeks)"
		if arrive {
			what = fmt.Sprintf("the %d created since the first lead arrive as source %s, entering %s (sales-sourced pipeline)", len(arrivals), UnlinkedSource, oppStage)
		}
		notes = append(notes, fmt.Errorf("opportunities: %d opportunities are linked to no lead of the export (no converted lead names them): followed on their own from creation to close (%d closed) for %s->%s and %s->%s; %s", nUnlinked, unlinkedClosed, oppStage, won, oppStage, lost, what))
	}
	return &out, notes
}

func latest(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

// isUnlinked reports whether a lead id is one joinOpportunities made for
// an opportunity linked to no lead.
func isUnlinked(id string) bool { return strings.HasPrefix(id, unlinkedPrefix) }
