package xlsx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Format is how a column's numbers are shown. The stored value is the
// number at full precision whatever the format.
type Format int

// Formats of a column.
const (
	Auto    Format = iota // Integer when every number is whole, else Decimal
	Integer               // #,##0
	Decimal               // #,##0.00
	Money                 // the currency's symbol, #,##0
	Percent               // a share in [0,1] as 0.0%
	Ratio                 // 0.00"x", for coverage
	Text                  // every cell as text, numbers too
)

// Sheet is a table: Rows[0] is the header, the other rows the data. A cell
// that parses as a finite number (strconv.ParseFloat) is written as a
// number unless its column's format is Text; an empty cell stays empty;
// anything else is text.
type Sheet struct {
	Name    string     // at most 31 characters, none of []:*?/\ (Excel's rule)
	Rows    [][]string // header first
	Formats []Format   // per column; missing entries mean Auto
}

// maxColWidth caps a column's width, in characters.
const maxColWidth = 48

// Write writes sheets to w as one workbook, in order; currency is the ISO
// 4217 code Money columns are shown in ("USD": "$#,##0"). It returns an
// error for a sheet name Excel refuses, for no sheets, or when w fails.
func Write(w io.Writer, currency string, sheets ...Sheet) error {
	if len(sheets) == 0 {
		return fmt.Errorf("xlsx: no sheets")
	}
	f := excelize.NewFile()
	defer f.Close()
	styles, err := newStyles(f, currency)
	if err != nil {
		return err
	}
	for i, s := range sheets {
		if err := checkName(s.Name); err != nil {
			return err
		}
		if i == 0 {
			if err := f.SetSheetName(f.GetSheetName(0), s.Name); err != nil {
				return fmt.Errorf("xlsx: sheet %q: %w", s.Name, err)
			}
		} else if _, err := f.NewSheet(s.Name); err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", s.Name, err)
		}
		if err := writeSheet(f, s, styles); err != nil {
			return fmt.Errorf("xlsx: sheet %q: %w", s.Name, err)
		}
	}
	f.SetActiveSheet(0)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return err
	}
	b, err := sortedZip(buf.Bytes())
	if err != nil {
		return err
	}
	_, err = w.Write(b)
	return err
}

// sortedZip returns the zip archive b with its entries in name order,
// each copied as it is (compressed data, header): excelize writes the
// sheets of its stream writers in map order, so two writes of the same
// workbook would differ.
func sortedZip(b []byte) ([]byte, error) {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, err
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range files {
		fh := f.FileHeader
		w, err := zw.CreateRaw(&fh)
		if err != nil {
			return nil, err
		}
		r, err := f.OpenRaw()
		if err != nil {
			return nil, err
		}
		if _, err := io.Copy(w, r); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// checkName returns an error for a sheet name Excel refuses.
func checkName(name string) error {
	if name == "" || len([]rune(name)) > 31 || strings.ContainsAny(name, `[]:*?/\`) || strings.HasPrefix(name, "'") || strings.HasSuffix(name, "'") {
		return fmt.Errorf("xlsx: sheet name %q: want 1 to 31 characters, none of []:*?/\\ and no quote at either end", name)
	}
	return nil
}

// styleSet holds the workbook's style ids: the header's, and each
// format's.
type styleSet struct {
	header int
	format map[Format]int
}

func newStyles(f *excelize.File, currency string) (*styleSet, error) {
	s := &styleSet{format: map[Format]int{}}
	var err error
	if s.header, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}}); err != nil {
		return nil, err
	}
	formats := map[Format]string{
		Integer: "#,##0",
		Decimal: "#,##0.00",
		Money:   moneyFormat(currency),
		Percent: "0.0%",
		Ratio:   `0.00"x"`,
		Text:    "@",
	}
	for _, k := range []Format{Integer, Decimal, Money, Percent, Ratio, Text} {
		code := formats[k]
		if s.format[k], err = f.NewStyle(&excelize.Style{CustomNumFmt: &code}); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// moneyFormat returns the number format of amounts in currency: the
// symbol for USD, EUR, GBP and JPY, else the code, quoted ("CHF "#,##0).
// Only letters and digits of the code are kept, so that no code can break
// the format.
func moneyFormat(currency string) string {
	switch strings.ToUpper(strings.TrimSpace(currency)) {
	case "USD":
		return `"$"#,##0`
	case "EUR":
		return `"€"#,##0`
	case "GBP":
		return `"£"#,##0`
	case "JPY":
		return `"¥"#,##0`
	}
	code := strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, strings.ToUpper(currency))
	if code == "" {
		return "#,##0"
	}
	return `"` + code + ` "#,##0`
}

// number returns the finite number cell s holds.
func number(s string) (float64, bool) {
	v, err := strconv.ParseFloat(s, 64)
	return v, err == nil && !math.IsInf(v, 0) && !math.IsNaN(v)
}

// resolve returns the format of column j: Auto becomes Integer when every
// number of the column is whole (and not too big to show exactly), else
// Decimal.
func resolve(s Sheet, j int) Format {
	f := Auto
	if j < len(s.Formats) {
		f = s.Formats[j]
	}
	if f != Auto {
		return f
	}
	for _, r := range s.Rows[1:] {
		if j >= len(r) {
			continue
		}
		if v, ok := number(r[j]); ok && (v != math.Trunc(v) || math.Abs(v) > 1e15) {
			return Decimal
		}
	}
	return Integer
}

func writeSheet(f *excelize.File, s Sheet, st *styleSet) error {
	sw, err := f.NewStreamWriter(s.Name)
	if err != nil {
		return err
	}
	ncol := 0
	for _, r := range s.Rows {
		ncol = max(ncol, len(r))
	}
	if len(s.Rows) > 1 {
		if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}}}); err != nil {
			return err
		}
	}
	formats := make([]Format, ncol)
	for j := range ncol {
		formats[j] = Text
		if len(s.Rows) > 0 {
			formats[j] = resolve(s, j)
		}
		width := 8.0
		for _, r := range s.Rows {
			if j < len(r) {
				width = max(width, float64(len([]rune(r[j])))+2)
			}
		}
		if formats[j] == Money || formats[j] == Integer || formats[j] == Decimal {
			width = max(min(width, 18), 12) // numbers are shown grouped, not at full precision
		}
		if err := sw.SetColWidth(j+1, j+1, min(width, maxColWidth)); err != nil {
			return err
		}
	}
	for i, r := range s.Rows {
		row := make([]any, len(r))
		for j, c := range r {
			switch v, ok := number(c); {
			case i == 0:
				row[j] = excelize.Cell{StyleID: st.header, Value: c}
			case c == "":
				row[j] = nil
			case ok && formats[j] != Text:
				row[j] = excelize.Cell{StyleID: st.format[formats[j]], Value: v}
			default:
				row[j] = excelize.Cell{Value: c} // an inline string: text, never a formula
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}
