package calibrate

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/funnelsim/funnel/data"
)

// currency returns the model's currency and converts the amounts of
// opportunities in other currencies that Config.Rates has a rate for (in
// a copy of c.e's opportunities). The model's currency is Config.Currency,
// else the one most of the export's opportunities name (ties by code),
// else the base model's. Every currency of the export is reported when
// there are several: how many opportunities, won deals and won amount
// each has, what was converted and what was left out (see foreign).
func (c *calib) currency() string {
	type tally struct {
		n, won int
		amount float64 // won amount
	}
	by := map[string]*tally{}
	for _, o := range c.e.Opportunities {
		if o.Currency == "" {
			continue
		}
		t := by[o.Currency]
		if t == nil {
			t = &tally{}
			by[o.Currency] = t
		}
		t.n++
		if o.Outcome == data.OutcomeWon {
			t.won++
			t.amount += o.Amount
		}
	}
	cur := c.cfg.Currency
	codes := sortedKeys(by)
	if cur == "" {
		sort.SliceStable(codes, func(i, j int) bool { return by[codes[i]].n > by[codes[j]].n })
		if len(codes) > 0 {
			cur = codes[0]
		} else {
			cur = c.cfg.Base.Currency
		}
	}
	if len(by) == 0 || len(by) == 1 && by[cur] != nil {
		return cur
	}
	var parts, converted, left []string
	for _, k := range codes {
		t := by[k]
		parts = append(parts, fmt.Sprintf("%s %d (%d won, worth %.0f)", k, t.n, t.won, t.amount))
		if k == cur {
			continue
		}
		if r, ok := c.cfg.Rates[k]; ok && r > 0 {
			converted = append(converted, fmt.Sprintf("%s at %g %s per %s", k, r, cur, k))
		} else {
			left = append(left, k)
		}
	}
	if len(converted) > 0 {
		opps := slices.Clone(c.e.Opportunities)
		for i := range opps {
			o := &opps[i]
			if r, ok := c.cfg.Rates[o.Currency]; ok && r > 0 && o.Currency != cur {
				o.Amount *= r
				o.Currency = cur
			}
		}
		x := *c.e
		x.Opportunities = opps
		c.e = &x
	}
	msg := fmt.Sprintf("opportunities in %d currencies: %s; the model is in %s", len(by), strings.Join(parts, ", "), cur)
	if c.cfg.Currency == "" {
		msg += ", the currency of most of them"
	}
	if len(converted) > 0 {
		msg += "; converted " + strings.Join(converted, ", ")
	}
	if len(left) > 0 {
		msg += fmt.Sprintf("; the amounts in %s are left out of deal sizes and open pipeline (no rate: pass --rates %s=RATE, in %s per unit, to convert them)",
			strings.Join(left, ", "), left[0], cur)
	}
	c.warn(fmt.Errorf("%s", msg))
	return cur
}

// foreign reports whether o's amount is in a currency other than the
// model's (one Config.Rates did not convert): it is not added to amounts
// in the model's currency.
func (c *calib) foreign(o data.Opportunity) bool {
	return o.Currency != "" && o.Currency != c.m.Currency
}
