package main

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"text/tabwriter"
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
	name := func(q data.QuarterMovement) string {
		if fy == 1 {
			return fmt.Sprintf("Q%d %d", q.Quarter, q.FiscalYear)
		}
		return fmt.Sprintf("Q%d FY%d", q.Quarter, q.FiscalYear)
	}
	rows := [][]string{{"quarter", "start", "end", "opening", "created", "won", "lost", "closing", "slipped",
		"opening_deals", "created_deals", "won_deals", "lost_deals", "closing_deals", "slipped_deals"}}
	for _, q := range qs {
		rows = append(rows, []string{name(q), q.Start.Format(time.DateOnly), q.End.AddDate(0, 0, -1).Format(time.DateOnly),
			csvNum(q.Opening), csvNum(q.Created), csvNum(q.Won), csvNum(q.Lost), csvNum(q.Closing), csvNum(q.Slipped),
			strconv.Itoa(q.OpeningDeals), strconv.Itoa(q.CreatedDeals), strconv.Itoa(q.WonDeals),
			strconv.Itoa(q.LostDeals), strconv.Itoa(q.ClosingDeals), strconv.Itoa(q.SlippedDeals)})
	}
	if err := writeCSV(d, "waterfall.csv", rows); err != nil {
		return err
	}
	last := qs[len(qs)-1]
	nan := math.NaN()
	all := [6]float64{nan, nan, nan, nan, nan, nan}
	cur := exportCurrency(exp)
	note := ""
	if n := last.WonDeals + last.LostDeals; n > 0 {
		note = fmt.Sprintf("%s of the %s deals closed were won", render.Percent(float64(last.WonDeals)/float64(n)), render.Count(float64(n)))
		if last.LostDeals > 0 && last.Lost == 0 {
			note += " (lost deals carry no amount)"
		}
	}
	chart := render.Waterfall(render.Movement{Period: name(last), Opening: last.Opening, Created: last.Created, Won: last.Won,
		Lost: last.Lost, Closing: last.Closing, Slipped: last.Slipped, Lo: all, Hi: all, Note: note}, cur)
	if err := saveChart(d, "waterfall", chart); err != nil {
		return err
	}
	if err := d.Commit(); err != nil {
		return err
	}
	money := func(v float64) string { return render.Money(v, cur) }
	fmt.Fprintf(e.stdout, "Pipeline movement of %s by quarter (as of %s)\n", pos[0], exp.AsOf.Format(time.DateOnly))
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "quarter\topen at start\t+ created\t- won\t- lost\t= open at end\tslipped\twin rate\t\n")
	for _, q := range qs {
		rate := "-"
		if n := q.WonDeals + q.LostDeals; n > 0 {
			rate = render.Percent(float64(q.WonDeals) / float64(n))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", name(q), money(q.Opening), money(q.Created), money(q.Won),
			money(q.Lost), money(q.Closing), money(q.Slipped), rate)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "(win rate: deals won / deals closed; slipped: open at the start and still open at the end)\n")
	lostDeals, lostValue := 0, 0.0
	for _, q := range qs {
		lostDeals += q.LostDeals
		lostValue += q.Lost
	}
	if lostDeals > 0 && lostValue == 0 {
		fmt.Fprintf(e.stdout, "The %d lost deals carry no amount in this export: the value lost is unknown, not 0.\n", lostDeals)
	}
	if skipped > 0 {
		fmt.Fprintf(e.stdout, "%d opportunities without a creation date left out.\n", skipped)
	}
	fmt.Fprintf(e.stdout, "\nWrote %s: waterfall.csv, waterfall.png (%s).\n", out, name(last))
	return nil
}

// exportCurrency returns the currency of e's opportunities when they
// state a single one, else "" (amounts without a unit).
func exportCurrency(e *data.Export) string {
	cur := ""
	for _, o := range e.Opportunities {
		switch {
		case o.Currency == "" || o.Currency == cur:
		case cur == "":
			cur = o.Currency
		default:
			return ""
		}
	}
	return cur
}
