package render

import (
	"strings"

	"github.com/funnelsim/funnel/cmd/sim/internal/xlsx"
)

// CSVSheet returns the table of the CSV file name as a sheet named after
// it, each column's number format chosen by its header (columnFormat).
// Cells are written as they are: a number as a number, anything else as
// text, never a formula (see package xlsx).
func CSVSheet(name string, rows [][]string) xlsx.Sheet {
	s := xlsx.Sheet{Name: strings.TrimSuffix(name, ".csv"), Rows: rows}
	if r := []rune(s.Name); len(r) > 31 {
		s.Name = string(r[:31])
	}
	if len(rows) > 0 && name != "compare.csv" { // compare.csv: a row a metric, each in its unit
		for _, h := range rows[0] {
			s.Formats = append(s.Formats, columnFormat(h))
		}
	}
	return s
}

// columnFormat returns the number format of a column of sim's CSV files,
// from its header: minutes and plain counts as numbers (whole or not, see
// xlsx.Auto), amounts of money in the currency, shares as percentages,
// coverage as a ratio.
func columnFormat(header string) xlsx.Format {
	h := strings.ToLower(header)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(h, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("minutes", "erlangs", "threshold", "headcount", "_deals", "deals_", "opps", "opportunit", "count", "quarter", "run", "entries", "_met", "_leads", "mqls", "contacted", "qualified"):
		return xlsx.Auto
	case has("coverage"):
		return xlsx.Ratio
	case has("compliance", "p_wait", "share", "prob", "pit", "rate"):
		return xlsx.Percent
	case has("revenue", "pipeline", "value", "amount", "crps", "mae", "bias", "actual", "forecast", "goal", "created", "won", "lost", "opening", "closing", "p10", "p25", "p50", "p75", "p90", "mean"):
		return xlsx.Money
	}
	return xlsx.Auto
}
