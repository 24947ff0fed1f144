package main

import (
	"math"
	"strings"

	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo/whatif"
	"gonum.org/v1/plot"
)

// planCharts returns sim plan's charts: plan_steps (the worksheet's
// revenue math backwards, needed against now) and plan_curve (the chance
// of the goal against MQLs a quarter at every scale simulated).
func planCharts(m *model.Model, sheet []whatif.Line, out whatif.PlanResult) map[string]*plot.Plot {
	// The worksheet names steps by stage ("sals from mqls"); the charts
	// write the funnel's acronyms as people do ("SALs from MQLs").
	acro := map[string]string{}
	for _, st := range m.Stages {
		if d := st.DisplayName(); d == strings.ToUpper(st.Name) && d != st.Name {
			acro[st.Name], acro[st.Name+"s"] = d, d+"s"
		}
	}
	people := func(s string) string {
		words := strings.Split(s, " ")
		for i, w := range words {
			if x, ok := acro[w]; ok {
				words[i] = x
			}
		}
		return strings.Join(words, " ")
	}
	var steps []render.PlanStep
	mqlStep, now := "", math.NaN()
	for i, l := range sheet {
		rate, _, _ := strings.Cut(l.Rate, " (") // the parenthesis is in the worksheet's table
		name := people(l.Label)
		steps = append(steps, render.PlanStep{Name: name, Needed: l.Value, Now: l.Now, Rate: people(rate)})
		if i == len(sheet)-2 { // the MQL line, before the new leads
			mqlStep, now = name, l.Now
		}
	}
	charts := map[string]*plot.Plot{"plan_steps": render.PlanSteps(steps, out.Goal, out.Currency, mqlStep)}
	var mqls, p, lo, hi []float64
	for _, pt := range out.Points {
		mqls, p, lo, hi = append(mqls, pt.MQLs), append(p, pt.P), append(lo, pt.PLo), append(hi, pt.PHi)
	}
	charts["plan_curve"] = render.PlanCurve(mqls, p, lo, hi, out.Probability, float64(out.MQLs), now, out.Goal, out.Currency)
	return charts
}
