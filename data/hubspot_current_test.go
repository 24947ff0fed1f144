package data

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
)

// Current HubSpot exports (#20): "Date entered" lifecycle columns,
// Original Traffic Source, minute datetimes in the portal's zone,
// duplicate headers; deals with Is Deal Closed?, Deal probability,
// Pipeline and a "Closed: abandoned" stage.
const hsCurrentContacts = `"Record ID","First Name","Create Date","Lifecycle Stage","Original Traffic Source","Date entered ""Lead (Lifecycle Stage Pipeline)""","Date exited ""Lead (Lifecycle Stage Pipeline)""","Date entered ""Marketing Qualified Lead (Lifecycle Stage Pipeline)""","Date entered ""Customer (Lifecycle Stage Pipeline)""","Create Date"
"501","Ada","2026-02-25 22:36","Customer","Organic Search","2026-02-25 22:36","2026-02-26 09:00","2026-02-26 09:00","2026-03-10 14:05","x"
"502","Alan","2026-02-26 08:00","Marketing Qualified Lead","Paid Social","2026-02-26 08:00","2026-02-27 10:00","2026-02-27 10:00","","y"
"503","Grace","2026-02-27 10:00","Lead","","2026-02-27 09:59","","","","z"
`

const hsCurrentDeals = `"Record ID","Deal Name","Deal Stage","Pipeline","Amount","Create Date","Close Date","Is Deal Closed?","Deal probability","Associated Contact IDs"
"9101","Ada deal","Closed Won","Sales Pipeline","12000","2026-03-01 10:00","2026-03-10 14:05","true","1","501"
"9102","Alan deal","Closed: abandoned","Sales Pipeline","8000","2026-03-02 10:00","2026-03-05 10:00","true","0","502"
"9103","Renewal","Contract Sent","Renewals","3000","2026-03-03 10:00","2026-04-30 00:00","false","0.9","777;502"
"9104","Won the day it opened","Signed","Renewals","5000","2026-03-04 15:00","2026-03-04 00:00","true","1",""
`

func TestReadHubSpotCurrent(t *testing.T) {
	fsys := fstest.MapFS{
		"all-contacts.csv": {Data: []byte(hsCurrentContacts)},
		"hubspot-crm-exports-all-deals-2026-03-15.csv": {Data: []byte(hsCurrentDeals)},
	}
	e, err := ReadHubSpot(fsys, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := rejectStrings(&e.Report); len(got) != 0 {
		t.Errorf("rejects: %q", got)
	}
	var srcs []string
	for _, l := range e.Leads {
		srcs = append(srcs, l.Source)
	}
	if want := []string{"Organic Search", "Paid Social", "(none)"}; !reflect.DeepEqual(srcs, want) {
		t.Errorf("sources %q, want %q", srcs, want)
	}
	if got := e.Leads[0].Attrs["Create Date (2)"]; got != "x" {
		t.Errorf("the duplicate Create Date column: %q, want it kept as \"Create Date (2)\"", got)
	}
	wantEvents := []StageEvent{
		{"501", "engaged", ts("2026-02-25T22:36:00Z")},
		{"501", "mql", ts("2026-02-26T09:00:00Z")},
		{"501", "won", ts("2026-03-10T14:05:00Z")},
		{"502", "engaged", ts("2026-02-26T08:00:00Z")},
		{"502", "mql", ts("2026-02-27T10:00:00Z")},
		{"503", "engaged", ts("2026-02-27T10:00:00Z")}, // a minute before creation: dated at it
	}
	if !reflect.DeepEqual(e.StageEvents, wantEvents) {
		t.Errorf("stage events:\n got %v\nwant %v", e.StageEvents, wantEvents)
	}
	type deal struct {
		id, lead, stage string
		out             Outcome
	}
	var got []deal
	for _, o := range e.Opportunities {
		got = append(got, deal{o.ID, o.LeadID, o.Stage, o.Outcome})
	}
	want := []deal{
		{"9101", "501", "won", OutcomeWon},
		{"9102", "502", "lost", OutcomeLost},
		{"9103", "502", "contract sent", OutcomeOpen},
		{"9104", "", "signed", OutcomeWon}, // closed at probability 1, on the day it was created
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("deals:\n got %+v\nwant %+v", got, want)
	}
	var warns []string
	for _, w := range e.Report.Warnings {
		warns = append(warns, w.Error())
	}
	all := strings.Join(warns, "\n")
	for _, w := range []string{`columns 3 and 10 are both headed "Create Date"`, "deals in 2 pipelines, Renewals (2), Sales Pipeline (2)", "1 lifecycle dates fall on the day"} {
		if !strings.Contains(all, w) {
			t.Errorf("warnings lack %q:\n%s", w, all)
		}
	}
}

func TestEnteredStage(t *testing.T) {
	for _, tt := range []struct {
		header, stage string
		ok            bool
	}{
		{`Date entered "Marketing Qualified Lead (Lifecycle Stage Pipeline)"`, "Marketing Qualified Lead", true},
		{`Date entered 'Lead (Lifecycle Stage Pipeline)'`, "Lead", true},
		{`date entered "Customer"`, "Customer", true},
		{`Date entered "Appointment Scheduled (Sales Pipeline)"`, "", false},
		{`Date exited "Lead (Lifecycle Stage Pipeline)"`, "", false},
		{`Date entered `, "", false},
		{`Date entered ""`, "", false},
	} {
		s, ok := enteredStage(tt.header)
		if s != tt.stage || ok != tt.ok {
			t.Errorf("enteredStage(%q) = %q, %v; want %q, %v", tt.header, s, ok, tt.stage, tt.ok)
		}
	}
}

// A mapping names columns under the adapter's file name (contacts.csv)
// for a file downloaded under another (all-contacts.csv).
func TestMappingCanonicalFile(t *testing.T) {
	m, err := ParseMapping(strings.NewReader("columns:\n  contacts.csv:\n    source: Lead Channel\nstages:\n  Closed: abandoned: lost\n"))
	if err == nil {
		t.Fatal("a key with ': ' parsed")
	}
	m, err = ParseMapping(strings.NewReader("columns:\n  Contacts.csv:\n    source: Lead Channel\n"))
	if err != nil {
		t.Fatal(err)
	}
	csv := "Record ID,Create Date,Lead Channel,Original Traffic Source\n1,2026-01-05 10:00,Webinar,Direct\n"
	e, err := ReadHubSpot(fstest.MapFS{"all-contacts.csv": {Data: []byte(csv)}}, &Options{Mapping: m})
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Leads[0].Source; got != "Webinar" {
		t.Errorf("source %q, want Webinar (mapped)", got)
	}
}

// A Salesforce report of leads with their converted opportunities'
// columns, in one file: read as leads, and its rows with an Opportunity
// ID as opportunities linked to them; the leads not converted are
// skipped in the second pass, and every line is accounted for.
func TestSalesforceCombinedReport(t *testing.T) {
	csv := `"Lead ID","Created Date","Lead Source","Status","Converted","Opportunity ID","Stage","Close Date","Closed","Won","Amount"
"00Q1","05-03-2024","Web","Open - Not Contacted","0","","","","","",""
"00Q2","06-03-2024","N/A","Closed - Converted","1","006A","Closed Won","06-03-2024","1","1","$1,40,000.00"
"00Q3","07-03-2024","Partner","Closed - Converted","1","006B","Prospecting","30-06-2024","0","0","N/A"
""
"Grand Totals (3 records)"
`
	e, err := ReadSalesforce(fstest.MapFS{"report1700000000002.csv": {Data: []byte(csv)}}, &Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := rejectStrings(&e.Report); len(got) != 0 {
		t.Errorf("rejects: %q", got)
	}
	if len(e.Leads) != 3 || len(e.Opportunities) != 2 {
		t.Fatalf("%d leads, %d opportunities; want 3, 2", len(e.Leads), len(e.Opportunities))
	}
	if o := e.Opportunities[0]; o.ID != "006A" || o.LeadID != "00Q2" || o.Outcome != OutcomeWon || o.Amount != 140000 {
		t.Errorf("006A = %+v", o)
	}
	if o := e.Opportunities[1]; o.ID != "006B" || o.LeadID != "00Q3" || o.Outcome != OutcomeOpen {
		t.Errorf("006B = %+v", o)
	}
	if lc := e.Report.Lines["report1700000000002.csv (opportunities)"]; lc.Rows != 3 || lc.Kept != 2 || lc.Skipped != 1 || lc.Trailer != 2 {
		t.Errorf("the opportunity pass's lines: %+v", lc)
	}
}
