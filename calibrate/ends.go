package calibrate

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
)

// EntryStage is the name of the one stage before the opportunity of a
// model fitted to an export without lead history (see funnelEnds).
const EntryStage = "lead"

// funnelEnds fits the ends of the funnel when the export has no lead
// history: no lead of e is seen in two of base's stages before the
// opportunity (a Salesforce org without LeadHistory, a report export, a
// Data Loader extract: each lead carries its creation, its current status
// and, when converted, its conversion). The stages in between cannot be
// told apart, so they are merged into one, EntryStage: the returned
// model has EntryStage -> opportunity, EntryStage -> disqualified (base's
// outcome for leads lost before the opportunity), and base's opportunity
// -> won/lost; every source enters at EntryStage. In the returned export
// each lead enters EntryStage when it was created, keeps its opportunity
// and outcome events, and a lead whose status is an outcome before the
// opportunity (Closed - Not Converted) leaves at its creation, since the
// export does not date it: the probabilities of conversion and of
// disqualification are estimated (conversions dated by ConvertedDate or
// the opportunity's creation), the delay of disqualification is not.
// undated names the transition whose delay the export does not date
// ("lead->disqualified"; "" when no lead is disqualified): its delay is
// to be kept (keepUndated). ok is false, and e and base are to be used as they are, when a lead
// shows history or when base has no opportunity stage.
func funnelEnds(e *data.Export, base *model.Model) (x *data.Export, m *model.Model, undated string, notes []error, ok bool) {
	oi := base.OpportunityStage()
	if oi < 0 || len(e.Leads) == 0 {
		return e, base, "", nil, false
	}
	opp := base.Stages[oi]
	before := map[string]bool{} // open stages before the opportunity
	for _, s := range base.Stages {
		if s.Outcome == model.Open && !s.Opportunity {
			before[s.Name] = true
		}
	}
	after := map[string]bool{opp.Name: true} // the opportunity and the outcomes it reaches
	won, lost := "", ""
	for _, t := range base.Transitions {
		if t.From != opp.Name {
			continue
		}
		after[t.To] = true
		if si := base.StageIndex(t.To); si >= 0 {
			switch base.Stages[si].Outcome {
			case model.Won:
				won = cmpOr(won, t.To)
			case model.Lost:
				lost = cmpOr(lost, t.To)
			}
		}
	}
	if won == "" || lost == "" {
		return e, base, "", nil, false
	}
	// Base's outcome for leads lost before the opportunity: the most
	// common target of the stages before it.
	disq := ""
	for _, t := range base.Transitions {
		if si := base.StageIndex(t.To); before[t.From] && si >= 0 && base.Stages[si].Outcome == model.Lost && !after[t.To] {
			disq = t.To
			break
		}
	}
	if disq == "" {
		disq = "disqualified"
	}
	ev := e.StageEvents
	seen := 0 // leads with an event before the opportunity
	for i := 0; i < len(ev); {
		j := i
		first := ""
		for ; j < len(ev) && ev[j].LeadID == ev[i].LeadID; j++ {
			if s := ev[j].Stage; before[s] {
				if first != "" && s != first {
					return e, base, "", nil, false // history: two stages before the opportunity
				}
				first = s
			}
		}
		if first != "" {
			seen++
		}
		i = j
	}
	if seen == 0 {
		return e, base, "", nil, false
	}
	// The model.
	m = base.Clone()
	m.Start = nil
	m.Handoff = nil
	m.SLAs = nil
	stage := func(name string) model.Stage {
		if i := base.StageIndex(name); i >= 0 {
			return base.Stages[i]
		}
		return model.Stage{Name: name, Team: model.Marketing, Outcome: model.Lost}
	}
	delay := func(from, to string, def model.Dist) model.Dist {
		if i := transitionIndex(base, from, to); i >= 0 {
			return base.Transitions[i].Delay
		}
		return def
	}
	// The delays kept when the export cannot fit them: the base model's
	// last move into the opportunity, and its last disqualification.
	toOpp, toDisq := model.Dist{Form: model.LogNormal, Median: 14, Sigma: 1}, model.Dist{Form: model.LogNormal, Median: 14, Sigma: 1}
	for _, t := range base.Transitions {
		switch {
		case t.To == opp.Name && before[t.From]:
			toOpp = t.Delay
		case t.To == disq && before[t.From]:
			toDisq = t.Delay
		}
	}
	entry := model.Stage{Name: EntryStage, Label: "Lead", Team: model.Marketing, Outcome: model.Open}
	m.Stages = []model.Stage{entry, opp, stage(won), stage(lost)}
	if disq != won && disq != lost {
		m.Stages = append(m.Stages, stage(disq))
	}
	pConv := reachProb(base, opp.Name, before)
	m.Transitions = []model.Transition{
		{From: EntryStage, To: opp.Name, P: pConv, Delay: toOpp},
		{From: EntryStage, To: disq, P: 1 - pConv, Delay: toDisq},
		{From: opp.Name, To: won, P: 0.3, Delay: delay(opp.Name, won, model.Dist{Form: model.LogNormal, Median: 40, Sigma: 0.8})},
		{From: opp.Name, To: lost, P: 0.7, Delay: delay(opp.Name, lost, model.Dist{Form: model.LogNormal, Median: 40, Sigma: 0.8})},
	}
	for i := range m.Sources {
		m.Sources[i].Entry = EntryStage
		m.Sources[i].SalesSourced = false
	}
	// The export. A conversion the export dates only by the lead's
	// creation (its current status, no ConvertedDate) is dated by its
	// opportunity's creation when that is later.
	leads := leadIndex(e)
	oppCreated := map[string]time.Time{} // by lead, its earliest opportunity's creation
	for _, o := range e.Opportunities {
		if t, ok := oppCreated[o.LeadID]; o.LeadID != "" && !o.CreatedAt.IsZero() && (!ok || o.CreatedAt.Before(t)) {
			oppCreated[o.LeadID] = o.CreatedAt
		}
	}
	out := make([]data.StageEvent, 0, len(ev)+len(e.Leads))
	disqualified, converted := 0, 0
	have := map[string]bool{}
	for i := 0; i < len(ev); {
		j := i
		for j < len(ev) && ev[j].LeadID == ev[i].LeadID {
			j++
		}
		id := ev[i].LeadID
		li, isLead := leads[id]
		if !isLead || isUnlinked(id) {
			out = append(out, ev[i:j]...) // an opportunity linked to no lead (joinOpportunities)
			i = j
			continue
		}
		have[id] = true
		created := e.Leads[li].CreatedAt
		if created.IsZero() {
			created = ev[i].At
		}
		out = append(out, data.StageEvent{LeadID: id, Stage: EntryStage, At: created})
		for _, x := range ev[i:j] {
			switch si := base.StageIndex(x.Stage); {
			case before[x.Stage]:
				// The same stay: its stages cannot be told apart.
			case after[x.Stage]:
				if x.Stage == opp.Name {
					converted++
					if t, ok := oppCreated[id]; ok && !x.At.After(created) && t.After(x.At) {
						x.At = t
					}
				}
				out = append(out, x)
			case si >= 0 && base.Stages[si].Outcome != model.Open:
				disqualified++
				out = append(out, data.StageEvent{LeadID: id, Stage: disq, At: latestTime(x.At, created).Add(time.Second)})
			default:
				out = append(out, x) // a stage the model does not have: observe counts it
			}
		}
		data.SortStageEvents(out[len(out)-countFrom(out, id):], m)
		i = j
	}
	for _, l := range e.Leads { // leads without events enter too
		if !have[l.ID] && !l.CreatedAt.IsZero() && !isUnlinked(l.ID) {
			out = append(out, data.StageEvent{LeadID: l.ID, Stage: EntryStage, At: l.CreatedAt})
		}
	}
	slices.SortStableFunc(out, func(a, b data.StageEvent) int { return strings.Compare(a.LeadID, b.LeadID) })
	xe := *e
	xe.StageEvents = out
	var merged []string
	for _, s := range base.Stages {
		if before[s.Name] {
			merged = append(merged, s.Name)
		}
	}
	notes = append(notes, fmt.Errorf("no lead history: no lead is seen in two of the stages before %s (no LeadHistory, or a report or extract of current values), so they cannot be told apart: merged into one stage, %q (%s), which leads enter when created and leave for %s (%d conversions) or %s (%d leads whose status is an outcome); what happens between them needs the lead history (Salesforce: LeadHistory.csv with Status changes)",
		opp.Name, EntryStage, strings.Join(merged, ", "), opp.Name, converted, disq, disqualified))
	if disqualified > 0 {
		notes = append(notes, fmt.Errorf("%s: the export does not date the %d disqualifications (a status, not a change): they are dated at the lead's creation, so %s->%s's p is estimated but not its delay", disq, disqualified, EntryStage, disq))
	}
	if disqualified > 0 {
		undated = EntryStage + "->" + disq
	}
	return &xe, m, undated, notes, true
}

// reachProb returns the base model's probability that a lead entering
// the funnel (at the entry stage of base's first source, else its first
// open stage) reaches the stage to through the stages before: the p the
// merged stage's conversion keeps when the export cannot fit it. The
// chain's absorption probabilities are iterated to convergence (recycles
// included, as the model's p's give them).
func reachProb(base *model.Model, to string, before map[string]bool) float64 {
	start := firstOpen(base)
	if len(base.Sources) > 0 && before[base.Sources[0].Entry] {
		start = base.Sources[0].Entry
	}
	v := map[string]float64{to: 1}
	for range 1000 {
		delta := 0.0
		for s := range before {
			x := 0.0
			for _, t := range base.Transitions {
				if t.From == s {
					x += t.P * v[t.To]
				}
			}
			delta = max(delta, math.Abs(x-v[s]))
			v[s] = x
		}
		if delta < 1e-12 {
			break
		}
	}
	return math.Round(v[start]*1e4) / 1e4
}

// prior is the model whose p's a transition the export never shows
// keeps: the base model as funnelEnds or contractSkipped reshaped it,
// else the base model.
func (c *calib) prior() *model.Model {
	if c.ends != nil {
		return c.ends
	}
	return c.cfg.Base
}

// keepUndated gives back the transition c.undated (funnelEnds) the delay
// it had before the fit, which rests on delays the export does not
// record, and drops its fitted delay parameters: Result.Kept lists it.
func (c *calib) keepUndated(d model.Dist) {
	if c.undated == "" {
		return
	}
	from, to, _ := strings.Cut(c.undated, "->")
	if ti := transitionIndex(c.m, from, to); ti >= 0 {
		c.m.Transitions[ti].Delay = d
	}
	for si := range c.res.Stages {
		sf := &c.res.Stages[si]
		for ei := range sf.Edges {
			if ef := &sf.Edges[ei]; sf.Stage == from && ef.To == to {
				ef.Kept, ef.Delay, ef.Delays, ef.Replaced, ef.Mixture, ef.Dist = true, Fit{Form: -1}, nil, "", nil, d
			}
		}
	}
	prefix := "transitions[" + c.undated + "].delay_days"
	c.res.Params = slices.DeleteFunc(c.res.Params, func(p Param) bool { return strings.HasPrefix(p.Path, prefix) })
}

// countFrom returns how many events at the end of evs belong to lead id.
func countFrom(evs []data.StageEvent, id string) int {
	n := 0
	for k := len(evs) - 1; k >= 0 && evs[k].LeadID == id; k-- {
		n++
	}
	return n
}

func latestTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return b
	}
	return a
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
