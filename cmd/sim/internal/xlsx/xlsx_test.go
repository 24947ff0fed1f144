package xlsx

import (
	"archive/zip"
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

func sample() []Sheet {
	return []Sheet{
		{Name: "quarters", Rows: [][]string{
			{"run", "revenue", "coverage", "share", "note"},
			{"0", "8708422.869598372", "2.364782999638824", "0.25", "=HYPERLINK(\"http://x\")"},
			{"1", "1e-07", "", "1", "+1 (555)"},
			{"2", "-12.5", "Inf", "0.5", "plain"},
		}, Formats: []Format{Auto, Money, Ratio, Percent, Auto}},
		{Name: "plan", Rows: [][]string{{"line", "needed"}, {"deals won", "281.07"}}},
	}
}

func TestWrite(t *testing.T) {
	var buf bytes.Buffer
	if err := Write(&buf, "USD", sample()...); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "quarters,plan" {
		t.Errorf("sheets %q, want quarters, plan", got)
	}
	for _, tt := range []struct {
		cell string
		typ  excelize.CellType
		raw  string
		fmt  string
	}{
		{"A1", excelize.CellTypeInlineString, "run", ""},
		{"A2", excelize.CellTypeUnset, "0", "#,##0"},                   // a number: no t attribute
		{"B2", excelize.CellTypeUnset, "8708422.86959837", `"$"#,##0`}, // Excel's 15 significant digits
		{"C2", excelize.CellTypeUnset, "2.36478299963882", `0.00"x"`},
		{"D2", excelize.CellTypeUnset, "0.25", "0.0%"},
		{"E2", excelize.CellTypeInlineString, `=HYPERLINK("http://x")`, ""},
		{"B3", excelize.CellTypeUnset, "0.0000001", `"$"#,##0`},
		{"C3", excelize.CellTypeUnset, "", ""},
		{"C4", excelize.CellTypeInlineString, "Inf", ""},
		{"E3", excelize.CellTypeInlineString, "+1 (555)", ""},
	} {
		typ, err := f.GetCellType("quarters", tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := f.GetCellValue("quarters", tt.cell, excelize.Options{RawCellValue: true})
		if typ != tt.typ || raw != tt.raw {
			t.Errorf("%s: type %v value %q, want %v %q", tt.cell, typ, raw, tt.typ, tt.raw)
		}
		if tt.fmt != "" {
			id, _ := f.GetCellStyle("quarters", tt.cell)
			st, _ := f.GetStyle(id)
			if st.CustomNumFmt == nil || *st.CustomNumFmt != tt.fmt {
				t.Errorf("%s: number format %v, want %s", tt.cell, st.CustomNumFmt, tt.fmt)
			}
		}
		if formula, _ := f.GetCellFormula("quarters", tt.cell); formula != "" {
			t.Errorf("%s: formula %q, want none", tt.cell, formula)
		}
	}
	// Auto: whole numbers are Integer, others Decimal.
	id, _ := f.GetCellStyle("plan", "B2")
	if st, _ := f.GetStyle(id); st.CustomNumFmt == nil || *st.CustomNumFmt != "#,##0.00" {
		t.Errorf("plan B2: number format %v, want #,##0.00", st.CustomNumFmt)
	}
	// The header row is frozen.
	for _, s := range []string{"quarters", "plan"} {
		p, err := f.GetPanes(s)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 1 || p.TopLeftCell != "A2" {
			t.Errorf("%s: panes %+v, want the first row frozen", s, p)
		}
	}
	sheets := sheetXML(t, buf.Bytes())
	if n := bytes.Count(sheets, []byte("<f>")) + bytes.Count(sheets, []byte("<f ")); n != 0 {
		t.Errorf("the workbook holds %d <f> elements, want none", n)
	}
	// Numbers keep the 15 significant digits Excel holds.
	if !bytes.Contains(sheets, []byte("<v>8708422.86959837</v>")) {
		t.Errorf("revenue not stored to 15 significant digits")
	}
}

// sheetXML returns the workbook's worksheets' XML, concatenated.
func sheetXML(t *testing.T, b []byte) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	for _, f := range z.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		x, _ := io.ReadAll(r)
		r.Close()
		out = append(out, x...)
	}
	return out
}

// TestWriteDeterministic: the same sheets give the same bytes, however
// many (excelize keeps its stream writers in a map).
func TestWriteDeterministic(t *testing.T) {
	sheets := sample()
	for i := range 6 {
		sheets = append(sheets, Sheet{Name: "extra" + strconv.Itoa(i), Rows: [][]string{{"a"}, {strconv.Itoa(i)}}})
	}
	var first []byte
	for i := range 10 {
		var b bytes.Buffer
		if err := Write(&b, "EUR", sheets...); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b.Bytes()
		} else if !bytes.Equal(first, b.Bytes()) {
			t.Fatalf("write %d differs from the first", i)
		}
	}
	z, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatal(err)
	}
	if z.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first entry %s, want [Content_Types].xml", z.File[0].Name)
	}
}

func TestWriteErrors(t *testing.T) {
	for _, tt := range []struct {
		name   string
		sheets []Sheet
		want   string
	}{
		{"none", nil, "xlsx: no sheets"},
		{"bad name", []Sheet{{Name: "a/b", Rows: [][]string{{"x"}}}}, `xlsx: sheet name "a/b": want 1 to 31 characters, none of []:*?/\ and no quote at either end`},
		{"long name", []Sheet{{Name: strings.Repeat("x", 32), Rows: [][]string{{"x"}}}}, `xlsx: sheet name "` + strings.Repeat("x", 32) + `": want 1 to 31 characters, none of []:*?/\ and no quote at either end`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(io.Discard, "USD", tt.sheets...)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %s", err, tt.want)
			}
		})
	}
}

func TestMoneyFormat(t *testing.T) {
	for in, want := range map[string]string{"USD": `"$"#,##0`, "eur": `"€"#,##0`, "CHF": `"CHF "#,##0`, `X"Y;Z`: `"XYZ "#,##0`, "": "#,##0"} {
		if got := moneyFormat(in); got != want {
			t.Errorf("moneyFormat(%q) = %s, want %s", in, got, want)
		}
	}
}

// BenchmarkWrite writes a sheet the size of quarters.csv of a 5,000-run,
// 4-quarter forecast: 20,000 rows of 30 numbers.
func BenchmarkWrite(b *testing.B) {
	rows := [][]string{make([]string, 30)}
	for j := range rows[0] {
		rows[0][j] = "col" + strconv.Itoa(j)
	}
	for i := range 20000 {
		r := make([]string, 30)
		for j := range r {
			r[j] = strconv.FormatFloat(float64(i*31+j)*1234.5678, 'f', -1, 64)
		}
		rows = append(rows, r)
	}
	var n int
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, "USD", Sheet{Name: "quarters", Rows: rows}); err != nil {
			b.Fatal(err)
		}
		n = buf.Len()
	}
	b.ReportMetric(float64(n), "bytes")
}
