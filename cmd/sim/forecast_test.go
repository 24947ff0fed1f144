package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// The tests' today: a model without forecast_start forecasts the next
// fiscal quarter from it, Q1 FY2027, whatever the day the tests run.
func init() {
	today = func() time.Time { return time.Date(2026, 12, 4, 12, 0, 0, 0, time.UTC) }
}

func TestForecastGolden(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runSim(t, context.Background(), "forecast", "--quarters", "120", "--seed", "3", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	out = strings.ReplaceAll(out, dir, "OUT")
	golden(t, "forecast.stdout", out)

	for _, f := range []string{"summary.json", "quarters.csv", "report.md", "revenue.png", "revenue.svg",
		"funnel.png", "funnel.svg", "coverage.png", "coverage.svg", "sla.png", "sla.svg", "response.png", "response.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("output %s missing or empty: %v", f, err)
		}
	}
	var sum map[string]any
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatalf("summary.json: %v", err)
	}
	for _, k := range []string{"quarters", "seed", "quota", "revenue", "prob_hit_quota", "coverage", "stages", "sla", "model_hash"} {
		if _, ok := sum[k]; !ok {
			t.Errorf("summary.json lacks %q", k)
		}
	}
	rev := sum["revenue"].(map[string]any)
	for _, k := range []string{"mean", "sd", "p05", "p10", "p50", "p90", "p95"} {
		if _, ok := rev[k]; !ok {
			t.Errorf("summary.json revenue lacks %q", k)
		}
	}
	if q := sum["quarters"].(float64); q != 120 {
		t.Errorf("summary.json quarters = %v, want 120", q)
	}
	// quarters.csv: a header and one row per quarter.
	csv, _ := os.ReadFile(filepath.Join(dir, "quarters.csv"))
	if n := bytes.Count(csv, []byte("\n")); n != 121 {
		t.Errorf("quarters.csv has %d lines, want 121", n)
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".tmp") || strings.HasPrefix(e.Name(), ".") && e.Name() != ".sim-files" {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// TestForecastWorkersIdentical checks that every output file is byte for
// byte the same with one worker and with two.
func TestForecastWorkersIdentical(t *testing.T) {
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	for i, w := range []string{"1", "2", "3"} {
		if _, _, err := runSim(t, context.Background(), "forecast", "--quarters", "40", "--seed", "11", "--workers", w, "--out", dirs[i]); err != nil {
			t.Fatal(err)
		}
	}
	ents, err := os.ReadDir(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(ents) < 10 {
		t.Fatalf("only %d outputs", len(ents))
	}
	for _, e := range ents {
		a, _ := os.ReadFile(filepath.Join(dirs[0], e.Name()))
		for _, d := range dirs[1:] {
			b, err := os.ReadFile(filepath.Join(d, e.Name()))
			if err != nil || !bytes.Equal(a, b) {
				t.Errorf("%s differs between worker counts", e.Name())
			}
		}
	}
	// A different seed gives different numbers.
	other := t.TempDir()
	if _, _, err := runSim(t, context.Background(), "forecast", "--quarters", "40", "--seed", "12", "--out", other); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(dirs[0], "quarters.csv"))
	b, _ := os.ReadFile(filepath.Join(other, "quarters.csv"))
	if bytes.Equal(a, b) {
		t.Error("seeds 11 and 12 gave the same quarters.csv")
	}
}

func TestForecastCancelledWritesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := runSim(t, ctx, "forecast", "--quarters", "100000", "--out", dir)
	if err == nil || err.Error() != "interrupted; nothing written" {
		t.Fatalf("error = %v, want interrupted; nothing written", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("output directory exists after an interrupted run: %v", err)
	}
}

func TestForecastErrors(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	os.WriteFile(bad, bytes.Replace(model.DefaultYAML(), []byte("p: 0.45"), []byte("p: 1.45"), 1), 0o644)
	unknown := filepath.Join(t.TempDir(), "unknown.yaml")
	os.WriteFile(unknown, append(model.DefaultYAML(), []byte("colour: blue\n")...), 0o644)
	for _, tt := range []struct {
		name string
		args []string
		want string // a regular expression
	}{
		{"bad quarters", []string{"--quarters", "0"}, `^forecast: --quarters 0: want at least 1$`},
		{"bad flag", []string{"--quartrs", "5"}, `^forecast: unknown flag: --quartrs \(run 'sim forecast --help'\)$`},
		{"missing model", []string{"--model", "/nonexistent.yaml"}, `no such file or directory`},
		{"invalid model", []string{"--model", bad}, `transitions\[0\]\.p: got 1\.45, want a probability in \[0,1\]`},
		{"unknown key", []string{"--model", unknown}, `unknown key "colour"`},
		{"unknown scenario", []string{"--scenario", "nope"}, `^no embedded scenario "nope" \(have baseline, `},
		{"argument", []string{"extra"}, `^forecast: unexpected argument "extra"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runSim(t, context.Background(), append([]string{"forecast", "--out", t.TempDir()}, tt.args...)...)
			if err == nil || !regexp.MustCompile(tt.want).MatchString(err.Error()) {
				t.Errorf("error = %v, want match for %s", err, tt.want)
			}
		})
	}
}

func TestForecastHelp(t *testing.T) {
	out, _, _ := runSim(t, context.Background(), "forecast", "--help")
	for _, want := range []string{"--quarters", "--seed", "--workers", "--scenario", "coverage", "summary.json", "Examples:",
		"response.png    MQL response times (wall clock; bars from a sample of"} {
		if !strings.Contains(out, want) {
			t.Errorf("forecast --help lacks %q", want)
		}
	}
}

// TestForecastQuotaBound checks that a quota every simulated quarter
// reaches is reported with its exact 95% bound, not as "100.0% (± 0.0%)".
func TestForecastQuotaBound(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runSim(t, context.Background(), "forecast", "--scenario", "respond-24x7", "--quarters", "40", "--seed", "3", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	// 0.025^(1/40) = 91.19%, rounded down.
	want := "Chance of quota   ≥ 91.1% of quarters reach the $9.5M quota (all 40 simulated quarters did; exact 95% bound)\n"
	if !strings.Contains(out, want) {
		t.Errorf("forecast output lacks %q:\n%s", want, out)
	}
	if strings.Contains(out, "± 0.0%") {
		t.Errorf("forecast output claims certainty:\n%s", out)
	}
	var sum struct {
		P  float64 `json:"prob_hit_quota"`
		Lo float64 `json:"prob_hit_quota_lo95"`
		Hi float64 `json:"prob_hit_quota_hi95"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	if sum.P != 1 || math.Abs(sum.Lo-math.Pow(0.025, 1.0/40)) > 1e-12 || sum.Hi != 1 {
		t.Errorf("summary.json: prob_hit_quota %v [%v, %v], want 1 [%v, 1]", sum.P, sum.Lo, sum.Hi, math.Pow(0.025, 1.0/40))
	}
}

// TestForecastResponseChart checks that response.png states the summary's
// figures (a quarter's median, averaged over the quarters, and the
// first-touch SLA's compliance, counted in business hours in the default
// model) and labels its bars as a sample.
func TestForecastResponseChart(t *testing.T) {
	m := model.Default()
	res, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: 30, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	rep := montecarlo.NewReport(m, res)
	var sum bytes.Buffer
	render.WriteForecastSummary(&sum, m, rep)
	median := regexp.MustCompile(`MQL response +median ([^,]+),`).FindStringSubmatch(sum.String())
	comp := regexp.MustCompile(`(?m)^  sdr-first-touch +1h \(business\) +(\d+\.\d)%`).FindStringSubmatch(sum.String())
	if median == nil || comp == nil {
		t.Fatalf("summary lacks the median response or the first-touch SLA:\n%s", sum.String())
	}
	pct, err := strconv.ParseFloat(comp[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.ReplaceAll(render.ForecastCharts(m, res, rep)["response"].Title.Text, "\n", " · ")
	for _, want := range []string{
		fmt.Sprintf("%.0f%% of MQLs meet the 1h first-touch SLA (business hours) · ", pct),
		"Median " + median[1] + " · ",
		"SLA line: waits left of it meet the business-hours SLA",
		"Bars: a sample, ",
		" (20 quarters)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("response chart lacks %q: %q", want, text)
		}
	}
}

// TestForecastFunnelChart checks that funnel.png's overall rate is the
// product of its arrows, not won ÷ known: the default model's wins also
// come from leads entering at engaged and from sales-sourced deals
// entering at sal, which never pass known.
func TestForecastFunnelChart(t *testing.T) {
	m := model.Default()
	res, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: 30, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	rep := montecarlo.NewReport(m, res)
	entries := map[string]float64{}
	for _, s := range rep.Stages {
		entries[s.Name] = float64(s.MeanEntries)
	}
	path := 1.0
	for _, e := range [][2]string{{"known", "engaged"}, {"engaged", "mql"}, {"mql", "tql"}, {"tql", "sal"}, {"sal", "opportunity"}, {"opportunity", "won"}} {
		for _, tr := range rep.Transitions {
			if tr.From == e[0] && tr.To == e[1] {
				path *= float64(tr.Moves) / entries[e[0]]
			}
		}
	}
	naive := entries["won"] / entries["known"]
	if math.Abs(naive-path) < 0.002 {
		t.Fatalf("won/known %v and the product of the arrows %v are too close to tell apart", naive, path)
	}
	title := render.ForecastCharts(m, res, rep)["funnel"].Title.Text
	if want := fmt.Sprintf("Along the arrows, %.1f%% of Known leads reach Won", 100*path); !strings.Contains(title, want) {
		t.Errorf("funnel title %q lacks %q", title, want)
	}
	if strings.Contains(title, fmt.Sprintf("%.1f%% of Known", 100*naive)) {
		t.Errorf("funnel title %q gives won/known", title)
	}
}

// TestForecastNoQuota: a model without a quota (as calibrate writes one
// without --quota) forecasts, and the summary says how to add one instead
// of silently leaving out the chance of making it.
func TestForecastNoQuota(t *testing.T) {
	dir := t.TempDir()
	m := model.Default()
	m.Quota = 0
	path := filepath.Join(dir, "m.yaml")
	if err := os.WriteFile(path, model.Marshal(m), 0o644); err != nil {
		t.Fatal(err)
	}
	var so, se bytes.Buffer
	if err := run(context.Background(), &so, &se, []string{"forecast", "--model", path, "--quarters", "8", "-q", "--out", filepath.Join(dir, "out")}); err != nil {
		t.Fatalf("%v\n%s", err, se.String())
	}
	if out := so.String(); !strings.Contains(out, "Quota             none in the model") || strings.Contains(out, "Chance of quota") {
		t.Errorf("summary without a quota:\n%s", out)
	}
}

// TestForecastCalendar checks that a forecast names its quarters: the
// headline, summary.json's period, periods and revenue_total, and
// quarters.csv's period column; and that --start is checked before work.
func TestForecastCalendar(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runSim(t, context.Background(), "forecast", "--quarters", "30", "--seed", "2", "--horizon", "4", "--start", "2026-07-01", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Forecast for default: Q3 FY2026 - Q2 FY2027 (4 quarters)", "The figures below are for Q3 FY2026, Jul 1 - Sep 30, 2026",
		"Q2 FY2027, Apr 1 - Jun 30, 2027  P10", "Year (Q3 FY2026 - Q2 FY2027, 4 quarters)", "Pipeline movement in Q3 FY2026"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rep montecarlo.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Period == nil || rep.Period.Name != "Q3 FY2026" || rep.Period.Start != "2026-07-01" || rep.Period.End != "2026-09-30" {
		t.Errorf("period %+v", rep.Period)
	}
	if len(rep.Periods) != 4 || rep.Periods[3].Name != "Q2 FY2027" || rep.ForecastStart != "2026-07-01" {
		t.Errorf("periods %+v, start %q", rep.Periods, rep.ForecastStart)
	}
	if rep.RevenueTotal == nil || rep.RevenueTotal.Quarters != 4 || rep.PipelineMovement == nil || len(rep.Breakdowns) == 0 {
		t.Errorf("total %+v, movement %v, %d breakdowns", rep.RevenueTotal, rep.PipelineMovement, len(rep.Breakdowns))
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "quarters.csv"))
	if !strings.Contains(string(csv), ",Q4 FY2026,") {
		t.Errorf("quarters.csv names no Q4 FY2026")
	}
	for _, f := range []string{"waterfall.png", "breakdown.png", "pipeline_movement.csv", "breakdown.csv", "horizon.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}

	// A bad --start fails before any work, leaving no folder.
	bad := filepath.Join(t.TempDir(), "never")
	if _, _, err := runSim(t, context.Background(), "forecast", "--start", "2026-02-30", "--out", bad); err == nil || !strings.Contains(err.Error(), "--start") {
		t.Errorf("bad --start: %v", err)
	}
	if _, err := os.Stat(bad); err == nil {
		t.Errorf("bad --start left %s", bad)
	}
}

// TestForecastCalendarStates checks where a forecast of a model with a
// dated opening state starts: the next fiscal quarter from the state's
// day, or --start at or after it (the days between are the lead-in).
func TestForecastCalendarStates(t *testing.T) {
	state := func() *model.Model {
		m := model.Default()
		m.Start = &model.Start{Date: "2026-08-14", Opportunities: []model.OpenOpportunity{{Source: "web", Amount: 1000, AgeDays: 3}}}
		return m
	}
	for _, tt := range []struct {
		name, start, want, err string
		leadIn                 float64
	}{
		{"next quarter", "", "Q4 FY2026, Oct 1 - Dec 31, 2026", "", 48},
		{"later start", "2027-01-01", "Q1 FY2027, Jan 1 - Mar 31, 2027", "", 140},
		{"the state's day", "2026-08-14", "Aug 14 - Nov 12, 2026", "", 0},
		{"before the state", "2026-07-01", "", "--start 2026-07-01: before the model's opening state", 0},
		{"too late", "2027-10-01", "", "over the 366 days", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := state()
			ps, _, err := m.ForecastCalendar(tt.start, 1, today())
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ps[0].String() != tt.want || m.LeadInDays() != tt.leadIn {
				t.Errorf("%s with a lead-in of %g days, want %s and %g", ps[0], m.LeadInDays(), tt.want, tt.leadIn)
			}
			if err := m.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}
