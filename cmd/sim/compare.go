package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/funnelsim/funnel/montecarlo/whatif"
	"github.com/spf13/pflag"
	"gonum.org/v1/plot"
)

func init() {
	register("compare", "compare what-if scenarios with a base on common random numbers", compareCmd)
}

const compareUsage = `
Usage: sim compare [flags] [BASE_SCENARIO WHATIF_SCENARIO...]

Simulates the base scenario and every what-if with the same seed, so that
each simulated quarter sees the same leads, delays and conversions in every
scenario except where a what-if changes them (common random numbers). For
each what-if and metric it reports the mean difference from the base with
a paired 95% interval (per-quarter differences: mean ± 1.96·sd/√n) and, for
contrast, the unpaired interval two independent simulations would give.
"~" marks a difference whose paired interval contains zero.

Scenarios are files or names of embedded ones (` + "baseline, two-more-sdrs, ..." + `).
With no arguments it compares baseline with every embedded what-if.

It prints a table and writes to --out:
  compare.csv     one row per what-if and metric, full precision
  compare.json    the same, for programs
  compare.xlsx    compare.csv as a workbook, for spreadsheets
  tornado.png     revenue effect of each what-if with its interval (and .svg)

Metrics: revenue; P(hit quota) (difference in points); deals won; pipeline
created (marketing + sales); MQLs contacted; median response time (P50 of
each quarter); each SLA's compliance (each quarter's). Each is a quarter's
value, and base and what-if are its means over the quarters: the figures
sim forecast prints for the same seed and quarters.

Examples:
  sim compare
  sim compare baseline two-more-sdrs respond-24x7 --quarters 5000
  sim compare --model my.yaml baseline my-whatif.yaml --json
`

// runFlags holds the flags every simulating command shares.
type runFlags struct {
	model    string
	quarters int
	seed     uint64
	workers  int
	out      string
	json     bool
	quiet    bool
	maxLeads float64
}

// register adds the shared flags to fs, with the command's default number
// of quarters and output folder.
func (c *runFlags) register(fs *pflag.FlagSet, quarters int, out string) {
	fs.StringVar(&c.model, "model", "", "model `FILE` (YAML or JSON); default: the embedded default model")
	fs.IntVar(&c.quarters, "quarters", quarters, "independent quarters to simulate (for each scenario)")
	fs.Uint64Var(&c.seed, "seed", 1, "random seed: the same seed gives the same outputs, byte for byte; shared by every scenario (common random numbers)")
	fs.IntVar(&c.workers, "workers", 0, "parallel workers (0: one per core); does not change the results")
	fs.StringVar(&c.out, "out", out, "output `DIR` for the JSON, CSV, charts and report")
	fs.BoolVar(&c.json, "json", false, "print the JSON on stdout instead of the human summary")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "no progress bar")
	fs.Float64Var(&c.maxLeads, "max-leads", montecarlo.DefaultConfig.MaxLeads, "refuse a run that would simulate more `LEADS` than this (estimated before it starts; raise it for a bigger run)")
}

// config returns the engine's configuration for these flags.
func (c *runFlags) config() montecarlo.Config {
	return montecarlo.Config{Quarters: c.quarters, Seed: c.seed, Workers: c.workers, MaxLeads: c.maxLeads}
}

// scenarioDescription loads a scenario for its description ("" when none).
func scenarioDescription(name string) string {
	if f, err := os.Open(name); err == nil {
		defer f.Close()
		if sc, err := model.ParseScenario(f); err == nil {
			return sc.Description
		}
		return ""
	}
	if sc, err := model.EmbeddedScenario(name); err == nil {
		return sc.Description
	}
	return ""
}

func compareCmd(ctx context.Context, e *env, args []string) error {
	var cfg runFlags
	var shardFlag string
	fs := newFlags(e, "compare", compareUsage)
	cfg.register(fs, 2000, filepath.Join("out", "compare"))
	registerShard(fs, &shardFlag)
	names, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	shard, err := parseShard(shardFlag)
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	if cfg.quarters < 2 {
		return fmt.Errorf("compare: --quarters %d: want at least 2 (intervals need a spread)", cfg.quarters)
	}
	if len(names) == 0 {
		names = model.Scenarios()
	}
	if len(names) == 1 {
		return fmt.Errorf("compare: want a base scenario and at least one what-if, got only %q", names[0])
	}
	type sim struct {
		name string
		m    *model.Model
		res  *montecarlo.Results
	}
	var sims []sim
	for _, n := range names {
		m, scen, err := loadModel(cfg.model, n)
		if err != nil {
			return err
		}
		sims = append(sims, sim{name: scen, m: m})
	}
	dir, err := outdir.Begin(ctx, cfg.out)
	if err != nil {
		return fmt.Errorf("compare: --out: %w", err)
	}
	defer dir.Abort()
	var ms []*model.Model
	for _, s := range sims {
		ms = append(ms, s.m)
	}
	results, err := simulateAll(ctx, e, ms, shard.config(cfg.config()), cfg.quiet)
	if err != nil {
		return err
	}
	if shard != nil {
		return writeShard(e, dir, "compare", args, shard, cfg.config(), ms, results)
	}
	for i := range sims {
		sims[i].res = results[i]
	}
	base := sims[0]
	out := whatif.CompareResult{SchemaVersion: whatif.SchemaVersion, Model: base.m.Name, ModelHash: base.m.Hash(), Base: base.name, Quarters: cfg.quarters, Seed: cfg.seed, Currency: base.m.Currency,
		Note: "paired: mean ± 1.96·sd/√n of per-quarter differences (same seed: common random numbers); unpaired: ± 1.96·√(sd_base² + sd_whatif²)/√n"}
	rows := [][]string{render.CompareHeader}
	var effects []render.Effect
	all := make([][]whatif.Diff, len(sims))
	bounded := false // some interval is an exact bound (whatif.BoundIndicator)
	for i, s := range sims[1:] {
		diffs := whatif.Compare(base.m, base.res, s.m, s.res)
		for j := range diffs {
			if whatif.BoundIndicator(&diffs[j]) {
				bounded = true
			}
		}
		all[i+1] = diffs
		wj := whatif.WhatIfResult{Name: s.name, Description: scenarioDescription(names[i+1])}
		rows = append(rows, render.CompareRows(s.name, diffs)...)
		for _, d := range diffs {
			wj.Diffs = append(wj.Diffs, whatif.NewDiffResult(d))
			if d.Metric == "revenue" {
				effects = append(effects, render.Effect{Name: s.name, Delta: d.Delta, Lo: d.Delta - d.HalfPaired, Hi: d.Delta + d.HalfPaired})
			}
		}
		out.WhatIfs = append(out.WhatIfs, wj)
	}
	var book csvBook
	if err := book.writeCSV(dir, "compare.csv", rows); err != nil {
		return err
	}
	if err := book.write(dir, "compare.xlsx", base.m.Currency); err != nil {
		return err
	}
	period, note := quarterOf(base.m)
	out.Period = period
	if err := writeJSON(dir, "compare.json", out); err != nil {
		return err
	}
	sub := fmt.Sprintf("Mean revenue a quarter vs %s · whiskers: paired 95%% interval · %s simulated quarters each, seed %d · ~ grey: not significant",
		base.name, render.Count(float64(cfg.quarters)), cfg.seed)
	if err := saveCharts(dir, map[string]*plot.Plot{"tornado": render.Tornado(effects, "Revenue effect a quarter", base.m.Currency, sub)}); err != nil {
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
	render.WriteCompareSummary(w, out, all[1:], bounded)
	fmt.Fprintf(w, "\nWrote %s: compare.csv, compare.json, tornado.png (and .svg).\n", cfg.out)
	return nil
}
