package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
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

// today returns the date a forecast of a model without forecast_start
// starts from: the next fiscal quarter from it. Tests fix it.
var today = time.Now

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
	periods, note, err := m.ForecastCalendar(cfg.start, cfg.horizon, today())
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
	rep.SetCalendar(m, periods)
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
	render.WriteForecastSummary(e.stdout, m, rep)
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
	if err := book.writeCSV(d, "quarters.csv", render.QuarterRows(m, res, rep)); err != nil {
		return err
	}
	if err := book.writeCSV(d, "pipeline_movement.csv", render.MovementRows(rep)); err != nil {
		return err
	}
	if err := book.writeCSV(d, "breakdown.csv", render.BreakdownRows(rep)); err != nil {
		return err
	}
	if err := book.write(d, "forecast.xlsx", m.Currency); err != nil {
		return err
	}
	if err := saveCharts(d, render.ForecastCharts(m, res, rep)); err != nil {
		return err
	}
	return d.WriteFile("report.md", []byte(render.ForecastMarkdown(m, rep)))
}
