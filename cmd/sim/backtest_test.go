package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBacktestCommand runs sim backtest on the bundled sample at one origin
// and checks the table, the summary and the files.
func TestBacktestCommand(t *testing.T) {
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	err := run(t.Context(), &stdout, &stderr, []string{"backtest", "../../data/sample", "--origins", "2024-09-29", "--quarters", "20", "--out", out})
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	s := stdout.String()
	for _, want := range []string{"origin", "2024-09-29", "pipeline err", "80% interval (P10–P90)", "baseline persistence", "Wrote"} {
		if !strings.Contains(s, want) {
			t.Errorf("output lacks %q:\n%s", want, s)
		}
	}
	for _, f := range []string{"backtest.csv", "backtest.json", "backtest.png", "backtest.svg"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Error(err)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, "backtest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var js struct {
		SchemaVersion int `json:"schema_version"`
		Origins       []struct {
			Origin time.Time `json:"origin"`
			Error  string    `json:"error"`
		} `json:"origins"`
	}
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if js.SchemaVersion != 1 || len(js.Origins) != 1 || !js.Origins[0].Origin.Equal(time.Date(2024, 9, 30, 0, 0, 0, 0, time.UTC)) || js.Origins[0].Error != "" {
		t.Errorf("backtest.json: %+v", js)
	}
}

func TestBacktestFlags(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no export", []string{"backtest"}, "backtest: want one EXPORT_DIR, got 0 arguments"},
		{"bad window", []string{"backtest", "../../data/sample", "--window", "30d"}, `backtest: --window: "30d": want whole weeks`},
		{"bad origin", []string{"backtest", "../../data/sample", "--origins", "June"}, `backtest: --origins: "June": want monthly or dates such as 2017-06-30`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(t.Context(), &stdout, &stderr, append(tt.args, "--out", t.TempDir()))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want it to start with %q", err, tt.want)
			}
		})
	}
}
