package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWaterfallMaven runs sim waterfall on the Maven export: five complete
// quarters, Q4 2016 to Q4 2017, each balancing, and its files written.
func TestWaterfallMaven(t *testing.T) {
	dir := t.TempDir()
	out, _, err := runSim(t, context.Background(), "waterfall", "../../../shared/fixtures/maven-crm/sales_pipeline.csv", "--out", dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Q4 2016", "Q4 2017", "500 opportunities without a creation date left out", "lost deals carry no amount"} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "waterfall.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n != 6 {
		t.Errorf("waterfall.csv: %d lines, want 6:\n%s", n, b)
	}
	if _, err := os.Stat(filepath.Join(dir, "waterfall.png")); err != nil {
		t.Error(err)
	}
}
