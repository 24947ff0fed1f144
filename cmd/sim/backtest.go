package main

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/montecarlo/backtest"
	"gonum.org/v1/plot"
)

func init() {
	register("backtest", "score calibrated forecasts against what an export's own history did next", backtestCmd)
}

const backtestUsage = `
Usage: sim backtest EXPORT_DIR [--origins monthly|DATE,...] [flags]

A rolling-origin backtest: at each origin the export is cut as it stood
then (rows created later do not exist; outcomes and stage events after it
are unknown, so those deals are open), a model is calibrated from the cut
as 'sim calibrate' would, the window after the origin is simulated
(--quarters times) from the deals open then, and the forecast is compared
with the revenue actually won in the window.

Per origin it prints the forecast P10, P50 and P90, the actual revenue,
its PIT (share of simulated windows below it: near 0 or 1 is a miss) and
CRPS (the continuous ranked probability score, in currency: lower is
better; for a point forecast it is the absolute error), and the errors of
two naive forecasts made from the same cut:
  pipeline     open amount x trailing win rate, plus the revenue of deals
               created and won within the last window (the run rate)
  persistence  the revenue won in the window before the origin
Over the origins: the coverage of the 50% (P25-P75) and 80% (P10-P90)
intervals with the range a calibrated forecast would give at that many
origins, the mean CRPS, the bias, and the CRPS skill against each baseline
(1 - mean CRPS / baseline's mean absolute error; above 0 the forecast is
better).

--origins monthly takes every month end with --history months of data
before it and a whole window after it. A DATE (2017-06-30) is the end of
that day in --tz: what happened strictly before is known.

Files in --out: backtest.csv (one row per origin), backtest.json (origins
and summary, with schema_version) and backtest.png/.svg (forecast bands vs
actuals).

--left-truncation fits the stages whose records begin late (calibration
warns "the export's records of it seem to begin then": an export that
starts at a migration, holding only the deals still open then) as
left-truncated: delayed entry in the Aalen-Johansen estimates, delays from
them, arrivals counted from the records' start. It is off by default: on
the Maven export it made the forecasts worse.

--cohort-drift draws each simulated quarter's conversion probabilities with
the spread that 4-week cohorts' conversions within a quarter show, when
they differ more than chance allows (calibrate.Config.CohortDrift). Off by
default: on the Maven export it widened intervals that were already wide.

Examples:
  sim backtest data/sample
  sim backtest sales_pipeline.csv --format opportunities --origins monthly
  sim backtest export/ --origins 2024-03-31,2024-06-30 --window 13w
`

type backtestConfig struct {
	readConfig
	origins   string
	history   int
	window    string
	base      string
	quarters  int
	seed      uint64
	workers   int
	out       string
	json      bool
	leftTrunc bool
	drift     bool
}

func backtestCmd(ctx context.Context, e *env, args []string) error {
	var cfg backtestConfig
	fs := newFlags(e, "backtest", backtestUsage)
	fs.StringVar(&cfg.origins, "origins", "monthly", "`monthly` or comma-separated dates (the end of each day is an origin)")
	fs.IntVar(&cfg.history, "history", 6, "with --origins monthly: `MONTHS` of data an origin needs before it")
	fs.StringVar(&cfg.window, "window", "", "forecast window, whole weeks: 91d, 13w (default: the base model's quarter)")
	fs.StringVar(&cfg.base, "base", "", "base model `FILE` whose structure calibration keeps (default: the embedded default)")
	cfg.readConfig.bind(fs)
	fs.Lookup("tz").Usage = "IANA time `ZONE` of times written without one and of dates in --origins; also the model's (default: UTC, the model in the base model's zone)"
	fs.IntVar(&cfg.quarters, "quarters", 2000, "windows simulated at each origin")
	fs.Uint64Var(&cfg.seed, "seed", 1, "random seed: the same seed gives the same outputs")
	fs.IntVar(&cfg.workers, "workers", 0, "parallel workers (0: one per core); does not change the results")
	fs.StringVar(&cfg.out, "out", filepath.Join("out", "backtest"), "output `DIR` for the CSV, JSON and chart")
	fs.BoolVar(&cfg.json, "json", false, "print the JSON on stdout instead of the table")
	fs.BoolVar(&cfg.leftTrunc, "left-truncation", false, "fit stages whose records begin late as left-truncated (see below)")
	fs.BoolVar(&cfg.drift, "cohort-drift", false, "draw conversion with the drift between cohorts (see below)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("backtest: want one EXPORT_DIR, got %d arguments (run 'sim backtest --help')", len(pos))
	}
	if cfg.quarters < 10 {
		return fmt.Errorf("backtest: --quarters %d: want at least 10", cfg.quarters)
	}
	base, _, err := loadModel(cfg.base, "")
	if err != nil {
		return err
	}
	window := time.Duration(base.QuarterWeeks) * 7 * 24 * time.Hour
	if cfg.window != "" {
		if window, err = parseWindow(cfg.window); err != nil {
			return fmt.Errorf("backtest: --window: %w", err)
		}
	}
	if _, err := cfg.options(); err != nil {
		return fmt.Errorf("backtest: %w", err)
	}
	loc, _ := time.LoadLocation(cfg.tz)
	dir, err := outdir.Begin(ctx, cfg.out)
	if err != nil {
		return fmt.Errorf("backtest: --out: %w", err)
	}
	defer dir.Abort()
	exp, err := readInto(ctx, e.stdout, dir, pos[0], &cfg.readConfig)
	if err != nil {
		return fmt.Errorf("backtest: %w", err)
	}
	origins, err := parseOrigins(cfg.origins, exp, cfg.history, window, loc)
	if err != nil {
		return fmt.Errorf("backtest: --origins: %w", err)
	}
	bcfg := backtest.Config{Origins: origins, Window: window, Base: base, Quarters: cfg.quarters, Seed: cfg.seed, Workers: cfg.workers}
	if fs.Changed("tz") {
		bcfg.Calibrate.TimeZone = cfg.tz
	}
	bcfg.Calibrate.LeftTruncation, bcfg.Calibrate.CohortDrift = cfg.leftTrunc, cfg.drift
	res, err := backtest.Run(ctx, exp, bcfg)
	if err != nil {
		return err
	}
	if err := writeJSON(dir, "backtest.json", res); err != nil {
		return err
	}
	if err := writeCSV(dir, "backtest.csv", backtestRows(res)); err != nil {
		return err
	}
	if err := saveChart(dir, "backtest", backtestChart(res)); err != nil {
		return err
	}
	if err := dir.Commit(); err != nil {
		return err
	}
	if cfg.json {
		return printJSON(e.stdout, res)
	}
	printBacktest(e, res, pos[0], dir.Path())
	return nil
}

// parseWindow parses a window length in days or weeks: 91d, 13w, or a
// number of days.
func parseWindow(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	unit := 24 * time.Hour
	switch {
	case strings.HasSuffix(t, "w"):
		unit, t = 7*24*time.Hour, strings.TrimSuffix(t, "w")
	case strings.HasSuffix(t, "d"):
		t = strings.TrimSuffix(t, "d")
	}
	n, err := strconv.Atoi(t)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q: want a positive number of days or weeks, such as 91d or 13w", s)
	}
	d := time.Duration(n) * unit
	if d%(7*24*time.Hour) != 0 {
		return 0, fmt.Errorf("%q: want whole weeks (the simulated quarter is a number of weeks), such as 91d or 13w", s)
	}
	return d, nil
}

// parseOrigins returns the origins of --origins: the month ends of
// backtest.MonthEnds, or the end of each listed day in loc.
func parseOrigins(s string, e *data.Export, history int, window time.Duration, loc *time.Location) ([]time.Time, error) {
	if strings.TrimSpace(s) == "monthly" {
		if history < 0 {
			return nil, fmt.Errorf("--history %d: want a number of months ≥ 0", history)
		}
		o := backtest.MonthEnds(e, history, window, loc)
		if len(o) == 0 {
			return nil, fmt.Errorf("monthly: no month end of the export (%s to %s) has %d months of history before it and a %s-day window after it",
				backtest.Earliest(e).Format(time.DateOnly), e.AsOf.Format(time.DateOnly), history, fmtDays(window))
		}
		return o, nil
	}
	var out []time.Time
	for _, f := range strings.Split(s, ",") {
		d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(f), loc)
		if err != nil {
			return nil, fmt.Errorf("%q: want monthly or dates such as 2017-06-30", f)
		}
		out = append(out, d.AddDate(0, 0, 1))
	}
	return out, nil
}

func fmtDays(d time.Duration) string { return strconv.FormatFloat(d.Hours()/24, 'f', -1, 64) }

// originLabel names an origin by the day that ends at it.
func originLabel(t time.Time) string { return t.Add(-time.Nanosecond).Format(time.DateOnly) }

func backtestRows(r *backtest.Result) [][]string {
	head := []string{"origin", "end", "p10", "p25", "p50", "p75", "p90", "mean", "actual", "actual_deals", "pit", "crps", "in50", "in80", "open_deals", "open_pipeline"}
	var names []string
	for _, o := range r.Origins {
		if len(o.Baselines) > 0 {
			for _, b := range o.Baselines {
				names = append(names, b.Name)
				head = append(head, b.Name, b.Name+"_error")
			}
			break
		}
	}
	head = append(head, "error")
	rows := [][]string{head}
	g := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	for _, o := range r.Origins {
		row := []string{o.Origin.Format(time.RFC3339), o.End.Format(time.RFC3339)}
		if o.Error == "" {
			row = append(row, g(o.P10), g(o.P25), g(o.P50), g(o.P75), g(o.P90), g(o.Mean))
		} else {
			row = append(row, "", "", "", "", "", "")
		}
		row = append(row, g(o.Actual), strconv.Itoa(o.ActualDeals))
		if o.Error == "" {
			row = append(row, g(o.PIT), g(o.CRPS), strconv.FormatBool(o.In50), strconv.FormatBool(o.In80), strconv.Itoa(o.OpenDeals), g(o.OpenPipeline))
		} else {
			row = append(row, "", "", "", "", "", "")
		}
		for i := range names {
			if i < len(o.Baselines) {
				row = append(row, g(o.Baselines[i].Forecast), g(o.Baselines[i].Error))
			} else {
				row = append(row, "", "")
			}
		}
		rows = append(rows, append(row, o.Error))
	}
	return rows
}

// backtestChart draws the forecast bands against the actuals of the
// origins that did not fail.
func backtestChart(r *backtest.Result) *plot.Plot {
	var pts []render.BacktestPoint
	for _, o := range r.Origins {
		if o.Error != "" {
			continue
		}
		pt := render.BacktestPoint{Label: originLabel(o.Origin), P10: o.P10, P25: o.P25, P50: o.P50, P75: o.P75, P90: o.P90, Actual: o.Actual, Pipeline: math.NaN()}
		for _, b := range o.Baselines {
			if b.Name == backtest.BaselinePipeline {
				pt.Pipeline = b.Forecast
			}
		}
		pts = append(pts, pt)
	}
	return render.Backtest(pts, r.WindowDays, r.Currency)
}

func printBacktest(e *env, r *backtest.Result, src, out string) {
	cur := r.Currency
	params := "parameters drawn from their posteriors"
	if !r.DrawParams {
		params = "parameters fixed"
	}
	fmt.Fprintf(e.stdout, "Backtest of %s: %d origins, %s-day window, %s simulated windows each (%s), seed %d\n\n",
		src, len(r.Origins), strconv.FormatFloat(r.WindowDays, 'f', -1, 64), render.Count(float64(r.Quarters)), params, r.Seed)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	head := "origin\tP10\tP50\tP90\tactual\tPIT\tCRPS"
	var names []string
	for _, o := range r.Origins {
		for _, b := range o.Baselines {
			names = append(names, b.Name)
			head += "\t" + b.Name + " err"
		}
		break
	}
	fmt.Fprintln(tw, head+"\t")
	for _, o := range r.Origins {
		line := originLabel(o.Origin)
		if o.Error != "" {
			line += "\tfailed\t\t\t" + render.Money(o.Actual, cur) + "\t\t"
		} else {
			mark := ""
			switch {
			case o.Actual > o.P90:
				mark = " ↑"
			case o.Actual < o.P10:
				mark = " ↓"
			}
			line += fmt.Sprintf("\t%s\t%s\t%s\t%s%s\t%.2f\t%s", render.Money(o.P10, cur), render.Money(o.P50, cur), render.Money(o.P90, cur),
				render.Money(o.Actual, cur), mark, o.PIT, render.Money(o.CRPS, cur))
		}
		for _, b := range o.Baselines {
			line += "\t" + signedMoney(b.Error, cur)
		}
		fmt.Fprintln(tw, line+"\t")
	}
	tw.Flush()
	fmt.Fprintln(e.stdout, "(↑/↓: actual above P90 / below P10; err: baseline forecast − actual)")
	s := r.Summary
	fmt.Fprintln(e.stdout)
	if s.N > 0 {
		for _, c := range []struct {
			name    string
			k       int
			nominal float64
		}{{"80% interval (P10–P90)", s.Covered80, 0.8}, {"50% interval (P25–P75)", s.Covered50, 0.5}} {
			lo, hi := backtest.BinomialBand(s.N, c.nominal, 0.95)
			verdict := "consistent with"
			if c.k < lo || c.k > hi {
				verdict = "not consistent with"
			}
			fmt.Fprintf(e.stdout, "%-24s covered %d of %d origins (%s; nominal %s, %s it: 95%% range %d–%d)\n",
				c.name, c.k, s.N, render.Percent(float64(c.k)/float64(s.N)), render.Percent(c.nominal), verdict, lo, hi)
		}
		fmt.Fprintf(e.stdout, "%-24s %d above P90, %d below P10; mean PIT %.2f (0.5 unbiased)\n", "misses", s.Above90, s.Below10, float64(s.MeanPIT))
		fmt.Fprintf(e.stdout, "%-24s mean CRPS %s; median's MAE %s; bias %s (mean forecast − actual; mean actual %s)\n", "accuracy",
			render.Money(float64(s.MeanCRPS), cur), render.Money(float64(s.MAE), cur), signedMoney(float64(s.Bias), cur), render.Money(float64(s.MeanActual), cur))
		for _, b := range s.Baselines {
			verdict := "worse than"
			if float64(b.Skill) > 0 {
				verdict = "better than"
			}
			fmt.Fprintf(e.stdout, "%-24s MAE %s, bias %s; forecast's CRPS skill %+.2f (%s it)\n", "baseline "+b.Name,
				render.Money(float64(b.MAE), cur), signedMoney(float64(b.Bias), cur), float64(b.Skill), verdict)
		}
		fmt.Fprintf(e.stdout, "(origins a month apart share most of their windows: their misses are not independent, so the ranges above are generous)\n")
	}
	if s.Failed > 0 {
		fmt.Fprintf(e.stdout, "\n%d origins failed:\n", s.Failed)
		for _, o := range r.Origins {
			if o.Error != "" {
				msg, _, _ := strings.Cut(o.Error, "\n")
				fmt.Fprintf(e.stdout, "  %s: %s\n", originLabel(o.Origin), msg)
			}
		}
	}
	for i := len(r.Origins) - 1; i >= 0; i-- {
		o := r.Origins[i]
		if o.Error != "" || len(o.Warnings) == 0 {
			continue
		}
		fmt.Fprintf(e.stdout, "\nCalibration warnings at the last origin, %s (every origin's are in backtest.json):\n", originLabel(o.Origin))
		for _, w := range o.Warnings {
			fmt.Fprintf(e.stdout, "  - %s\n", w)
		}
		break
	}
	fmt.Fprintf(e.stdout, "\nWrote %s: backtest.csv, backtest.json, backtest.png (and .svg).\n", out)
}
