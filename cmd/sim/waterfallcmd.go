package main

import (
	"context"
	"fmt"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/data"
)

func init() {
	register("waterfall", "an export's actual pipeline movement, quarter by quarter: open, created, won, lost, slipped", waterfallCmd)
}

const waterfallUsage = `
Usage: sim waterfall EXPORT [--out DIR] [--fiscal-year-start MONTH] [flags]

Reads a CRM export (any format sim inspect reads) and prints, for every
complete fiscal quarter, the pipeline's actual movement: the value of the
opportunities open at the quarter's start, created in it, won and lost in
it, and open at its end, of which "slipped" was already open at its start
(open at start + created - won - lost = open at end). It writes to --out:
  waterfall.csv   one row per quarter, amounts and deal counts
  waterfall.png   the latest complete quarter's waterfall      (and .svg)

A deal is in the pipeline from its creation until it closes; deals without
a creation date are left out and counted. Amounts are added in the
currencies the export gives. Compare with the forecast's waterfall.png
(sim forecast), the same steps simulated.

Examples:
  sim waterfall shared/fixtures/maven-crm --out maven-waterfall/
  sim waterfall crm/ --fiscal-year-start 2 --tz America/New_York
`

func waterfallCmd(ctx context.Context, e *env, args []string) error {
	var c readConfig
	var out string
	var fy int
	fs := newFlags(e, "waterfall", waterfallUsage)
	c.bind(fs)
	fs.StringVar(&out, "out", "waterfall", "output `DIR`")
	fs.IntVar(&fy, "fiscal-year-start", 1, "`MONTH` (1-12) the fiscal year starts in")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("waterfall: want one export folder or file, got %d arguments (run 'sim waterfall --help')", len(pos))
	}
	if fy < 1 || fy > 12 {
		return fmt.Errorf("waterfall: --fiscal-year-start %d: want a month from 1 to 12", fy)
	}
	loc, err := time.LoadLocation(c.tz)
	if err != nil {
		return fmt.Errorf("waterfall: --tz %q: want an IANA zone such as UTC or Europe/Berlin", c.tz)
	}
	d, err := outdir.Begin(ctx, out)
	if err != nil {
		return fmt.Errorf("waterfall: --out: %w", err)
	}
	defer d.Abort()
	exp, _, err := readSource(ctx, pos[0], &c)
	if err != nil {
		return fmt.Errorf("waterfall: %w", err)
	}
	if err := checkShare(&exp.Report, c.maxRejectShare, ""); err != nil {
		return fmt.Errorf("waterfall: %w", err)
	}
	qs, skipped := data.PipelineWaterfall(exp, time.Month(fy), loc)
	if len(qs) == 0 {
		return fmt.Errorf("waterfall: %s: no complete quarter of opportunities before its as-of %s", pos[0], exp.AsOf.Format(time.DateOnly))
	}
	fiscal := time.Month(fy)
	if err := writeCSV(d, "waterfall.csv", render.HistoryRows(qs, fiscal)); err != nil {
		return err
	}
	last := qs[len(qs)-1]
	cur := exp.SingleCurrency()
	chart := render.HistoryWaterfall(last, fiscal, cur)
	if err := saveChart(d, "waterfall", chart); err != nil {
		return err
	}
	if err := d.Commit(); err != nil {
		return err
	}
	render.WriteHistory(e.stdout, pos[0], exp.AsOf, qs, fiscal, cur, skipped)
	fmt.Fprintf(e.stdout, "\nWrote %s: waterfall.csv, waterfall.png (%s).\n", out, render.QuarterName(last, fiscal))
	return nil
}
