package montecarlo

import (
	"math"
	"slices"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/model/stats"
)

// ReportSchemaVersion is the major version of Report's JSON form
// (summary.json). It changes when a field is renamed or removed or changes
// meaning; a field added leaves it as it is.
const ReportSchemaVersion = 1

// Report is the summary of a forecast over the simulated quarters, in the
// form written to summary.json. Money is in the model's currency, times in
// minutes, rates in [0,1]. Where Horizon > 1, it summarises the first
// quarter and PerQuarter holds every quarter's revenue.
type Report struct {
	SchemaVersion int `json:"schema_version"` // ReportSchemaVersion; 0 in files written before it was recorded

	Model     string  `json:"model"`
	ModelHash string  `json:"model_hash"`
	Scenario  string  `json:"scenario,omitempty"`
	Currency  string  `json:"currency"`
	Quarters  int     `json:"quarters"`
	Horizon   int     `json:"horizon"`
	Seed      uint64  `json:"seed"`
	Quota     float64 `json:"quota"`
	// ParamsDrawn tells that each quarter drew the model's parameters from
	// their posteriors (Config.DrawParams on a model with observations).
	ParamsDrawn bool `json:"parameters_drawn"`
	// Opening and Method are the engine's strategy (Results.Opening and
	// Method; see the package doc).
	Opening string `json:"opening,omitempty"`
	Method  string `json:"method,omitempty"`
	// NotFitted is the model's NotFitted: the fields its calibration
	// could not fit, which keep the base model's values.
	NotFitted []string `json:"not_fitted,omitempty"`

	Revenue Summary `json:"revenue"`
	// ProbHitQuota is the share of quarters with revenue ≥ quota, and
	// ProbHitQuotaSE its binomial standard error, √(p(1−p)/n): 0 when no
	// quarter or every quarter reached quota, so use ProbHitQuotaLo95 and
	// ProbHitQuotaHi95, the exact 95% interval (ClopperPearson), there.
	ProbHitQuota     Float   `json:"prob_hit_quota"`
	ProbHitQuotaSE   Float   `json:"prob_hit_quota_se"`
	ProbHitQuotaLo95 Float   `json:"prob_hit_quota_lo95"`
	ProbHitQuotaHi95 Float   `json:"prob_hit_quota_hi95"`
	DealsWon         Summary `json:"deals_won"`
	// Coverage is open pipeline at the start of the quarter / quota.
	Coverage     Summary `json:"coverage"`
	OpenPipeline Summary `json:"open_pipeline"`
	OpenDeals    Summary `json:"open_deals"`
	// CoverageNeeded is the coverage this funnel needs for an 80% chance
	// of making quota, if revenue scaled with the opening pipeline: the
	// 80th percentile over quarters of open pipeline / revenue.
	CoverageNeeded Float `json:"coverage_needed_p80"`

	PipelineCreated PipelineCreated `json:"pipeline_created"`
	Stages          []StageReport   `json:"stages"`
	Transitions     []EdgeReport    `json:"transitions"`
	SLA             []SLAReport     `json:"sla"`
	MQLs            Summary         `json:"mqls"`
	Contacted       Summary         `json:"contacted"`
	ContactRate     Float           `json:"contact_rate"` // contacted / MQLs, over all quarters
	// ResponseP50 and ResponseP90 are the distributions over quarters of
	// each quarter's median and 90th percentile response time. Their Mean
	// is the figure sim forecast prints, as sim compare does (a mean over
	// quarters, which paired differences need).
	ResponseP50 Summary   `json:"response_minutes_p50"`
	ResponseP90 Summary   `json:"response_minutes_p90"`
	PerQuarter  []Summary `json:"revenue_by_quarter,omitempty"`
	// QuotaByQuarter is, when Horizon > 1 and the model has a quota, the
	// chance of making quota in each quarter of the horizon: the share of
	// runs whose quarter k reaches it. QuotaEveryQuarter is then the share
	// of runs that reach it in every quarter of the horizon.
	QuotaByQuarter    []Chance `json:"prob_hit_quota_by_quarter,omitempty"`
	QuotaEveryQuarter *Chance  `json:"prob_hit_quota_every_quarter,omitempty"`
	LeadsSimulated    int64    `json:"leads_simulated"`

	// The calendar, set by the caller from the model (see
	// model.Model.Calendar): ForecastStart is the first quarter's first
	// day (YYYY-MM-DD), FiscalYearStart the fiscal year's first month,
	// Period the quarter the summary describes (the first) and Periods
	// each quarter of the horizon. Empty when not set.
	ForecastStart   string         `json:"forecast_start,omitempty"`
	FiscalYearStart int            `json:"fiscal_year_start,omitempty"`
	Period          *PeriodReport  `json:"period,omitempty"`
	Periods         []PeriodReport `json:"periods,omitempty"`
	// CalendarNote, when not empty, says that the start came from the
	// date the forecast ran and how to fix it.
	CalendarNote string `json:"calendar_note,omitempty"`
	// RevenueTotal is, when Horizon > 1, the revenue of each run's first
	// quarters (up to four: a year) added up, summarised over runs.
	RevenueTotal *Total `json:"revenue_total,omitempty"`
	// PipelineMovement is the first quarter's pipeline waterfall.
	PipelineMovement *Movement `json:"pipeline_movement,omitempty"`
	// Breakdowns split the first quarter's revenue, deals and pipeline
	// created by source, segment (when sources have one) and team.
	Breakdowns []Breakdown `json:"breakdowns,omitempty"`
}

// Chance is a share of simulated runs or quarters, P = K/N, with its exact
// 95% interval [Lo95, Hi95] (ClopperPearson); P and the interval are NaN
// (null) when N is 0.
type Chance struct {
	P    Float `json:"p"`
	Lo95 Float `json:"lo95"`
	Hi95 Float `json:"hi95"`
	K    int   `json:"k"`
	N    int   `json:"n"`
}

// NewChance returns the Chance of k of n. It panics if k is outside [0, n].
func NewChance(k, n int) Chance {
	lo, hi := ClopperPearson(k, n, 0.95)
	p := math.NaN()
	if n > 0 {
		p = float64(k) / float64(n)
	}
	return Chance{P: Float(p), Lo95: Float(lo), Hi95: Float(hi), K: k, N: n}
}

// PipelineCreated splits the opportunities created in a quarter by who
// sourced them.
type PipelineCreated struct {
	MarketingCount Summary `json:"marketing_count"`
	MarketingValue Summary `json:"marketing_value"`
	SalesCount     Summary `json:"sales_count"`
	SalesValue     Summary `json:"sales_value"`
	// MarketingShare is marketing's share of the value created, over all
	// quarters.
	MarketingShare Float `json:"marketing_share"`
}

// StageReport is a stage's volume.
type StageReport struct {
	Name        string `json:"name"`
	Label       string `json:"label"` // the stage's name for people (model.Stage.DisplayName)
	Team        string `json:"team"`
	MeanEntries Float  `json:"mean_entries"`
	SDEntries   Float  `json:"sd_entries"`
	// Main marks the stages on the way to a win, in funnel order.
	Main bool `json:"main"`
	// Conversion is the share of this stage's entries that come, a quarter,
	// from the previous main stage: moves along that edge / entries of the
	// previous main stage. NaN (null) off the main path or for the first.
	Conversion Float `json:"conversion"`
}

// EdgeReport is a transition's observed rate: leads taking it over leads
// entering its from-stage, both over all quarters.
type EdgeReport struct {
	From  string  `json:"from"`
	To    string  `json:"to"`
	P     float64 `json:"p"`    // the model's probability
	Rate  Float   `json:"rate"` // observed
	Moves Float   `json:"mean_moves"`
}

// SLAReport is an SLA's compliance. Compliance pools the quarters: leads
// meeting it / leads entering its from-stage, over all quarters. PerQuarter
// is the distribution of each quarter's compliance; its Mean, which differs
// from Compliance when busier quarters comply less, is the figure sim
// forecast prints, as sim compare does.
type SLAReport struct {
	Name       string  `json:"name"`
	Hours      float64 `json:"hours"`
	Business   bool    `json:"business_hours"`
	Target     float64 `json:"target"`
	Compliance Float   `json:"compliance"`
	PerQuarter Summary `json:"per_quarter"`
	// ProbMeetsTarget is the share of quarters whose compliance reached
	// the target (NaN without a target).
	ProbMeetsTarget Float `json:"prob_meets_target"`
}

// NewReport summarises r, the results of simulating m.
func NewReport(m *model.Model, r *Results) *Report {
	first := func(x []float64) []float64 { return r.Period(x, 0) }
	rev := first(r.Revenue)
	rep := &Report{
		SchemaVersion: ReportSchemaVersion, Model: m.Name, ModelHash: m.Hash(), Currency: m.Currency, Quarters: r.Quarters, Horizon: r.Horizon,
		Seed: r.Seed, Quota: m.Quota, Revenue: Summarize(rev), DealsWon: Summarize(first(r.Won)),
		Coverage: Summarize(first(r.Coverage)), OpenPipeline: Summarize(first(r.OpenPipeline)), OpenDeals: Summarize(first(r.OpenDeals)),
		MQLs: Summarize(first(r.MQLs)), Contacted: Summarize(first(r.Contacted)),
		ResponseP50: Summarize(first(r.RespP50)), ResponseP90: Summarize(first(r.RespP90)),
		LeadsSimulated: r.Leads, Opening: r.Opening, Method: r.Method, NotFitted: m.NotFitted,
	}
	nan := Float(math.NaN())
	rep.ProbHitQuota, rep.ProbHitQuotaSE, rep.CoverageNeeded = nan, nan, nan
	rep.ProbHitQuotaLo95, rep.ProbHitQuotaHi95 = nan, nan
	if m.Quota > 0 {
		p, se := ProbAtLeast(rev, m.Quota)
		rep.ProbHitQuota, rep.ProbHitQuotaSE = Float(p), Float(se)
		k, n := countAtLeast(rev, m.Quota)
		lo, hi := ClopperPearson(k, n, 0.95)
		rep.ProbHitQuotaLo95, rep.ProbHitQuotaHi95 = Float(lo), Float(hi)
		rep.CoverageNeeded = Float(stats.CoverageNeeded(first(r.OpenPipeline), rev, 0.8))
	}
	mv, sv := first(r.MktValue), first(r.SalesValue)
	rep.PipelineCreated = PipelineCreated{
		MarketingCount: Summarize(first(r.MktCreated)), MarketingValue: Summarize(mv),
		SalesCount: Summarize(first(r.SalesCreated)), SalesValue: Summarize(sv),
	}
	if tm, ts := sum(mv), sum(sv); tm+ts > 0 {
		rep.PipelineCreated.MarketingShare = Float(tm / (tm + ts))
	}
	if c, n := sum(first(r.Contacted)), sum(first(r.MQLs)); n > 0 {
		rep.ContactRate = Float(c / n)
	} else {
		rep.ContactRate = nan
	}

	S, E := len(m.Stages), len(m.Transitions)
	entries := make([]Summary, S)
	for s := range S {
		entries[s] = Summarize(r.column(r.Entries, S, s))
	}
	moves := make([]float64, E)
	for e := range E {
		moves[e] = float64(Summarize(r.column(r.Moves, E, e)).Mean)
	}
	for i, t := range m.Transitions {
		from := m.StageIndex(t.From)
		rate := nan
		if entries[from].Mean > 0 {
			rate = Float(moves[i] / float64(entries[from].Mean))
		}
		rep.Transitions = append(rep.Transitions, EdgeReport{From: t.From, To: t.To, P: t.P, Rate: rate, Moves: Float(moves[i])})
	}
	main := MainPath(m)
	prev := -1
	for s, st := range m.Stages {
		sr := StageReport{Name: st.Name, Label: st.DisplayName(), Team: st.Team.String(), MeanEntries: entries[s].Mean, SDEntries: entries[s].SD, Conversion: nan}
		if slices.Contains(main, s) {
			sr.Main = true
			if prev >= 0 && entries[prev].Mean > 0 {
				e := slices.IndexFunc(m.Transitions, func(t model.Transition) bool {
					return t.From == m.Stages[prev].Name && t.To == st.Name
				})
				if e >= 0 {
					sr.Conversion = Float(moves[e] / float64(entries[prev].Mean))
				} else {
					sr.Conversion = entries[s].Mean / entries[prev].Mean
				}
			}
			prev = s
		}
		rep.Stages = append(rep.Stages, sr)
	}
	L := len(m.SLAs)
	for a, x := range m.SLAs {
		met, n := r.column(r.SLAMet, L, a), r.column(r.SLAN, L, a)
		per := make([]float64, len(n))
		hit := 0
		for i := range n {
			per[i] = math.NaN()
			if n[i] > 0 {
				per[i] = met[i] / n[i]
				if per[i] >= x.Target {
					hit++
				}
			}
		}
		sr := SLAReport{Name: x.Name, Hours: x.Hours, Business: x.Business, Target: x.Target,
			Compliance: Float(sum(met) / sum(n)), PerQuarter: Summarize(per), ProbMeetsTarget: nan}
		if x.Target > 0 {
			sr.ProbMeetsTarget = Float(float64(hit) / float64(len(n)))
		}
		rep.SLA = append(rep.SLA, sr)
	}
	if r.Horizon > 1 {
		for k := range r.Horizon {
			rev := r.Period(r.Revenue, k)
			rep.PerQuarter = append(rep.PerQuarter, Summarize(rev))
			if m.Quota > 0 {
				rep.QuotaByQuarter = append(rep.QuotaByQuarter, NewChance(countAtLeast(rev, m.Quota)))
			}
		}
		if m.Quota > 0 {
			every := 0
			for i := range r.Quarters {
				if !slices.ContainsFunc(r.Revenue[i*r.Horizon:(i+1)*r.Horizon], func(v float64) bool { return !(v >= m.Quota) }) {
					every++
				}
			}
			c := NewChance(every, r.Quarters)
			rep.QuotaEveryQuarter = &c
		}
	}
	rep.RevenueTotal = total(m, r)
	rep.PipelineMovement = movement(r)
	rep.Breakdowns = breakdowns(m, r)
	return rep
}

// countAtLeast returns how many values of x are at or above t, and how
// many are not NaN.
func countAtLeast(x []float64, t float64) (k, n int) {
	for _, f := range x {
		if math.IsNaN(f) {
			continue
		}
		n++
		if f >= t {
			k++
		}
	}
	return k, n
}

// ClopperPearson returns the exact (Clopper–Pearson) two-sided confidence
// interval, at the given level in (0,1), of a binomial proportion from k
// successes in n trials: stats.ClopperPearson, which documents the formula
// and its ends. It returns NaN, NaN when n is 0, and panics if k is outside
// [0, n] or level outside (0,1).
func ClopperPearson(k, n int, level float64) (lo, hi float64) {
	return stats.ClopperPearson(k, n, level)
}

// column returns, for the first quarter of each run, element j of a series
// with width values per quarter.
func (r *Results) column(x []float64, width, j int) []float64 {
	out := make([]float64, r.Quarters)
	for i := range out {
		out[i] = x[i*r.Horizon*width+j]
	}
	return out
}

func sum(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		if !math.IsNaN(v) {
			s += v
		}
	}
	return s
}

// MainPath returns the indexes, in model order, of the stages on the way to
// a win: the won stages and every open stage from which a won stage can be
// reached without a recycle edge.
func MainPath(m *model.Model) []int {
	n := len(m.Stages)
	good := make([]bool, n)
	for i, s := range m.Stages {
		good[i] = s.Outcome == model.Won
	}
	for changed := true; changed; {
		changed = false
		for _, t := range m.Transitions {
			f, to := m.StageIndex(t.From), m.StageIndex(t.To)
			if !t.Recycle && t.P > 0 && good[to] && !good[f] {
				good[f], changed = true, true
			}
		}
	}
	var out []int
	for i, g := range good {
		if g {
			out = append(out, i)
		}
	}
	return out
}
