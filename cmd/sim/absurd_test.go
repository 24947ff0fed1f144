package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/model"
)

// TestAbsurdInputs gives every command sizes no machine can run: each is
// refused within a second, before any work, with a message naming the
// limit, and no output folder is created.
func TestAbsurdInputs(t *testing.T) {
	dir := t.TempDir()
	def := string(model.DefaultYAML())
	write := func(name, re, repl string) string {
		y := regexp.MustCompile(re).ReplaceAllString(def, repl)
		if y == def {
			t.Fatalf("%s: %s matches nothing in the default model", name, re)
		}
		p := filepath.Join(dir, name+".yaml")
		os.WriteFile(p, []byte(y), 0o644)
		return p
	}
	var bomb strings.Builder
	bomb.WriteString("quota: &a [1,1,1,1,1,1,1,1,1]\n")
	prev := "a"
	for _, c := range "bcdefghij" {
		bomb.WriteString(string(c) + ": &" + string(c) + " [" + strings.Repeat("*"+prev+",", 8) + "*" + prev + "]\n")
		prev = string(c)
	}
	os.WriteFile(filepath.Join(dir, "bomb.yaml"), []byte(bomb.String()), 0o644)
	out := filepath.Join(dir, "out")
	tests := []struct {
		name string
		args []string
		want string // in the error
	}{
		{"rate", []string{"forecast", "--model", write("rate", `rate_per_week: 2000`, "rate_per_week: 1e12")}, "rate_per_week: got 1e+12, want at most"},
		{"headcount", []string{"forecast", "--model", write("headcount", `headcount: \d+`, "headcount: 1000000000")}, "headcount: got 1000000000, want a number of SDRs in [1,"},
		{"recycles", []string{"forecast", "--model", write("recycles", `max_recycles: \d+`, "max_recycles: 1000000")}, "max_recycles: got 1000000, want at most"},
		{"alias bomb", []string{"forecast", "--model", filepath.Join(dir, "bomb.yaml")}, "bomb.yaml"},
		{"quarters 1e9", []string{"forecast", "--quarters", "1000000000"}, "over the limit of 1e+11: simulate fewer --quarters, or raise the limit with --max-leads"},
		{"quarters maxint", []string{"forecast", "--quarters", "9223372036854775807"}, "--max-leads"},
		{"horizon", []string{"forecast", "--horizon", "1000000"}, "--horizon 1000000: want 1 to 40 quarters"},
		{"compare", []string{"compare", "--quarters", "1000000000"}, "--max-leads"},
		{"sla", []string{"sla", "--quarters", "1000000000"}, "--max-leads"},
		{"plan", []string{"plan", "--quarters", "1000000000"}, "--max-leads"},
		{"bootstrap", []string{"calibrate", "--bootstrap", "1000000000", dir}, "--bootstrap 1000000000: want 0 to 10000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			args := append(tt.args, "--out", out, "-q")
			if tt.args[0] == "calibrate" {
				args = append(tt.args, "--out", out, "-o", filepath.Join(out, "m.yaml"))
			}
			_, _, err := runSim(t, context.Background(), args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
			if took := time.Since(start); took > time.Second {
				t.Errorf("refused after %v, want under a second", took)
			}
			if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("the output folder exists after a refused run: %v", err)
			}
		})
	}
}
