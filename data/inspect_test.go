package data

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestInspect(t *testing.T) {
	files := baseFiles()
	files[LeadsFile] += "L3,2024-01-04T10:00:00Z,web,,,\nL4,bad,web,,,\n"
	files[StageEventsFile] += "L3,mql,2024-01-04T10:00:00Z\nL2,sal,2024-01-03T10:00:00Z\n"
	files[ActivitiesFile] += "L2,2024-01-03T09:40:00Z,call,attempted,\nL1,2024-01-01T10:40:00Z,call,attempted,\n"
	e, err := ReadExport(mapFS(files), &Options{MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := Inspect(e)
	// L1: mql 11:00, first activity after it 11:05 -> 5 min (10:40 is before).
	// L2: mql 09:00, 09:40 -> 40 min. L3: no activity.
	if r.ResponseN != 2 || r.NoResponse != 1 || r.ResponseP50 != 5 || r.ResponseP90 != 40 {
		t.Errorf("response: n=%d none=%d p50=%v p90=%v", r.ResponseN, r.NoResponse, r.ResponseP50, r.ResponseP90)
	}
	wantStages := []StageCount{{"mql", 3}, {"sal", 2}}
	if !reflect.DeepEqual(r.LeadsByStage, wantStages) {
		t.Errorf("leads by stage = %v, want %v", r.LeadsByStage, wantStages)
	}
	wantTr := []Transition{{From: "mql", To: "sal", N: 1, Median: time.Hour}, {From: "sal", To: "mql", N: 1, Median: 30 * time.Minute}}
	if !reflect.DeepEqual(r.Transitions, wantTr) {
		t.Errorf("transitions = %v, want %v", r.Transitions, wantTr)
	}
	if !r.First.Equal(ts("2024-01-01T10:00:00Z")) || !r.Last.Equal(ts("2024-02-01T00:00:00Z")) {
		t.Errorf("date range %v to %v", r.First, r.Last)
	}
	golden(t, "inspect.golden", r.String())

	empty := Inspect(&Export{})
	if !math.IsNaN(empty.ResponseP50) || empty.String() == "" {
		t.Errorf("empty export: %+v", empty)
	}
}

// golden compares got with testdata/name, rewriting it under -update and
// writing name.got on mismatch.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if got != string(want) {
		os.WriteFile(path+".got", []byte(got), 0o644)
		t.Errorf("output differs from %s (see %s.got):\n%s", path, path, got)
	}
}

// TestInspectChecks: Inspect warns about what calibration cannot use as
// it stands (a stage outside the taxonomy, several currencies, closed
// deals of amount 0) and about nothing in a clean export.
func TestInspectChecks(t *testing.T) {
	e := &Export{
		StageEvents: []StageEvent{{LeadID: "a", Stage: "mql"}, {LeadID: "b", Stage: "handraiser"}, {LeadID: "c", Stage: "handraiser"}},
		Opportunities: []Opportunity{
			{ID: "1", Amount: 100, Outcome: OutcomeWon, Currency: "USD"},
			{ID: "2", Amount: 0, Outcome: OutcomeLost, Currency: "EUR"},
			{ID: "3", Amount: 0, Outcome: OutcomeOpen, Currency: "USD"}, // open: unknown amounts are 0
		},
	}
	var got []string
	for _, w := range Inspect(e).Warnings {
		got = append(got, w.Error())
	}
	want := []string{`stage "handraiser" (2 leads) is not in the taxonomy`, "2 currencies (EUR 1, USD 2)", "1 closed opportunity of amount 0"}
	if len(got) != len(want) {
		t.Fatalf("warnings %q, want %d", got, len(want))
	}
	for i := range want {
		if !strings.Contains(got[i], want[i]) {
			t.Errorf("warning %d = %q, want it to contain %q", i, got[i], want[i])
		}
	}
	e.StageEvents = e.StageEvents[:1]
	e.Opportunities = []Opportunity{{ID: "1", Amount: 100, Outcome: OutcomeWon, Currency: "USD"}, {ID: "2", Outcome: OutcomeOpen}}
	if w := Inspect(e).Warnings; len(w) != 0 {
		t.Errorf("clean export: warnings %v", w)
	}
}
