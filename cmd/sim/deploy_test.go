package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"
)

// TestDeployManifests checks deploy/k8s against sim: the shards' Indexed
// Job runs as many completions as its --shard says, each into its own
// folder, with flags forecast accepts; the merge Job merges those folders.
func TestDeployManifests(t *testing.T) {
	type container struct {
		Command []string
		Args    []string
	}
	type job struct {
		Kind string
		Spec struct {
			CompletionMode string `yaml:"completionMode"`
			Completions    int
			Template       struct {
				Spec struct{ Containers []container }
			}
		}
	}
	read := func(name string) []job {
		b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "k8s", name))
		if err != nil {
			t.Fatal(err)
		}
		var jobs []job
		dec := yaml.NewDecoder(bytes.NewReader(b))
		for {
			var j job
			if err := dec.Decode(&j); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if j.Kind == "Job" {
				jobs = append(jobs, j)
			}
		}
		if len(jobs) != 1 || len(jobs[0].Spec.Template.Spec.Containers) != 1 {
			t.Fatalf("%s: want one Job of one container", name)
		}
		return jobs
	}
	// script returns the sim command line a container runs through sh -c.
	script := func(c container) []string {
		if len(c.Command) != 2 || c.Command[0] != "sh" || c.Command[1] != "-c" || len(c.Args) != 1 {
			t.Fatalf("container runs %q %q; want sh -c SCRIPT", c.Command, c.Args)
		}
		f := strings.Fields(strings.ReplaceAll(c.Args[0], `"`, ""))
		if len(f) < 3 || f[0] != "exec" || f[1] != "sim" {
			t.Fatalf("script %q does not exec sim", c.Args[0])
		}
		return f[2:]
	}
	shards := read("forecast-sharded.yaml")[0]
	if shards.Spec.CompletionMode != "Indexed" {
		t.Errorf("shards' Job completionMode %q; want Indexed", shards.Spec.CompletionMode)
	}
	args := script(shards.Spec.Template.Spec.Containers[0])
	fs := pflag.NewFlagSet("", pflag.ContinueOnError)
	shard := fs.String("shard", "", "")
	out := fs.String("out", "", "")
	fs.ParseErrorsAllowlist.UnknownFlags = true
	if err := fs.Parse(args[1:]); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`^\$JOB_COMPLETION_INDEX/(\d+)$`).FindStringSubmatch(*shard)
	if args[0] != "forecast" || m == nil {
		t.Fatalf("shards run %q; want forecast --shard $JOB_COMPLETION_INDEX/N", args)
	}
	if n, _ := strconv.Atoi(m[1]); n != shards.Spec.Completions {
		t.Errorf("--shard .../%d but %d completions", n, shards.Spec.Completions)
	}
	if !strings.HasSuffix(*out, "$JOB_COMPLETION_INDEX") {
		t.Errorf("shards write to %q, not a folder of their own", *out)
	}
	// forecast accepts the flags (the shard and folder made concrete).
	concrete := strings.ReplaceAll(strings.Join(args, "\x00"), "$JOB_COMPLETION_INDEX", "0")
	_, _, err := runSim(t, context.Background(), append(strings.Split(concrete, "\x00"), "--help")...)
	if !errors.Is(err, pflag.ErrHelp) {
		t.Errorf("sim %s: %v", strings.Join(args, " "), err)
	}
	merge := script(read("forecast-merge.yaml")[0].Spec.Template.Spec.Containers[0])
	prefix := strings.TrimSuffix(*out, "$JOB_COMPLETION_INDEX")
	if len(merge) < 2 || merge[0] != "merge" || merge[1] != prefix+"*" {
		t.Errorf("merge Job runs %q; want sim merge %s* ...", merge, prefix)
	}
}
