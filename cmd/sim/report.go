package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/cmd/sim/internal/report"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/funnelsim/funnel/montecarlo/backtest"
	"github.com/funnelsim/funnel/montecarlo/whatif"
	"gonum.org/v1/plot"
)

func init() {
	register("report", "assemble forecast, scenario and calibration outputs into one HTML and Markdown report", reportCmd)
}

const reportUsage = `
Usage: sim report [--out DIR] [FOLDER...]

Reads the output folders of sim forecast, and of sim compare, sim sla,
sim plan, sim calibrate and sim backtest when given, and writes one
report to --out:
  report.html   self-contained: charts inline as SVG, no scripts, fonts,
                style sheets or images to fetch; prints to PDF with one
                section a page
  report.md     the same for wikis, with the charts as PNG files beside it

The executive pages come first: the headline forecast (naming the quarter
when summary.json does), the chance of quota, pipeline coverage, the key
charts, what the what-ifs, response policies and plan found. An analyst
appendix follows after a clear break: parameter tables, calibration
diagnostics, Erlang C caveats, the backtest, the method. The words follow
the funnel the model has (no MQLs or SDRs for an opportunities-only one),
and a box at the top warns when the folders come from different models
or seeds (by the model hash and seed each folder's JSON records) or when
a folder does not record them.

Each folder is recognised by its files: summary.json and quarters.csv
(forecast), compare.json (compare), sla.json (sla), plan.json (plan),
calibration.md or parameters.json (calibrate), backtest.json (backtest).
A JSON file whose schema_version is newer than this sim reads is refused.
Each folder's
subfolders are searched too, so "sim report out" finds the forecast in
out/ and the comparison in out/compare/. With no FOLDER it reads "out". Sections whose folder is not
given are left out; the first forecast folder makes the executive summary.

The forecast charts are drawn again from summary.json and quarters.csv;
charts that need data the folders do not keep (MQL response times,
calibration diagnostics) are taken from the folder's .svg and .png files.

Examples:
  sim forecast --quarters 5000 --out out && sim compare --out out/compare
  sim report out
  sim report --out qbr/report out/forecast out/compare out/calibration
`

type reportConfig struct {
	out   string
	title string
}

func reportCmd(ctx context.Context, e *env, args []string) error {
	var cfg reportConfig
	fs := newFlags(e, "report", reportUsage)
	fs.StringVar(&cfg.out, "out", filepath.Join("out", "report"), "output `DIR` for report.html, report.md and its PNG charts")
	fs.StringVar(&cfg.title, "title", "", "report title (default: \"Revenue forecast: MODEL\")")
	dirs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		dirs = []string{"out"}
	}
	folders, err := findFolders(dirs, cfg.out)
	if err != nil {
		return err
	}
	dir, err := outdir.Begin(ctx, cfg.out)
	if err != nil {
		return fmt.Errorf("report: --out: %w", err)
	}
	defer dir.Abort()
	doc, charts, err := buildReport(folders, cfg.title)
	if err != nil {
		return err
	}
	if err := writeReport(dir, doc, charts); err != nil {
		return err
	}
	if err := dir.Commit(); err != nil {
		return err
	}
	var kinds []string
	for _, f := range folders {
		kinds = append(kinds, f.kind+" "+f.path)
	}
	pngs := fmt.Sprintf("%d PNG charts", len(charts))
	if len(charts) == 1 {
		pngs = "1 PNG chart"
	}
	fmt.Fprintf(e.stdout, "Read %s.\nWrote %s: report.html, report.md and %s.\n",
		strings.Join(kinds, ", "), cfg.out, pngs)
	return nil
}

// An outFolder is an output folder of one of sim's commands.
type outFolder struct {
	path string
	kind string // forecast, compare, sla, plan, calibrate
}

// folderKinds lists, in report order, each kind of folder and the files
// that mark it (any one of them).
var folderKinds = []struct {
	kind  string
	marks [][]string // every file of one entry must be present
}{
	{"forecast", [][]string{{"summary.json", "quarters.csv"}}},
	{"compare", [][]string{{"compare.json"}}},
	{"sla", [][]string{{"sla.json"}}},
	{"plan", [][]string{{"plan.json"}}},
	{"calibrate", [][]string{{"calibration.md"}, {"parameters.json"}}},
	{"backtest", [][]string{{"backtest.json"}}},
}

// folderKind returns the kind of output folder dir is, or "".
func folderKind(dir string) string {
	exists := func(name string) bool {
		st, err := os.Stat(filepath.Join(dir, name))
		return err == nil && !st.IsDir()
	}
	for _, k := range folderKinds {
		for _, files := range k.marks {
			ok := true
			for _, f := range files {
				ok = ok && exists(f)
			}
			if ok {
				return k.kind
			}
		}
	}
	return ""
}

// findFolders returns the output folders among dirs and their
// subdirectories (one level down), skipping skip (the report's own
// folder). Forecast folders come first, then compare, sla, plan and
// calibrate, each in the order given.
func findFolders(dirs []string, skip string) ([]outFolder, error) {
	var out []outFolder
	seen := map[string]bool{}
	add := func(path, kind string) {
		if abs, _ := filepath.Abs(path); !seen[abs] {
			seen[abs] = true
			out = append(out, outFolder{path: path, kind: kind})
		}
	}
	skipAbs, _ := filepath.Abs(skip)
	for _, d := range dirs {
		st, err := os.Stat(d)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		if !st.IsDir() {
			return nil, fmt.Errorf("report: %s is not a folder", d)
		}
		found := false
		if k := folderKind(d); k != "" {
			add(d, k)
			found = true
		}
		ents, err := os.ReadDir(d)
		if err != nil {
			return nil, fmt.Errorf("report: %w", err)
		}
		for _, e := range ents {
			sub := filepath.Join(d, e.Name())
			if abs, _ := filepath.Abs(sub); !e.IsDir() || abs == skipAbs || strings.HasPrefix(e.Name(), ".") {
				continue
			}
			if k := folderKind(sub); k != "" {
				add(sub, k)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("report: %s holds no output of sim forecast, compare, sla, plan, calibrate or backtest "+
				"(looked for summary.json with quarters.csv, compare.json, sla.json, plan.json, calibration.md, parameters.json, backtest.json)", d)
		}
	}
	order := func(k string) int {
		return slices.IndexFunc(folderKinds, func(f struct {
			kind  string
			marks [][]string
		}) bool {
			return f.kind == k
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return order(out[i].kind) < order(out[j].kind) })
	return out, nil
}

// reportChart is a chart of the report: its SVG (inlined in the HTML) and
// its PNG (written beside report.md), encoded or copied from a folder.
type reportChart struct {
	file string // PNG file name in the report folder
	png  []byte
}

// chartSet collects a report's charts.
type chartSet struct {
	charts []reportChart
}

// plot encodes p as SVG and PNG and returns the section's chart.
func (cs *chartSet) plot(p *plot.Plot, file, caption string) (report.Chart, error) {
	var svg, png bytes.Buffer
	if err := render.Encode(&svg, p, 0, 0, "svg"); err != nil {
		return report.Chart{}, err
	}
	if err := render.Encode(&png, p, 0, 0, "png"); err != nil {
		return report.Chart{}, err
	}
	cs.charts = append(cs.charts, reportChart{file: file + ".png", png: png.Bytes()})
	return report.Chart{Caption: caption, SVG: svg.Bytes(), PNG: file + ".png"}, nil
}

// copy returns the chart name.svg of dir, with its PNG, and false when the
// folder lacks the SVG.
func (cs *chartSet) copy(dir, name, file, caption string) (report.Chart, bool, error) {
	svg, err := os.ReadFile(filepath.Join(dir, name+".svg"))
	if errors.Is(err, fs.ErrNotExist) {
		return report.Chart{}, false, nil
	} else if err != nil {
		return report.Chart{}, false, err
	}
	c := report.Chart{Caption: caption, SVG: svg}
	if png, err := os.ReadFile(filepath.Join(dir, name+".png")); err == nil {
		cs.charts = append(cs.charts, reportChart{file: file + ".png", png: png})
		c.PNG = file + ".png"
	}
	return c, true, nil
}

// forecastData is a forecast folder's contents.
type forecastData struct {
	dir      string
	rep      montecarlo.Report
	period   string    // the calendar quarter forecast, "Q3 FY2026, Jul 1 - Sep 30, 2026"; "" when summary.json does not say
	revenue  []float64 // first quarter of each run
	coverage []float64
}

// checkSchema returns an error when v, the schema_version of the file at
// path, is newer than known, the version this sim writes (0: a file
// written before versions were recorded, read as 1).
func checkSchema(path string, v, known int) error {
	if v < 0 || v > known {
		return fmt.Errorf("%s: schema_version %d: this sim reads versions up to %d; use the sim that wrote it, or run the command again with this one", path, v, known)
	}
	return nil
}

func readForecast(dir string) (*forecastData, error) {
	f := &forecastData{dir: dir}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &f.rep); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "summary.json"), err)
	}
	if err := checkSchema(filepath.Join(dir, "summary.json"), f.rep.SchemaVersion, montecarlo.ReportSchemaVersion); err != nil {
		return nil, err
	}
	if f.rep.Quarters == 0 || f.rep.ModelHash == "" {
		return nil, fmt.Errorf("%s: not a summary of sim forecast (no quarters or model_hash)", filepath.Join(dir, "summary.json"))
	}
	if p := f.rep.Period; p != nil {
		f.period = p.Label
		if f.period == "" {
			f.period = p.Name
		}
	}
	path := filepath.Join(dir, "quarters.csv")
	b, err = os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, h := range []string{"quarter", "revenue", "coverage"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("%s: no %q column", path, h)
		}
	}
	num := func(s string) float64 {
		if s == "" {
			return math.NaN()
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return math.NaN()
		}
		return v
	}
	for _, r := range rows[1:] {
		if r[col["quarter"]] != "1" {
			continue
		}
		f.revenue = append(f.revenue, num(r[col["revenue"]]))
		f.coverage = append(f.coverage, num(r[col["coverage"]]))
	}
	return f, nil
}

// compareData is compare.json, as sim compare writes it.
type compareData = whatif.CompareResult

// lever is a what-if's effect on a metric.
type lever struct {
	name, description string
	delta, lo, hi     float64
	significant       bool
}

// levers returns each what-if's effect on metric, largest first.
func levers(c *compareData, metric string) []lever {
	var out []lever
	for _, w := range c.WhatIfs {
		for _, d := range w.Diffs {
			if d.Metric == metric && !math.IsNaN(float64(d.Delta)) {
				out = append(out, lever{w.Name, w.Description, float64(d.Delta), float64(d.PairedLo), float64(d.PairedHi), d.Significant})
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return math.Abs(out[i].delta) > math.Abs(out[j].delta) })
	return out
}

// reproduceCommand returns the command that reproduces the forecast
// summarised by rep: exact when the model is the embedded default (with an
// embedded scenario), else with MODEL.yaml standing for the model whose
// hash rep gives.
func reproduceCommand(rep *montecarlo.Report) (cmd string, exact bool) {
	args := []string{"sim", "forecast"}
	m, _, err := loadModel("", rep.Scenario)
	exact = err == nil && m.Hash() == rep.ModelHash
	if !exact {
		args = append(args, "--model", "MODEL.yaml")
		if rep.ParamsDrawn {
			args = append(args, "--params", "drawn")
		} else {
			args = append(args, "--params", "fixed")
		}
	}
	if rep.Scenario != "" && exact {
		args = append(args, "--scenario", rep.Scenario)
	}
	args = append(args, "--quarters", strconv.Itoa(rep.Quarters), "--seed", strconv.FormatUint(rep.Seed, 10))
	if rep.Horizon > 1 {
		args = append(args, "--horizon", strconv.Itoa(rep.Horizon))
	}
	return strings.Join(args, " "), exact
}

// Definitions shown beside the metrics.
const (
	defRevenue      = "Amount of deals closed-won inside the quarter; P10–P90: 8 in 10 simulated quarters fall in this range."
	defProbQuota    = "P(hit quota): share of simulated quarters with revenue ≥ quota, ± two binomial standard errors."
	defCoverage     = "Coverage = open pipeline value at the start of the quarter ÷ quota."
	defNeeded       = "Coverage needed: 80th percentile over quarters of open pipeline ÷ revenue — the coverage that makes quota in 80% of quarters if revenue scales with the opening pipeline (this funnel's own win rates and cycle times, not a 3x–4x rule of thumb)."
	defSLA          = "SLA compliance: leads meeting the SLA ÷ leads entering its from-stage in the quarter (a lead never handled breaches it), averaged over quarters."
	defContacted    = "Contacted: an MQL an SDR reached; the chance of reaching it falls with the response time along the model's decay curve."
	defQualified    = "Qualified: a contacted MQL the SDR found to have potential (the stage after the handoff, tql in the default taxonomy), passed to sales to accept or reject."
	defConversion   = "Conversion: leads moving into the stage from the previous stage on the way to a win ÷ the previous stage's entries, per quarter."
	defMarketing    = "Marketing-sourced: opportunities from leads marketing generated (MQL → SDR → sales); sales-sourced: opportunities sales created itself (outbound), entering mid-funnel."
	defLever        = "Largest paired difference in mean quarterly revenue between a what-if and the base, on the same simulated quarters (common random numbers)."
	defResponse     = "Response time: wall-clock time from a lead becoming an MQL to the SDR's first touch; the median and P90 are each quarter's, averaged over quarters."
	defOpenPipeline = "Open pipeline: value of the opportunities open at the start of the quarter."
)

// provenance is what a folder's JSON records of the model and seed it
// was made with, for the warning against mixing models.
type provenance struct {
	kind, path  string
	model, hash string // hash "": not recorded
	scenario    string
	seed        uint64
	hasSeed     bool
}

// provenanceWarnings returns the warnings a report of these folders needs:
// folders made from different models (by their model hashes), simulated
// with different seeds, or that do not record the model they come from.
func provenanceWarnings(ps []provenance) []string {
	if len(ps) < 2 {
		return nil
	}
	var out []string
	var known, unknown []provenance
	hashes := map[string]bool{}
	for _, p := range ps {
		if p.hash == "" {
			unknown = append(unknown, p)
			continue
		}
		known = append(known, p)
		hashes[p.hash] = true
	}
	if len(hashes) > 1 {
		// One entry a model: the folders made from it.
		var order []string
		folders := map[string][]string{}
		for _, p := range known {
			if _, ok := folders[p.hash]; !ok {
				order = append(order, p.hash)
			}
			folders[p.hash] = append(folders[p.hash], p.kind+" "+p.path)
		}
		var ls []string
		for _, h := range order {
			var p provenance
			for _, q := range known {
				if q.hash == h {
					p = q
					break
				}
			}
			m := "model " + p.model
			if p.scenario != "" {
				m += ", scenario " + p.scenario
			}
			ls = append(ls, strings.Join(folders[h], ", ")+": "+m+" (hash "+h[:min(12, len(h))]+")")
		}
		out = append(out, fmt.Sprintf("these folders come from %d different models, so their figures do not describe one funnel and do not add up: ", len(order))+
			strings.Join(ls, "; ")+". A scenario given to sim forecast, or a model edited or calibrated again, is a different model; run every command on the same model file.")
	}
	if len(unknown) > 0 && len(known)+len(unknown) > 1 {
		var ls []string
		for _, p := range unknown {
			ls = append(ls, p.kind+" "+p.path)
		}
		verb := "does"
		if len(unknown) > 1 {
			verb = "do"
		}
		out = append(out, "this report cannot tell whether "+strings.Join(ls, ", ")+" "+verb+" come from the same model as the other folders: "+
			"no model hash is recorded there (written by an older sim, or calibrate's calibration.md alone); run the command again to record it.")
	}
	seeds := map[uint64]bool{}
	var seeded []string
	for _, p := range ps {
		if p.hasSeed {
			seeds[p.seed] = true
			seeded = append(seeded, fmt.Sprintf("%s %s: seed %d", p.kind, p.path, p.seed))
		}
	}
	if len(seeds) > 1 {
		out = append(out, "these folders were simulated with different seeds ("+strings.Join(seeded, "; ")+
			"): a figure that appears in two sections (the base's revenue, say) differs between them by chance; use one --seed for every command.")
	}
	return out
}

// buildReport reads the folders and assembles the document and its charts.
func buildReport(folders []outFolder, title string) (*report.Document, []reportChart, error) {
	doc := &report.Document{}
	cs := &chartSet{}
	var main *forecastData
	var cmp *compareData
	var provs []provenance
	var findings []string // executive points from sla, plan and backtest folders
	prefixes := map[string]int{}
	prefix := func(kind string) string {
		prefixes[kind]++
		if n := prefixes[kind]; n > 1 {
			return kind + strconv.Itoa(n)
		}
		return kind
	}
	var sections []report.Section
	for _, f := range folders {
		id := prefix(f.kind)
		var secs []report.Section
		var err error
		switch f.kind {
		case "forecast":
			var fc *forecastData
			fc, err = readForecast(f.path)
			if err != nil {
				return nil, nil, err
			}
			if main == nil {
				main = fc
			}
			r := &fc.rep
			provs = append(provs, provenance{kind: f.kind, path: f.path, model: r.Model, hash: r.ModelHash, scenario: r.Scenario, seed: r.Seed, hasSeed: true})
			secs, err = forecastSections(fc, id, cs, len(folders) > 1 && prefixes["forecast"] > 1)
		case "compare":
			var c compareData
			path := filepath.Join(f.path, "compare.json")
			c, err = readJSONFile[compareData](path)
			if err == nil {
				err = whatif.CheckSchema(path, c.SchemaVersion)
			}
			if err != nil {
				return nil, nil, err
			}
			if cmp == nil {
				cmp = &c
			}
			provs = append(provs, provenance{kind: f.kind, path: f.path, model: c.Model, hash: c.ModelHash, seed: c.Seed, hasSeed: true})
			var s report.Section
			s, err = compareSection(&c, f.path, id, cs)
			secs = []report.Section{s}
		case "calibrate":
			var p *calibrate.ParametersFile
			path := filepath.Join(f.path, "parameters.json")
			if _, serr := os.Stat(path); serr == nil {
				var v calibrate.ParametersFile
				v, err = readJSONFile[calibrate.ParametersFile](path)
				if err == nil {
					err = calibrate.CheckSchema(path, v.SchemaVersion)
				}
				if err != nil {
					return nil, nil, err
				}
				p = &v
				provs = append(provs, provenance{kind: f.kind, path: f.path, model: v.Model, hash: v.ModelHash})
			} else {
				provs = append(provs, provenance{kind: f.kind, path: f.path})
			}
			var s report.Section
			s, err = calibrateSection(p, f.path, id, cs)
			secs = []report.Section{s}
		case "sla":
			path := filepath.Join(f.path, "sla.json")
			var d whatif.SLAResult
			d, err = readJSONFile[whatif.SLAResult](path)
			if err == nil {
				err = whatif.CheckSchema(path, d.SchemaVersion)
			}
			if err != nil {
				return nil, nil, err
			}
			provs = append(provs, provenance{kind: f.kind, path: f.path, model: d.Model, hash: d.ModelHash, seed: d.Seed, hasSeed: true})
			if x := slaFinding(&d); x != "" {
				findings = append(findings, x)
			}
			secs, err = slaSections(&d, f.path, id, cs)
		case "plan":
			path := filepath.Join(f.path, "plan.json")
			var d whatif.PlanResult
			d, err = readJSONFile[whatif.PlanResult](path)
			if err == nil {
				err = whatif.CheckSchema(path, d.SchemaVersion)
			}
			if err != nil {
				return nil, nil, err
			}
			provs = append(provs, provenance{kind: f.kind, path: f.path, model: d.Model, hash: d.ModelHash, seed: d.Seed, hasSeed: true})
			if x := planFinding(&d); x != "" {
				findings = append(findings, x)
			}
			var s report.Section
			s, err = planSection(&d, f.path, id, cs)
			secs = []report.Section{s}
		case "backtest":
			path := filepath.Join(f.path, "backtest.json")
			var d backtest.Result
			d, err = readJSONFile[backtest.Result](path)
			if err == nil {
				err = checkSchema(path, d.SchemaVersion, backtest.SchemaVersion)
			}
			if err != nil {
				return nil, nil, err
			}
			if x := backtestFinding(&d); x != "" {
				findings = append(findings, x)
			}
			var s report.Section
			s, err = backtestSection(&d, f.path, id, cs)
			secs = []report.Section{s}
		default:
			var s report.Section
			s, err = genericSection(f, id, cs)
			secs = []report.Section{s}
		}
		if err != nil {
			return nil, nil, err
		}
		sections = append(sections, secs...)
	}
	doc.Warnings = provenanceWarnings(provs)
	if main != nil {
		summarise(doc, main, cmp)
		sections = append(sections, methodSection(main))
	} else {
		doc.Title = "Funnel report"
		doc.Headline = "No forecast folder was given: the executive summary needs the output of sim forecast."
	}
	doc.Points = append(doc.Points, findings...)
	if title != "" {
		doc.Title = title
	}
	doc.Sections = sections
	return doc, cs.charts, nil
}

func readJSONFile[T any](path string) (T, error) {
	var v T
	b, err := os.ReadFile(path)
	if err != nil {
		return v, err
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return v, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

// summarise fills the title, headline and key figures from the main
// forecast and, when given, the comparison of scenarios.
func summarise(doc *report.Document, fc *forecastData, cmp *compareData) {
	r := &fc.rep
	cur := r.Currency
	money := func(v montecarlo.Float) string { return render.Money(float64(v), cur) }
	name := r.Model
	if r.Scenario != "" {
		name += ", scenario " + r.Scenario
	}
	doc.Title = "Revenue forecast: " + name
	doc.Subtitle = fmt.Sprintf("%s simulated quarters · seed %d · model hash %s", render.Count(float64(r.Quarters)), r.Seed, r.ModelHash[:12])
	hasQuota := r.Quota > 0
	if hasQuota {
		doc.Headline = fmt.Sprintf("%s chance of making the %s quota; revenue will most likely land between %s and %s (P10–P90).",
			render.Percent(float64(r.ProbHitQuota)), render.Money(r.Quota, cur), money(r.Revenue.P10), money(r.Revenue.P90))
	} else {
		doc.Headline = fmt.Sprintf("Revenue will most likely land between %s and %s a quarter (P10–P90); the model sets no quota.",
			money(r.Revenue.P10), money(r.Revenue.P90))
	}
	if fc.period != "" {
		doc.Headline = fc.period + ": " + strings.ToLower(doc.Headline[:1]) + doc.Headline[1:]
		doc.Subtitle = fc.period + " · " + doc.Subtitle
	}
	rev := report.KPI{Label: "Revenue, P10–P90", Value: money(r.Revenue.P10) + " – " + money(r.Revenue.P90),
		Detail: "median " + money(r.Revenue.P50), Definition: "Closed-won inside the quarter; 8 in 10 simulated quarters fall in this range."}
	if hasQuota {
		rev.Detail += " against a " + render.Money(r.Quota, cur) + " quota"
		switch {
		case float64(r.Revenue.P10) >= r.Quota:
			rev.Status = report.Good
		case float64(r.Revenue.P50) < r.Quota:
			rev.Status = report.Warn
		}
	}
	doc.KPIs = append(doc.KPIs, rev)
	if !hasQuota {
		// No quota to measure against: what the quarter starts with and
		// how many deals it closes.
		count := func(v montecarlo.Float) string { return render.Count(float64(v)) }
		doc.KPIs = append(doc.KPIs,
			report.KPI{Label: "Deals won, P10–P90", Value: count(r.DealsWon.P10) + " – " + count(r.DealsWon.P90),
				Detail: "median " + count(r.DealsWon.P50), Definition: "Deals closed-won inside the quarter."},
			report.KPI{Label: "Open pipeline at quarter start (median)", Value: money(r.OpenPipeline.P50),
				Detail: count(r.OpenDeals.P50) + " open deals", Definition: defOpenPipeline})
	}
	if hasQuota {
		k := report.KPI{Label: "P(hit quota)", Value: render.Percent(float64(r.ProbHitQuota)),
			Detail:     fmt.Sprintf("± %s; %s of %s quarters", render.Percent(2*float64(r.ProbHitQuotaSE)), render.Count(float64(r.ProbHitQuota)*float64(r.Quarters)), render.Count(float64(r.Quarters))),
			Definition: "Share of simulated quarters with revenue ≥ quota, ± two standard errors (in none or all of them: the exact 95% bound).", Status: report.Warn}
		if b, ok := boundedShare(float64(r.ProbHitQuota), r.Quarters); ok {
			k.Value, k.Detail = b, fmt.Sprintf("%s of %s quarters; exact 95%% bound", render.Count(float64(r.ProbHitQuota)*float64(r.Quarters)), render.Count(float64(r.Quarters)))
		}
		if r.ProbHitQuota >= 0.8 {
			k.Status = report.Good
		}
		doc.KPIs = append(doc.KPIs, k)
		c := report.KPI{Label: "Pipeline coverage (median)", Value: render.Ratio(float64(r.Coverage.P50)),
			Detail: fmt.Sprintf("this funnel needs %s for an 80%% chance (P10–P90 %s–%s)", render.Ratio(float64(r.CoverageNeeded)),
				render.Ratio(float64(r.Coverage.P10)), render.Ratio(float64(r.Coverage.P90))),
			Definition: defCoverage + " Needed: the coverage that makes quota in 80% of quarters, from this funnel's own win rates and cycle times.", Status: report.Warn}
		if r.Coverage.P50 >= r.CoverageNeeded {
			c.Status = report.Good
		}
		doc.KPIs = append(doc.KPIs, c)
	}
	if cmp != nil {
		if ls := levers(cmp, "revenue"); len(ls) > 0 {
			l := ls[0]
			k := report.KPI{Label: "Biggest lever (scenarios)", Value: l.name,
				Detail: fmt.Sprintf("%s%s revenue a quarter (95%% %s to %s) vs %s", signPlus(l.delta), render.Money(l.delta, cmp.Currency),
					signedMoney(l.lo, cmp.Currency), signedMoney(l.hi, cmp.Currency), cmp.Base),
				Definition: defLever}
			if !l.significant {
				k.Detail = "~ " + k.Detail + " (not significant)"
			}
			if l.significant && l.delta > 0 {
				k.Status = report.Good
			}
			doc.KPIs = append(doc.KPIs, k)
		}
	}
	doc.Points = takeaways(r, cmp)
	for _, s := range r.SLA {
		k := report.KPI{Label: "SLA compliance: " + s.Name, Value: render.Percent(float64(s.PerQuarter.Mean)),
			Detail: "within " + slaWindow(s), Definition: "Leads handled within the SLA ÷ leads entering its from-stage, a quarter's, averaged over quarters."}
		if s.Target > 0 {
			k.Detail += fmt.Sprintf("; target %s, met in %s of quarters", render.Percent(s.Target), render.Percent(float64(s.ProbMeetsTarget)))
			k.Status = report.Warn
			if float64(s.PerQuarter.Mean) >= s.Target {
				k.Status = report.Good
			}
		}
		doc.KPIs = append(doc.KPIs, k)
	}
}

// takeaways returns the findings worth a sentence: the coverage gap, the
// SLAs missing their targets, the contact rate and the biggest lever.
func takeaways(r *montecarlo.Report, cmp *compareData) []string {
	var out []string
	cur := r.Currency
	if r.Quota > 0 && !math.IsNaN(float64(r.CoverageNeeded)) && !math.IsInf(float64(r.CoverageNeeded), 0) {
		gap := float64(r.CoverageNeeded-r.Coverage.P50) * r.Quota
		if gap > 0 {
			out = append(out, fmt.Sprintf("Pipeline coverage of %s is below the %s this funnel needs for an 80%% chance of quota: about %s more open pipeline at quarter start.",
				render.Ratio(float64(r.Coverage.P50)), render.Ratio(float64(r.CoverageNeeded)), render.Money(gap, cur)))
		} else {
			out = append(out, fmt.Sprintf("Pipeline coverage of %s clears the %s this funnel needs for an 80%% chance of quota.",
				render.Ratio(float64(r.Coverage.P50)), render.Ratio(float64(r.CoverageNeeded))))
		}
	}
	if shapeOf(r).sdrs && !math.IsNaN(float64(r.ResponseP50.Mean)) {
		out = append(out, fmt.Sprintf("SDRs reach %s of the %s MQLs a quarter; the median MQL waits %s for a first touch.",
			render.Percent(float64(r.ContactRate)), render.Count(float64(r.MQLs.Mean)), render.Duration(float64(r.ResponseP50.Mean))))
	}
	for _, s := range r.SLA {
		if s.Target > 0 && float64(s.PerQuarter.Mean) < s.Target {
			out = append(out, fmt.Sprintf("SLA %s misses its target: %s of leads handled within %s, against %s.",
				s.Name, render.Percent(float64(s.PerQuarter.Mean)), slaWindow(s), render.Percent(s.Target)))
		}
	}
	if cmp != nil {
		if ls := levers(cmp, "revenue"); len(ls) > 0 && ls[0].significant {
			out = append(out, fmt.Sprintf("Biggest lever among the scenarios: %s, %s revenue a quarter against %s.",
				ls[0].name, signedMoney(ls[0].delta, cmp.Currency), cmp.Base))
		}
	}
	return out
}

func metric(name, value, definition string) report.Metric {
	return report.Metric{Name: name, Value: value, Definition: definition}
}

func signPlus(v float64) string {
	if v > 0 {
		return "+"
	}
	return ""
}

func signedMoney(v float64, cur string) string { return signPlus(v) + render.Money(v, cur) }

func slaWindow(s montecarlo.SLAReport) string {
	w := render.Duration(s.Hours * 60)
	if s.Business {
		w += " of business hours"
	}
	return w
}

// slaCategory names an SLA on a chart with its window: "sdr-first-touch
// ≤ 1h (business hours)".
func slaCategory(s montecarlo.SLAReport) string {
	c := s.Name + " ≤ " + render.Duration(s.Hours*60)
	if s.Business {
		c += " (business hours)"
	}
	return c
}

// funnelShape is what a forecast's funnel has, so that the report speaks
// of what exists: an opportunities-only model has no MQLs and no SDRs.
type funnelShape struct {
	mqls  bool // leads reach a handoff stage: MQLs a quarter > 0
	sdrs  bool // an SDR queue contacts them: a contact rate
	split bool // pipeline comes both from marketing's leads and sales' own
	teams bool // stages belong to more than one team
}

func shapeOf(r *montecarlo.Report) funnelShape {
	sh := funnelShape{mqls: r.MQLs.Mean > 0}
	sh.sdrs = sh.mqls && !math.IsNaN(float64(r.ContactRate))
	pc := r.PipelineCreated
	sh.split = sh.mqls && pc.MarketingCount.Mean > 0 && pc.SalesCount.Mean > 0
	teams := map[string]bool{}
	for _, st := range r.Stages {
		teams[st.Team] = true
	}
	sh.teams = len(teams) > 1
	return sh
}

// stageName is a stage's name for people: its label, else its name.
func stageName(s montecarlo.StageReport) string {
	if s.Label != "" {
		return s.Label
	}
	return s.Name
}

// forecastSections returns the sections of a forecast folder: revenue,
// coverage, funnel, SLAs and response times, in that order, each left out
// when the forecast has nothing for it.
func forecastSections(fc *forecastData, id string, cs *chartSet, label bool) ([]report.Section, error) {
	r := &fc.rep
	cur := r.Currency
	sh := shapeOf(r)
	money := func(v montecarlo.Float) string { return render.Money(float64(v), cur) }
	count := func(v montecarlo.Float) string { return render.Count(float64(v)) }
	suffix := ""
	if label {
		suffix = " (" + fc.dir + ")"
		if r.Scenario != "" {
			suffix = " (scenario " + r.Scenario + ")"
		}
	}
	var secs []report.Section
	quarter := "the quarter"
	if fc.period != "" {
		quarter = fc.period
	}

	// Revenue.
	rv := report.Section{ID: id + "-revenue", Title: "Revenue distribution" + suffix,
		Intro: []string{fmt.Sprintf("Revenue closed-won in %s over %s simulated quarters: each one draws its own arrivals, conversions and delays.", quarter, render.Count(float64(r.Quarters)))}}
	rv.Metrics = []report.Metric{
		metric("Revenue, mean", money(r.Revenue.Mean)+" ± "+money(2*r.Revenue.SE), defRevenue+" Mean ± two standard errors of the mean."),
		metric("Revenue, P10 / P50 / P90", money(r.Revenue.P10)+" / "+money(r.Revenue.P50)+" / "+money(r.Revenue.P90), "Quantiles over simulated quarters: 10% of quarters fall below P10, 10% above P90."),
		metric("Deals won, mean (P10–P90)", count(r.DealsWon.Mean)+" ("+count(r.DealsWon.P10)+"–"+count(r.DealsWon.P90)+")", "Deals closed-won inside the quarter."),
	}
	if r.Quota > 0 {
		rv.Metrics = append(rv.Metrics, metric("Quota", render.Money(r.Quota, cur), "Revenue target a quarter, from the model."),
			metric("P(hit quota)", render.Percent(float64(r.ProbHitQuota))+" ± "+render.Percent(2*float64(r.ProbHitQuotaSE)), defProbQuota))
	}
	if len(r.PerQuarter) > 1 {
		t := report.Table{Caption: "Revenue by quarter (pipeline carried over)", Head: []string{"quarter", "P10", "P50", "P90"}, Right: []bool{false, true, true, true}}
		for k, s := range r.PerQuarter {
			name := "Q" + strconv.Itoa(k+1)
			if k < len(r.Periods) && r.Periods[k].Name != "" {
				name = r.Periods[k].Name
			}
			t.Rows = append(t.Rows, []string{name, money(s.P10), money(s.P50), money(s.P90)})
		}
		rv.Tables = append(rv.Tables, t)
	}
	caption := "Share of simulated quarters by revenue; shaded: P10–P90."
	if r.Quota > 0 {
		caption = "Share of simulated quarters by revenue; shaded: P10–P90; vertical line: quota."
	}
	ch, err := cs.plot(render.RevenueHistogram(fc.revenue, r.Quota, cur), id+"-revenue", caption)
	if err != nil {
		return nil, err
	}
	rv.Charts = append(rv.Charts, ch)
	secs = append(secs, rv)

	// Coverage.
	if r.Quota > 0 {
		cv := report.Section{ID: id + "-coverage", Title: "Pipeline coverage" + suffix,
			Intro: []string{"How much open pipeline the quarter starts with, against quota, and how much this funnel needs. " +
				"Rules of thumb (3x, 4x) assume a win rate of 33% or 25%; the needed coverage comes from the funnel's own win rates and cycle times."}}
		cv.Metrics = []report.Metric{
			metric("Coverage, median (P10–P90)", render.Ratio(float64(r.Coverage.P50))+" ("+render.Ratio(float64(r.Coverage.P10))+"–"+render.Ratio(float64(r.Coverage.P90))+")", defCoverage),
			metric("Coverage needed (80%)", render.Ratio(float64(r.CoverageNeeded)), defNeeded),
			metric("Open pipeline, median", money(r.OpenPipeline.P50)+", "+count(r.OpenDeals.P50)+" deals", defOpenPipeline),
		}
		if ch, err = cs.plot(render.CoverageHistogram(fc.coverage, float64(r.CoverageNeeded)), id+"-coverage", "Share of simulated quarters by coverage at quarter start, against the 3x and 4x rules and this funnel's need."); err != nil {
			return nil, err
		}
		cv.Charts = append(cv.Charts, ch)
		secs = append(secs, cv)
	}

	// Pipeline movement, from the forecast folder's chart.
	if c, ok, err := cs.copy(fc.dir, "waterfall", id+"-waterfall", "Pipeline movement in the quarter: the opening pipeline, what is created, won and lost, and what stays open at the close (means, with P10–P90)."); err != nil {
		return nil, err
	} else if ok {
		secs = append(secs, report.Section{ID: id + "-waterfall", Title: "Pipeline movement" + suffix, Charts: []report.Chart{c},
			Intro: []string{"Where the quarter's pipeline comes from and where it goes, as simulated: the numbers are in the forecast folder's pipeline_movement.csv."}})
	}

	// Funnel.
	var names []string
	for _, st := range r.Stages {
		if st.Main {
			names = append(names, stageName(st))
		}
	}
	intro := "Mean volume a quarter at each stage, and the conversion from the stage before on the way to a win (" + strings.Join(names, " → ") + "). "
	switch {
	case sh.sdrs:
		intro += "Marketing generates leads that become MQLs, SDRs contact and qualify them, sales accepts or rejects them and works the opportunities"
		if sh.split {
			intro += "; sales also sources its own opportunities"
		}
		intro += "."
	case sh.mqls:
		intro += "Marketing generates leads that become MQLs, and sales works the opportunities they become."
	default:
		intro += "Opportunities enter the pipeline and sales works them to won or lost."
	}
	fun := report.Section{ID: id + "-funnel", Title: "Funnel" + suffix, Intro: []string{intro}}
	head, right := []string{"stage", "team", "entries", "sd", "conversion", "on the way to a win"}, []bool{false, false, true, true, true, false}
	if !sh.teams {
		head, right = slices.Delete(head, 1, 2), slices.Delete(right, 1, 2)
	}
	st := report.Table{Caption: "Stages, mean a quarter", Head: head, Right: right, Note: defConversion}
	if !sh.mqls {
		st.Note = strings.Replace(defConversion, "leads moving", "deals moving", 1)
	}
	for _, s := range r.Stages {
		c, main := "", ""
		if !math.IsNaN(float64(s.Conversion)) {
			c = render.Percent(float64(s.Conversion))
		}
		if s.Main {
			main = "yes"
		}
		row := []string{stageName(s), s.Team, count(s.MeanEntries), count(s.SDEntries), c, main}
		if !sh.teams {
			row = slices.Delete(row, 1, 2)
		}
		st.Rows = append(st.Rows, row)
	}
	pc := r.PipelineCreated
	if sh.split {
		fun.Tables = append(fun.Tables, report.Table{Caption: "Opportunities created a quarter, by source", Head: []string{"source", "opportunities", "value, mean", "value, P10–P90", "share of value"},
			Right: []bool{false, true, true, true, true},
			Rows: [][]string{
				{"marketing", count(pc.MarketingCount.Mean), money(pc.MarketingValue.Mean), money(pc.MarketingValue.P10) + "–" + money(pc.MarketingValue.P90), render.Percent(float64(pc.MarketingShare))},
				{"sales", count(pc.SalesCount.Mean), money(pc.SalesValue.Mean), money(pc.SalesValue.P10) + "–" + money(pc.SalesValue.P90), render.Percent(1 - float64(pc.MarketingShare))},
			},
			Note: defMarketing})
	} else if created := pc.MarketingCount.Mean + pc.SalesCount.Mean; created > 0 {
		fun.Metrics = append(fun.Metrics, metric("Opportunities created a quarter", count(created)+", "+money(pc.MarketingValue.Mean+pc.SalesValue.Mean),
			"Opportunities opened inside the quarter and their value, mean a quarter."))
	}
	fun.Tables = append(fun.Tables, st)
	if sh.mqls {
		fun.Metrics = append(fun.Metrics, metric("MQLs a quarter", count(r.MQLs.Mean), "Leads entering the handoff stage (marketing qualified), mean a quarter."))
	}
	if sh.sdrs {
		fun.Metrics = append(fun.Metrics, metric("Contacted", render.Percent(float64(r.ContactRate))+" of MQLs", defContacted))
		if q := qualified(r); q != "n/a" {
			fun.Metrics = append(fun.Metrics, metric("Qualified", q, defQualified))
		}
	}
	if ch, err = cs.plot(funnelChart(r), id+"-funnel", "Mean volume a quarter at each stage on the way to a win; the dark part of a bar came along the arrow from the stage before, at its conversion."); err != nil {
		return nil, err
	}
	fun.Charts = append(fun.Charts, ch)
	if c, ok, err := cs.copy(fc.dir, "breakdown", id+"-breakdown", "Revenue and pipeline created by source, segment or owning team, with P10–P90 (the forecast folder's breakdown.csv has every figure)."); err != nil {
		return nil, err
	} else if ok {
		fun.Charts = append(fun.Charts, c)
	}
	secs = append(secs, fun)

	// SLAs and response times.
	sl := report.Section{ID: id + "-sla", Title: "SLAs and response times" + suffix,
		Intro: []string{"The service-level agreements between the teams and how fast leads are first touched."}}
	if sh.sdrs {
		sl.Intro = []string{"The service-level agreements between marketing, SDRs and sales, and how fast MQLs are first touched. " +
			"Response time matters because the chance of reaching a lead falls steeply in the first hour."}
	}
	if len(r.SLA) > 0 {
		t := report.Table{Caption: "SLA compliance", Head: []string{"handoff", "within", "compliance", "P10–P90 over quarters", "target", "quarters meeting target"},
			Right: []bool{false, false, true, true, true, true}, Note: defSLA}
		var sn []string
		var comp, targets []float64
		for _, s := range r.SLA {
			target, meet := "–", "–"
			tg := math.NaN()
			if s.Target > 0 {
				target, meet, tg = render.Percent(s.Target), render.Percent(float64(s.ProbMeetsTarget)), s.Target
			}
			t.Rows = append(t.Rows, []string{s.Name, slaWindow(s), render.Percent(float64(s.PerQuarter.Mean)),
				render.Percent(float64(s.PerQuarter.P10)) + "–" + render.Percent(float64(s.PerQuarter.P90)), target, meet})
			sn, comp, targets = append(sn, slaCategory(s)), append(comp, float64(s.PerQuarter.Mean)), append(targets, tg)
		}
		sl.Tables = append(sl.Tables, t)
		if ch, err = cs.plot(render.SLACompliance(sn, comp, targets), id+"-sla", "Share of handoffs done within their SLA; marks: targets."); err != nil {
			return nil, err
		}
		sl.Charts = append(sl.Charts, ch)
	}
	if sh.sdrs && !math.IsNaN(float64(r.ResponseP50.Mean)) {
		sl.Metrics = append(sl.Metrics,
			metric("MQL response, median", render.Duration(float64(r.ResponseP50.Mean)), defResponse),
			metric("MQL response, P90", render.Duration(float64(r.ResponseP90.Mean)), "90% of a quarter's MQLs are first touched within this time (mean over quarters)."),
			metric("Contacted", render.Percent(float64(r.ContactRate))+" of "+count(r.MQLs.Mean)+" MQLs", defContacted))
	}
	if sh.sdrs {
		c, ok, err := cs.copy(fc.dir, "response", id+"-response", "Share of MQLs by response time (log scale), against the first-touch SLA.")
		if err != nil {
			return nil, err
		}
		if ok {
			sl.Charts = append(sl.Charts, c)
		}
	}
	if len(sl.Tables)+len(sl.Charts)+len(sl.Metrics) > 0 {
		secs = append(secs, sl)
	}
	return secs, nil
}

// qualified returns the qualified share of contacted MQLs: entries of the
// stage after the handoff over contacted leads.
func qualified(r *montecarlo.Report) string {
	var hand, next int = -1, -1
	for i, s := range r.Stages {
		if s.Main && s.Team == "sdr" && hand < 0 && i > 0 {
			hand, next = i-1, i
		}
	}
	if next < 0 || r.Contacted.Mean <= 0 {
		return "n/a"
	}
	q := r.Stages[next].MeanEntries
	return fmt.Sprintf("%s a quarter (%s of contacted)", render.Count(float64(q)), render.Percent(float64(q/r.Contacted.Mean)))
}

// compareSection returns the scenario comparison: the tornado chart and
// each what-if's deltas.
func compareSection(c *compareData, dir, id string, cs *chartSet) (report.Section, error) {
	s := report.Section{ID: id, Title: "Scenarios: what moves revenue",
		Intro: []string{fmt.Sprintf("Each what-if changes one thing in the model and is simulated on the same %s quarters as the base (%s), seed %d: "+
			"the same leads, delays and conversions except where the what-if changes them, so the differences are paired and their intervals narrow.",
			render.Count(float64(c.Quarters)), c.Base, c.Seed)}}
	var effects []render.Effect
	t := report.Table{Caption: "Effect of each what-if against " + c.Base, Head: []string{"what-if", "revenue a quarter", "95% interval", "P(hit quota)", "what it changes"},
		Right: []bool{false, true, true, true, false},
		Note:  "Deltas: what-if − base, mean over the same simulated quarters; intervals: paired 95%. ~: the interval contains zero (not significant). P(hit quota) in percentage points."}
	for _, l := range levers(c, "revenue") {
		effects = append(effects, render.Effect{Name: l.name, Delta: l.delta, Lo: l.lo, Hi: l.hi})
		d := signedMoney(l.delta, c.Currency)
		if !l.significant {
			d = "~ " + d
		}
		pq := ""
		for _, w := range c.WhatIfs {
			if w.Name != l.name {
				continue
			}
			for _, x := range w.Diffs {
				if x.Metric == "P(hit quota)" {
					pq = fmt.Sprintf("%s%.1f pts", signPlus(float64(x.Delta)), 100*float64(x.Delta))
					if !x.Significant {
						pq = "~ " + pq
					}
				}
			}
		}
		t.Rows = append(t.Rows, []string{l.name, d, signedMoney(l.lo, c.Currency) + " to " + signedMoney(l.hi, c.Currency), pq, l.description})
	}
	s.Tables = append(s.Tables, t)
	sub := fmt.Sprintf("Mean revenue a quarter vs %s · whiskers: paired 95%% interval · %s simulated quarters each, seed %d · ~ grey: not significant",
		c.Base, render.Count(float64(c.Quarters)), c.Seed)
	ch, err := cs.plot(render.Tornado(effects, "Revenue effect a quarter", c.Currency, sub), id+"-tornado", "Revenue effect of each what-if against the base, largest on top.")
	if err != nil {
		return s, err
	}
	s.Charts = append(s.Charts, ch)
	if c.Note != "" {
		s.Notes = append(s.Notes, "Intervals: "+c.Note+".")
	}
	s.Notes = append(s.Notes, "Source: "+filepath.Join(dir, "compare.json")+".")
	return s, nil
}

// genericSection returns the section of a sla, plan or calibrate folder:
// its Markdown notes verbatim, its small CSV tables and its charts.
func genericSection(f outFolder, id string, cs *chartSet) (report.Section, error) {
	titles := map[string]string{"sla": "Response policies and SDR headcount", "plan": "Plan: what the quota needs",
		"calibrate": "Calibration diagnostics"}
	intros := map[string]string{
		"sla":       "Response policies of the SDR team (headcount, working hours, MQL threshold) and what each does to response times, SLA compliance, pipeline and revenue, one lever at a time on common random numbers.",
		"plan":      "The funnel worked backwards from quota: the leads, MQLs and opportunities the quarter needs, and the simulated check of that plan.",
		"calibrate": "How the model was estimated from the CRM export: the fitted parameters with their uncertainty, and diagnostics of the fit.",
	}
	s := report.Section{ID: id, Title: titles[f.kind], Intro: []string{intros[f.kind]}}
	ents, err := os.ReadDir(f.path)
	if err != nil {
		return s, err
	}
	for _, e := range ents {
		name := e.Name()
		switch {
		case e.IsDir():
		case strings.HasSuffix(name, ".svg"):
			base := strings.TrimSuffix(name, ".svg")
			c, ok, err := cs.copy(f.path, base, id+"-"+base, chartCaption(base))
			if err != nil {
				return s, err
			}
			if ok {
				s.Charts = append(s.Charts, c)
			}
		case strings.HasSuffix(name, ".csv"):
			t, ok, err := csvTable(filepath.Join(f.path, name))
			if err != nil {
				return s, err
			}
			if ok {
				s.Tables = append(s.Tables, t)
			}
		case strings.HasSuffix(name, ".md"):
			b, err := os.ReadFile(filepath.Join(f.path, name))
			if err != nil {
				return s, err
			}
			s.Pre = append(s.Pre, report.Pre{Caption: name, Text: strings.TrimSpace(string(b))})
		}
	}
	s.Notes = append(s.Notes, "Source: "+f.path+".")
	return s, nil
}

// chartCaption turns a chart file's base name into a caption.
func chartCaption(base string) string {
	known := map[string]string{
		"moneycurve": "Money curve: mean revenue a quarter against median MQL response time, one point per response policy.",
		"compliance": "First-touch SLA compliance against SDR headcount, one line per working-hours coverage.",
		"fan":        "Revenue over the quarters of the plan: median with the P10–P90 band, against quota.",
		"plan_steps": "The revenue math backwards: what each step of the funnel needs a quarter for the goal, against what it gives now.",
		"plan_curve": "The chance of the goal against volume a quarter: each point a simulated scale of today's inbound arrivals, with its 95% interval.",
	}
	if c, ok := known[base]; ok {
		return c
	}
	return strings.ReplaceAll(base, "-", " ")
}

// csvTable returns the CSV file at path as a table, and false when it is
// too big to read as one (more than 40 rows or 12 columns).
func csvTable(path string) (report.Table, bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return report.Table{}, false, err
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return report.Table{}, false, fmt.Errorf("%s: %w", path, err)
	}
	if len(rows) < 2 || len(rows) > 41 || len(rows[0]) > 12 {
		return report.Table{}, false, nil
	}
	t := report.Table{Caption: filepath.Base(path), Head: rows[0], Right: make([]bool, len(rows[0]))}
	for j := range rows[0] {
		right := true
		for _, r := range rows[1:] {
			if _, err := strconv.ParseFloat(r[j], 64); err != nil && r[j] != "" {
				right = false
			}
		}
		t.Right[j] = right
	}
	for _, r := range rows[1:] {
		row := make([]string, len(r))
		for j, v := range r {
			row[j] = v
			if x, err := strconv.ParseFloat(v, 64); err == nil && t.Right[j] {
				row[j] = strconv.FormatFloat(x, 'g', 4, 64)
			}
		}
		t.Rows = append(t.Rows, row)
	}
	return t, true, nil
}

// methodSection states the model's assumptions and how to reproduce the
// numbers.
func methodSection(fc *forecastData) report.Section {
	r := &fc.rep
	cmd, exact := reproduceCommand(r)
	sh := shapeOf(r)
	s := report.Section{ID: "method", Title: "Assumptions and reproducibility", Appendix: true}
	engine := "The engine simulates each quarter lead by lead: lead arrivals (Poisson, or gamma-mixed Poisson for bursty sources), " +
		"stage transitions with their own delay distributions (a semi-Markov funnel, with rejected leads recycled to nurture), " +
		"the SDR queue that sets response times, contact rates that fall with those response times (a Hill curve with a floor), " +
		"and deals that close inside the quarter or stay open."
	if !sh.sdrs {
		engine = "The engine simulates each quarter deal by deal: arrivals of new opportunities (Poisson, or gamma-mixed Poisson for bursty sources), " +
			"stage transitions with their own delay distributions (a semi-Markov funnel), and deals that close inside the quarter or stay open."
	}
	s.Intro = []string{
		engine + " Each quarter opens on the funnel's steady state (the leads and deals in flight, drawn from their law), " +
			"so the quarter opens as a real one does.",
		"Simulated quarters are independent draws of the same funnel: the ranges are what this funnel produces by chance, " +
			"not a trend; a change in the market, the team or the definitions is a different model.",
	}
	if r.ParamsDrawn {
		s.Intro = append(s.Intro, "Parameter uncertainty: each quarter also draws the model's rates from their posteriors (the observation counts of the calibration), so the ranges include what the data leave unknown.")
	} else {
		s.Intro = append(s.Intro, "Parameter uncertainty: the model's rates are held fixed, so the ranges show chance alone; a calibrated model with observation counts would widen them.")
	}
	params := "fixed"
	if r.ParamsDrawn {
		params = "drawn from their posteriors"
	}
	scen := r.Scenario
	if scen == "" {
		scen = "none"
	}
	s.Metrics = []report.Metric{
		metric("Model", r.Model, "Name in the model file."),
		metric("Model hash", r.ModelHash, "SHA-256 of the model's canonical form: the same hash, the same model."),
		metric("Scenario", scen, "Changes applied to the model before simulating."),
		metric("Seed", strconv.FormatUint(r.Seed, 10), "The same seed gives the same outputs, byte for byte, on any number of cores."),
		metric("Quarters", render.Count(float64(r.Quarters)), "Independent simulated quarters."),
		metric("Horizon", strconv.Itoa(r.Horizon)+" quarter(s)", "Consecutive quarters per run, pipeline carried over; the report summarises the first."),
		metric("Parameters", params, "Whether each quarter redraws the model's rates."),
		metric("Leads simulated", render.Count(float64(r.LeadsSimulated)), "Leads simulated in all, warm-up included."),
	}
	t := report.Table{Caption: "Transition probabilities: the model's, and as simulated", Head: []string{"from", "to", "model p", "simulated rate", "mean moves a quarter"},
		Right: []bool{false, false, true, true, true}}
	for _, e := range r.Transitions {
		t.Rows = append(t.Rows, []string{e.From, e.To, render.Percent(e.P), render.Percent(float64(e.Rate)), render.Count(float64(e.Moves))})
	}
	t.Note = "Simulated rate: leads taking the transition ÷ leads entering its from-stage, over all quarters; it differs from p where leads are still in the stage at quarter end or where response times cut contact."
	s.Tables = []report.Table{t}
	note := "Run from the repository root with the embedded default model."
	if !exact {
		note = "MODEL.yaml stands for the model file whose hash is " + r.ModelHash + "."
	}
	s.Pre = []report.Pre{{Caption: "Reproduce these numbers (" + note + ")", Text: cmd}}
	defs := []string{defRevenue}
	if r.Quota > 0 {
		defs = append(defs, defProbQuota, defCoverage, defNeeded)
	}
	if len(r.SLA) > 0 {
		defs = append(defs, defSLA)
	}
	if sh.sdrs {
		defs = append(defs, defContacted, defQualified)
	}
	defs = append(defs, defConversion)
	s.Notes = []string{"Definitions: " + strings.Join(defs, " ")}
	return s
}

// writeReport writes report.html, report.md and the PNG charts to d.
func writeReport(d *outdir.Dir, doc *report.Document, charts []reportChart) error {
	for _, c := range charts {
		if err := d.WriteFile(c.file, c.png); err != nil {
			return err
		}
	}
	var html, md bytes.Buffer
	if err := report.WriteHTML(&html, doc); err != nil {
		return err
	}
	if err := report.WriteMarkdown(&md, doc); err != nil {
		return err
	}
	if err := d.WriteFile("report.md", md.Bytes()); err != nil {
		return err
	}
	return d.WriteFile("report.html", html.Bytes())
}

// folderCharts adds the folder's charts whose names start with one of
// prefixes, in that order, to s.
func folderCharts(s *report.Section, dir, id string, cs *chartSet, captions func(string) string, prefixes ...string) error {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, p := range prefixes {
		for _, e := range ents {
			name := e.Name()
			if !strings.HasSuffix(name, ".svg") || !strings.HasPrefix(name, p) {
				continue
			}
			base := strings.TrimSuffix(name, ".svg")
			c, ok, err := cs.copy(dir, base, id+"-"+base, captions(base))
			if err != nil {
				return err
			}
			if ok {
				s.Charts = append(s.Charts, c)
			}
		}
	}
	return nil
}

// calibrateSection returns the calibration diagnostics, for the
// appendix: every fitted parameter with its interval and n (from p, the
// folder's parameters.json, or else its calibration.md), the warnings and
// the charts.
func calibrateSection(p *calibrate.ParametersFile, dir, id string, cs *chartSet) (report.Section, error) {
	s := report.Section{ID: id, Title: "Calibration diagnostics", Appendix: true,
		Intro: []string{"How the model was estimated from the CRM export: each parameter with its 95% interval and the number of observations behind it, " +
			"the warnings of the fit, and charts comparing the data with the fitted model (time in stage, response-time decay of contact, deal sizes, arrival profiles). " +
			"Open leads are censored, not counted as failures."}}
	if p != nil {
		if !p.AsOf.IsZero() {
			s.Intro = append(s.Intro, "Export as of "+p.AsOf.Format(time.RFC3339)+".")
		}
		g := func(v float64) string { return strconv.FormatFloat(v, 'g', 4, 64) }
		gp := func(v *float64) string {
			if v == nil {
				return "–"
			}
			return g(*v)
		}
		t := report.Table{Caption: "Fitted parameters", Head: []string{"parameter", "estimate", "95% interval", "n", "method"},
			Right: []bool{false, true, true, true, false}}
		for _, x := range p.Parameters {
			t.Rows = append(t.Rows, []string{x.Path, g(x.Estimate), "[" + gp(x.Lower) + ", " + gp(x.Upper) + "]", render.Count(float64(x.N)), x.Method})
		}
		s.Tables = append(s.Tables, t)
		if len(p.Warnings) > 0 {
			w := report.Table{Caption: "Warnings of the fit", Head: []string{"warning"}}
			for _, x := range p.Warnings {
				w.Rows = append(w.Rows, []string{x})
			}
			s.Tables = append(s.Tables, w)
		}
	} else if b, err := os.ReadFile(filepath.Join(dir, "calibration.md")); err == nil {
		s.Pre = append(s.Pre, report.Pre{Caption: "calibration.md", Text: strings.TrimSpace(string(b))})
	}
	caption := func(base string) string {
		switch {
		case base == "decay":
			return "Contact rate by response time: observed with intervals, and the fitted decay curve."
		case strings.HasPrefix(base, "survival-"):
			return "Time in stage " + strings.TrimPrefix(base, "survival-") + ": Kaplan-Meier estimate from the export against the fitted model."
		case strings.HasPrefix(base, "deals-"):
			return "Deal amounts of source " + strings.TrimPrefix(base, "deals-") + " with the fitted distribution."
		case strings.HasPrefix(base, "arrivals-"):
			return "Weekday-by-hour arrival profile of source " + strings.TrimPrefix(base, "arrivals-") + "."
		}
		return chartCaption(base)
	}
	if err := folderCharts(&s, dir, id, cs, caption, "decay", "survival-", "deals-", "arrivals-"); err != nil {
		return s, err
	}
	s.Compact = len(s.Charts) > 3
	s.Notes = append(s.Notes, "Source: "+dir+".")
	return s, nil
}

// slaSections returns the sweep of response policies of sim sla: for
// everyone, each policy's response time, contact and revenue with the
// money curve; in the appendix, the compliance with each SLA and target,
// the compliance chart and the caveats of Erlang C.
func slaSections(d *whatif.SLAResult, dir, id string, cs *chartSet) ([]report.Section, error) {
	s := report.Section{ID: id, Title: "Response policies and SDR headcount",
		Intro: []string{fmt.Sprintf("Response policies of the SDR team and what each does to response times, contact and revenue (%s; %s simulated quarters each, seed %d, common random numbers). "+
			"Revenue intervals are paired 95%% intervals of the difference from the base.", d.Design, render.Count(float64(d.Quarters)), d.Seed)}}
	app := report.Section{ID: id + "-compliance", Title: "Response policies: SLA compliance", Appendix: true,
		Intro: []string{"The share of leads each policy handles within each SLA of the model and each first-touch target, and the queueing formula's view of the same team."}}
	slaNames := d.ComplianceColumns
	if slaNames == nil && len(d.Policies) > 0 {
		slaNames = legacyComplianceColumns(d.Policies[0].Compliance)
	}
	t := report.Table{Caption: "Policies", Head: []string{"policy", "SDRs", "hours", "median response", "contacted", "revenue a quarter", "vs base, 95%"},
		Right: []bool{false, true, false, true, true, true, true},
		Note:  "Contacted: share of MQLs an SDR reached. Median response: each quarter's median time from MQL to first touch, averaged over quarters."}
	head := []string{"policy", "SDRs", "hours"}
	right := []bool{false, true, false}
	for _, n := range slaNames {
		head, right = append(head, n), append(right, true)
	}
	ct := report.Table{Caption: "SLA compliance by policy", Head: head, Right: right,
		Note: "Share of leads handled within each SLA or first-touch target, a quarter's, averaged over quarters."}
	for _, p := range d.Policies {
		delta := "base"
		if p.Lever != "base" {
			delta = signedMoney(float64(p.RevenueLo), d.Currency) + " to " + signedMoney(float64(p.RevenueHi), d.Currency)
		}
		contacted := "n/a"
		if p.MQLs > 0 {
			contacted = render.Percent(float64(p.Contacted / p.MQLs))
		}
		t.Rows = append(t.Rows, []string{p.Name, strconv.Itoa(p.Headcount), p.Hours, render.Duration(float64(p.RespP50)), contacted, render.Money(float64(p.Revenue), d.Currency), delta})
		row := []string{p.Name, strconv.Itoa(p.Headcount), p.Hours}
		for _, n := range slaNames {
			v, ok := p.Compliance[n]
			if ok {
				row = append(row, render.Percent(float64(v)))
			} else {
				row = append(row, "")
			}
		}
		ct.Rows = append(ct.Rows, row)
	}
	s.Tables = append(s.Tables, t)
	if len(slaNames) > 0 {
		app.Tables = append(app.Tables, ct)
	}
	if q := d.Search; q != nil {
		name := fmt.Sprintf("SDRs for %s of MQLs touched within %s in %s of quarters (%s hours)",
			render.Percent(q.TargetShare), render.Duration(q.WithinMin), render.Percent(q.InQuarters), q.Hours)
		v := strconv.Itoa(q.Headcount)
		if q.Headcount == 0 {
			v = fmt.Sprintf("not reached with %d", q.MaxTried)
		}
		s.Metrics = append(s.Metrics, metric(name, v, "The smallest headcount whose simulated quarters meet the target often enough (common random numbers across headcounts)."))
	}
	if err := folderCharts(&s, dir, id, cs, chartCaption, "moneycurve"); err != nil {
		return nil, err
	}
	if err := folderCharts(&app, dir, id, cs, chartCaption, "compliance"); err != nil {
		return nil, err
	}
	if len(d.ErlangCaveats) > 0 {
		app.Notes = append(app.Notes, "Erlang C (M/M/c) is shown for comparison in sla.json; the model breaks its assumptions: "+strings.Join(d.ErlangCaveats, "; ")+".")
	}
	s.Notes = append(s.Notes, "Source: "+dir+".")
	app.Notes = append(app.Notes, "Source: "+dir+".")
	out := []report.Section{s}
	if len(app.Tables)+len(app.Charts)+len(app.Notes) > 1 {
		out = append(out, app)
	}
	return out, nil
}

// slaFinding returns the sweep's finding in a sentence: the policy that
// adds most revenue, when its interval excludes zero.
func slaFinding(d *whatif.SLAResult) string {
	var best *whatif.PolicyResult
	for i := range d.Policies {
		p := &d.Policies[i]
		if p.Lever == "base" || !(p.RevenueLo > 0) {
			continue
		}
		if best == nil || p.Revenue > best.Revenue {
			best = p
		}
	}
	if best == nil || len(d.Policies) == 0 {
		return ""
	}
	base := d.Policies[0]
	return fmt.Sprintf("Of the response policies tried, %s adds most revenue: %s a quarter (95%% %s to %s), median response %s against %s today.",
		best.Name, signedMoney(float64(best.Revenue-base.Revenue), d.Currency), signedMoney(float64(best.RevenueLo), d.Currency), signedMoney(float64(best.RevenueHi), d.Currency),
		render.Duration(float64(best.RespP50)), render.Duration(float64(base.RespP50)))
}

// legacyComplianceColumns orders the compliance columns of an sla.json
// written before it listed them as sim sla prints them: the model's SLAs
// (by name: the file does not keep their order), then the first-touch
// targets ("touch ≤ 5m") by duration, leaving out the no-wait one
// ("touch ≤ 0s") that sim sla never printed.
func legacyComplianceColumns(comp map[string]montecarlo.Float) []string {
	var model, touch []string
	dur := map[string]float64{}
	for k := range comp {
		rest, ok := strings.CutPrefix(k, "touch ≤ ")
		if !ok {
			model = append(model, k)
			continue
		}
		if m, ok := parseDuration(rest); ok && m > 0 {
			touch, dur[k] = append(touch, k), m
		}
	}
	sort.Strings(model)
	sort.Slice(touch, func(i, j int) bool { return dur[touch[i]] < dur[touch[j]] })
	return append(model, touch...)
}

// parseDuration reads a duration as render.Duration writes it ("1h 14m",
// "5m", "30s", "1d 8h") and returns it in minutes.
func parseDuration(s string) (minutes float64, ok bool) {
	unit := map[byte]float64{'s': 1.0 / 60, 'm': 1, 'h': 60, 'd': 24 * 60}
	for _, f := range strings.Fields(s) {
		u, ok := unit[f[len(f)-1]]
		v, err := strconv.ParseFloat(f[:len(f)-1], 64)
		if !ok || err != nil {
			return 0, false
		}
		minutes += v * u
	}
	return minutes, s != ""
}

// scaleRatio formats a plan's scale of the arrival rates to two decimals,
// "1.07x": render.Ratio's one would show 1.053 to 1.090 as 1.1x–1.1x.
func scaleRatio(v float64) string { return fmt.Sprintf("%.2fx", v) }

// planFinding returns the plan's answer in a sentence.
func planFinding(d *whatif.PlanResult) string {
	goal := render.Money(d.Goal, d.Currency)
	if !d.Reachable {
		return fmt.Sprintf("Plan: no scale of inbound leads tried reaches %s a quarter with %s chance.", goal, aPercent(d.Probability))
	}
	if d.MQLs > 0 {
		return fmt.Sprintf("Plan: %s a quarter with %s chance needs about %s MQLs a quarter, %s today's inbound leads.",
			goal, aPercent(d.Probability), render.Count(float64(d.MQLs)), scaleRatio(float64(d.Scale)))
	}
	return fmt.Sprintf("Plan: %s a quarter with %s chance needs %s today's inbound volume.", goal, aPercent(d.Probability), scaleRatio(float64(d.Scale)))
}

// planSection returns the backwards plan of sim plan.
func planSection(d *whatif.PlanResult, dir, id string, cs *chartSet) (report.Section, error) {
	rates := "(average deal, win rate, stage conversions, contact rate) to the leads a quarter it needs"
	if !(d.MQLs > 0) {
		rates = "(average deal, win rate, stage conversions) to the opportunities a quarter it needs"
	}
	s := report.Section{ID: id, Title: "Plan: what the goal needs",
		Intro: []string{"The revenue goal worked backwards through the funnel's own rates " + rates + ", " +
			"then checked by simulation: inbound arrivals are scaled until the goal is met with the target probability."}}
	count := func(v montecarlo.Float) string { return render.Count(float64(v)) }
	t := report.Table{Caption: "Worksheet, a quarter", Head: []string{"step", "needed", "now", "how"}, Right: []bool{false, true, true, false}}
	for i, w := range d.Worksheet {
		if !(w.Value > 0) && !(w.Now > 0) {
			continue // a stage this funnel does not have
		}
		needed, now := count(w.Value), count(w.Now)
		if i == 0 && d.Goal > 0 {
			needed = render.Money(float64(w.Value), d.Currency)
		}
		if math.IsNaN(float64(w.Now)) {
			now = "–"
		}
		t.Rows = append(t.Rows, []string{w.Label, needed, now, w.Rate})
	}
	t.Note = "The worksheet multiplies means: it ignores chance, so the simulated answer below is the one to plan with."
	s.Tables = append(s.Tables, t)
	if d.Reachable {
		// A missing upper end (null in plan.json) is one no scale tried
		// reached: the interval is open above.
		upper := func(v montecarlo.Float, f func(float64) string) string {
			if math.IsNaN(float64(v)) {
				return "unbounded"
			}
			return f(float64(v))
		}
		if d.MQLs > 0 {
			s.Metrics = append(s.Metrics,
				metric(fmt.Sprintf("MQLs a quarter for %s chance", aPercent(d.Probability)), count(d.MQLs)+" ("+count(d.MQLsLo)+"–"+upper(d.MQLsHi, render.Count)+")",
					"Simulated: inbound arrivals scaled until P(revenue ≥ goal) reaches the target; 95% interval: the scales where the 95% binomial bounds of the simulated P contain the target."))
		}
		s.Metrics = append(s.Metrics,
			metric("Inbound leads vs today", scaleRatio(float64(d.Scale))+" ("+scaleRatio(float64(d.ScaleLo))+"–"+upper(d.ScaleHi, scaleRatio)+")",
				"Multiple of today's inbound arrival rates that the goal needs."))
	} else {
		s.Intro = append(s.Intro, "The goal was not reachable by scaling inbound arrivals within the range tried.")
	}
	if err := folderCharts(&s, dir, id, cs, chartCaption, ""); err != nil {
		return s, err
	}
	s.Notes = append(s.Notes, fmt.Sprintf("%s simulated quarters at each scale, seed %d. Source: %s.", render.Count(float64(d.Quarters)), d.Seed, dir))
	return s, nil
}

// backtestFinding returns the backtest's verdict in a sentence: how often
// the actual revenue fell in the forecast's 80% band, against the
// baselines' errors.
func backtestFinding(d *backtest.Result) string {
	sm := d.Summary
	if sm.N == 0 {
		return ""
	}
	out := fmt.Sprintf("Backtest: at %d past origins, actual revenue fell inside the forecast's P10–P90 band %d times (8 in 10 expected)", sm.N, sm.Covered80)
	if !math.IsNaN(float64(sm.MeanCRPS)) {
		out += "; mean CRPS " + render.Money(float64(sm.MeanCRPS), d.Currency)
		var bs []string
		for _, b := range sm.Baselines {
			if !math.IsNaN(float64(b.MAE)) {
				bs = append(bs, b.Name+" "+render.Money(float64(b.MAE), d.Currency))
			}
		}
		if len(bs) > 0 {
			out += " against the baselines' mean absolute errors (" + strings.Join(bs, ", ") + ")"
		}
	}
	return out + "."
}

// backtestSection returns the backtest of sim backtest, for the appendix:
// each origin's forecast against what happened, the scores and the chart.
func backtestSection(d *backtest.Result, dir, id string, cs *chartSet) (report.Section, error) {
	cur := d.Currency
	money := func(v float64) string { return render.Money(v, cur) }
	s := report.Section{ID: id, Title: "Backtest: past forecasts against what happened", Appendix: true,
		Intro: []string{fmt.Sprintf("At each origin the export is cut to what was known before it, a model is calibrated from the cut and %s windows of %s days are simulated; "+
			"the forecast is then compared with the revenue actually won in the window, beside two naive baselines (the stage-weighted pipeline and last window's revenue). Seed %d.",
			render.Count(float64(d.Quarters)), strconv.FormatFloat(d.WindowDays, 'f', -1, 64), d.Seed)}}
	t := report.Table{Caption: "Forecasts at each origin", Head: []string{"window", "forecast P10–P90", "median", "actual", "in P10–P90", "CRPS"},
		Right: []bool{false, true, true, true, false, true},
		Note:  "CRPS: continuous ranked probability score, the forecast's error in currency (a point forecast's CRPS is its absolute error); lower is better."}
	for _, o := range d.Origins {
		window := o.Origin.Format(time.DateOnly) + " – " + o.End.Add(-time.Nanosecond).Format(time.DateOnly)
		if o.Error != "" {
			t.Rows = append(t.Rows, []string{window, "failed: " + o.Error, "", money(o.Actual), "", ""})
			continue
		}
		in := "no"
		if o.In80 {
			in = "yes"
		}
		t.Rows = append(t.Rows, []string{window, money(o.P10) + "–" + money(o.P90), money(o.P50), money(o.Actual), in, money(o.CRPS)})
	}
	s.Tables = append(s.Tables, t)
	sm := d.Summary
	if sm.N > 0 {
		s.Metrics = append(s.Metrics,
			metric("Actual inside P10–P90", fmt.Sprintf("%d of %d", sm.Covered80, sm.N), "Origins whose actual revenue fell in the forecast's 80% band; a calibrated forecast has 8 in 10."),
			metric("Actual inside P25–P75", fmt.Sprintf("%d of %d", sm.Covered50, sm.N), "The same for the 50% band: 5 in 10."),
			metric("Mean CRPS", money(float64(sm.MeanCRPS)), "Mean continuous ranked probability score over origins; mean actual revenue "+money(float64(sm.MeanActual))+"."),
			metric("Bias", signedMoney(float64(sm.Bias), cur), "Mean of forecast mean − actual: negative when the forecasts were too low."))
		for _, b := range sm.Baselines {
			s.Metrics = append(s.Metrics, metric("Baseline "+b.Name+", mean absolute error", money(float64(b.MAE)),
				"Skill against it: "+render.Percent(float64(b.Skill))+" (1 − mean CRPS ÷ its error; above 0: the forecast does better)."))
		}
	}
	if err := folderCharts(&s, dir, id, cs, func(string) string {
		return "Forecast bands (P10–P90, P25–P75, median) at each origin against the revenue actually won, with the baselines."
	}, "backtest"); err != nil {
		return s, err
	}
	s.Notes = append(s.Notes, "Source: "+dir+".")
	return s, nil
}
