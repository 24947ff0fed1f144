package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCalibrateRejects checks that calibrate reads an export as inspect
// does: over --max-reject-share (5%) of bad rows it fails with inspect's
// error and writes rejects.csv into --out; tolerated, the rejected rows
// (an event dated before its lead was created among them) and the
// readers' warnings (a deal closed before its creation, kept as a migrated
// record) are counted in calibration.md, not dropped in silence.
func TestCalibrateRejects(t *testing.T) {
	dir := t.TempDir()
	out, yml := filepath.Join(dir, "cal"), filepath.Join(dir, "model.yaml")
	_, _, err := runSim(t, context.Background(), "calibrate", badDir, "-o", yml, "--out", out, "--quiet")
	const want = "calibrate: 10 of 25 rows rejected (40.0%), above --max-reject-share 5.0%; OUT/rejects.csv lists each rejected row with its file, line, column and reason"
	if err == nil || strings.ReplaceAll(err.Error(), out, "OUT") != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
	got, rerr := os.ReadFile(filepath.Join(out, "rejects.csv"))
	if rerr != nil {
		t.Fatalf("rejects.csv not written: %v", rerr)
	}
	inspect, err := os.ReadFile(filepath.Join("testdata", "inspect_bad.rejects.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(inspect) {
		t.Errorf("calibrate's rejects.csv differs from inspect's:\n%s\nwant\n%s", got, inspect)
	}
	if _, err := os.Stat(yml); err == nil {
		t.Error("calibrate wrote a model from a refused export")
	}

	out2 := filepath.Join(dir, "cal2")
	if _, _, err := runSim(t, context.Background(), "calibrate", badDir, "-o", filepath.Join(dir, "model2.yaml"), "--out", out2, "--quiet", "--max-reject-share", "0.5"); err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(filepath.Join(out2, "calibration.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{
		"10 of 25 rows rejected (40.0%) and left out of the fits (",
		"before created 1",
		"1 closed opportunities were created after their close date",
	} {
		if !strings.Contains(string(md), w) {
			t.Errorf("calibration.md does not say %q", w)
		}
	}
	if b, err := os.ReadFile(filepath.Join(out2, "rejects.csv")); err != nil || string(b) != string(inspect) {
		t.Errorf("tolerated: rejects.csv %v, same as inspect's %v", err, string(b) == string(inspect))
	}
}
