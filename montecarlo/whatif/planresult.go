package whatif

import (
	"math"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/model/stats"
	"github.com/funnelsim/funnel/montecarlo"
)

// NewPlanResult returns plan.json's content: the worksheet sheet and
// plan, Solve's result for m with cfg (its Goal, Prob, Quarters and Seed),
// reachable false when Solve returned ErrUnreachable. Without a plan the
// scale, MQLs, coverage and marketing share are NaN (null in JSON). The
// coverage needed is the cfg.Prob quantile of open pipeline / revenue
// over the plan's quarters (stats.CoverageNeeded).
func NewPlanResult(m *model.Model, sheet []Line, plan *Plan, reachable bool, cfg SolveConfig) PlanResult {
	f := func(v float64) montecarlo.Float { return montecarlo.Float(v) }
	out := PlanResult{SchemaVersion: SchemaVersion, Model: m.Name, ModelHash: m.Hash(), Currency: m.Currency, Goal: cfg.Goal, Probability: cfg.Prob, Quarters: cfg.Quarters, Seed: cfg.Seed, Points: plan.Points, Reachable: reachable}
	for _, l := range sheet {
		out.Worksheet = append(out.Worksheet, PlanLine{Label: l.Label, Value: f(l.Value), Now: f(l.Now), Rate: l.Rate})
	}
	nan := f(math.NaN())
	out.Scale, out.ScaleLo, out.ScaleHi, out.MQLs, out.MQLsLo, out.MQLsHi = nan, nan, nan, nan, nan, nan
	out.ProbAtScale, out.CoverageMedian, out.CoverageNeeded, out.MarketingShare = nan, nan, nan, nan
	for _, w := range plan.Warnings {
		out.Warnings = append(out.Warnings, w.Error())
	}
	if reachable {
		out.Scale, out.ScaleLo, out.ScaleHi = f(plan.Scale), f(plan.ScaleLo), f(plan.ScaleHi)
		out.MQLs, out.MQLsLo, out.MQLsHi = f(plan.MQLs), f(plan.MQLsLo), f(plan.MQLsHi)
		out.ProbAtScale = f(plan.Check.P)
		r := plan.Results
		open, rev := r.Period(r.OpenPipeline, 0), r.Period(r.Revenue, 0)
		cov := make([]float64, len(open))
		for i := range open {
			cov[i] = open[i] / cfg.Goal
		}
		out.CoverageMedian = montecarlo.Summarize(cov).P50
		// The coverage that, if revenue scaled with the opening pipeline,
		// reaches the goal in a share prob of quarters.
		out.CoverageNeeded = f(stats.CoverageNeeded(open, rev, cfg.Prob))
		rep := montecarlo.NewReport(plan.Model, r)
		out.MarketingShare = rep.PipelineCreated.MarketingShare
	}
	return out
}
