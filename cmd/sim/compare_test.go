package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo/whatif"
)

// TestCompareQuotaBound checks that a chance of quota every quarter
// reaches, in the base and in the what-if, is shown as its exact 95%
// bound, with an interval of the difference that is not 0 wide.
func TestCompareQuotaBound(t *testing.T) {
	dir := t.TempDir()
	low := filepath.Join(dir, "low-quota.yaml")
	if err := os.WriteFile(low, bytes.Replace(model.DefaultYAML(), []byte("quota: 9500000"), []byte("quota: 1"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, err := runSim(t, context.Background(), "compare", "--model", low, "baseline", "two-more-sdrs",
		"--quarters", "20", "--seed", "3", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	// n = 20: lower bound 0.025^(1/20) = 83.16%, h = 16.84 points.
	for _, want := range []string{
		`(?m)^  P\(hit quota\) +≥ 83\.1% +≥ 83\.1% +~ 0\.0 pts +± 16\.8 pts +± 16\.8 pts +$`,
		`(?m)^P\(hit quota\) where every quarter agreed \(no standard error\): ± is an exact 95% bound \(Clopper–Pearson\)\.$`,
	} {
		if !regexp.MustCompile(want).MatchString(out) {
			t.Errorf("compare output lacks %s:\n%s", want, out)
		}
	}
	if regexp.MustCompile(`100\.0%|± 0\.0 pts`).MatchString(out) {
		t.Errorf("compare output claims certainty:\n%s", out)
	}
	var doc whatif.CompareResult
	b, _ := os.ReadFile(filepath.Join(dir, "compare.json"))
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	h := 1 - math.Pow(0.025, 1.0/20)
	for _, d := range doc.WhatIfs[0].Diffs {
		if d.Metric == whatif.HitQuota && (math.Abs(float64(d.PairedHi)-h) > 1e-12 || math.Abs(float64(d.UnpairedLo)+h) > 1e-12 || d.Significant) {
			t.Errorf("compare.json %s: %+v, want ± %v, not significant", whatif.HitQuota, d, h)
		}
	}
}

// TestCompareAgreesWithForecast checks that compare's base and a forecast
// of the same model, seed and quarters print the same median response
// and SLA compliance: one definition, a quarter's value averaged over the
// quarters.
func TestCompareAgreesWithForecast(t *testing.T) {
	args := []string{"--quarters", "30", "--seed", "4", "--out"}
	fc, _, err := runSim(t, context.Background(), append(append([]string{"forecast"}, args...), t.TempDir())...)
	if err != nil {
		t.Fatal(err)
	}
	cmp, _, err := runSim(t, context.Background(), append(append([]string{"compare", "baseline", "two-more-sdrs"}, args...), t.TempDir())...)
	if err != nil {
		t.Fatal(err)
	}
	find := func(out, re string) string {
		t.Helper()
		m := regexp.MustCompile(re).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no match for %s in:\n%s", re, out)
		}
		return m[1]
	}
	const dur = `(\d+[dhms](?: \d+[dhms])?)`
	if f, c := find(fc, `(?m)^MQL response +median `+dur+`,`), find(cmp, `(?m)^  response P50 +`+dur+`  `); f != c {
		t.Errorf("median response: forecast %s, compare's base %s", f, c)
	}
	for _, sla := range []string{"sdr-first-touch", "sales-accept-or-reject"} {
		f := find(fc, `(?m)^  `+sla+` +\S+ \(business\) +(\d+\.\d%)`)
		c := find(cmp, `(?m)^  SLA `+sla+` +(\d+\.\d%)`)
		if f != c {
			t.Errorf("SLA %s compliance: forecast %s, compare's base %s", sla, f, c)
		}
	}
}

func TestHalfWidth(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		unit whatif.Unit
		want string
	}{
		{0.013, whatif.Share, "± 1.3 pts"},
		{0.0004, whatif.Share, "± <0.1 pts"},
		{0.0005, whatif.Share, "± 0.1 pts"},
		{0, whatif.Share, "± 0.0 pts"},
		{6930, whatif.Money, "± $6.93K"},
		{0.02, whatif.Count, "± <0.1"},
		{0.2, whatif.Count, "± 0.2"},
	} {
		if got := render.HalfWidth(tt.v, tt.unit, "USD"); got != tt.want {
			t.Errorf("render.HalfWidth(%v, %v) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}
