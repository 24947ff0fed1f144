package calibrate

import (
	"fmt"
	"slices"
	"strings"
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
	resp, warns = observe(e, m, leadIndex(e), func(o *Sojourn, _ int32) { soj = append(soj, *o) })
	return soj, resp, warns
}

// leadIndex maps each lead id of e to its index in e.Leads (the last one,
// for an id given twice).
func leadIndex(e *data.Export) map[string]int32 {
	idx := make(map[string]int32, len(e.Leads))
	for i, l := range e.Leads {
		idx[l.ID] = int32(i)
	}
	return idx
}

// activitiesOf returns a function giving the activities of a lead, in
// the order of e.Activities, up to e.AsOf. Activities sorted by lead, as
// data sorts them, are found by binary search; others are grouped in a map.
func activitiesOf(e *data.Export) func(lead string) []data.Activity {
	acts := e.Activities
	sorted := slices.IsSortedFunc(acts, func(a, b data.Activity) int { return strings.Compare(a.LeadID, b.LeadID) })
	var buf []data.Activity
	if sorted {
		return func(lead string) []data.Activity {
			i, _ := slices.BinarySearchFunc(acts, lead, func(a data.Activity, id string) int { return strings.Compare(a.LeadID, id) })
			j := i
			for j < len(acts) && acts[j].LeadID == lead {
				j++
			}
			buf = buf[:0]
			for _, a := range acts[i:j] {
				if !a.At.After(e.AsOf) {
					buf = append(buf, a)
				}
			}
			return buf
		}
	}
	by := make(map[string][]data.Activity)
	for _, a := range acts {
		if !a.At.After(e.AsOf) {
			by[a.LeadID] = append(by[a.LeadID], a)
		}
	}
	return func(lead string) []data.Activity { return by[lead] }
}

// observe is Observations, handing each stay to add, with the index in
// e.Leads of its lead (-1 when e.Leads does not have it; leads maps ids
// to indices), instead of collecting them. The Sojourn is add's only
// until it returns.
func observe(e *data.Export, m *model.Model, leads map[string]int32, add func(o *Sojourn, lead int32)) (resp []Response, warns []error) {
	edges := stageEdges(m)
	handoff := ""
	ncRecycle := false
	if m.Handoff != nil && len(e.Activities) > 0 {
		handoff = m.Handoff.Stage
		if i := m.StageIndex(m.Handoff.NoContact); i >= 0 {
			ncRecycle = m.Stages[i].Outcome == model.Open
		}
	}
	actsOf := activitiesOf(e)
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
		li, ok := leads[id]
		source := ""
		if ok {
			source = e.Leads[li].Source
		} else {
			li = -1
		}
		var acts []data.Activity
		if handoff != "" {
			acts = actsOf(id)
		}
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
				for a := range acts {
					x := &acts[a]
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
			o := Sojourn{Lead: id, Source: source, Stage: s.Stage, Start: start, Follow: days(start, e.AsOf), Capped: capped}
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
			add(&o, li)
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
	return resp, warns
}

// openEvents returns the number of e's stage events in a stage of m that
// is not an outcome: an upper bound on the stays observe finds.
func openEvents(e *data.Export, m *model.Model) int {
	open := make(map[string]bool, len(m.Stages))
	for _, s := range m.Stages {
		open[s.Name] = s.Outcome == model.Open
	}
	n := 0
	for _, s := range e.StageEvents {
		if open[s.Stage] {
			n++
		}
	}
	return n
}

// stay is the compact form of a Sojourn that Calibrate keeps for each of
// the export's stays (a million leads have millions): stage names as
// indices in the model, the lead as its index in the export.
type stay struct {
	Start     time.Time // as Sojourn.Start
	T, Follow float64   // as in Sojourn, days
	lead      int32     // index in Export.Leads, -1 if not there
	stage, to int16     // indices in Model.Stages; to is -1 when censored or not a stage of the model
	cause     int16     // as Sojourn.Cause
	capped    bool      // as Sojourn.Capped
}

// newStay returns the stay of o, whose stage is one of m's.
func newStay(o *Sojourn, lead int32, m *model.Model) stay {
	return stay{Start: o.Start, T: o.T, Follow: o.Follow, lead: lead, stage: int16(m.StageIndex(o.Stage)),
		to: int16(m.StageIndex(o.To)), cause: int16(o.Cause), capped: o.Capped}
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
