package data

import (
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// stageRows returns n stage event rows of lead L1, one an hour from
// 2024-01-01T11:00:00Z, without a header.
func stageRows(n int) []string {
	var rows []string
	t0 := time.Date(2024, 1, 1, 11, 0, 0, 0, time.UTC)
	for i := range n {
		rows = append(rows, fmt.Sprintf("L1,s%d,%s", i, t0.Add(time.Duration(i)*time.Hour).Format(time.RFC3339)))
	}
	return rows
}

// TestLineAccounting reads files whose lines are hard to account for:
// stray quotes, CR-only and mixed line ends, truncated last lines,
// legitimate multi-line fields. Every physical line must end up in the
// header, a blank line, a kept or rejected row, or a continuation line
// of a multi-line row.
func TestLineAccounting(t *testing.T) {
	const leadsHdr = "lead_id,created_at,source,notes\n"
	stages := stageRows(40)
	strayLate := append([]string{}, stages...)
	strayLate[30] = `L1,"s30,2024-01-02T17:00:00Z` // the quote never closes
	strayClosed := append([]string{}, stages...)
	strayClosed[10] = `L1,"s10,2024-01-01T21:00:00Z`
	strayClosed[14] = `"L1","s14","2024-01-02T01:00:00Z"` // the stray quote's field ends at this line's first quote
	tests := []struct {
		name        string
		file        string // StageEventsFile or LeadsFile
		body        string
		wantRejects []string
		wantN       int // records loaded
		wantLines   LineCount
		check       func(t *testing.T, e *Export)
	}{{
		name:        "StrayQuoteLate",
		file:        StageEventsFile,
		body:        "lead_id,stage,at\n" + strings.Join(strayLate, "\n") + "\n",
		wantRejects: []string{`stage_events.csv:32:2 (stage): quoted field opened on this line is not closed by the end of the file (a stray quote?); the line is rejected and the next one read as a new row`},
		wantN:       39,
		wantLines:   LineCount{Lines: 41, Header: 1, Rows: 40, Kept: 39, Rejected: 1},
	}, {
		name:        "StrayQuoteClosedLater",
		file:        StageEventsFile,
		body:        "lead_id,stage,at\n" + strings.Join(strayClosed, "\n") + "\n",
		wantRejects: []string{`stage_events.csv:12:2 (stage): quoted field opened on this line is not closed properly (extraneous or missing " in quoted-field on line 16, column 1; a stray quote?); the line is rejected and the next one read as a new row`},
		wantN:       39,
		wantLines:   LineCount{Lines: 41, Header: 1, Rows: 40, Kept: 39, Rejected: 1},
	}, {
		name:      "CROnly",
		file:      LeadsFile,
		body:      strings.ReplaceAll(leadsHdr+"L1,2024-01-01T10:00:00Z,web,\nL2,2024-01-02T10:00:00Z,event,x\n", "\n", "\r"),
		wantN:     2,
		wantLines: LineCount{Lines: 3, Header: 1, Rows: 2, Kept: 2},
		check: func(t *testing.T, e *Export) {
			if got := e.Leads[1].Attrs["notes"]; got != "x" {
				t.Errorf("L2 notes = %q, want x", got)
			}
		},
	}, {
		name:      "MixedLineEnds",
		file:      LeadsFile,
		body:      "lead_id,created_at,source,notes\r\nL1,2024-01-01T10:00:00Z,web,\"a\rb\"\rL2,2024-01-02T10:00:00Z,event,\nL3,2024-01-03T10:00:00Z,web,\r\n\rL4,2024-01-04T10:00:00Z,web,z",
		wantN:     4,
		wantLines: LineCount{Lines: 7, Header: 1, Blank: 1, Rows: 4, Continued: 1, Kept: 4, Unterminated: true},
		check: func(t *testing.T, e *Export) {
			if got := e.Leads[0].Attrs["notes"]; got != "a\nb" {
				t.Errorf("L1 notes = %q, want %q", got, "a\nb")
			}
			if got := e.Leads[3].Attrs["notes"]; got != "z" {
				t.Errorf("L4 notes = %q, want z", got)
			}
		},
	}, {
		name:        "TruncatedMidRow",
		file:        LeadsFile,
		body:        leadsHdr + "L1,2024-01-01T10:00:00Z,web,\nL2,2024-01-0",
		wantRejects: []string{`leads.csv:3: 2 fields, header has 4`},
		wantN:       1,
		wantLines:   LineCount{Lines: 3, Header: 1, Rows: 2, Kept: 1, Rejected: 1, Unterminated: true},
		check: func(t *testing.T, e *Export) {
			const want = "leads.csv: the last line (3) has no line end and its row was rejected: the file may be cut short"
			if len(e.Report.Warnings) != 1 || e.Report.Warnings[0].Error() != want {
				t.Errorf("warnings %q, want %q", e.Report.Warnings, want)
			}
		},
	}, {
		name:        "TruncatedInQuote",
		file:        LeadsFile,
		body:        leadsHdr + "L1,2024-01-01T10:00:00Z,web,\nL2,2024-01-02T10:00:00Z,web,\"call ba",
		wantRejects: []string{`leads.csv:3:4 (notes): quoted field opened on this line is not closed by the end of the file (a stray quote?)`},
		wantN:       1,
		wantLines:   LineCount{Lines: 3, Header: 1, Rows: 2, Kept: 1, Rejected: 1, Unterminated: true},
	}, {
		name:      "MultiLineField",
		file:      LeadsFile,
		body:      leadsHdr + "L1,2024-01-01T10:00:00Z,web,\"line 1\n\nline 3, \"\"quoted\"\"\"\n\nL2,2024-01-02T10:00:00Z,web,\n",
		wantN:     2,
		wantLines: LineCount{Lines: 6, Header: 1, Blank: 1, Rows: 2, Continued: 2, Kept: 2},
		check: func(t *testing.T, e *Export) {
			if got, want := e.Leads[0].Attrs["notes"], "line 1\n\nline 3, \"quoted\""; got != want {
				t.Errorf("L1 notes = %q, want %q", got, want)
			}
		},
	}, {
		name:  "QuotedFieldTooManyLines",
		file:  LeadsFile,
		body:  leadsHdr + "L1,2024-01-01T10:00:00Z,web,\"" + strings.Repeat("x\n", 150) + "\"\nL2,2024-01-02T10:00:00Z,web,\n",
		wantN: 1,
		// Line 2 opens a quote that stays open for 151 lines; lines 3 to
		// 151 ("x") are rows of one field; line 152 opens a quote that
		// the end of the file leaves open; line 153 is L2.
		wantLines: LineCount{Lines: 153, Header: 1, Rows: 152, Kept: 1, Rejected: 151},
		check: func(t *testing.T, e *Export) {
			const first = `leads.csv:2:4 (notes): quoted field opened on this line spans more than 100 lines (Limits.QuotedLines; a stray quote?); the line is rejected and the next one read as a new row`
			if got := e.Report.Rejected[0].Error(); got != first {
				t.Errorf("first reject %q, want %q", got, first)
			}
			const last = `leads.csv:152:1 (lead_id): quoted field opened on this line is not closed by the end of the file (a stray quote?); the line is rejected and the next one read as a new row`
			if got := e.Report.Rejected[150].Error(); got != last {
				t.Errorf("last reject %q, want %q", got, last)
			}
			if got := e.Report.RejectedByReason[ReasonFieldCount]; got != 149 {
				t.Errorf("%d rows rejected for their field count, want 149", got)
			}
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{LeadsFile: leadsHdr + "L1,2024-01-01T10:00:00Z,web,\n"}
			files[tt.file] = tt.body
			e, err := ReadExport(mapFS(files), &Options{MaxRejectShare: 1})
			if err != nil {
				t.Fatal(err)
			}
			n := len(e.Leads)
			if tt.file == StageEventsFile {
				n = len(e.StageEvents)
			}
			if n != tt.wantN {
				t.Errorf("%d records loaded, want %d", n, tt.wantN)
			}
			if tt.wantRejects != nil {
				if got := rejectStrings(&e.Report); !reflect.DeepEqual(got, tt.wantRejects) {
					t.Errorf("rejects:\n got %q\nwant %q", got, tt.wantRejects)
				}
			}
			if tt.wantLines != (LineCount{}) {
				if got := e.Report.Lines[tt.file]; got == nil || *got != tt.wantLines {
					t.Errorf("lines = %+v, want %+v", got, tt.wantLines)
				}
			}
			checkAccounting(t, &e.Report, files)
			if tt.check != nil && n == tt.wantN {
				tt.check(t, e)
			}
		})
	}
}

// physicalLines counts the lines of b as the package does: \r\n, \r and
// \n each end a line, and a last line without a line end counts.
func physicalLines(b string) int {
	n := 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				i++
			}
			n++
		case '\n':
			n++
		}
	}
	if len(b) > 0 && b[len(b)-1] != '\n' && b[len(b)-1] != '\r' {
		n++
	}
	return n
}

// checkAccounting checks the line accounting of every file of rep against
// the files' contents (when files is not nil) and the rejected rows.
func checkAccounting(t *testing.T, rep *Report, files map[string]string) {
	t.Helper()
	rejected := make(map[string]int)
	for _, e := range rep.Rejected {
		rejected[e.File]++
	}
	for _, f := range rep.Files {
		c := rep.Lines[f]
		if c == nil {
			t.Errorf("%s: no line count", f)
			continue
		}
		if err := c.check(); err != nil {
			t.Errorf("%s: %v", f, err)
		}
		if c.Rejected != rejected[f] {
			t.Errorf("%s: %d rows rejected, the report lists %d", f, c.Rejected, rejected[f])
		}
		if c.Rows != rep.Rows[f] {
			t.Errorf("%s: %d rows, Report.Rows says %d", f, c.Rows, rep.Rows[f])
		}
		if body, ok := files[f]; ok && c.Lines != physicalLines(body) {
			t.Errorf("%s: %d lines read, the file has %d", f, c.Lines, physicalLines(body))
		}
	}
}

// zeros is an endless /dev/zero.
type zeros struct{ n int }

func (z *zeros) Read(p []byte) (int, error) {
	clear(p)
	z.n += len(p)
	return len(p), nil
}

// TestBounds feeds hostile values: an endless file of NUL bytes, long
// lines and fields, control characters in names, paths, markup and
// formulas.
func TestBounds(t *testing.T) {
	t.Run("DevZero", func(t *testing.T) {
		z := new(zeros)
		_, err := NewLeadReader(z, LeadsFile, nil).Read()
		const want = "data: leads.csv:1: line longer than the limit of 1048576 bytes (Limits.LineBytes)"
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %s", err, want)
		}
		var le *LimitError
		if !errors.As(err, &le) || le.Limit != 1<<20 {
			t.Errorf("err is not a *LimitError of 1 MiB: %#v", err)
		}
		if z.n > 4<<20 {
			t.Errorf("read %d bytes of zeros before failing", z.n)
		}
	})
	t.Run("DevZeroAfterHeader", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader("lead_id,created_at,source\nL1,2024-01-01,web\n"), &zeros{})
		lr := NewLeadReader(r, LeadsFile, nil)
		if _, err := lr.Read(); err != nil {
			t.Fatal(err)
		}
		_, err := lr.Read()
		const want = "data: leads.csv:3: line longer than the limit of 1048576 bytes (Limits.LineBytes)"
		if err == nil || err.Error() != want {
			t.Fatalf("err = %v, want %s", err, want)
		}
	})
	const hdr = "lead_id,created_at,source,segment,owner,notes\n"
	tests := []struct {
		name        string
		rows        string
		opts        Options
		wantRejects []string
		wantLeads   []string
	}{{
		name: "LongSource",
		rows: "L1,2024-01-01,web,,,\nL2,2024-01-01," + strings.Repeat("s", 300) + ",,,\n",
		wantRejects: []string{
			"leads.csv:3:3 (source): value of 300 bytes is longer than the limit of 256 bytes (Limits.NameBytes)",
		},
		wantLeads: []string{"L1"},
	}, {
		name: "LongNotes",
		rows: "L1,2024-01-01,web,,," + strings.Repeat("n", 70000) + "\nL2,2024-01-01,web,,,\"" + strings.Repeat("n\n", 50) + "\"\n",
		wantRejects: []string{
			"leads.csv:2:6 (notes): value of 70000 bytes is longer than the limit of 65536 bytes (Limits.FieldBytes)",
		},
		wantLeads: []string{"L2"},
	}, {
		name: "SmallLimits",
		rows: "L1,2024-01-01,web,,,123456789012345678901\nL2,2024-01-01,webinar-campaign,,,\n",
		opts: Options{Limits: Limits{FieldBytes: 20, NameBytes: 12}},
		wantRejects: []string{
			"leads.csv:2:6 (notes): value of 21 bytes is longer than the limit of 20 bytes (Limits.FieldBytes)",
			"leads.csv:3:3 (source): value of 16 bytes is longer than the limit of 12 bytes (Limits.NameBytes)",
		},
		wantLeads: []string{},
	}, {
		name: "ControlCharacters",
		rows: "L1,2024-01-01,we\x00b,,,\nL2,2024-01-01,web,\x1bsmb,,\nL3,2024-01-01,web,,\"ann\nbob\",\nL4,2024-01-01,web,,,notes \x00 ok\nL\x7f5,2024-01-01,web,,,\n",
		wantRejects: []string{
			`leads.csv:2:3 (source): control character U+0000 in a name`,
			`leads.csv:3:4 (segment): control character U+001B in a name`,
			`leads.csv:4:5 (owner): control character U+000A in a name`,
			`leads.csv:7:1 (lead_id): control character U+007F in a name`,
		},
		wantLeads: []string{"L4"},
	}, {
		name:      "HostileValues",
		rows:      "L1,2024-01-01,/../../tmp/x,<script>alert(1)</script>,=cmd|' /C calc'!A0,\"=HYPERLINK(\"\"http://x\"\")\"\n",
		wantLeads: []string{"L1"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.MaxRejectShare = 1
			files := map[string]string{LeadsFile: hdr + tt.rows}
			e, err := ReadExport(mapFS(files), &o)
			if err != nil {
				t.Fatal(err)
			}
			if got := rejectStrings(&e.Report); !reflect.DeepEqual(got, tt.wantRejects) {
				t.Errorf("rejects:\n got %q\nwant %q", got, tt.wantRejects)
			}
			if got := leadIDs(e); !reflect.DeepEqual(got, tt.wantLeads) && (len(got) > 0 || len(tt.wantLeads) > 0) {
				t.Errorf("leads %q, want %q", got, tt.wantLeads)
			}
			checkAccounting(t, &e.Report, files)
		})
	}
}

// TestImplausibleDates checks that placeholder and far-off dates are
// rejected and kept out of the as-of time.
func TestImplausibleDates(t *testing.T) {
	now := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	leads := "lead_id,created_at,source\n" +
		"L1,2024-01-01T10:00:00Z,web\n" +
		"L2,9999-12-31,web\n" +
		"L3,1970-01-01T00:00:00Z,web\n" +
		"L4,1900-01-01,web\n" +
		"L5,1989-12-31,web\n" +
		"L6,2026-06-02,web\n" + // a year and a day after now
		"L7,2026-05-31,web\n" // within a year: plausible
	opps := "opportunity_id,lead_id,created_at,amount,stage,closed_at,outcome\n" +
		"O1,L1,2024-02-01,100,proposal,9999-12-31,open\n" +
		"O2,L1,2024-02-01,100,won,9999-12-31,won\n"
	files := map[string]string{LeadsFile: leads, OpportunitiesFile: opps}
	e, err := ReadExport(mapFS(files), &Options{MaxRejectShare: 1, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := []string{
		`leads.csv:3:2 (created_at): date 9999-12-31T00:00:00Z is implausible: after 2026-06-01, a year past the time of reading (a placeholder?)`,
		`leads.csv:4:2 (created_at): date 1970-01-01T00:00:00Z is implausible: before 1990-01-01 (a placeholder?)`,
		`leads.csv:5:2 (created_at): date 1900-01-01T00:00:00Z is implausible: before 1990-01-01 (a placeholder?)`,
		`leads.csv:6:2 (created_at): date 1989-12-31T00:00:00Z is implausible: before 1990-01-01 (a placeholder?)`,
		`leads.csv:7:2 (created_at): date 2026-06-02T00:00:00Z is implausible: after 2026-06-01, a year past the time of reading (a placeholder?)`,
		`opportunities.csv:3:6 (closed_at): date 9999-12-31T00:00:00Z is implausible: after 2026-06-01, a year past the time of reading (a placeholder?)`,
	}
	if got := rejectStrings(&e.Report); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	if got := e.Report.RejectedByReason[ReasonImplausibleDate]; got != 6 {
		t.Errorf("%d rows rejected as implausible, want 6", got)
	}
	if want := time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC); !e.AsOf.Equal(want) {
		t.Errorf("as-of %v, want %v", e.AsOf, want)
	}
	if got := leadIDs(e); !reflect.DeepEqual(got, []string{"L1", "L7"}) {
		t.Errorf("leads %q", got)
	}
	// The open deal's placeholder expected close is cleared, and counted.
	if len(e.Opportunities) != 1 || e.Opportunities[0].Attrs["expected_close"] != "" {
		t.Errorf("opportunities %+v, want O1 without an expected close", e.Opportunities)
	}
	found := false
	for _, w := range e.Report.Warnings {
		if w.Error() == "opportunities.csv (closed_at): 1 open opportunities have an implausible expected close date (before 1990 or more than a year from now); kept without one" {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning about the cleared expected close: %v", e.Report.Warnings)
	}

	// The wall clock bounds dates when Options.Now is zero.
	e, err = ReadExport(mapFS(map[string]string{LeadsFile: leads}), &Options{MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	if e.AsOf.Year() > time.Now().Year()+1 {
		t.Errorf("as-of %v", e.AsOf)
	}
}

// TestTiedEventsOrder checks that events of one lead at the same second
// come out in the same order whatever their order in the file.
func TestTiedEventsOrder(t *testing.T) {
	leads := "lead_id,created_at,source\nL1,2024-01-01T10:00:00Z,web\nL2,2024-01-01T10:00:00Z,web\nL3,2024-01-01T10:00:00Z,web\nL4,2024-01-01T10:00:00Z,web\n"
	stages := []string{
		"L1,known,2024-01-01T10:00:00Z",
		"L1,engaged,2024-01-02T10:00:00Z",
		"L1,mql,2024-01-02T10:00:00Z",
		"L1,zeta,2024-01-02T10:00:00Z",
		"L1,alpha,2024-01-02T10:00:00Z",
		"L2,sal,2024-01-03T10:00:00Z",
		"L2,tql,2024-01-03T10:00:00Z",
		"L3,engaged,2024-01-02T10:00:00Z",
		"L3,mql,2024-01-03T10:00:00Z",
		"L3,engaged,2024-01-03T10:00:00Z", // not contacted: recycled at once
		"L3,mql,2024-01-04T10:00:00Z",
		"L4,engaged,2024-01-02T10:00:00Z", // recycled twice in a row, as in data/sample
		"L4,mql,2024-01-03T10:00:00Z",
		"L4,engaged,2024-01-03T10:00:00Z",
		"L4,mql,2024-01-04T10:00:00Z",
		"L4,engaged,2024-01-04T10:00:00Z",
	}
	acts := []string{
		"L1,2024-01-02T11:00:00Z,call,attempted,ann",
		"L1,2024-01-02T11:00:00Z,call,connected,ann",
		"L1,2024-01-02T11:00:00Z,email,attempted,bob",
	}
	oppStages := []string{
		"O1,won,2024-02-01T00:00:00Z",
		"O1,proposal,2024-02-01T00:00:00Z",
	}
	read := func(perm func([]string) []string) *Export {
		files := map[string]string{
			LeadsFile:          leads,
			StageEventsFile:    "lead_id,stage,at\n" + strings.Join(perm(stages), "\n") + "\n",
			ActivitiesFile:     "lead_id,at,channel,outcome,owner\n" + strings.Join(perm(acts), "\n") + "\n",
			OpportunitiesFile:  "opportunity_id,lead_id,created_at,amount,stage,closed_at,outcome\nO1,L1,2024-01-05T00:00:00Z,1000,won,2024-02-01T00:00:00Z,won\n",
			OppStageEventsFile: "opportunity_id,stage,at\n" + strings.Join(perm(oppStages), "\n") + "\n",
		}
		e, err := ReadExport(mapFS(files), nil)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	ident := func(s []string) []string { return s }
	rev := func(s []string) []string {
		r := append([]string(nil), s...)
		for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
			r[i], r[j] = r[j], r[i]
		}
		return r
	}
	a, b := read(ident), read(rev)
	if !reflect.DeepEqual(a.StageEvents, b.StageEvents) || !reflect.DeepEqual(a.Activities, b.Activities) || !reflect.DeepEqual(a.OppStageEvents, b.OppStageEvents) {
		t.Errorf("file order changes the events:\n%+v\n%+v\n%+v\n%+v", a.StageEvents, b.StageEvents, a.Activities, b.Activities)
	}
	var got []string
	for _, s := range a.StageEvents {
		got = append(got, s.LeadID+":"+s.Stage)
	}
	// The order of the default model's moves, then its stage order, then
	// other stages by name.
	want := []string{"L1:known", "L1:engaged", "L1:mql", "L1:alpha", "L1:zeta", "L2:tql", "L2:sal",
		"L3:engaged", "L3:mql", "L3:engaged", "L3:mql",
		"L4:engaged", "L4:mql", "L4:engaged", "L4:mql", "L4:engaged"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stage events %q, want %q", got, want)
	}
	if got := a.OppStageEvents; len(got) == 0 || got[0].Stage != "proposal" {
		t.Errorf("opportunity stage events %+v, want proposal first", got)
	}
}

// TestBoundsCRM checks the bounds on CRM exports: a HubSpot list of
// associated contacts is bounded by its first id, and a Salesforce
// history row of a free-text field is skipped, not rejected, whatever it
// holds, while a Status row's values are names.
func TestBoundsCRM(t *testing.T) {
	many := strings.TrimSuffix(strings.Repeat("101;", 100), ";")
	deals := "Record ID,Deal Stage,Amount,Create Date,Close Date,Associated Contact IDs\n" +
		"9001,Closed Won,100,2024-01-10 12:00,2024-02-20 16:45," + many + "\n" +
		"9002,Closed Won,100,2024-01-10 12:00,2024-02-20 16:45," + strings.Repeat("9", 300) + ";101\n"
	contacts := "Record ID,Create Date,Original Source\n101,2024-01-02 09:00,Organic Search\n"
	e, err := ReadHubSpot(mapFS(map[string]string{HubSpotContactsFile: contacts, HubSpotDealsFile: deals}), &Options{MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := []string{"deals.csv:3:6 (Associated Contact IDs): value of 300 bytes is longer than the limit of 256 bytes (Limits.NameBytes)"}
	if got := rejectStrings(&e.Report); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	if len(e.Opportunities) != 1 || e.Opportunities[0].LeadID != "101" {
		t.Errorf("opportunities %+v, want 9001 of lead 101", e.Opportunities)
	}

	leads := "Id,CreatedDate,Status,LeadSource\n00Q1,2024-01-02T09:00:00.000+0000,Working - Contacted,Web\n"
	history := "LeadId,CreatedDate,Field,OldValue,NewValue\n" +
		"00Q1,2024-01-03T09:00:00.000+0000,Description,\"" + strings.Repeat("long text\n", 40) + "\",\"new\ttext\"\n" +
		"00Q1,2024-01-03T09:00:00.000+0000,Status,Open - Not Contacted,Working\x00Contacted\n" +
		"00Q1,2024-01-04T09:00:00.000+0000,Status,Open - Not Contacted,Working - Contacted\n"
	files := map[string]string{SalesforceLeadFile: leads, SalesforceLeadHistoryFile: history}
	e, err = ReadSalesforce(mapFS(files), &Options{MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantRejects = []string{`LeadHistory.csv:43:5 (NewValue): control character U+0000 in a name`}
	if got := rejectStrings(&e.Report); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	want := LineCount{Lines: 44, Header: 1, Rows: 3, Continued: 40, Kept: 1, Rejected: 1, Skipped: 1}
	if got := e.Report.Lines[SalesforceLeadHistoryFile]; *got != want {
		t.Errorf("LeadHistory.csv lines %+v, want %+v", *got, want)
	}
	checkAccounting(t, &e.Report, files)
}

// TestLineReader splits lines of at most the limit, one byte per read,
// so that a "\r" may end the buffer.
func TestLineReader(t *testing.T) {
	const in = "12345678\r12345678\r\n\r\n1234\n123456789\n"
	lr := newLineReader(iotest.OneByteReader(strings.NewReader(in)), 8)
	var got []string
	var err error
	for {
		var line []byte
		if line, _, err = lr.next(); err != nil {
			break
		}
		got = append(got, string(line))
	}
	if want := []string{"12345678", "12345678", "", "1234"}; !reflect.DeepEqual(got, want) {
		t.Errorf("lines %q, want %q", got, want)
	}
	var le *LimitError
	if !errors.As(err, &le) || lr.n != 4 {
		t.Errorf("after %d lines, err = %v, want a *LimitError on line 5", lr.n, err)
	}
}
