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
	// Without --base or --quota the model has no quota: the default
	// model's is an example company's, not the export's.
	if cm.Quota != 0 || !strings.Contains(so.String(), "Quota: none") {
		t.Errorf("quota %v without --quota or --base, want 0 and a note; summary:\n%s", cm.Quota, so.String())
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

// TestCalibrateQuota: --quota sets the model's quota, in any of the forms
// parseQuota reads; --base keeps the base's; a bad amount is an error
// naming the flag.
func TestCalibrateQuota(t *testing.T) {
	dir := t.TempDir()
	yml := filepath.Join(dir, "model.yaml")
	base := filepath.Join(dir, "base.yaml")
	bm := model.Default()
	bm.Quota = 1234567
	if err := os.WriteFile(base, model.Marshal(bm), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want float64
	}{
		{[]string{"--quota", "$700K"}, 700000},
		{[]string{"--quota", "2.5M"}, 2.5e6},
		{[]string{"--quota", "950,000"}, 950000},
		{[]string{"--base", base}, 1234567},
		{[]string{"--base", base, "--quota", "1m"}, 1e6},
	} {
		var so, se bytes.Buffer
		args := append([]string{"calibrate", sampleDir, "-o", yml, "--out", filepath.Join(dir, "cal")}, tc.args...)
		if err := run(context.Background(), &so, &se, args); err != nil {
			t.Fatalf("%v: %v\n%s", tc.args, err, se.String())
		}
		f, err := os.Open(yml)
		if err != nil {
			t.Fatal(err)
		}
		m, err := model.Parse(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if m.Quota != tc.want {
			t.Errorf("%v: quota %v, want %v", tc.args, m.Quota, tc.want)
		}
	}
	var so, se bytes.Buffer
	err := run(context.Background(), &so, &se, []string{"calibrate", sampleDir, "-o", yml, "--out", filepath.Join(dir, "cal"), "--quota", "lots"})
	if err == nil || !strings.Contains(err.Error(), "--quota") {
		t.Errorf("--quota lots: error %v, want one naming --quota", err)
	}
}
