package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sfSamples is the folder of the two Salesforce sample exports shared
// with the project (see its README), relative to cmd/sim.
var sfSamples = filepath.Join("..", "..", "..", "shared", "fixtures", "salesforce-samples")

// TestSalesforceSamples imports, inspects and calibrates each shared
// Salesforce sample as downloaded, with no flags. Every record of both was
// created in one instant (an org's setup, a bulk load), so no arrival
// rate can be fitted: calibrate says so, on stdout and in
// calibration.md and model.yaml, naming the export's own sources, and
// never prints the base model's values as fitted.
func TestSalesforceSamples(t *testing.T) {
	for _, tt := range []struct {
		name    string
		leads   int
		sources string // the export's own sources, as calibrate names them
	}{
		{"dataexport-devorg", 22, "Partner Referral (4 leads), Phone Inquiry (4 leads), Purchased List (7 leads), Web (7 leads)"},
		{"dataloader-workshop", 60, "Cold Call (25 leads), Online Form (13 leads), Referral (22 leads)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			src := filepath.Join(sfSamples, tt.name)
			if _, err := os.Stat(src); err != nil {
				t.Skipf("shared sample absent: %v", err)
			}
			ctx := context.Background()
			tmp := t.TempDir()
			exp := filepath.Join(tmp, "export")
			out, _, err := runSim(t, ctx, "import", src, "--out", exp)
			if err != nil || !strings.Contains(out, "(salesforce format)") || !strings.Contains(out, ", 0 rejected (0.0%)") {
				t.Fatalf("import: %v\n%s", err, out)
			}
			if out, _, err := runSim(t, ctx, "inspect", exp); err != nil || !strings.Contains(out, "rejected: none") {
				t.Errorf("inspect: %v\n%s", err, out)
			}
			model, cal := filepath.Join(tmp, "model.yaml"), filepath.Join(tmp, "calibration")
			out, _, err = runSim(t, ctx, "calibrate", src, "-o", model, "--out", cal, "-q")
			if err != nil {
				t.Fatalf("calibrate: %v", err)
			}
			for _, want := range []string{
				"NOT FITTED: ",
				fmt.Sprintf("all %d leads", tt.leads) + " were created at the same instant",
				"the export's own sources " + tt.sources + " are not in the model",
				"A forecast from this model simulates the base model's lead volume, not yours",
				"(NOT FITTED: the base model's rate)",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("calibrate's stdout lacks %q:\n%s", want, out)
				}
			}
			md, err := os.ReadFile(filepath.Join(cal, "calibration.md"))
			if err != nil || !strings.Contains(string(md), "## Not fitted: the base model's values") {
				t.Errorf("calibration.md: %v\n%s", err, md)
			}
			y, err := os.ReadFile(model)
			if err != nil || !strings.Contains(string(y), "# NOT FITTED (") || !strings.Contains(string(y), "rate_per_week = web 2000") {
				t.Errorf("model.yaml's header: %v\n%s", err, y)
			}
			// A forecast of the model says so before any figure.
			out, _, err = runSim(t, ctx, "forecast", "--model", model, "--quarters", "20", "--out", filepath.Join(tmp, "forecast"), "-q")
			warn := strings.Index(out, "WARNING: ")
			if err != nil || warn < 0 || warn > strings.Index(out, "Revenue") ||
				!strings.Contains(out, "The lead volume simulated is the base model's, not the export's") {
				t.Errorf("forecast of the calibrated model: %v\n%s", err, out)
			}
			sum, err := os.ReadFile(filepath.Join(tmp, "forecast", "summary.json"))
			if err != nil || !strings.Contains(string(sum), `"not_fitted": [`) {
				t.Errorf("summary.json lacks not_fitted: %v", err)
			}
		})
	}
}
