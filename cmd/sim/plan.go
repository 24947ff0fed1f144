package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
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
	solve := whatif.SolveConfig{Goal: goal, Prob: prob, Quarters: cfg.quarters, Seed: cfg.seed, Workers: cfg.workers}
	plan, err := whatif.Solve(ctx, m, solve)
	reachable := err == nil
	if err != nil && err != whatif.ErrUnreachable {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted; nothing written")
		}
		return err
	}
	out := whatif.NewPlanResult(m, sheet, plan, reachable, solve)
	var book csvBook
	if err := book.writeCSV(dir, "plan.csv", render.PlanRows(sheet)); err != nil {
		return err
	}
	if err := book.write(dir, "plan.xlsx", m.Currency); err != nil {
		return err
	}
	if err := saveCharts(dir, render.PlanCharts(m, sheet, out)); err != nil {
		return err
	}
	period, note := quarterOf(m)
	out.Period = period
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
	writeQuarter(w, period, note)
	render.WritePlanSummary(w, m, sheet, rates, float64(montecarlo.Summarize(res.Period(res.Revenue, 0)).Mean), plan, out)
	fmt.Fprintf(w, "\nWrote %s: plan.json, plan.csv.\n", cfg.out)
	return nil
}

// aPercent is render.APercent, under this name for report.go.
func aPercent(p float64) string { return render.APercent(p) }
