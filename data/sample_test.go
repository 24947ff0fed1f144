package data

import (
	"os"
	"testing"
)

// The sample export in data/sample is made by sim generate (package
// data/synth, whose TestSampleReproducible regenerates it byte for byte).

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
