package data

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The streaming benchmarks read a large canonical export from disk:
// streamLeads leads (FUNNEL_BENCH_LEADS, default 1,000,000), five stage
// events each, an activity for every second lead and an opportunity for
// every twentieth. The export is written once per machine under
// $TMPDIR/funnel-stream-<leads> (about 330 MB for a million leads) and
// reused; scripts/stream-rss.sh measures the same files.
//
//	go test -run '^$' -bench Stream -benchtime 1x ./data/

// streamLeads returns the number of leads of the benchmark export.
func streamLeads(tb testing.TB) int {
	n := 1_000_000
	if s := os.Getenv("FUNNEL_BENCH_LEADS"); s != "" {
		var err error
		if n, err = strconv.Atoi(s); err != nil || n < 1 {
			tb.Fatalf("FUNNEL_BENCH_LEADS=%q: want a positive number", s)
		}
	}
	return n
}

var streamDirs sync.Map // leads -> dir

// streamExport returns the folder of the benchmark export with n leads,
// writing it on first use.
func streamExport(tb testing.TB, n int) string {
	if d, ok := streamDirs.Load(n); ok {
		return d.(string)
	}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("funnel-stream-%d", n))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err != nil {
		start := time.Now()
		if err := writeStreamExport(dir, n); err != nil {
			tb.Fatal(err)
		}
		tb.Logf("wrote %s in %v", dir, time.Since(start).Round(time.Millisecond))
	}
	streamDirs.Store(n, dir)
	return dir
}

// writeStreamExport writes a synthetic canonical export of n leads into
// dir, one row at a time, and marks it complete. Rows are deterministic:
// lead i is created i*30 seconds after 2024-01-01 and enters known,
// engaged, mql, tql and sal an hour apart; every second lead gets an SDR
// call 20 minutes after mql; every twentieth becomes an opportunity.
func writeStreamExport(dir string, n int) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	stages := []string{"known", "engaged", "mql", "tql", "sal"}
	sources := []string{"web", "web", "web", "events", "outbound"}
	segments := []string{"smb", "mid", "enterprise"}
	files := []struct {
		name   string
		header string
		row    func(w *bufio.Writer, i int)
	}{
		{LeadsFile, "lead_id,created_at,source,segment,score,owner\n", func(w *bufio.Writer, i int) {
			fmt.Fprintf(w, "L%07d,%s,%s,%s,%d,\n", i, t0.Add(time.Duration(i)*30*time.Second).Format(time.RFC3339),
				sources[i%len(sources)], segments[i%len(segments)], i%100)
		}},
		{StageEventsFile, "lead_id,stage,at\n", func(w *bufio.Writer, i int) {
			c := t0.Add(time.Duration(i) * 30 * time.Second)
			for k, s := range stages {
				fmt.Fprintf(w, "L%07d,%s,%s\n", i, s, c.Add(time.Duration(k)*time.Hour).Format(time.RFC3339))
			}
		}},
		{ActivitiesFile, "lead_id,at,channel,outcome,owner\n", func(w *bufio.Writer, i int) {
			if i%2 == 0 {
				at := t0.Add(time.Duration(i)*30*time.Second + 2*time.Hour + 20*time.Minute)
				out := "connected"
				if i%6 == 0 {
					out = "attempted"
				}
				fmt.Fprintf(w, "L%07d,%s,call,%s,sdr-%02d\n", i, at.Format(time.RFC3339), out, i%6+1)
			}
		}},
		{OpportunitiesFile, "opportunity_id,lead_id,created_at,amount,stage,closed_at,outcome,currency\n", func(w *bufio.Writer, i int) {
			if i%20 == 0 {
				c := t0.Add(time.Duration(i)*30*time.Second + 5*time.Hour)
				fmt.Fprintf(w, "O%07d,L%07d,%s,%d,won,%s,won,USD\n", i/20, i, c.Format(time.RFC3339), 10000+i%50000,
					c.Add(40*24*time.Hour).Format(time.RFC3339))
			}
		}},
	}
	os.Remove(filepath.Join(dir, "complete"))
	for _, f := range files {
		fh, err := os.Create(filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(fh, 1<<20)
		w.WriteString(f.header)
		for i := range n {
			f.row(w, i)
		}
		err = w.Flush()
		if cerr := fh.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(dir, "complete"), nil, 0o644)
}

// peakHeap samples the live heap every so many rows and keeps the largest.
type peakHeap struct {
	rows, max uint64
}

func (p *peakHeap) row() {
	p.rows++
	if p.rows%250_000 == 0 {
		p.sample()
	}
}

func (p *peakHeap) sample() {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.max = max(p.max, ms.HeapInuse)
}

// report adds rows/s and the peak heap (MB) to b's results.
func (p *peakHeap) report(b *testing.B) {
	p.sample()
	b.ReportMetric(float64(p.rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(p.max)/(1<<20), "peak-heap-MB")
}

func openStream(b *testing.B, dir, name string) *os.File {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		b.Fatal(err)
	}
	return f
}

// streamRead reads every record of read until io.EOF.
func streamRead[T any](b *testing.B, read func() (T, error), p *peakHeap) {
	for {
		if _, err := read(); err != nil {
			if err == io.EOF {
				return
			}
			b.Fatal(err)
		}
		p.row()
	}
}

// BenchmarkReadLeadsStream reads leads.csv with a LeadReader.
func BenchmarkReadLeadsStream(b *testing.B) {
	dir := streamExport(b, streamLeads(b))
	runtime.GC()
	var p peakHeap
	for b.Loop() {
		f := openStream(b, dir, LeadsFile)
		lr := NewLeadReader(f, LeadsFile, nil)
		streamRead(b, lr.Read, &p)
		f.Close()
		if len(lr.Report.Rejected) > 0 {
			b.Fatalf("%d rejected: %v", len(lr.Report.Rejected), lr.Report.Rejected[0])
		}
	}
	p.report(b)
}

// BenchmarkReadStageEventsStream reads stage_events.csv with a
// StageEventReader checking every event against the leads (as
// ReadExport does); building that map is not timed.
func BenchmarkReadStageEventsStream(b *testing.B) {
	dir := streamExport(b, streamLeads(b))
	leads := streamLeadIndex(b, dir)
	runtime.GC()
	b.ResetTimer()
	var p peakHeap
	for b.Loop() {
		f := openStream(b, dir, StageEventsFile)
		sr := NewStageEventReader(f, StageEventsFile, nil)
		sr.Leads = leads
		streamRead(b, sr.Read, &p)
		f.Close()
		if len(sr.Report.Rejected) > 0 {
			b.Fatalf("%d rejected: %v", len(sr.Report.Rejected), sr.Report.Rejected[0])
		}
	}
	p.report(b)
}

// BenchmarkReadStream reads the whole export with the streaming readers,
// keeping only the lead index the event readers need: the documented way
// to read an export too large for ReadExport.
func BenchmarkReadStream(b *testing.B) {
	dir := streamExport(b, streamLeads(b))
	runtime.GC()
	var p peakHeap
	for b.Loop() {
		leads := make(map[string]time.Time)
		f := openStream(b, dir, LeadsFile)
		lr := NewLeadReader(f, LeadsFile, nil)
		for {
			l, err := lr.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			leads[l.ID] = l.CreatedAt
			p.row()
		}
		f.Close()
		f = openStream(b, dir, StageEventsFile)
		sr := NewStageEventReader(f, StageEventsFile, nil)
		sr.Report, sr.Leads = lr.Report, leads
		streamRead(b, sr.Read, &p)
		f.Close()
		f = openStream(b, dir, ActivitiesFile)
		ar := NewActivityReader(f, ActivitiesFile, nil)
		ar.Report, ar.Leads = lr.Report, leads
		streamRead(b, ar.Read, &p)
		f.Close()
		f = openStream(b, dir, OpportunitiesFile)
		or := NewOpportunityReader(f, OpportunitiesFile, nil)
		or.Report, or.Leads = lr.Report, leads
		streamRead(b, or.Read, &p)
		f.Close()
		if len(lr.Report.Rejected) > 0 {
			b.Fatalf("%d rejected: %v", len(lr.Report.Rejected), lr.Report.Rejected[0])
		}
	}
	p.report(b)
}

// BenchmarkReadExportLarge loads the whole export into memory with
// ReadExport, for comparison with BenchmarkReadStream.
func BenchmarkReadExportLarge(b *testing.B) {
	dir := streamExport(b, streamLeads(b))
	runtime.GC()
	var p peakHeap
	for b.Loop() {
		e, err := ReadExport(os.DirFS(dir), nil)
		if err != nil {
			b.Fatal(err)
		}
		p.rows += uint64(e.Report.TotalRows())
		p.sample()
	}
	p.report(b)
}

func streamLeadIndex(b *testing.B, dir string) map[string]time.Time {
	f := openStream(b, dir, LeadsFile)
	defer f.Close()
	lr := NewLeadReader(f, LeadsFile, nil)
	leads := make(map[string]time.Time)
	for {
		l, err := lr.Read()
		if err == io.EOF {
			return leads
		}
		if err != nil {
			b.Fatal(err)
		}
		leads[l.ID] = l.CreatedAt
	}
}

// TestStreamExportSmall checks the benchmark's export on a small size:
// it reads with no rejections and the counts the benchmarks rely on.
func TestStreamExportSmall(t *testing.T) {
	dir := t.TempDir()
	if err := writeStreamExport(dir, 1000); err != nil {
		t.Fatal(err)
	}
	e, err := ReadExport(os.DirFS(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Report.Rejected) > 0 {
		t.Fatalf("%d rejected, first %v", len(e.Report.Rejected), e.Report.Rejected[0])
	}
	if len(e.Leads) != 1000 || len(e.StageEvents) != 5000 || len(e.Activities) != 500 || len(e.Opportunities) != 50 {
		t.Errorf("got %d leads, %d events, %d activities, %d opportunities; want 1000, 5000, 500, 50",
			len(e.Leads), len(e.StageEvents), len(e.Activities), len(e.Opportunities))
	}
}
