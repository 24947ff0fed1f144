package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/funnelsim/funnel/montecarlo/whatif"
)

func init() {
	register("sla", "sweep SDR response policies: headcount, hours, SLA targets, MQL threshold", slaCmd)
}

const slaUsage = `
Usage: sim sla [flags]

Sweeps response policies of the SDR team and reports what each does to
response times, SLA compliance, contacted and qualified MQLs, pipeline and
revenue. The levers:
  --headcount     SDRs working in parallel
  --hours         working-hours coverage: business (9-17 weekdays),
                  extended (8-20 weekdays), 24x7
  --threshold     MQL score threshold (0-100); see "Lead score" below
  --sla-minutes   first-touch targets to measure compliance against
                  (wall-clock minutes from MQL to first touch). Targets
                  change no behaviour: SDRs work first come, first served
                  whatever the promise, so every policy is measured
                  against every target in the same simulation.

One lever at a time: each policy changes one lever of the model as it is
(the base) and keeps the others, so its row reads as that lever's effect,
and every policy runs with the same seed (common random numbers: revenue
differences carry a paired 95% interval). --grid runs every combination of
--headcount, --hours and --threshold instead (it multiplies the runs).
Policies that change only the SDR team are simulated together: every lead
walks alike until it reaches the queue, so that part of each quarter is
simulated once for all of them (the results are those of separate runs).

Inverse question: --target-share 0.9 --within 5m finds the smallest
headcount for which at least 90% of a quarter's MQLs are first touched
within 5 minutes in at least --in-quarters (80%) of quarters, by doubling
the headcount and then bisecting, with the base's working hours or
--search-hours. It tries 256 SDRs first: a target that even they miss
(MQLs arriving off hours wait for the team to start) is unreachable, and
is reported as such at once.

Erlang C check: for each headcount it prints the M/M/c queue's P(wait > 0)
and mean wait beside the simulated ones, with λ = MQLs per working hour
and the mean handling time, and names the assumptions the model breaks.

Lead score: the model has no score. A threshold T is a transformation of
the model: engaged leads' scores are logistic (location 50, scale 10); the
model's rates are those of T = 60; raising T multiplies engaged -> MQL by
P(S >= T)/P(S >= 60) and MQL -> qualified by E[q(S)|S >= T]/E[q(S)|S >= 60],
with q(s) logistic in s (+15 points = e times the odds of qualifying).

It prints tables and writes to --out:
  sla.csv, sla.json   one row per policy, full precision
  sla.xlsx            sla.csv as a workbook, for spreadsheets
  moneycurve.png      revenue against median response time   (and .svg)
  compliance.png      first-touch compliance by headcount    (and .svg)

Examples:
  sim sla
  sim sla --headcount 4,6,8,12 --hours extended,24x7 --grid
  sim sla --target-share 0.9 --within 5m --search-hours 24x7
`

type slaConfig struct {
	runFlags
	headcounts  []int
	hours       []string
	slaMinutes  []float64
	thresholds  []float64
	grid        bool
	targetShare float64
	within      time.Duration
	inQuarters  float64
	searchHours string
}

func parseFloats(s string) ([]float64, error) {
	var out []float64
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f == "" {
			continue
		}
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// typedList returns xs as a user types them: comma-separated.
func typedList[T any](xs []T, format func(T) string) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = format(x)
	}
	return strings.Join(out, ",")
}

func shortFloat(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func slaCmd(ctx context.Context, e *env, args []string) error {
	var cfg slaConfig
	fs := newFlags(e, "sla", slaUsage)
	cfg.register(fs, 500, filepath.Join("out", "sla"))
	heads, mins, thresholds := []int{2, 4, 6, 8, 10}, []float64{5, 60, 240}, []float64{50, 60, 70}
	fs.IntSliceVar(&cfg.headcounts, "headcount", heads, "SDR `HEADCOUNTS` to try, comma-separated")
	fs.StringSliceVar(&cfg.hours, "hours", []string{"business", "extended", "24x7"}, "working-hours `COVERAGES` to try: business, extended, 24x7")
	fs.Float64SliceVar(&cfg.slaMinutes, "sla-minutes", mins, "first-touch targets to measure, wall-clock `MINUTES`")
	fs.Float64SliceVar(&cfg.thresholds, "threshold", thresholds, "MQL score `THRESHOLDS` to try (the model's rates are those of 60)")
	// Lists as they are typed, not as pflag prints them ([5.000000,...]).
	fs.Lookup("headcount").DefValue = typedList(heads, strconv.Itoa)
	fs.Lookup("hours").DefValue = strings.Join(cfg.hours, ",")
	fs.Lookup("sla-minutes").DefValue = typedList(mins, shortFloat)
	fs.Lookup("threshold").DefValue = typedList(thresholds, shortFloat)
	fs.BoolVar(&cfg.grid, "grid", false, "run every combination of headcount, hours and threshold instead of one lever at a time")
	fs.Float64Var(&cfg.targetShare, "target-share", 0, "inverse question: the share of MQLs to touch within --within (0: off)")
	fs.DurationVar(&cfg.within, "within", 5*time.Minute, "inverse question: the first-touch time, wall-clock")
	fs.Float64Var(&cfg.inQuarters, "in-quarters", 0.8, "inverse question: the share of quarters that must meet it")
	fs.StringVar(&cfg.searchHours, "search-hours", "", "inverse question: the coverage to search headcounts with (default: the model's)")
	var shardFlag string
	registerShard(fs, &shardFlag)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	shard, err := parseShard(shardFlag)
	if err != nil {
		return fmt.Errorf("sla: %w", err)
	}
	if shard != nil && cfg.targetShare > 0 {
		return errors.New("sla: --shard with --target-share: the headcount search simulates adaptively, each step chosen from the last, so it cannot be split; shard a fixed --headcount list instead")
	}
	if err := noArgs("sla", rest); err != nil {
		return err
	}
	if cfg.quarters < 2 {
		return fmt.Errorf("sla: --quarters %d: want at least 2", cfg.quarters)
	}
	base, _, err := loadModel(cfg.model, "")
	if err != nil {
		return err
	}
	if base.Handoff == nil {
		return fmt.Errorf("sla: %w", whatif.ErrNoHandoff)
	}
	var covs []whatif.Coverage
	for _, h := range cfg.hours {
		c, err := whatif.CoverageNamed(h)
		if err != nil {
			return fmt.Errorf("sla: --hours: %w", err)
		}
		covs = append(covs, c)
	}
	for _, h := range cfg.headcounts {
		if h < 1 {
			return fmt.Errorf("sla: --headcount %d: want at least 1", h)
		}
	}
	for _, x := range cfg.slaMinutes {
		if !(x > 0) {
			return fmt.Errorf("sla: --sla-minutes %v: want positive minutes", x)
		}
	}
	searchHours := base.Handoff.SDR.Hours
	if cfg.targetShare > 0 {
		if cfg.targetShare > 1 || !(cfg.inQuarters > 0 && cfg.inQuarters <= 1) || cfg.within <= 0 {
			return fmt.Errorf("sla: want --target-share and --in-quarters in (0,1] and a positive --within")
		}
		if cfg.searchHours != "" {
			c, err := whatif.CoverageNamed(cfg.searchHours)
			if err != nil {
				return fmt.Errorf("sla: --search-hours: %w", err)
			}
			searchHours = c.Hours
		}
	}
	dir, err := outdir.Begin(ctx, cfg.out)
	if err != nil {
		return fmt.Errorf("sla: --out: %w", err)
	}
	defer dir.Abort()
	design := whatif.PolicyDesign{Headcounts: cfg.headcounts, Coverages: covs, Thresholds: cfg.thresholds, Grid: cfg.grid,
		Score: whatif.DefaultScoreModel, TouchMinutes: cfg.slaMinutes}
	designed, err := whatif.DesignPolicies(base, design)
	if err != nil {
		return err
	}
	var ms []*model.Model
	for _, p := range designed {
		ms = append(ms, p.Model)
	}
	all, err := simulateAll(ctx, e, ms, shard.config(cfg.config()), cfg.quiet)
	if err != nil {
		return err
	}
	if shard != nil {
		return writeShard(e, dir, "sla", args, shard, cfg.config(), ms, all)
	}
	cols := whatif.ComplianceColumns(base, cfg.slaMinutes)
	slaNames := make([]string, len(cols))
	for i, c := range cols {
		slaNames[i] = render.SLAColumnName(c)
	}
	var pols []whatif.PolicyResult
	var effects []whatif.ThresholdEffect
	for i, p := range designed {
		r, comp := whatif.MeasurePolicy(p, montecarlo.NewReport(p.Model, all[i]), all[i], all[0], cols)
		r.Compliance = map[string]montecarlo.Float{}
		for j, n := range slaNames {
			r.Compliance[n] = montecarlo.Float(comp[j])
		}
		pols, effects = append(pols, r), append(effects, p.Effect)
	}

	var search *whatif.HeadcountSearchResult
	if cfg.targetShare > 0 {
		target := whatif.HeadcountTarget{Share: cfg.targetShare, WithinMinutes: cfg.within.Minutes(), InQuarters: cfg.inQuarters}
		search, err = whatif.SearchHeadcount(ctx, base, searchHours, target, func(ctx context.Context, m *model.Model) (*montecarlo.Results, error) {
			return simulate(ctx, e, m, cfg.config(), cfg.quiet)
		})
		if err != nil {
			return err
		}
	}

	// Files.
	doc := whatif.SLAResult{SchemaVersion: whatif.SchemaVersion, Model: base.Name, ModelHash: base.Hash(), Quarters: cfg.quarters, Seed: cfg.seed, Currency: base.Currency,
		Design:     map[bool]string{true: "grid", false: "one lever at a time around the base"}[cfg.grid],
		ScoreModel: whatif.DefaultScoreModel, ComplianceColumns: slaNames, ErlangCaveats: whatif.ErlangCaveats(base), Search: search, Policies: pols}
	var book csvBook
	if err := book.writeCSV(dir, "sla.csv", render.SLARows(doc)); err != nil {
		return err
	}
	if err := book.write(dir, "sla.xlsx", base.Currency); err != nil {
		return err
	}
	period, note := quarterOf(base)
	doc.Period = period
	if err := writeJSON(dir, "sla.json", doc); err != nil {
		return err
	}
	if err := saveCharts(dir, render.SLACharts(base, pols, cfg.slaMinutes)); err != nil {
		return err
	}
	if err := dir.Commit(); err != nil {
		return err
	}
	if cfg.json {
		return printJSON(e.stdout, doc)
	}
	writeQuarter(e.stdout, period, note)
	render.WriteSLAReport(e.stdout, base, doc, effects)
	fmt.Fprintf(e.stdout, "\nWrote %s: sla.csv, sla.json, moneycurve.png, compliance.png (and .svg).\n", cfg.out)
	return nil
}
