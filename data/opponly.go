package data

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

var oppOnlySpecs = []colSpec{
	{name: "opportunity_id", required: true, aliases: []string{"id", "opportunity id", "deal id", "record id"}},
	{name: "lead_id", list: true, aliases: []string{"contact id", "converted lead id"}},
	{name: "created_at", required: true, aliases: []string{"engage_date", "created_date", "create date", "created", "createddate", "open_date"}},
	{name: "amount", required: true, aliases: []string{"close_value", "value", "deal value", "deal amount"}},
	{name: "stage", required: true, aliases: []string{"deal_stage", "stagename", "status"}},
	{name: "closed_at", aliases: []string{"close_date", "closed_date", "closedate"}},
	{name: "outcome"},
	{name: "currency", aliases: []string{"currency code", "currencyisocode"}},
	{name: "owner", aliases: []string{"sales_agent", "opportunity owner", "deal owner", "owner name", "agent"}},
}

// oppStageDefaults map common closed stage names to outcomes' stages.
var oppStageDefaults = map[string]string{
	"won": "won", "closedwon": "won", "lost": "lost", "closedlost": "lost",
}

// ReadOpportunitiesOnly reads a generic opportunities file, such as a
// pipeline export without leads, and returns an Export holding only
// Opportunities. name is the file name used in errors.
//
// Columns are found under their canonical names or common aliases:
// opportunity_id (id, deal id), created_at (engage_date, create date),
// amount (close_value, value), stage (deal_stage, stagename), closed_at
// (close_date), owner (sales_agent), and optional lead_id, outcome and
// currency. When there is no outcome column, a stage that maps to "won"
// or "lost" ("Won", "Closed Won", or through Mapping.Stages) closes the
// deal and any other stage leaves it open. The owner goes to
// Attrs["owner"]; other columns (product, account) go to Attrs by header.
//
// Open deals without a creation date (early "Prospecting" deals) are kept
// with CreatedAt zero and counted in a warning; calibration must treat
// their age as unknown. Open deals without an amount get Amount 0. Two
// further warnings flag text columns whose values differ only in case,
// spacing or punctuation ("GTX Pro" and "GTXPro"), and text columns with
// empty values.
//
// Errors are returned as for ReadExport.
func ReadOpportunitiesOnly(r io.Reader, name string, o *Options) (*Export, error) {
	e := new(Export)
	t, err := openTable(r, name, &e.Report, oppOnlySpecs, o)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	noCreated := make(map[string]int)
	for {
		err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		op, ok := readOpp(t, o, seen, nil, oppRules{stageDefaults: oppStageDefaults})
		if !ok {
			continue
		}
		if ow := t.get("owner"); ow != "" {
			if op.Attrs == nil {
				op.Attrs = make(map[string]string)
			}
			op.Attrs["owner"] = ow
		}
		if op.CreatedAt.IsZero() {
			noCreated[op.Stage]++
		}
		e.Opportunities = append(e.Opportunities, op)
		t.keep()
	}
	if n := sumCounts(noCreated); n > 0 {
		e.Report.warn(name, t.header[t.col["created_at"]], n,
			"%d open opportunities have no creation date (%s); kept without one (calibration gives them the median age of the others)", n, formatCounts(noCreated))
	}
	var cols []string
	if t.has("owner") {
		cols = append(cols, "owner")
	}
	for _, i := range t.extra {
		cols = append(cols, t.header[i])
	}
	stageCounts := make(map[string]int)
	for _, op := range e.Opportunities {
		stageCounts[op.Stage]++
	}
	nearDuplicates(&e.Report, name, t.header[t.col["stage"]], stageCounts)
	for _, c := range cols {
		counts := make(map[string]int)
		empty := 0
		for _, op := range e.Opportunities {
			if v, ok := op.Attrs[c]; ok {
				counts[v]++
			} else {
				empty++
			}
		}
		field := c
		if c == "owner" {
			field = t.header[t.col["owner"]]
		}
		nearDuplicates(&e.Report, name, field, counts)
		if empty > 0 && len(counts) > 0 {
			e.Report.warn(name, field, empty, "%d of %d opportunities have no %s", empty, len(e.Opportunities), field)
		}
	}
	return e, e.finish(o)
}

// nearDuplicates warns about values of one column that are equal after
// normKey (lower case, no spaces or punctuation).
func nearDuplicates(rep *Report, file, field string, counts map[string]int) {
	groups := make(map[string][]string)
	for v := range counts {
		k := normKey(v)
		groups[k] = append(groups[k], v)
	}
	var keys []string
	for k, g := range groups {
		if len(g) > 1 {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		g := groups[k]
		sort.Strings(g)
		var parts []string
		n := 0
		for _, v := range g {
			parts = append(parts, fmt.Sprintf("%q (%d rows)", v, counts[v]))
			n += counts[v]
		}
		rep.warn(file, field, n, "%s look like spellings of one value", strings.Join(parts, ", "))
	}
}

// CheckCategories compares the values of attribute attr of e's leads and
// opportunities with a reference list (a product or sector lookup) and
// adds a warning to e.Report for each value that matches a reference
// value only after ignoring case, spaces and punctuation ("GTXPro" for
// "GTX Pro"), and one warning listing values not in the reference at all.
func CheckCategories(e *Export, attr string, reference []string) {
	ref := make(map[string]string, len(reference))
	exact := make(map[string]bool, len(reference))
	for _, r := range reference {
		ref[normKey(r)] = r
		exact[r] = true
	}
	counts := make(map[string]int)
	for _, l := range e.Leads {
		if v, ok := l.Attrs[attr]; ok {
			counts[v]++
		}
	}
	for _, op := range e.Opportunities {
		if v, ok := op.Attrs[attr]; ok {
			counts[v]++
		}
	}
	var vals []string
	for v := range counts {
		vals = append(vals, v)
	}
	sort.Strings(vals)
	var unknown []string
	n := 0
	for _, v := range vals {
		if exact[v] {
			continue
		}
		if r, ok := ref[normKey(v)]; ok {
			e.Report.warn("", attr, counts[v], "%q (%d rows) looks like the reference value %q", v, counts[v], r)
			continue
		}
		unknown = append(unknown, fmt.Sprintf("%q", v))
		n += counts[v]
	}
	if len(unknown) > 0 {
		e.Report.warn("", attr, n, "values not in the reference list: %s", strings.Join(unknown, ", "))
	}
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// formatCounts renders {"a": 2, "b": 1} as "a: 2, b: 1", sorted by key.
func formatCounts(m map[string]int) string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
