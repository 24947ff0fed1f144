package main

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// simProcess starts sim with args as a process in dir (see TestMain).
func simProcess(t *testing.T, dir string, args ...string) (*exec.Cmd, *bytes.Buffer) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SIM_TEST_MAIN=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// runProcess runs sim with args as a process in dir and fails the test
// unless it succeeds.
func runProcess(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd, out := simProcess(t, dir, args...)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("sim %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out.String()
}

// snapshot returns every file below dir with its content, by slash path.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		rel, _ := filepath.Rel(dir, path)
		files[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// sameFiles reports, as an error, how got differs from want.
func sameFiles(got, want map[string]string) error {
	if !slices.Equal(keys(got), keys(want)) {
		return errors.New("files " + strings.Join(keys(got), " ") + "\nwant  " + strings.Join(keys(want), " "))
	}
	for k, v := range want {
		if got[k] != v {
			return errors.New(k + " differs")
		}
	}
	return nil
}

// TestInterrupt stops commands with SIGINT or SIGTERM at several moments
// and checks that each stops within a second or so, exits with status 130
// and leaves the previous outputs exactly as they were, with no stray
// temporary files.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sim as processes")
	}
	dir := t.TempDir()
	runProcess(t, dir, "generate", "--quarters", "2", "--out", "export")
	runProcess(t, dir, "forecast", "--quarters", "50", "--out", "fc", "-q")
	runProcess(t, dir, "calibrate", "export", "-o", "model.yaml", "--out", "calib")
	before := snapshot(t, dir)
	cases := []struct {
		name  string
		sig   syscall.Signal
		after time.Duration
		args  []string
	}{
		{"forecast preparing", syscall.SIGINT, 300 * time.Millisecond, []string{"forecast", "--quarters", "100000", "--out", "fc", "-q"}},
		{"forecast simulating", syscall.SIGTERM, 2500 * time.Millisecond, []string{"forecast", "--quarters", "100000", "--out", "fc", "-q"}},
		{"calibrate reading", syscall.SIGINT, 100 * time.Millisecond, []string{"calibrate", "export", "-o", "model.yaml", "--out", "calib"}},
		{"calibrate fitting", syscall.SIGINT, 1500 * time.Millisecond, []string{"calibrate", "export", "-o", "model.yaml", "--out", "calib"}},
		{"sla", syscall.SIGINT, 1500 * time.Millisecond, []string{"sla", "--quarters", "5000", "--out", "fc", "-q"}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			cmd, out := simProcess(t, dir, tt.args...)
			time.Sleep(tt.after)
			sent := time.Now()
			cmd.Process.Signal(tt.sig)
			err := cmd.Wait()
			took := time.Since(sent)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 130 {
				t.Errorf("exit: %v, want status 130\n%s", err, out)
			}
			if took > 2*time.Second {
				t.Errorf("stopped %v after the signal, want about 1s at most", took)
			}
			if err := sameFiles(snapshot(t, dir), before); err != nil {
				t.Errorf("outputs changed by an interrupted run: %v", err)
			}
		})
	}
}

// TestKilledRunLeavesOutputs kills a forecast outright: the previous
// outputs stay as they were, and the next run removes the staging folder
// the killed one left.
func TestKilledRunLeavesOutputs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sim as processes")
	}
	dir := t.TempDir()
	runProcess(t, dir, "forecast", "--quarters", "50", "--out", "fc", "-q")
	before := snapshot(t, filepath.Join(dir, "fc"))
	cmd, _ := simProcess(t, dir, "forecast", "--quarters", "100000", "--out", "fc", "-q")
	time.Sleep(1500 * time.Millisecond)
	cmd.Process.Kill()
	cmd.Wait()
	after := snapshot(t, filepath.Join(dir, "fc"))
	var stage string
	for k := range after {
		if strings.HasPrefix(k, ".sim-stage-") {
			stage = strings.Split(k, "/")[0]
			delete(after, k)
		}
	}
	if err := sameFiles(after, before); err != nil {
		t.Errorf("outputs changed by a killed run: %v", err)
	}
	if stage == "" {
		t.Fatal("the killed run left no staging folder: the test did not kill it while it ran")
	}
	old := time.Now().Add(-time.Minute)
	os.Chtimes(filepath.Join(dir, "fc", stage), old, old)
	runProcess(t, dir, "forecast", "--quarters", "50", "--out", "fc", "-q")
	if _, err := os.Stat(filepath.Join(dir, "fc", stage)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the killed run's staging folder %s is still there after the next run: %v", stage, err)
	}
}

// TestConcurrentRuns runs two forecasts with different seeds into one
// folder at once: it ends with the complete output of one of them.
func TestConcurrentRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sim as processes")
	}
	dir := t.TempDir()
	args := func(seed, out string) []string {
		return []string{"forecast", "--quarters", "200", "--seed", seed, "--out", out, "-q"}
	}
	runProcess(t, dir, args("1", "one")...)
	runProcess(t, dir, args("2", "two")...)
	one, two := snapshot(t, filepath.Join(dir, "one")), snapshot(t, filepath.Join(dir, "two"))
	for round := range 2 {
		a, aout := simProcess(t, dir, args("1", "same")...)
		b, bout := simProcess(t, dir, args("2", "same")...)
		if err := a.Wait(); err != nil {
			t.Fatalf("%v\n%s", err, aout)
		}
		if err := b.Wait(); err != nil {
			t.Fatalf("%v\n%s", err, bout)
		}
		got := snapshot(t, filepath.Join(dir, "same"))
		e1, e2 := sameFiles(got, one), sameFiles(got, two)
		if e1 != nil && e2 != nil {
			t.Errorf("round %d: the folder is neither run's output:\n%v\n%v", round, e1, e2)
		}
	}
}
