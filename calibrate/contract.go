package calibrate

import (
	"fmt"
	"slices"
	"strings"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
)

// contractSkipped returns m without the stages the export skips: an open
// stage B (not the opportunity, no source's entry, not the handoff's)
// that no lead of e enters while leads move straight from A to C, where
// m has A -> B and B -> C but not A -> C. The export's taxonomy has no B
// (HubSpot's lifecycle goes from Marketing Qualified Lead to Sales
// Qualified Lead; the default model has tql between mql and sal), so B's
// edges are joined to A's: each A -> B and B -> X become A -> X, with p
// the product of theirs and B -> X's delay and recycle flag, and the
// SLAs on B are dropped. Without it those moves would count as exits
// along edges the model does not have, and A -> B, never taken, would
// keep the base model's p. m is not modified; notes say what was joined.
// changed is false when no stage is skipped.
func contractSkipped(e *data.Export, m *model.Model) (out *model.Model, notes []error, changed bool) {
	entered := map[string]bool{}
	for _, ev := range e.StageEvents {
		entered[ev.Stage] = true
	}
	jumps := map[[2]string]int{} // consecutive moves of a lead, from -> to
	ev := e.StageEvents
	for i := 1; i < len(ev); i++ {
		if ev[i].LeadID == ev[i-1].LeadID && ev[i].Stage != ev[i-1].Stage {
			jumps[[2]string{ev[i-1].Stage, ev[i].Stage}]++
		}
	}
	has := func(m *model.Model, from, to string) bool { return transitionIndex(m, from, to) >= 0 }
	out = m
	for {
		skipped := ""
		var via []string
		for _, b := range out.Stages {
			if b.Outcome != model.Open || b.Opportunity || entered[b.Name] || out.Handoff != nil && out.Handoff.Stage == b.Name ||
				slices.ContainsFunc(out.Sources, func(s model.Source) bool { return s.Entry == b.Name }) {
				continue
			}
			n := 0
			var seen []string
			for _, in := range out.Transitions {
				if in.To != b.Name {
					continue
				}
				for _, o := range out.Transitions {
					if o.From == b.Name && !has(out, in.From, o.To) && jumps[[2]string{in.From, o.To}] > 0 {
						n += jumps[[2]string{in.From, o.To}]
						seen = append(seen, fmt.Sprintf("%s -> %s (%d leads)", in.From, o.To, jumps[[2]string{in.From, o.To}]))
					}
				}
			}
			if n > 0 {
				skipped, via = b.Name, seen
				break
			}
		}
		if skipped == "" {
			return out, notes, changed
		}
		if !changed {
			out = m.Clone()
			changed = true
		}
		var ts []model.Transition
		for _, in := range out.Transitions {
			if in.To != skipped {
				continue
			}
			for _, o := range out.Transitions {
				if o.From != skipped || o.To == in.From {
					continue
				}
				if i := transitionIndex(out, in.From, o.To); i >= 0 {
					out.Transitions[i].P += in.P * o.P
					continue
				}
				if j := slices.IndexFunc(ts, func(t model.Transition) bool { return t.From == in.From && t.To == o.To }); j >= 0 {
					ts[j].P += in.P * o.P
					continue
				}
				ts = append(ts, model.Transition{From: in.From, To: o.To, P: in.P * o.P, Delay: o.Delay, Recycle: o.Recycle})
			}
		}
		out.Transitions = slices.DeleteFunc(out.Transitions, func(t model.Transition) bool { return t.From == skipped || t.To == skipped })
		out.Transitions = append(out.Transitions, ts...)
		slices.SortStableFunc(out.Transitions, func(a, b model.Transition) int { return out.StageIndex(a.From) - out.StageIndex(b.From) })
		out.Stages = slices.DeleteFunc(out.Stages, func(s model.Stage) bool { return s.Name == skipped })
		var slas []string
		out.SLAs = slices.DeleteFunc(out.SLAs, func(a model.SLA) bool {
			gone := a.From == skipped || slices.Contains(a.To, skipped)
			if gone {
				slas = append(slas, a.Name)
			}
			return gone
		})
		what := ""
		if len(slas) > 0 {
			what = "; SLAs dropped with it: " + strings.Join(slas, ", ")
		}
		notes = append(notes, fmt.Errorf("stage %s: no lead of the export enters it, and leads skip it (%s): dropped, its edges joined to the stages before it%s (a taxonomy without %s; use a --base model of your own funnel to keep it)",
			skipped, strings.Join(via, ", "), what, skipped))
	}
}
