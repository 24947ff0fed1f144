package render

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnel/data"
	"gonum.org/v1/plot"
)

// QuarterName names q for people: "Q3 2026" when the fiscal year starts in
// January (fy 1), "Q3 FY2027" otherwise.
func QuarterName(q data.QuarterMovement, fy time.Month) string {
	if fy == 1 {
		return fmt.Sprintf("Q%d %d", q.Quarter, q.FiscalYear)
	}
	return fmt.Sprintf("Q%d FY%d", q.Quarter, q.FiscalYear)
}

// HistoryRows returns waterfall.csv: a header and one row a quarter of qs,
// amounts with full precision, dates as YYYY-MM-DD (end inclusive).
func HistoryRows(qs []data.QuarterMovement, fy time.Month) [][]string {
	rows := [][]string{{"quarter", "start", "end", "opening", "created", "won", "lost", "closing", "slipped",
		"opening_deals", "created_deals", "won_deals", "lost_deals", "closing_deals", "slipped_deals"}}
	for _, q := range qs {
		rows = append(rows, []string{QuarterName(q, fy), q.Start.Format(time.DateOnly), q.End.AddDate(0, 0, -1).Format(time.DateOnly),
			CSVNum(q.Opening), CSVNum(q.Created), CSVNum(q.Won), CSVNum(q.Lost), CSVNum(q.Closing), CSVNum(q.Slipped),
			strconv.Itoa(q.OpeningDeals), strconv.Itoa(q.CreatedDeals), strconv.Itoa(q.WonDeals),
			strconv.Itoa(q.LostDeals), strconv.Itoa(q.ClosingDeals), strconv.Itoa(q.SlippedDeals)})
	}
	return rows
}

// HistoryWaterfall returns waterfall.png's chart of an export's quarter q:
// its pipeline movement as recorded (no ranges), with its win rate.
func HistoryWaterfall(q data.QuarterMovement, fy time.Month, currency string) *plot.Plot {
	nan := math.NaN()
	all := [6]float64{nan, nan, nan, nan, nan, nan}
	note := ""
	if n := q.WonDeals + q.LostDeals; n > 0 {
		note = fmt.Sprintf("%s of the %s deals closed were won", Percent(float64(q.WonDeals)/float64(n)), Count(float64(n)))
		if q.LostDeals > 0 && q.Lost == 0 {
			note += " (lost deals carry no amount)"
		}
	}
	return Waterfall(Movement{Period: QuarterName(q, fy), Opening: q.Opening, Created: q.Created, Won: q.Won,
		Lost: q.Lost, Closing: q.Closing, Slipped: q.Slipped, Lo: all, Hi: all, Note: note}, currency)
}

// WriteHistory prints the quarters qs of the export source (as of asOf)
// for people, one row a quarter; skipped opportunities had no creation
// date.
func WriteHistory(w io.Writer, source string, asOf time.Time, qs []data.QuarterMovement, fy time.Month, currency string, skipped int) {
	money := func(v float64) string { return Money(v, currency) }
	fmt.Fprintf(w, "Pipeline movement of %s by quarter (as of %s)\n", source, asOf.Format(time.DateOnly))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "quarter\topen at start\t+ created\t- won\t- lost\t= open at end\tslipped\twin rate\t\n")
	for _, q := range qs {
		rate := "-"
		if n := q.WonDeals + q.LostDeals; n > 0 {
			rate = Percent(float64(q.WonDeals) / float64(n))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", QuarterName(q, fy), money(q.Opening), money(q.Created), money(q.Won),
			money(q.Lost), money(q.Closing), money(q.Slipped), rate)
	}
	tw.Flush()
	fmt.Fprintf(w, "(win rate: deals won / deals closed; slipped: open at the start and still open at the end)\n")
	lostDeals, lostValue := 0, 0.0
	for _, q := range qs {
		lostDeals += q.LostDeals
		lostValue += q.Lost
	}
	if lostDeals > 0 && lostValue == 0 {
		fmt.Fprintf(w, "The %d lost deals carry no amount in this export: the value lost is unknown, not 0.\n", lostDeals)
	}
	if skipped > 0 {
		fmt.Fprintf(w, "%d opportunities without a creation date left out.\n", skipped)
	}
}
