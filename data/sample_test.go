package data

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/funnelsim/funnel/model"
)

// The sample export in data/sample is regenerated with
//
//	sim generate --model data/sample/model.yaml --quarters 4 --seed 1 --out data/sample
//
// sampleConfig is that command's configuration.
var sampleConfig = GenerateConfig{Quarters: 4, Seed: 1}

func sampleModel(t testing.TB) *model.Model {
	t.Helper()
	f, err := os.Open(filepath.Join("sample", "model.yaml"))
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

func TestSampleReads(t *testing.T) {
	e, err := ReadExport(os.DirFS("sample"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.Report.Rejected); n != 0 {
		t.Errorf("sample: %d rows rejected, first: %v", n, e.Report.Rejected[0])
	}
	if len(e.Report.Warnings) != 0 {
		t.Errorf("sample: warnings %v", e.Report.Warnings)
	}
	if len(e.Leads) < 10000 || len(e.Opportunities) < 100 {
		t.Errorf("sample: %d leads, %d opportunities; want a year of a small funnel", len(e.Leads), len(e.Opportunities))
	}
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
	dir := memDir{}
	if err := WriteExport(dir, e); err != nil {
		t.Fatal(err)
	}
	ents, err := os.ReadDir("sample")
	if err != nil {
		t.Fatal(err)
	}
	onDisk := 0
	for _, ent := range ents {
		if filepath.Ext(ent.Name()) != ".csv" {
			continue
		}
		onDisk++
		if _, ok := dir[ent.Name()]; !ok {
			t.Errorf("sample/%s is not generated any more", ent.Name())
		}
	}
	if onDisk != len(dir) {
		t.Errorf("sample holds %d CSV files, generation writes %d", onDisk, len(dir))
	}
	for name, got := range dir {
		want, err := os.ReadFile(filepath.Join("sample", name))
		if err != nil {
			t.Errorf("%v (regenerate the sample as data/sample/README.md says)", err)
			continue
		}
		if !bytes.Equal(got.Data, want) {
			t.Errorf("sample/%s differs from a fresh generation (%d bytes, want %d); if the change to the random stream is deliberate, regenerate it as data/sample/README.md says",
				name, len(got.Data), len(want))
		}
	}
}

// TestGenerateNothingAfterAsOf checks that no generated record is dated
// after the end of the history: the SDR queue reports touches that fall
// after it, which a CRM exported at AsOf cannot hold.
func TestGenerateNothingAfterAsOf(t *testing.T) {
	e, err := Generate(context.Background(), sampleModel(t), GenerateConfig{Quarters: 1, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.latest(nil); got.After(e.AsOf) {
		t.Errorf("latest record at %v, after AsOf %v", got, e.AsOf)
	}
	// Written and read back with that AsOf, nothing is rejected.
	dir := memDir{}
	if err := WriteExport(dir, e); err != nil {
		t.Fatal(err)
	}
	back, err := ReadExport(fstest.MapFS(dir), &Options{AsOf: e.AsOf})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(back.Report.Rejected); n > 0 {
		t.Errorf("%d rows rejected reading back at AsOf, first: %v", n, back.Report.Rejected[0])
	}
}
