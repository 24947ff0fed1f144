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

	"github.com/funnelsim/funnel/model"
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
	var doc compareJSON
	b, _ := os.ReadFile(filepath.Join(dir, "compare.json"))
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	h := 1 - math.Pow(0.025, 1.0/20)
	for _, d := range doc.WhatIfs[0].Diffs {
		if d.Metric == hitQuota && (math.Abs(float64(d.PairedHi)-h) > 1e-12 || math.Abs(float64(d.UnpairedLo)+h) > 1e-12 || d.Significant) {
			t.Errorf("compare.json %s: %+v, want ± %v, not significant", hitQuota, d, h)
		}
	}
}
