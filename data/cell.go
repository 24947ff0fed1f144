package data

import (
	"strconv"
	"strings"
)

// SafeCell returns s as a CSV cell that a spreadsheet shows as text: a
// cell starting with '=', '+', '-', '@', a tab or a carriage return would
// run as a formula in Excel, LibreOffice or Google Sheets (CSV injection),
// so it gets a leading apostrophe, which they hide. Decimal numbers are
// left as they are ("-12.5" stays a number), and so is every other cell.
func SafeCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	if _, err := strconv.ParseFloat(s, 64); err == nil && strings.Trim(s, "0123456789.eE+-") == "" {
		return s
	}
	return "'" + s
}

// SafeRow returns row with every cell made safe by SafeCell; it returns
// row itself when no cell needs it.
func SafeRow(row []string) []string {
	for i, c := range row {
		if sc := SafeCell(c); sc != c {
			out := make([]string, len(row))
			copy(out, row[:i])
			for j := i; j < len(row); j++ {
				out[j] = SafeCell(row[j])
			}
			return out
		}
	}
	return row
}
