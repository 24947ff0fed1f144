package calibrate

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
	"gonum.org/v1/gonum/stat/distuv"
)

// Config configures Calibrate. The zero value of each field means its
// default.
type Config struct {
	// Base is the model whose structure (stages, transitions, sources'
	// flags, handoff stage, SLAs, quota) is kept and whose parameters are
	// replaced by estimates; nil means model.Default(). Parameters the
	// export says nothing about keep Base's values, with a warning.
	Base *model.Model
	// QuarterWeeks is the length of a quarter in weeks; 0 means Base's.
	QuarterWeeks int
	// Currency is the ISO 4217 code of amounts; "" means the export's
	// (the currency most of its opportunities are in) or Base's.
	Currency string
	// Rates converts amounts in other currencies to Currency: Rates["EUR"]
	// is the model currency's units per euro (> 0). Opportunities in a
	// currency without a rate keep their place in the funnel, but their
	// amounts are left out of deal sizes and open pipeline, with a
	// warning. nil means no conversion.
	Rates map[string]float64
	// TimeZone is the IANA zone of working hours and arrival profiles;
	// "" means Base's.
	TimeZone string
	// MinObs is the number of observations below which an estimate is
	// flagged in Warnings; 0 means DefaultConfig.MinObs.
	MinObs int
	// KeepForms fits each delay and the decay curve in Base's family
	// (lognormal, Weibull, ...; Hill or exponential) instead of choosing
	// the family by AIC: for re-fitting a model whose shapes are settled.
	KeepForms bool
	// LeftTruncation fits the stages whose records begin late (an export
	// that starts at a migration: see detectLeftTruncation in
	// lefttrunc.go) as left-truncated: delayed entry in the
	// Aalen-Johansen estimates, delays from them, arrivals counted from
	// the records' start. false (the default) only detects such stages
	// and warns: on the Maven export it made backtest forecasts worse
	// (coverage 1 of 6, mean CRPS $588K against $390K without).
	LeftTruncation bool
	// CohortDrift caps each stage's Observations (the concentration its
	// probabilities are drawn with, per simulated quarter) at the
	// between-cohort concentration of its conversions within a quarter,
	// where cohorts of 4 weeks convert more unevenly than chance (drift.go):
	// the quarter-to-quarter drift of conversion in the intervals. false
	// (the default) leaves it out: on the Maven export it widened the later
	// origins, already wide, for a worse mean CRPS ($425K against $398K)
	// and the same coverage.
	CohortDrift bool
	// Rand, when not nil, drives the parametric bootstrap of the decay
	// curve (BootstrapReps replicates); nil means Wald intervals only.
	Rand          *rand.Rand
	BootstrapReps int // 0 means DefaultConfig.BootstrapReps when Rand is set
}

// DefaultConfig holds the defaults of Config's zero fields.
var DefaultConfig = Config{MinObs: 30, BootstrapReps: 200}

// Param is one estimated parameter of the model.
type Param struct {
	// Path names the model field in the YAML keys of the model file, e.g.
	// "transitions[known->engaged].p", "sources[web].rate_per_week",
	// "handoff.decay.t50_minutes".
	Path     string  `json:"path"`
	Estimate float64 `json:"estimate"`
	Lower    float64 `json:"lower"` // 95% interval; NaN when not available
	Upper    float64 `json:"upper"`
	N        int     `json:"n"`      // observations the estimate rests on
	Method   string  `json:"method"` // how it was estimated
	// Posterior is the distribution a forecast drawing parameters should
	// use for it, e.g. "beta(372.1, 455.0)", "normal(2.71, 0.031) on log";
	// "" when none is proposed.
	Posterior string `json:"posterior,omitempty"`
}

// EdgeFit is the fit of one transition.
type EdgeFit struct {
	To           string
	P            float64 // Aalen-Johansen eventual probability CIF(∞)
	SE           float64 // its delta-method standard error
	Lower, Upper float64 // 95% log-log interval
	Beta         Beta    // Beta(p·n, (1-p)·n), n = p(1-p)/SE², the posterior proposed for forecasts
	Events       int     // leads seen taking the edge
	Delay        Fit     // best delay fit by AIC (days, right-truncated likelihood); Form -1 when not fitted
	Delays       []Fit   // every delay form fitted
	Kept         bool    // too little data: the base model's delay was kept
	KeptP        bool    // P is not the model's: no stays, or never taken; the model keeps the base model's p
	// Replaced says why the model's delay is not Delay ("" when it is):
	// Delay put more than 1% of its mass beyond the longest follow-up, or
	// a two-lognormal mixture fitted better; Mixture is that mixture's
	// fit (nil when none was tried) and Dist what the model holds.
	Replaced string
	Mixture  *MixFit
	Dist     model.Dist
}

// StageFit is the diagnostics of one non-terminal stage.
type StageFit struct {
	Stage    string
	N        int      // stays observed (recycle-capped stays excluded)
	Censored int      // still in the stage at the as-of date
	Exit     Survival // Kaplan-Meier of the time to any exit, days
	CIF      CumInc   // Aalen-Johansen, causes in model order (+1 "other" when present)
	Edges    []EdgeFit
	Other    int // exits along edges the model does not have
	Capped   int // stays of leads past the recycle cap, left out (see Sojourn.Capped)
}

// FittedSurvival returns the model's probability of still being in the
// stage after t days, 1 − Σ_j p_j·F_j(t), for comparison with Exit.
func (s *StageFit) FittedSurvival(t float64) float64 {
	v := 1.0
	for _, e := range s.Edges {
		switch {
		case e.Replaced != "":
			v -= e.P * e.Dist.CDF(t)
		case e.Delay.Params != nil:
			v -= e.P * (1 - e.Delay.Survival(t))
		}
	}
	return v
}

// DecayBin is the observed contact rate of leads first touched within a
// band of response times.
type DecayBin struct {
	From, To     float64 // minutes, [From, To)
	Mid          float64 // median response time in the bin, minutes
	N, Contacted int
	Lower, Upper float64 // 95% Jeffreys interval of the rate
}

// DecayResult is the response-time decay fit.
type DecayResult struct {
	Fit  DecayFit   // best by AIC
	All  []DecayFit // every form fitted
	Bins []DecayBin
	// Odds ratios of contact, fitted, beside the published figures
	// (DOMAIN.md: ~100x for 5 vs 30 minutes, ~60x for 1 h vs 24 h).
	Odds5v30, Odds60v1440 float64
	BootLower, BootUpper  []float64 // bootstrap 95% intervals of Fit.Params; nil without Config.Rand
}

// ArrivalResult is the arrival fit of one source.
type ArrivalResult struct {
	Source string
	Entry  string // the stage its leads enter (the mode of their first stage)
	Fit    ArrivalFit
	// Quarterly negative binomial test of the engine's per-quarter rate
	// multiplier: QuarterCounts, its size QuarterDispersion (+Inf:
	// Poisson) and p-value.
	QuarterCounts     []int
	QuarterDispersion float64
	QuarterLogSE      float64
	QuarterPValue     float64
	PooledProfile     bool // too few arrivals: the profile of all sources was used
	// DatesOnly says the source's creation times are dates only: Fit's
	// Profile has the weekdays of the data and each day's arrivals
	// spread evenly over its 24 hours (spreadDays).
	DatesOnly bool
}

// DealResult is the deal-size fit of one source.
type DealResult struct {
	Source    string
	Amounts   []float64 // positive amounts, sorted
	Mu, Sigma float64   // lognormal MLE of log amount
	KS        float64   // Kolmogorov-Smirnov distance to the fitted lognormal
	KSCrit    float64   // Lilliefors 5% critical value, 0.886/√n
	Empirical bool      // KS rejected the lognormal: the empirical distribution is used
}

// SegmentRate is a partially pooled conversion rate of one group (source
// or source/segment) on one edge.
type SegmentRate struct {
	Edge string // "from->to"
	GroupRate
}

// TeamResult is the SDR team estimate.
type TeamResult struct {
	Owners     []string
	Days       []model.Weekday
	Start, End float64
	Handle     []float64 // the busy gaps, minutes
	HandleFit  DealResult
}

// Result is the outcome of Calibrate.
type Result struct {
	Model    *model.Model // the fitted model, valid
	AsOf     time.Time
	Params   []Param
	Stages   []StageFit
	Decay    *DecayResult // nil without activities
	Arrivals []ArrivalResult
	Deals    []DealResult
	Segments []SegmentRate
	Team     *TeamResult
	Active   []ActiveFit // the stages whose active flag the data were tested for
	// Drifts are the edges whose cohorts convert more unevenly than
	// chance (drift.go), found when Config.CohortDrift is set; each caps
	// its stage's Observations.
	Drifts []Drift
	// Kept lists the parts of Model the export could not fit, which hold
	// the base model's values; a forecast through them is the base
	// model's, not the export's.
	Kept     []Kept
	Warnings []error
}

// Calibrate fits a funnel model to the export e. See the package
// documentation for the estimators; every parameter is listed in
// Result.Params with its 95% interval and number of observations. It
// returns an error when e holds neither stage events nor opportunities,
// or when the fitted model is not valid.
func Calibrate(e *data.Export, cfg Config) (*Result, error) {
	if cfg.Base == nil {
		cfg.Base = model.Default()
	}
	if cfg.MinObs == 0 {
		cfg.MinObs = DefaultConfig.MinObs
	}
	if cfg.Rand != nil && cfg.BootstrapReps == 0 {
		cfg.BootstrapReps = DefaultConfig.BootstrapReps
	}
	c := &calib{e: e, cfg: cfg, res: &Result{AsOf: e.AsOf}}
	oppOnly := len(e.Leads) == 0 && len(e.StageEvents) == 0
	if oppOnly {
		if len(e.Opportunities) == 0 {
			return nil, errors.New("calibrate: the export has no leads, stage events or opportunities")
		}
		c.e, c.m = opportunitiesAsLeads(e, cfg.Base)
	} else {
		if len(e.StageEvents) == 0 {
			return nil, errors.New("calibrate: the export has leads but no stage events: transitions cannot be estimated")
		}
		c.m = cfg.Base.Clone()
		c.m.Start = nil
		var notes []error
		c.e, notes = joinOpportunities(e, c.m)
		c.warn(notes...)
		if x, ends, undated, notes, ok := funnelEnds(c.e, c.m); ok {
			c.e, c.m, c.undated, c.ends = x, ends, undated, ends.Clone()
			c.warn(notes...)
		} else if cm, notes, ok := contractSkipped(c.e, c.m); ok {
			c.m, c.ends = cm, cm.Clone()
			c.warn(notes...)
		}
	}
	m := c.m
	var undatedDelay model.Dist
	if ti := slices.IndexFunc(m.Transitions, func(t model.Transition) bool { return t.From+"->"+t.To == c.undated }); ti >= 0 {
		undatedDelay = m.Transitions[ti].Delay
	}
	m.Name = "calibrated"
	if cfg.QuarterWeeks > 0 {
		m.QuarterWeeks = cfg.QuarterWeeks
	}
	if cfg.TimeZone != "" {
		m.TimeZone = cfg.TimeZone
	}
	m.Currency = c.currency()
	loc, err := time.LoadLocation(m.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("calibrate: time zone: %w", err)
	}
	c.loc = loc
	c.leads = leadIndex(c.e)
	c.stays = make([]stay, 0, openEvents(c.e, m))
	resp, w := observe(c.e, m, c.leads, func(o *Sojourn, lead int32) { c.stays = append(c.stays, newStay(o, lead, m)) })
	c.warn(w...)
	c.resp = resp
	c.detectDates()
	c.detectLeftTruncation()
	c.fitStages()
	c.keepUndated(undatedDelay)
	c.fitSegments()
	if m.Handoff != nil {
		c.fitHandoff()
	}
	c.fitArrivals()
	if org, ok := c.weekOrigin(); ok {
		c.fitActive(org)
	}
	c.fitDeals()
	c.startState()
	c.flagSmall()
	if err := m.Validate(); err != nil {
		// The usual cause in a small export: transitions it never shows,
		// fitted at p = 0, cut off the stages after them. The export
		// bounds their p (below 3/n, n stays) but cannot tell it: they
		// keep the base model's p, with a warning, rather than refuse.
		var never []string
		var undo []func()
		for si := range c.res.Stages {
			sf := &c.res.Stages[si]
			for ei := range sf.Edges {
				ef := &sf.Edges[ei]
				if sf.N > 0 && ef.Events == 0 && ef.P == 0 {
					never = append(never, sf.Stage+"->"+ef.To)
					if ti := transitionIndex(m, sf.Stage, ef.To); ti >= 0 {
						if bi := transitionIndex(c.prior(), sf.Stage, ef.To); bi >= 0 {
							t, old := &m.Transitions[ti], m.Transitions[ti].P
							t.P = c.prior().Transitions[bi].P
							ef.KeptP = true
							undo = append(undo, func() { t.P, ef.KeptP = old, false })
							c.warn(fmt.Errorf("%s: the export never shows it in %d stays of %s (p < %.2g by the rule of three, but not known): keeps the base model's p = %.3g so that the stages after it stay in the model; forecasts through them are the base model's, not the export's",
								sf.Stage+"->"+ef.To, sf.N, sf.Stage, math.Min(1, 3/float64(sf.N)), t.P))
						}
					}
				}
			}
		}
		if len(undo) > 0 {
			normalizeP(m)
			if m.Validate() == nil {
				c.res.Model = m
				c.keptTransitions()
				return c.res, nil
			}
		}
		// A narrow export (leads first seen at mql, say) leaves the base
		// model's earlier stages unreachable: they are dropped, with a
		// warning, rather than refused.
		if pruned := c.pruneUnreachable(m); len(pruned) > 0 && m.Validate() == nil {
			c.res.Model = m
			c.keptTransitions()
			return c.res, nil
		}
		for _, u := range undo {
			u()
		}
		if len(never) > 0 {
			return nil, fmt.Errorf("calibrate: the fitted model is not valid: %w\n(the export never shows a lead take %s: fitted at p = 0, they cut off the stages after them; calibrate a longer export, or use a --base model without those stages)",
				err, strings.Join(never, ", "))
		}
		return nil, fmt.Errorf("calibrate: the fitted model is not valid: %w", err)
	}
	c.res.Model = m
	c.keptTransitions()
	return c.res, nil
}

type calib struct {
	e   *data.Export
	m   *model.Model
	cfg Config
	loc *time.Location
	// The observations: the stays (Observations' Sojourns, compact) and
	// the responses, and the index in e.Leads of each lead id.
	stays []stay
	resp  []Response
	leads map[string]int32
	res   *Result
	// The zone in which a set of times is dates only (datesOnly), absent
	// or nil when they are times: by stage (its entries), by source (its
	// leads' creation times), and of the activities.
	stageDates, sourceDates map[string]*time.Location
	actDates                *time.Location
	// leftTrunc is, by stage, the instant its records begin when they are
	// left-truncated (zero otherwise), and arrivalsFrom the latest of
	// them: see detectLeftTruncation.
	leftTrunc    []time.Time
	arrivalsFrom time.Time
	recordsFrom  []time.Time // by stage, where detectLeftTruncation finds its records begin (fitted so or not)
	// undated is the transition ("lead->disqualified") whose moves the
	// export does not date (funnelEnds); "" for none.
	undated string
	ends    *model.Model // the model before fitting when calibrate reshaped the base (funnelEnds, contractSkipped); nil for none
}

func (c *calib) warn(errs ...error) { c.res.Warnings = append(c.res.Warnings, errs...) }

func (c *calib) param(p Param) { c.res.Params = append(c.res.Params, p) }

// flagSmall warns about every parameter resting on fewer than MinObs
// observations.
func (c *calib) flagSmall() {
	for _, p := range c.res.Params {
		if p.N < c.cfg.MinObs {
			c.warn(fmt.Errorf("%s = %.4g rests on %d observations (< %d): treat it as a guess", p.Path, p.Estimate, p.N, c.cfg.MinObs))
		}
	}
}

// tiny is the smallest delay kept, in days (half a second): timestamps
// rounded to the second can make a delay 0.
const tiny = 0.5 / 86400

func (c *calib) fitStages() {
	m := c.m
	edges := stageEdges(m)
	n := make([]int, len(m.Stages))
	capped := make([]int, len(m.Stages))
	for _, s := range c.stays {
		if s.capped {
			capped[s.stage]++
		} else {
			n[s.stage]++
		}
	}
	fits := c.fitDelays(edges)
	for si, st := range m.Stages {
		if st.Outcome != model.Open || len(edges[si]) == 0 {
			continue
		}
		nObs := n[si] // the stays in the stage, but those capped
		k := len(edges[si])
		sf := StageFit{Stage: st.Name, N: nObs, Capped: capped[si]}
		cr := make([]CRObs, nObs)
		km := make([]Obs, nObs)
		tau := 0.0 // the longest follow-up of the stage's stays, days
		i := 0
		for _, o := range c.stays {
			if int(o.stage) != si || o.capped {
				continue
			}
			tau = max(tau, o.Follow)
			cause := int(o.cause)
			if cause < 0 {
				cause = k + 1
				sf.Other++
			}
			if cause == 0 {
				sf.Censored++
			}
			e := c.entry(o)
			cr[i] = CRObs{T: o.T, Cause: cause, Entry: e}
			km[i] = Obs{T: o.T, Event: cause != 0, Entry: e}
			i++
		}
		kk := k
		if sf.Other > 0 {
			kk++
		}
		sf.Exit = KaplanMeier(km)
		sf.CIF = AalenJohansen(cr, kk)
		if nObs == 0 {
			c.warn(fmt.Errorf("stage %s: no stays observed: its transitions keep the base model's values", st.Name))
		}
		nEff := math.Inf(1)
		for j, ti := range edges[si] {
			t := &m.Transitions[ti]
			name := t.From + "->" + t.To
			ef := EdgeFit{To: t.To, Delay: Fit{Form: -1}, KeptP: nObs == 0}
			df := &fits[ti]
			trunc := df.trunc
			ef.Events = len(trunc)
			if nObs > 0 {
				ef.P, ef.SE = sf.CIF.Eventual(j + 1)
				ef.Lower, ef.Upper = 0, 0
				if n := len(sf.CIF.Time); n > 0 {
					ef.Lower, ef.Upper = sf.CIF.Lower[j][n-1], sf.CIF.Upper[j][n-1]
				}
				ef.Beta = betaFromSE(ef.P, ef.SE, nObs)
				if v := ef.P * (1 - ef.P); ef.SE > 0 && v > 0 {
					nEff = min(nEff, v/(ef.SE*ef.SE))
				}
				t.P = ef.P
				c.param(Param{Path: "transitions[" + name + "].p", Estimate: ef.P, Lower: ef.Lower, Upper: ef.Upper, N: nObs,
					Method: "Aalen-Johansen CIF(∞), log-log interval", Posterior: fmt.Sprintf("beta(%.4g, %.4g)", ef.Beta.Alpha, ef.Beta.Beta)})
			}
			if !c.leftTrunc[si].IsZero() && len(trunc) >= 5 {
				h := 0.0 // whole days recorded: half a day for the time within the day
				if c.stageDates[st.Name] != nil || c.stageDates[t.To] != nil {
					h = 0.5
				}
				if d, ok := ajDelay(sf.CIF, j+1, h, mixQuantiles); ok {
					<-df.done
					ef.Delay, ef.Delays, ef.Mixture = df.best, df.all, df.mix
					ef.Dist, t.Delay = d, d
					ef.Replaced = fmt.Sprintf("Aalen-Johansen with delayed entry (the stage's records begin %s), conditional on a delay within %s days; %d quantiles",
						c.leftTrunc[si].Format(time.DateOnly), fmtDays(sf.CIF.MaxT), mixQuantiles)
					c.param(Param{Path: "transitions[" + name + "].delay_days.median", Estimate: d.Quantile(0.5), Lower: math.NaN(), Upper: math.NaN(),
						N: len(trunc), Method: ef.Replaced})
					c.warn(fmt.Errorf("%s delay: the stage's records are left-truncated, so the delay is the Aalen-Johansen estimate with delayed entry (median %s days), not a parametric fit: a fit to the delays seen cannot weigh the slow ones the younger stays have not reached",
						name, fmtDays(d.Quantile(0.5))))
					df.trunc = nil
					sf.Edges = append(sf.Edges, ef)
					continue
				}
			}
			if len(trunc) >= 5 {
				<-df.done
				best, all, err := df.best, df.all, df.err
				if err == nil {
					ef.Delay, ef.Delays = best, all
					c.chooseDelay(name, trunc, tau, df.mix, &ef)
					t.Delay = ef.Dist
					if ef.Replaced == "" {
						for _, p := range delayParams(best) {
							p.Path = "transitions[" + name + "].delay_days." + p.Path
							c.param(p)
						}
					} else {
						c.param(Param{Path: "transitions[" + name + "].delay_days.median", Estimate: ef.Dist.Quantile(0.5), Lower: math.NaN(), Upper: math.NaN(),
							N: len(trunc), Method: ef.Replaced})
					}
				} else {
					c.warn(fmt.Errorf("%s delay: %w; kept the base model's", name, err))
					ef.Kept = true
				}
			} else {
				ef.Kept = true
				c.warn(fmt.Errorf("%s delay: %d transitions seen, too few to fit: kept the base model's %v", name, len(trunc), t.Delay.Form))
			}
			df.trunc = nil
			sf.Edges = append(sf.Edges, ef)
		}
		if sf.Other > 0 {
			p, _ := sf.CIF.Eventual(kk)
			c.warn(fmt.Errorf("stage %s: %d exits (%.1f%%) along edges the model does not have: they count as leaving without converting", st.Name, sf.Other, 100*p))
		}
		// The p's of a stage must sum to at most 1 (rounding can overshoot).
		sum := 0.0
		for _, ti := range edges[si] {
			sum += m.Transitions[ti].P
		}
		if sum > 1 {
			for _, ti := range edges[si] {
				m.Transitions[ti].P /= sum
			}
		}
		if nObs > 0 {
			if math.IsInf(nEff, 1) {
				nEff = float64(nObs)
			}
			var drifts []Drift
			if c.cfg.CohortDrift {
				drifts = c.cohortDrift(si, len(edges[si]), c.recordsFrom[si])
			}
			for _, d := range drifts { // conversion drift (drift.go)
				c.res.Drifts = append(c.res.Drifts, d)
				if d.Kappa < nEff {
					c.warn(driftWarning(d, nEff))
					nEff = d.Kappa
				}
			}
			m.Stages[si].Observations = math.Round(nEff*10) / 10
		}
		c.res.Stages = append(c.res.Stages, sf)
	}
}

// delayFit is the delay fit of one transition, made by fitDelays.
type delayFit struct {
	trunc []TruncObs // the delays of the stays that took it (truncObs), in the order of c.stays
	best  Fit        // fitDelay's results, when len(trunc) ≥ 5
	all   []Fit
	err   error
	mix   *MixFit       // FitTruncatedMixture's, when fitDelay succeeded on at least 30 delays and it did too
	done  chan struct{} // closed when the fits are made
}

// fitDelays collects the delays of every transition out of the stages
// fitStages fits, by transition index, and fits each one with at least 5
// delays: fitDelay, and the mixture chooseDelay weighs against it. The
// fits, which take most of a calibration's time, run at once on
// GOMAXPROCS goroutines; each is as it would be alone, so the results do
// not depend on their number. A fit's done channel is closed when it is
// made.
func (c *calib) fitDelays(edges [][]int) []delayFit {
	m := c.m
	fits := make([]delayFit, len(m.Transitions))
	open := func(si int) bool { return m.Stages[si].Outcome == model.Open && len(edges[si]) > 0 }
	for _, o := range c.stays {
		if j := int(o.cause) - 1; !o.capped && j >= 0 && j < len(edges[o.stage]) && open(int(o.stage)) {
			ti := edges[o.stage][j]
			fits[ti].trunc = append(fits[ti].trunc, c.truncEntry(o, c.truncObs(o)))
		}
	}
	var todo []int // transitions to fit, the most delays first
	for ti := range fits {
		if len(fits[ti].trunc) >= 5 {
			fits[ti].done = make(chan struct{})
			todo = append(todo, ti)
		}
	}
	slices.SortStableFunc(todo, func(a, b int) int { return len(fits[b].trunc) - len(fits[a].trunc) })
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for _, ti := range todo {
		f := &fits[ti]
		form := m.Transitions[ti].Delay.Form
		go func() {
			sem <- struct{}{}
			defer func() { <-sem; close(f.done) }()
			f.best, f.all, f.err = c.fitDelay(f.trunc, form)
			if f.err == nil && len(f.trunc) >= 30 {
				if mix, err := FitTruncatedMixture(f.trunc); err == nil {
					f.mix = &mix
				}
			}
		}()
	}
	return fits
}

// transitionIndex returns the index of the transition from -> to in m, -1
// if none.
func transitionIndex(m *model.Model, from, to string) int {
	return slices.IndexFunc(m.Transitions, func(t model.Transition) bool { return t.From == from && t.To == to })
}

// normalizeP scales each stage's transition probabilities down to sum to
// 1 where they exceed it.
func normalizeP(m *model.Model) {
	sum := map[string]float64{}
	for _, t := range m.Transitions {
		sum[t.From] += t.P
	}
	for i := range m.Transitions {
		if s := sum[m.Transitions[i].From]; s > 1 {
			m.Transitions[i].P /= s
		}
	}
}

// minWithin is the share of a delay fit's mass that must lie within the
// longest follow-up of its stage for the fit to be used as it is.
const minWithin = 0.99

// mixQuantiles is the number of quantiles a delay the model cannot
// represent (a mixture, a fit conditional on the follow-up) is given by.
const mixQuantiles = 100

// chooseDelay sets ef.Dist, the delay the model uses for the edge, from
// ef.Delay (the best single form by AIC) and, with at least 30 delays, a
// two-lognormal mixture (mix, FitTruncatedMixture's fit of trunc; nil
// when it failed):
//
//   - the mixture replaces the single form when it fits better by more
//     than BIC's penalty for its extra parameters, 2Δℓ > (5 − k)·log n;
//   - the chosen fit is used as it is when at least minWithin of its mass
//     lies within tau, the longest follow-up of the stage's stays, days.
//     Otherwise it is refused as it is: the right-truncated likelihood
//     identifies the delay's shape only up to tau (and a fit may put its
//     median at 10^30 days), while the edge's p, CIF(∞), counts the moves
//     made within tau. The model then takes the fit conditional on a delay
//     within tau, so that p·F(t) reproduces the observed cumulative
//     incidence, and a stay older than tau does not take the edge.
//
// Anything but a single form used as it is becomes an empirical
// distribution of mixQuantiles quantiles, with a warning.
func (c *calib) chooseDelay(name string, trunc []TruncObs, tau float64, mix *MixFit, ef *EdgeFit) {
	best := ef.Delay
	cdf := func(t float64) float64 { return 1 - best.Survival(t) }
	what := fmt.Sprintf("%v (median %s days)", best.Form, fmtDays(best.Quantile(0.5)))
	useMix := false
	if len(trunc) >= 30 {
		if mix != nil {
			ef.Mixture = mix
			k := float64(len(best.Params))
			if 2*(mix.LogLik-best.LogLik) > (5-k)*math.Log(float64(len(trunc))) {
				useMix = true
				cdf = mix.CDF
				what = fmt.Sprintf("two-lognormal mixture (%.0f%% with median %s days, the rest %s days; log-likelihood %+.1f over the %v)",
					100*mix.W, fmtDays(math.Exp(mix.Mu1)), fmtDays(math.Exp(mix.Mu2)), mix.LogLik-best.LogLik, best.Form)
			}
		}
	}
	within := cdf(tau)
	limits := ""
	if !useMix {
		d := delayDist(best)
		limits = outsideLimits(d)
		if within >= minWithin && limits == "" {
			ef.Dist = d
			return
		}
	}
	lo := math.Inf(1)
	for _, o := range trunc {
		lo = min(lo, o.T)
	}
	lo = max(lo/1e3, tiny)
	upper := tau
	if within >= minWithin { // a mixture that fits within the follow-up: its own 0.999 quantile
		for upper = max(tau, lo); cdf(upper) < 0.999 && upper < 1e6; upper *= 1.5 {
		}
	}
	q := quantilesWithin(cdf, lo, upper, mixQuantiles)
	for i := range q {
		q[i] = math.Round(q[i]*1e4) / 1e4
	}
	ef.Dist = model.Dist{Form: model.Empirical, Values: q}
	if limits != "" && within >= minWithin {
		ef.Replaced = fmt.Sprintf("%s, right-truncated MLE, %s; %d quantiles", what, limits, mixQuantiles)
		c.warn(fmt.Errorf("%s delay: the %s has %s (all its delays nearly equal): used as %d quantiles", name, what, limits, mixQuantiles))
		return
	}
	if within >= minWithin {
		ef.Replaced = fmt.Sprintf("%s, right-truncated MLE, chosen over single forms by BIC; %d quantiles", what, mixQuantiles)
		c.warn(fmt.Errorf("%s delay: a %s fits better than any single form: used, as %d quantiles", name, what, mixQuantiles))
		return
	}
	ef.Replaced = fmt.Sprintf("%s, right-truncated MLE, conditional on a delay within the longest follow-up, %s days; %d quantiles", what, fmtDays(tau), mixQuantiles)
	c.warn(fmt.Errorf("%s delay: the %s puts %.0f%% of its delays beyond the longest follow-up, %s days, where the export cannot tell them: refused as it is; the model uses it conditional on a delay within %s days (median %s days), so stays older than that do not take the edge",
		name, what, 100*(1-within), fmtDays(tau), fmtDays(tau), fmtDays(ef.Dist.Quantile(0.5))))
}

// outsideLimits returns why the delay d is outside the model's limits
// (model.MaxDays, MaxSigma, MinShape, MaxShape), "" when it is inside.
func outsideLimits(d model.Dist) string {
	switch d.Form {
	case model.Weibull, model.Gamma:
		if !(d.Shape >= model.MinShape && d.Shape <= model.MaxShape) {
			return fmt.Sprintf("shape %.3g outside the model's [%g, %g]", d.Shape, float64(model.MinShape), float64(model.MaxShape))
		}
	case model.LogNormal:
		if !(d.Sigma <= model.MaxSigma) {
			return fmt.Sprintf("sigma %.3g above the model's %g", d.Sigma, float64(model.MaxSigma))
		}
	}
	for _, v := range []float64{d.Mean, d.Median, d.Scale} {
		if !(v <= model.MaxDays) {
			return fmt.Sprintf("a scale of %.3g days, above the model's %d", v, model.MaxDays)
		}
	}
	return ""
}

// fmtDays formats a number of days with 3 significant digits.
func fmtDays(d float64) string { return fmt.Sprintf("%.3g", d) }

// fitDelay fits the best delay by AIC, or base's family with KeepForms.
func (c *calib) fitDelay(obs []TruncObs, base model.DistForm) (Fit, []Fit, error) {
	if c.cfg.KeepForms {
		form, ok := map[model.DistForm]DelayForm{model.Exponential: Exponential, model.LogNormal: LogNormal, model.Weibull: Weibull, model.Gamma: Gamma}[base]
		if ok {
			f, err := FitTruncatedDelay(obs, form)
			return f, []Fit{f}, err
		}
	}
	return FitBestTruncatedDelay(obs)
}

// betaFromSE returns the Beta distribution with mean p and standard
// deviation se, Beta(p·n, (1−p)·n) with n = p(1−p)/se² − 1 (its effective
// number of observations), clamped to n ≤ nmax (a proportion of nmax leads
// cannot be known better than that) and to positive shapes.
func betaFromSE(p, se float64, nmax int) Beta {
	n := float64(nmax)
	if se > 0 {
		n = min(n, p*(1-p)/(se*se)-1)
	}
	n = max(n, 1)
	return Beta{Alpha: max(p*n, 1e-3), Beta: max((1-p)*n, 1e-3)}
}

// delayDist converts a fit to the model's parameterisation.
func delayDist(f Fit) model.Dist {
	switch f.Form {
	case Exponential:
		return model.Dist{Form: model.Exponential, Mean: 1 / f.Params[0]}
	case LogNormal:
		return model.Dist{Form: model.LogNormal, Median: math.Exp(f.Params[0]), Sigma: f.Params[1]}
	case Weibull:
		return model.Dist{Form: model.Weibull, Shape: f.Params[0], Scale: f.Params[1]}
	case Gamma:
		return model.Dist{Form: model.Gamma, Shape: f.Params[0], Mean: f.Params[0] / f.Params[1]}
	}
	panic("calibrate: unknown DelayForm")
}

// delayParams returns the model-scale parameters of a fit with 95%
// intervals from the covariance of η (log of positive parameters, μ as
// is): every model parameter is a positive quantity whose log is linear in
// η, so its interval is exp(log θ ± z·se).
func delayParams(f Fit) []Param {
	eta, cov := f.Eta, f.Cov
	se := func(a []float64) float64 { // sd of a·η
		if cov == nil {
			return math.NaN()
		}
		v := 0.0
		for i := range a {
			for j := range a {
				v += a[i] * a[j] * cov[i][j]
			}
		}
		return math.Sqrt(max(v, 0))
	}
	mk := func(name string, logv float64, a []float64) Param {
		s := se(a)
		return Param{Path: name, Estimate: math.Exp(logv), Lower: math.Exp(logv - z95*s), Upper: math.Exp(logv + z95*s),
			N: f.N, Method: fmt.Sprintf("%v, right-truncated MLE, AIC %.1f", f.Form, f.AIC),
			Posterior: fmt.Sprintf("lognormal(%.5g, %.3g)", logv, s)}
	}
	switch f.Form {
	case Exponential:
		return []Param{mk("mean", -eta[0], []float64{-1})}
	case LogNormal:
		return []Param{mk("median", eta[0], []float64{1, 0}), mk("sigma", eta[1], []float64{0, 1})}
	case Weibull:
		return []Param{mk("shape", eta[0], []float64{1, 0}), mk("scale", eta[1], []float64{0, 1})}
	case Gamma:
		return []Param{mk("shape", eta[0], []float64{1, 0}), mk("mean", eta[0]-eta[1], []float64{1, -1})}
	}
	panic("calibrate: unknown DelayForm")
}

// fitSegments pools each edge's conversion rate across sources (and
// segments): trials are stays whose follow-up exceeds the 95th percentile
// of the stage's fitted delays (so their outcome is almost surely known),
// successes those that took the edge.
func (c *calib) fitSegments() {
	// The group of each lead, "source" or "source/segment".
	names := map[[2]string]string{}
	seg := make([]string, len(c.e.Leads))
	for i, l := range c.e.Leads {
		k := [2]string{l.Source, l.Segment}
		g, ok := names[k]
		if !ok {
			g = l.Source
			if l.Segment != "" {
				g += "/" + l.Segment
			}
			names[k] = g
		}
		seg[i] = g
	}
	groupOf := func(o stay) string {
		if o.lead < 0 {
			return ""
		}
		return seg[o.lead]
	}
	for _, sf := range c.res.Stages {
		si := c.m.StageIndex(sf.Stage)
		horizon := 0.0
		for _, e := range sf.Edges {
			if e.Delay.Params != nil {
				horizon = max(horizon, e.Delay.Quantile(0.95))
			}
		}
		// Trials by group (the same for every edge), and successes by
		// group and edge.
		trials := map[string]int{}
		succ := make([]map[string]int, len(sf.Edges))
		for j := range succ {
			succ[j] = map[string]int{}
		}
		for _, o := range c.stays {
			if int(o.stage) != si || o.capped || (o.cause == 0 && o.Follow < horizon) {
				continue
			}
			g := groupOf(o)
			trials[g]++
			if j := int(o.cause) - 1; j >= 0 && j < len(succ) {
				succ[j][g]++
			}
		}
		for j, e := range sf.Edges {
			var groups []Group
			for _, g := range sortedKeys(trials) {
				groups = append(groups, Group{Name: g, Successes: succ[j][g], Trials: trials[g]})
			}
			pooled, err := PoolRates(groups)
			if err != nil {
				continue
			}
			for _, g := range pooled.Groups {
				c.res.Segments = append(c.res.Segments, SegmentRate{Edge: sf.Stage + "->" + e.To, GroupRate: g})
			}
		}
	}
}

// fitHandoff fits the decay of contact with response time and the SDR
// team.
func (c *calib) fitHandoff() {
	h := c.m.Handoff
	var t []float64
	var y []bool
	for _, r := range c.resp {
		if !r.Censored {
			t = append(t, max(r.Minutes, 0))
			y = append(y, r.Contacted)
		}
	}
	if len(c.e.Activities) == 0 {
		c.warn(errors.New("no activities in the export: the contact rate, decay curve and SDR team keep the base model's values"))
		c.keep("handoff", fmt.Sprintf("contact %.3g, %v decay, %d SDRs", h.Contact, h.Decay.Form, h.SDR.Headcount), "the export has no activities (calls, emails) to time responses by")
		return
	}
	if c.actDates != nil || c.stageDates[h.Stage] != nil {
		what := "the activities"
		switch {
		case c.actDates == nil:
			what = "the entries of " + h.Stage
		case c.stageDates[h.Stage] != nil:
			what = "the activities and the entries of " + h.Stage
		}
		c.warn(fmt.Errorf("response times: %s are dates only, so the %d response times are whole days, which cannot show a decay over minutes: the contact rate and decay curve keep the base model's values", what, len(t)))
		c.fitTeam()
		return
	}
	best, all, err := FitBestDecay(t, y)
	if c.cfg.KeepForms && (h.Decay.Form == model.ExpFloor || h.Decay.Form == model.Hill) {
		form := ExpFloor
		if h.Decay.Form == model.Hill {
			form = Hill
		}
		best, err = FitDecay(t, y, form)
		all = []DecayFit{best}
	}
	if err != nil {
		c.warn(fmt.Errorf("response-time decay: %w; kept the base model's", err))
		return
	}
	d := &DecayResult{Fit: best, All: all, Bins: decayBins(t, y)}
	if c.cfg.Rand != nil {
		d.BootLower, d.BootUpper = BootstrapDecay(best, t, c.cfg.Rand, c.cfg.BootstrapReps)
	}
	d.Odds5v30 = OddsRatio(best, 5, 30)
	d.Odds60v1440 = OddsRatio(best, 60, 1440)
	c.res.Decay = d
	h.Contact = best.Params[0]
	method := fmt.Sprintf("%v decay, Bernoulli MLE, Wald interval on the log/logit scale, AIC %.1f", best.Form, best.AIC)
	post := func(i int, logit bool) string {
		tr := "log"
		if logit {
			tr = "logit"
		}
		return fmt.Sprintf("normal(%.5g, %.3g) on %s", etaOf(best.Params[i], logit), best.EtaSE[i], tr)
	}
	add := func(path string, i int, logit bool) {
		c.param(Param{Path: path, Estimate: best.Params[i], Lower: best.Lower[i], Upper: best.Upper[i], N: best.N, Method: method, Posterior: post(i, logit)})
	}
	add("handoff.contact", 0, true)
	switch best.Form {
	case ExpFloor:
		h.Decay = model.Decay{Form: model.ExpFloor, Tau: best.Params[1], Floor: best.Params[2]}
		add("handoff.decay.tau_minutes", 1, false)
		add("handoff.decay.floor", 2, true)
	case Hill:
		h.Decay = model.Decay{Form: model.Hill, T50: best.Params[1], K: best.Params[2], Floor: best.Params[3]}
		add("handoff.decay.t50_minutes", 1, false)
		add("handoff.decay.k", 2, false)
		add("handoff.decay.floor", 3, true)
	}
	c.fitTeam()
}

func etaOf(v float64, isLogit bool) float64 {
	if isLogit {
		return logit(v)
	}
	return math.Log(v)
}

// decayEdges are the bin edges of observed contact rates, minutes.
var decayEdges = []float64{0, 1, 2, 5, 10, 20, 30, 60, 120, 240, 480, 960, 1440, 2880, 5760, math.Inf(1)}

func decayBins(t []float64, y []bool) []DecayBin {
	var bins []DecayBin
	for b := 0; b+1 < len(decayEdges); b++ {
		lo, hi := decayEdges[b], decayEdges[b+1]
		var in []float64
		yes := 0
		for i, v := range t {
			if v >= lo && v < hi {
				in = append(in, v)
				if y[i] {
					yes++
				}
			}
		}
		if len(in) == 0 {
			continue
		}
		slices.Sort(in)
		j := distuv.Beta{Alpha: float64(yes) + 0.5, Beta: float64(len(in)-yes) + 0.5}
		bins = append(bins, DecayBin{From: lo, To: hi, Mid: empiricalQuantile(in, 0.5), N: len(in), Contacted: yes,
			Lower: j.Quantile(0.025), Upper: j.Quantile(0.975)})
	}
	return bins
}

// pruneUnreachable drops from m the stages no source's leads can reach
// (from their entry stages along the transitions), with their
// transitions, the SLAs on them, the handoff when its stage goes, and the
// open leads in them, each said in a warning. It returns the stages
// dropped; none when the opportunity stage itself is unreachable, since a
// model without deals is no forecast.
func (c *calib) pruneUnreachable(m *model.Model) []string {
	reach := map[string]bool{}
	var queue []string
	for _, s := range m.Sources {
		if !reach[s.Entry] {
			reach[s.Entry] = true
			queue = append(queue, s.Entry)
		}
	}
	for len(queue) > 0 {
		from := queue[0]
		queue = queue[1:]
		for _, t := range m.Transitions {
			if t.From == from && !reach[t.To] {
				reach[t.To] = true
				queue = append(queue, t.To)
			}
		}
	}
	var dropped []string
	var stages []model.Stage
	for _, s := range m.Stages {
		if reach[s.Name] {
			stages = append(stages, s)
			continue
		}
		if s.Opportunity {
			return nil
		}
		dropped = append(dropped, s.Name)
	}
	if len(dropped) == 0 {
		return nil
	}
	m.Stages = stages
	m.Transitions = slices.DeleteFunc(m.Transitions, func(t model.Transition) bool { return !reach[t.From] || !reach[t.To] })
	var slas []string
	m.SLAs = slices.DeleteFunc(m.SLAs, func(a model.SLA) bool {
		gone := !reach[a.From] || slices.ContainsFunc(a.To, func(s string) bool { return !reach[s] })
		if gone {
			slas = append(slas, a.Name)
		}
		return gone
	})
	what := "stages " + strings.Join(dropped, ", ")
	if len(slas) > 0 {
		what += "; SLAs " + strings.Join(slas, ", ")
	}
	if m.Handoff != nil && !reach[m.Handoff.Stage] {
		what += "; the SDR handoff at " + m.Handoff.Stage
		m.Handoff = nil
	}
	if st := m.Start; st != nil {
		n := 0
		st.Leads = slices.DeleteFunc(st.Leads, func(l model.OpenLead) bool {
			if !reach[l.Stage] {
				n += l.Count
				return true
			}
			return false
		})
		if n > 0 {
			what += fmt.Sprintf("; %d open leads in them", n)
		}
	}
	c.warn(fmt.Errorf("no lead of the export enters the base model's funnel before %s: dropped %s (a narrower funnel than the base model's; use a --base model of your own funnel to keep them)",
		strings.Join(entries(m), ", "), what))
	return dropped
}

// entries returns the entry stages of m's sources, once each, in order.
func entries(m *model.Model) []string {
	var es []string
	for _, s := range m.Sources {
		if !slices.Contains(es, s.Entry) {
			es = append(es, s.Entry)
		}
	}
	return es
}
