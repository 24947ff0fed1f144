package data

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRead checks Read's format detection and dispatch, and its errors,
// on the sample export and the adapters' test folders.
func TestRead(t *testing.T) {
	dir := t.TempDir()
	deals := filepath.Join(dir, "deals.csv")
	if err := os.WriteFile(deals, []byte("opportunity_id,created_at,amount,stage,closed_at\nd1,2024-01-02,100,Won,2024-02-01\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	twoDir := filepath.Join(dir, "two")
	if err := os.Mkdir(twoDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a.csv", "b.csv"} {
		if err := os.WriteFile(filepath.Join(twoDir, n), []byte("x\n1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	emptyDir := filepath.Join(dir, "empty")
	if err := os.Mkdir(emptyDir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name    string
		src     string
		format  Format
		want    Format
		file    string
		wantErr string
	}{
		{name: "canonical detected", src: "sample", want: FormatCanonical},
		{name: "salesforce detected", src: "testdata/salesforce", want: FormatSalesforce},
		{name: "hubspot detected", src: "testdata/hubspot", want: FormatHubSpot},
		{name: "a file is opportunities", src: deals, want: FormatOpportunities, file: deals},
		{name: "a folder's only csv", src: dir, format: FormatOpportunities, want: FormatOpportunities, file: deals},
		{name: "two csv files", src: twoDir, format: FormatOpportunities,
			wantErr: twoDir + ": the opportunities format reads one CSV file: found 2 .csv files and no opportunities.csv; give the file's path"},
		{name: "undetectable", src: emptyDir, wantErr: emptyDir + ": cannot tell the export format: no CSV file in the folder; pass --format"},
		{name: "file for a folder format", src: deals, format: FormatCanonical,
			wantErr: deals + " is a file; the canonical format reads a folder (only --format opportunities reads a single file)"},
		{name: "missing", src: filepath.Join(dir, "nope"), wantErr: "stat " + filepath.Join(dir, "nope") + ": no such file or directory"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Read(context.Background(), tt.src, ReadOptions{Format: tt.format, Options: &Options{MaxRejectShare: 1}})
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("Read error %v, want %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != tt.want || res.File != tt.file || res.Export == nil {
				t.Errorf("Read = format %v, file %q, export %v; want %v, %q", res.Format, res.File, res.Export != nil, tt.want, tt.file)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, "sample", ReadOptions{}); err != context.Canceled {
		t.Errorf("Read with a cancelled context: %v", err)
	}
}

func TestParseFormat(t *testing.T) {
	for _, f := range []Format{FormatUnknown, FormatCanonical, FormatSalesforce, FormatHubSpot, FormatOpportunities} {
		s := f.String()
		if f == FormatUnknown {
			s = ""
		}
		if got, err := ParseFormat(strings.ToUpper(s)); got != f || err != nil {
			t.Errorf("ParseFormat(%q) = %v, %v; want %v", s, got, err, f)
		}
	}
	if _, err := ParseFormat("excel"); err == nil || err.Error() != `data: unknown format "excel" (want canonical, salesforce, hubspot or opportunities)` {
		t.Errorf("ParseFormat(excel): %v", err)
	}
}

// TestInspectJSON: empty lists are [] and undefined values null, so that
// programs need not tell a missing key from an empty one.
func TestInspectJSON(t *testing.T) {
	e := &Export{}
	b, err := json.Marshal(NewInspectJSON(Inspect(e), &e.Report, "canonical", ""))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"format":"canonical","files":[],"leads":0,"stage_events":0,"activities":0,"opportunities":0,"opportunity_stage_events":0,` +
		`"first":null,"last":null,"as_of":null,"leads_by_stage":[],"opportunities_by_stage":[],"won":0,"lost":0,"open":0,"transitions":[],` +
		`"response":{"n":0,"p50_minutes":null,"p90_minutes":null,"no_response":0},"rows":0,"rejected_rows":0,"reject_share":0,"rejected_by_reason":[],"warnings":[]}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}
