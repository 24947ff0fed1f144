package data

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

const (
	baseLeads = "lead_id,created_at,source,segment,score,owner\n" +
		"L1,2024-01-01T10:00:00Z,web,smb,42,ann\n" +
		"L2,2024-01-02T10:00:00Z,event,,,bob\n"
	baseStages = "lead_id,stage,at\n" +
		"L1,mql,2024-01-01T11:00:00Z\n" +
		"L2,mql,2024-01-03T09:00:00Z\n" +
		"L1,sal,2024-01-01T10:30:00Z\n"
	baseActivities = "lead_id,at,channel,outcome,owner\n" +
		"L1,2024-01-01T11:05:00Z,call,connected,sam\n" +
		"L2,2024-01-03T12:00:00Z,email,attempted,\n"
	baseOpps = "opportunity_id,lead_id,created_at,amount,stage,closed_at,outcome,currency\n" +
		"O1,L1,2024-01-05T00:00:00Z,1000,won,2024-02-01T00:00:00Z,won,USD\n" +
		"O2,,2024-01-06T00:00:00Z,\"$2,500.00\",negotiation,,open,\n"
	baseOppStages = "opportunity_id,stage,at\n" +
		"O1,proposal,2024-01-10T00:00:00Z\n" +
		"O1,won,2024-02-01T00:00:00Z\n"
)

// absent in a test's files removes the file from the export.
const absent = "<absent>"

func baseFiles() map[string]string {
	return map[string]string{
		LeadsFile:          baseLeads,
		StageEventsFile:    baseStages,
		ActivitiesFile:     baseActivities,
		OpportunitiesFile:  baseOpps,
		OppStageEventsFile: baseOppStages,
	}
}

func leadIDs(e *Export) []string {
	var ids []string
	for _, l := range e.Leads {
		ids = append(ids, l.ID)
	}
	return ids
}

func oppIDs(e *Export) []string {
	var ids []string
	for _, o := range e.Opportunities {
		ids = append(ids, o.ID)
	}
	return ids
}

func TestReadExport(t *testing.T) {
	lenient := &Options{MaxRejectShare: 1}
	tests := []struct {
		name        string
		files       map[string]string // replaces base files; absent deletes one
		opts        *Options
		wantErr     string
		wantRejects []string
		wantLeads   []string // nil means L1, L2
		wantOpps    []string // nil means O1, O2
		wantEvents  int      // stage events; 0 means 3
		check       func(t *testing.T, e *Export)
	}{{
		name: "Clean",
		check: func(t *testing.T, e *Export) {
			want := []StageEvent{
				{"L1", "sal", time.Date(2024, 1, 1, 10, 30, 0, 0, time.UTC)},
				{"L1", "mql", time.Date(2024, 1, 1, 11, 0, 0, 0, time.UTC)},
				{"L2", "mql", time.Date(2024, 1, 3, 9, 0, 0, 0, time.UTC)},
			}
			if !reflect.DeepEqual(e.StageEvents, want) {
				t.Errorf("events not sorted by lead then time:\n got %v\nwant %v", e.StageEvents, want)
			}
			if !e.AsOf.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("AsOf = %v, want latest timestamp 2024-02-01", e.AsOf)
			}
			if got := e.Report.Rows[LeadsFile]; got != 2 {
				t.Errorf("Rows[leads.csv] = %d, want 2", got)
			}
			if l := e.Leads[0]; !l.HasScore || l.Score != 42 || l.Owner != "ann" || l.Segment != "smb" || l.Attrs != nil {
				t.Errorf("lead L1 = %+v", l)
			}
			if e.Leads[1].HasScore {
				t.Errorf("lead L2 has a score")
			}
			if len(e.Activities) != 2 || !e.Activities[0].Connected || e.Activities[1].Connected {
				t.Errorf("activities = %+v", e.Activities)
			}
		},
	}, {
		name:    "MissingColumns",
		files:   map[string]string{LeadsFile: "id,created_at,owner\nL1,2024-01-01,ann\n"},
		wantErr: "data: leads.csv: missing required columns lead_id, source (found: id, created_at, owner)",
	}, {
		name:    "EmptyFile",
		files:   map[string]string{LeadsFile: ""},
		wantErr: "data: leads.csv: empty file (no header line)",
	}, {
		name:    "NoExport",
		files:   map[string]string{LeadsFile: absent, OpportunitiesFile: absent},
		wantErr: "data: export has neither leads.csv nor opportunities.csv",
	}, {
		name:        "UnparseableDate",
		files:       map[string]string{LeadsFile: baseLeads + "L3,31/31/2024,web,,,\n"},
		wantRejects: []string{`leads.csv:4:2 (created_at): cannot parse "31/31/2024" as a date`},
	}, {
		name:        "AmbiguousDate",
		files:       map[string]string{LeadsFile: baseLeads + "L3,01/02/2024,web,,,\n"},
		wantRejects: []string{`leads.csv:4:2 (created_at): ambiguous date "01/02/2024": day and month are both 12 or less; pass --date-order mdy or dmy`},
	}, {
		name:      "DateOrderGiven",
		files:     map[string]string{LeadsFile: baseLeads + "L3,01/02/2024,web,,,\n"},
		opts:      &Options{DateOrder: DMY},
		wantLeads: []string{"L1", "L2", "L3"},
		check: func(t *testing.T, e *Export) {
			if got := e.Leads[2].CreatedAt; !got.Equal(time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("L3 created %v, want 1 February", got)
			}
		},
	}, {
		name:        "UnparseableAmount",
		files:       map[string]string{OpportunitiesFile: baseOpps + "O3,,2024-01-07,12abc,proposal,,open,\n"},
		wantRejects: []string{`opportunities.csv:4:4 (amount): cannot parse "12abc" as an amount`},
	}, {
		name:     "CurrencyAmount",
		files:    map[string]string{OpportunitiesFile: baseOpps + "O3,,2024-01-07,\"€ 1.234,50\",proposal,,open,\n"},
		wantOpps: []string{"O1", "O2", "O3"},
		check: func(t *testing.T, e *Export) {
			if o := e.Opportunities[1]; o.Amount != 2500 || o.Currency != "USD" {
				t.Errorf("O2 amount = %v %q, want 2500 USD", o.Amount, o.Currency)
			}
			if o := e.Opportunities[2]; o.Amount != 1234.5 || o.Currency != "EUR" {
				t.Errorf("O3 amount = %v %q, want 1234.5 EUR", o.Amount, o.Currency)
			}
		},
	}, {
		name:        "NegativeAmount",
		files:       map[string]string{OpportunitiesFile: baseOpps + "O3,,2024-01-07,-5,proposal,,open,\n"},
		wantRejects: []string{`opportunities.csv:4:4 (amount): negative amount "-5"`},
	}, {
		name:        "UnknownOutcome",
		files:       map[string]string{OpportunitiesFile: baseOpps + "O3,,2024-01-07,5,proposal,,maybe,\n"},
		wantRejects: []string{`opportunities.csv:4:7 (outcome): unknown outcome "maybe" (want won, lost or open)`},
	}, {
		name:        "UnknownActivityOutcome",
		files:       map[string]string{ActivitiesFile: baseActivities + "L1,2024-01-01T12:00:00Z,call,voicemail,\n"},
		wantRejects: []string{`activities.csv:4:4 (outcome): unknown outcome "voicemail" (want connected or attempted)`},
	}, {
		// A close time (not a date) before creation is an error.
		name:        "ClosedBeforeCreated",
		files:       map[string]string{OpportunitiesFile: baseOpps + "O3,,2024-01-07T10:00:00Z,5,lost,2024-01-07T09:00:00Z,lost,\n"},
		wantRejects: []string{`opportunities.csv:4:6 (closed_at): closed_at 2024-01-07T09:00:00Z is before created_at 2024-01-07T10:00:00Z`},
	}, {
		// A close date on the day of creation is valid: the deal
		// closed when it was created.
		name:     "ClosedDayCreated",
		files:    map[string]string{OpportunitiesFile: baseOpps + "O3,,2024-01-07T14:00:00Z,5,won,2024-01-07,won,\n"},
		wantOpps: []string{"O1", "O2", "O3"},
		check: func(t *testing.T, e *Export) {
			if o := e.Opportunities[2]; !o.ClosedAt.Equal(o.CreatedAt) || !o.CreatedAt.Equal(ts("2024-01-07T14:00:00Z")) {
				t.Errorf("O3 = %+v", o)
			}
			if len(e.Report.Warnings) != 0 {
				t.Errorf("warnings = %q", warningStrings(&e.Report))
			}
		},
	}, {
		// Created days after its close date (a migrated record): kept,
		// created at its close date, flagged and counted.
		name:     "CreatedAfterCloseDate",
		files:    map[string]string{OpportunitiesFile: baseOpps + "O3,,2024-01-07T14:00:00Z,5,lost,2024-01-03,lost,\n"},
		wantOpps: []string{"O3", "O1", "O2"},
		check: func(t *testing.T, e *Export) {
			o := e.Opportunities[0]
			if !o.CreatedAt.Equal(ts("2024-01-03T00:00:00Z")) || !o.ClosedAt.Equal(o.CreatedAt) || o.Attrs[AttrCreatedAsExported] != "2024-01-07T14:00:00Z" {
				t.Errorf("O3 = %+v", o)
			}
			want := []string{`opportunities.csv (created_at): 1 closed opportunities were created after their close date (a migrated org?); kept with the creation date moved back to the close date, so their sales cycles read as 0 days (the exported creation time is in the "created_as_exported" column of their attributes)`}
			if got := warningStrings(&e.Report); !reflect.DeepEqual(got, want) {
				t.Errorf("warnings = %q", got)
			}
		},
	}, {
		name:        "UnknownLead",
		files:       map[string]string{StageEventsFile: baseStages + "L9,mql,2024-01-03T09:00:00Z\n"},
		wantRejects: []string{`stage_events.csv:5:1 (lead_id): lead "L9" is not in leads.csv (or was rejected there)`},
	}, {
		name:        "UnknownLeadOnOpportunity",
		files:       map[string]string{OpportunitiesFile: baseOpps + "O3,L9,2024-01-07,5,proposal,,open,\n"},
		wantRejects: []string{`opportunities.csv:4:2 (lead_id): lead "L9" is not in leads.csv (or was rejected there)`},
	}, {
		name:        "UnknownOpportunity",
		files:       map[string]string{OppStageEventsFile: baseOppStages + "O9,proposal,2024-01-10T00:00:00Z\n"},
		wantRejects: []string{`opportunity_stage_events.csv:4:1 (opportunity_id): opportunity "O9" is not in opportunities.csv (or was rejected there)`},
	}, {
		name:        "DuplicateID",
		files:       map[string]string{LeadsFile: baseLeads + "L1,2024-01-03T10:00:00Z,web,,,\n"},
		wantRejects: []string{`leads.csv:4:1 (lead_id): duplicate lead_id "L1"`},
	}, {
		name:        "DuplicateOpportunity",
		files:       map[string]string{OpportunitiesFile: baseOpps + "O1,,2024-01-07,5,proposal,,open,\n"},
		wantRejects: []string{`opportunities.csv:4:1 (opportunity_id): duplicate opportunity_id "O1"`},
	}, {
		name:        "EventAfterAsOf",
		files:       map[string]string{StageEventsFile: baseStages + "L2,sal,2024-04-01T00:00:00Z\n"},
		opts:        &Options{AsOf: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), MaxRejectShare: 1},
		wantRejects: []string{`stage_events.csv:5:3 (at): at 2024-04-01T00:00:00Z is after the as-of time 2024-03-01T00:00:00Z`},
		check: func(t *testing.T, e *Export) {
			if !e.AsOf.Equal(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("AsOf = %v", e.AsOf)
			}
		},
	}, {
		name:        "EventBeforeCreated",
		files:       map[string]string{StageEventsFile: baseStages + "L2,known,2023-12-31T00:00:00Z\n"},
		wantRejects: []string{`stage_events.csv:5:3 (at): at 2023-12-31T00:00:00Z is before lead "L2" was created (2024-01-02T10:00:00Z)`},
	}, {
		name:        "ActivityBeforeCreated",
		files:       map[string]string{ActivitiesFile: baseActivities + "L2,2024-01-01T00:00:00Z,call,attempted,\n"},
		wantRejects: []string{`activities.csv:4:2 (at): at 2024-01-01T00:00:00Z is before lead "L2" was created (2024-01-02T10:00:00Z)`},
	}, {
		name:  "BOM",
		files: map[string]string{LeadsFile: "\ufeff" + baseLeads},
	}, {
		name:        "CRLF",
		files:       map[string]string{LeadsFile: strings.ReplaceAll(baseLeads+"L3,bad,web,,,\n", "\n", "\r\n")},
		wantRejects: []string{`leads.csv:4:2 (created_at): cannot parse "bad" as a date`},
	}, {
		name:        "Semicolon",
		files:       map[string]string{OpportunitiesFile: strings.ReplaceAll(strings.ReplaceAll(baseOpps, ",", ";"), `"$2;500.00"`, `"2.500,00"`) + "O3;;2024-01-07;x;proposal;;open;\n"},
		wantRejects: []string{`opportunities.csv:4:4 (amount): cannot parse "x" as an amount`},
		check: func(t *testing.T, e *Export) {
			if o := e.Opportunities[1]; o.Amount != 2500 {
				t.Errorf("O2 amount = %v, want 2500", o.Amount)
			}
		},
	}, {
		name:        "Tab",
		files:       map[string]string{LeadsFile: strings.ReplaceAll(baseLeads+"L3,bad,web,,,\n", ",", "\t")},
		wantRejects: []string{`leads.csv:4:2 (created_at): cannot parse "bad" as a date`},
	}, {
		name: "MultiLineField",
		files: map[string]string{LeadsFile: "lead_id,created_at,source,notes\n" +
			"L1,2024-01-01T10:00:00Z,web,\"first line\nsecond line\"\n" +
			"L2,2024-01-02T10:00:00Z,event,\n" +
			"L3,bad,web,\n"},
		wantRejects: []string{`leads.csv:5:2 (created_at): cannot parse "bad" as a date`},
		check: func(t *testing.T, e *Export) {
			if got := e.Leads[0].Attrs["notes"]; got != "first line\nsecond line" {
				t.Errorf("notes = %q", got)
			}
		},
	}, {
		// A file marked UTF-8 by its BOM must be UTF-8.
		name:        "InvalidUTF8",
		files:       map[string]string{LeadsFile: "\ufeff" + baseLeads + "L3,2024-01-03T10:00:00Z,web,,,j\xffrg\n"},
		wantRejects: []string{`leads.csv:4:6 (owner): invalid UTF-8`},
	}, {
		// Without a BOM, a file that is not UTF-8 is Windows-1252.
		name:      "Windows1252",
		files:     map[string]string{LeadsFile: baseLeads + "L3,2024-01-03T10:00:00Z,web,,,J\xf6rg M\xfcller \x96 \x80\n"},
		wantLeads: []string{"L1", "L2", "L3"},
		check: func(t *testing.T, e *Export) {
			if got := e.Leads[2].Owner; got != "Jörg Müller – €" {
				t.Errorf("owner = %q", got)
			}
			if got := e.Report.Encodings[LeadsFile]; got != Windows1252 {
				t.Errorf("encoding = %v, want Windows-1252", got)
			}
			if got := warningStrings(&e.Report); !reflect.DeepEqual(got, []string{"leads.csv: not UTF-8: read as Windows-1252"}) {
				t.Errorf("warnings = %q", got)
			}
		},
	}, {
		name:        "WrongFieldCount",
		files:       map[string]string{LeadsFile: baseLeads + "L3,2024-01-03T10:00:00Z\n"},
		wantRejects: []string{`leads.csv:4: 2 fields, header has 6`},
	}, {
		name:        "BareQuote",
		files:       map[string]string{LeadsFile: baseLeads + "L3,2024-01-03T10:00:00Z,we\"b,,,\nL4,2024-01-04T10:00:00Z,web,,,\n"},
		wantRejects: []string{`leads.csv:4:3 (source): bare " in non-quoted-field`},
		wantLeads:   []string{"L1", "L2", "L4"},
	}, {
		name:  "HeaderCaseAndOrder",
		files: map[string]string{LeadsFile: "Source, Created At ,LEAD ID,Region\nweb,2024-01-01T10:00:00Z,L1,emea\nevent,2024-01-02T10:00:00Z,L2,\n"},
		check: func(t *testing.T, e *Export) {
			if got := e.Leads[0].Attrs; !reflect.DeepEqual(got, map[string]string{"Region": "emea"}) {
				t.Errorf("L1 attrs = %v", got)
			}
			if e.Leads[1].Attrs != nil {
				t.Errorf("L2 attrs = %v, want nil", e.Leads[1].Attrs)
			}
		},
	}, {
		name:  "MappedColumn",
		files: map[string]string{LeadsFile: strings.Replace(baseLeads, "lead_id", "Lead Number", 1)},
		opts: &Options{MaxRejectShare: 1, Mapping: &Mapping{
			Columns: map[string]map[string]string{LeadsFile: {"lead_id": "lead number"}},
			Stages:  map[string]string{"MQL": "marketing-qualified"},
			Sources: map[string]string{"web": "inbound"},
		}},
		check: func(t *testing.T, e *Export) {
			if e.Leads[0].Source != "inbound" || e.StageEvents[1].Stage != "marketing-qualified" {
				t.Errorf("mapping not applied: %+v %+v", e.Leads[0], e.StageEvents[1])
			}
		},
	}, {
		name:  "MappedColumnMissing",
		files: map[string]string{LeadsFile: baseLeads},
		opts: &Options{Mapping: &Mapping{
			Columns: map[string]map[string]string{LeadsFile: {"lead_id": "Lead Number"}},
		}},
		wantErr: `data: leads.csv: missing required columns lead_id (mapped to "Lead Number") (found: lead_id, created_at, source, segment, score, owner)`,
	}, {
		name:      "OpportunitiesOnly",
		files:     map[string]string{LeadsFile: absent, StageEventsFile: absent, ActivitiesFile: absent},
		wantLeads: []string{},
		check: func(t *testing.T, e *Export) {
			if e.Opportunities[0].LeadID != "L1" {
				t.Errorf("lead id dropped")
			}
		},
	}, {
		name:        "RejectShare",
		files:       map[string]string{LeadsFile: baseLeads + "L3,bad,web,,,\n"},
		opts:        &Options{},
		wantErr:     "data: 1 of 12 rows rejected (8.3%), above the 5.0% threshold; the rejects file lists each rejected row and why",
		wantRejects: []string{`leads.csv:4:2 (created_at): cannot parse "bad" as a date`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := baseFiles()
			for k, v := range tt.files {
				if v == absent {
					delete(files, k)
				} else {
					files[k] = v
				}
			}
			opts := tt.opts
			if opts == nil {
				opts = lenient
			}
			e, err := ReadExport(mapFS(files), opts)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				var rs *RejectShareError
				if !errors.As(err, &rs) {
					if e != nil {
						t.Errorf("export returned with a fatal error")
					}
					return
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if got := rejectStrings(&e.Report); !reflect.DeepEqual(got, tt.wantRejects) {
				t.Errorf("rejects:\n got %q\nwant %q", got, tt.wantRejects)
			}
			wantLeads := tt.wantLeads
			if wantLeads == nil {
				wantLeads = []string{"L1", "L2"}
			}
			if got := leadIDs(e); !(len(got) == 0 && len(wantLeads) == 0) && !reflect.DeepEqual(got, wantLeads) {
				t.Errorf("leads = %v, want %v", got, wantLeads)
			}
			wantOpps := tt.wantOpps
			if wantOpps == nil {
				wantOpps = []string{"O1", "O2"}
			}
			if got := oppIDs(e); !reflect.DeepEqual(got, wantOpps) {
				t.Errorf("opportunities = %v, want %v", got, wantOpps)
			}
			wantEvents := tt.wantEvents
			if wantEvents == 0 && files[StageEventsFile] != "" {
				wantEvents = 3
			}
			if len(e.StageEvents) != wantEvents {
				t.Errorf("%d stage events, want %d", len(e.StageEvents), wantEvents)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

// TestLeadReaderStreaming reads leads one at a time and checks that bad
// rows go to the reader's Report.
func TestLeadReaderStreaming(t *testing.T) {
	lr := NewLeadReader(strings.NewReader(baseLeads+"L3,bad,web,,,\nL4,2024-01-04,web,,x,\n"), "leads.csv", nil)
	var ids []string
	for {
		l, err := lr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, l.ID)
	}
	if want := []string{"L1", "L2"}; !reflect.DeepEqual(ids, want) {
		t.Errorf("ids = %v, want %v", ids, want)
	}
	want := []string{`leads.csv:4:2 (created_at): cannot parse "bad" as a date`, `leads.csv:5:5 (score): cannot parse "x" as a number`}
	if got := rejectStrings(lr.Report); !reflect.DeepEqual(got, want) {
		t.Errorf("rejects = %q, want %q", got, want)
	}
	if lr.Report.Rows["leads.csv"] != 4 || lr.Report.RejectedByReason[ReasonBadDate] != 1 {
		t.Errorf("report = %+v", lr.Report)
	}
	if _, err := lr.Read(); err != io.EOF {
		t.Errorf("Read after EOF = %v", err)
	}
}

func TestWriteRejects(t *testing.T) {
	e, err := ReadExport(mapFS(map[string]string{LeadsFile: baseLeads + "L3,\"31/31/2024\",web,,,\n"}), &Options{MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteRejects(&buf, &e.Report); err != nil {
		t.Fatal(err)
	}
	const want = "file,line,column,field,reason,value\n" +
		"leads.csv,4,2,created_at,\"cannot parse \"\"31/31/2024\"\" as a date\",31/31/2024\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
}

func BenchmarkReadLeads(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("lead_id,created_at,source,segment,score,owner,region\n")
	for i := range 10000 {
		fmt.Fprintf(&buf, "L%d,2024-01-%02dT10:00:00Z,web,smb,%d,ann,emea\n", i, i%28+1, i%100)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		lr := NewLeadReader(bytes.NewReader(buf.Bytes()), "leads.csv", nil)
		for {
			if _, err := lr.Read(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
}

// TestOpenDealWithoutAmount: an open deal may lack an amount (read as 0),
// and the report counts such deals in a warning naming the column.
func TestOpenDealWithoutAmount(t *testing.T) {
	files := baseFiles()
	files[OpportunitiesFile] += "O8,,2024-01-20T10:00:00Z,,proposal,,open,USD\nO9,,2024-01-21T10:00:00Z,,proposal,,open,USD\n"
	e, err := ReadExport(mapFS(files), &Options{MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, w := range e.Report.Warnings {
		if strings.Contains(w.Error(), "2 open opportunities have no amount") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning about the 2 open deals without an amount: %v", e.Report.Warnings)
	}
}
