package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model/stats"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/funnelsim/funnel/montecarlo/whatif"
)

func init() {
	register("plan", "work a revenue goal back to the MQLs and leads a quarter it needs", planCmd)
}

const planUsage = `
Usage: sim plan [--goal AMOUNT] [--probability P] [flags]

Works a revenue goal (default: the model's quota) back through the funnel.

1. The worksheet: the classic revenue math backwards, goal -> deals
   (÷ average won deal) -> opportunities (÷ win rate) -> SALs -> MQLs
   (÷ MQL -> SAL rate, the SDR contact rate included) -> new leads. Its
   rates are measured from a simulation of the model as it is (--quarters
   quarters), per quarter, so they include the contact rate the SDR queue
   achieves today and recycled leads. It assumes the rates hold at the
   new volume.

2. With uncertainty: the marketing arrival rates are scaled by a factor s,
   every scale simulated with the same seed (common random numbers), and s
   is found by bisection so that P(revenue >= goal) = --probability. This
   lets the SDR queue slow down as volume grows. It reports the MQLs a
   quarter at s with a Monte Carlo 95% interval, the pipeline coverage
   that plan starts quarters with against the 3x/4x rules, and the
   marketing-sourced share of pipeline. The interval inverts the 95%
   binomial bounds of P at the scales tried: it starts above every scale
   whose P is below --probability beyond its bounds and ends below every
   scale whose P is above it (interpolating the bounds, in logits, between
   neighbouring scales).

Files in --out: plan.json (worksheet, every scale tried, the answer),
plan_steps.png (the revenue math backwards, needed against now) and
plan_curve.png (the chance of the goal against MQLs a quarter), and
plan.csv (the worksheet) with plan.xlsx, the same as a workbook.

Examples:
  sim plan
  sim plan --goal 9000000 --probability 0.9 --quarters 1000
`

func planCmd(ctx context.Context, e *env, args []string) error {
	var cfg runFlags
	var goal, prob float64
	fs := newFlags(e, "plan", planUsage)
	cfg.register(fs, 500, filepath.Join("out", "plan"))
	fs.Float64Var(&goal, "goal", 0, "revenue goal a quarter, currency (0: the model's quota)")
	fs.Float64Var(&prob, "probability", 0.8, "the chance of reaching the goal the plan must give")
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := noArgs("plan", rest); err != nil {
		return err
	}
	if cfg.quarters < 10 {
		return fmt.Errorf("plan: --quarters %d: want at least 10", cfg.quarters)
	}
	if !(prob > 0 && prob < 1) {
		return fmt.Errorf("plan: --probability %v: want a probability in (0,1)", prob)
	}
	m, _, err := loadModel(cfg.model, "")
	if err != nil {
		return err
	}
	if goal == 0 {
		goal = m.Quota
	}
	if !(goal > 0) {
		return fmt.Errorf("plan: --goal %v: want a positive amount (the model has no quota)", goal)
	}
	dir, err := outdir.Begin(ctx, cfg.out)
	if err != nil {
		return fmt.Errorf("plan: --out: %w", err)
	}
	defer dir.Abort()
	res, err := simulate(ctx, e, m, cfg.config(), cfg.quiet)
	if err != nil {
		return err
	}
	rates, err := whatif.MeasureRates(m, res)
	if err != nil {
		return fmt.Errorf("plan: %w", err)
	}
	sheet := whatif.Worksheet(goal, rates)
	plan, err := whatif.Solve(ctx, m, whatif.SolveConfig{Goal: goal, Prob: prob, Quarters: cfg.quarters, Seed: cfg.seed, Workers: cfg.workers})
	reachable := err == nil
	if err != nil && err != whatif.ErrUnreachable {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted; nothing written")
		}
		return err
	}
	f := func(v float64) montecarlo.Float { return montecarlo.Float(v) }
	out := whatif.PlanResult{SchemaVersion: whatif.SchemaVersion, Model: m.Name, ModelHash: m.Hash(), Currency: m.Currency, Goal: goal, Probability: prob, Quarters: cfg.quarters, Seed: cfg.seed, Points: plan.Points, Reachable: reachable}
	for _, l := range sheet {
		out.Worksheet = append(out.Worksheet, whatif.PlanLine{Label: l.Label, Value: f(l.Value), Now: f(l.Now), Rate: l.Rate})
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
			cov[i] = open[i] / goal
		}
		out.CoverageMedian = montecarlo.Summarize(cov).P50
		// The coverage that, if revenue scaled with the opening pipeline,
		// reaches the goal in a share prob of quarters.
		out.CoverageNeeded = f(stats.CoverageNeeded(open, rev, prob))
		rep := montecarlo.NewReport(plan.Model, r)
		out.MarketingShare = rep.PipelineCreated.MarketingShare
	}
	rows := [][]string{{"line", "needed", "now", "rate"}}
	g := csvNum
	for _, l := range sheet {
		rows = append(rows, []string{l.Label, g(l.Value), g(l.Now), l.Rate})
	}
	var book csvBook
	if err := book.writeCSV(dir, "plan.csv", rows); err != nil {
		return err
	}
	if err := book.write(dir, "plan.xlsx", m.Currency); err != nil {
		return err
	}
	if err := saveCharts(dir, planCharts(m, sheet, out)); err != nil {
		return err
	}
	if err := writeJSON(dir, "plan.json", out); err != nil {
		return err
	}
	if err := dir.Commit(); err != nil {
		return err
	}
	if cfg.json {
		return printJSON(e.stdout, out)
	}
	w := e.stdout
	cur := m.Currency
	fmt.Fprintf(w, "Plan for %s a quarter (model %s): %s simulated quarters per step, seed %d\n\n", render.Money(goal, cur), m.Name,
		render.Count(float64(cfg.quarters)), cfg.seed)
	fmt.Fprintf(w, "1. The worksheet: revenue math backwards, rates measured on the model as it is\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  \tneeded\tnow\trate used\t\n")
	for i, l := range sheet {
		v, now := render.Count(l.Value), render.Count(l.Now)
		if i == 0 {
			v, now = render.Money(l.Value, cur), render.Money(float64(montecarlo.Summarize(res.Period(res.Revenue, 0)).Mean), cur)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\n", l.Label, v, now, l.Rate)
	}
	tw.Flush()
	fmt.Fprintf(w, "(a quarter, steady state; \"now\" is the simulated mean. It assumes the rates hold at the new volume.)\n\n")
	fmt.Fprintf(w, "2. With uncertainty: MQLs a quarter for %s chance of %s\n", aPercent(prob), render.Money(goal, cur))
	if !reachable {
		fmt.Fprintf(w, "  not reachable by scaling marketing arrivals up to %gx: the SDR queue or sales-sourced volume limits it\n", whatif.DefaultSolveConfig.MaxScale)
	} else {
		fmt.Fprintf(w, "  marketing arrival rates ×%.3f (95%% MC interval %s to %s)\n", plan.Scale, scaleText(plan.ScaleLo), scaleText(plan.ScaleHi))
		fmt.Fprintf(w, "  MQLs a quarter         %s (95%%: %s to %s); now %s\n", render.Count(plan.MQLs), render.Count(plan.MQLsLo), countText(plan.MQLsHi), render.Count(rates.MQLs))
		fmt.Fprintf(w, "  check at that scale    P(revenue ≥ goal) = %s (95%% %s to %s)\n", render.Percent(plan.Check.P), render.Percent(plan.Check.PLo), render.Percent(plan.Check.PHi))
		fmt.Fprintf(w, "  coverage               %s median at quarter start; this funnel needs %s for %s chance (rules of thumb 3x-4x)\n",
			render.Ratio(float64(out.CoverageMedian)), render.Ratio(float64(out.CoverageNeeded)), aPercent(prob))
		fmt.Fprintf(w, "  marketing share        %s of pipeline created is marketing-sourced in this plan\n", render.Percent(float64(out.MarketingShare)))
		fmt.Fprintf(w, "  worksheet said         %s MQLs: %s\n", render.Count(sheet[5].Value), worksheetVerdict(sheet[5].Value, plan.MQLs, plan.MQLsLo, plan.MQLsHi, prob))
	}
	fmt.Fprintf(w, "  scales tried:")
	for _, p := range plan.Points {
		fmt.Fprintf(w, " %.3f→%s", p.Scale, render.Percent(p.P))
	}
	fmt.Fprintln(w)
	if reachable {
		fmt.Fprintf(w, "(interval: the scales where the 95%% binomial bounds of P(revenue ≥ goal), %s quarters a scale, contain %s%s)\n",
			render.Count(float64(cfg.quarters)), render.Percent(prob), intervalEnds(plan))
	}
	fmt.Fprintf(w, "(coverage = open pipeline at quarter start ÷ goal; needed: the %s quantile of open pipeline ÷ revenue)\n", render.Percent(prob))
	for _, warn := range plan.Warnings {
		fmt.Fprintf(w, "Note: %v\n", warn)
	}
	fmt.Fprintf(w, "\nWrote %s: plan.json, plan.csv.\n", cfg.out)
	return nil
}

// worksheetVerdict compares the worksheet's MQLs with the simulation's,
// sim with its 95% interval [lo, hi]: a difference only when the interval
// excludes the worksheet's number, "~" otherwise.
func worksheetVerdict(sheet, sim, lo, hi, prob float64) string {
	interval := fmt.Sprintf("%s to %s", render.Count(lo), countText(hi))
	if !(sheet > 0) {
		return fmt.Sprintf("the simulation needs %s (95%%: %s)", render.Count(sim), interval)
	}
	if lo <= sheet && sheet <= hi {
		return fmt.Sprintf("~ the simulation's 95%% interval (%s) contains it: no difference shown", interval)
	}
	pct := func(v float64) string { return render.Percent(math.Abs(v/sheet - 1)) }
	if sheet < lo {
		more := pct(lo) + " to " + pct(hi)
		if math.IsInf(hi, 1) {
			more = "at least " + pct(lo)
		}
		return fmt.Sprintf("the simulation needs %s more (95%%: %s; the worksheet plans for the mean at today's rates, "+
			"the simulation for %s chance with the queue slowing as volume grows)", pct(sim), more, aPercent(prob))
	}
	return fmt.Sprintf("the simulation needs %s fewer (95%%: %s to %s)", pct(sim), pct(hi), pct(lo))
}

// intervalEnds names the scales tried that bound the plan's interval: the
// largest with P below the target beyond its 95% bounds and the smallest
// above it; "" when there is neither.
func intervalEnds(plan *whatif.Plan) string {
	below, above := math.Inf(-1), math.Inf(1)
	for _, p := range plan.Points {
		if p.PHi < plan.Prob {
			below = max(below, p.Scale)
		}
		if p.PLo > plan.Prob {
			above = min(above, p.Scale)
		}
	}
	var ends []string
	if !math.IsInf(below, 0) {
		ends = append(ends, fmt.Sprintf("P is below it at %.3f", below))
	} else {
		ends = append(ends, fmt.Sprintf("no scale tried down to %.3f is below it", whatif.MinScale))
	}
	if !math.IsInf(above, 0) {
		ends = append(ends, fmt.Sprintf("above it at %.3f", above))
	} else {
		ends = append(ends, fmt.Sprintf("none up to %g is above it", whatif.DefaultSolveConfig.MaxScale))
	}
	return "; " + strings.Join(ends, " and ")
}

// scaleText formats a scale of the plan's interval: "1.054", or for +Inf
// "more than 16" (the largest scale Solve tries).
func scaleText(v float64) string {
	if math.IsInf(v, 1) {
		return fmt.Sprintf("more than %g", whatif.DefaultSolveConfig.MaxScale)
	}
	return fmt.Sprintf("%.3f", v)
}

// countText is render.Count, with "unbounded" for +Inf.
func countText(v float64) string {
	if math.IsInf(v, 1) {
		return "unbounded"
	}
	return render.Count(v)
}

// aPercent formats p as render.Percent does, after the indefinite article
// it takes when read aloud: "an 80.0%", "an 11.5%", "a 90.0%".
func aPercent(p float64) string {
	s := render.Percent(p)
	if article(s) == "an" {
		return "an " + s
	}
	return "a " + s
}

// article returns the indefinite article of a number written in digits,
// by how it is read: "an" before 8 (eight, eighty, eight hundred...) and
// before 11 and 18 (eleven, eighteen, and eleven or eighteen thousand...
// when the digits before a separator are just those), "a" otherwise.
func article(num string) string {
	lead := num
	if i := strings.IndexAny(num, ".,%x "); i >= 0 {
		lead = num[:i]
	}
	switch {
	case strings.HasPrefix(num, "8"):
		return "an"
	case lead == "11" || lead == "18":
		return "an"
	}
	return "a"
}
