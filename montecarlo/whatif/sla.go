package whatif

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// PolicyDesign says which SDR response policies an SLA sweep simulates
// around a base model (DesignPolicies).
type PolicyDesign struct {
	Headcounts []int      // SDR headcounts to try, each ≥ 1
	Coverages  []Coverage // working-hours coverages to try
	// Thresholds are the MQL score thresholds to try, points; Score.Base
	// is the model as it is.
	Thresholds []float64
	// Grid runs every combination of Headcounts, Coverages and Thresholds
	// (the base's own combination once); false changes one lever at a
	// time around the base.
	Grid bool
	// Score is the score model of the thresholds; the zero value means
	// DefaultScoreModel.
	Score ScoreModel
	// TouchMinutes are the first-touch targets, wall-clock minutes from
	// MQL to first touch, each > 0, measured in every policy (WithWaitSLAs):
	// they change no behaviour. DesignPolicies sorts them and drops
	// repeats.
	TouchMinutes []float64
}

// Policy is one response policy of a sweep.
type Policy struct {
	// Name is what the policy changes in the base, for people: "base",
	// "8 SDRs", "threshold 70, 24x7, 4 SDRs".
	Name      string
	Lever     string  // base, headcount, hours, threshold or grid
	Headcount int     // SDRs
	Hours     string  // the coverage's name (CoverageName)
	Threshold float64 // MQL score threshold, points
	// Effect is what the threshold does to the base (ScoreModel.Apply);
	// its Threshold is 0 when the policy keeps the base's.
	Effect ThresholdEffect
	// Model is the base with the policy applied and the first-touch
	// targets added as measurement SLAs.
	Model *model.Model
}

// DesignPolicies returns the policies of d around base, the base first:
// one lever at a time (every headcount, then every coverage, then every
// threshold that differs from the base's), or with d.Grid every
// combination other than the base's own. It returns an error for a model
// without an SDR queue (ErrNoHandoff), a headcount below 1, a target that
// is not positive, or a threshold the score model cannot apply.
func DesignPolicies(base *model.Model, d PolicyDesign) ([]Policy, error) {
	if base.Handoff == nil {
		return nil, ErrNoHandoff
	}
	for _, h := range d.Headcounts {
		if h < 1 {
			return nil, fmt.Errorf("headcount %d: want at least 1", h)
		}
	}
	score := d.Score
	if score == (ScoreModel{}) {
		score = DefaultScoreModel
	}
	touch := slices.Compact(slices.Sorted(slices.Values(d.TouchMinutes)))
	baseHours := CoverageName(base.Handoff.SDR.Hours)
	baseHead := base.Handoff.SDR.Headcount
	var pols []Policy
	add := func(lever string, head int, cov *Coverage, thr float64) error {
		m := base
		var name []string
		var eff ThresholdEffect
		if thr != score.Base {
			var err error
			if m, eff, err = score.Apply(m, thr); err != nil {
				return err
			}
			name = append(name, fmt.Sprintf("threshold %g", thr))
		}
		var h *model.WorkHours
		hn := baseHours
		if cov != nil {
			h, hn = &cov.Hours, cov.Name
			if cov.Name != baseHours {
				name = append(name, cov.Name)
			}
		}
		if head != baseHead {
			name = append(name, SDRs(head))
		}
		m, err := WithSDR(m, head, h)
		if err != nil {
			return err
		}
		if m, err = WithWaitSLAs(m, touch, false); err != nil {
			return err
		}
		if len(name) == 0 {
			name = []string{"base"}
		}
		pols = append(pols, Policy{Name: strings.Join(name, ", "), Lever: lever, Headcount: head, Hours: hn, Threshold: thr, Effect: eff, Model: m})
		return nil
	}
	if err := add("base", baseHead, nil, score.Base); err != nil {
		return nil, err
	}
	if d.Grid {
		thresholds := d.Thresholds
		if len(thresholds) == 0 {
			thresholds = []float64{score.Base}
		}
		for _, c := range d.Coverages {
			for _, h := range d.Headcounts {
				for _, t := range thresholds {
					if c.Name == baseHours && h == baseHead && t == score.Base {
						continue
					}
					if err := add("grid", h, &c, t); err != nil {
						return nil, err
					}
				}
			}
		}
		return pols, nil
	}
	for _, h := range d.Headcounts {
		if h != baseHead {
			if err := add("headcount", h, nil, score.Base); err != nil {
				return nil, err
			}
		}
	}
	for _, c := range d.Coverages {
		if c.Name != baseHours {
			if err := add("hours", baseHead, &c, score.Base); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range d.Thresholds {
		if t != score.Base {
			if err := add("threshold", baseHead, nil, t); err != nil {
				return nil, err
			}
		}
	}
	return pols, nil
}

// SDRs returns a headcount for people: "1 SDR", "6 SDRs".
func SDRs(n int) string {
	if n == 1 {
		return "1 SDR"
	}
	return strconv.Itoa(n) + " SDRs"
}

// ComplianceColumn is a column of an SLA sweep's compliance table: one of
// the model's own SLAs, or a first-touch target in minutes.
type ComplianceColumn struct {
	SLA          string  // the model's SLA's name; "" for a first-touch target
	TouchMinutes float64 // the first-touch target, wall-clock minutes; 0 for a model SLA
}

// ComplianceColumns returns the compliance columns of a sweep of base with
// the first-touch targets touchMinutes: the model's SLAs in its order,
// then the targets, shortest first, each once.
func ComplianceColumns(base *model.Model, touchMinutes []float64) []ComplianceColumn {
	var out []ComplianceColumn
	for _, s := range base.SLAs {
		out = append(out, ComplianceColumn{SLA: s.Name})
	}
	for _, x := range slices.Compact(slices.Sorted(slices.Values(touchMinutes))) {
		out = append(out, ComplianceColumn{TouchMinutes: x})
	}
	return out
}

// MeasurePolicy returns the outcomes of policy p from its simulation res
// (rep its montecarlo.NewReport) and the base policy's simulation baseRes,
// run with the same seed and quarters: response times, volumes and money
// as PolicyResult has them, a quarter's averaged over quarters, the
// paired 95% interval of revenue against the base (Paired), and the
// Erlang C figures of the team's queue beside the simulated ones, with
// λ = MQLs per working hour of the team and the mean handling time. It
// returns the share of leads meeting each of cols beside (its Compliance
// map is left nil, for the caller to key by the columns' names). p.Model
// must carry the first-touch SLAs of cols (DesignPolicies adds them).
func MeasurePolicy(p Policy, rep *montecarlo.Report, res, baseRes *montecarlo.Results, cols []ComplianceColumn) (PolicyResult, []float64) {
	m := p.Model
	out := PolicyResult{Name: p.Name, Lever: p.Lever, Headcount: p.Headcount, Hours: p.Hours, Threshold: p.Threshold}
	out.RespP50, out.RespP90 = rep.ResponseP50.Mean, rep.ResponseP90.Mean
	comp := make([]float64, len(cols))
	for i, c := range cols {
		name := c.SLA
		if name == "" {
			name = WaitSLAName(c.TouchMinutes, false)
		}
		comp[i] = math.NaN()
		for _, s := range rep.SLA {
			if s.Name == name {
				comp[i] = float64(s.PerQuarter.Mean)
			}
		}
	}
	out.MQLs, out.Contacted = rep.MQLs.Mean, rep.Contacted.Mean
	out.Qualified = montecarlo.Float(math.NaN())
	main := montecarlo.MainPath(m)
	if i := slices.Index(main, m.StageIndex(m.Handoff.Stage)); i >= 0 && i+1 < len(main) {
		out.Qualified = rep.Stages[main[i+1]].MeanEntries
	}
	out.Pipeline = rep.PipelineCreated.MarketingValue.Mean + rep.PipelineCreated.SalesValue.Mean
	out.Revenue = rep.Revenue.Mean
	out.PerSDR = out.Revenue / montecarlo.Float(out.Headcount)
	d := Paired("revenue", Money, baseRes.Period(baseRes.Revenue, 0), res.Period(res.Revenue, 0))
	out.RevenueLo, out.RevenueHi = montecarlo.Float(d.Delta-d.HalfPaired), montecarlo.Float(d.Delta+d.HalfPaired)

	// Erlang C with λ = MQLs per working hour of the team.
	h := &m.Handoff.SDR
	open := 0.0
	for w := range model.HoursPerWeek {
		open += h.Hours.Open(w)
	}
	open *= float64(m.QuarterWeeks)
	handle := h.Handle.ExpectedValue() // minutes
	a := float64(rep.MQLs.Mean) / open * handle / 60
	out.Offered = montecarlo.Float(a)
	out.ErlangWait = montecarlo.Float(ErlangC(h.Headcount, a))
	out.ErlangMean = montecarlo.Float(ErlangMeanWait(h.Headcount, a, handle))
	for _, s := range rep.SLA {
		if s.Name == WaitSLAName(0, false) {
			out.SimWait = 1 - s.Compliance
		}
	}
	sum, n := 0.0, 0
	for _, v := range res.RespSample {
		for _, x := range v {
			sum += x
			n++
		}
	}
	out.SimMean = montecarlo.Float(math.NaN())
	if n > 0 {
		out.SimMean = montecarlo.Float(sum / float64(n))
	}
	return out, comp
}

// ErlangCaveats lists, one sentence each, the assumptions of the M/M/c
// queue (Erlang C) that m breaks: a team that does not work around the
// clock, handling times that are not exponential, bursty sources and
// sources that arrive by a weekly profile. It panics if m has no handoff.
func ErlangCaveats(m *model.Model) []string {
	var out []string
	if h := m.Handoff.SDR.Hours; !h.AroundTheClock() {
		out = append(out, "the team works "+DescribeHours(h)+": MQLs arriving off hours wait for it to start, which M/M/c (always open) does not know")
	}
	if m.Handoff.SDR.Handle.Form != model.Exponential {
		out = append(out, fmt.Sprintf("handling times are %s, not exponential", m.Handoff.SDR.Handle.Form))
	}
	for _, s := range m.Sources {
		if s.SalesSourced {
			continue
		}
		if s.Dispersion > 0 {
			out = append(out, fmt.Sprintf("source %s is bursty (gamma-mixed rate, dispersion %g): arrivals are not Poisson", s.Name, s.Dispersion))
		}
		if shape := s.Profile.Shape; len(s.Profile.Weights) > 0 || shape == "business" {
			out = append(out, fmt.Sprintf("source %s arrives by a weekday-by-hour profile: the arrival rate is not constant", s.Name))
		}
	}
	return out
}

// DescribeHours describes working hours h for people, with the hours a
// week they cover: "extended hours (8-20 on weekdays, 60 of 168 hours a
// week)", "hours 9-17 on mon,sat (16 of 168 hours a week)".
func DescribeHours(h model.WorkHours) string {
	open := 0.0
	for w := range model.HoursPerWeek {
		open += h.Open(w)
	}
	end := h.End
	if end == 0 {
		end = 24
	}
	days := "every day"
	switch {
	case slices.Equal(h.Days, []model.Weekday{1, 2, 3, 4, 5}):
		days = "weekdays"
	case len(h.Days) > 0 && len(h.Days) < 7:
		var d []string
		for _, x := range h.Days {
			d = append(d, x.String())
		}
		days = strings.Join(d, ",")
	}
	week := fmt.Sprintf("%g of %d hours a week", open, model.HoursPerWeek)
	name := CoverageName(h)
	for _, c := range Coverages {
		if c.Name == name {
			return fmt.Sprintf("%s hours (%g-%g on %s, %s)", name, h.Start, end, days, week)
		}
	}
	return fmt.Sprintf("hours %g-%g on %s (%s)", h.Start, end, days, week)
}

// HeadcountTarget is the inverse question of an SLA sweep: touch at least
// Share of a quarter's MQLs within WithinMinutes of their arrival (wall
// clock) in at least InQuarters of quarters.
type HeadcountTarget struct {
	Share         float64 // in (0,1]
	WithinMinutes float64 // > 0
	InQuarters    float64 // in (0,1]
}

// MaxSearchHeadcount bounds SearchHeadcount.
const MaxSearchHeadcount = 256

// SearchHeadcount finds the smallest SDR headcount, working hours, with
// which base meets t, simulating each headcount tried with simulate (the
// same seed and quarters for all: common random numbers keep the
// comparison between headcounts fair). It tries MaxSearchHeadcount first:
// when even that fails (MQLs arriving off hours cap compliance whatever
// the team's size) the answer, Headcount 0, is known after one
// simulation. Otherwise it doubles from 1 and then bisects (compliance
// rises with headcount). Tried lists every headcount simulated, by
// headcount. It returns an error for t out of range or a model without an
// SDR queue, and simulate's errors.
func SearchHeadcount(ctx context.Context, base *model.Model, hours model.WorkHours, t HeadcountTarget,
	simulate func(context.Context, *model.Model) (*montecarlo.Results, error)) (*HeadcountSearchResult, error) {
	if !(t.Share > 0 && t.Share <= 1) || !(t.InQuarters > 0 && t.InQuarters <= 1) || !(t.WithinMinutes > 0) {
		return nil, fmt.Errorf("headcount target %+v: want Share and InQuarters in (0,1] and positive minutes", t)
	}
	s := &HeadcountSearchResult{TargetShare: t.Share, WithinMin: t.WithinMinutes, InQuarters: t.InQuarters, Hours: CoverageName(hours)}
	ok := func(h int) (bool, error) {
		for _, tr := range s.Tried { // tried already
			if tr.Headcount == h {
				return tr.Share >= t.InQuarters, nil
			}
		}
		m, err := WithSDR(base, h, &hours)
		if err != nil {
			return false, err
		}
		if m, err = WithWaitSLAs(m, []float64{t.WithinMinutes}, false); err != nil {
			return false, err
		}
		res, err := simulate(ctx, m)
		if err != nil {
			return false, err
		}
		comp := SLACompliance(res, len(res.SLAs)-1)
		share, _ := montecarlo.ProbAtLeast(comp, t.Share)
		s.Tried = append(s.Tried, HeadcountTrial{Headcount: h, Share: share, Mean: float64(montecarlo.Summarize(comp).Mean)})
		s.MaxTried = max(s.MaxTried, h)
		return share >= t.InQuarters, nil
	}
	switch good, err := ok(MaxSearchHeadcount); {
	case err != nil:
		return nil, err
	case !good:
		return s, nil
	}
	lo, hi := 0, 1
	for {
		good, err := ok(hi)
		if err != nil {
			return nil, err
		}
		if good {
			break
		}
		lo, hi = hi, min(2*hi, MaxSearchHeadcount) // ends at the largest, which is good
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		good, err := ok(mid)
		if err != nil {
			return nil, err
		}
		if good {
			hi = mid
		} else {
			lo = mid
		}
	}
	s.Headcount = hi
	slices.SortFunc(s.Tried, func(a, b HeadcountTrial) int { return a.Headcount - b.Headcount })
	return s, nil
}
