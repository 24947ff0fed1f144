package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/funnelsim/funnel/montecarlo/backtest"
	"github.com/funnelsim/funnel/montecarlo/whatif"
)

// The fixtures are outputs of
//
//	sim forecast --quarters 40 --seed 7 --out testdata/report_forecast   (summary.json, quarters.csv kept)
//	sim compare --quarters 30 --seed 7 --out testdata/report_compare baseline two-more-sdrs respond-24x7   (compare.json kept)
//
// so that the golden report tests the report, not the engine's stream.
var reportFixtures = []string{filepath.Join("testdata", "report_forecast"), filepath.Join("testdata", "report_compare")}

// fixtures copies the report fixtures to a temporary folder with the
// model hash of today's default model, so that the report's reproduction
// command names the default model whatever its edits since the fixtures
// were made, and returns the copies and that hash.
func fixtures(t *testing.T) ([]string, string) {
	t.Helper()
	hash := model.Default().Hash()
	root := t.TempDir()
	var out []string
	for _, dir := range reportFixtures {
		dst := filepath.Join(root, filepath.Base(dir))
		if err := os.MkdirAll(dst, 0o755); err != nil {
			t.Fatal(err)
		}
		ents, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasSuffix(e.Name(), ".json") {
				b = regexp.MustCompile(`"model_hash": "[0-9a-f]+"`).ReplaceAll(b, []byte(`"model_hash": "`+hash+`"`))
			}
			if err := os.WriteFile(filepath.Join(dst, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, dst)
	}
	return out, hash
}

// stable replaces what varies between runs in a report: the folders and
// the model hash.
func stable(s, root, hash string) string {
	s = strings.ReplaceAll(s, root, "FIXTURES")
	s = strings.ReplaceAll(s, hash, "MODELHASH")
	return strings.ReplaceAll(s, hash[:12], "MODELHASH")
}

// runReport runs sim report on folders into a temporary folder and returns it.
func runReport(t *testing.T, folders ...string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "report")
	out, errOut, err := runSim(t, context.Background(), append([]string{"report", "--out", dir}, folders...)...)
	if err != nil {
		t.Fatalf("sim report: %v\n%s%s", err, out, errOut)
	}
	return dir
}

func TestReportMarkdownGolden(t *testing.T) {
	fx, hash := fixtures(t)
	dir := runReport(t, fx...)
	md, err := os.ReadFile(filepath.Join(dir, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "report_basic.md", stable(string(md), filepath.Dir(fx[0]), hash))

	// Every image the Markdown links to is a PNG beside it.
	links := regexp.MustCompile(`!\[[^\]]*\]\(([^)]+)\)`).FindAllStringSubmatch(string(md), -1)
	if len(links) != 5 {
		t.Errorf("report.md links %d images, want 5 (funnel, revenue, coverage, sla, tornado)", len(links))
	}
	for _, l := range links {
		f, err := os.Open(filepath.Join(dir, l[1]))
		if err != nil {
			t.Errorf("report.md links %s: %v", l[1], err)
			continue
		}
		if _, err := png.DecodeConfig(f); err != nil {
			t.Errorf("%s: not a PNG: %v", l[1], err)
		}
		f.Close()
	}
	// Sections and the reproduction command.
	for _, want := range []string{"## Funnel", "## Revenue distribution", "## Pipeline coverage", "## SLAs and response times",
		"## Scenarios: what moves revenue", "## Assumptions and reproducibility",
		"sim forecast --quarters 40 --seed 7", "Coverage = open pipeline value at the start of the quarter ÷ quota"} {
		if !strings.Contains(string(md), want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

// checkSelfContained checks that page loads nothing: no URL of a scheme
// other than data:, no scripts, style sheets, images, frames or objects,
// and that charts are inline SVG.
func checkSelfContained(t *testing.T, page string, charts int) {
	t.Helper()
	for _, bad := range []string{"http://", "https://", "//cdn", "<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "src=", "xlink:href", "file:"} {
		if i := strings.Index(page, bad); i >= 0 {
			t.Errorf("report.html contains %q: %q", bad, page[max(0, i-60):min(len(page), i+60)])
		}
	}
	for _, m := range regexp.MustCompile(`url\(\s*['"]?([a-z]+):`).FindAllStringSubmatch(page, -1) {
		if m[1] != "data" {
			t.Errorf("report.html has url(%s:...)", m[1])
		}
	}
	for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !strings.HasPrefix(m[1], "#") {
			t.Errorf("report.html links to %q; want in-page anchors only", m[1])
		}
	}
	if n := strings.Count(page, "<svg"); n != charts {
		t.Errorf("report.html has %d inline <svg>, want %d", n, charts)
	}
	if n := strings.Count(page, "@font-face"); n != 2 {
		t.Errorf("report.html declares %d @font-face rules, want 2 (regular and bold, once each)", n)
	}
}

// checkWellFormed parses page as XML (the report is polyglot markup:
// HTML5 that is also well-formed XML), checking that every element is
// closed and nested, attributes are quoted and text is escaped, and that
// it has html, head with a title and a UTF-8 charset, and body.
func checkWellFormed(t *testing.T, page string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(page))
	d.Strict = true
	var stack []string
	seen := map[string]int{}
	ids := map[string]bool{}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			line, _ := d.InputPos()
			t.Fatalf("report.html is not well-formed at line %d: %v", line, err)
		}
		switch x := tok.(type) {
		case xml.StartElement:
			seen[x.Name.Local]++
			if len(stack) == 0 && x.Name.Local != "html" {
				t.Errorf("root element is <%s>, want <html>", x.Name.Local)
			}
			for _, a := range x.Attr {
				if a.Name.Local == "id" {
					if ids[a.Value] {
						t.Errorf("duplicate id %q", a.Value)
					}
					ids[a.Value] = true
				}
			}
			stack = append(stack, x.Name.Local)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.Directive:
			if !strings.EqualFold(string(x), "DOCTYPE html") {
				t.Errorf("directive %q, want DOCTYPE html", x)
			}
		}
	}
	for _, el := range []string{"html", "head", "title", "meta", "style", "body"} {
		if seen[el] == 0 {
			t.Errorf("report.html has no <%s>", el)
		}
	}
	if seen["html"] != 1 || seen["head"] != 1 || seen["body"] != 1 || seen["title"] != 1 {
		t.Errorf("report.html has %d html, %d head, %d body, %d title elements, want one each", seen["html"], seen["head"], seen["body"], seen["title"])
	}
	if !strings.Contains(page, `<meta charset="utf-8"/>`) {
		t.Error("report.html does not declare its charset")
	}
	for _, m := range regexp.MustCompile(`href="#([^"]*)"`).FindAllStringSubmatch(page, -1) {
		if !ids[m[1]] {
			t.Errorf("anchor #%s points nowhere", m[1])
		}
	}
}

func TestReportHTML(t *testing.T) {
	fx, _ := fixtures(t)
	dir := runReport(t, fx...)
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	checkSelfContained(t, page, 5)
	checkWellFormed(t, page)
	for _, want := range []string{"@media print", "break-before: page", "P(hit quota)", "sim forecast --quarters 40 --seed 7",
		"Coverage = open pipeline value at the start of the quarter ÷ quota", "Biggest lever"} {
		if !strings.Contains(page, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
}

// TestReportFromForecast reports a fresh forecast folder, found one level
// down, whose response-time chart comes from the folder's own SVG and PNG.
func TestReportFromForecast(t *testing.T) {
	root := t.TempDir()
	fc := filepath.Join(root, "forecast")
	if _, _, err := runSim(t, context.Background(), "forecast", "--quarters", "30", "--seed", "2", "--out", fc, "-q"); err != nil {
		t.Fatal(err)
	}
	dir := runReport(t, root)
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkSelfContained(t, string(b), 7) // revenue, coverage, waterfall, funnel, breakdown, sla, response
	checkWellFormed(t, string(b))
	for _, f := range []string{"forecast-response.png", "forecast-revenue.png", "forecast-waterfall.png", "forecast-breakdown.png", "report.md"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasPrefix(e.Name(), ".") && e.Name() != ".sim-files" || strings.Contains(e.Name(), ".tmp") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestReportErrors(t *testing.T) {
	empty := t.TempDir()
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"missing folder", []string{"report", "--out", t.TempDir(), "testdata/no-such-folder"},
			"report: stat testdata/no-such-folder: no such file or directory"},
		{"not an output folder", []string{"report", "--out", t.TempDir(), empty},
			"report: " + empty + " holds no output of sim forecast, compare, sla, plan, calibrate or backtest (looked for summary.json with quarters.csv, compare.json, sla.json, plan.json, calibration.md, parameters.json, backtest.json)"},
		{"a file", []string{"report", "--out", t.TempDir(), "testdata/report_compare/compare.json"},
			"report: testdata/report_compare/compare.json is not a folder"},
		{"bad flag", []string{"report", "--bogus"}, "report: unknown flag: --bogus (run 'sim report --help')"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runSim(t, context.Background(), tt.args...)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v\nwant    %s", err, tt.want)
			}
		})
	}
}

// TestReportCompareOnly reports a comparison without a forecast: no
// executive summary figures, the scenario section alone, and one chart
// ("1 PNG chart", not "1 PNG charts").
func TestReportCompareOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "report")
	out, _, err := runSim(t, context.Background(), "report", "--out", dir, filepath.Join("testdata", "report_compare"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "Wrote " + dir + ": report.html, report.md and 1 PNG chart.\n"; !strings.HasSuffix(out, want) {
		t.Errorf("sim report says\n%swant it to end with\n%s", out, want)
	}
	b, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	checkSelfContained(t, string(b), 1)
	checkWellFormed(t, string(b))
	if !strings.Contains(string(b), "No forecast folder was given") {
		t.Error("report without a forecast does not say so")
	}
}

// TestReportBrowser renders report.html in headless Chromium, when it is
// installed, and checks that it produces a screenshot of the page.
// scripts/report-browser-check.sh does the same and logs network requests.
func TestReportBrowser(t *testing.T) {
	const chromium = "/usr/bin/chromium"
	if _, err := os.Stat(chromium); err != nil {
		t.Skip("no " + chromium)
	}
	if testing.Short() {
		t.Skip("headless browser in -short mode")
	}
	dir := runReport(t, reportFixtures...)
	shot := filepath.Join(t.TempDir(), "report.png")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+t.TempDir(), "--screenshot="+shot, "--window-size=1280,2000",
		"file://"+filepath.ToSlash(must(filepath.Abs(filepath.Join(dir, "report.html")))))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, out.String())
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v\n%s", err, out.String())
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot is %v, want 1280x2000", b.Size())
	}
	// The page is not blank: the headline and the cards draw dark pixels.
	dark := 0
	for y := 0; y < 400; y += 2 {
		for x := 0; x < 1280; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			if r+g+b < 3*0x4000 {
				dark++
			}
		}
	}
	if dark < 500 {
		t.Errorf("screenshot looks blank: %d dark pixels in the top 400 rows", dark)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestReportSLAColumns reports a fresh sim sla folder: the policy table's
// compliance columns are the CLI's, in its order (model SLAs, then the
// first-touch targets by duration), with no "touch ≤ 0s" column; it once
// had that phantom column and sorted "0s, 1h, 4h, 5m" as text.
func TestReportSLAColumns(t *testing.T) {
	sla := filepath.Join(t.TempDir(), "sla")
	out, _, err := runSim(t, context.Background(), "sla", "--quarters", "2", "--seed", "3", "--headcount", "6", "--hours", "extended",
		"--threshold", "60", "--sla-minutes", "240,5,60", "--out", sla, "-q")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(out, "\nSLA compliance (share of leads meeting it, all quarters)\n")
	if !ok {
		t.Fatalf("sim sla printed no compliance table:\n%s", out)
	}
	cli := regexp.MustCompile(` {2,}`).Split(strings.TrimSpace(strings.SplitN(table, "\n", 2)[0]), -1)[1:]
	want := []string{"sdr-first-touch", "sales-accept-or-reject", "touch ≤ 5m", "touch ≤ 1h", "touch ≤ 4h"}
	if !slices.Equal(cli, want) {
		t.Errorf("sim sla's compliance columns %q, want %q", cli, want)
	}
	md, err := os.ReadFile(filepath.Join(runReport(t, sla), "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	// The compliance table, in the appendix: policy, SDRs, hours, then
	// the compliance columns.
	var head []string
	_, app, _ := strings.Cut(string(md), "# Analyst appendix")
	for _, line := range strings.Split(app, "\n") {
		if strings.HasPrefix(line, "| policy |") {
			head = strings.Split(strings.Trim(line, "| "), " | ")
			break
		}
	}
	if i := slices.Index(head, "hours"); i < 0 || !slices.Equal(head[i+1:], cli) {
		t.Errorf("report's compliance table head %q, want the CLI's compliance columns %q after \"hours\"", head, cli)
	}
}

func TestLegacyComplianceColumns(t *testing.T) {
	comp := map[string]montecarlo.Float{"touch ≤ 0s": 0.5, "touch ≤ 4h": 0.7, "touch ≤ 1h 30m": 0.65, "touch ≤ 5m": 0.5, "touch ≤ 1h": 0.6,
		"touch ≤ 1d 2h": 0.9, "touch ≤ 30s": 0.5, "sdr-first-touch": 0.7, "sales-accept-or-reject": 0.8}
	want := []string{"sales-accept-or-reject", "sdr-first-touch", "touch ≤ 30s", "touch ≤ 5m", "touch ≤ 1h", "touch ≤ 1h 30m", "touch ≤ 4h", "touch ≤ 1d 2h"}
	if got := legacyComplianceColumns(comp); !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestReportPlanInterval: the plan's interval of the scale shows the
// precision it has ("1.1x (1.1x–1.1x)" told nothing), and an open upper
// end (null in plan.json) reads "unbounded".
func TestReportPlanInterval(t *testing.T) {
	for _, tt := range []struct {
		name, hi, mqlsHi, want string
	}{
		{"closed", "1.0898", "7176", "| Inbound leads vs today | 1.07x (1.05x–1.09x) |"},
		{"open above", "null", "null", "| Inbound leads vs today | 1.07x (1.05x–unbounded) |"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "plan")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			doc := `{"model": "default", "goal": 9500000, "probability": 0.8, "quarters": 500, "seed": 1, "worksheet": [],
				"scale": 1.0713, "scale_lo95": 1.0531, "scale_hi95": ` + tt.hi + `, "mqls": 7048, "mqls_lo95": 6923, "mqls_hi95": ` + tt.mqlsHi + `,
				"points": [], "reachable": true}`
			if err := os.WriteFile(filepath.Join(dir, "plan.json"), []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			md, err := os.ReadFile(filepath.Join(runReport(t, dir), "report.md"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(md), tt.want) {
				t.Errorf("report.md lacks %q:\n%s", tt.want, md)
			}
			if !strings.Contains(string(md), "| MQLs a quarter for an 80.0% chance |") {
				t.Errorf("report.md lacks the MQLs metric for an 80.0%% chance:\n%s", md)
			}
		})
	}
}

// sectionOrder returns the position in page of each section id, and of
// the appendix break (-1 when missing).
func sectionOrder(page string) (ids []string, pos map[string]int, brk int) {
	pos = map[string]int{}
	for _, m := range regexp.MustCompile(`<section id="([^"]+)"`).FindAllStringSubmatchIndex(page, -1) {
		id := page[m[2]:m[3]]
		ids = append(ids, id)
		pos[id] = m[0]
	}
	return ids, pos, strings.Index(page, `<div class="appendix-break" id="appendix">`)
}

// TestReportQBRPack reports the folders of forecast, compare, sla, plan
// and calibrate made from one model and seed: report.html is under 2 MB,
// the executive sections come before the analyst appendix and the
// appendix holds the calibration, the compliance table and the method; no
// provenance warning; every table sits in its scrolling wrapper.
func TestReportQBRPack(t *testing.T) {
	if testing.Short() {
		t.Skip("runs five commands")
	}
	ctx := context.Background()
	root := t.TempDir()
	at := func(p string) string { return filepath.Join(root, p) }
	sim := func(args ...string) {
		t.Helper()
		if out, errOut, err := runSim(t, ctx, args...); err != nil {
			t.Fatalf("sim %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
		}
	}
	small := model.Default()
	for i := range small.Sources {
		small.Sources[i].RatePerWeek /= 20
	}
	if err := os.WriteFile(at("small.yaml"), model.Marshal(small), 0o644); err != nil {
		t.Fatal(err)
	}
	sim("generate", "--model", at("small.yaml"), "--quarters", "4", "--out", at("export"))
	sim("calibrate", at("export"), "-o", at("model.yaml"), "--out", at("run/calibrate"), "--quota", "2M")
	m := at("model.yaml")
	sim("forecast", "--model", m, "--quarters", "60", "--seed", "3", "--out", at("run"), "-q")
	sim("compare", "--model", m, "--quarters", "20", "--seed", "3", "--out", at("run/compare"), "-q", "baseline", "two-more-sdrs")
	sim("sla", "--model", m, "--quarters", "10", "--seed", "3", "--headcount", "2,4", "--hours", "business,24x7", "--threshold", "60", "--out", at("run/sla"), "-q")
	sim("plan", "--model", m, "--quarters", "10", "--seed", "3", "--out", at("run/plan"), "-q")
	dir := runReport(t, at("run"))
	page := string(must(os.ReadFile(filepath.Join(dir, "report.html"))))
	if n := len(page); n >= 2e6 {
		t.Errorf("report.html is %d bytes, want under 2 MB", n)
	}
	ids, pos, brk := sectionOrder(page)
	if brk < 0 {
		t.Fatalf("report.html has no appendix break; sections %q", ids)
	}
	for _, id := range []string{"forecast-revenue", "forecast-coverage", "forecast-funnel", "compare", "sla", "plan"} {
		if p, ok := pos[id]; !ok || p > brk {
			t.Errorf("executive section %s missing or after the appendix break (sections %q)", id, ids)
		}
	}
	for _, id := range []string{"sla-compliance", "calibrate", "method"} {
		if p, ok := pos[id]; !ok || p < brk {
			t.Errorf("appendix section %s missing or before the appendix break (sections %q)", id, ids)
		}
	}
	if strings.Contains(page, `class="warnings"`) {
		t.Errorf("a provenance warning for folders of one model and seed:\n%s", regexp.MustCompile(`(?s)<div class="warnings".*?</div>`).FindString(page))
	}
	if tables, wrapped := strings.Count(page, "<table"), strings.Count(page, `<div class="tablewrap"><table`); tables != wrapped {
		t.Errorf("%d tables, %d of them in a wrapper", tables, wrapped)
	}
	md := string(must(os.ReadFile(filepath.Join(dir, "report.md"))))
	plan, app, cal := strings.Index(md, "\n## Plan: what the goal needs"), strings.Index(md, "\n# Analyst appendix"), strings.Index(md, "\n## Calibration diagnostics")
	if !(plan >= 0 && plan < app && app < cal) {
		t.Errorf("report.md: plan at %d, appendix at %d, calibration at %d; want them in that order", plan, app, cal)
	}
}

// writeJSONTo writes v as JSON to path, creating its folder.
func writeJSONTo(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestReportProvenance: folders of different models, of different seeds,
// or that record no model get a warning that says so; one that records a
// schema_version this sim does not know is refused.
func TestReportProvenance(t *testing.T) {
	fx, hash := fixtures(t)
	cmp := readJSON[whatif.CompareResult](t, filepath.Join(fx[1], "compare.json"))
	for _, tt := range []struct {
		name   string
		edit   func(c *whatif.CompareResult)
		want   []string
		refuse string
	}{
		{"same", func(c *whatif.CompareResult) {}, nil, ""},
		{"other model", func(c *whatif.CompareResult) { c.ModelHash = strings.Repeat("ab", 32) },
			[]string{"these folders come from 2 different models", "forecast FIXTURES/report_forecast: model default (hash MODELHASH)", "(hash abababababab)"}, ""},
		{"no hash", func(c *whatif.CompareResult) { c.ModelHash = "" },
			[]string{"this report cannot tell whether compare FIXTURES/cmp does come from the same model as the other folders"}, ""},
		{"other seed", func(c *whatif.CompareResult) { c.Seed = 8 },
			[]string{"these folders were simulated with different seeds (forecast FIXTURES/report_forecast: seed 7; compare FIXTURES/cmp: seed 8)"}, ""},
		{"newer schema", func(c *whatif.CompareResult) { c.SchemaVersion = 2 }, nil,
			"FIXTURES/cmp/compare.json: schema_version 2: this sim reads versions up to 1; use the sim that wrote it, or write it again with this one"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := cmp
			tt.edit(&c)
			dir := filepath.Join(filepath.Dir(fx[0]), "cmp")
			writeJSONTo(t, filepath.Join(dir, "compare.json"), c)
			out := filepath.Join(t.TempDir(), "report")
			_, _, err := runSim(t, context.Background(), "report", "--out", out, fx[0], dir)
			if tt.refuse != "" {
				if err == nil || stable(err.Error(), filepath.Dir(fx[0]), hash) != tt.refuse {
					t.Errorf("error = %v\nwant    %s", err, tt.refuse)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			md := stable(string(must(os.ReadFile(filepath.Join(out, "report.md")))), filepath.Dir(fx[0]), hash)
			warns := regexp.MustCompile(`(?m)^> \*\*Warning:\*\* .*$`).FindAllString(md, -1)
			if len(warns) != len(tt.want) && !(len(tt.want) > 1 && len(warns) == 1) {
				t.Errorf("warnings %q, want %d", warns, len(tt.want))
			}
			for _, w := range tt.want {
				if !strings.Contains(strings.Join(warns, "\n"), w) {
					t.Errorf("warnings %q lack %q", warns, w)
				}
			}
			html := string(must(os.ReadFile(filepath.Join(out, "report.html"))))
			if got := strings.Contains(html, `<div class="warnings" role="alert">`); got != (len(tt.want) > 0) {
				t.Errorf("report.html warning box shown: %v, want %v", got, len(tt.want) > 0)
			}
		})
	}
}

func readJSON[T any](t *testing.T, path string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(must(os.ReadFile(path)), &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestReportOpportunitiesOnly reports a forecast of a model calibrated
// from an opportunities-only export (Maven's sales pipeline): the report
// speaks of opportunities, never of MQLs or SDRs, and leaves out what the
// model does not have instead of printing zeros.
func TestReportOpportunitiesOnly(t *testing.T) {
	const export = "../../../shared/fixtures/maven-crm/sales_pipeline.csv"
	if _, err := os.Stat(export); err != nil {
		t.Skip("no Maven fixture")
	}
	if testing.Short() {
		t.Skip("calibrates an export")
	}
	root := t.TempDir()
	at := func(p string) string { return filepath.Join(root, p) }
	for _, args := range [][]string{
		{"calibrate", export, "-o", at("maven.yaml"), "--out", at("cal")},
		{"forecast", "--model", at("maven.yaml"), "--quarters", "40", "--out", at("fc"), "-q"},
	} {
		if out, errOut, err := runSim(t, context.Background(), args...); err != nil {
			t.Fatalf("sim %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
		}
	}
	dir := runReport(t, at("fc"), at("cal"))
	md := string(must(os.ReadFile(filepath.Join(dir, "report.md"))))
	// The calibration's own words (its parameter paths and warnings)
	// are the export's; the rest is the report's.
	own := md[:strings.Index(md, "## Calibration diagnostics")] + md[strings.Index(md, "## Assumptions and reproducibility"):]
	for _, bad := range []string{"MQL", "SDR", "a quarter | 0 |", "n/a"} {
		if strings.Contains(own, bad) {
			i := strings.Index(own, bad)
			t.Errorf("report.md of an opportunities-only model says %q: ...%s...", bad, own[max(0, i-120):min(len(own), i+80)])
		}
	}
	for _, want := range []string{"Opportunities enter the pipeline and sales works them to won or lost.", "Opportunity → Won", "# Analyst appendix"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}

// TestReportBacktest: a sim backtest folder goes to the appendix with its
// table and scores, and its verdict to the summary's points.
func TestReportBacktest(t *testing.T) {
	fx, _ := fixtures(t)
	o := func(day int, p10, p50, p90, actual float64, in bool) backtest.OriginResult {
		at := time.Date(2024, 1, day, 0, 0, 0, 0, time.UTC)
		return backtest.OriginResult{Origin: at, End: at.AddDate(0, 3, 0), P10: p10, P25: p10, P50: p50, P75: p90, P90: p90, Actual: actual, In80: in, CRPS: 1000}
	}
	res := backtest.Result{SchemaVersion: backtest.SchemaVersion, Model: "default", Currency: "USD", WindowDays: 91, Quarters: 100, Seed: 5,
		Origins: []backtest.OriginResult{o(1, 1e6, 2e6, 3e6, 2.5e6, true), o(2, 1e6, 2e6, 3e6, 4e6, false)},
		Summary: backtest.Summary{N: 2, Covered80: 1, Covered50: 0, MeanCRPS: 1000, MAE: 1e6, MeanActual: 3.25e6,
			Baselines: []backtest.BaselineSummary{{Name: "pipeline", MAE: 2e6, Skill: 0.5}}}}
	bt := filepath.Join(filepath.Dir(fx[0]), "bt")
	writeJSONTo(t, filepath.Join(bt, "backtest.json"), res)
	dir := runReport(t, fx[0], bt)
	md := string(must(os.ReadFile(filepath.Join(dir, "report.md"))))
	for _, want := range []string{
		"- Backtest: at 2 past origins, actual revenue fell inside the forecast's P10–P90 band 1 times (8 in 10 expected); mean CRPS $1.0K against the baselines' mean absolute errors (pipeline $2.0M).",
		"## Backtest: past forecasts against what happened",
		"| 2024-01-02 – 2024-04-01 | $1.0M–$3.0M | $2.0M | $4.0M | no | $1.0K |",
		"| Actual inside P10–P90 | 1 of 2 |",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q:\n%s", want, md[strings.Index(md, "# Analyst appendix"):])
		}
	}
	if a, b := strings.Index(md, "# Analyst appendix"), strings.Index(md, "## Backtest"); !(a >= 0 && a < b) {
		t.Errorf("the backtest is not in the appendix")
	}
}

// TestReportPeriod: a forecast whose summary.json names its quarter has
// the headline, subtitle and revenue section name it.
func TestReportPeriod(t *testing.T) {
	fx, _ := fixtures(t)
	path := filepath.Join(fx[0], "summary.json")
	b := must(os.ReadFile(path))
	b = bytes.Replace(b, []byte(`"schema_version": 1,`), []byte(`"schema_version": 1,
  "period": {"name": "Q3 FY2026", "label": "Q3 FY2026, Jul 1 - Sep 30, 2026", "start": "2026-07-01", "end": "2026-09-30"},`), 1)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	md := string(must(os.ReadFile(filepath.Join(runReport(t, fx[0]), "report.md"))))
	for _, want := range []string{"\nQ3 FY2026, Jul 1 - Sep 30, 2026 · 40 simulated quarters", "**Q3 FY2026, Jul 1 - Sep 30, 2026: ",
		"Revenue closed-won in Q3 FY2026, Jul 1 - Sep 30, 2026 over 40 simulated quarters"} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
}
