package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/cmd/sim/internal/report"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"gonum.org/v1/plot"
)

func init() {
	register("forecast", "simulate quarters of a funnel model and report revenue, coverage and SLAs", forecastCmd)
}

const forecastUsage = `
Usage: sim forecast [--model FILE] [--scenario FILE|NAME] [flags]

Simulates --quarters independent quarters of the funnel, lead by lead:
arrivals, stage transitions and their delays, the SDR queue that sets
response times, contact rates that decay with those response times, and
deals that close inside the quarter or stay open. Each quarter opens on
the funnel's steady state (the leads and deals in flight, drawn from their
law, computed once from the model), so the quarter opens with a realistic
pipeline, or on the model's start: state, as calibration writes it. A
funnel without an SDR queue is drawn exactly from Poisson counts of its
leads by path instead of lead by lead: the same law, much faster.

It prints a summary and writes to --out:
  summary.json    the numbers below, for programs (documented in README)
  quarters.csv    one row per simulated quarter
  forecast.xlsx   the CSV files as one workbook, a sheet each (numbers
                  as numbers, money, percent and ratio formats)
  revenue.png     revenue distribution with the quota line   (and .svg)
  funnel.png      mean volume per stage with conversion rates, each bar
                  split into entries from the previous stage and from
                  elsewhere                                   (and .svg)
  coverage.png    pipeline coverage with the 3x and 4x rules, or without
                  a quota the open pipeline in currency      (and .svg)
  sla.png         SLA compliance per handoff                  (and .svg)
  response.png    MQL response times (wall clock; bars from a sample of
                  quarters) and the share meeting the first-touch SLA,
                  with its line (a bound when it counts business hours)
                                                              (and .svg)
  waterfall.png   the pipeline's movement in the quarter: open at start,
                  created, won, lost, open at end (slipped or new) (and .svg)
  breakdown.png   revenue and pipeline created by source     (and .svg)
  horizon.png     with --horizon: revenue by quarter          (and .svg)
  pipeline_movement.csv, breakdown.csv   the waterfall, and revenue,
                  deals and pipeline created by source, segment and team
  report.md       the summary and the charts, for a wiki or a deck

The quarter: the forecast names the fiscal quarter it simulates
("Q1 FY2027, Jan 1 - Mar 31, 2027") from the model's fiscal_year_start
(month; default January) and forecast_start (the quarter's first day;
calibration sets it to the export's as-of date), or --start. A model
without either forecasts the next fiscal quarter from today, and says so.
A simulated quarter is 13 weeks (91 days); a calendar quarter's 90 to 92
days are named by their dates. A start that is not the first day of a
fiscal quarter names 13-week windows by their dates.

Definitions:
  revenue        amount of deals closed-won inside the quarter
  coverage       open pipeline at the start of the quarter / quota
  P(hit quota)   share of simulated quarters with revenue >= quota
  MQL response   a quarter's median (P90) time to first touch, mean over quarters
  SLA compliance a quarter's leads meeting the SLA / its leads entering the
                 SLA's from-stage, mean over quarters

Examples:
  sim forecast
  sim forecast --scenario respond-24x7 --quarters 20000 --seed 7
  sim forecast --model my.yaml --out qbr/ --json > summary.json
`

type forecastConfig struct {
	runFlags
	scenario string
	horizon  int
	params   string
	shard    string
	start    string
}

func forecastCmd(ctx context.Context, e *env, args []string) error {
	var cfg forecastConfig
	fs := newFlags(e, "forecast", forecastUsage)
	cfg.register(fs, 10000, "out")
	fs.StringVar(&cfg.scenario, "scenario", "", "scenario `FILE`, or the name of an embedded one: "+strings.Join(model.Scenarios(), ", "))
	fs.IntVar(&cfg.horizon, "horizon", 1, "consecutive quarters per run, pipeline carried over")
	fs.StringVar(&cfg.start, "start", "", "first `DATE` (YYYY-MM-DD) of the forecast quarter; default: the model's forecast_start, else the next fiscal quarter from today")
	fs.StringVar(&cfg.params, "params", "auto", "parameter uncertainty: drawn (each quarter draws rates from their posteriors), fixed, or auto (drawn when the model has observation counts, as calibrated models do)")
	registerShard(fs, &cfg.shard)
	rest, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	shard, err := parseShard(cfg.shard)
	if err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	if err := noArgs("forecast", rest); err != nil {
		return err
	}
	if cfg.quarters < 1 {
		return fmt.Errorf("forecast: --quarters %d: want at least 1", cfg.quarters)
	}
	if cfg.horizon < 1 || cfg.horizon > 40 {
		return fmt.Errorf("forecast: --horizon %d: want 1 to 40 quarters", cfg.horizon)
	}
	m, scen, err := loadModel(cfg.model, cfg.scenario)
	if err != nil {
		return err
	}
	periods, note, err := forecastCalendar(m, cfg.start, cfg.horizon)
	if err != nil {
		return fmt.Errorf("forecast: %w", err)
	}
	out, err := outdir.Begin(ctx, cfg.out)
	if err != nil {
		return fmt.Errorf("forecast: --out: %w", err)
	}
	defer out.Abort()
	var draw bool
	switch cfg.params {
	case "auto":
		draw = m.Uncertain()
	case "drawn":
		draw = true
	case "fixed":
	default:
		return fmt.Errorf("forecast: --params %q: want auto, drawn or fixed", cfg.params)
	}
	mc := cfg.config()
	mc.Horizon, mc.DrawParams = cfg.horizon, draw
	res, err := simulate(ctx, e, m, shard.config(mc), cfg.quiet)
	if err != nil {
		return err
	}
	if shard != nil {
		return writeShard(e, out, "forecast", args, shard, mc, []*model.Model{m}, []*montecarlo.Results{res})
	}
	rep := montecarlo.NewReport(m, res)
	rep.Scenario = scen
	rep.ParamsDrawn = draw && m.Uncertain()
	setCalendar(rep, m, periods)
	rep.CalendarNote = note
	if err := writeForecast(out, m, res, rep); err != nil {
		return err
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if cfg.json {
		return printJSON(e.stdout, rep)
	}
	writeSummary(e.stdout, m, rep)
	fmt.Fprintf(e.stdout, "\nWrote %s: summary.json, quarters.csv, pipeline_movement.csv, breakdown.csv, forecast.xlsx, report.md and charts (PNG, SVG).\n", cfg.out)
	return nil
}

// simulate runs the engine with a progress bar on stderr when it is a
// terminal.
func simulate(ctx context.Context, e *env, m *model.Model, cfg montecarlo.Config, quiet bool) (*montecarlo.Results, error) {
	res, err := simulateAll(ctx, e, []*model.Model{m}, cfg, quiet)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// simulateAll is simulate for several models with the same configuration,
// through montecarlo.RunSweep (which runs one model as montecarlo.Run
// does): the models that differ only in their SDR queue share the
// simulation of what comes before it.
func simulateAll(ctx context.Context, e *env, ms []*model.Model, cfg montecarlo.Config, quiet bool) ([]*montecarlo.Results, error) {
	if e.replay != nil {
		return e.replay.take(ms, cfg)
	}
	bar := newProgress(e.stderr, len(ms)*cfg.Quarters, quiet)
	cfg.Progress = bar.update
	start := time.Now()
	res, err := montecarlo.RunSweep(ctx, ms, cfg)
	if err != nil {
		bar.done(0, 0, "")
		if ctx.Err() != nil {
			return nil, fmt.Errorf("interrupted; nothing written")
		}
		var se *montecarlo.SizeError
		if errors.As(err, &se) && se.Field == "MaxLeads" {
			return nil, fmt.Errorf("%d quarters (horizon %d) of this model would simulate about %.3g leads, over the limit of %.3g: simulate fewer --quarters, or raise the limit with --max-leads %.3g",
				se.Quarters, se.Horizon, se.Size, se.Limit, 1.01*se.Size)
		}
		return nil, err
	}
	leads := int64(0)
	for _, r := range res {
		leads += r.Leads
	}
	what := fmt.Sprintf("%d quarters", cfg.Quarters)
	if len(ms) > 1 {
		what = fmt.Sprintf("%d scenarios × %d quarters", len(ms), cfg.Quarters)
	}
	bar.done(time.Since(start), leads, what)
	return res, nil
}

// writeForecast writes the forecast's files to d.
func writeForecast(d *outdir.Dir, m *model.Model, res *montecarlo.Results, rep *montecarlo.Report) error {
	if err := writeJSON(d, "summary.json", rep); err != nil {
		return err
	}
	var book csvBook // forecast.xlsx: the CSV files as sheets
	if err := book.writeCSV(d, "quarters.csv", quarterRows(m, res, rep)); err != nil {
		return err
	}
	if err := book.writeCSV(d, "pipeline_movement.csv", movementRows(rep)); err != nil {
		return err
	}
	if err := book.writeCSV(d, "breakdown.csv", breakdownRows(rep)); err != nil {
		return err
	}
	if err := book.write(d, "forecast.xlsx", m.Currency); err != nil {
		return err
	}
	if err := saveCharts(d, forecastCharts(m, res, rep)); err != nil {
		return err
	}
	return d.WriteFile("report.md", []byte(reportMarkdown(m, rep)))
}

func forecastCharts(m *model.Model, res *montecarlo.Results, rep *montecarlo.Report) map[string]*plot.Plot {
	charts := map[string]*plot.Plot{}
	charts["revenue"] = render.RevenueHistogram(res.Period(res.Revenue, 0), m.Quota, m.Currency)

	charts["funnel"] = funnelChart(rep)
	if m.Quota > 0 {
		charts["coverage"] = render.CoverageHistogram(res.Period(res.Coverage, 0), float64(rep.CoverageNeeded))
	} else {
		charts["coverage"] = render.PipelineHistogram(res.Period(res.OpenPipeline, 0), m.Currency)
	}

	var slaNames []string
	var comp, targets []float64
	for _, s := range rep.SLA {
		slaNames = append(slaNames, slaCategory(s))
		comp = append(comp, float64(s.PerQuarter.Mean)) // as the summary and compare give it
		t := s.Target
		if t == 0 {
			t = math.NaN()
		}
		targets = append(targets, t)
	}
	if len(slaNames) > 0 {
		charts["sla"] = render.SLACompliance(slaNames, comp, targets)
	}
	if m.Handoff != nil {
		var sample []float64
		for _, v := range res.RespSample {
			sample = append(sample, v...)
		}
		// The figures are the summary's: a quarter's, averaged over all the
		// quarters; the bars are the sample the engine keeps.
		f := render.ResponseForecast{Median: float64(rep.ResponseP50.Mean), P90: float64(rep.ResponseP90.Mean),
			Quarters: rep.Quarters, SampleQuarters: len(res.RespSample), MQLs: float64(rep.MQLs.Mean) * float64(rep.Quarters),
			Compliance: math.NaN()}
		for i, s := range m.SLAs { // the first-touch SLA
			if s.From == m.Handoff.Stage && len(s.To) == 0 {
				f.SLA, f.Business, f.Compliance = s.Hours*60, s.Business, float64(rep.SLA[i].PerQuarter.Mean)
				break
			}
		}
		charts["response"] = render.ResponseSample(sample, f)
	}
	if p := movementChart(rep); p != nil {
		charts["waterfall"] = p
	}
	if p := breakdownChart(m, rep); p != nil {
		charts["breakdown"] = p
	}
	// Each chart of the first quarter names it.
	if name := periodName(rep); name != "" {
		for _, c := range []string{"revenue", "funnel", "coverage", "sla", "response"} {
			if p := charts[c]; p != nil {
				render.PrefixTitle(p, name+": ")
			}
		}
	}
	if p := horizonChart(m, rep); p != nil {
		charts["horizon"] = p
	}
	return charts
}

// quarterRows returns quarters.csv: a header and one row per simulated
// quarter, with full precision.
func quarterRows(m *model.Model, r *montecarlo.Results, rep *montecarlo.Report) [][]string {
	head := []string{"run", "quarter", "revenue", "deals_won", "open_pipeline", "open_deals", "coverage",
		"marketing_opps", "marketing_value", "sales_opps", "sales_value", "mqls", "contacted",
		"response_p50_minutes", "response_p90_minutes"}
	for _, s := range m.Stages {
		head = append(head, "entries_"+s.Name)
	}
	for _, s := range m.SLAs {
		head = append(head, "sla_"+s.Name+"_met", "sla_"+s.Name+"_leads")
	}
	head = append(head, "period", "lost_value", "closing_pipeline", "slipped_value")
	rows := [][]string{head}
	f := csvNum
	S, L := len(m.Stages), len(m.SLAs)
	for i := range r.Quarters * r.Horizon {
		row := []string{strconv.Itoa(i / r.Horizon), strconv.Itoa(i%r.Horizon + 1)}
		for _, x := range [][]float64{r.Revenue, r.Won, r.OpenPipeline, r.OpenDeals, r.Coverage, r.MktCreated, r.MktValue,
			r.SalesCreated, r.SalesValue, r.MQLs, r.Contacted, r.RespP50, r.RespP90} {
			row = append(row, f(x[i]))
		}
		for s := range S {
			row = append(row, f(r.Entries[i*S+s]))
		}
		for a := range L {
			row = append(row, f(r.SLAMet[i*L+a]), f(r.SLAN[i*L+a]))
		}
		period := ""
		if k := i % r.Horizon; k < len(rep.Periods) {
			period = rep.Periods[k].Name
		}
		row = append(row, period, f(r.LostValue[i]), f(r.ClosingPipeline[i]), f(r.SlippedValue[i]))
		rows = append(rows, row)
	}
	return rows
}

// writeSummary prints the forecast for people.
func writeSummary(w io.Writer, m *model.Model, rep *montecarlo.Report) {
	cur := m.Currency
	money := func(v montecarlo.Float) string { return render.Money(float64(v), cur) }
	name := m.Name
	if rep.Scenario != "" {
		name += ", scenario " + rep.Scenario
	}
	switch {
	case rep.Period == nil:
		fmt.Fprintf(w, "Forecast for %s: %s simulated quarters, seed %d\n\n", name, render.Count(float64(rep.Quarters)), rep.Seed)
	case rep.Horizon > 1:
		fmt.Fprintf(w, "Forecast for %s: %s (%d quarters), %s simulated runs, seed %d\n", name, span(rep, rep.Horizon), rep.Horizon, render.Count(float64(rep.Quarters)), rep.Seed)
		fmt.Fprintf(w, "The figures below are for %s; each quarter's revenue and the year's total follow them.\n\n", rep.Period.Label)
	default:
		fmt.Fprintf(w, "Forecast for %s: %s; %s simulated quarters, seed %d\n\n", name, rep.Period.Label, render.Count(float64(rep.Quarters)), rep.Seed)
	}
	if rep.CalendarNote != "" {
		fmt.Fprintf(w, "%s\n\n", rep.CalendarNote)
	}
	writeNotFitted(w, rep.NotFitted)
	line := func(label, format string, a ...any) {
		fmt.Fprintf(w, "%-18s%s\n", label, fmt.Sprintf(format, a...))
	}
	r := rep.Revenue
	line("Revenue", "%s mean (± %s), P10 %s, P50 %s, P90 %s", money(r.Mean), money(2*r.SE), money(r.P10), money(r.P50), money(r.P90))
	if m.Quota > 0 {
		if b, ok := boundedShare(float64(rep.ProbHitQuota), rep.Quarters); ok {
			did := "all " + render.Count(float64(rep.Quarters))
			if rep.ProbHitQuota == 0 {
				did = "none of " + render.Count(float64(rep.Quarters))
			}
			line("Chance of quota", "%s of quarters reach the %s quota (%s simulated quarters did; exact 95%% bound)",
				b, render.Money(m.Quota, cur), did)
		} else {
			line("Chance of quota", "%s (± %s) of quarters reach the %s quota", render.Percent(float64(rep.ProbHitQuota)),
				render.Percent(2*float64(rep.ProbHitQuotaSE)), render.Money(m.Quota, cur))
		}
		c := rep.Coverage
		line("Coverage", "%s median (P10 %s, P90 %s); this funnel needs %s for an 80%% chance (rules of thumb: 3x-4x)",
			render.Ratio(float64(c.P50)), render.Ratio(float64(c.P10)), render.Ratio(float64(c.P90)), render.Ratio(float64(rep.CoverageNeeded)))
	} else {
		line("Quota", "none in the model: set quota: (a quarter's revenue target) for the chance of making it and pipeline coverage")
	}
	line("Open pipeline", "%s median at quarter start, %s deals", money(rep.OpenPipeline.P50), render.Count(float64(rep.OpenDeals.P50)))
	line("Deals won", "%s mean (P10 %s, P90 %s)", render.Count(float64(rep.DealsWon.Mean)), render.Count(float64(rep.DealsWon.P10)), render.Count(float64(rep.DealsWon.P90)))
	pc := rep.PipelineCreated
	line("Pipeline created", "%s mean: marketing %s, sales %s (marketing share %s)", money(pc.MarketingValue.Mean+pc.SalesValue.Mean),
		money(pc.MarketingValue.Mean), money(pc.SalesValue.Mean), render.Percent(float64(pc.MarketingShare)))
	if m.Handoff != nil {
		line("MQL response", "median %s, P90 %s (a quarter's, mean over quarters); %s of %s MQLs a quarter contacted",
			render.Duration(float64(rep.ResponseP50.Mean)), render.Duration(float64(rep.ResponseP90.Mean)),
			render.Percent(float64(rep.ContactRate)), render.Count(float64(rep.MQLs.Mean)))
	}

	fmt.Fprintf(w, "\nFunnel, mean per quarter\n")
	fmt.Fprintf(w, "  %-14s %-10s %10s %11s\n", "stage", "team", "entries", "conversion")
	for _, s := range rep.Stages {
		conv := ""
		if !math.IsNaN(float64(s.Conversion)) {
			conv = render.Percent(float64(s.Conversion))
		}
		fmt.Fprintf(w, "  %-14s %-10s %10s %11s\n", s.Name, s.Team, render.Count(float64(s.MeanEntries)), conv)
	}
	fmt.Fprintf(w, "(conversion: leads moving from the previous stage on the way to a win / that stage's entries)\n")

	if len(rep.SLA) > 0 {
		fmt.Fprintf(w, "\nSLA compliance\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  handoff\twithin\tcompliance\ttarget\tquarters meeting target\t\n")
		for _, s := range rep.SLA {
			within := render.Duration(s.Hours * 60)
			if s.Business {
				within += " (business)"
			}
			target, meet := "-", "-"
			if s.Target > 0 {
				target = render.Percent(s.Target)
				meet = render.Percent(float64(s.ProbMeetsTarget))
				if b, ok := boundedShare(float64(s.ProbMeetsTarget), rep.Quarters); ok {
					meet = b
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t\n", s.Name, within, render.Percent(float64(s.PerQuarter.Mean)), target, meet)
		}
		tw.Flush()
		fmt.Fprintf(w, "(compliance: a quarter's leads meeting the SLA / its leads entering the from-stage, mean over quarters)\n")
	}
	writeMovement(w, m, rep)
	if len(rep.PerQuarter) > 1 {
		fmt.Fprintf(w, "\nRevenue by quarter of the horizon\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for k, s := range rep.PerQuarter {
			q := fmt.Sprintf("Q%d", k+1)
			if k < len(rep.Periods) {
				q = rep.Periods[k].Label
			}
			fmt.Fprintf(tw, "%s\tP10 %s\tP50 %s\tP90 %s", q, money(s.P10), money(s.P50), money(s.P90))
			if k < len(rep.QuotaByQuarter) {
				fmt.Fprintf(tw, "\tquota in %s of runs", chanceText(rep.QuotaByQuarter[k]))
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		if c := rep.QuotaEveryQuarter; c != nil {
			fmt.Fprintf(w, "Quota in every one of the %d quarters: %s of runs\n", len(rep.PerQuarter), chanceText(*c))
		}
		if t := rep.RevenueTotal; t != nil {
			what := "Year"
			if t.Quarters < 4 {
				what = "Total"
			}
			fmt.Fprintf(w, "%s (%s, %d quarters): %s mean, P10 %s, P50 %s, P90 %s", what, span(rep, t.Quarters), t.Quarters,
				money(t.Revenue.Mean), money(t.Revenue.P10), money(t.Revenue.P50), money(t.Revenue.P90))
			if c := t.QuotaChance; c != nil {
				fmt.Fprintf(w, "; %s (%d quotas) in %s of runs", render.Money(float64(t.Quarters)*m.Quota, cur), t.Quarters, chanceText(*c))
			}
			fmt.Fprintln(w)
		}
	}
}

// boundedShare formats p, a share of n simulated quarters, for people when
// it is 0 or 1. There the binomial standard error is 0, and "100.0% (±
// 0.0%)" would claim a certainty that n quarters cannot give, so it
// returns the end of the exact 95% interval (montecarlo.ClopperPearson)
// rounded outwards to a tenth of a point, "≥ 98.7%" (all of 300) or
// "≤ 1.3%" (none of 300), and true. Otherwise it returns "", false.
func boundedShare(p float64, n int) (string, bool) {
	if n < 1 || (p != 0 && p != 1) {
		return "", false
	}
	if p == 1 {
		lo, _ := montecarlo.ClopperPearson(n, n, 0.95)
		return "≥ " + render.Percent(math.Floor(lo*1000+1e-9)/1000), true
	}
	_, hi := montecarlo.ClopperPearson(0, n, 0.95)
	return "≤ " + render.Percent(math.Ceil(hi*1000-1e-9)/1000), true
}

// chanceText formats c for people as the summary's chance of quota is:
// its share ± two binomial standard errors, "64.3% (± 5.5%)", or its exact
// bound at 0 or 1 (see boundedShare).
func chanceText(c montecarlo.Chance) string {
	if b, ok := boundedShare(float64(c.P), c.N); ok {
		return b
	}
	p := float64(c.P)
	return fmt.Sprintf("%s (± %s)", render.Percent(p), render.Percent(2*math.Sqrt(p*(1-p)/float64(c.N))))
}

// reportMarkdown returns report.md: the summary, the charts and the
// definitions, so the numbers can be reproduced.
func reportMarkdown(m *model.Model, rep *montecarlo.Report) string {
	var b strings.Builder
	title := m.Name
	if rep.Scenario != "" {
		title += " / " + rep.Scenario
	}
	if rep.Period != nil {
		title += ", " + rep.Period.Label
	}
	fmt.Fprintf(&b, "# Revenue forecast: %s\n\n", mdText(title))
	fmt.Fprintf(&b, "%s simulated quarters, seed %d, model hash `%s`.\n", render.Count(float64(rep.Quarters)), rep.Seed, rep.ModelHash[:16])
	fmt.Fprintf(&b, "Reproduce with `sim forecast --seed %d --quarters %d` on the same model.\n\n", rep.Seed, rep.Quarters)
	var sum strings.Builder
	writeSummary(&sum, m, rep)
	fence := report.Fence(sum.String())
	fmt.Fprintf(&b, "%s\n%s%s\n\n", fence, sum.String(), fence)
	for _, c := range []struct{ file, caption string }{
		{"revenue", "Revenue distribution against quota"},
		{"coverage", "Pipeline coverage at the start of the quarter"},
		{"funnel", "Funnel volume and conversion"},
		{"sla", "SLA compliance"},
		{"response", "MQL response times"},
		{"waterfall", "Pipeline movement in the quarter"},
		{"breakdown", "Revenue and pipeline created by source"},
		{"horizon", "Revenue over the horizon"},
	} {
		if c.file == "horizon" && rep.Horizon < 2 {
			continue
		}
		fmt.Fprintf(&b, "## %s\n\n![%s](%s.png)\n\n", c.caption, c.caption, c.file)
	}
	b.WriteString(`## Definitions

- **Revenue**: the amount of deals closed-won inside the quarter.
- **P(hit quota)**: the share of simulated quarters with revenue at or above quota (± two binomial standard errors; when none or all of the quarters reach quota, that error is 0, and the exact Clopper–Pearson 95% bound is shown instead, as "≤" or "≥").
- **Coverage**: open pipeline value at the start of the quarter / quota.
- **Coverage needed**: the 80th percentile over quarters of open pipeline / revenue: the coverage that, if revenue scaled with the opening pipeline, makes quota in 80% of quarters.
- **Conversion**: leads moving to a stage from the previous stage on the way to a win / that previous stage's entries, per quarter.
- **Contacted**: an MQL the SDRs reached; the chance falls with the response time as the model's decay curve says.
- **MQL response**: the median (and P90) of a quarter's times from becoming an MQL to the SDR's first touch, in wall-clock time, averaged over the simulated quarters (summary.json: response_minutes_p50.mean), as sim compare reports it.
- **SLA compliance**: leads meeting the SLA / leads entering its from-stage in the quarter, averaged over the simulated quarters (summary.json: sla[].per_quarter.mean, as sim compare reports it; sla[].compliance pools the leads of all quarters instead); a lead that never gets there breaches it.
- **Marketing share**: marketing-sourced share of the value of opportunities created.

`)
	if rep.ParamsDrawn {
		b.WriteString("\nUncertainty: each quarter draws new arrivals, conversions and delays, and also draws the model's rates from their posteriors (the observation counts in the model), so the ranges include what the data leave unknown.\n")
	} else {
		b.WriteString("\nUncertainty: each quarter draws new arrivals (Poisson or gamma-mixed), new conversions and new delays; the model's parameters are held fixed, so the ranges show chance alone.\n")
	}
	return b.String()
}

// funnelChart draws rep's main stages: each stage's entries a quarter, and
// how many of them came along the edge from the previous main stage (the
// rest: sources entering there, sales-sourced deals, recycles), so that
// the bars reconcile with the arrows.
func funnelChart(rep *montecarlo.Report) *plot.Plot {
	var names, labels []string
	var vols, fromPrev []float64
	for _, s := range rep.Stages {
		if !s.Main {
			continue
		}
		moves := math.NaN()
		if len(names) > 0 {
			prev := names[len(names)-1]
			for _, t := range rep.Transitions {
				if t.From == prev && t.To == s.Name {
					moves = float64(t.Moves)
				}
			}
		}
		names = append(names, s.Name)
		labels = append(labels, stageLabel(s))
		vols = append(vols, float64(s.MeanEntries))
		fromPrev = append(fromPrev, moves)
	}
	return render.FunnelPath(labels, vols, fromPrev, funnelTitle(labels, vols, fromPrev))
}

// funnelTitle states funnel.png's finding: the wins a quarter, and the
// step along the path that converts least, or, when that does not fit on
// the chart, the wins from the first stage's leads.
func funnelTitle(labels []string, vols, fromPrev []float64) string {
	n := len(labels)
	if n < 2 || !(vols[0] > 0) {
		return "Funnel volume per quarter, by stage"
	}
	weak, rate := -1, math.Inf(1)
	for i := 1; i < n; i++ {
		if c := fromPrev[i] / vols[i-1]; vols[i-1] > 0 && c < rate {
			weak, rate = i, c
		}
	}
	wins := render.Count(vols[n-1]) + " wins a quarter"
	from := fmt.Sprintf("%s from %s %s leads", wins, render.Count(vols[0]), labels[0])
	if weak > 0 {
		for _, t := range []string{
			fmt.Sprintf("%s; weakest step %s → %s, %s", from, labels[weak-1], labels[weak], render.Percent(rate)),
			fmt.Sprintf("%s; weakest step %s → %s, %s", wins, labels[weak-1], labels[weak], render.Percent(rate)),
		} {
			if render.TitleFits("Q1 FY2027: " + t) {
				return t
			}
		}
	}
	return from
}

// stageLabel returns the stage's name for people: its label, or, in a
// summary written before stages had labels, its name made readable.
func stageLabel(s montecarlo.StageReport) string {
	if s.Label != "" {
		return s.Label
	}
	return model.Stage{Name: s.Name}.DisplayName()
}

// writeNotFitted warns, before any figure, that a calibrated model keeps
// some of the base model's values (model.Model.NotFitted).
func writeNotFitted(w io.Writer, notFitted []string) {
	const most = 5
	if len(notFitted) == 0 {
		return
	}
	fmt.Fprintf(w, "WARNING: %d parts of this model are not fitted: its calibration kept the base model's values (not_fitted in the model and summary.json):\n", len(notFitted))
	for i, s := range notFitted {
		if i == most {
			fmt.Fprintf(w, "  ... and %d more\n", len(notFitted)-most)
			break
		}
		fmt.Fprintf(w, "  %s\n", s)
	}
	if slices.ContainsFunc(notFitted, func(s string) bool { return strings.Contains(s, ".rate_per_week") }) {
		fmt.Fprintln(w, "The lead volume simulated is the base model's, not the export's: read the figures below as an illustration, not a forecast.")
	}
	fmt.Fprintln(w)
}
