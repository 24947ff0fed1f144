package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/data"
)

// sampleDir is the repository's sample export, relative to cmd/sim.
var sampleDir = filepath.Join("..", "..", "data", "sample")

// badDir is an export in which many rows are wrong in different ways.
var badDir = filepath.Join("testdata", "inspect_bad")

func readGolden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestInspectSample(t *testing.T) {
	_, statErr := os.Stat("rejects.csv")
	out, _, err := runSim(t, context.Background(), "inspect", sampleDir)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "inspect_sample.stdout", strings.ReplaceAll(out, sampleDir, "data/sample"))
	if _, err := os.Stat("rejects.csv"); err == nil && statErr != nil {
		os.Remove("rejects.csv")
		t.Error("inspect wrote rejects.csv though no row was rejected")
	}
}

func TestInspectSampleJSON(t *testing.T) {
	out, _, err := runSim(t, context.Background(), "inspect", sampleDir, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var j data.InspectJSON
	if err := json.Unmarshal([]byte(out), &j); err != nil {
		t.Fatalf("--json output does not parse: %v\n%s", err, out)
	}
	if j.Source != "canonical" || j.Leads != 12114 || j.RejectedRows != 0 || j.Rows != 38114 ||
		len(j.Files) != 4 || j.Response.P50Minutes == nil || j.AsOf == nil || len(j.Transitions) == 0 {
		t.Errorf("unexpected --json report: %s", out)
	}
}

func TestInspectBad(t *testing.T) {
	rejects := filepath.Join(t.TempDir(), "rejects.csv")
	out, _, err := runSim(t, context.Background(), "inspect", badDir, "--rejects", rejects)
	const wantErr = "inspect: 10 of 25 rows rejected (40.0%), above --max-reject-share 5.0%; REJECTS lists each rejected row with its file, line, column and reason"
	if err == nil || strings.ReplaceAll(err.Error(), rejects, "REJECTS") != wantErr {
		t.Errorf("error = %v\nwant %s", err, wantErr)
	}
	golden(t, "inspect_bad.stdout", strings.ReplaceAll(out, rejects, "REJECTS"))
	got, rerr := os.ReadFile(rejects)
	if rerr != nil {
		t.Fatalf("rejects file not written: %v", rerr)
	}
	golden(t, "inspect_bad.rejects.csv", string(got))

	// Tolerating the share, the same report succeeds.
	out2, _, err := runSim(t, context.Background(), "inspect", badDir, "--rejects", rejects, "--max-reject-share", "0.5")
	if err != nil {
		t.Errorf("--max-reject-share 0.5: %v", err)
	}
	if out2 != out {
		t.Error("--max-reject-share changed the report")
	}
	// --date-order mdy reads 03/04/2024 and rejects one row fewer.
	_, _, err = runSim(t, context.Background(), "inspect", badDir, "--rejects", rejects, "--date-order", "mdy")
	if err == nil || !strings.HasPrefix(err.Error(), "inspect: 9 of 25 rows rejected") {
		t.Errorf("--date-order mdy: error = %v, want 9 of 25 rejected", err)
	}
}

// TestInspectDefaultRejects checks where the rejects file goes without
// --rejects: rejects.csv in the current folder, but never into the export.
func TestInspectDefaultRejects(t *testing.T) {
	src, err := filepath.Abs(badDir)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	export := filepath.Join(dir, "export")
	if err := os.CopyFS(export, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	if _, _, err := runSim(t, context.Background(), "inspect", "export", "--max-reject-share", "1"); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "rejects.csv"))
	if err != nil || strings.Count(string(b), "\n") != 11 {
		t.Errorf("rejects.csv in the current folder: %v, %d lines", err, strings.Count(string(b), "\n"))
	}

	t.Chdir(export)
	_, _, err = runSim(t, context.Background(), "inspect", ".", "--max-reject-share", "1")
	const want = "inspect: 10 rows rejected, but the default rejects file rejects.csv would be written into the export folder; run from another folder or pass --rejects FILE"
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
	if _, err := os.Stat(filepath.Join(export, "rejects.csv")); err == nil {
		t.Error("inspect wrote into the export folder")
	}
}

func TestInspectErrors(t *testing.T) {
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no args", []string{}, "inspect: want one export folder or file, got 0 arguments (run 'sim inspect --help')"},
		{"two args", []string{"a", "b"}, "inspect: want one export folder or file, got 2 arguments (run 'sim inspect --help')"},
		{"format", []string{sampleDir, "--format", "excel"}, `inspect: --format "excel": want canonical, salesforce, hubspot or opportunities`},
		{"tz", []string{sampleDir, "--tz", "Mars/Olympus"}, `inspect: --tz "Mars/Olympus": want an IANA zone such as UTC or Europe/Berlin`},
		{"date order", []string{sampleDir, "--date-order", "ymd"}, `inspect: --date-order "ymd": want mdy, dmy or auto`},
		{"as-of", []string{sampleDir, "--as-of", "soon"}, `inspect: --as-of "soon": want a time such as 2024-06-30 or 2024-06-30T18:00:00Z`},
		{"share", []string{sampleDir, "--max-reject-share", "5"}, "inspect: --max-reject-share 5: want a share from 0 to 1 (0.05 is 5%)"},
		{"missing", []string{"testdata/nonexistent"}, "inspect: stat testdata/nonexistent: no such file or directory"},
		{"undetectable", []string{empty}, "inspect: EMPTY: cannot tell the export format: no CSV file in the folder; pass --format"},
		{"file for a folder format", []string{"testdata/import_opportunities.csv", "--format", "canonical"}, "inspect: testdata/import_opportunities.csv is a file; the canonical format reads a folder (only --format opportunities reads a single file)"},
		{"wrong format", []string{sampleDir, "--format", "salesforce"}, "inspect: ../../data/sample: data: Salesforce export has neither Lead.csv nor Opportunity.csv"},
		{"mapping", []string{sampleDir, "--mapping", "testdata/nonexistent.yaml"}, "inspect: open testdata/nonexistent.yaml: no such file or directory"},
		{"as-of rejects everything", []string{sampleDir, "--as-of", "2023-01-01", "--rejects", filepath.Join(empty, "r.csv")},
			"inspect: 38114 of 38114 rows rejected (100.0%), above --max-reject-share 5.0%; EMPTY/r.csv lists each rejected row with its file, line, column and reason"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runSim(t, context.Background(), append([]string{"inspect"}, tt.args...)...)
			if err == nil {
				t.Fatalf("no error, want %s", tt.want)
			}
			if got := strings.ReplaceAll(err.Error(), empty, "EMPTY"); got != tt.want {
				t.Errorf("error = %s\nwant    %s", got, tt.want)
			}
		})
	}
}

func TestInspectHelp(t *testing.T) {
	out, _, _ := runSim(t, context.Background(), "inspect", "--help")
	for _, want := range []string{"Usage: sim inspect SRC", "stage_events.csv", "opportunity_stage_events.csv", "Lead.csv",
		"contacts.csv", "close_value", "--max-reject-share", "--rejects", "--mapping", "--date-order", "--json"} {
		if !strings.Contains(out, want) {
			t.Errorf("sim inspect --help lacks %q", want)
		}
	}
}

// TestImportCanonicalRoundTrip imports the canonical sample: the files
// written are the sample's own, byte for byte.
func TestImportCanonicalRoundTrip(t *testing.T) {
	out := t.TempDir()
	if _, _, err := runSim(t, context.Background(), "import", sampleDir, "--out", out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{data.LeadsFile, data.StageEventsFile, data.ActivitiesFile, data.OpportunitiesFile} {
		want, _ := os.ReadFile(filepath.Join(sampleDir, f))
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil || string(got) != string(want) {
			t.Errorf("%s: imported file differs from the sample (%v)", f, err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(out, "rejects.csv")); err != nil || string(b) != "file,line,column,field,reason,value\n" {
		t.Errorf("rejects.csv = %q, %v; want the header alone", b, err)
	}
}

func TestImportOpportunities(t *testing.T) {
	out := t.TempDir()
	stdout, _, err := runSim(t, context.Background(), "import", "testdata/import_opportunities.csv", "--out", out, "--max-reject-share", "0.2")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "import_opportunities.stdout", strings.ReplaceAll(stdout, out, "OUT"))
	for _, f := range []string{data.OpportunitiesFile, "rejects.csv"} {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "import_opportunities."+f, string(b))
	}
	// The result reads back as a canonical export without rejections.
	e, err := data.ReadExport(os.DirFS(out), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Opportunities) != 5 || len(e.Report.Rejected) != 0 {
		t.Errorf("read back %d opportunities, %d rejected; want 5, 0", len(e.Opportunities), len(e.Report.Rejected))
	}
}

func TestImportSalesforce(t *testing.T) {
	out := t.TempDir()
	src := filepath.Join("..", "..", "data", "testdata", "salesforce")
	want, err := data.ReadSalesforce(os.DirFS(src), &data.Options{MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := runSim(t, context.Background(), "import", src, "--format", "salesforce", "--out", out, "--max-reject-share", "1"); err != nil {
		t.Fatal(err)
	}
	got, err := data.ReadExport(os.DirFS(out), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Leads) != len(want.Leads) || len(got.StageEvents) != len(want.StageEvents) ||
		len(got.Opportunities) != len(want.Opportunities) || len(got.OppStageEvents) != len(want.OppStageEvents) || len(got.Report.Rejected) != 0 {
		t.Errorf("imported export reads back as %d leads, %d stage events, %d opportunities, %d opportunity events, %d rejected; want %d, %d, %d, %d, 0",
			len(got.Leads), len(got.StageEvents), len(got.Opportunities), len(got.OppStageEvents), len(got.Report.Rejected),
			len(want.Leads), len(want.StageEvents), len(want.Opportunities), len(want.OppStageEvents))
	}
	b, _ := os.ReadFile(filepath.Join(out, "rejects.csv"))
	if n := strings.Count(string(b), "\n"); n != 1+len(want.Report.Rejected) {
		t.Errorf("rejects.csv has %d lines, want %d", n, 1+len(want.Report.Rejected))
	}
}

func TestImportErrors(t *testing.T) {
	out := t.TempDir()
	_, _, err := runSim(t, context.Background(), "import", badDir, "--out", out)
	const want = "import: 10 of 25 rows rejected (40.0%), above --max-reject-share 5.0%; OUT/rejects.csv lists each rejected row with its file, line, column and reason; no export written"
	if err == nil || strings.ReplaceAll(err.Error(), out, "OUT") != want {
		t.Errorf("error = %v\nwant %s", err, want)
	}
	if _, err := os.Stat(filepath.Join(out, "rejects.csv")); err != nil {
		t.Errorf("rejects.csv not written: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, data.LeadsFile)); err == nil {
		t.Error("leads.csv written though the import failed")
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no out", []string{sampleDir}, "import: --out DIR is required"},
		{"no src", []string{"--out", out}, "import: want one export folder or file, got 0 arguments (run 'sim import --help')"},
		{"into the source", []string{sampleDir, "--out", sampleDir}, "import: --out ../../data/sample is the source folder; write the canonical export to another folder"},
		{"into the source file's folder", []string{"testdata/import_opportunities.csv", "--out", "testdata"}, "import: --out testdata is the source folder; write the canonical export to another folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runSim(t, context.Background(), append([]string{"import"}, tt.args...)...)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v\nwant    %s", err, tt.want)
			}
		})
	}
}
