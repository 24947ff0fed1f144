package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// A funnel of leads and deals written, in TestDialects, as each CRM
// writes its exports: Salesforce Data Export (Windows-1252, with
// LeadHistory), Salesforce report exports (labels, DD-MM-YYYY dates,
// Indian digit grouping, trailers, no history), Data Loader extracts
// (upper-case API names, ISO times, no history), current HubSpot contacts
// and deals ("Date entered" lifecycle columns), and HubSpot deals alone.

type synStatus struct {
	status string // a Salesforce lead status
	at     time.Time
}

type synLead struct {
	id, source string
	created    time.Time
	path       []synStatus // from creation; the last is the current status
	convAt     time.Time   // zero when not converted
	opp        *synOpp
}

type synOpp struct {
	id, lead        string
	created, closed time.Time // closed: the close date, or the expected close of an open deal
	won, open       bool
	amount          float64
}

const (
	stNew       = "Open - Not Contacted"
	stWorking   = "Working - Contacted"
	stQualified = "Qualified"
	stConverted = "Closed - Converted"
	stLost      = "Closed - Not Converted"
)

// synFunnel draws 30 weeks of a funnel from 2024-01-01: about 25 leads a
// week from three sources, their status changes, conversions into deals
// that close after a lognormal time (a tenth of them the day they were
// created), and 40 sales-sourced deals linked to no lead.
func synFunnel(seed uint64) (leads []*synLead, opps []*synOpp, asOf time.Time) {
	r := rand.New(rand.NewPCG(seed, 20))
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	asOf = start.AddDate(0, 0, 7*30)
	workTime := func() time.Time {
		for {
			d := start.AddDate(0, 0, r.IntN(7*30))
			if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				return d.Add(time.Duration(8*60+r.IntN(10*60)) * time.Minute).Add(time.Duration(r.IntN(60)) * time.Second)
			}
		}
	}
	days := func(mean float64) time.Duration {
		return time.Duration(r.ExpFloat64() * mean * 24 * float64(time.Hour))
	}
	newOpp := func(id, lead string, created time.Time) *synOpp {
		o := &synOpp{id: id, lead: lead, created: created, amount: math.Round(20000*math.Exp(0.7*r.NormFloat64())) + 0.5*float64(r.IntN(2))}
		if r.Float64() < 0.1 {
			o.closed = time.Date(created.Year(), created.Month(), created.Day(), 0, 0, 0, 0, time.UTC) // won the day it was created
			o.won = true
		} else {
			o.closed = created.Add(time.Duration(20 * math.Exp(0.8*r.NormFloat64()) * 24 * float64(time.Hour)))
			o.won = r.Float64() < 0.35
		}
		if o.closed.After(asOf) {
			o.open, o.won = true, false
		}
		return o
	}
	for i := range 750 {
		l := &synLead{id: fmt.Sprintf("00Q%015d", i+1), created: workTime()}
		switch u := r.Float64(); {
		case u < 0.5:
			l.source = "Web"
		case u < 0.8:
			l.source = "Referral"
		default:
			l.source = "Partner Program"
		}
		l.path = []synStatus{{stNew, l.created}}
		at := l.created
		step := func(mean float64, p float64, next string) bool {
			at = at.Add(days(mean))
			if at.After(asOf) {
				return false
			}
			if r.Float64() >= p {
				l.path = append(l.path, synStatus{stLost, at})
				return false
			}
			l.path = append(l.path, synStatus{next, at})
			return true
		}
		if step(1, 0.75, stWorking) && step(3, 0.8, stQualified) && step(5, 0.5, stConverted) {
			l.convAt = at
			l.opp = newOpp(fmt.Sprintf("006%015d", i+1), l.id, at)
			opps = append(opps, l.opp)
		}
		leads = append(leads, l)
	}
	for i := range 40 {
		opps = append(opps, newOpp(fmt.Sprintf("006S%014d", i+1), "", workTime()))
	}
	return leads, opps, asOf
}

func (l *synLead) status() string { return l.path[len(l.path)-1].status }

// csvLine quotes every field, as Salesforce's Data Export does.
func csvLine(fields ...string) string {
	q := make([]string, len(fields))
	for i, f := range fields {
		q[i] = `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
	}
	return strings.Join(q, ",") + "\n"
}

func writeSyn(t *testing.T, dir, name, text string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// lakh writes an amount with Indian digit grouping: $1,40,000.00.
func lakh(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	whole, frac, _ := strings.Cut(s, ".")
	var parts []string
	if len(whole) > 3 {
		parts = append([]string{whole[len(whole)-3:]}, parts...)
		whole = whole[:len(whole)-3]
		for len(whole) > 2 {
			parts = append([]string{whole[len(whole)-2:]}, parts...)
			whole = whole[:len(whole)-2]
		}
	}
	if whole != "" {
		parts = append([]string{whole}, parts...)
	}
	return "$" + strings.Join(parts, ",") + "." + frac
}

func oppStage(o *synOpp) string {
	switch {
	case o.open:
		return "Negotiation/Review"
	case o.won:
		return "Closed Won"
	}
	return "Closed Lost"
}

func b01(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// writeDataExport writes Setup > Data Export's Lead.csv, LeadHistory.csv
// and Opportunity.csv: Windows-1252, every field quoted, datetimes in GMT,
// dates as "YYYY-MM-DD 00:00:00", null ids.
func writeDataExport(t *testing.T, dir string, leads []*synLead, opps []*synOpp) {
	const dt, d0 = "2006-01-02 15:04:05", "2006-01-02 00:00:00"
	var lb, hb, ob strings.Builder
	lb.WriteString(csvLine("Id", "IsDeleted", "LastName", "Company", "Status", "LeadSource", "IsConverted", "ConvertedDate", "ConvertedOpportunityId", "CreatedDate", "OwnerId"))
	hb.WriteString(csvLine("Id", "IsDeleted", "LeadId", "CreatedById", "CreatedDate", "Field", "DataType", "OldValue", "NewValue"))
	h := 0
	for _, l := range leads {
		conv, convOpp := "", "000000000000000AAA"
		if l.opp != nil {
			conv, convOpp = l.convAt.Format(d0), l.opp.id
		}
		lb.WriteString(csvLine(l.id, "0", "Müller", "Café Müller GmbH", l.status(), l.source, b01(l.opp != nil), conv, convOpp, l.created.Format(dt), "005000000000001AAA"))
		h++
		hb.WriteString(csvLine(fmt.Sprintf("017%015d", h), "0", l.id, "005000000000001AAA", l.created.Format(dt), "created", "Text", "", ""))
		for k := 1; k < len(l.path); k++ {
			h++
			hb.WriteString(csvLine(fmt.Sprintf("017%015d", h), "0", l.id, "005000000000001AAA", l.path[k].at.Format(dt), "Status", "Text", l.path[k-1].status, l.path[k].status))
		}
	}
	ob.WriteString(csvLine("Id", "IsDeleted", "AccountId", "Name", "StageName", "Amount", "Probability", "CloseDate", "IsClosed", "IsWon", "LeadSource", "CreatedDate", "CampaignId"))
	for _, o := range opps {
		ob.WriteString(csvLine(o.id, "0", "001000000000001AAA", "Deal für "+o.id, oppStage(o), fmt.Sprintf("%.2f", o.amount), "50", o.closed.Format(d0),
			b01(!o.open), b01(o.won), "Web", o.created.Format(dt), "000000000000000AAA"))
	}
	enc := func(s string) string {
		b, err := charmap.Windows1252.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	writeSyn(t, dir, "Lead.csv", enc(lb.String()))
	writeSyn(t, dir, "LeadHistory.csv", enc(hb.String()))
	writeSyn(t, dir, "Opportunity.csv", enc(ob.String()))
}

// writeSFReport writes two Salesforce report exports as downloaded: labels,
// DD-MM-YYYY dates, N/A placeholders, Indian digit grouping, and a blank
// row, a totals row and a footer after the last row.
func writeSFReport(t *testing.T, dir string, leads []*synLead, opps []*synOpp) {
	const d = "02-01-2006"
	trailer := func(n int) string {
		return csvLine("") + csvLine(fmt.Sprintf("Grand Totals (%d records)", n)) + csvLine("") +
			csvLine("Confidential Information - Do Not Distribute") + csvLine("Copyright (c) 2000-2024 salesforce.com, inc. All rights reserved.")
	}
	var lb, ob strings.Builder
	lb.WriteString(csvLine("Lead ID", "Created Date", "Lead Source", "Status", "Converted", "Converted Opportunity ID"))
	for i, l := range leads {
		src, conv := l.source, "N/A"
		if i%50 == 7 {
			src = "N/A"
		}
		if l.opp != nil {
			conv = l.opp.id
		}
		lb.WriteString(csvLine(l.id, l.created.Format(d), src, l.status(), b01(l.opp != nil), conv))
	}
	lb.WriteString(trailer(len(leads)))
	ob.WriteString(csvLine("Opportunity ID", "Created Date", "Stage", "Close Date", "Closed", "Won", "Amount"))
	total := 0.0
	for _, o := range opps {
		ob.WriteString(csvLine(o.id, o.created.Format(d), oppStage(o), o.closed.Format(d), b01(!o.open), b01(o.won), lakh(o.amount)))
		total += o.amount
	}
	ob.WriteString(",,,,,,\n" + fmt.Sprintf(`"Grand Totals (%d records)",,,,,,"%s"`+"\n", len(opps), lakh(total)))
	writeSyn(t, dir, "report1700000000000.csv", lb.String())
	writeSyn(t, dir, "report1700000000001.csv", ob.String())
}

// writeDataLoader writes Data Loader extracts: UTF-8 with a BOM, upper-case
// API names, ISO datetimes with milliseconds, dates without a time; the
// second extract saved as a browser names a second download.
func writeDataLoader(t *testing.T, dir string, leads []*synLead, opps []*synOpp) {
	const dt, d = "2006-01-02T15:04:05.000Z", "2006-01-02"
	var lb, ob strings.Builder
	lb.WriteString("\ufeff" + csvLine("ID", "LASTNAME", "STATUS", "LEADSOURCE", "ISCONVERTED", "CONVERTEDDATE", "CONVERTEDOPPORTUNITYID", "CREATEDDATE"))
	for _, l := range leads {
		conv, convOpp := "", ""
		if l.opp != nil {
			conv, convOpp = l.convAt.Format(d), l.opp.id
		}
		lb.WriteString(csvLine(l.id, "Lee", l.status(), l.source, fmt.Sprint(l.opp != nil), conv, convOpp, l.created.Format(dt)))
	}
	ob.WriteString("\ufeff" + csvLine("ID", "NAME", "STAGENAME", "AMOUNT", "CURRENCYISOCODE", "CLOSEDATE", "ISCLOSED", "ISWON", "CREATEDDATE"))
	for i, o := range opps {
		cur := "USD"
		if i%10 == 3 {
			cur = "EUR" // a multi-currency org
		}
		ob.WriteString(csvLine(o.id, "Deal", oppStage(o), fmt.Sprintf("%.2f", o.amount), cur, o.closed.Format(d), fmt.Sprint(!o.open), fmt.Sprint(o.won), o.created.Format(dt)))
	}
	writeSyn(t, dir, "extract.csv", lb.String())
	writeSyn(t, dir, "extract (1).csv", ob.String())
}

// hsLifecycle are the lifecycle stages a synthetic lead's statuses
// stand for in HubSpot.
var hsLifecycle = map[string]string{stNew: "Lead", stWorking: "Marketing Qualified Lead", stQualified: "Sales Qualified Lead", stConverted: "Opportunity"}

// writeHubSpot writes current HubSpot exports: all-contacts.csv with
// "Date entered" lifecycle columns, minute datetimes in the portal's
// zone, Original Traffic Source and a duplicate header; and the deals,
// with Is Deal Closed?, Deal probability, Pipeline and a "Closed:
// abandoned" stage. Without contacts, only the deals file.
func writeHubSpot(t *testing.T, dir string, leads []*synLead, opps []*synOpp, contacts bool) {
	const dt = "2006-01-02 15:04"
	stages := []string{"Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer"}
	if contacts {
		var cb strings.Builder
		hdr := []string{"Record ID", "First Name", "Last Name", "Email", "Create Date", "Lifecycle Stage", "Original Traffic Source"}
		for _, s := range stages {
			hdr = append(hdr, `Date entered "`+s+` (Lifecycle Stage Pipeline)"`, `Date exited "`+s+` (Lifecycle Stage Pipeline)"`)
		}
		hdr = append(hdr, "Email")
		cb.WriteString(csvLine(hdr...))
		for i, l := range leads {
			entered := map[string]time.Time{}
			current := ""
			for _, p := range l.path {
				if s, ok := hsLifecycle[p.status]; ok {
					entered[s] = p.at
					current = s
				}
			}
			if l.opp != nil && l.opp.won {
				entered["Customer"], current = l.opp.closed, "Customer"
				if l.opp.closed.Before(l.opp.created) {
					entered["Customer"] = l.opp.created
				}
			}
			row := []string{fmt.Sprint(1000 + i), "Ada", "Lovelace", fmt.Sprintf("ada%d@example.com", i), l.created.Format(dt), current, map[string]string{"Web": "Organic Search", "Referral": "Referrals", "Partner Program": "Offline Sources"}[l.source]}
			for _, s := range stages {
				in := ""
				if at, ok := entered[s]; ok {
					in = at.Format(dt)
				}
				row = append(row, in, "") // Date exited: not read
			}
			row = append(row, fmt.Sprintf("ada%d@example.com", i))
			cb.WriteString(csvLine(row...))
		}
		writeSyn(t, dir, "all-contacts.csv", cb.String())
	}
	contact := map[string]string{}
	for i, l := range leads {
		contact[l.id] = fmt.Sprint(1000 + i)
	}
	var db strings.Builder
	db.WriteString(csvLine("Record ID", "Deal Name", "Deal Stage", "Pipeline", "Amount", "Create Date", "Close Date", "Is Deal Closed?", "Deal probability", "Associated Contact IDs", "Deal owner"))
	for i, o := range opps {
		stage, prob := "Contract Sent", "0.8"
		switch {
		case o.won:
			stage, prob = "Closed Won", "1"
		case !o.open && i%3 == 0:
			stage, prob = "Closed: abandoned", "0"
		case !o.open:
			stage, prob = "Closed Lost", "0"
		}
		pipeline := "Sales Pipeline"
		if o.lead == "" {
			pipeline = "Partner Pipeline"
		}
		db.WriteString(csvLine(fmt.Sprint(5000+i), "Deal "+o.id, stage, pipeline, fmt.Sprintf("%.2f", o.amount), o.created.Format(dt), o.closed.Format(dt),
			fmt.Sprint(!o.open), prob, contact[o.lead], "Ann Smith"))
	}
	writeSyn(t, dir, "hubspot-crm-exports-all-deals-2024-07-29.csv", db.String())
}

// TestDialects takes a synthetic funnel written in each CRM dialect from
// download to forecast with no hand edits and no flags: import, inspect,
// calibrate (from the canonical folder and from the raw download) and
// forecast. No row is rejected (among them deals won the day they were
// created), the export's own sources are fitted, and opportunity->won is
// estimated, not the base model's.
func TestDialects(t *testing.T) {
	leads, opps, _ := synFunnel(1)
	sameDay := 0
	for _, o := range opps {
		if o.won && o.closed.Before(o.created) {
			sameDay++
		}
	}
	if sameDay < 10 {
		t.Fatalf("only %d deals won the day they were created", sameDay)
	}
	for _, tt := range []struct {
		name    string
		write   func(t *testing.T, dir string)
		format  string
		sources []string // sources the calibrated model has
		// Transitions fitted, with the p simulated; within 0.07, 4
		// standard errors of a proportion of 30-80% on 450 to 750 stays.
		p map[string]float64
	}{
		{"salesforce-data-export", func(t *testing.T, dir string) { writeDataExport(t, dir, leads, opps) }, "salesforce", []string{"Partner Program", "Referral", "Web"},
			map[string]float64{"mql -> tql": 0.75, "tql -> sal": 0.8, "sal -> opportunity": 0.5}},
		{"salesforce-report", func(t *testing.T, dir string) { writeSFReport(t, dir, leads, opps) }, "salesforce", []string{"Partner Program", "Referral", "Web"},
			map[string]float64{"lead -> opportunity": 0.3}},
		{"salesforce-data-loader", func(t *testing.T, dir string) { writeDataLoader(t, dir, leads, opps) }, "salesforce", []string{"Partner Program", "Referral", "Web"},
			map[string]float64{"lead -> opportunity": 0.3}},
		{"hubspot", func(t *testing.T, dir string) { writeHubSpot(t, dir, leads, opps, true) }, "hubspot", []string{"Offline Sources", "Organic Search", "Referrals"},
			map[string]float64{"engaged -> mql": 0.75, "mql -> sal": 0.8, "sal -> opportunity": 0.5}},
		{"hubspot-deals", func(t *testing.T, dir string) { writeHubSpot(t, dir, leads, opps, false) }, "hubspot", []string{"pipeline"}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			tmp := t.TempDir()
			raw, exp := filepath.Join(tmp, "download"), filepath.Join(tmp, "export")
			tt.write(t, raw)
			out, _, err := runSim(t, ctx, "import", raw, "--out", exp)
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			if !strings.Contains(out, "("+tt.format+" format)") || !strings.Contains(out, ", 0 rejected (0.0%)") {
				t.Errorf("import:\n%s", out)
			}
			rejects, err := os.ReadFile(filepath.Join(exp, "rejects.csv"))
			if err != nil || strings.Count(string(rejects), "\n") != 1 {
				t.Errorf("rejects.csv: %v\n%s", err, rejects)
			}
			if out, _, err := runSim(t, ctx, "inspect", exp); err != nil || !strings.Contains(out, "rejected: none") {
				t.Errorf("inspect: %v\n%s", err, out)
			}
			model := filepath.Join(tmp, "model.yaml")
			cal, _, err := runSim(t, ctx, "calibrate", exp, "-o", model, "--out", filepath.Join(tmp, "calibration"), "-q")
			if err != nil {
				t.Fatalf("calibrate: %v", err)
			}
			for _, s := range tt.sources {
				if !regexp.MustCompile(`(?m)^Source ` + regexp.QuoteMeta(s) + `: [0-9.,]+ leads/week into [a-z]+, deal size`).MatchString(cal) {
					t.Errorf("calibrate: no fitted rate for source %s:\n%s", s, cal)
				}
			}
			if !regexp.MustCompile(`(?m)^opportunity -> won +[0-9.]+% \(`).MatchString(cal) {
				t.Errorf("calibrate: opportunity -> won not fitted:\n%s", cal)
			}
			for edge, want := range tt.p {
				m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(edge) + ` +([0-9.]+)% \(`).FindStringSubmatch(cal)
				if m == nil {
					t.Errorf("calibrate: %s not fitted:\n%s", edge, cal)
					continue
				}
				var got float64
				fmt.Sscan(m[1], &got)
				if math.Abs(got/100-want) > 0.07 {
					t.Errorf("calibrate: %s %.1f%%, want %.0f%% within 7 points", edge, got, 100*want)
				}
			}
			if strings.Contains(cal, "rate_per_week =") {
				t.Errorf("calibrate kept the base model's arrival rates:\n%s", cal)
			}
			if tt.name == "salesforce-data-loader" {
				// Several currencies: reported, the commonest used, the
				// others converted with --rates.
				md, _ := os.ReadFile(filepath.Join(tmp, "calibration", "calibration.md"))
				if !strings.Contains(string(md), "opportunities in 2 currencies: USD 226 (72 won, worth 2037242), EUR 25 (10 won, worth 246558); the model is in USD") || !strings.Contains(string(md), "the amounts in EUR are left out of deal sizes and open pipeline") {
					t.Errorf("calibration.md does not report the currencies:\n%s", md)
				}
				if _, _, err := runSim(t, ctx, "calibrate", exp, "--rates", "EUR=1.1", "-o", filepath.Join(tmp, "model3.yaml"), "--out", filepath.Join(tmp, "calibration3"), "-q"); err != nil {
					t.Fatal(err)
				}
				md, _ = os.ReadFile(filepath.Join(tmp, "calibration3", "calibration.md"))
				if !strings.Contains(string(md), "converted EUR at 1.1 USD per EUR") {
					t.Errorf("--rates EUR=1.1: calibration.md:\n%s", md)
				}
			}
			// Calibrating the download itself reads it the same way.
			cal2, _, err := runSim(t, ctx, "calibrate", raw, "-o", filepath.Join(tmp, "model2.yaml"), "--out", filepath.Join(tmp, "calibration2"), "-q")
			if err != nil {
				t.Fatalf("calibrate %s: %v", raw, err)
			}
			if strip := func(s string) string { return strings.SplitN(s, "\n", 2)[1] }; strip(strings.ReplaceAll(cal2, "model2.yaml", "model.yaml")) == "" || !strings.Contains(cal2, "opportunity -> won") {
				t.Errorf("calibrate of the download:\n%s", cal2)
			}
			fc, _, err := runSim(t, ctx, "forecast", "--model", model, "--quarters", "200", "--out", filepath.Join(tmp, "forecast"))
			if err != nil {
				t.Fatalf("forecast: %v", err)
			}
			if !strings.Contains(fc, "Revenue ") {
				t.Errorf("forecast:\n%s", fc)
			}
			t.Logf("%s\n%s", cal, fc)
		})
	}
}
