package data

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestReadSalesforce(t *testing.T) {
	m, err := ParseMapping(strings.NewReader("stages:\n  Handraiser: mql\nsources:\n  Partner Referral: partner\n"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := ReadSalesforce(os.DirFS("testdata/salesforce"), &Options{Mapping: m, MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := []string{
		`Lead.csv:6:5 (CreatedDate): cannot parse "2024-13-45" as a date`,
		`LeadHistory.csv:7:2 (LeadId): lead "00Q9" is not in Lead.csv (or was rejected there)`,
		`OpportunityHistory.csv:7:3 (CreatedDate): CreatedDate 2024-01-14T10:00:00Z is before opportunity "006Y" was created (2024-01-15T10:00:00Z)`,
	}
	if got := rejectStrings(&e.Report); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	if got, want := e.Report.TotalRows(), 20; got != want {
		t.Errorf("rows read = %d, want %d", got, want)
	}
	if got := leadIDs(e); !reflect.DeepEqual(got, []string{"00Q1", "00Q2", "00Q3", "00Q4"}) {
		t.Errorf("leads = %v", got)
	}
	l := e.Leads[1]
	if l.Source != "partner" || l.Owner != "005B" || l.Attrs["Industry"] != "Government" || l.Attrs["Company"] != "Bletchley" {
		t.Errorf("lead 00Q2 = %+v", l)
	}
	wantEvents := []StageEvent{
		{"00Q1", "mql", ts("2024-01-02T09:00:00Z")},
		{"00Q1", "tql", ts("2024-01-03T09:00:00Z")},
		{"00Q1", "opportunity", ts("2024-01-08T15:30:00Z")},
		{"00Q2", "mql", ts("2024-01-03T10:00:00Z")},
		{"00Q2", "tql", ts("2024-01-04T08:00:00Z")},
		{"00Q3", "mql", ts("2024-01-04T11:00:00Z")},
		{"00Q3", "disqualified", ts("2024-01-06T08:00:00Z")},
		{"00Q4", "mql", ts("2024-01-05T12:00:00Z")},
	}
	if !reflect.DeepEqual(e.StageEvents, wantEvents) {
		t.Errorf("stage events:\n got %v\nwant %v", e.StageEvents, wantEvents)
	}
	wantOpps := []Opportunity{
		{ID: "006X", LeadID: "00Q1", CreatedAt: ts("2024-01-10T10:00:00Z"), Amount: 25000, Stage: "won", ClosedAt: ts("2024-03-01T00:00:00Z"),
			Outcome: OutcomeWon, Currency: "USD", Attrs: map[string]string{"Name": "Engines deal", "AccountId": "001A", "LeadSource": "Web"}},
		{ID: "006Y", CreatedAt: ts("2024-01-15T10:00:00Z"), Amount: 40000, Stage: "negotiation/review", Currency: "USD",
			Attrs: map[string]string{"Name": "Outbound deal", "AccountId": "001B", "LeadSource": "Outbound", "expected_close": "2024-04-30T00:00:00Z"}},
		{ID: "006Z", CreatedAt: ts("2024-01-20T10:00:00Z"), Stage: "lost", ClosedAt: ts("2024-02-15T00:00:00Z"),
			Outcome: OutcomeLost, Currency: "EUR", Attrs: map[string]string{"Name": "Lost deal", "AccountId": "001C", "LeadSource": "Outbound"}},
	}
	if !reflect.DeepEqual(e.Opportunities, wantOpps) {
		t.Errorf("opportunities:\n got %+v\nwant %+v", e.Opportunities, wantOpps)
	}
	wantOppEvents := []OppStageEvent{
		{"006X", "prospecting", ts("2024-01-10T10:00:00Z")},
		{"006X", "proposal/price quote", ts("2024-02-01T10:00:00Z")},
		{"006X", "won", ts("2024-03-01T10:00:00Z")},
		{"006Y", "prospecting", ts("2024-01-15T10:00:00Z")},
	}
	if !reflect.DeepEqual(e.OppStageEvents, wantOppEvents) {
		t.Errorf("opportunity stage events:\n got %v\nwant %v", e.OppStageEvents, wantOppEvents)
	}
	if len(e.Report.Warnings) != 0 {
		t.Errorf("warnings: %q", warningStrings(&e.Report))
	}
}

// TestReadSalesforceReportLabels reads a report export: labels instead of
// API names, US dates with AM/PM, no history files.
func TestReadSalesforceReportLabels(t *testing.T) {
	e, err := ReadSalesforce(os.DirFS("testdata/salesforce-report"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := rejectStrings(&e.Report); len(got) != 0 {
		t.Errorf("rejects: %q", got)
	}
	wantLeads := []Lead{
		{ID: "00Q1", CreatedAt: ts("2024-01-20T09:15:00Z"), Source: "Web", Owner: "Ann Smith"},
		{ID: "00Q2", CreatedAt: ts("2024-01-21T14:30:00Z"), Source: "Event", Owner: "Bob Jones"},
	}
	if !reflect.DeepEqual(e.Leads, wantLeads) {
		t.Errorf("leads:\n got %+v\nwant %+v", e.Leads, wantLeads)
	}
	wantEvents := []StageEvent{
		{"00Q1", "mql", ts("2024-01-20T09:15:00Z")},
		{"00Q2", "opportunity", ts("2024-01-21T14:30:00Z")},
	}
	if !reflect.DeepEqual(e.StageEvents, wantEvents) {
		t.Errorf("stage events:\n got %v\nwant %v", e.StageEvents, wantEvents)
	}
	wantOpps := []Opportunity{
		{ID: "006A", LeadID: "00Q2", CreatedAt: ts("2024-01-22T00:00:00Z"), Amount: 12000, Stage: "won", ClosedAt: ts("2024-02-28T00:00:00Z"),
			Outcome: OutcomeWon, Currency: "USD", Attrs: map[string]string{"Opportunity Name": "Big deal", "Lead Source": "Event"}},
		{ID: "006B", CreatedAt: ts("2024-01-23T00:00:00Z"), Stage: "prospecting",
			Attrs: map[string]string{"Opportunity Name": "Open deal", "Lead Source": "Outbound", "expected_close": "2024-03-31T00:00:00Z"}},
	}
	if !reflect.DeepEqual(e.Opportunities, wantOpps) {
		t.Errorf("opportunities:\n got %+v\nwant %+v", e.Opportunities, wantOpps)
	}
	want := []string{"LeadHistory.csv: file absent: each lead's current status is dated at its creation (a converted lead's at its ConvertedDate): calibrate fits the funnel's ends (creation to conversion), not the stages between"}
	if got := warningStrings(&e.Report); !reflect.DeepEqual(got, want) {
		t.Errorf("warnings = %q, want %q", got, want)
	}
}
