package data

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestSuggestMapping: a suggested mapping names each file's columns under
// the adapter's file name, every status value with the stage it becomes,
// and marks what it cannot place; it reads back with ParseMapping, hostile
// values included, and importing with it gives what importing without
// it gives.
func TestSuggestMapping(t *testing.T) {
	leads := "Id,CreatedDate,Status,LeadSource\n" +
		"00Q1,2024-03-01 10:00:00,Open - Not Contacted,Web\n" +
		"00Q2,2024-03-02 10:00:00,Handraiser,Web\n" +
		"00Q3,2024-03-03 10:00:00,\"Evil\"\" #: {x} & 'y'\",\"Trade: Show\"\n"
	opps := "Id,CreatedDate,StageName,CloseDate,Amount\n006A,2024-03-02 10:00:00,Closed Won,2024-03-05,100\n"
	fsys := fstest.MapFS{"report1.csv": {Data: []byte(leads)}, "extract.csv": {Data: []byte(opps)}, "notes.csv": {Data: []byte("a,b\n1,2\n")}}
	s, err := SuggestMapping(fsys, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := s.WriteYAML(&b, "crm/\n# injected"); err != nil {
		t.Fatal(err)
	}
	y := b.String()
	m, err := ParseMapping(strings.NewReader(y))
	if err != nil {
		t.Fatalf("the suggestion does not read back: %v\n%s", err, y)
	}
	if got := m.Columns["Lead.csv"]["status"]; got != "Status" {
		t.Errorf("Lead.csv status column %q, want Status:\n%s", got, y)
	}
	if got := m.Columns["Opportunity.csv"]["stage"]; got != "StageName" {
		t.Errorf("Opportunity.csv stage column %q:\n%s", got, y)
	}
	for v, want := range map[string]string{"Open - Not Contacted": "mql", "Handraiser": "handraiser", "Evil\" #: {x} & 'y'": "evil\" #: {x} & 'y'", "Closed Won": "won"} {
		if got := m.Stages[v]; got != want {
			t.Errorf("stage of %q = %q, want %q", v, got, want)
		}
	}
	if got := m.Sources["Trade: Show"]; got != "Trade: Show" {
		t.Errorf("source %q", got)
	}
	un := strings.Join(s.Unplaced(), "\n")
	for _, want := range []string{`report1.csv (Status): "Handraiser" (1): "handraiser" is not a stage of the model`, "notes.csv: not used"} {
		if !strings.Contains(un, want) {
			t.Errorf("unplaced lacks %q:\n%s", want, un)
		}
	}
	if strings.Contains(un, "Open - Not Contacted") {
		t.Errorf("a default status is listed as not placed:\n%s", un)
	}
	if !strings.Contains(y, "NOT PLACED") || strings.Contains(y, "\n# injected") {
		t.Errorf("yaml:\n%s", y)
	}
	// Importing with the suggestion gives what importing without it gives.
	without, err := ReadSalesforce(fsys, &Options{MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	with, err := ReadSalesforce(fsys, &Options{MaxRejectShare: 1, Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	if len(with.Leads) != 3 || len(with.StageEvents) != len(without.StageEvents) || len(with.Opportunities) != 1 {
		t.Errorf("with the mapping: %d leads, %d events (without: %d), %d opportunities", len(with.Leads), len(with.StageEvents), len(without.StageEvents), len(with.Opportunities))
	}
	for i := range with.StageEvents {
		if with.StageEvents[i] != without.StageEvents[i] {
			t.Errorf("event %d: %v with the mapping, %v without", i, with.StageEvents[i], without.StageEvents[i])
		}
	}
	// A required column no header holds is listed.
	s2, err := SuggestMapping(fstest.MapFS{"deals.csv": {Data: []byte("Deal ID,Deal Stage,Amount\n1,Closed Won,5\n")}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if un := strings.Join(s2.Unplaced(), "\n"); !strings.Contains(un, "deals.csv: no column for created_at: map them under columns: deals.csv:") {
		t.Errorf("unplaced:\n%s", un)
	}
}
