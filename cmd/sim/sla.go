package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/funnelsim/funnel/montecarlo/whatif"
	"gonum.org/v1/plot"
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

// policy is one simulated response policy: its JSON form (sla.json) and
// what its threshold does to the base.
type policy struct {
	whatif.PolicyResult
	eff whatif.ThresholdEffect
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
		slaNames[i] = columnName(c)
	}
	var pols []*policy
	for i, p := range designed {
		r, comp := whatif.MeasurePolicy(p, montecarlo.NewReport(p.Model, all[i]), all[i], all[0], cols)
		r.Compliance = map[string]montecarlo.Float{}
		for j, n := range slaNames {
			r.Compliance[n] = montecarlo.Float(comp[j])
		}
		pols = append(pols, &policy{PolicyResult: r, eff: p.Effect})
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
	rows := [][]string{append([]string{"policy", "lever", "headcount", "hours", "threshold", "response_p50_minutes", "response_p90_minutes",
		"mqls", "contacted", "qualified", "pipeline_created", "revenue", "revenue_delta_lo95", "revenue_delta_hi95", "revenue_per_sdr",
		"offered_erlangs", "erlang_c_p_wait", "sim_p_wait", "erlang_c_mean_wait_minutes", "sim_mean_wait_minutes"}, prefixed("compliance ", slaNames)...)}
	g := func(v montecarlo.Float) string { return csvNum(float64(v)) }
	for _, p := range pols {
		row := []string{p.Name, p.Lever, strconv.Itoa(p.Headcount), p.Hours, csvNum(p.Threshold),
			g(p.RespP50), g(p.RespP90), g(p.MQLs), g(p.Contacted), g(p.Qualified), g(p.Pipeline), g(p.Revenue), g(p.RevenueLo), g(p.RevenueHi), g(p.PerSDR),
			g(p.Offered), g(p.ErlangWait), g(p.SimWait), g(p.ErlangMean), g(p.SimMean)}
		for _, n := range slaNames {
			row = append(row, g(p.Compliance[n]))
		}
		rows = append(rows, row)
	}
	var book csvBook
	if err := book.writeCSV(dir, "sla.csv", rows); err != nil {
		return err
	}
	if err := book.write(dir, "sla.xlsx", base.Currency); err != nil {
		return err
	}
	doc := whatif.SLAResult{SchemaVersion: whatif.SchemaVersion, Model: base.Name, ModelHash: base.Hash(), Quarters: cfg.quarters, Seed: cfg.seed, Currency: base.Currency,
		Design:     map[bool]string{true: "grid", false: "one lever at a time around the base"}[cfg.grid],
		ScoreModel: whatif.DefaultScoreModel, ComplianceColumns: slaNames, ErlangCaveats: whatif.ErlangCaveats(base), Search: search}
	for _, p := range pols {
		doc.Policies = append(doc.Policies, p.PolicyResult)
	}
	if err := writeJSON(dir, "sla.json", doc); err != nil {
		return err
	}
	if err := saveCharts(dir, slaCharts(base, pols, cfg)); err != nil {
		return err
	}
	if err := dir.Commit(); err != nil {
		return err
	}
	if cfg.json {
		return printJSON(e.stdout, doc)
	}
	writeSLAReport(e.stdout, base, pols, slaNames, search, cfg)
	fmt.Fprintf(e.stdout, "\nWrote %s: sla.csv, sla.json, moneycurve.png, compliance.png (and .svg).\n", cfg.out)
	return nil
}

func prefixed(p string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p + x
	}
	return out
}

// columnName names a compliance column for people and in sla.json: a
// model's SLA by its name, a first-touch target by its time, "touch ≤ 5m".
func columnName(c whatif.ComplianceColumn) string {
	if c.SLA != "" {
		return c.SLA
	}
	return "touch ≤ " + render.Duration(c.TouchMinutes)
}

func slaCharts(base *model.Model, pols []*policy, cfg slaConfig) map[string]*plot.Plot {
	var ps []render.Policy
	for _, p := range pols {
		// A threshold moves revenue through MQL volume more than through
		// response time: the chart draws it apart.
		ps = append(ps, render.Policy{Name: p.Name, Minutes: float64(p.RespP50), Revenue: float64(p.Revenue),
			RevLo: float64(pols[0].Revenue + p.RevenueLo), RevHi: float64(pols[0].Revenue + p.RevenueHi), Base: p.Lever == "base",
			Volume: p.Threshold != whatif.DefaultScoreModel.Base})
	}
	// Compliance by headcount against the model's first-touch SLA, or the
	// first target.
	slaName, target, label := "", 0.0, ""
	for _, s := range base.SLAs {
		if s.From == base.Handoff.Stage && len(s.To) == 0 {
			slaName, target = s.Name, s.Target
			label = "first touch within " + render.Duration(s.Hours*60)
			if s.Business {
				label += " (business)"
			}
			break
		}
	}
	if slaName == "" && len(cfg.slaMinutes) > 0 {
		first := slices.Min(cfg.slaMinutes)
		slaName = columnName(whatif.ComplianceColumn{TouchMinutes: first})
		label = "first touch within " + render.Duration(first)
	}
	byHours := map[string]*render.Series{}
	var order []string
	for _, p := range pols {
		// Every working-hours coverage tried: a coverage tried at the
		// base headcount alone is a single point.
		if p.Threshold != whatif.DefaultScoreModel.Base || (p.Lever != "base" && p.Lever != "headcount" && p.Lever != "hours" && p.Lever != "grid") {
			continue
		}
		s, ok := byHours[p.Hours]
		if !ok {
			s = &render.Series{Name: p.Hours}
			byHours[p.Hours] = s
			order = append(order, p.Hours)
		}
		s.X = append(s.X, float64(p.Headcount))
		s.Y = append(s.Y, float64(p.Compliance[slaName]))
	}
	var series []render.Series
	for _, h := range order {
		s := byHours[h]
		idx := make([]int, len(s.X))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return int(s.X[a] - s.X[b]) })
		var x, y []float64
		for _, i := range idx {
			x, y = append(x, s.X[i]), append(y, s.Y[i])
		}
		series = append(series, render.Series{Name: s.Name + " hours", X: x, Y: y})
	}
	return map[string]*plot.Plot{
		"moneycurve": render.MoneyCurve(ps, base.Currency),
		"compliance": render.ComplianceByHeadcount(series, target, label),
	}
}

func writeSLAReport(w io.Writer, base *model.Model, pols []*policy, names []string, search *whatif.HeadcountSearchResult, cfg slaConfig) {
	cur := base.Currency
	design := "one lever at a time around the base"
	if cfg.grid {
		design = "every combination of the levers"
	}
	fmt.Fprintf(w, "Response policies for %s: %s simulated quarters each, seed %d, %s\n", base.Name, render.Count(float64(cfg.quarters)), cfg.seed, design)
	fmt.Fprintf(w, "Base: %s, %s hours, MQL threshold %g\n\n", whatif.SDRs(base.Handoff.SDR.Headcount), whatif.CoverageName(base.Handoff.SDR.Hours), whatif.DefaultScoreModel.Base)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  policy\tresponse P50\tP90\tMQLs\tcontacted\tqualified\tpipeline\trevenue\tvs base (95%%)\tper SDR\t\n")
	for _, p := range pols {
		vs := ""
		if p.Lever != "base" {
			d := (p.RevenueLo + p.RevenueHi) / 2
			vs = render.SignedValue(float64(d), whatif.Money, cur) + " ± " + render.Money(float64(p.RevenueHi-d), cur)
			if p.RevenueLo <= 0 && p.RevenueHi >= 0 {
				vs = "~ " + vs
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", p.Name, render.Duration(float64(p.RespP50)), render.Duration(float64(p.RespP90)),
			render.Count(float64(p.MQLs)), render.Count(float64(p.Contacted)), render.Count(float64(p.Qualified)),
			render.Money(float64(p.Pipeline), cur), render.Money(float64(p.Revenue), cur), vs, render.Money(float64(p.PerSDR), cur))
	}
	tw.Flush()
	fmt.Fprintf(w, "(response times: median over quarters of each quarter's P50 and P90; volumes and money: mean a quarter)\n")

	fmt.Fprintf(w, "\nSLA compliance (share of leads meeting it, all quarters)\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  policy\t%s\t\n", strings.Join(names, "\t"))
	for _, p := range pols {
		var cells []string
		for _, n := range names {
			cells = append(cells, render.Percent(float64(p.Compliance[n])))
		}
		fmt.Fprintf(tw, "  %s\t%s\t\n", p.Name, strings.Join(cells, "\t"))
	}
	tw.Flush()
	fmt.Fprintf(w, "(touch ≤ X: wall-clock time from MQL to first touch; the model's SLAs as defined in it)\n")

	var thr []*policy
	for _, p := range pols {
		if p.eff.Threshold != 0 {
			thr = append(thr, p)
		}
	}
	if len(thr) > 0 {
		fmt.Fprintf(w, "\nMQL threshold (score model: logistic scores, location %g, scale %g; rates measured at %g)\n",
			whatif.DefaultScoreModel.Location, whatif.DefaultScoreModel.Scale, whatif.DefaultScoreModel.Base)
		for _, p := range thr {
			e := p.eff
			fmt.Fprintf(w, "  threshold %g: volume ×%.3f (into %s %s → %s), quality ×%.3f (qualify %s → %s)\n", e.Threshold, e.Volume,
				base.Handoff.Stage, render.Percent(e.IntoP0), render.Percent(e.IntoP), e.Quality, render.Percent(e.QualifyP0), render.Percent(e.QualifyP))
		}
	}

	fmt.Fprintf(w, "\nErlang C (M/M/c) against the simulated queue, by headcount\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  policy\tSDRs\toffered\tload\tP(wait) Erlang\tsimulated\tmean wait Erlang\tsimulated\t\n")
	for _, p := range pols {
		if p.Threshold != whatif.DefaultScoreModel.Base {
			continue
		}
		fmt.Fprintf(tw, "  %s\t%d\t%.2f E\t%s\t%s\t%s\t%s\t%s\t\n", p.Name, p.Headcount, float64(p.Offered),
			render.Percent(float64(p.Offered)/float64(p.Headcount)), render.Percent(float64(p.ErlangWait)), render.Percent(float64(p.SimWait)),
			render.Duration(float64(p.ErlangMean)), render.Duration(float64(p.SimMean)))
	}
	tw.Flush()
	fmt.Fprintf(w, "(offered load a = λ·mean handle, λ = MQLs per working hour of the team; simulated mean wait over the first quarter of %d runs)\n", min(cfg.quarters, montecarlo.RespSampleRuns))
	if cv := whatif.ErlangCaveats(base); len(cv) > 0 {
		fmt.Fprintf(w, "Erlang C does not hold for this model, so expect the columns to differ:\n")
		for _, c := range cv {
			fmt.Fprintf(w, "  - %s\n", c)
		}
		fmt.Fprintf(w, "  - MQLs are leads that arrived earlier and moved on after a delay, some recycled: not a Poisson stream\n")
	}
	if search != nil {
		fmt.Fprintf(w, "\nSmallest headcount with %s of MQLs touched within %s in at least %s of quarters (%s hours):\n",
			render.Percent(search.TargetShare), render.Duration(search.WithinMin), render.Percent(search.InQuarters), search.Hours)
		if search.Headcount == 0 {
			fmt.Fprintf(w, "  not reachable with up to %s", whatif.SDRs(search.MaxTried))
			if search.Hours != "24x7" {
				fmt.Fprintf(w, ": MQLs arriving off hours wait for the team to start; try --search-hours 24x7")
			}
			fmt.Fprintln(w)
		} else {
			fmt.Fprintf(w, "  %s\n", whatif.SDRs(search.Headcount))
		}
		for _, t := range search.Tried {
			noun := "SDRs:"
			if t.Headcount == 1 {
				noun = "SDR:"
			}
			fmt.Fprintf(w, "  %4d %-5s %s of quarters meet it (mean compliance %s)\n", t.Headcount, noun, render.Percent(t.Share), render.Percent(t.Mean))
		}
	}
}
