package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShardedMerge runs each shardable command as N shards, each a
// process of its own, merges them, and checks that the merged folder
// equals the unsharded run's byte for byte, and that merge says what the
// unsharded run says but for the folder's name.
func TestShardedMerge(t *testing.T) {
	for _, tt := range []struct {
		name   string
		args   []string
		shards int
	}{
		{"forecast", []string{"forecast", "--quarters", "90", "--horizon", "2", "--seed", "5"}, 3},
		{"compare", []string{"compare", "--quarters", "40", "--seed", "3"}, 2},
		{"sla", []string{"sla", "--quarters", "30", "--seed", "2", "--headcount", "2,4"}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			var procs []func() string
			for i := range tt.shards {
				args := append(tt.args, "-q", "--shard", fmt.Sprintf("%d/%d", i, tt.shards), "--out", fmt.Sprintf("shard-%d", i))
				cmd, out := simProcess(t, dir, args...)
				procs = append(procs, func() string {
					if err := cmd.Wait(); err != nil {
						t.Fatalf("sim %s: %v\n%s", strings.Join(args, " "), err, out)
					}
					return out.String()
				})
			}
			for _, wait := range procs {
				wait()
			}
			merge := []string{"merge", "--out", "merged"}
			for i := tt.shards - 1; i >= 0; i-- { // any order
				merge = append(merge, fmt.Sprintf("shard-%d", i))
			}
			mergedOut := runProcess(t, dir, merge...)
			wholeOut := runProcess(t, dir, append(tt.args, "-q", "--out", "whole")...)
			if err := sameFiles(snapshot(t, filepath.Join(dir, "merged")), snapshot(t, filepath.Join(dir, "whole"))); err != nil {
				t.Errorf("merged shards differ from the whole run: %v", err)
			}
			if strings.ReplaceAll(mergedOut, "merged", "whole") != wholeOut {
				t.Errorf("merge printed\n%s\nthe whole run\n%s", mergedOut, wholeOut)
			}
		})
	}
}

// TestMergeRefuses: a missing or repeated shard, shards of two runs, and a
// model file changed since the shards ran are errors that say so.
func TestMergeRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	modelFile := filepath.Join(dir, "m.yaml")
	yaml, _, err := runSim(t, ctx, "model")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(modelFile, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	shard := func(seed, i, n int) string {
		out := filepath.Join(dir, fmt.Sprintf("s%d-%d-%d", seed, i, n))
		if _, _, err := runSim(t, ctx, "forecast", "--model", modelFile, "--quarters", "12", "--seed", fmt.Sprint(seed),
			"--shard", fmt.Sprintf("%d/%d", i, n), "--out", out, "-q"); err != nil {
			t.Fatal(err)
		}
		return out
	}
	a0, a1, b1 := shard(1, 0, 2), shard(1, 1, 2), shard(2, 1, 2)
	for _, tt := range []struct {
		name string
		dirs []string
		want string
	}{
		{"missing", []string{a0}, "1 of 2 shards given; missing shard(s) 1"},
		{"twice", []string{a0, a0}, "are both shard 0/2"},
		{"other run", []string{a0, b1}, "a shard of another run"},
		{"not a shard", []string{dir}, "written with --shard"},
	} {
		_, _, err := runSim(t, ctx, append([]string{"merge", "--out", filepath.Join(dir, "out")}, tt.dirs...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v; want one saying %q", tt.name, err, tt.want)
		}
	}
	if _, _, err := runSim(t, ctx, "sla", "--target-share", "0.9", "--shard", "0/2", "--out", filepath.Join(dir, "sla")); err == nil || !strings.Contains(err.Error(), "cannot be split") {
		t.Errorf("sla search sharded: error %v; want it refused", err)
	}
	for _, bad := range []string{"2/2", "-1/2", "1", "0/0", "a/b"} {
		if _, _, err := runSim(t, ctx, "forecast", "--shard", bad, "--out", filepath.Join(dir, "bad")); err == nil || !strings.Contains(err.Error(), "want I/N") {
			t.Errorf("--shard %s: error %v; want it refused", bad, err)
		}
	}
	b, err := os.ReadFile(modelFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(modelFile, []byte("# edited\n"+string(b)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runSim(t, ctx, "merge", "--out", filepath.Join(dir, "out"), a0, a1); err != nil {
		t.Errorf("a model file reformatted but the same model: %v", err)
	}
	if err := os.WriteFile(modelFile, []byte(strings.Replace(string(b), "quota: 9500000", "quota: 9400000", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runSim(t, ctx, "merge", "--out", filepath.Join(dir, "out2"), a0, a1); err == nil || !strings.Contains(err.Error(), "not the one the shards simulated") {
		t.Errorf("a changed model: error %v; want it refused", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out2")); err == nil {
		t.Error("a refused merge left its output folder")
	}
}
