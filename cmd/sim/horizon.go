package main

import (
	"fmt"

	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"gonum.org/v1/plot"
)

// horizonChart returns the fan chart of a multi-quarter forecast (P10-P90
// band, median, quota) from rep.PerQuarter, or nil when the horizon is a
// single quarter. forecastCharts adds it as "horizon" (horizon.png/svg).
// With a quota, its title gives the chance of making quota in each quarter
// (rep.QuotaByQuarter, as a range over the quarters) and in all of them
// (rep.QuotaEveryQuarter), not whether the median line clears the quota: a
// median above quota in every quarter still misses it in a third of them.
func horizonChart(m *model.Model, rep *montecarlo.Report) *plot.Plot {
	if len(rep.PerQuarter) < 2 {
		return nil
	}
	n := len(rep.PerQuarter)
	qs := make([]string, n)
	p10, p50, p90 := make([]float64, n), make([]float64, n), make([]float64, n)
	for k, s := range rep.PerQuarter {
		qs[k] = fmt.Sprintf("Q%d", k+1)
		if k < len(rep.Periods) {
			qs[k] = rep.Periods[k].Name
		}
		p10[k], p50[k], p90[k] = float64(s.P10), float64(s.P50), float64(s.P90)
	}
	p := render.Fan(qs, p10, p50, p90, m.Quota, m.Currency)
	if len(rep.QuotaByQuarter) == n && rep.QuotaEveryQuarter != nil {
		each := make([]float64, n)
		for k, c := range rep.QuotaByQuarter {
			each[k] = float64(c.P)
		}
		render.Retitle(p, render.QuotaHorizonTitle(each, float64(rep.QuotaEveryQuarter.P), rep.Quarters, m.Quota, m.Currency))
	}
	if t := rep.RevenueTotal; t != nil {
		what := "Year"
		if t.Quarters < 4 {
			what = "Total"
		}
		money := func(v montecarlo.Float) string { return render.Money(float64(v), m.Currency) }
		render.Resubtitle(p, fmt.Sprintf("Revenue a quarter, pipeline carried over · band: P10–P90 · line: median\n%s %s: median %s (P10–P90 %s–%s)",
			what, span(rep, t.Quarters), money(t.Revenue.P50), money(t.Revenue.P10), money(t.Revenue.P90)))
	}
	return p
}
