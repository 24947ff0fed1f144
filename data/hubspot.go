package data

import (
	"cmp"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"
)

// HubSpot export file names.
const (
	HubSpotContactsFile = "contacts.csv"
	HubSpotDealsFile    = "deals.csv"
)

var (
	hsContactSpecs = []colSpec{
		{name: "lead_id", required: true, aliases: []string{"Record ID", "Contact ID", "hs_object_id"}},
		{name: "created_at", required: true, aliases: []string{"Create Date", "Created Date", "createdate"}},
		{name: "source", aliases: []string{"Original Source", "Original Traffic Source", "Original Source Type", "hs_analytics_source"}},
		{name: "owner", aliases: []string{"Contact owner", "HubSpot Owner", "Owner"}},
		{name: "score", aliases: []string{"HubSpot Score", "Lead Score"}},
		{name: "segment"},
	}
	hsDealSpecs = []colSpec{
		{name: "opportunity_id", required: true, aliases: []string{"Deal ID", "Record ID", "hs_object_id"}},
		// Not lead_id: which of the ids is a lead of the export is
		// settled against contacts.csv (hsContact).
		{name: "contact_ids", list: true, aliases: []string{"Associated Contact IDs", "Associated Contact ID", "Contact ID", "Contact IDs"}},
		{name: "created_at", required: true, aliases: []string{"Create Date", "Created Date", "createdate"}},
		{name: "amount", aliases: []string{"Amount"}},
		{name: "stage", required: true, aliases: []string{"Deal Stage", "dealstage"}},
		{name: "closed_at", aliases: []string{"Close Date", "closedate"}},
		{name: "currency", aliases: []string{"Currency", "Deal Currency Code", "deal_currency_code"}},
		{name: "is_closed", aliases: []string{"Is Deal Closed?", "Is Closed", "hs_is_closed"}},
		{name: "is_won", aliases: []string{"Is Closed Won", "Is Deal Won?", "hs_is_closed_won"}},
		{name: "probability", aliases: []string{"Deal probability", "hs_deal_stage_probability"}},
	}
)

// HubSpotLifecycleStages are the default stages of HubSpot's lifecycle
// stages, keyed by name with case, spaces and punctuation removed.
// Mapping.Stages, keyed by the lifecycle name as it appears in the
// "Became a ... Date" header ("Marketing Qualified Lead"), overrides them.
var HubSpotLifecycleStages = map[string]string{
	"subscriber":             "known",
	"lead":                   "engaged",
	"marketingqualifiedlead": "mql",
	"salesqualifiedlead":     "sal",
	"opportunity":            "opportunity",
	"customer":               "won",
}

// HubSpotDealStages are the default stages of HubSpot deal stages;
// others are kept in lower case.
var HubSpotDealStages = map[string]string{
	"closedwon":  "won",
	"closedlost": "lost",
}

// ReadHubSpot reads a HubSpot export in fsys: contacts.csv and deals.csv,
// either optional but not both. A file absent under that name is looked
// for by its header (see Detect): HubSpot names its downloads
// "all-contacts.csv" or "hubspot-crm-exports-all-deals-2023-05-16.csv".
//
// Each contact is a lead (Record ID or Contact ID, Create Date, Original
// Source or Original Traffic Source). Every lifecycle date column with a
// value gives a stage event: the older "Became a(n) <stage> Date" and the
// current `Date entered "<stage> (Lifecycle Stage Pipeline)"` ("Date
// exited" columns are kept as they are); the stage is <stage> through
// o.Mapping.Stages, then HubSpotLifecycleStages (Subscriber is known,
// Lead engaged, Marketing Qualified Lead mql, Sales Qualified Lead sal,
// Opportunity, Customer won). A stage given twice keeps its earliest
// date. A file without lifecycle date columns dates each contact's
// current Lifecycle Stage at its Create Date, with a warning. A lifecycle
// date on the day of creation but before its time is dated at creation
// (counted); an unparseable one, or one on an earlier day, rejects the
// contact as a whole.
//
// Each deal (Deal ID or Record ID, Deal Stage, Amount, Create Date, Close
// Date) is an opportunity. Its lead is the first of its associated
// contact ids that is a contact of the export created no later than the
// deal's day; a deal with none is kept without a lead, counted in a
// warning. Is Deal Closed? (with Is Closed Won, or else the stage, or a
// Deal probability of 1) gives the outcome when present; otherwise a
// stage that maps to "won" or "lost" closes the deal, and an unmapped
// label starting "Closed" ("Closed: abandoned") is lost unless it says
// won. Deals of several Pipelines are read as one funnel, with a
// warning. An open deal's Close Date goes to Attrs["expected_close"]; a
// missing Amount is 0.
func ReadHubSpot(fsys fs.FS, o *Options) (*Export, error) {
	e := new(Export)
	rep := &e.Report
	files, err := locate(fsys, []Object{ObjectHubSpotContact, ObjectHubSpotDeal}, []string{HubSpotContactsFile, HubSpotDealsFile})
	if err != nil {
		return nil, err
	}
	contactsFile, dealsFile := files[0], files[1]
	haveContacts, haveDeals := contactsFile != "", dealsFile != ""
	if !haveContacts && !haveDeals {
		return nil, fmt.Errorf("data: HubSpot export has neither %s nor %s", HubSpotContactsFile, HubSpotDealsFile)
	}
	m := o.mapping()
	var leads map[string]time.Time
	if haveContacts {
		leads = make(map[string]time.Time)
		err := readFile(fsys, contactsFile, func(r io.Reader) error {
			t, err := openTable(r, contactsFile, rep, hsContactSpecs, o)
			if err != nil {
				return err
			}
			// Take the "Became a ... Date" columns out of the extras.
			type became struct {
				col   int
				stage string
			}
			var lifecycle []became
			current := -1 // the "Lifecycle Stage" column
			extra := t.extra[:0]
			for _, i := range t.extra {
				name, ok := becameStage(t.header[i])
				if !ok {
					name, ok = enteredStage(t.header[i])
				}
				if ok {
					lifecycle = append(lifecycle, became{i, m.stage(name, HubSpotLifecycleStages)})
					continue
				}
				if normKey(t.header[i]) == "lifecyclestage" && current < 0 {
					current = i
				}
				extra = append(extra, i)
			}
			t.extra = extra
			if len(lifecycle) == 0 {
				what := "no \"Date entered\" or \"Became a ... Date\" columns"
				if current >= 0 {
					rep.warn(contactsFile, "", 0, "%s: each contact's current Lifecycle Stage is dated at its Create Date", what)
				} else {
					rep.warn(contactsFile, "", 0, "%s and no Lifecycle Stage: contacts have no stages (add the lifecycle date columns to the export)", what)
				}
			}
			sameDayFixed := 0
			defer func() {
				if sameDayFixed > 0 {
					rep.warn(contactsFile, "", sameDayFixed, "%d lifecycle dates fall on the day of the contact's Create Date but before its time (a date, or a clock in another zone): dated at creation", sameDayFixed)
				}
			}()
			seen := make(map[string]bool)
		rows:
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
				var evs []StageEvent
				for _, b := range lifecycle {
					v := strings.TrimSpace(t.rec[b.col])
					if v == "" {
						continue
					}
					at, err := ParseTime(v, o)
					if err != nil {
						t.rejectAt(b.col, ReasonBadDate, err)
						continue rows
					}
					at = clean(at)
					if err := t.implausible(at); err != nil {
						t.rejectAt(b.col, ReasonImplausibleDate, err)
						continue rows
					}
					if a := o.asOf(); !a.IsZero() && at.After(a) {
						t.rejectAt(b.col, ReasonAfterAsOf, fmt.Errorf("%s %s is after the as-of time %s", t.header[b.col], at.Format(time.RFC3339), a.UTC().Format(time.RFC3339)))
						continue rows
					}
					if at.Before(l.CreatedAt) && (isDate(at, o) || l.CreatedAt.Sub(at) < time.Hour) && sameDay(at, l.CreatedAt, o) {
						at = l.CreatedAt
						sameDayFixed++
					}
					if at.Before(l.CreatedAt) {
						t.rejectAt(b.col, ReasonBeforeCreated, fmt.Errorf("%s %s is before lead %q was created (%s)",
							t.header[b.col], at.Format(time.RFC3339), l.ID, l.CreatedAt.Format(time.RFC3339)))
						continue rows
					}
					if k := slices.IndexFunc(evs, func(x StageEvent) bool { return x.Stage == b.stage }); k >= 0 {
						// The same stage twice (duplicate columns, or both
						// header styles): the earliest date stands.
						if at.Before(evs[k].At) {
							evs[k].At = at
						}
						continue
					}
					evs = append(evs, StageEvent{l.ID, b.stage, at})
				}
				if len(lifecycle) == 0 && current >= 0 {
					if v := strings.TrimSpace(t.rec[current]); v != "" {
						evs = append(evs, StageEvent{l.ID, t.intern(m.stage(v, HubSpotLifecycleStages)), l.CreatedAt})
					}
				}
				seen[l.ID] = true
				leads[l.ID] = l.CreatedAt
				e.Leads = append(e.Leads, l)
				e.StageEvents = append(e.StageEvents, evs...)
				t.keep()
			}
		})
		if err != nil {
			return nil, err
		}
	}
	if haveDeals {
		err := readFile(fsys, dealsFile, func(r io.Reader) error {
			t, err := openTable(r, dealsFile, rep, hsDealSpecs, o)
			if err != nil {
				return err
			}
			seen := make(map[string]bool)
			rules := oppRules{stageDefaults: HubSpotDealStages, anyAmount: true, leadFile: contactsFile, leadOf: map[string]string{}, guess: hubSpotClosedStage}
			pipelines := map[string]int{}
			var unknown, later int // deals whose contacts are not in the export, or were created after the deal
			defer func() {
				if unknown > 0 {
					rep.warn(dealsFile, t.header[t.col["contact_ids"]], unknown, "%d deals name no contact of %s: kept as deals without a lead", unknown, cmp.Or(contactsFile, HubSpotContactsFile+" (absent)"))
				}
				if later > 0 {
					rep.warn(dealsFile, t.header[t.col["contact_ids"]], later, "%d deals were created before each of their contacts (contacts associated later): kept as deals without a lead", later)
				}
				if len(pipelines) > 1 {
					var ps []string
					for _, p := range slices.Sorted(maps.Keys(pipelines)) {
						ps = append(ps, fmt.Sprintf("%s (%d)", p, pipelines[p]))
					}
					rep.warn(dealsFile, "Pipeline", len(pipelines), "deals in %d pipelines, %s, read as one funnel: their stages are told apart by name only (map them with --mapping, or export one pipeline)", len(pipelines), strings.Join(ps, ", "))
				}
			}()
			for {
				if err := t.next(); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				id := t.get("opportunity_id")
				delete(rules.leadOf, id)
				raw := t.get("contact_ids")
				if raw != "" {
					lead, why := hsContact(raw, t.get("created_at"), leads, o)
					switch why {
					case "":
						rules.leadOf[id] = lead
					case "unknown":
						unknown++
					case "later":
						later++
					}
				}
				if op, ok := readOpp(t, o, seen, leads, rules); ok {
					if raw != "" {
						if op.Attrs == nil {
							op.Attrs = make(map[string]string)
						}
						op.Attrs[t.header[t.col["contact_ids"]]] = t.intern(raw)
					}
					if p := op.Attrs["Pipeline"]; p != "" {
						pipelines[p]++
					}
					e.Opportunities = append(e.Opportunities, op)
					t.keep()
				}
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return e, e.finish(o)
}

// becameStage returns the lifecycle stage named by a HubSpot header
// "Became a <stage> Date" or "Became an <stage> Date".
func becameStage(header string) (string, bool) {
	h := strings.TrimSpace(header)
	const suffix = " date"
	// Compare h's own bytes, ignoring case: a lower-cased copy can differ
	// in length ("İ"), and prefix and suffix must not overlap ("Became a
	// Date").
	if len(h) < len(suffix) || !strings.EqualFold(h[len(h)-len(suffix):], suffix) {
		return "", false
	}
	for _, p := range []string{"became an ", "became a "} {
		if len(h) >= len(p)+len(suffix) && strings.EqualFold(h[:len(p)], p) {
			name := strings.TrimSpace(h[len(p) : len(h)-len(suffix)])
			return name, name != ""
		}
	}
	return "", false
}

// hsContact returns the lead a HubSpot deal belongs to from its
// associated contact ids (raw, "101;102"): the first id that is a contact
// of the export (leads; nil when the export has no contacts) created no
// later than the deal (created, as written) or on its day. why is
// "unknown" when no id is a contact of the export, "later" when each was
// created after the deal, "" when lead is found.
func hsContact(raw, created string, leads map[string]time.Time, o *Options) (lead, why string) {
	at, err := ParseTime(created, o)
	why = "unknown"
	for _, id := range strings.FieldsFunc(raw, func(r rune) bool { return r == ';' || r == ',' }) {
		id = strings.TrimSpace(id)
		c, ok := leads[id]
		if !ok || id == "" {
			continue
		}
		if err == nil && c.After(at) && !sameDay(c, at, o) {
			why = "later"
			continue
		}
		return id, ""
	}
	return "", why
}

// hubSpotClosedStage classifies a HubSpot deal stage label that neither
// the mapping nor HubSpotDealStages knows: a label starting "Closed"
// ("Closed: abandoned", "Closed - Lost to competitor", "Closed won
// (renewal)") is won when it says won, lost otherwise; a label saying
// lost, abandoned or disqualified is lost.
func hubSpotClosedStage(label string) (string, bool) {
	k := normKey(label)
	closed := strings.HasPrefix(k, "closed")
	switch {
	case closed && strings.Contains(k, "won"):
		return "won", true
	case closed, strings.Contains(k, "lost"), strings.Contains(k, "abandon"), strings.Contains(k, "disqualif"):
		return "lost", true
	}
	return "", false
}

// enteredStage returns the lifecycle stage named by a current HubSpot
// header, Date entered "Marketing Qualified Lead (Lifecycle Stage
// Pipeline)": the stage in quotes, without the pipeline in parentheses.
// Only the lifecycle stage pipeline's columns count (a header naming
// another pipeline, a deal pipeline's, is not a lifecycle stage); "Date
// exited" columns are not entries.
func enteredStage(header string) (string, bool) {
	h := strings.TrimSpace(header)
	const prefix = "date entered "
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	name := strings.TrimSpace(h[len(prefix):])
	name = strings.Trim(name, "\"'“”‘’ ")
	if i := strings.LastIndex(name, "("); i >= 0 && strings.HasSuffix(name, ")") {
		pipeline := normKey(name[i+1 : len(name)-1])
		if !strings.Contains(pipeline, "lifecycle") {
			return "", false
		}
		name = strings.TrimSpace(name[:i])
	}
	return name, name != ""
}
