package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/montecarlo/whatif"
)

// The what-if commands' golden tests run few quarters: they pin the
// output format and the random stream, not the statistics (montecarlo/
// whatif's tests check those).

func TestCompareGolden(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runSim(t, context.Background(), "compare", "baseline", "two-more-sdrs", "raise-mql-threshold", "--quarters", "20", "--seed", "3", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "compare.stdout", strings.ReplaceAll(out, dir, "OUT"))
	for _, f := range []string{"compare.csv", "compare.json", "tornado.png", "tornado.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("output %s missing or empty: %v", f, err)
		}
	}
	var doc whatif.CompareResult
	b, _ := os.ReadFile(filepath.Join(dir, "compare.json"))
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.WhatIfs) != 2 || doc.WhatIfs[0].Name != "two-more-sdrs" || doc.WhatIfs[0].Diffs[0].Metric != "revenue" {
		t.Errorf("compare.json: %+v", doc.WhatIfs)
	}
}

func TestCompareErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"baseline"}, `compare: want a base scenario and at least one what-if, got only "baseline"`},
		{[]string{"--quarters", "1"}, `compare: --quarters 1: want at least 2 (intervals need a spread)`},
		{[]string{"baseline", "nope"}, `no embedded scenario "nope"`},
	} {
		_, _, err := runSim(t, context.Background(), append([]string{"compare", "--out", t.TempDir()}, tt.args...)...)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %s", tt.args, err, tt.want)
		}
	}
}

func TestSLAGolden(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runSim(t, context.Background(), "sla", "--quarters", "8", "--seed", "3", "--headcount", "4,6", "--hours", "extended",
		"--threshold", "60,70", "--sla-minutes", "5,60", "--target-share", "0.5", "--within", "1h", "--search-hours", "24x7", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "sla.stdout", strings.ReplaceAll(out, dir, "OUT"))
	for _, f := range []string{"sla.csv", "sla.json", "moneycurve.png", "compliance.svg"} {
		if st, err := os.Stat(filepath.Join(dir, f)); err != nil || st.Size() == 0 {
			t.Errorf("output %s missing or empty: %v", f, err)
		}
	}
}

// TestSLASearchUnreachable checks that a target the largest team cannot
// meet (5 minutes for MQLs that arrive off hours) is answered from that
// one simulation, not after the whole doubling.
func TestSLASearchUnreachable(t *testing.T) {
	out, _, err := runSim(t, context.Background(), "sla", "--quarters", "4", "--headcount", "6", "--hours", "extended", "--threshold", "60",
		"--sla-minutes", "5", "--target-share", "0.9", "--within", "5m", "--json", "--out", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Search whatif.HeadcountSearchResult `json:"headcount_search"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	s := doc.Search
	if s.Headcount != 0 || len(s.Tried) != 1 || s.Tried[0].Headcount != whatif.MaxSearchHeadcount || s.MaxTried != whatif.MaxSearchHeadcount {
		t.Errorf("search %+v, want unreachable after trying %d SDRs only", s, whatif.MaxSearchHeadcount)
	}
	// No quarter reaches 0.9, so neither does the mean; leads arriving in
	// working hours are touched at once, so it is not 0.
	if m := s.Tried[0].Mean; !(m > 0 && m < 0.9) {
		t.Errorf("mean compliance %v at %d SDRs, want in (0, 0.9)", m, whatif.MaxSearchHeadcount)
	}
}

func TestSLAErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--hours", "nights"}, `sla: --hours: unknown coverage "nights"`},
		{[]string{"--headcount", "0"}, `sla: --headcount 0: want at least 1`},
		{[]string{"--sla-minutes", "-5"}, `sla: --sla-minutes -5: want positive minutes`},
	} {
		_, _, err := runSim(t, context.Background(), append([]string{"sla", "--quarters", "2", "--out", t.TempDir()}, tt.args...)...)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%v: error %v, want %s", tt.args, err, tt.want)
		}
	}
}

func TestPlanGolden(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runSim(t, context.Background(), "plan", "--quarters", "20", "--seed", "3", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "plan.stdout", strings.ReplaceAll(out, dir, "OUT"))
	var doc whatif.PlanResult
	b, _ := os.ReadFile(filepath.Join(dir, "plan.json"))
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Worksheet) != 7 || !doc.Reachable {
		t.Errorf("plan.json: worksheet %d lines, reachable %v", len(doc.Worksheet), doc.Reachable)
	}
}

func TestPlanErrors(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--probability", "1"}, `plan: --probability 1: want a probability in (0,1)`},
		{[]string{"--quarters", "5"}, `plan: --quarters 5: want at least 10`},
	} {
		_, _, err := runSim(t, context.Background(), append([]string{"plan", "--out", t.TempDir()}, tt.args...)...)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%v: error %v, want %s", tt.args, err, tt.want)
		}
	}
}
