package data

import (
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"
)

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2024-03-01T09:30:00Z", "2024-03-01T09:30:00.123+02:00", "2024-03-01T09:30:00.000+0000",
		"2024-03-01", "2024-03-01 09:30:05", "2024-03-01T09:30", "1/20/2024", "20/01/2024 15:04",
		"01/02/2024", "1/2/2024 3:04 PM", "31.12.2024", "2/30/2024", "", "yesterday", "99/99/9999 99:99",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, order uint8) {
		o := &Options{DateOrder: DateOrder(order % 3)}
		got, err := ParseTime(s, o)
		if err != nil {
			return
		}
		// A parsed time written RFC 3339 parses back to the same instant.
		back, err := ParseTime(got.Format(time.RFC3339Nano), o)
		if err != nil {
			if got.Year() < 0 || got.Year() > 9999 {
				return // RFC 3339 cannot hold it
			}
			t.Fatalf("ParseTime(%q) = %v, which does not parse back: %v", s, got, err)
		}
		if !back.Equal(got) {
			t.Fatalf("ParseTime(%q) = %v, round trip gives %v", s, got, back)
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{
		"1200", "$1,234.50", "€ 1.234,50", "1.234,50 €", "USD 1200", "1200 EUR", "1,234", "1234,5",
		"1.234", "1.234.567", "1 234", "(1,200)", "-$1,200", "$-1,200", "abc", "1,23,4", "1e6", "NaN", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseAmount(%q) = %v", s, v)
		}
		// The writer's format parses back to the same value.
		w := formatAmount(v)
		back, err := ParseAmount(w)
		if err != nil || back != v {
			t.Fatalf("ParseAmount(%q) = %v, written %q parses to %v, %v", s, v, w, back, err)
		}
	})
}

func FuzzReadLeads(f *testing.F) {
	f.Add([]byte(baseLeads))
	f.Add([]byte("\ufeff" + strings.ReplaceAll(baseLeads, "\n", "\r\n")))
	f.Add([]byte(strings.ReplaceAll(baseLeads, "\n", "\r")))
	f.Add([]byte(strings.ReplaceAll(baseLeads, ",", ";")))
	f.Add([]byte(strings.ReplaceAll(baseLeads, ",", "\t")))
	f.Add([]byte("lead_id,created_at,source,notes\nL1,2024-01-01,web,\"a\nb\"\nL2,bad,web,x\n"))
	f.Add([]byte("lead_id,created_at,source\nL1,2024-01-01,we\"b\nL2,2024-01-02,\xff\n"))
	f.Add([]byte("lead_id,created_at,source\nL1,\"2024-01-01,web\nL2,2024-01-02,web\n\"L3\",\"2024-01-03\",web\n"))
	f.Add([]byte("lead_id,created_at,source\nL1,9999-12-31,web\nL2,1970-01-01,w\x00b\nL3,2024-01-0"))
	f.Add([]byte(""))
	f.Add([]byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		lr := NewLeadReader(strings.NewReader(string(b)), "leads.csv", fuzzOptions())
		n := 0
		for {
			l, err := lr.Read()
			if err != nil {
				if err == io.EOF {
					break
				}
				return // header errors are fine
			}
			n++
			if l.ID == "" || l.CreatedAt.IsZero() || !utf8.ValidString(l.ID) {
				t.Fatalf("bad lead %+v", l)
			}
			if _, ok := controlChar(l.ID + l.Source + l.Segment + l.Owner); ok {
				t.Fatalf("control character in lead %+v", l)
			}
		}
		if got := lr.Report.Rows["leads.csv"]; got != n+len(lr.Report.Rejected) {
			t.Fatalf("rows read %d != %d loaded + %d rejected", got, n, len(lr.Report.Rejected))
		}
		if c := lr.Report.Lines["leads.csv"]; c.Kept != n {
			t.Fatalf("%d leads kept, %d returned", c.Kept, n)
		}
		fuzzAccounting(t, lr.Report, map[string][]byte{"leads.csv": b})
	})
}

// fuzzOptions are the options of the fuzz targets: lenient, with a fixed
// Now and small limits, so that the fuzzer reaches them.
func fuzzOptions() *Options {
	return &Options{MaxRejectShare: 1, Now: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
		Limits: Limits{LineBytes: 512, FieldBytes: 64, NameBytes: 24, QuotedLines: 4}}
}

// fuzzAccounting checks the line accounting of every file of rep that
// was read to its end: lines add up, rows add up, the rejected rows are
// those listed, and the lines counted are the lines of the file.
func fuzzAccounting(t *testing.T, rep *Report, files map[string][]byte) {
	t.Helper()
	rejected := make(map[string]int)
	for _, e := range rep.Rejected {
		rejected[e.File]++
	}
	for _, f := range rep.Files {
		c := rep.Lines[f]
		if err := c.check(); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if c.Rejected != rejected[f] || c.Rows != rep.Rows[f] {
			t.Fatalf("%s: %+v, but %d rejected and %d rows in the report", f, *c, rejected[f], rep.Rows[f])
		}
		if b, ok := files[f]; ok && c.Lines != physicalLines(string(b)) {
			t.Fatalf("%s: %d lines read, the file has %d", f, c.Lines, physicalLines(string(b)))
		}
	}
}

// fuzzExport checks an export read by a CRM reader: no error but the
// reject share (a file may fail as a whole), line accounting, and records
// that hold what the package promises.
func fuzzExport(t *testing.T, e *Export, err error, files map[string][]byte) {
	t.Helper()
	var rs *RejectShareError
	if err != nil && !errors.As(err, &rs) {
		if e != nil {
			t.Fatalf("error %v with an export", err)
		}
		return // a file that cannot be read at all
	}
	fuzzAccounting(t, &e.Report, files)
	kept := 0
	for _, f := range e.Report.Files {
		kept += e.Report.Lines[f].Kept
	}
	if n := len(e.Leads) + len(e.Opportunities); n > kept {
		t.Fatalf("%d leads and opportunities, but only %d rows kept", n, kept)
	}
	for _, l := range e.Leads {
		if l.ID == "" || l.CreatedAt.Year() < 1990 || l.CreatedAt.Year() > 2026 {
			t.Fatalf("bad lead %+v", l)
		}
	}
	for _, s := range e.StageEvents {
		if _, ok := controlChar(s.LeadID + s.Stage); ok || s.At.Year() < 1990 || s.At.Year() > 2026 {
			t.Fatalf("bad stage event %+v", s)
		}
	}
	for _, op := range e.Opportunities {
		if op.ID == "" || op.Amount < 0 || math.IsNaN(op.Amount) || !op.ClosedAt.IsZero() && op.ClosedAt.Year() > 2026 {
			t.Fatalf("bad opportunity %+v", op)
		}
	}
	if e.AsOf.Year() > 2026 {
		t.Fatalf("as-of %v", e.AsOf)
	}
}

func readTestdata(f *testing.F, dir, name string) []byte {
	b, err := os.ReadFile(filepath.Join("testdata", dir, name))
	if err != nil {
		f.Fatal(err)
	}
	return b
}

func FuzzReadExport(f *testing.F) {
	f.Add([]byte(baseStages), []byte(baseOpps))
	f.Add([]byte(strings.ReplaceAll(baseStages, "\n", "\r")), []byte(strings.ReplaceAll(baseOpps, "\n", "\r\n")))
	f.Add([]byte("lead_id,stage,at\nL1,\"mql,2024-01-01T11:00:00Z\nL2,mql,2024-01-03T09:00:00Z\n"), []byte(baseOpps+"O3,L1,2024-01-05,1,open,9999-12-31,open\n"))
	f.Fuzz(func(t *testing.T, stages, opps []byte) {
		files := map[string][]byte{LeadsFile: []byte(baseLeads), StageEventsFile: stages, OpportunitiesFile: opps}
		fsys := fstest.MapFS{}
		for name, b := range files {
			fsys[name] = &fstest.MapFile{Data: b}
		}
		e, err := ReadExport(fsys, fuzzOptions())
		fuzzExport(t, e, err, files)
	})
}

func FuzzReadSalesforce(f *testing.F) {
	f.Add(readTestdata(f, "salesforce", "Lead.csv"), readTestdata(f, "salesforce", "LeadHistory.csv"), readTestdata(f, "salesforce", "Opportunity.csv"))
	f.Add(readTestdata(f, "salesforce-report", "Lead.csv"), []byte{}, readTestdata(f, "salesforce-report", "Opportunity.csv"))
	f.Fuzz(func(t *testing.T, leads, history, opps []byte) {
		files := map[string][]byte{SalesforceLeadFile: leads, SalesforceLeadHistoryFile: history, SalesforceOppFile: opps}
		fsys := fstest.MapFS{}
		for name, b := range files {
			if len(b) > 0 {
				fsys[name] = &fstest.MapFile{Data: b}
			}
		}
		e, err := ReadSalesforce(fsys, fuzzOptions())
		fuzzExport(t, e, err, files)
	})
}

func FuzzReadHubSpot(f *testing.F) {
	f.Add(readTestdata(f, "hubspot", "contacts.csv"), readTestdata(f, "hubspot", "deals.csv"))
	f.Add([]byte(hsCurrentContacts), []byte(hsCurrentDeals)) // current headers: Date entered, Is Deal Closed?
	f.Fuzz(func(t *testing.T, contacts, deals []byte) {
		files := map[string][]byte{HubSpotContactsFile: contacts, HubSpotDealsFile: deals}
		fsys := fstest.MapFS{}
		for name, b := range files {
			if len(b) > 0 {
				fsys[name] = &fstest.MapFile{Data: b}
			}
		}
		e, err := ReadHubSpot(fsys, fuzzOptions())
		fuzzExport(t, e, err, files)
	})
}

func FuzzReadOpportunitiesOnly(f *testing.F) {
	f.Add([]byte(baseOpps))
	f.Add([]byte("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n" +
		"1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054\n" +
		"Z063OYW0,Darcel Schlecht,GTXPro,Isdom,Lost,2016-10-25,2017-03-11,0\n" +
		"EC4QE1BX,Darcel Schlecht,MG Special,Cancity,Engaging,2016-10-25,,\n" +
		"MV1LWRNH,Moses Frase,GTX Basic,Codehow,Prospecting,,,\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		files := map[string][]byte{"sales_pipeline.csv": b}
		e, err := ReadOpportunitiesOnly(strings.NewReader(string(b)), "sales_pipeline.csv", fuzzOptions())
		fuzzExport(t, e, err, files)
	})
}

func FuzzParseMapping(f *testing.F) {
	f.Add([]byte("columns:\n  leads.csv:\n    lead_id: Lead Number\nstages:\n  Handraiser: mql\nsources:\n  Web Form: web\n"))
	f.Add([]byte("stages:\n  \"\": mql\n  Won: \"\\0\"\n"))
	f.Add([]byte("columns: {leads.csv: {source: \"\"}}\n"))
	f.Add([]byte("{}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParseMapping(strings.NewReader(string(b)))
		if err != nil {
			return
		}
		o := fuzzOptions()
		o.Mapping = m
		files := map[string][]byte{LeadsFile: []byte(baseLeads), StageEventsFile: []byte(baseStages), OpportunitiesFile: []byte(baseOpps)}
		fsys := fstest.MapFS{}
		for name, b := range files {
			fsys[name] = &fstest.MapFile{Data: b}
		}
		e, err := ReadExport(fsys, o)
		fuzzExport(t, e, err, files)
	})
}
