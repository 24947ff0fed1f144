package montecarlo

import (
	"hash/fnv"
	"math"
	"runtime"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestRunPinned pins Run's results, bit for bit, for a few models: a
// change to the engine that should leave every draw alone (a faster data
// structure, a refactor) must leave these hashes alone. A change that
// means to draw otherwise replaces them with the ones it prints, and says
// so in its commit. (Pinned on amd64 only: other architectures may fuse
// multiplications and additions, which changes the last bits.)
func TestRunPinned(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("results pinned on amd64")
	}
	oneSDR := model.Default()
	oneSDR.Handoff.SDR.Headcount = 1
	start := model.Default()
	start.Start = &model.Start{Leads: []model.OpenLead{
		{Stage: "engaged", Source: "web", Count: 300, AgeDays: 5},
		{Stage: "mql", Source: "web", Count: 200, AgeDays: 0, Waiting: true},
		{Stage: "opportunity", Source: "events", Count: 50, AgeDays: 20},
	}}
	for _, tt := range []struct {
		name string
		m    *model.Model
		H    int
		want uint64
	}{
		{"default", model.Default(), 1, 0xb99f61fec52fea1c},
		{"default horizon 2", model.Default(), 2, 0x0e05fce9d0b4fa7a},
		{"one SDR", oneSDR, 1, 0xff0f05f0bcd55448},
		{"start", start, 1, 0xc0b363ed131f7607},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRun(t, tt.m, Config{Quarters: 8, Seed: 77, Horizon: tt.H})
			if got := resultsHash(r); got != tt.want {
				t.Errorf("results hash %#016x, want %#016x", got, tt.want)
			}
		})
	}
}

// resultsHash hashes every series of r, bit for bit, and its lead count.
func resultsHash(r *Results) uint64 {
	h := fnv.New64a()
	var b [8]byte
	put := func(u uint64) {
		for i := range b {
			b[i] = byte(u >> (8 * i))
		}
		h.Write(b[:])
	}
	for _, x := range r.series()[:pinnedSeries] {
		for _, v := range *x {
			put(math.Float64bits(v))
		}
	}
	put(uint64(r.Leads))
	return h.Sum64()
}
