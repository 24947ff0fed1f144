package calibrate_test

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
)

// BenchmarkCalibrate reads a canonical export (data.ReadExport) and
// calibrates the default model on it, as sim calibrate does, and reports
// the peak live heap per lead (peak-B/lead, sampled every 5 ms, after a
// GC before the start) beside the usual time and allocations. The
// export is generated from the default model, FUNNEL_BENCH_QUARTERS
// quarters of it (default 2, about 60,000 leads), and read from memory;
// FUNNEL_BENCH_EXPORT names a folder to read instead, such as one that
// 'sim generate --quarters 36 --start 2017-01-01' wrote (a million
// leads):
//
//	go test -run '^$' -bench Calibrate -benchtime 1x ./calibrate/
//	FUNNEL_BENCH_EXPORT=/tmp/big1m go test -run '^$' -bench Calibrate -benchtime 1x -timeout 30m ./calibrate/
//
// sim calibrate's peak resident set is about the peak live heap times
// 1.3 to 2 (the collector's headroom, GOGC=100, at the peak).
func BenchmarkCalibrate(b *testing.B) {
	fsys := benchExport(b)
	leads := 0
	for b.Loop() {
		runtime.GC()
		peak := watchHeap()
		e, err := data.ReadExport(fsys, nil)
		if err != nil {
			b.Fatal(err)
		}
		leads = len(e.Leads)
		if _, err := calibrate.Calibrate(e, calibrate.Config{}); err != nil {
			b.Fatal(err)
		}
		p := peak()
		b.ReportMetric(float64(p)/float64(leads), "peak-B/lead")
		b.ReportMetric(float64(p)/(1<<20), "peak-MiB")
	}
	b.ReportMetric(float64(leads), "leads")
}

// benchExport returns the benchmark's export (see BenchmarkCalibrate).
func benchExport(b *testing.B) fs.FS {
	if dir := os.Getenv("FUNNEL_BENCH_EXPORT"); dir != "" {
		return os.DirFS(dir)
	}
	q := 2
	if s := os.Getenv("FUNNEL_BENCH_QUARTERS"); s != "" {
		var err error
		if q, err = strconv.Atoi(s); err != nil || q < 1 || q > 40 {
			b.Fatalf("FUNNEL_BENCH_QUARTERS=%q: want 1 to 40", s)
		}
	}
	e, err := synth.Generate(context.Background(), model.Default(), synth.Config{Quarters: q, Seed: 1,
		Start: time.Date(2017, 1, 2, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		b.Fatal(err)
	}
	m := mapDir{}
	if err := data.WriteExport(m, e); err != nil {
		b.Fatal(err)
	}
	return fstest.MapFS(m)
}

// mapDir is a data.FileCreator into an fstest.MapFS.
type mapDir fstest.MapFS

func (m mapDir) Create(name string) (io.WriteCloser, error) {
	return &mapFile{m: m, name: name}, nil
}

type mapFile struct {
	bytes.Buffer
	m    mapDir
	name string
}

func (f *mapFile) Close() error {
	f.m[f.name] = &fstest.MapFile{Data: f.Bytes()}
	return nil
}

// watchHeap samples the live heap (heap objects, bytes) every 5 ms until
// the returned function is called, which returns the largest sample.
func watchHeap() func() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var (
		mu   sync.Mutex
		peak uint64
	)
	sample := func() {
		metrics.Read(s)
		mu.Lock()
		peak = max(peak, s[0].Value.Uint64())
		mu.Unlock()
	}
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return func() uint64 {
		sample()
		close(done)
		<-stopped
		mu.Lock()
		defer mu.Unlock()
		return peak
	}
}
