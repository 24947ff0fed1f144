package whatif

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// Coverage is a named working-hours schedule of the SDR team.
type Coverage struct {
	Name  string
	Hours model.WorkHours
}

var weekdays = []model.Weekday{1, 2, 3, 4, 5}

// Coverages are the schedules the SLA sweep knows by name: business (9-17
// on weekdays), extended (8-20 on weekdays) and 24x7 (around the clock).
var Coverages = []Coverage{
	{"business", model.WorkHours{Days: weekdays, Start: 9, End: 17}},
	{"extended", model.WorkHours{Days: weekdays, Start: 8, End: 20}},
	{"24x7", model.WorkHours{Start: 0, End: 24}},
}

// CoverageNamed returns the schedule called name (see Coverages).
func CoverageNamed(name string) (Coverage, error) {
	for _, c := range Coverages {
		if c.Name == name {
			return c, nil
		}
	}
	var names []string
	for _, c := range Coverages {
		names = append(names, c.Name)
	}
	return Coverage{}, fmt.Errorf("unknown coverage %q (want %s)", name, strings.Join(names, ", "))
}

// CoverageName returns the name of h among Coverages, or a description.
func CoverageName(h model.WorkHours) string {
	for _, c := range Coverages {
		if c.Hours.AroundTheClock() && h.AroundTheClock() ||
			slices.Equal(c.Hours.Days, h.Days) && c.Hours.Start == h.Start && c.Hours.End == h.End {
			return c.Name
		}
	}
	if h.AroundTheClock() {
		return "24x7"
	}
	days := "every day"
	if len(h.Days) > 0 {
		var d []string
		for _, x := range h.Days {
			d = append(d, x.String())
		}
		days = strings.Join(d, ",")
	}
	return fmt.Sprintf("%s %g-%g", days, h.Start, h.End)
}

// ErrNoHandoff is returned by the SDR levers for a model without an SDR
// queue.
var ErrNoHandoff = errors.New("the model has no handoff (SDR queue) to change")

// WithSDR returns a copy of m whose SDR team has the given headcount
// (0: unchanged) and working hours (nil: unchanged).
func WithSDR(m *model.Model, headcount int, hours *model.WorkHours) (*model.Model, error) {
	if m.Handoff == nil {
		return nil, ErrNoHandoff
	}
	c := m.Clone()
	if headcount > 0 {
		c.Handoff.SDR.Headcount = headcount
	}
	if hours != nil {
		h := *hours
		h.Days = slices.Clone(h.Days)
		c.Handoff.SDR.Hours = h
	}
	return c, c.Validate()
}

// WaitSLAPrefix starts the names of the measurement-only SLAs WithWaitSLAs
// adds, so that reports can tell them from the model's own.
const WaitSLAPrefix = "~first-touch-"

// WaitZeroHours is the first-touch time under which WithWaitSLAs counts a
// lead as not having waited: 0.0036 s, far below any handling time and far
// above the rounding of the engine's working-time clock.
const WaitZeroHours = 1e-6

// WithWaitSLAs returns a copy of m with measurement-only first-touch SLAs
// on its handoff stage: one in wall-clock hours at WaitZeroHours (its
// compliance is the share of MQLs that did not wait, 1 − P(W > 0)), and
// one at each of minutes (counted in the SDR team's working hours when
// business is set, else wall-clock). SLAs change no random draw, so the
// copy simulates exactly as m does. Their names are WaitSLAName(...).
func WithWaitSLAs(m *model.Model, minutes []float64, business bool) (*model.Model, error) {
	if m.Handoff == nil {
		return nil, ErrNoHandoff
	}
	c := m.Clone()
	c.SLAs = append(c.SLAs, model.SLA{Name: WaitSLAName(0, false), From: c.Handoff.Stage, Hours: WaitZeroHours})
	for _, x := range minutes {
		if !(x > 0) {
			return nil, fmt.Errorf("first-touch target %v minutes: want a positive number", x)
		}
		c.SLAs = append(c.SLAs, model.SLA{Name: WaitSLAName(x, business), From: c.Handoff.Stage, Hours: x / 60, Business: business})
	}
	return c, c.Validate()
}

// WaitSLAName returns the name WithWaitSLAs gives the first-touch SLA of
// the given minutes (0: the no-wait one).
func WaitSLAName(minutes float64, business bool) string {
	if minutes == 0 {
		return WaitSLAPrefix + "0"
	}
	s := fmt.Sprintf("%s%gm", WaitSLAPrefix, minutes)
	if business {
		s += "-business"
	}
	return s
}

// ScoreModel is the lead-scoring model behind the MQL-threshold lever. The
// model has no score field, so the lever is a transformation of its
// rates, from these assumptions:
//
//   - an engaged lead's score S is logistic with location Location and
//     scale Scale (points); it becomes an MQL when S ≥ the threshold T, so
//     the engaged → MQL probability scales with the tail 1 − F(T);
//   - a lead of score s qualifies once contacted with probability
//     q(s) = 1/(1 + exp(−(α + Slope·s))): Slope is the log-odds gained per
//     score point (1/15: fifteen points multiply the odds by e);
//   - the model's rates were measured at threshold Base, which fixes α:
//     E[q(S) | S ≥ Base] equals the model's MQL → qualified probability.
//
// Raising T then multiplies the engaged → MQL probability by the volume
// factor v(T) = (1 − F(T)) / (1 − F(Base)) < 1, and the MQL → qualified
// probability by the quality factor E[q(S) | S ≥ T] / E[q(S) | S ≥ Base]
// > 1 (capped so it stays a probability); the MQL's other exits shrink so
// the stage's total exit probability is unchanged. Everything else,
// including the SDR queue, then answers to the new volume in the
// simulation, which is where the trade-off shows in revenue.
type ScoreModel struct {
	Location float64 // mean score of engaged leads, points
	Scale    float64 // logistic scale, points (sd = Scale·π/√3), > 0
	Base     float64 // the threshold the model's rates were measured at, points
	Slope    float64 // log-odds of qualifying per score point, > 0
}

// DefaultScoreModel is a 0-100 score: engaged leads centred on 50 (sd
// about 18 points), the model's rates measured at a threshold of 60, and
// fifteen points multiplying the odds of qualifying by e.
var DefaultScoreModel = ScoreModel{Location: 50, Scale: 10, Base: 60, Slope: 1.0 / 15}

// tail returns P(S ≥ t).
func (s ScoreModel) tail(t float64) float64 { return 1 / (1 + math.Exp((t-s.Location)/s.Scale)) }

// Volume returns v(T) = P(S ≥ T) / P(S ≥ Base).
func (s ScoreModel) Volume(t float64) float64 { return s.tail(t) / s.tail(s.Base) }

// meanQ returns E[q(S) | S ≥ t] for intercept alpha, by the midpoint rule
// on the tail's quantiles (2,000 points: error far below 1e-6).
func (s ScoreModel) meanQ(t, alpha float64) float64 {
	const n = 2000
	f := 1 - s.tail(t)
	sum := 0.0
	for i := range n {
		u := f + (1-f)*(float64(i)+0.5)/n
		x := s.Location + s.Scale*math.Log(u/(1-u))
		sum += 1 / (1 + math.Exp(-(alpha + s.Slope*x)))
	}
	return sum / n
}

// Quality returns the factor by which the qualify probability q0 measured
// at Base changes at threshold t: E[q(S) | S ≥ t] / q0, with α solved (by
// bisection) so that E[q(S) | S ≥ Base] = q0. It panics unless 0 < q0 < 1.
func (s ScoreModel) Quality(t, q0 float64) float64 {
	if !(q0 > 0 && q0 < 1) {
		panic("whatif: ScoreModel.Quality: q0 outside (0,1)")
	}
	lo, hi := -60.0, 60.0
	for range 100 {
		mid := (lo + hi) / 2
		if s.meanQ(s.Base, mid) < q0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return s.meanQ(t, (lo+hi)/2) / q0
}

// ThresholdEffect is what ScoreModel.Apply did to a model.
type ThresholdEffect struct {
	Threshold         float64 // points
	Volume, Quality   float64 // factors on engaged → MQL and MQL → qualified
	IntoP, QualifyP   float64 // the new probabilities
	IntoP0, QualifyP0 float64 // the model's
}

// Apply returns a copy of m with the MQL threshold moved to t: every
// non-recycle transition into the handoff stage from a marketing stage
// has its probability times Volume(t); the handoff stage's transition on
// the way to a win has its probability times Quality(t, p), capped at the
// stage's total exit probability; the stage's other exits share what is
// left in their old proportions. It returns an error for a model without
// a handoff or whose handoff stage has no transition towards a win.
func (s ScoreModel) Apply(m *model.Model, t float64) (*model.Model, ThresholdEffect, error) {
	eff := ThresholdEffect{Threshold: t}
	if m.Handoff == nil {
		return nil, eff, ErrNoHandoff
	}
	c := m.Clone()
	h := c.Handoff.Stage
	main := mainSet(c)
	eff.Volume = s.Volume(t)
	qual := -1
	total, others := 0.0, 0.0
	for i := range c.Transitions {
		tr := &c.Transitions[i]
		if tr.To == h && !tr.Recycle {
			if st := c.StageIndex(tr.From); st >= 0 && c.Stages[st].Team == model.Marketing {
				eff.IntoP0 = tr.P
				tr.P *= eff.Volume
				eff.IntoP = tr.P
			}
		}
		if tr.From == h {
			total += tr.P
			if qual < 0 && main[c.StageIndex(tr.To)] && tr.P > 0 {
				qual = i
			} else {
				others += tr.P
			}
		}
	}
	if qual < 0 {
		return nil, eff, fmt.Errorf("stage %q has no transition on the way to a win to raise", h)
	}
	q := &c.Transitions[qual]
	eff.QualifyP0 = q.P
	if q.P < 1 {
		eff.Quality = s.Quality(t, q.P)
	} else {
		eff.Quality = 1
	}
	q.P = min(q.P*eff.Quality, total)
	eff.QualifyP = q.P
	for i := range c.Transitions {
		tr := &c.Transitions[i]
		if tr.From == h && i != qual && others > 0 {
			tr.P *= (total - q.P) / others
		}
	}
	return c, eff, c.Validate()
}

func mainSet(m *model.Model) map[int]bool {
	set := map[int]bool{}
	for _, s := range montecarlo.MainPath(m) {
		set[s] = true
	}
	return set
}
