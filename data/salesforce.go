package data

import (
	"fmt"
	"io"
	"io/fs"
	"sort"
	"time"
)

// Salesforce export file names.
const (
	SalesforceLeadFile        = "Lead.csv"
	SalesforceLeadHistoryFile = "LeadHistory.csv"
	SalesforceOppFile         = "Opportunity.csv"
	SalesforceOppHistoryFile  = "OpportunityHistory.csv"
)

var (
	sfLeadSpecs = []colSpec{
		{name: "lead_id", required: true, aliases: []string{"Id", "Lead ID"}},
		{name: "created_at", required: true, aliases: []string{"CreatedDate", "Create Date", "Created Date"}},
		{name: "status", aliases: []string{"Status", "Lead Status"}},
		{name: "source", aliases: []string{"LeadSource", "Lead Source"}},
		{name: "owner", aliases: []string{"OwnerId", "Lead Owner", "Owner"}},
		{name: "score", aliases: []string{"Lead Score"}},
		{name: "segment"},
		{name: "is_converted", aliases: []string{"IsConverted", "Converted"}},
		{name: "converted_at", aliases: []string{"ConvertedDate", "Converted Date"}},
		{name: "converted_opp", aliases: []string{"ConvertedOpportunityId", "Converted Opportunity ID"}},
	}
	sfLeadHistorySpecs = []colSpec{
		{name: "lead_id", required: true, aliases: []string{"LeadId", "Lead ID"}},
		{name: "field", required: true, aliases: []string{"Field", "Field/Event", "Field / Event"}},
		{name: "old", text: true, aliases: []string{"OldValue", "Old Value"}},
		{name: "new", text: true, required: true, aliases: []string{"NewValue", "New Value"}},
		{name: "at", required: true, aliases: []string{"CreatedDate", "Created Date", "Create Date", "Edit Date"}},
	}
	sfOppSpecs = []colSpec{
		{name: "opportunity_id", required: true, aliases: []string{"Id", "Opportunity ID"}},
		{name: "created_at", required: true, aliases: []string{"CreatedDate", "Create Date", "Created Date"}},
		{name: "amount", aliases: []string{"Amount"}},
		{name: "stage", required: true, aliases: []string{"StageName", "Stage"}},
		{name: "closed_at", aliases: []string{"CloseDate", "Close Date"}},
		{name: "is_closed", aliases: []string{"IsClosed", "Closed"}},
		{name: "is_won", aliases: []string{"IsWon", "Won"}},
		{name: "currency", aliases: []string{"CurrencyIsoCode", "Opportunity Currency"}},
	}
	sfOppHistorySpecs = []colSpec{
		{name: "opportunity_id", required: true, aliases: []string{"OpportunityId", "Opportunity ID"}},
		{name: "stage", required: true, aliases: []string{"StageName", "Stage", "To Stage"}},
		{name: "at", required: true, aliases: []string{"CreatedDate", "Created Date", "Edit Date", "Last Modified Date", "Last Modified"}},
	}
)

// SalesforceLeadStages are the default stages of Salesforce's standard
// lead statuses, keyed by status with case, spaces and punctuation
// removed. Mapping.Stages overrides them.
var SalesforceLeadStages = map[string]string{
	"opennotcontacted":   "mql",
	"workingcontacted":   "tql",
	"closedconverted":    "opportunity",
	"closednotconverted": "disqualified",
	"new":                "mql",
	"contacted":          "tql",
	"working":            "tql",
	"nurturing":          "recycled",
	"qualified":          "sal",
	"unqualified":        "disqualified",
}

// SalesforceOppStages are the default stages of Salesforce opportunity
// stage names ("Closed Won" is won). Other stage names are kept in lower
// case ("Needs Analysis" becomes "needs analysis").
var SalesforceOppStages = map[string]string{
	"closedwon":  "won",
	"closedlost": "lost",
}

// ReadSalesforce reads a Salesforce export in fsys: Lead.csv,
// LeadHistory.csv, Opportunity.csv and OpportunityHistory.csv, each
// optional except that Lead.csv or Opportunity.csv must be present.
// Columns may carry API names (CreatedDate, StageName) or report labels
// (Create Date, Stage).
//
// Lead statuses become stage events: each lead enters its first status
// (the OldValue of its earliest Status change in LeadHistory, or its
// current Status when it has none) at CreatedDate, and every LeadHistory
// row whose Field is Status adds the NewValue at that row's CreatedDate.
// A converted lead without a history row for its conversion enters the
// stage of "Closed - Converted" at ConvertedDate. Statuses translate
// through o.Mapping.Stages, then SalesforceLeadStages.
//
// Opportunities link to the lead whose ConvertedOpportunityId names them;
// their outcome comes from IsClosed and IsWon (or, without those, from
// the stage); an open deal's CloseDate goes to Attrs["expected_close"];
// a missing Amount is 0. OpportunityHistory rows become OppStageEvents,
// keeping only changes of stage.
func ReadSalesforce(fsys fs.FS, o *Options) (*Export, error) {
	e := new(Export)
	rep := &e.Report
	haveLeads, err := exists(fsys, SalesforceLeadFile)
	if err != nil {
		return nil, err
	}
	haveOpps, err := exists(fsys, SalesforceOppFile)
	if err != nil {
		return nil, err
	}
	if !haveLeads && !haveOpps {
		return nil, fmt.Errorf("data: Salesforce export has neither %s nor %s", SalesforceLeadFile, SalesforceOppFile)
	}
	m := o.mapping()

	type sfLead struct {
		status      string
		converted   bool
		convertedAt time.Time
	}
	extra := make(map[string]sfLead)
	leads := make(map[string]time.Time)
	oppLead := make(map[string]string)
	if haveLeads {
		err := readFile(fsys, SalesforceLeadFile, func(r io.Reader) error {
			t, err := openTable(r, SalesforceLeadFile, rep, sfLeadSpecs, o)
			if err != nil {
				return err
			}
			seen := make(map[string]bool)
			for {
				if err := t.next(); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				l, ok := readLead(t, o, seen)
				if !ok {
					continue
				}
				var x sfLead
				x.status = t.get("status")
				conv, err := parseBool(t.get("is_converted"))
				if err != nil {
					t.reject("is_converted", ReasonBadOutcome, err)
					continue
				}
				x.converted = conv || t.get("converted_opp") != ""
				if s := t.get("converted_at"); s != "" {
					if x.convertedAt, ok = t.timeField("converted_at", o); !ok {
						continue
					}
				}
				seen[l.ID] = true
				leads[l.ID] = l.CreatedAt
				extra[l.ID] = x
				if id := t.get("converted_opp"); id != "" {
					oppLead[id] = l.ID
				}
				e.Leads = append(e.Leads, l)
				t.keep()
			}
		})
		if err != nil {
			return nil, err
		}
	}

	type change struct {
		old, new string
		at       time.Time
	}
	history := make(map[string][]change)
	haveHistory, err := exists(fsys, SalesforceLeadHistoryFile)
	if err != nil {
		return nil, err
	}
	if haveHistory {
		err := readFile(fsys, SalesforceLeadHistoryFile, func(r io.Reader) error {
			t, err := openTable(r, SalesforceLeadHistoryFile, rep, sfLeadHistorySpecs, o)
			if err != nil {
				return err
			}
			for {
				if err := t.next(); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				if f := normKey(t.get("field")); f != "status" && f != "leadstatus" {
					t.skip() // other field changes are not funnel events
					continue
				}
				id, ok := t.required("lead_id")
				if !ok || !t.checkNames("old", "new") {
					continue
				}
				at, ok := t.timeField("at", o)
				if !ok || t.afterAsOf("at", at, o) || !t.checkParent("lead_id", "lead", SalesforceLeadFile, id, "at", at, leads) {
					continue
				}
				history[id] = append(history[id], change{t.get("old"), t.get("new"), at})
				t.keep()
			}
		})
		if err != nil {
			return nil, err
		}
	} else if haveLeads {
		rep.warn(SalesforceLeadHistoryFile, "", 0, "file absent: each lead's current status is dated at its creation")
	}
	convStage := m.stage("Closed - Converted", SalesforceLeadStages)
	for _, l := range e.Leads {
		h := history[l.ID]
		sort.SliceStable(h, func(i, j int) bool { return h[i].at.Before(h[j].at) })
		x := extra[l.ID]
		first := x.status
		if len(h) > 0 {
			first = h[0].old
		}
		if first != "" {
			e.StageEvents = append(e.StageEvents, StageEvent{l.ID, m.stage(first, SalesforceLeadStages), l.CreatedAt})
		}
		hasConv := m.stage(first, SalesforceLeadStages) == convStage
		for _, c := range h {
			if c.new == "" {
				continue
			}
			s := m.stage(c.new, SalesforceLeadStages)
			hasConv = hasConv || s == convStage
			e.StageEvents = append(e.StageEvents, StageEvent{l.ID, s, c.at})
		}
		if x.converted && !hasConv && !x.convertedAt.IsZero() && !x.convertedAt.Before(l.CreatedAt) &&
			(o.asOf().IsZero() || !x.convertedAt.After(o.asOf())) {
			e.StageEvents = append(e.StageEvents, StageEvent{l.ID, convStage, x.convertedAt})
		}
	}

	opps := make(map[string]time.Time)
	if haveOpps {
		err := readFile(fsys, SalesforceOppFile, func(r io.Reader) error {
			t, err := openTable(r, SalesforceOppFile, rep, sfOppSpecs, o)
			if err != nil {
				return err
			}
			seen := make(map[string]bool)
			rules := oppRules{stageDefaults: SalesforceOppStages, leadOf: oppLead, anyAmount: true, leadFile: SalesforceLeadFile}
			for {
				if err := t.next(); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				op, ok := readOpp(t, o, seen, leads, rules)
				if !ok {
					continue
				}
				opps[op.ID] = op.CreatedAt
				e.Opportunities = append(e.Opportunities, op)
				t.keep()
			}
		})
		if err != nil {
			return nil, err
		}
	}
	haveOppHistory, err := exists(fsys, SalesforceOppHistoryFile)
	if err != nil {
		return nil, err
	}
	if haveOppHistory {
		err := readFile(fsys, SalesforceOppHistoryFile, func(r io.Reader) error {
			t, err := openTable(r, SalesforceOppHistoryFile, rep, sfOppHistorySpecs, o)
			if err != nil {
				return err
			}
			for {
				if err := t.next(); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				if ev, ok := readOppStage(t, o, opps, SalesforceOppFile, SalesforceOppStages); ok {
					e.OppStageEvents = append(e.OppStageEvents, ev)
					t.keep()
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	err = e.finish(o)
	e.OppStageEvents = dedupeStages(e.OppStageEvents)
	return e, err
}

// dedupeStages drops events that repeat the previous stage of the same
// opportunity (history rows also record amount and date changes). events
// must be sorted by opportunity then time.
func dedupeStages(events []OppStageEvent) []OppStageEvent {
	out := events[:0]
	for _, ev := range events {
		if n := len(out); n > 0 && ev.OpportunityID == out[n-1].OpportunityID && ev.Stage == out[n-1].Stage {
			continue
		}
		out = append(out, ev)
	}
	return out
}
