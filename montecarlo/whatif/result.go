package whatif

import (
	"fmt"

	"github.com/funnelsim/funnel/montecarlo"
)

// SchemaVersion is the major version of the JSON forms of CompareResult,
// PlanResult and SLAResult (compare.json, plan.json and sla.json). It
// changes when a field is renamed or removed or changes meaning; a field
// added leaves it as it is. A reader refuses a version it does not know
// (CheckSchema).
const SchemaVersion = 1

// CheckSchema returns an error when v, the schema_version of a file named
// file, is not a version this package reads: newer than SchemaVersion, or
// below 0. A missing version (0) is a file written before versions were
// recorded, read as version 1.
func CheckSchema(file string, v int) error {
	if v < 0 || v > SchemaVersion {
		return fmt.Errorf("%s: schema_version %d: this sim reads versions up to %d; use the sim that wrote it, or write it again with this one", file, v, SchemaVersion)
	}
	return nil
}

// CompareResult is the comparison of what-ifs with a base on common random
// numbers: the JSON form of sim compare (compare.json).
type CompareResult struct {
	SchemaVersion int    `json:"schema_version"` // SchemaVersion
	Model         string `json:"model"`          // the base model's name
	// ModelHash is the base model's hash (model.Model.Hash), its scenario
	// Period names the quarter simulated ("Q1 FY2027, Jan 1 - Mar 31,
	// 2027"), as sim forecast names it without --start; empty in files
	// written before it was recorded.
	Period string `json:"period,omitempty"`
	// applied: the same hash, the same model. Empty in files written
	// before it was recorded.
	ModelHash string         `json:"model_hash,omitempty"`
	Base      string         `json:"base"` // the base scenario's name
	Quarters  int            `json:"quarters"`
	Seed      uint64         `json:"seed"`
	Currency  string         `json:"currency"`
	WhatIfs   []WhatIfResult `json:"whatifs"`
	Note      string         `json:"note"` // how the intervals are computed
}

// WhatIfResult is one what-if's differences from the base.
type WhatIfResult struct {
	Name        string       `json:"name"`
	Description string       `json:"description,omitempty"`
	Diffs       []DiffResult `json:"diffs"`
}

// DiffResult is the JSON form of a Diff: the means of a metric in the base
// and the what-if over n quarters, their difference (what-if − base) and
// its 95% intervals, paired and unpaired. A value that is not defined
// (NaN) is null.
type DiffResult struct {
	Metric      string           `json:"metric"`
	N           int              `json:"n"`
	Base        montecarlo.Float `json:"base_mean"`
	WhatIf      montecarlo.Float `json:"whatif_mean"`
	Delta       montecarlo.Float `json:"delta"`
	PairedLo    montecarlo.Float `json:"paired_lo95"`
	PairedHi    montecarlo.Float `json:"paired_hi95"`
	UnpairedLo  montecarlo.Float `json:"unpaired_lo95"`
	UnpairedHi  montecarlo.Float `json:"unpaired_hi95"`
	Significant bool             `json:"significant"` // the paired interval excludes 0
}

// NewDiffResult returns the JSON form of d.
func NewDiffResult(d Diff) DiffResult {
	f := func(v float64) montecarlo.Float { return montecarlo.Float(v) }
	return DiffResult{Metric: d.Metric, N: d.N, Base: f(d.Base), WhatIf: f(d.Alt), Delta: f(d.Delta),
		PairedLo: f(d.Delta - d.HalfPaired), PairedHi: f(d.Delta + d.HalfPaired),
		UnpairedLo: f(d.Delta - d.HalfUnpaired), UnpairedHi: f(d.Delta + d.HalfUnpaired), Significant: d.Significant}
}

// PlanResult is a revenue goal worked back through the funnel: the JSON
// form of sim plan (plan.json). Amounts are in the model's currency;
// values not reached or not defined are NaN (null).
type PlanResult struct {
	SchemaVersion int    `json:"schema_version"` // SchemaVersion
	Model         string `json:"model"`
	// ModelHash is the model's hash (model.Model.Hash); empty in files
	// Period names the quarter simulated ("Q1 FY2027, Jan 1 - Mar 31,
	// 2027"), as sim forecast names it without --start; empty in files
	// written before it was recorded.
	Period string `json:"period,omitempty"`
	// written before it was recorded.
	ModelHash   string     `json:"model_hash,omitempty"`
	Currency    string     `json:"currency,omitempty"`
	Goal        float64    `json:"goal"`        // revenue a quarter
	Probability float64    `json:"probability"` // the chance of the goal the plan must give, in (0,1)
	Quarters    int        `json:"quarters"`    // simulated at each scale
	Seed        uint64     `json:"seed"`
	Worksheet   []PlanLine `json:"worksheet"`
	// Scale is the multiple of the marketing arrival rates that meets the
	// goal with Probability; [ScaleLo, ScaleHi] its Monte Carlo 95%
	// interval (ScaleHi NaN: open above).
	Scale          montecarlo.Float `json:"scale"`
	ScaleLo        montecarlo.Float `json:"scale_lo95"`
	ScaleHi        montecarlo.Float `json:"scale_hi95"`
	MQLs           montecarlo.Float `json:"mqls"` // MQLs a quarter at Scale, and their interval
	MQLsLo         montecarlo.Float `json:"mqls_lo95"`
	MQLsHi         montecarlo.Float `json:"mqls_hi95"`
	ProbAtScale    montecarlo.Float `json:"prob_at_scale"`   // simulated P(revenue ≥ goal) at Scale
	CoverageMedian montecarlo.Float `json:"coverage_median"` // open pipeline at quarter start ÷ goal, median, at Scale
	CoverageNeeded montecarlo.Float `json:"coverage_needed"` // the coverage that meets the goal in Probability of quarters
	MarketingShare montecarlo.Float `json:"marketing_share"` // marketing-sourced share of pipeline created, at Scale
	Points         []Point          `json:"points"`          // every scale simulated
	Reachable      bool             `json:"reachable"`       // some scale tried met the goal
	Warnings       []string         `json:"warnings,omitempty"`
}

// PlanLine is a line of the worksheet (Line): what the goal needs at one
// step of the funnel, what the model gives now, and the rate used.
type PlanLine struct {
	Label string           `json:"label"`
	Value montecarlo.Float `json:"needed"`
	Now   montecarlo.Float `json:"now"`
	Rate  string           `json:"rate"`
}

// SLAResult is a sweep of SDR response policies: the JSON form of sim sla
// (sla.json). Amounts are in Currency, a quarter; times in minutes.
type SLAResult struct {
	SchemaVersion int    `json:"schema_version"` // SchemaVersion
	Model         string `json:"model"`
	// ModelHash is the base model's hash (model.Model.Hash); empty in
	// Period names the quarter simulated ("Q1 FY2027, Jan 1 - Mar 31,
	// 2027"), as sim forecast names it without --start; empty in files
	// written before it was recorded.
	Period string `json:"period,omitempty"`
	// files written before it was recorded.
	ModelHash  string         `json:"model_hash,omitempty"`
	Quarters   int            `json:"quarters"` // simulated for each policy
	Seed       uint64         `json:"seed"`
	Currency   string         `json:"currency"`
	Design     string         `json:"design"` // "grid" or "one lever at a time around the base"
	ScoreModel ScoreModel     `json:"score_model"`
	Policies   []PolicyResult `json:"policies"` // the base first
	// ComplianceColumns lists the keys of PolicyResult.Compliance in the
	// order they are shown: the model's SLAs, then the first-touch targets,
	// shortest first.
	ComplianceColumns []string `json:"compliance_columns"`
	// ErlangCaveats are the M/M/c assumptions the model breaks.
	ErlangCaveats []string `json:"erlang_c_assumptions_broken"`
	// Search answers the inverse question (the headcount a target needs);
	// nil when it was not asked.
	Search *HeadcountSearchResult `json:"headcount_search,omitempty"`
}

// PolicyResult is one simulated response policy and its outcomes, each a
// quarter's averaged over quarters. Values not defined are NaN (null).
type PolicyResult struct {
	Name      string  `json:"name"`
	Lever     string  `json:"lever"` // base, headcount, hours, threshold, grid
	Headcount int     `json:"headcount"`
	Hours     string  `json:"hours"`     // working-hours coverage: business, extended, 24x7 or the model's own
	Threshold float64 `json:"threshold"` // MQL score threshold, points

	RespP50    montecarlo.Float            `json:"response_minutes_p50"` // each quarter's median response, averaged over quarters
	RespP90    montecarlo.Float            `json:"response_minutes_p90"`
	Compliance map[string]montecarlo.Float `json:"compliance"` // SLAResult.ComplianceColumns -> share in [0,1]
	MQLs       montecarlo.Float            `json:"mqls"`
	Contacted  montecarlo.Float            `json:"contacted"`
	Qualified  montecarlo.Float            `json:"qualified"`
	Pipeline   montecarlo.Float            `json:"pipeline_created"`
	Revenue    montecarlo.Float            `json:"revenue"`
	RevenueLo  montecarlo.Float            `json:"revenue_delta_lo95"` // paired 95% interval of revenue − the base's
	RevenueHi  montecarlo.Float            `json:"revenue_delta_hi95"`
	PerSDR     montecarlo.Float            `json:"revenue_per_sdr"`
	ErlangWait montecarlo.Float            `json:"erlang_c_p_wait"`
	SimWait    montecarlo.Float            `json:"sim_p_wait"`
	ErlangMean montecarlo.Float            `json:"erlang_c_mean_wait_minutes"`
	SimMean    montecarlo.Float            `json:"sim_mean_wait_minutes"`
	Offered    montecarlo.Float            `json:"offered_erlangs"`
}

// HeadcountSearchResult answers the inverse question of sim sla: the
// smallest headcount whose quarters touch TargetShare of MQLs within
// WithinMin minutes in at least InQuarters of quarters.
type HeadcountSearchResult struct {
	TargetShare float64          `json:"target_share"`
	WithinMin   float64          `json:"within_minutes"`
	InQuarters  float64          `json:"in_quarters"`
	Hours       string           `json:"hours"`
	Headcount   int              `json:"headcount"` // 0: not reachable
	Tried       []HeadcountTrial `json:"tried"`
	MaxTried    int              `json:"max_headcount_tried"`
}

// HeadcountTrial is one headcount the search simulated.
type HeadcountTrial struct {
	Headcount int     `json:"headcount"`
	Share     float64 `json:"share_of_quarters_meeting"`
	Mean      float64 `json:"mean_compliance"`
}
