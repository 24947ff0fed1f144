package render

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/funnelsim/funnel/montecarlo/whatif"
)

// CompareHeader is compare.csv's header row.
var CompareHeader = []string{"whatif", "metric", "n", "base_mean", "whatif_mean", "delta", "paired_lo95", "paired_hi95", "unpaired_lo95", "unpaired_hi95", "significant"}

// CompareRows returns compare.csv's rows of the what-if name: one a
// metric of diffs, with full precision (CompareHeader names the columns).
func CompareRows(name string, diffs []whatif.Diff) [][]string {
	g := CSVNum
	var rows [][]string
	for _, d := range diffs {
		rows = append(rows, []string{name, d.Metric, strconv.Itoa(d.N), g(d.Base), g(d.Alt), g(d.Delta),
			g(d.Delta - d.HalfPaired), g(d.Delta + d.HalfPaired), g(d.Delta - d.HalfUnpaired), g(d.Delta + d.HalfUnpaired), strconv.FormatBool(d.Significant)})
	}
	return rows
}

// WriteCompareSummary prints sim compare's result for people: out's
// what-ifs against its base, diffs[i] the differences of out.WhatIfs[i];
// bounded says that some interval is an exact bound (whatif.BoundIndicator).
func WriteCompareSummary(w io.Writer, out whatif.CompareResult, diffs [][]whatif.Diff, bounded bool) {
	fmt.Fprintf(w, "What-ifs against %s (model %s): %s simulated quarters each, seed %d, common random numbers\n",
		out.Base, out.Model, Count(float64(out.Quarters)), out.Seed)
	for i, wi := range out.WhatIfs {
		fmt.Fprintf(w, "\n%s", wi.Name)
		if d := wi.Description; d != "" {
			fmt.Fprintf(w, ": %s", d)
		}
		fmt.Fprintln(w)
		WriteDiffTable(w, diffs[i], out.Currency)
	}
	fmt.Fprintf(w, "\nDelta: what-if − base, mean over quarters, with its paired 95%% interval (per-quarter\n"+
		"differences, same seed); unpaired: the interval two independent simulations would give.\n"+
		"~: the paired interval contains 0. P(hit quota) and SLA differences are in percentage points.\n")
	if bounded {
		fmt.Fprintf(w, "P(hit quota) where every quarter agreed (no standard error): ± is an exact 95%% bound (Clopper–Pearson).\n")
	}
}

// WriteDiffTable prints diffs as a table for people.
func WriteDiffTable(w io.Writer, diffs []whatif.Diff, cur string) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  metric\tbase\twhat-if\tdelta\tpaired 95%%\tunpaired 95%%\t\n")
	for _, d := range diffs {
		delta := SignedValue(d.Delta, d.Unit, cur)
		if d.Unit == whatif.Money || d.Unit == whatif.Count {
			if r := d.Rel(); !math.IsNaN(r) {
				delta += " (" + signedPercent(r) + ")"
			}
		}
		if !d.Significant {
			delta = "~ " + delta
		}
		name := d.Metric
		if strings.HasPrefix(name, "SLA "+whatif.WaitSLAPrefix) {
			continue
		}
		base, alt := UnitValue(d.Base, d.Unit, cur), UnitValue(d.Alt, d.Unit, cur)
		if name == whatif.HitQuota {
			// A share of quarters at 0 or 1: an exact bound, not "100.0%".
			if b, ok := BoundedShare(d.Base, d.N); ok {
				base = b
			}
			if b, ok := BoundedShare(d.Alt, d.N); ok {
				alt = b
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t\n", name, base, alt,
			delta, HalfWidth(d.HalfPaired, d.Unit, cur), HalfWidth(d.HalfUnpaired, d.Unit, cur))
	}
	tw.Flush()
}

// UnitValue formats v in unit for people.
func UnitValue(v float64, u whatif.Unit, cur string) string {
	switch u {
	case whatif.Money:
		return Money(v, cur)
	case whatif.Share:
		return Percent(v)
	case whatif.Minutes:
		return Duration(v)
	}
	if math.Abs(v) < 100 && !math.IsNaN(v) {
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return Count(v)
}

// magnitude formats a non-negative half-width in unit (shares in points).
func magnitude(v float64, u whatif.Unit, cur string) string {
	if u == whatif.Share {
		return strconv.FormatFloat(100*v, 'f', 1, 64) + " pts"
	}
	return UnitValue(v, u, cur)
}

// HalfWidth formats an interval's half-width v in unit, "± 1.3 pts". One
// that is not 0 but rounds to 0.0 is "± <0.1 pts" or "± <0.1": "± 0.0"
// would read as certainty.
func HalfWidth(v float64, u whatif.Unit, cur string) string {
	switch {
	case u == whatif.Share && v > 0 && v < 0.0005:
		return "± <0.1 pts"
	case u == whatif.Count && v > 0 && v < 0.05:
		return "± <0.1"
	}
	return "± " + magnitude(v, u, cur)
}

// SignedValue formats a difference with its sign (shares in points).
func SignedValue(v float64, u whatif.Unit, cur string) string {
	if math.IsNaN(v) {
		return "n/a"
	}
	s := magnitude(math.Abs(v), u, cur)
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return "\u2212" + s
	}
	return s
}

// signedPercent formats a ratio with its sign, "+12.5%".
func signedPercent(r float64) string {
	s := Percent(math.Abs(r))
	if r > 0 {
		return "+" + s
	}
	if r < 0 {
		return "\u2212" + s
	}
	return s
}
