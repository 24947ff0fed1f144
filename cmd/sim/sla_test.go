package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSLAMoneyCurveEveryPolicy: the money curve of sim sla draws every
// policy, the thresholds included (it once left them out while saying "one
// point per policy"), and the 24x7 policy's 0s median at a "0s" tick, not
// at the log axis' "1s".
func TestSLAMoneyCurveEveryPolicy(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := runSim(t, context.Background(), "sla", "--quarters", "2", "--seed", "3", "--out", dir, "-q"); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Policies []struct {
			Name string `json:"name"`
		} `json:"policies"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "sla.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "moneycurve.svg"))
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Policies) != 9 {
		t.Errorf("%d policies, want 9 (base, 4 headcounts, 2 hours, 2 thresholds)", len(doc.Policies))
	}
	for _, p := range doc.Policies {
		if !strings.Contains(string(svg), ">"+p.Name+"<") {
			t.Errorf("moneycurve.svg does not show policy %q", p.Name)
		}
	}
	if !strings.Contains(string(svg), ">0s<") || strings.Contains(string(svg), ">1s<") {
		t.Errorf("moneycurve.svg: want a 0s tick and no 1s tick")
	}
}
