package data

import (
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
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
		{name: "converted_opp", aliases: []string{"ConvertedOpportunityId", "Converted Opportunity ID", "Opportunity ID"}},
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
		{name: "created_at", required: true, aliases: []string{"Opportunity Created Date", "CreatedDate", "Create Date", "Created Date"}},
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
// A file absent under that name is looked for by its header (see
// Detect): a report downloads as "report1700000000000.csv", Data Loader
// writes "extract.csv". Columns may carry API names (CreatedDate,
// StageName) or report labels (Create Date, Stage). Null ids
// (000000000000000AAA) link nothing.
//
// Lead statuses become stage events: each lead enters its first status
// (the OldValue of its earliest Status change in LeadHistory, or its
// current Status when it has none) at CreatedDate, and every LeadHistory
// row whose Field is Status adds the NewValue at that row's CreatedDate.
// A converted lead without a history row for its conversion enters the
// stage of "Closed - Converted" at ConvertedDate; without any history
// and with a ConvertedDate, that is its only event (its status at
// creation is not known). Statuses translate
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
	files, err := locate(fsys,
		[]Object{ObjectSalesforceLead, ObjectSalesforceLeadHistory, ObjectSalesforceOpportunity, ObjectSalesforceOppHistory},
		[]string{SalesforceLeadFile, SalesforceLeadHistoryFile, SalesforceOppFile, SalesforceOppHistoryFile})
	if err != nil {
		return nil, err
	}
	leadFile, leadHistoryFile, oppFile, oppHistoryFile := files[0], files[1], files[2], files[3]
	haveLeads, haveOpps := leadFile != "", oppFile != ""
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
	combined := false // the lead file also holds its converted opportunities' columns
	if haveLeads {
		err := readFile(fsys, leadFile, func(r io.Reader) error {
			t, err := openTable(r, leadFile, rep, sfLeadSpecs, o)
			if err != nil {
				return err
			}
			var id, stage bool
			for _, h := range t.header {
				id = id || normKey(h) == "opportunityid"
				stage = stage || normKey(h) == "stage" || normKey(h) == "stagename"
			}
			combined = !haveOpps && id && stage
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
				convOpp := t.get("converted_opp")
				if nullID(convOpp) {
					convOpp = "" // 000000000000000AAA: no opportunity
				}
				x.converted = conv || convOpp != ""
				if s := t.get("converted_at"); s != "" {
					if x.convertedAt, ok = t.timeField("converted_at", o); !ok {
						continue
					}
				}
				seen[l.ID] = true
				leads[l.ID] = l.CreatedAt
				extra[l.ID] = x
				if convOpp != "" {
					oppLead[convOpp] = l.ID
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
	if leadHistoryFile != "" {
		err := readFile(fsys, leadHistoryFile, func(r io.Reader) error {
			t, err := openTable(r, leadHistoryFile, rep, sfLeadHistorySpecs, o)
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
				if !ok || t.afterAsOf("at", at, o) || !t.checkParent("lead_id", "lead", leadFile, id, "at", at, leads) {
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
		rep.warn(SalesforceLeadHistoryFile, "", 0, "file absent: each lead's current status is dated at its creation (a converted lead's at its ConvertedDate): calibrate fits the funnel's ends (creation to conversion), not the stages between")
	}
	convStage := m.stage("Closed - Converted", SalesforceLeadStages)
	var convEarly, convLate, convUndated int // conversions dated before creation, after as-of, not dated
	for _, l := range e.Leads {
		h := history[l.ID]
		sort.SliceStable(h, func(i, j int) bool { return h[i].at.Before(h[j].at) })
		x := extra[l.ID]
		first := x.status
		if len(h) > 0 {
			first = h[0].old
		}
		hasConv := m.stage(first, SalesforceLeadStages) == convStage
		if hasConv && len(h) == 0 && x.converted && !x.convertedAt.IsZero() {
			// No history: the current status "Closed - Converted" was
			// not the lead's at creation; its conversion is dated by
			// ConvertedDate below.
			first, hasConv = "", false
		}
		if first != "" {
			e.StageEvents = append(e.StageEvents, StageEvent{l.ID, m.stage(first, SalesforceLeadStages), l.CreatedAt})
		}
		for _, c := range h {
			if c.new == "" {
				continue
			}
			s := m.stage(c.new, SalesforceLeadStages)
			hasConv = hasConv || s == convStage
			e.StageEvents = append(e.StageEvents, StageEvent{l.ID, s, c.at})
		}
		if !x.converted || hasConv {
			continue
		}
		at := x.convertedAt
		switch {
		case at.IsZero():
			convUndated++
			continue
		case !o.asOf().IsZero() && at.After(o.asOf()):
			convLate++
			continue
		case at.Before(l.CreatedAt):
			// ConvertedDate is a date: converted the day the lead was
			// created, or (a migrated org) dated before its creation.
			if !sameDay(at, l.CreatedAt, o) {
				convEarly++
			}
			at = l.CreatedAt
		}
		e.StageEvents = append(e.StageEvents, StageEvent{l.ID, convStage, at})
	}
	if convEarly > 0 {
		rep.warn(leadFile, "ConvertedDate", convEarly, "%d converted leads have a ConvertedDate before the day they were created (a migrated org?); their conversion is dated at their creation", convEarly)
	}
	if convLate > 0 {
		rep.warn(leadFile, "ConvertedDate", convLate, "%d leads converted after the as-of time; their conversion is not counted", convLate)
	}
	if convUndated > 0 {
		rep.warn(leadFile, "ConvertedDate", convUndated, "%d leads are marked converted without a ConvertedDate and without a history row for it; their conversion is not counted", convUndated)
	}

	opps := make(map[string]time.Time)
	if combined {
		// A report of leads with their opportunities: its rows with an
		// Opportunity ID are read again as opportunities, under a name of
		// their own in the report (its lines are accounted there).
		oppFile, haveOpps = leadFile, true
	}
	if haveOpps {
		name := oppFile
		if combined {
			name = leadFile + " (opportunities)"
		}
		err := readFile(fsys, oppFile, func(r io.Reader) error {
			t, err := openTable(r, name, rep, sfOppSpecs, o)
			if err != nil {
				return err
			}
			if combined {
				if h := t.header[t.col["created_at"]]; normKey(h) != "opportunitycreateddate" {
					rep.warn(name, h, 0, "opportunities read from the lead report's Opportunity columns; the report has no opportunity creation date, so each is dated by its lead's %s", h)
				}
			}
			seen := make(map[string]bool)
			rules := oppRules{stageDefaults: SalesforceOppStages, leadOf: oppLead, anyAmount: true, leadFile: leadFile}
			for {
				if err := t.next(); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				if combined && strings.TrimSpace(t.get("opportunity_id")) == "" {
					t.skip() // a lead not converted: no opportunity on its row
					continue
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
	if oppHistoryFile != "" {
		err := readFile(fsys, oppHistoryFile, func(r io.Reader) error {
			t, err := openTable(r, oppHistoryFile, rep, sfOppHistorySpecs, o)
			if err != nil {
				return err
			}
			for {
				if err := t.next(); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				if ev, ok := readOppStage(t, o, opps, nil, oppFile, SalesforceOppStages); ok {
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
