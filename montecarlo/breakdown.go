package montecarlo

import (
	"math"

	"github.com/funnelsim/funnel/model"
)

// PeriodReport names the stretch of the calendar a simulated quarter
// stands for (see model.Model.Calendar).
type PeriodReport struct {
	Name  string `json:"name"`  // "Q3 FY2026", or the dates of a window that is not a fiscal quarter
	Label string `json:"label"` // "Q3 FY2026, Jul 1 - Sep 30, 2026"
	Start string `json:"start"` // first day, YYYY-MM-DD
	End   string `json:"end"`   // last day, YYYY-MM-DD, inclusive
}

// NewPeriodReport returns p's report.
func NewPeriodReport(p model.Period) PeriodReport {
	return PeriodReport{Name: p.Name, Label: p.String(), Start: p.Start.Format(model.DateLayout), End: p.End.Format(model.DateLayout)}
}

// Movement is the pipeline's movement in the first quarter, amounts in
// currency, each summarised over the simulated quarters: Opening (open
// at its start) + Created − Won − Lost = Closing (open at its end), in
// every quarter; Slipped is the part of Closing already open at the start.
// Lost counts every opportunity leaving the pipeline other than won (lost,
// disqualified, recycled).
type Movement struct {
	Opening      Summary `json:"opening"`
	Created      Summary `json:"created"`
	Won          Summary `json:"won"`
	Lost         Summary `json:"lost"`
	Closing      Summary `json:"closing"`
	Slipped      Summary `json:"slipped"`
	OpeningDeals Summary `json:"opening_deals"`
	CreatedDeals Summary `json:"created_deals"`
	WonDeals     Summary `json:"won_deals"`
	LostDeals    Summary `json:"lost_deals"`
	ClosingDeals Summary `json:"closing_deals"`
}

// Breakdown is the first quarter's revenue, deals won and pipeline
// created of a part of the funnel: a source, the sources of a segment, or
// those of a team (marketing- or sales-sourced), each summarised over the
// simulated quarters. RevenueShare and CreatedShare are its shares of
// their totals over all quarters (NaN, null, when the total is 0).
type Breakdown struct {
	By           string  `json:"by"`   // "source", "segment" or "team"
	Name         string  `json:"name"` // the source's, segment's ("" for sources without one) or team's name
	Revenue      Summary `json:"revenue"`
	DealsWon     Summary `json:"deals_won"`
	Created      Summary `json:"pipeline_created"`
	OppsCreated  Summary `json:"opportunities_created"`
	RevenueShare Float   `json:"revenue_share"`
	CreatedShare Float   `json:"pipeline_created_share"`
}

// Total is the sum over the first Quarters quarters of each run (at most
// four: a year), summarised over runs; QuotaChance is the share of runs
// whose sum reaches Quarters times the quota (nil without a quota).
type Total struct {
	Quarters    int     `json:"quarters"`
	Revenue     Summary `json:"revenue"`
	DealsWon    Summary `json:"deals_won"`
	QuotaChance *Chance `json:"prob_hit_quota,omitempty"`
}

// movement returns r's first-quarter pipeline movement.
func movement(r *Results) *Movement {
	first := func(x []float64) []float64 { return r.Period(x, 0) }
	created, deals := first(r.MktValue), first(r.MktCreated)
	sv, sd := first(r.SalesValue), first(r.SalesCreated)
	for i := range created {
		created[i] += sv[i]
		deals[i] += sd[i]
	}
	return &Movement{
		Opening: Summarize(first(r.OpenPipeline)), Created: Summarize(created), Won: Summarize(first(r.Revenue)),
		Lost: Summarize(first(r.LostValue)), Closing: Summarize(first(r.ClosingPipeline)), Slipped: Summarize(first(r.SlippedValue)),
		OpeningDeals: Summarize(first(r.OpenDeals)), CreatedDeals: Summarize(deals), WonDeals: Summarize(first(r.Won)),
		LostDeals: Summarize(first(r.LostDeals)), ClosingDeals: Summarize(first(r.ClosingDeals)),
	}
}

// breakdowns returns r's first-quarter breakdowns of m: by source, then
// by segment when a source has one, then by team.
func breakdowns(m *model.Model, r *Results) []Breakdown {
	J := len(m.Sources)
	if J == 0 || len(r.SrcRevenue) != J*r.Quarters*r.Horizon {
		return nil
	}
	type group struct {
		by, name string
		members  []int
	}
	var groups []group
	for j, s := range m.Sources {
		groups = append(groups, group{"source", s.Name, []int{j}})
	}
	add := func(by string, key func(model.Source) string) {
		start := len(groups)
		for j, s := range m.Sources {
			k := key(s)
			i := start
			for ; i < len(groups) && groups[i].name != k; i++ {
			}
			if i == len(groups) {
				groups = append(groups, group{by, k, nil})
			}
			groups[i].members = append(groups[i].members, j)
		}
	}
	for _, s := range m.Sources {
		if s.Segment != "" {
			add("segment", func(s model.Source) string { return s.Segment })
			break
		}
	}
	add("team", func(s model.Source) string {
		if s.SalesSourced {
			return "sales"
		}
		return "marketing"
	})

	totRev, totCreated := sum(r.Period(r.Revenue, 0)), 0.0
	for _, x := range [][]float64{r.MktValue, r.SalesValue} {
		totCreated += sum(r.Period(x, 0))
	}
	out := make([]Breakdown, 0, len(groups))
	col := func(x []float64, members []int) []float64 {
		v := make([]float64, r.Quarters)
		for q := range v {
			base := q * r.Horizon * J
			for _, j := range members {
				v[q] += x[base+j]
			}
		}
		return v
	}
	for _, g := range groups {
		rev, created := col(r.SrcRevenue, g.members), col(r.SrcCreatedV, g.members)
		b := Breakdown{By: g.by, Name: g.name, Revenue: Summarize(rev), DealsWon: Summarize(col(r.SrcWon, g.members)),
			Created: Summarize(created), OppsCreated: Summarize(col(r.SrcCreated, g.members)), RevenueShare: Float(math.NaN()), CreatedShare: Float(math.NaN())}
		if totRev > 0 {
			b.RevenueShare = Float(sum(rev) / totRev)
		}
		if totCreated > 0 {
			b.CreatedShare = Float(sum(created) / totCreated)
		}
		out = append(out, b)
	}
	return out
}

// total returns the sum of each run's first min(Horizon, 4) quarters, or
// nil when the horizon is a single quarter.
func total(m *model.Model, r *Results) *Total {
	n := min(r.Horizon, 4)
	if n < 2 {
		return nil
	}
	rev, won := make([]float64, r.Quarters), make([]float64, r.Quarters)
	for q := range r.Quarters {
		for k := range n {
			rev[q] += r.Revenue[q*r.Horizon+k]
			won[q] += r.Won[q*r.Horizon+k]
		}
	}
	t := &Total{Quarters: n, Revenue: Summarize(rev), DealsWon: Summarize(won)}
	if m.Quota > 0 {
		c := NewChance(countAtLeast(rev, float64(n)*m.Quota))
		t.QuotaChance = &c
	}
	return t
}
