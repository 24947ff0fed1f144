package whatif

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/funnelsim/funnel/model"
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

// Point is one simulated scale of the marketing arrival rates.
type Point struct {
	Scale float64 `json:"scale"`
	P     float64 `json:"prob"`    // share of quarters with revenue ≥ goal
	SE    float64 `json:"prob_se"` // its binomial standard error
	MQLs  float64 `json:"mqls"`    // mean MQLs a quarter
}

// Plan is the answer of Solve.
type Plan struct {
	Goal, Prob float64
	// Scale is the factor on marketing-sourced arrival rates at which the
	// simulated P(revenue ≥ Goal) reaches Prob, interpolated linearly in
	// the final bisection bracket; [ScaleLo, ScaleHi] is its 95% Monte
	// Carlo interval by the delta method: Z95·SE(Prob)/slope, the slope of
	// P against the scale fitted by least squares to the points with P
	// within 0.25 of Prob.
	Scale, ScaleLo, ScaleHi float64
	// MQLs is the mean MQLs a quarter at Scale, with its interval mapped
	// through the MQLs-per-scale slope.
	MQLs, MQLsLo, MQLsHi float64
	Points               []Point // every scale simulated, in order
	Model                *model.Model
	Results              *montecarlo.Results // at Scale
	Check                Point               // the simulation at Scale
}

// ErrUnreachable is returned by Solve when no scale up to MaxScale
// reaches the goal with the probability asked.
var ErrUnreachable = errors.New("no scale of the marketing arrival rates reaches the goal with that probability")

// Solve finds the scale s of the marketing-sourced arrival rates of m at
// which P(revenue ≥ goal) = prob, simulating cfg.Quarters quarters with
// the same seed at each scale: it evaluates s = 1, doubles (or halves)
// until the target is bracketed, bisects to cfg.Tol, and simulates the
// interpolated answer once more. With common random numbers P(s) is
// close to monotone, so bisection on it is well behaved.
func Solve(ctx context.Context, m *model.Model, cfg SolveConfig) (*Plan, error) {
	if cfg.Goal == 0 {
		cfg.Goal = m.Quota
	}
	if cfg.Prob == 0 {
		cfg.Prob = DefaultSolveConfig.Prob
	}
	if cfg.Quarters == 0 {
		cfg.Quarters = DefaultSolveConfig.Quarters
	}
	if cfg.Tol == 0 {
		cfg.Tol = DefaultSolveConfig.Tol
	}
	if cfg.MaxScale == 0 {
		cfg.MaxScale = DefaultSolveConfig.MaxScale
	}
	if !(cfg.Goal > 0) || !(cfg.Prob > 0 && cfg.Prob < 1) {
		return nil, fmt.Errorf("want a positive goal and a probability in (0,1), got %v and %v", cfg.Goal, cfg.Prob)
	}
	plan := &Plan{Goal: cfg.Goal, Prob: cfg.Prob}
	eval := func(s float64) (Point, *model.Model, *montecarlo.Results, error) {
		sm := ScaleMarketing(m, s)
		res, err := montecarlo.Run(ctx, sm, montecarlo.Config{Quarters: cfg.Quarters, Seed: cfg.Seed, Workers: cfg.Workers})
		if err != nil {
			return Point{}, nil, nil, err
		}
		p, se := montecarlo.ProbAtLeast(res.Period(res.Revenue, 0), cfg.Goal)
		pt := Point{Scale: s, P: p, SE: se, MQLs: float64(montecarlo.Summarize(res.Period(res.MQLs, 0)).Mean)}
		plan.Points = append(plan.Points, pt)
		if cfg.Progress != nil {
			cfg.Progress(pt)
		}
		return pt, sm, res, nil
	}
	lo, hi := Point{Scale: math.NaN()}, Point{Scale: math.NaN()}
	pt, _, _, err := eval(1)
	if err != nil {
		return nil, err
	}
	if pt.P >= cfg.Prob {
		hi = pt
		for s := 0.5; ; s /= 2 {
			if s < 1.0/256 {
				lo = Point{Scale: 0, P: 0}
				break
			}
			p, _, _, err := eval(s)
			if err != nil {
				return nil, err
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
				return plan, ErrUnreachable
			}
			p, _, _, err := eval(s)
			if err != nil {
				return nil, err
			}
			if p.P >= cfg.Prob {
				hi = p
				break
			}
			lo = p
		}
	}
	for hi.Scale-lo.Scale > cfg.Tol*hi.Scale {
		p, _, _, err := eval((lo.Scale + hi.Scale) / 2)
		if err != nil {
			return nil, err
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
	check, sm, res, err := eval(s)
	if err != nil {
		return nil, err
	}
	plan.Points = plan.Points[:len(plan.Points)-1] // the check is reported apart
	plan.Scale, plan.Model, plan.Results, plan.Check = s, sm, res, check
	plan.MQLs = check.MQLs

	// Delta-method interval from the local slopes of P and MQLs in s.
	var xs, ps, ms []float64
	for _, p := range append(slices.Clone(plan.Points), check) {
		if math.Abs(p.P-cfg.Prob) <= 0.25 {
			xs, ps, ms = append(xs, p.Scale), append(ps, p.P), append(ms, p.MQLs)
		}
	}
	plan.ScaleLo, plan.ScaleHi, plan.MQLsLo, plan.MQLsHi = math.NaN(), math.NaN(), math.NaN(), math.NaN()
	if slope := slopeLS(xs, ps); slope > 0 {
		half := Z95 * math.Sqrt(cfg.Prob*(1-cfg.Prob)/float64(cfg.Quarters)) / slope
		plan.ScaleLo, plan.ScaleHi = s-half, s+half
		mslope := slopeLS(xs, ms)
		if math.IsNaN(mslope) {
			mslope = check.MQLs / s
		}
		plan.MQLsLo, plan.MQLsHi = check.MQLs-half*mslope, check.MQLs+half*mslope
	}
	return plan, nil
}

// slopeLS returns the least-squares slope of y on x, NaN with fewer than
// two distinct x.
func slopeLS(x, y []float64) float64 {
	if len(x) < 2 {
		return math.NaN()
	}
	mx, _ := meanSD(x)
	my, _ := meanSD(y)
	sxy, sxx := 0.0, 0.0
	for i := range x {
		sxy += (x[i] - mx) * (y[i] - my)
		sxx += (x[i] - mx) * (x[i] - mx)
	}
	if sxx == 0 {
		return math.NaN()
	}
	return sxy / sxx
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
