package data

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

func TestReadHubSpot(t *testing.T) {
	m, err := ParseMapping(strings.NewReader("stages:\n  Evangelist: advocate\n"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := ReadHubSpot(os.DirFS("testdata/hubspot"), &Options{Mapping: m, MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := []string{
		`contacts.csv:4:10 (Became a Lead Date): Became a Lead Date 2024-01-01T00:00:00Z is before lead "103" was created (2024-01-04T11:00:00Z)`,
		`contacts.csv:6:10 (Became a Lead Date): cannot parse "2024-31-31" as a date`,
	}
	if got := rejectStrings(&e.Report); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	if got := leadIDs(e); !reflect.DeepEqual(got, []string{"101", "102", "104"}) {
		t.Errorf("leads = %v", got)
	}
	if l := e.Leads[0]; l.Source != "Organic Search" || l.Owner != "Ann Smith" ||
		!reflect.DeepEqual(l.Attrs, map[string]string{"First Name": "Ada", "Last Name": "Lovelace", "Email": "ada@example.com", "Lifecycle Stage": "Customer"}) {
		t.Errorf("lead 101 = %+v", l)
	}
	wantEvents := []StageEvent{
		{"101", "known", ts("2024-01-02T09:00:00Z")},
		{"101", "engaged", ts("2024-01-05T10:00:00Z")},
		{"101", "mql", ts("2024-01-06T11:30:00Z")},
		{"101", "sal", ts("2024-01-07T08:00:00Z")},
		{"101", "opportunity", ts("2024-01-10T12:00:00Z")},
		{"101", "won", ts("2024-02-20T16:45:00Z")},
		{"102", "engaged", ts("2024-01-03T10:00:00Z")},
		{"102", "mql", ts("2024-01-04T09:15:00Z")},
		{"104", "engaged", ts("2024-01-05T12:00:00Z")},
		{"104", "won", ts("2024-01-20T10:00:00Z")},
		{"104", "advocate", ts("2024-02-01T10:00:00Z")},
	}
	if !reflect.DeepEqual(e.StageEvents, wantEvents) {
		t.Errorf("stage events:\n got %v\nwant %v", e.StageEvents, wantEvents)
	}
	pipeline := func(name string, extra ...string) map[string]string {
		m := map[string]string{"Deal Name": name, "Pipeline": "Sales Pipeline"}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = extra[i+1]
		}
		return m
	}
	wantOpps := []Opportunity{
		{ID: "9001", LeadID: "101", CreatedAt: ts("2024-01-10T12:00:00Z"), Amount: 25000, Stage: "won", ClosedAt: ts("2024-02-20T16:45:00Z"), Outcome: OutcomeWon, Attrs: pipeline("Ada deal", "Associated Contact IDs", "101")},
		{ID: "9002", LeadID: "102", CreatedAt: ts("2024-01-12T09:00:00Z"), Amount: 5000, Stage: "appointment scheduled", Attrs: pipeline("Alan deal", "expected_close", "2024-03-31T00:00:00Z", "Associated Contact IDs", "102;101")},
		{ID: "9003", CreatedAt: ts("2024-01-15T09:00:00Z"), Stage: "lost", ClosedAt: ts("2024-01-30T09:00:00Z"), Outcome: OutcomeLost, Attrs: pipeline("Outbound")},
		// Contact 999 is not in contacts.csv: the deal is kept, without a lead.
		{ID: "9004", CreatedAt: ts("2024-01-15T09:00:00Z"), Amount: 100, Stage: "won", ClosedAt: ts("2024-01-30T09:00:00Z"), Outcome: OutcomeWon, Attrs: pipeline("Ghost", "Associated Contact IDs", "999")},
	}
	if !reflect.DeepEqual(e.Opportunities, wantOpps) {
		t.Errorf("opportunities:\n got %+v\nwant %+v", e.Opportunities, wantOpps)
	}
}
