package whatif

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/model/stats"
	"github.com/funnelsim/funnel/montecarlo"
)

// Rates are the funnel's per-quarter conversion rates the backwards
// worksheet divides by. MeasureRates measures them from a simulation of
// the model, so they include what the model's probabilities alone leave
// out: the contact rate the SDR queue achieves, recycled leads that come
// back as MQLs, and the mix of deal sizes of won deals.
type Rates struct {
	Currency string
	// Stage names for the worksheet's lines.
	MQLStage, SALStage, OppStage string

	AvgDeal  float64 // mean amount of a won deal, currency
	WinRate  float64 // deals won / opportunities created, a quarter
	SALToOpp float64 // opportunities created / SAL-stage entries
	// DirectSALs is the SAL-stage entries a quarter that come straight
	// from sources (sales' outbound leads), not from MQLs.
	DirectSALs float64
	// MQLToSAL is the SAL-stage entries that came from MQLs / MQLs, a
	// quarter: it includes the contact rate.
	MQLToSAL    float64
	ContactRate float64 // MQLs contacted / MQLs (inside MQLToSAL; for display)
	// NewLeads is the expected new inbound (marketing-sourced) leads a
	// quarter, from the model's rates; LeadToMQL is MQLs / NewLeads,
	// recycled leads included.
	NewLeads  float64
	LeadToMQL float64

	// Now holds the simulated values a quarter of the worksheet's lines,
	// for the "now" column: deals, opportunities, SALs, MQLs (NaN where
	// not measured).
	Deals, Opps, SALs, MQLs float64
}

// MeasureRates returns the Rates of model m from its simulation r (first
// quarter of each run; totals over runs, so ratios are of sums). The SAL
// stage is the stage before the opportunity stage on the way to a win.
// It returns an error when m has no handoff stage or no such stage, or
// when a rate is zero.
func MeasureRates(m *model.Model, r *montecarlo.Results) (Rates, error) {
	var q Rates
	q.Currency = m.Currency
	if m.Handoff == nil {
		return q, ErrNoHandoff
	}
	opp := m.OpportunityStage()
	main := montecarlo.MainPath(m)
	i := slices.Index(main, opp)
	if i < 1 {
		return q, errors.New("no stage before the opportunity stage on the way to a win")
	}
	sal, mql := main[i-1], m.StageIndex(m.Handoff.Stage)
	q.MQLStage, q.SALStage, q.OppStage = m.Stages[mql].Name, m.Stages[sal].Name, m.Stages[opp].Name
	S, E := len(m.Stages), len(m.Transitions)
	n := float64(r.Quarters)
	col := func(x []float64, w, j int) float64 {
		s := 0.0
		for k := range r.Quarters {
			s += x[k*r.Horizon*w+j]
		}
		return s / n
	}
	tot := func(x []float64) float64 {
		s := 0.0
		for _, v := range r.Period(x, 0) {
			s += v
		}
		return s / n
	}
	rev, won := tot(r.Revenue), tot(r.Won)
	opps := tot(r.MktCreated) + tot(r.SalesCreated)
	sals := col(r.Entries, S, sal)
	fromMoves := 0.0
	for e, t := range m.Transitions {
		if t.To == m.Stages[sal].Name {
			fromMoves += col(r.Moves, E, e)
		}
	}
	mqls := tot(r.MQLs)
	q.Deals, q.Opps, q.SALs, q.MQLs = won, opps, sals, mqls
	q.AvgDeal = rev / won
	q.WinRate = won / opps
	q.SALToOpp = opps / sals
	q.DirectSALs = sals - fromMoves
	q.MQLToSAL = fromMoves / mqls
	q.ContactRate = tot(r.Contacted) / mqls
	for _, s := range m.Sources {
		if !s.SalesSourced {
			q.NewLeads += s.RatePerWeek * float64(m.QuarterWeeks)
		}
	}
	q.LeadToMQL = mqls / q.NewLeads
	for _, v := range []float64{q.AvgDeal, q.WinRate, q.SALToOpp, q.MQLToSAL, q.LeadToMQL} {
		if !(v > 0) || math.IsInf(v, 0) {
			return q, fmt.Errorf("a conversion rate of the simulated funnel is %v: no wins, opportunities or MQLs to plan from", v)
		}
	}
	return q, nil
}

// Line is a line of the backwards worksheet.
type Line struct {
	Label string  `json:"label"`
	Value float64 `json:"value"` // needed a quarter
	Now   float64 `json:"now"`   // simulated a quarter; NaN when not measured
	Rate  string  `json:"rate"`  // the rate used, for people
}

// Worksheet returns the classic revenue math backwards from goal (currency
// a quarter), each line dividing the previous one by a rate of q:
//
//	deals         D  = goal / AvgDeal
//	opportunities O  = D / WinRate
//	SALs          S  = O / SALToOpp
//	from MQLs     Sm = max(0, S − DirectSALs)
//	MQLs          M  = Sm / MQLToSAL
//	new leads     L  = M / LeadToMQL
//
// It is a steady-state flow calculation: it ignores timing (deals won this
// quarter were created in earlier ones) and assumes the rates do not
// change with volume, which the SDR queue contradicts; Solve simulates
// instead.
func Worksheet(goal float64, q Rates) []Line {
	d := goal / q.AvgDeal
	o := d / q.WinRate
	s := o / q.SALToOpp
	sm := max(0, s-q.DirectSALs)
	mq := sm / q.MQLToSAL
	l := mq / q.LeadToMQL
	pct := func(v float64) string { return fmt.Sprintf("%.1f%%", 100*v) }
	nan := math.NaN()
	return []Line{
		{"revenue goal", goal, nan, ""},
		{"deals won", d, q.Deals, "÷ average won deal " + q.Currency + " " + thousands(q.AvgDeal)},
		{"opportunities", o, q.Opps, "÷ win rate " + pct(q.WinRate)},
		{q.SALStage + "s", s, q.SALs, "÷ " + q.SALStage + " → " + q.OppStage + " " + pct(q.SALToOpp)},
		{q.SALStage + "s from " + q.MQLStage + "s", sm, q.SALs - q.DirectSALs, fmt.Sprintf("− %.0f from sales' own sources", q.DirectSALs)},
		{q.MQLStage + "s", mq, q.MQLs, "÷ " + q.MQLStage + " → " + q.SALStage + " " + pct(q.MQLToSAL) + " (contact rate " + pct(q.ContactRate) + " included)"},
		{"new inbound leads", l, q.NewLeads, "÷ lead → " + q.MQLStage + " " + pct(q.LeadToMQL) + " (recycled leads included)"},
	}
}

// ScaleMarketing returns a copy of m with the rate of every
// marketing-sourced source (SalesSourced false) multiplied by s > 0.
func ScaleMarketing(m *model.Model, s float64) *model.Model {
	if !(s > 0) {
		panic("whatif: ScaleMarketing: scale must be positive")
	}
	c := m.Clone()
	for i := range c.Sources {
		if !c.Sources[i].SalesSourced {
			c.Sources[i].RatePerWeek *= s
		}
	}
	return c
}

// SolveConfig configures Solve. Zero fields mean the defaults of
// DefaultSolveConfig.
type SolveConfig struct {
	Goal     float64 // revenue goal a quarter, currency; 0: the model's quota
	Prob     float64 // the chance of reaching it, in (0,1); 0: 0.8
	Quarters int     // quarters simulated at each scale; 0: 500
	Seed     uint64  // the same seed at every scale (common random numbers)
	Workers  int     // 0: one per core
	Tol      float64 // bisection stops when the bracket is narrower than Tol·scale; 0: 0.02
	MaxScale float64 // the largest scale tried; 0: 16
	// Progress, when not nil, is called after each simulated scale.
	Progress func(Point)
}

// DefaultSolveConfig holds the defaults of SolveConfig.
var DefaultSolveConfig = SolveConfig{Prob: 0.8, Quarters: 500, Tol: 0.02, MaxScale: 16}

// MinScale is the smallest scale Solve tries below 1.
const MinScale = 1.0 / 256

// Point is one simulated scale of the marketing arrival rates.
type Point struct {
	Scale float64 `json:"scale"`
	P     float64 `json:"prob"`    // share of quarters with revenue ≥ goal
	SE    float64 `json:"prob_se"` // its binomial standard error
	// [PLo, PHi] is the 95% Clopper–Pearson interval of P (ClopperPearson):
	// each bound is a one-sided 97.5% bound.
	PLo  float64 `json:"prob_lo95"`
	PHi  float64 `json:"prob_hi95"`
	MQLs float64 `json:"mqls"` // mean MQLs a quarter
}

// BinomialPoint returns the Point at scale s of k quarters out of n that
// reach the goal, with mean MQLs a quarter mqls: P = k/n,
// SE = √(P(1−P)/n) and the Clopper–Pearson bounds. It panics unless
// 0 ≤ k ≤ n and n ≥ 1.
func BinomialPoint(s float64, k, n int, mqls float64) Point {
	lo, hi := stats.ClopperPearson(k, n, 0.95)
	p := float64(k) / float64(n)
	return Point{Scale: s, P: p, SE: math.Sqrt(p * (1 - p) / float64(n)), PLo: lo, PHi: hi, MQLs: mqls}
}

// Plan is the answer of Solve.
type Plan struct {
	Goal, Prob float64
	// Scale is the factor on marketing-sourced arrival rates at which the
	// simulated P(revenue ≥ Goal) reaches Prob, interpolated linearly in
	// the final bisection bracket; [ScaleLo, ScaleHi] is its 95% Monte
	// Carlo interval, ScaleInterval of Points (ScaleLo 0 when no scale
	// tried down to MinScale is below Prob, ScaleHi +Inf when none up to
	// MaxScale is above it).
	Scale, ScaleLo, ScaleHi float64
	// MQLs is the mean MQLs a quarter simulated at Scale; MQLsLo and
	// MQLsHi are the mean MQLs at ScaleLo and ScaleHi, interpolated
	// linearly between the scales tried (MQLsAt).
	MQLs, MQLsLo, MQLsHi float64
	Points               []Point // every scale simulated but the check, in order
	Model                *model.Model
	Results              *montecarlo.Results // at Scale
	Check                Point               // the simulation at Scale
	// Warnings are statistical caveats on the answer, for footnotes.
	Warnings []error
}

// ErrUnreachable is returned by Solve when no scale up to MaxScale
// reaches the goal with the probability asked.
var ErrUnreachable = errors.New("no scale of the marketing arrival rates reaches the goal with that probability")

// Solve finds the scale s of the marketing-sourced arrival rates of m at
// which P(revenue ≥ goal) = prob, simulating cfg.Quarters quarters with
// the same seed at each scale: it evaluates s = 1, doubles (or halves)
// until the target is bracketed, bisects to cfg.Tol, then, if no scale
// tried is below prob (or above it) beyond its 95% binomial bounds, keeps
// halving below the smallest scale tried down to MinScale (doubling above
// the largest up to cfg.MaxScale) until one is, so that the interval has
// both ends; last it simulates the interpolated answer once more (Check).
// With common random numbers P(s) is close to monotone, so bisection on it
// is well behaved. On ErrUnreachable the Plan holds the Points tried.
func Solve(ctx context.Context, m *model.Model, cfg SolveConfig) (*Plan, error) {
	if cfg.Goal == 0 {
		cfg.Goal = m.Quota
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	var last struct {
		m   *model.Model
		res *montecarlo.Results
	}
	eval := func(s float64) (Point, error) {
		sm := ScaleMarketing(m, s)
		res, err := montecarlo.Run(ctx, sm, montecarlo.Config{Quarters: cfg.Quarters, Seed: cfg.Seed, Workers: cfg.Workers})
		if err != nil {
			return Point{}, err
		}
		k, n := 0, 0
		for _, v := range res.Period(res.Revenue, 0) {
			if !math.IsNaN(v) {
				n++
				if v >= cfg.Goal {
					k++
				}
			}
		}
		if n == 0 {
			return Point{}, errors.New("no simulated quarter has a revenue")
		}
		pt := BinomialPoint(s, k, n, float64(montecarlo.Summarize(res.Period(res.MQLs, 0)).Mean))
		last.m, last.res = sm, res
		if cfg.Progress != nil {
			cfg.Progress(pt)
		}
		return pt, nil
	}
	plan := &Plan{Goal: cfg.Goal, Prob: cfg.Prob}
	s, pts, err := search(cfg, eval)
	plan.Points = pts
	if err != nil {
		if errors.Is(err, ErrUnreachable) {
			return plan, err
		}
		return nil, err
	}
	check, err := eval(s)
	if err != nil {
		return nil, err
	}
	plan.Scale, plan.Model, plan.Results, plan.Check = s, last.m, last.res, check
	plan.MQLs = check.MQLs
	var warn error
	plan.ScaleLo, plan.ScaleHi, warn = ScaleInterval(pts, cfg.Prob)
	if warn != nil {
		plan.Warnings = append(plan.Warnings, warn)
	}
	plan.MQLsLo, plan.MQLsHi = MQLsAt(pts, plan.ScaleLo), MQLsAt(pts, plan.ScaleHi)
	if check.PHi < cfg.Prob || check.PLo > cfg.Prob {
		plan.Warnings = append(plan.Warnings, fmt.Errorf("the simulation at scale %.3f gives P = %.3f (95%% %.3f to %.3f), which excludes %v: "+
			"P changes fast or not monotonically between the scales tried; more quarters would settle it", s, check.P, check.PLo, check.PHi, cfg.Prob))
	}
	return plan, nil
}

// withDefaults returns cfg with its zero fields set to the defaults, or an
// error for a goal or probability out of range.
func (cfg SolveConfig) withDefaults() (SolveConfig, error) {
	d := DefaultSolveConfig
	if cfg.Prob == 0 {
		cfg.Prob = d.Prob
	}
	if cfg.Quarters == 0 {
		cfg.Quarters = d.Quarters
	}
	if cfg.Tol == 0 {
		cfg.Tol = d.Tol
	}
	if cfg.MaxScale == 0 {
		cfg.MaxScale = d.MaxScale
	}
	if !(cfg.Goal > 0) || !(cfg.Prob > 0 && cfg.Prob < 1) {
		return cfg, fmt.Errorf("want a positive goal and a probability in (0,1), got %v and %v", cfg.Goal, cfg.Prob)
	}
	return cfg, nil
}

// search is Solve's search on eval, which simulates a scale: it returns
// the interpolated answer and every point evaluated, in order, or
// ErrUnreachable with the points tried.
func search(cfg SolveConfig, eval func(s float64) (Point, error)) (float64, []Point, error) {
	var pts []Point
	ev := func(s float64) (Point, error) {
		p, err := eval(s)
		if err == nil {
			pts = append(pts, p)
		}
		return p, err
	}
	var lo, hi Point
	pt, err := ev(1)
	if err != nil {
		return 0, nil, err
	}
	if pt.P >= cfg.Prob {
		hi = pt
		for s := 0.5; ; s /= 2 {
			if s < MinScale {
				lo = Point{Scale: 0, P: 0}
				break
			}
			p, err := ev(s)
			if err != nil {
				return 0, nil, err
			}
			if p.P < cfg.Prob {
				lo = p
				break
			}
			hi = p
		}
	} else {
		lo = pt
		for s := 2.0; ; s *= 2 {
			if s > cfg.MaxScale {
				return 0, pts, ErrUnreachable
			}
			p, err := ev(s)
			if err != nil {
				return 0, nil, err
			}
			if p.P >= cfg.Prob {
				hi = p
				break
			}
			lo = p
		}
	}
	for hi.Scale-lo.Scale > cfg.Tol*hi.Scale {
		p, err := ev((lo.Scale + hi.Scale) / 2)
		if err != nil {
			return 0, nil, err
		}
		if p.P >= cfg.Prob {
			hi = p
		} else {
			lo = p
		}
	}
	s := hi.Scale
	if hi.P > lo.P {
		s = lo.Scale + (cfg.Prob-lo.P)/(hi.P-lo.P)*(hi.Scale-lo.Scale)
	}
	// Ends for the interval: a scale below prob beyond its bounds, and one
	// above.
	if !slices.ContainsFunc(pts, func(p Point) bool { return p.PHi < cfg.Prob }) {
		for x := scaleMin(pts) / 2; x >= MinScale; x /= 2 {
			p, err := ev(x)
			if err != nil {
				return 0, nil, err
			}
			if p.PHi < cfg.Prob {
				break
			}
		}
	}
	if !slices.ContainsFunc(pts, func(p Point) bool { return p.PLo > cfg.Prob }) {
		for x := scaleMax(pts) * 2; x <= cfg.MaxScale; x *= 2 {
			p, err := ev(x)
			if err != nil {
				return 0, nil, err
			}
			if p.PLo > cfg.Prob {
				break
			}
		}
	}
	return s, pts, nil
}

func scaleMin(pts []Point) float64 {
	return slices.MinFunc(pts, func(a, b Point) int { return cmpScale(a, b) }).Scale
}

func scaleMax(pts []Point) float64 {
	return slices.MaxFunc(pts, func(a, b Point) int { return cmpScale(a, b) }).Scale
}

func cmpScale(a, b Point) int {
	switch {
	case a.Scale < b.Scale:
		return -1
	case a.Scale > b.Scale:
		return 1
	}
	return 0
}

// ScaleInterval returns the 95% interval [lo, hi] of the scale at which
// P(revenue ≥ goal) = prob, from simulated points (any order), by
// inverting their binomial bounds: assuming P rises with the scale, the
// answer lies above every scale whose upper bound PHi is below prob and
// below every scale whose lower bound PLo is above it. Between the last
// scale below, a, and the next scale tried, b, lo is where the PHi
// interpolated between them reaches prob, linearly in logit(PHi):
//
//	lo = a + (logit(prob) − logit(PHi(a))) / (logit(PHi(b)) − logit(PHi(a))) · (b − a)
//
// hi likewise from PLo, between the first scale above and the scale tried
// before it; where a bound of 0 or 1 makes a logit infinite, the end is the
// scale whose bound is finite (a for lo, the scale above for hi). The logit follows the S of a
// probability curve, which a straight line between two scales would cut
// short on the side of the target. With one-sided Clopper–Pearson bounds
// each end misses the answer with probability at most about 2.5%, and
// every scale tried whose bounds contain prob lies in [lo, hi].
//
// lo is 0 when no point is below prob beyond its bound, hi +Inf when none
// is above. When a point above prob lies at a smaller scale than a point
// below it (P is not monotone beyond sampling error), [lo, hi] spans both
// points and both ends found, and warn says so; warn is nil otherwise.
// ScaleInterval panics unless prob is in (0,1).
func ScaleInterval(points []Point, prob float64) (lo, hi float64, warn error) {
	if !(prob > 0 && prob < 1) {
		panic("whatif: ScaleInterval: prob must be in (0,1)")
	}
	pts := slices.Clone(points)
	slices.SortStableFunc(pts, cmpScale)
	below, above := -1, len(pts)
	for i, p := range pts {
		if p.PHi < prob {
			below = i
		}
	}
	for i := len(pts) - 1; i >= 0; i-- {
		if pts[i].PLo > prob {
			above = i
		}
	}
	logit := func(p float64) float64 { return math.Log(p / (1 - p)) }
	cross := func(a, b Point, ya, yb float64) float64 {
		ya, yb, y := logit(ya), logit(yb), logit(prob)
		switch {
		case math.IsInf(ya, 0): // a bound of 0 or 1 at a: the curve reaches y at b
			return b.Scale
		case math.IsInf(yb, 0) || ya == yb:
			return a.Scale
		}
		return a.Scale + (y-ya)/(yb-ya)*(b.Scale-a.Scale)
	}
	lo, hi = 0, math.Inf(1)
	switch {
	case below < 0:
	case below == len(pts)-1:
		lo = pts[below].Scale
	default:
		a, b := pts[below], pts[below+1]
		lo = cross(a, b, a.PHi, b.PHi)
	}
	switch {
	case above == len(pts):
	case above == 0:
		hi = pts[above].Scale
	default:
		a, b := pts[above-1], pts[above]
		hi = cross(a, b, a.PLo, b.PLo)
	}
	if below > above || lo > hi {
		warn = fmt.Errorf("P(revenue ≥ goal) is not monotone in the scale beyond sampling error: %.0f%% at ×%.3f but %.0f%% at ×%.3f; "+
			"the interval spans both", 100*pts[above].P, pts[above].Scale, 100*pts[below].P, pts[below].Scale)
		lo, hi = min(lo, hi, pts[above].Scale), max(lo, hi, pts[below].Scale)
	}
	return lo, hi, warn
}

// MQLsAt returns the mean MQLs a quarter at scale s, interpolated linearly
// between the points (any order) around s, or proportionally to the scale
// from the nearest point outside their range (MQLs come from the scaled
// sources); +Inf for s = +Inf, NaN without points or for a NaN s.
func MQLsAt(points []Point, s float64) float64 {
	if len(points) == 0 || math.IsNaN(s) {
		return math.NaN()
	}
	if math.IsInf(s, 1) {
		return s
	}
	pts := slices.Clone(points)
	slices.SortStableFunc(pts, cmpScale)
	first, last := pts[0], pts[len(pts)-1]
	switch {
	case s <= first.Scale:
		return first.MQLs * s / first.Scale
	case s >= last.Scale:
		return last.MQLs * s / last.Scale
	}
	i, _ := slices.BinarySearchFunc(pts, s, func(p Point, s float64) int { return cmpScale(p, Point{Scale: s}) })
	a, b := pts[i-1], pts[i]
	if b.Scale == a.Scale {
		return b.MQLs
	}
	return a.MQLs + (s-a.Scale)/(b.Scale-a.Scale)*(b.MQLs-a.MQLs)
}

// thousands formats v rounded to a whole number with comma thousands
// separators: 34731.4 → "34,731".
func thousands(v float64) string {
	s := strconv.FormatFloat(math.Round(math.Abs(v)), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if v < 0 && s != "0" {
		s = "-" + s
	}
	return s
}
