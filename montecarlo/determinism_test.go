package montecarlo

import (
	"context"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// sameResults reports the first difference between a and b, comparing
// floats bit for bit (so NaN equals NaN), or "" when they are identical.
func sameResults(a, b *Results) string {
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		name := va.Type().Field(i).Name
		fa, fb := va.Field(i).Interface(), vb.Field(i).Interface()
		switch x := fa.(type) {
		case []float64:
			if d := sameFloats(x, fb.([]float64)); d != "" {
				return name + d
			}
		case [][]float64:
			y := fb.([][]float64)
			if len(x) != len(y) {
				return fmt.Sprintf("%s: %d vs %d runs", name, len(x), len(y))
			}
			for j := range x {
				if d := sameFloats(x[j], y[j]); d != "" {
					return fmt.Sprintf("%s[%d]%s", name, j, d)
				}
			}
		default:
			if !reflect.DeepEqual(fa, fb) {
				return fmt.Sprintf("%s: %v vs %v", name, fa, fb)
			}
		}
	}
	return ""
}

func sameFloats(x, y []float64) string {
	if len(x) != len(y) {
		return fmt.Sprintf(": length %d vs %d", len(x), len(y))
	}
	for i := range x {
		if math.Float64bits(x[i]) != math.Float64bits(y[i]) {
			return fmt.Sprintf("[%d]: %v vs %v", i, x[i], y[i])
		}
	}
	return ""
}

// TestDeterminism: the same seed gives bit-identical results with 1, 2 and
// 3 workers (quarters are claimed in blocks, so the workers interleave
// differently), with a horizon of several quarters, and with parameters
// drawn per run; a different seed gives different results.
func TestDeterminism(t *testing.T) {
	uncertain := model.Default()
	for i := range uncertain.Stages {
		uncertain.Stages[i].Observations = 400
	}
	uncertain.Sources[0].RateWeeks = 26
	uncertain.Sources[0].DealObservations = 50
	for _, tt := range []struct {
		name string
		m    *model.Model
		cfg  Config
	}{
		{"default", model.Default(), Config{Quarters: size(30, 12), Seed: 42}},
		{"horizon-3", model.Default(), Config{Quarters: size(12, 6), Seed: 7, Horizon: 3}},
		{"draw-params", uncertain, Config{Quarters: size(30, 12), Seed: 42, DrawParams: true}},
		{"marks", plain5Stage(), Config{Quarters: size(60, 20), Seed: 5, Horizon: 2, engine: engineMarks}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ref *Results
			for _, w := range []int{1, 2, 3} {
				cfg := tt.cfg
				cfg.Workers = w
				r := mustRun(t, tt.m, cfg)
				if ref == nil {
					ref = r
					if sumOf(r.Revenue) == 0 || sumOf(r.Entries) == 0 {
						t.Fatal("no revenue or no entries: the comparison would be vacuous")
					}
					continue
				}
				if d := sameResults(ref, r); d != "" {
					t.Errorf("workers 1 vs %d: %s", w, d)
				}
			}
			cfg := tt.cfg
			cfg.Seed++
			other := mustRun(t, tt.m, cfg)
			if sameFloats(ref.Revenue, other.Revenue) == "" || sameFloats(ref.Entries, other.Entries) == "" {
				t.Errorf("seeds %d and %d give the same revenue and entries", tt.cfg.Seed, cfg.Seed)
			}
		})
	}
}

// TestCommonRandomNumbers: a quarter's results depend on (seed, quarter)
// only, so the first quarters of a short run equal those of a longer one.
func TestCommonRandomNumbers(t *testing.T) {
	m := model.Default()
	short := mustRun(t, m, Config{Quarters: 5, Seed: 9, Workers: 2})
	long := mustRun(t, m, Config{Quarters: 17, Seed: 9, Workers: 3})
	if d := sameFloats(short.Revenue, long.Revenue[:5]); d != "" {
		t.Errorf("revenue of the first 5 quarters differs%s", d)
	}
	if d := sameFloats(short.Entries, long.Entries[:5*len(m.Stages)]); d != "" {
		t.Errorf("entries of the first 5 quarters differ%s", d)
	}
}

func TestRunConfig(t *testing.T) {
	m := model.Default()
	t.Run("negative-quarters", func(t *testing.T) {
		_, err := Run(context.Background(), m, Config{Quarters: -1})
		if err == nil || err.Error() != "montecarlo: -1 quarters; want a positive number, or 0 for 10000" {
			t.Errorf("Run(Quarters: -1) error = %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r, err := Run(ctx, m, Config{Quarters: 100000})
		if r != nil || !errors.Is(err, context.Canceled) {
			t.Errorf("Run(cancelled) = %v, %v; want nil, context.Canceled", r, err)
		}
	})
	t.Run("invalid-model-panics", func(t *testing.T) {
		bad := model.Default()
		bad.Quota = -1
		defer func() {
			r := recover()
			if s, _ := r.(string); !strings.HasPrefix(s, "montecarlo: invalid model: quota: got -1") {
				t.Errorf("panic = %v, want montecarlo: invalid model: ...", r)
			}
		}()
		Run(context.Background(), bad, Config{Quarters: 1})
	})
	t.Run("progress", func(t *testing.T) {
		var mu sync.Mutex
		var seen []int
		const n = 37
		r := mustRun(t, m, Config{Quarters: n, Seed: 1, Workers: 3, Progress: func(done int) {
			mu.Lock()
			seen = append(seen, done)
			mu.Unlock()
		}})
		if len(seen) == 0 || seen[len(seen)-1] != n {
			t.Fatalf("progress calls %v, want ending at %d", seen, n)
		}
		for i := 1; i < len(seen); i++ {
			if seen[i] <= seen[i-1] {
				t.Errorf("progress not increasing: %v", seen)
			}
		}
		if r.Quarters != n || r.Horizon != 1 || len(r.Revenue) != n || len(r.Entries) != n*len(m.Stages) ||
			len(r.RespSample) != RespSampleRuns || r.Leads <= 0 {
			t.Errorf("results shape: quarters %d horizon %d revenue %d entries %d samples %d leads %d",
				r.Quarters, r.Horizon, len(r.Revenue), len(r.Entries), len(r.RespSample), r.Leads)
		}
	})
}
