package montecarlo

import (
	"math"
	"slices"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/model/stats"
)

// Results holds every simulated quarter. Per-quarter series have one value
// per run and period, run-major: index r*Horizon + k is quarter k (from 0)
// of run r. Per-stage and per-SLA series add a last dimension: index
// (r*Horizon+k)*len(Stages) + s.
type Results struct {
	Quarters int    // runs
	Horizon  int    // consecutive quarters per run
	Seed     uint64 // the seed
	First    int    // the index of the first run (Config.First); 0 but for a shard
	// Opening and Method name the strategy the engine chose for the model
	// (see the package doc): Opening "start", "warm-up" or "stationary",
	// Method "walk" or "marks". Neither changes the results' law.
	Opening, Method string
	Stages          []string // stage names, in model order
	SLAs            []string // SLA names, in model order
	Quota           float64  // revenue target a quarter
	Currency        string
	Leads           int64 // leads simulated in all, warm-up included (drawn from marks: the leads the drawn marks hold): the work done

	Revenue      []float64 // closed-won amount in the quarter, currency
	Won          []float64 // deals closed-won in the quarter
	MktCreated   []float64 // marketing-sourced opportunities created in the quarter
	MktValue     []float64 // their amount, currency
	SalesCreated []float64 // sales-sourced opportunities created in the quarter
	SalesValue   []float64 // their amount, currency
	OpenPipeline []float64 // amount of opportunities open at the start of the quarter, currency
	OpenDeals    []float64 // their count
	Coverage     []float64 // OpenPipeline / Quota; NaN without a quota
	MQLs         []float64 // leads entering the handoff stage in the quarter
	Contacted    []float64 // of those, leads the SDRs contacted
	RespP50      []float64 // median response time of those leads, minutes; NaN if none
	RespP90      []float64 // 90th percentile of their response times, minutes; NaN if none
	Entries      []float64 // leads entering each stage in the quarter
	SLAN         []float64 // leads entering each SLA's from-stage in the quarter
	SLAMet       []float64 // of those, leads that met the SLA
	Moves        []float64 // leads taking each transition (model order) in the quarter
	// The pipeline's movement in the quarter (a waterfall): OpenPipeline
	// at its start, plus the value created (MktValue + SalesValue), minus
	// Revenue, minus LostValue, is ClosingPipeline at its end.
	LostValue       []float64 // amount of opportunities that left the pipeline in the quarter other than won (lost, disqualified, recycled), currency
	LostDeals       []float64 // their count
	ClosingPipeline []float64 // amount of opportunities open at the end of the quarter, currency
	ClosingDeals    []float64 // their count
	SlippedValue    []float64 // of ClosingPipeline, the amount of opportunities already open at the start of the quarter (they slipped past it), currency
	// The per-source series have one value per run, period and source of
	// the model (in model order): index (r*Horizon+k)*len(m.Sources) + j.
	SrcRevenue  []float64 // closed-won amount in the quarter of source j's deals, currency
	SrcWon      []float64 // their count
	SrcCreated  []float64 // opportunities of source j created in the quarter
	SrcCreatedV []float64 // their amount, currency
	// RespSample holds every response time (minutes) of the first quarter
	// of the first RespSampleRuns runs, for charts.
	RespSample [][]float64
}

// RespSampleRuns is the number of runs whose response times Results keeps.
const RespSampleRuns = 20

func newResults(m *model.Model, cfg Config) *Results {
	n := cfg.Quarters * cfg.Horizon
	r := &Results{Quarters: cfg.Quarters, Horizon: cfg.Horizon, Seed: cfg.Seed, First: cfg.First, Quota: m.Quota, Currency: m.Currency}
	for _, s := range m.Stages {
		r.Stages = append(r.Stages, s.Name)
	}
	for _, s := range m.SLAs {
		r.SLAs = append(r.SLAs, s.Name)
	}
	for _, p := range []*[]float64{&r.Revenue, &r.Won, &r.MktCreated, &r.MktValue, &r.SalesCreated, &r.SalesValue,
		&r.OpenPipeline, &r.OpenDeals, &r.Coverage, &r.MQLs, &r.Contacted, &r.RespP50, &r.RespP90} {
		*p = make([]float64, n)
	}
	r.Entries = make([]float64, n*len(m.Stages))
	r.SLAN = make([]float64, n*len(m.SLAs))
	r.SLAMet = make([]float64, n*len(m.SLAs))
	r.Moves = make([]float64, n*len(m.Transitions))
	for _, p := range []*[]float64{&r.LostValue, &r.LostDeals, &r.ClosingPipeline, &r.ClosingDeals, &r.SlippedValue} {
		*p = make([]float64, n)
	}
	for _, p := range []*[]float64{&r.SrcRevenue, &r.SrcWon, &r.SrcCreated, &r.SrcCreatedV} {
		*p = make([]float64, n*len(m.Sources))
	}
	r.RespSample = make([][]float64, max(0, min(cfg.Quarters, RespSampleRuns-cfg.First)))
	return r
}

// series returns every per-run series of r: 13 with one value a period,
// then Entries, SLAN, SLAMet and Moves with several, then (from index
// pinnedSeries on) the waterfall's five with one value a period and the
// four per-source series.
func (r *Results) series() []*[]float64 {
	return []*[]float64{&r.Revenue, &r.Won, &r.MktCreated, &r.MktValue, &r.SalesCreated, &r.SalesValue,
		&r.OpenPipeline, &r.OpenDeals, &r.Coverage, &r.MQLs, &r.Contacted, &r.RespP50, &r.RespP90,
		&r.Entries, &r.SLAN, &r.SLAMet, &r.Moves,
		&r.LostValue, &r.LostDeals, &r.ClosingPipeline, &r.ClosingDeals, &r.SlippedValue,
		&r.SrcRevenue, &r.SrcWon, &r.SrcCreated, &r.SrcCreatedV}
}

// pinnedSeries is the number of series TestRunPinned's first hashes
// cover: those that existed when they were pinned.
const pinnedSeries = 17

// copyRun sets every series of run dst to from's of run src (from's
// shape must be r's but for its runs).
func (r *Results) copyRun(from *Results, src, dst int) {
	fs := from.series()
	for i, p := range r.series() {
		w := len(*p) / max(r.Quarters*r.Horizon, 1) // values a period
		n := w * r.Horizon                          // a run
		copy((*p)[dst*n:(dst+1)*n], (*fs[i])[src*n:])
	}
}

// Period returns the values of series x for quarter k of every run.
func (r *Results) Period(x []float64, k int) []float64 {
	out := make([]float64, r.Quarters)
	for i := range out {
		out[i] = x[i*r.Horizon+k]
	}
	return out
}

// Summary summarises the distribution of a series over simulated quarters.
type Summary struct {
	N    int   `json:"n"` // quarters with a value (NaN excluded)
	Mean Float `json:"mean"`
	SD   Float `json:"sd"` // sample standard deviation
	SE   Float `json:"se"` // standard error of the mean, SD/√N
	P05  Float `json:"p05"`
	P10  Float `json:"p10"`
	P50  Float `json:"p50"`
	P90  Float `json:"p90"`
	P95  Float `json:"p95"`
}

// Float is a float64 whose JSON form is null for NaN and ±Inf, which JSON
// cannot represent: stats.Float.
type Float = stats.Float

// Summarize returns the summary of x, ignoring NaNs. Quantiles are the
// empirical quantiles of the sorted sample with linear interpolation
// (Hyndman and Fan type 7).
func Summarize(x []float64) Summary {
	v := make([]float64, 0, len(x))
	for _, f := range x {
		if !math.IsNaN(f) {
			v = append(v, f)
		}
	}
	if len(v) == 0 {
		nan := Float(math.NaN())
		return Summary{Mean: nan, SD: nan, SE: nan, P05: nan, P10: nan, P50: nan, P90: nan, P95: nan}
	}
	slices.Sort(v)
	sum := 0.0
	for _, f := range v {
		sum += f
	}
	mean := sum / float64(len(v))
	ss := 0.0
	for _, f := range v {
		ss += (f - mean) * (f - mean)
	}
	sd, se := 0.0, 0.0
	if len(v) > 1 {
		sd = math.Sqrt(ss / float64(len(v)-1))
		se = sd / math.Sqrt(float64(len(v)))
	}
	q := func(p float64) Float { return Float(stats.Quantile(p, v)) }
	return Summary{N: len(v), Mean: Float(mean), SD: Float(sd), SE: Float(se),
		P05: q(0.05), P10: q(0.10), P50: q(0.5), P90: q(0.90), P95: q(0.95)}
}

// ProbAtLeast returns the share of values of x (NaN excluded) at or above
// t, and its binomial standard error.
func ProbAtLeast(x []float64, t float64) (p, se float64) {
	k, n := countAtLeast(x, t)
	if n == 0 {
		return math.NaN(), math.NaN()
	}
	p = float64(k) / float64(n)
	return p, math.Sqrt(p * (1 - p) / float64(n))
}
