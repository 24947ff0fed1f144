package data

import (
	"bytes"
	"io"
	"reflect"
	"testing"
	"testing/fstest"
	"time"
)

// memDir is a FileCreator that keeps files in memory.
type memDir fstest.MapFS

type memFile struct {
	bytes.Buffer
	name string
	dir  memDir
}

func (f *memFile) Close() error {
	f.dir[f.name] = &fstest.MapFile{Data: f.Bytes()}
	return nil
}

func (d memDir) Create(name string) (io.WriteCloser, error) {
	return &memFile{name: name, dir: d}, nil
}

func TestRoundTrip(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	utc := func(y int, m time.Month, d, hh, mm int) time.Time { return time.Date(y, m, d, hh, mm, 0, 0, time.UTC) }
	hand := &Export{
		Leads: []Lead{
			{ID: "L1", CreatedAt: utc(2024, 1, 1, 10, 0), Source: "web", Segment: "smb", Score: 0.125, HasScore: true, Owner: "ann",
				Attrs: map[string]string{"region": "emea", "notes": "line one\nline, \"two\""}},
			{ID: "L2", CreatedAt: utc(2024, 1, 2, 10, 0), Source: "event"},
			{ID: "L3", CreatedAt: utc(2024, 1, 2, 10, 0), Source: "outbound", Score: 0, HasScore: true, Attrs: map[string]string{"region": "amer"}},
		},
		StageEvents: []StageEvent{
			{"L1", "mql", utc(2024, 1, 1, 11, 0)},
			{"L1", "sal", utc(2024, 1, 1, 11, 0)}, // same time: file order kept
			{"L2", "mql", utc(2024, 1, 3, 0, 0)},
		},
		Activities: []Activity{
			{LeadID: "L1", At: utc(2024, 1, 1, 11, 5), Channel: "call", Connected: true, Owner: "sam"},
			{LeadID: "L2", At: utc(2024, 1, 3, 1, 0), Channel: "email"},
		},
		Opportunities: []Opportunity{
			{ID: "O1", LeadID: "L1", CreatedAt: utc(2024, 1, 5, 0, 0), Amount: 1234.56, Stage: "won", ClosedAt: utc(2024, 2, 1, 0, 0), Outcome: OutcomeWon, Currency: "USD"},
			{ID: "O2", CreatedAt: utc(2024, 1, 6, 0, 0), Amount: 0.1, Stage: "negotiation", Attrs: map[string]string{"expected_close": "2024-03-01T00:00:00Z"}},
			{ID: "O3", CreatedAt: utc(2024, 1, 7, 0, 0), Amount: 1e9, Stage: "lost", ClosedAt: utc(2024, 1, 9, 0, 0), Outcome: OutcomeLost},
		},
		OppStageEvents: []OppStageEvent{
			{"O1", "proposal", utc(2024, 1, 10, 0, 0)},
			{"O1", "won", utc(2024, 2, 1, 0, 0)},
		},
	}
	// An export read in New York time: records come back in UTC.
	read, err := ReadExport(mapFS(baseFiles()), &Options{TZ: ny, MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		e    *Export
	}{{"HandWritten", hand}, {"ReadBack", read}} {
		t.Run(tt.name, func(t *testing.T) {
			dir := memDir{}
			if err := WriteExport(dir, tt.e); err != nil {
				t.Fatal(err)
			}
			got, err := ReadExport(fstest.MapFS(dir), nil)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Report.Rejected) != 0 {
				t.Fatalf("rejects: %v", rejectStrings(&got.Report))
			}
			if !reflect.DeepEqual(got.Leads, tt.e.Leads) {
				t.Errorf("leads:\n got %+v\nwant %+v", got.Leads, tt.e.Leads)
			}
			if !reflect.DeepEqual(got.StageEvents, tt.e.StageEvents) {
				t.Errorf("stage events:\n got %+v\nwant %+v", got.StageEvents, tt.e.StageEvents)
			}
			if !reflect.DeepEqual(got.Activities, tt.e.Activities) {
				t.Errorf("activities:\n got %+v\nwant %+v", got.Activities, tt.e.Activities)
			}
			if !reflect.DeepEqual(got.Opportunities, tt.e.Opportunities) {
				t.Errorf("opportunities:\n got %+v\nwant %+v", got.Opportunities, tt.e.Opportunities)
			}
			if !reflect.DeepEqual(got.OppStageEvents, tt.e.OppStageEvents) {
				t.Errorf("opportunity stage events:\n got %+v\nwant %+v", got.OppStageEvents, tt.e.OppStageEvents)
			}
		})
	}
}

func TestWriteLeads(t *testing.T) {
	var buf bytes.Buffer
	ny, _ := time.LoadLocation("America/New_York")
	err := WriteLeads(&buf, []Lead{{ID: "L1", CreatedAt: time.Date(2024, 1, 1, 9, 30, 15, 999e6, ny), Source: "web", Score: 3.5, HasScore: true, Attrs: map[string]string{"b": "2", "a": "1"}}})
	if err != nil {
		t.Fatal(err)
	}
	const want = "lead_id,created_at,source,segment,score,owner,a,b\nL1,2024-01-01T14:30:15Z,web,,3.5,,1,2\n"
	if buf.String() != want {
		t.Errorf("got %q, want %q", buf.String(), want)
	}
}
