package data

import (
	"fmt"
	"io"
	"io/fs"
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
		{name: "source", aliases: []string{"Original Source", "Original Source Type", "hs_analytics_source"}},
		{name: "owner", aliases: []string{"Contact owner", "HubSpot Owner", "Owner"}},
		{name: "score", aliases: []string{"HubSpot Score", "Lead Score"}},
		{name: "segment"},
	}
	hsDealSpecs = []colSpec{
		{name: "opportunity_id", required: true, aliases: []string{"Deal ID", "Record ID", "hs_object_id"}},
		{name: "lead_id", list: true, aliases: []string{"Associated Contact IDs", "Associated Contact ID", "Contact ID", "Contact IDs"}},
		{name: "created_at", required: true, aliases: []string{"Create Date", "Created Date", "createdate"}},
		{name: "amount", aliases: []string{"Amount"}},
		{name: "stage", required: true, aliases: []string{"Deal Stage", "dealstage"}},
		{name: "closed_at", aliases: []string{"Close Date", "closedate"}},
		{name: "currency", aliases: []string{"Currency", "Deal Currency Code", "deal_currency_code"}},
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
// Source). Every "Became a(n) <stage> Date" column with a value gives a
// stage event; the stage is <stage> through o.Mapping.Stages, then
// HubSpotLifecycleStages (Subscriber is known, Lead engaged, Marketing
// Qualified Lead mql, Sales Qualified Lead sal, Opportunity, Customer
// won). A contact with an unparseable or out-of-order lifecycle date is
// rejected as a whole.
//
// Each deal (Deal ID or Record ID, Deal Stage, Amount, Create Date, Close
// Date) is an opportunity, linked to the first id of an associated
// contact ID column when there is one. A deal stage that maps to "won"
// or "lost" closes the deal; an open deal's Close Date goes to
// Attrs["expected_close"]; a missing Amount is 0.
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
			extra := t.extra[:0]
			for _, i := range t.extra {
				if name, ok := becameStage(t.header[i]); ok {
					lifecycle = append(lifecycle, became{i, m.stage(name, HubSpotLifecycleStages)})
					continue
				}
				extra = append(extra, i)
			}
			t.extra = extra
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
					if at.Before(l.CreatedAt) {
						t.rejectAt(b.col, ReasonBeforeCreated, fmt.Errorf("%s %s is before lead %q was created (%s)",
							t.header[b.col], at.Format(time.RFC3339), l.ID, l.CreatedAt.Format(time.RFC3339)))
						continue rows
					}
					evs = append(evs, StageEvent{l.ID, b.stage, at})
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
			rules := oppRules{stageDefaults: HubSpotDealStages, anyAmount: true, leadFile: contactsFile}
			for {
				if err := t.next(); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				if op, ok := readOpp(t, o, seen, leads, rules); ok {
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
