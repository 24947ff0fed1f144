package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// TestCalibrateCmd generates a small export, calibrates it and checks that
// the model file parses and runs and that the report files exist.
func TestCalibrateCmd(t *testing.T) {
	dir := t.TempDir()
	exp, out, yml := filepath.Join(dir, "export"), filepath.Join(dir, "cal"), filepath.Join(dir, "model.yaml")
	var so, se bytes.Buffer
	small := filepath.Join(dir, "small.yaml")
	m := model.Default()
	for i := range m.Sources {
		m.Sources[i].RatePerWeek /= 20
	}
	if err := os.WriteFile(small, model.Marshal(m), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), &so, &se, []string{"generate", "--model", small, "--quarters", "4", "--out", exp}); err != nil {
		t.Fatal(err)
	}
	so.Reset()
	if err := run(context.Background(), &so, &se, []string{"calibrate", exp, "-o", yml, "--out", out}); err != nil {
		t.Fatalf("%v\n%s", err, se.String())
	}
	if !strings.Contains(so.String(), "opportunity -> won") {
		t.Errorf("summary lacks the win rate:\n%s", so.String())
	}
	f, err := os.Open(yml)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cm, err := model.Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := montecarlo.Run(context.Background(), cm, montecarlo.Config{Quarters: 16, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"calibration.md", "parameters.csv", "parameters.json", "decay.png", "survival-opportunity.png", "arrivals-web.png", "deals-web.svg"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Error(err)
		}
	}
}
