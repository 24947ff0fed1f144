package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/spf13/pflag"
)

// A sharded run splits a simulation's quarters between machines: each runs
//
//	sim forecast --quarters 100000 --shard I/N --out shard-I
//
// and writes its runs' exact results (shard.json and results-K.bin, one a
// scenario), and
//
//	sim merge shard-* --out out/forecast
//
// joins them and writes what "sim forecast --quarters 100000 --out
// out/forecast" would have written, byte for byte: merge runs the same
// command with the shards' flags, taking the merged results instead of
// simulating (run q of the simulation draws from streams derived from
// (seed, q) only, so where it runs does not matter).

// shardManifest is shard.json.
type shardManifest struct {
	SchemaVersion int      `json:"schema_version"`
	Command       string   `json:"command"`
	Args          []string `json:"args"` // the command's flags and arguments, without --shard and --out
	Shard         int      `json:"shard"`
	Shards        int      `json:"shards"`
	Quarters      int      `json:"quarters"` // of the whole simulation
	First         int      `json:"first"`    // this shard's first run
	Runs          int      `json:"runs"`     // and its runs
	Models        []string `json:"models"`   // SHA-256 of each model simulated, in order
}

const (
	shardSchema   = 1
	shardFile     = "shard.json"
	maxShards     = 10000
	maxShardBytes = 1 << 20 // shard.json
)

// shardSpec is --shard I/N.
type shardSpec struct{ i, n int }

// registerShard adds --shard to fs, for the commands that can be sharded.
func registerShard(fs *pflag.FlagSet, s *string) {
	fs.StringVar(s, "shard", "", "simulate only shard `I/N` of the quarters (I from 0 to N-1) and write its exact results to --out; 'sim merge' joins the N shards into the full outputs")
}

// parseShard parses --shard's value ("" is no shard).
func parseShard(s string) (*shardSpec, error) {
	if s == "" {
		return nil, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > maxShards || i < 0 || i >= n {
		return nil, fmt.Errorf("--shard %q: want I/N with N from 1 to %d and I from 0 to N-1, such as 0/4", s, maxShards)
	}
	return &shardSpec{i, n}, nil
}

// config narrows cfg, a whole simulation's (the commands refuse a
// --quarters below 1, so cfg.Quarters is set), to the shard's runs.
func (s *shardSpec) config(cfg montecarlo.Config) montecarlo.Config {
	if s != nil {
		cfg.First, cfg.Quarters = montecarlo.Shard(cfg.Quarters, s.i, s.n)
	}
	return cfg
}

// shardArgs returns args without --shard and --out (and their values), the
// flags a merge runs the command with.
func shardArgs(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			return append(out, args[i:]...)
		}
		for _, f := range []string{"--shard", "--out"} {
			if a == f {
				i++ // its value
				a = ""
				break
			}
			if strings.HasPrefix(a, f+"=") {
				a = ""
				break
			}
		}
		if a != "" {
			out = append(out, a)
		}
	}
	return out
}

// writeShard writes a shard's results into d: shard.json and one
// results-K.bin for each model simulated, and says what it did.
func writeShard(e *env, d *outdir.Dir, command string, args []string, s *shardSpec, cfg montecarlo.Config, ms []*model.Model, res []*montecarlo.Results) error {
	sh := s.config(cfg)
	man := shardManifest{SchemaVersion: shardSchema, Command: command, Args: shardArgs(args),
		Shard: s.i, Shards: s.n, Quarters: cfg.Quarters, First: sh.First, Runs: sh.Quarters, Models: []string{}}
	for k, m := range ms {
		man.Models = append(man.Models, m.Hash())
		b, err := res[k].MarshalBinary()
		if err != nil {
			return err
		}
		if err := d.WriteFile(fmt.Sprintf("results-%d.bin", k), b); err != nil {
			return err
		}
	}
	if err := writeJSON(d, shardFile, man); err != nil {
		return err
	}
	if err := d.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Shard %d/%d: runs %d to %d of %d simulated; wrote %s (%s and %d results file(s)).\nWhen every shard is done: sim merge SHARD_DIR... --out DIR\n",
		s.i, s.n, man.First, man.First+man.Runs-1, man.Quarters, d.Path(), shardFile, len(ms))
	return nil
}

// replay holds merged results for a command that sim merge runs: its
// simulation is not run again but taken from the shards.
type replay struct {
	man *shardManifest
	res []*montecarlo.Results
}

// take returns the merged results in place of simulating ms with cfg,
// after checking that they are what that simulation would return.
func (r *replay) take(ms []*model.Model, cfg montecarlo.Config) ([]*montecarlo.Results, error) {
	if r.res == nil {
		return nil, errors.New("merge: the command simulates more than once (a search); only a single simulation can be sharded")
	}
	q := cfg.Quarters
	if len(ms) != len(r.res) {
		return nil, fmt.Errorf("merge: the shards simulated %d models, the command now %d: were its files changed?", len(r.res), len(ms))
	}
	for k, m := range ms {
		if m.Hash() != r.man.Models[k] {
			return nil, fmt.Errorf("merge: model %d is not the one the shards simulated: were its files changed since?", k+1)
		}
		if x := r.res[k]; x.Quarters != q || x.Seed != cfg.Seed || x.Horizon != max(cfg.Horizon, 1) {
			return nil, fmt.Errorf("merge: the shards hold %d quarters of seed %d, the command asks for %d of seed %d", x.Quarters, x.Seed, q, cfg.Seed)
		}
	}
	out := r.res
	r.res = nil // once
	return out, nil
}

const mergeUsage = `
Usage: sim merge SHARD_DIR... [--out DIR]

Joins the shards of a sharded forecast, compare or sla run (each written by
the command with --shard I/N) and writes the outputs the command would have
written unsharded, byte for byte. Every shard of the run must be given,
once; the model and scenario files the shards read must still be where
they were, unchanged (merge checks them).

Examples:
  sim forecast --quarters 100000 --shard 0/2 --out shard-0
  sim forecast --quarters 100000 --shard 1/2 --out shard-1
  sim merge shard-0 shard-1 --out out/forecast
`

func init() {
	register("merge", "join the shards of a run made with --shard into its outputs", runMerge)
}

func runMerge(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "merge", mergeUsage)
	out := fs.String("out", "", "output `DIR` (default: the command's own default)")
	dirs, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(dirs) == 0 {
		return errors.New("merge: no shard folders given (run 'sim merge --help')")
	}
	var man *shardManifest
	seen := map[int]string{}
	var parts [][]*montecarlo.Results // by model, the shards' results
	for _, dir := range dirs {
		m, err := readManifest(dir)
		if err != nil {
			return err
		}
		if man == nil {
			man = m
			parts = make([][]*montecarlo.Results, len(m.Models))
		} else if m.Command != man.Command || !slices.Equal(m.Args, man.Args) || m.Shards != man.Shards ||
			m.Quarters != man.Quarters || !slices.Equal(m.Models, man.Models) {
			return fmt.Errorf("merge: %s is a shard of another run than %s (%s %s)", dir, dirs[0], man.Command, strings.Join(man.Args, " "))
		}
		if prev, ok := seen[m.Shard]; ok {
			return fmt.Errorf("merge: %s and %s are both shard %d/%d", prev, dir, m.Shard, m.Shards)
		}
		seen[m.Shard] = dir
		for k := range man.Models {
			r, err := readResults(filepath.Join(dir, fmt.Sprintf("results-%d.bin", k)))
			if err != nil {
				return err
			}
			if r.First != m.First || r.Quarters != m.Runs {
				return fmt.Errorf("merge: %s holds runs %d to %d, its shard.json says %d to %d", dir, r.First, r.First+r.Quarters-1, m.First, m.First+m.Runs-1)
			}
			parts[k] = append(parts[k], r)
		}
	}
	if len(seen) != man.Shards {
		var missing []string
		for i := range man.Shards {
			if _, ok := seen[i]; !ok {
				missing = append(missing, strconv.Itoa(i))
			}
		}
		return fmt.Errorf("merge: %d of %d shards given; missing shard(s) %s", len(seen), man.Shards, strings.Join(missing, ", "))
	}
	rp := &replay{man: man}
	for k := range parts {
		r, err := montecarlo.Merge(parts[k]...)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		rp.res = append(rp.res, r)
	}
	c, ok := commands[man.Command]
	if !ok || !slices.Contains(shardable, man.Command) {
		return fmt.Errorf("merge: the shards are of %q, which cannot be sharded", man.Command)
	}
	cargs := slices.Clone(man.Args)
	if *out != "" {
		cargs = append([]string{"--out", *out}, cargs...)
	}
	re := *e
	re.replay = rp
	return c.run(ctx, &re, cargs)
}

// shardable lists the commands that take --shard.
var shardable = []string{"forecast", "compare", "sla"}

// readManifest reads dir's shard.json.
func readManifest(dir string) (*shardManifest, error) {
	name := filepath.Join(dir, shardFile)
	b, err := readLimited(name, maxShardBytes)
	if err != nil {
		return nil, fmt.Errorf("merge: %w (is %s a folder written with --shard?)", err, dir)
	}
	var m shardManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("merge: %s: %v", name, err)
	}
	switch {
	case m.SchemaVersion != shardSchema:
		return nil, fmt.Errorf("merge: %s: schema_version %d; this sim reads %d", name, m.SchemaVersion, shardSchema)
	case m.Shards < 1 || m.Shards > maxShards || m.Shard < 0 || m.Shard >= m.Shards || m.Quarters < 1 || len(m.Models) == 0:
		return nil, fmt.Errorf("merge: %s: shard %d of %d of %d quarters and %d models is not a shard", name, m.Shard, m.Shards, m.Quarters, len(m.Models))
	}
	if f, n := montecarlo.Shard(m.Quarters, m.Shard, m.Shards); f != m.First || n != m.Runs {
		return nil, fmt.Errorf("merge: %s: shard %d/%d of %d quarters is runs %d to %d, not %d to %d", name, m.Shard, m.Shards, m.Quarters, f, f+n-1, m.First, m.First+m.Runs-1)
	}
	return &m, nil
}

// readResults reads a results-K.bin.
func readResults(name string) (*montecarlo.Results, error) {
	b, err := readLimited(name, int64(montecarlo.DefaultConfig.MaxBytes))
	if err != nil {
		return nil, fmt.Errorf("merge: %w", err)
	}
	var r montecarlo.Results
	if err := r.UnmarshalBinary(b); err != nil {
		return nil, fmt.Errorf("merge: %s: %w", name, err)
	}
	return &r, nil
}

// readLimited reads the file name, refusing one over limit bytes.
func readLimited(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: over %d bytes", name, limit)
	}
	return b, nil
}
