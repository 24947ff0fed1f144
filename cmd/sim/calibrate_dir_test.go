package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestCalibrateCreatesOutputDir: -o into a folder that does not exist yet
// creates it, and the model written there parses.
func TestCalibrateCreatesOutputDir(t *testing.T) {
	if testing.Short() {
		t.Skip("calibrates the sample export")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "new", "model.yaml")
	if _, _, err := runSim(t, context.Background(), "calibrate", "../../data/sample", "-o", out, "--out", filepath.Join(dir, "cal")); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := model.Parse(f); err != nil {
		t.Errorf("calibrated model does not parse: %v", err)
	}
}
