package montecarlo

import (
	"context"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestShard: the shards of k cover [0, quarters) in order, sizes within one.
func TestShard(t *testing.T) {
	for _, q := range []int{0, 1, 7, 10, 23} {
		for k := 1; k <= 5; k++ {
			next := 0
			for i := range k {
				first, n := Shard(q, i, k)
				if first != next || n < q/k || n > q/k+1 {
					t.Fatalf("Shard(%d, %d, %d) = %d, %d; want first %d and %d or %d runs", q, i, k, first, n, next, q/k, q/k+1)
				}
				next += n
			}
			if next != q {
				t.Fatalf("%d shards of %d quarters cover %d", k, q, next)
			}
		}
	}
}

// TestMergeEqualsRun: the runs of a simulation cut into shards, each
// simulated apart (through its binary form, as on another machine) and
// merged, equal one run of them all bit for bit, on every engine path:
// the walk with the SDR queue, a horizon, parameters drawn per run, the
// marks, and a sweep; the first 20 runs' response samples included.
func TestMergeEqualsRun(t *testing.T) {
	uncertain := model.Default()
	for i := range uncertain.Stages {
		uncertain.Stages[i].Observations = 400
	}
	uncertain.Sources[0].RateWeeks = 26
	for _, tt := range []struct {
		name string
		m    *model.Model
		cfg  Config
	}{
		{"default", model.Default(), Config{Quarters: 27, Seed: 42}},
		{"horizon-2", model.Default(), Config{Quarters: 11, Seed: 7, Horizon: 2}},
		{"draw-params", uncertain, Config{Quarters: 13, Seed: 3, DrawParams: true}},
		{"marks", plain5Stage(), Config{Quarters: 40, Seed: 5, Horizon: 2, engine: engineMarks}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			whole := mustRun(t, tt.m, tt.cfg)
			var parts []*Results
			for i := range 3 {
				cfg := tt.cfg
				cfg.First, cfg.Quarters = Shard(tt.cfg.Quarters, 2-i, 3) // out of order
				b, err := mustRun(t, tt.m, cfg).MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				var r Results
				if err := r.UnmarshalBinary(b); err != nil {
					t.Fatal(err)
				}
				parts = append(parts, &r)
			}
			got, err := Merge(parts...)
			if err != nil {
				t.Fatal(err)
			}
			if len(whole.RespSample) == 0 && tt.name != "marks" {
				t.Fatal("no response sample: the comparison would miss it")
			}
			if d := sameResults(whole, got); d != "" {
				t.Errorf("merged shards differ from the whole run: %s", d)
			}
		})
	}
	t.Run("sweep", func(t *testing.T) {
		a, b := model.Default(), model.Default()
		b.Handoff.SDR.Headcount++ // same upstream: one group
		ms := []*model.Model{a, b}
		whole, err := RunSweep(context.Background(), ms, Config{Quarters: 25, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		lo, err := RunSweep(context.Background(), ms, Config{Quarters: 10, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		hi, err := RunSweep(context.Background(), ms, Config{Quarters: 15, First: 10, Seed: 11})
		if err != nil {
			t.Fatal(err)
		}
		for i := range ms {
			got, err := Merge(lo[i], hi[i])
			if err != nil {
				t.Fatal(err)
			}
			if d := sameResults(whole[i], got); d != "" {
				t.Errorf("model %d: merged shards differ from the whole sweep: %s", i, d)
			}
		}
	})
}

// TestMergeRefuses: gaps, overlaps and shards of other simulations.
func TestMergeRefuses(t *testing.T) {
	m := model.Default()
	run := func(first, n int, seed uint64) *Results {
		return mustRun(t, m, Config{Quarters: n, First: first, Seed: seed})
	}
	a, b := run(0, 3, 1), run(3, 3, 1)
	other := model.Default()
	other.Quota *= 2
	for _, tt := range []struct {
		name   string
		shards []*Results
		want   string
	}{
		{"none", nil, "no results"},
		{"gap", []*Results{a, run(4, 2, 1)}, "runs 3 to 3 are in no shard"},
		{"overlap", []*Results{a, run(2, 3, 1)}, "overlap"},
		{"late start", []*Results{b}, "runs 0 to 2 are in no shard"},
		{"seed", []*Results{a, run(3, 3, 2)}, "seed 2, not 1"},
		{"model", []*Results{a, mustRun(t, other, Config{Quarters: 3, First: 3, Seed: 1})}, "another model"},
	} {
		if _, err := Merge(tt.shards...); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Merge error %v; want one saying %q", tt.name, err, tt.want)
		}
	}
	if r, err := Merge(a, b); err != nil || r.Quarters != 6 {
		t.Errorf("Merge of two tiling shards: %v, %v", r, err)
	}
}

// TestUnmarshalBinaryRefuses: every truncation of a valid form, and forged
// sizes, are errors, not panics or large allocations.
func TestUnmarshalBinaryRefuses(t *testing.T) {
	b, err := mustRun(t, model.Default(), Config{Quarters: 2, Seed: 1}).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(b) {
		var r Results
		if r.UnmarshalBinary(b[:n]) == nil {
			t.Fatalf("a form cut to %d of %d bytes was read", n, len(b))
		}
	}
	forged := strings.Replace(string(b), `"Quarters":2`, `"Quarters":2000000000`, 1)
	var r Results
	if err := r.UnmarshalBinary([]byte(forged)); err == nil {
		t.Error("a form declaring 2e9 runs was read")
	}
	if err := r.UnmarshalBinary(b); err != nil || r.Quarters != 2 {
		t.Errorf("valid form: %v", err)
	}
}
