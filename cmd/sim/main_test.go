package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain runs the test binary as sim itself when SIM_TEST_MAIN is 1, so
// that tests can run sim as a process (signals, concurrent runs) without
// building it: os.Args after the program name are sim's arguments.
func TestMain(m *testing.M) {
	if os.Getenv("SIM_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// update rewrites golden files instead of comparing with them; every golden
// test of package main uses it: go test ./cmd/sim -update.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runSim runs sim with args and returns its stdout and stderr.
func runSim(t *testing.T, ctx context.Context, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(ctx, &out, &errOut, args)
	return out.String(), errOut.String(), err
}

// golden compares got with testdata/name, or rewrites it under -update. On
// a mismatch it writes testdata/name.got for inspection.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/sim -update to create it)", err)
	}
	if got != string(want) {
		os.WriteFile(path+".got", []byte(got), 0o644)
		t.Errorf("%s differs from the golden file; see %s.got (go test -update rewrites it)", path, path)
	}
}

func TestUsage(t *testing.T) {
	out, _, err := runSim(t, context.Background(), "--help")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Usage:", "forecast", "generate", "model", "sim forecast --model my.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("sim --help lacks %q:\n%s", want, out)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	_, _, err := runSim(t, context.Background(), "forcast")
	const want = `unknown command "forcast" (did you mean forecast?); run 'sim --help'`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}
