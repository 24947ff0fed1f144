package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// hostile are names an attacker may put in an export or a model: each must
// stay text. escape is the path the traversal names aim at; planted
// names below refer to it.
func hostileNames(escape string) []string {
	return []string{
		"../../../../../../../../.." + escape + "/ESCAPED",
		`=HYPERLINK("http://evil.example","x")`,
		"<script>alert(1)</script>",
		"+SUM(1)",
		"@cmd",
		"<img src=x onerror=alert(2)>",
	}
}

// TestHostileNames plants path traversals, spreadsheet formulas and
// markup in every name an export and a model carry (sources, segments,
// owners, stages, SLAs, the model's name), runs every command that reads
// or writes them (inspect, calibrate, import, backtest, forecast, compare,
// sla, plan, report), and
// checks that nothing is written outside the output folders, that no CSV
// cell a command writes starts a formula, and that report.html and the
// Markdown files hold the names only as escaped text.
func TestHostileNames(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every command")
	}
	ctx := context.Background()
	root := t.TempDir()
	escape := filepath.Join(root, "escape")
	names := hostileNames(escape)
	work := filepath.Join(root, "work")
	os.Mkdir(work, 0o755)
	at := func(p string) string { return filepath.Join(work, p) }
	sim := func(args ...string) string {
		t.Helper()
		out, errOut, err := runSim(t, ctx, args...)
		if err != nil {
			t.Fatalf("sim %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
		}
		return out
	}

	// An export whose sources, segments and owners are hostile.
	sim("generate", "--quarters", "1", "--out", at("export"))
	leads := at("export/leads.csv")
	b, err := os.ReadFile(leads)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for i, r := range rows[1:] {
		if i%500 == 0 { // a few leads of each hostile source
			r[col["source"]] = names[(i/500)%len(names)]
		}
		r[col["segment"]] = names[i%len(names)]
		r[col["owner"]] = names[(i+1)%len(names)]
	}
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.WriteAll(rows)
	os.WriteFile(leads, []byte(sb.String()), 0o644)

	sim("inspect", at("export"), "--rejects", at("inspect-rejects.csv"))
	sim("calibrate", at("export"), "-o", at("calibrated.yaml"), "--out", at("calib"), "--quota", "1M")
	sim("forecast", "--model", at("calibrated.yaml"), "--quarters", "40", "--out", at("fc-calibrated"), "-q")
	sim("import", at("export"), "--out", at("imported"))
	sim("backtest", at("export"), "--origins", "2024-02-20", "--window", "4w", "--quarters", "10", "--out", at("backtest"))

	// A model whose names are hostile.
	y := string(model.DefaultYAML())
	for _, r := range []struct{ re, name string }{
		{`\bsal\b`, "<script>alert(3)</script>"},
		{`\bweb\b`, names[1]},
		{`\bevents\b`, names[5]},
		{`\bsdr-first-touch\b`, names[3]},
		{`(?m)^name: default$`, "name: '" + names[0] + "'"},
	} {
		repl := r.name
		if !strings.HasPrefix(repl, "name:") {
			repl = "'" + strings.ReplaceAll(repl, "'", "''") + "'"
		}
		y = regexp.MustCompile(r.re).ReplaceAllLiteralString(y, repl)
	}
	hostile := at("hostile.yaml")
	os.WriteFile(hostile, []byte(y), 0o644)
	sim("forecast", "--model", hostile, "--quarters", "40", "--out", at("fc"), "-q")
	sim("compare", "--model", hostile, "--quarters", "20", "--out", at("compare"), "-q", "baseline", "two-more-sdrs")
	sim("sla", "--model", hostile, "--quarters", "10", "--headcount", "4,6", "--hours", "business", "--threshold", "60", "--out", at("sla"), "-q")
	sim("plan", "--model", hostile, "--quarters", "10", "--out", at("plan"), "-q")
	sim("report", at("fc"), at("compare"), at("sla"), at("plan"), at("calib"), at("backtest"), "--out", at("report"))

	// Nothing outside work.
	if _, err := os.Stat(escape); err == nil {
		t.Errorf("%s was created: a name escaped its output folder", escape)
	}
	ents, _ := os.ReadDir(root)
	if len(ents) != 1 {
		t.Errorf("%s holds %d entries, want only work", root, len(ents))
	}
	// Markup from a name: a raw tag. In Markdown, code blocks and code
	// spans show their text as it is, so only the rest counts.
	markup := regexp.MustCompile(`<script|<img`)
	workbooks := 0
	mdCode := regexp.MustCompile("(?s)(`{3,})\n.*?\n`{3,}|`[^`\n]*`")
	err = filepath.WalkDir(work, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(work, path)
		if strings.HasPrefix(rel, "export") || strings.HasPrefix(rel, "imported") && !strings.HasSuffix(rel, "rejects.csv") || strings.HasSuffix(rel, ".yaml") {
			return nil // the planted inputs, and their canonical copy (data for sim, not a sheet)
		}
		if strings.Contains(d.Name(), "ESCAPED") || strings.Contains(d.Name(), "..") {
			t.Errorf("%s: a file named after data", rel)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		switch filepath.Ext(path) {
		case ".csv":
			recs, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
			if err != nil {
				t.Errorf("%s: %v", rel, err)
			}
			for i, r := range recs {
				for j, c := range r {
					if c != "" && strings.ContainsRune("=+@\t\r", rune(c[0])) {
						t.Errorf("%s:%d:%d: cell %q starts a formula", rel, i+1, j+1, c)
					}
				}
			}
		case ".xlsx":
			// Every cell from data is text (an inline string), never a formula.
			workbooks++
			z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Errorf("%s: %v", rel, err)
				return nil
			}
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
				if regexp.MustCompile(`<f[ >]`).Match(x) {
					t.Errorf("%s: %s holds a formula", rel, f.Name)
				}
			}
		case ".html", ".md", ".svg":
			if filepath.Ext(path) == ".md" {
				b = mdCode.ReplaceAll(b, nil)
			}
			if m := markup.Find(b); m != nil {
				t.Errorf("%s holds markup from a name: %q", rel, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if workbooks != 5 {
		t.Errorf("%d workbooks written, want 5 (two forecasts, compare, sla and plan)", workbooks)
	}
	html, _ := os.ReadFile(at("report/report.html"))
	if !strings.Contains(string(html), "&lt;script&gt;alert(3)&lt;/script&gt;") {
		t.Errorf("report.html does not show the stage name as escaped text")
	}
}
