package calibrate

import (
	"fmt"
	"slices"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
)

// Sojourn is one stay of a lead in a stage, as a competing-risks
// observation: the lead left the stage for To after T days, or was still
// there at the as-of date (To = "", Cause 0).
//
// On the model's handoff stage the clock starts at the lead's first touch,
// and only leads whose first touch connected have a Sojourn there (the
// model's transitions from the handoff stage are conditional on contact);
// the touch itself is a Response.
type Sojourn struct {
	Lead   string
	Source string    // the lead's source
	Stage  string    // the stage stayed in
	Start  time.Time // when the clock started: entry, or first touch on the handoff stage
	T      float64   // days from Start to the exit, or to the as-of date when censored, ≥ 0
	To     string    // the stage entered next; "" when censored
	// Cause is 0 when censored, 1+i when the lead took the stage's i-th
	// transition (in model order), and -1 when it moved to a stage the
	// model has no transition to.
	Cause  int
	Follow float64 // days from Start to the as-of date, ≥ T
	// Capped marks a stay in a stage with a recycle edge by a lead that
	// had used up Model.MaxRecycles: the recycle edge was closed to it, so
	// the stay is left out of the fits.
	Capped bool
}

// Response is a lead's wait in the handoff stage for its first touch.
type Response struct {
	Lead      string
	Entered   time.Time // entered the handoff stage
	Minutes   float64   // wall-clock minutes to the first touch, or to the as-of date (or its exit) when Censored
	Contacted bool      // the first touch connected
	Censored  bool      // no touch before the as-of date or the lead's next stage
	Owner     string    // who made the first touch
}

// Observations extracts from e, in the taxonomy of m, every stay in a
// non-terminal stage and every handoff response. Stage events of a lead
// (which e holds together, as data sorts them) are taken in time order,
// events at the same time in the order data.SortStageEvents gives them
// under m; each event but the last ends the stay begun by the one before, and the last stay is censored at e.AsOf. On m's handoff
// stage a stay is split at the first activity after entry (and not after
// the next stage event): its response time is the wait, the touch is
// contacted when the activity connected, and only contacted leads have a
// Sojourn, timed from the touch. A lead whose first touch did not connect
// and who then enters Handoff.NoContact has taken a recycle when that
// stage is not terminal. When e has no activities at all, the handoff
// stage is treated as any other stage (no Responses).
//
// Warnings count events in stages m does not know, exits along edges m
// does not have, and handoff stays that ended without a touch.
func Observations(e *data.Export, m *model.Model) (soj []Sojourn, resp []Response, warns []error) {
	edges := stageEdges(m)
	handoff := ""
	ncRecycle := false
	if m.Handoff != nil && len(e.Activities) > 0 {
		handoff = m.Handoff.Stage
		if i := m.StageIndex(m.Handoff.NoContact); i >= 0 {
			ncRecycle = m.Stages[i].Outcome == model.Open
		}
	}
	source := make(map[string]string, len(e.Leads))
	for _, l := range e.Leads {
		source[l.ID] = l.Source
	}
	acts := make(map[string][]data.Activity)
	for _, a := range e.Activities {
		if !a.At.After(e.AsOf) {
			acts[a.LeadID] = append(acts[a.LeadID], a)
		}
	}
	unknown := map[string]int{}
	noEdge := map[string]int{}
	untouched := 0
	days := func(a, b time.Time) float64 { return b.Sub(a).Hours() / 24 }
	// Events of one lead at the same time are taken in the order that
	// follows m's funnel (data.SortStageEvents), whatever their order in
	// e, so that the observations do not depend on file order.
	ev := e.StageEvents
	for i := 0; i < len(ev); {
		j := i
		for j < len(ev) && ev[j].LeadID == ev[i].LeadID {
			j++
		}
		lead := ev[i:j]
		i = j
		for k := 1; k < len(lead); k++ {
			if !lead[k].At.After(lead[k-1].At) {
				lead = slices.Clone(lead)
				data.SortStageEvents(lead, m)
				break
			}
		}
		id := lead[0].LeadID
		recycles := 0
		for k, s := range lead {
			si := m.StageIndex(s.Stage)
			if si < 0 {
				unknown[s.Stage]++
				continue
			}
			var next *data.StageEvent
			if k+1 < len(lead) {
				next = &lead[k+1]
			}
			st := m.Stages[si]
			if st.Outcome != model.Open {
				continue
			}
			capped := false
			for _, ti := range edges[si] {
				if m.Transitions[ti].Recycle && recycles >= m.MaxRecycles {
					capped = true
				}
			}
			start := s.At
			if s.Stage == handoff {
				end := e.AsOf
				if next != nil {
					end = next.At
				}
				var touch *data.Activity
				for a := range acts[id] {
					x := &acts[id][a]
					if !x.At.Before(s.At) && !x.At.After(end) {
						touch = x
						break
					}
				}
				if touch == nil {
					resp = append(resp, Response{Lead: id, Entered: s.At, Minutes: end.Sub(s.At).Minutes(), Censored: true})
					if next != nil {
						untouched++
					}
					continue
				}
				resp = append(resp, Response{Lead: id, Entered: s.At, Minutes: touch.At.Sub(s.At).Minutes(), Contacted: touch.Connected, Owner: touch.Owner})
				if !touch.Connected {
					if next != nil && next.Stage == m.Handoff.NoContact && ncRecycle {
						recycles++
					}
					continue
				}
				start = touch.At
			}
			o := Sojourn{Lead: id, Source: source[id], Stage: s.Stage, Start: start, Follow: days(start, e.AsOf), Capped: capped}
			if next == nil {
				o.T = o.Follow
			} else {
				o.T, o.To, o.Cause = days(start, next.At), next.Stage, -1
				for c, ti := range edges[si] {
					if m.Transitions[ti].To == next.Stage {
						o.Cause = c + 1
						if m.Transitions[ti].Recycle {
							recycles++
						}
					}
				}
				if o.Cause < 0 {
					noEdge[s.Stage+" -> "+next.Stage]++
				}
			}
			soj = append(soj, o)
		}
	}
	for _, k := range sortedKeys(unknown) {
		warns = append(warns, fmt.Errorf("%d stage events in %q, a stage the model does not have: ignored", unknown[k], k))
	}
	for _, k := range sortedKeys(noEdge) {
		warns = append(warns, fmt.Errorf("%d leads moved %s, an edge the model does not have: counted as a competing exit", noEdge[k], k))
	}
	if untouched > 0 {
		warns = append(warns, fmt.Errorf("%d leads left the handoff stage %q without a touch: left out of the contact and transition fits", untouched, handoff))
	}
	return soj, resp, warns
}

// stageEdges returns, for each stage index, the indices of its transitions
// in model order.
func stageEdges(m *model.Model) [][]int {
	edges := make([][]int, len(m.Stages))
	for i, t := range m.Transitions {
		if s := m.StageIndex(t.From); s >= 0 {
			edges[s] = append(edges[s], i)
		}
	}
	return edges
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
