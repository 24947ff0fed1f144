package synth

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
)

// The sample export in data/sample is regenerated with
//
//	sim generate --model data/sample/model.yaml --quarters 4 --seed 1 --out data/sample
//
// sampleConfig is that command's configuration.
var sampleConfig = Config{Quarters: 4, Seed: 1}

const sampleDir = "../sample"

func sampleModel(t testing.TB) *model.Model {
	t.Helper()
	f, err := os.Open(filepath.Join(sampleDir, "model.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := model.Parse(f)
	if err != nil {
		t.Fatalf("sample/model.yaml: %v", err)
	}
	return m
}

// osDir is a data.FileCreator writing into a folder.
type osDir string

func (d osDir) Create(name string) (io.WriteCloser, error) {
	return os.Create(filepath.Join(string(d), name))
}

// TestSampleReproducible regenerates the sample with the command recorded
// in data/sample/README.md and compares it byte for byte.
func TestSampleReproducible(t *testing.T) {
	if testing.Short() {
		t.Skip("simulates a year of the sample model")
	}
	e, err := Generate(context.Background(), sampleModel(t), sampleConfig)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := data.WriteExport(osDir(dir), e); err != nil {
		t.Fatal(err)
	}
	written, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir(sampleDir)
	if err != nil {
		t.Fatal(err)
	}
	onDisk := 0
	for _, ent := range ents {
		if filepath.Ext(ent.Name()) != ".csv" {
			continue
		}
		onDisk++
		if _, err := os.Stat(filepath.Join(dir, ent.Name())); err != nil {
			t.Errorf("sample/%s is not generated any more", ent.Name())
		}
	}
	if onDisk != len(written) {
		t.Errorf("sample holds %d CSV files, generation writes %d", onDisk, len(written))
	}
	for _, w := range written {
		name := w.Name()
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(sampleDir, name))
		if err != nil {
			t.Errorf("%v (regenerate the sample as data/sample/README.md says)", err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("sample/%s differs from a fresh generation (%d bytes, want %d); if the change to the random stream is deliberate, regenerate it as data/sample/README.md says",
				name, len(got), len(want))
		}
	}
}

// TestGenerateNothingAfterAsOf checks that no generated record is dated
// after the end of the history: the SDR queue reports touches that fall
// after it, which a CRM exported at AsOf cannot hold.
func TestGenerateNothingAfterAsOf(t *testing.T) {
	e, err := Generate(context.Background(), sampleModel(t), Config{Quarters: 1, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	var times []time.Time
	for _, l := range e.Leads {
		times = append(times, l.CreatedAt)
	}
	for _, s := range e.StageEvents {
		times = append(times, s.At)
	}
	for _, a := range e.Activities {
		times = append(times, a.At)
	}
	for _, o := range e.Opportunities {
		times = append(times, o.CreatedAt, o.ClosedAt)
	}
	for _, at := range times {
		if at.After(e.AsOf) {
			t.Fatalf("a record at %v, after AsOf %v", at, e.AsOf)
		}
	}
	// Written and read back with that AsOf, nothing is rejected.
	dir := t.TempDir()
	if err := data.WriteExport(osDir(dir), e); err != nil {
		t.Fatal(err)
	}
	back, err := data.ReadExport(os.DirFS(dir), &data.Options{AsOf: e.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(back.Report.Rejected); n > 0 {
		t.Errorf("%d rows rejected reading back at AsOf, first: %v", n, back.Report.Rejected[0])
	}
}
