package render

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo/whatif"
	"gonum.org/v1/plot"
)

// PlanRows returns plan.csv: a header and one row a line of the worksheet,
// with full precision.
func PlanRows(sheet []whatif.Line) [][]string {
	rows := [][]string{{"line", "needed", "now", "rate"}}
	for _, l := range sheet {
		rows = append(rows, []string{l.Label, CSVNum(l.Value), CSVNum(l.Now), l.Rate})
	}
	return rows
}

// WritePlanSummary prints sim plan's result for people: the worksheet
// sheet (its first line's "now" is revenueNow, the simulated mean revenue
// a quarter), then plan's search with out's coverage and marketing share;
// rates are the model's as measured, plan nil or its fields unset when
// out.Reachable is false.
func WritePlanSummary(w io.Writer, m *model.Model, sheet []whatif.Line, rates whatif.Rates, revenueNow float64, plan *whatif.Plan, out whatif.PlanResult) {
	cur := m.Currency
	goal, prob, reachable := out.Goal, out.Probability, out.Reachable
	fmt.Fprintf(w, "Plan for %s a quarter (model %s): %s simulated quarters per step, seed %d\n\n", Money(goal, cur), m.Name,
		Count(float64(out.Quarters)), out.Seed)
	fmt.Fprintf(w, "1. The worksheet: revenue math backwards, rates measured on the model as it is\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  \tneeded\tnow\trate used\t\n")
	for i, l := range sheet {
		v, now := Count(l.Value), Count(l.Now)
		if i == 0 {
			v, now = Money(l.Value, cur), Money(revenueNow, cur)
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\n", l.Label, v, now, l.Rate)
	}
	tw.Flush()
	fmt.Fprintf(w, "(a quarter, steady state; \"now\" is the simulated mean. It assumes the rates hold at the new volume.)\n\n")
	fmt.Fprintf(w, "2. With uncertainty: MQLs a quarter for %s chance of %s\n", APercent(prob), Money(goal, cur))
	if !reachable {
		fmt.Fprintf(w, "  not reachable by scaling marketing arrivals up to %gx: the SDR queue or sales-sourced volume limits it\n", whatif.DefaultSolveConfig.MaxScale)
	} else {
		fmt.Fprintf(w, "  marketing arrival rates ×%.3f (95%% MC interval %s to %s)\n", plan.Scale, scaleText(plan.ScaleLo), scaleText(plan.ScaleHi))
		fmt.Fprintf(w, "  MQLs a quarter         %s (95%%: %s to %s); now %s\n", Count(plan.MQLs), Count(plan.MQLsLo), countText(plan.MQLsHi), Count(rates.MQLs))
		fmt.Fprintf(w, "  check at that scale    P(revenue ≥ goal) = %s (95%% %s to %s)\n", Percent(plan.Check.P), Percent(plan.Check.PLo), Percent(plan.Check.PHi))
		fmt.Fprintf(w, "  coverage               %s median at quarter start; this funnel needs %s for %s chance (rules of thumb 3x-4x)\n",
			Ratio(float64(out.CoverageMedian)), Ratio(float64(out.CoverageNeeded)), APercent(prob))
		fmt.Fprintf(w, "  marketing share        %s of pipeline created is marketing-sourced in this plan\n", Percent(float64(out.MarketingShare)))
		fmt.Fprintf(w, "  worksheet said         %s MQLs: %s\n", Count(sheet[5].Value), worksheetVerdict(sheet[5].Value, plan.MQLs, plan.MQLsLo, plan.MQLsHi, prob))
	}
	fmt.Fprintf(w, "  scales tried:")
	for _, p := range plan.Points {
		fmt.Fprintf(w, " %.3f→%s", p.Scale, Percent(p.P))
	}
	fmt.Fprintln(w)
	if reachable {
		fmt.Fprintf(w, "(interval: the scales where the 95%% binomial bounds of P(revenue ≥ goal), %s quarters a scale, contain %s%s)\n",
			Count(float64(out.Quarters)), Percent(prob), intervalEnds(plan))
	}
	fmt.Fprintf(w, "(coverage = open pipeline at quarter start ÷ goal; needed: the %s quantile of open pipeline ÷ revenue)\n", Percent(prob))
	for _, warn := range plan.Warnings {
		fmt.Fprintf(w, "Note: %v\n", warn)
	}
}

// worksheetVerdict compares the worksheet's MQLs with the simulation's,
// sim with its 95% interval [lo, hi]: a difference only when the interval
// excludes the worksheet's number, "~" otherwise.
func worksheetVerdict(sheet, sim, lo, hi, prob float64) string {
	interval := fmt.Sprintf("%s to %s", Count(lo), countText(hi))
	if !(sheet > 0) {
		return fmt.Sprintf("the simulation needs %s (95%%: %s)", Count(sim), interval)
	}
	if lo <= sheet && sheet <= hi {
		return fmt.Sprintf("~ the simulation's 95%% interval (%s) contains it: no difference shown", interval)
	}
	pct := func(v float64) string { return Percent(math.Abs(v/sheet - 1)) }
	if sheet < lo {
		more := pct(lo) + " to " + pct(hi)
		if math.IsInf(hi, 1) {
			more = "at least " + pct(lo)
		}
		return fmt.Sprintf("the simulation needs %s more (95%%: %s; the worksheet plans for the mean at today's rates, "+
			"the simulation for %s chance with the queue slowing as volume grows)", pct(sim), more, APercent(prob))
	}
	return fmt.Sprintf("the simulation needs %s fewer (95%%: %s to %s)", pct(sim), pct(hi), pct(lo))
}

// intervalEnds names the scales tried that bound the plan's interval: the
// largest with P below the target beyond its 95% bounds and the smallest
// above it; "" when there is neither.
func intervalEnds(plan *whatif.Plan) string {
	below, above := math.Inf(-1), math.Inf(1)
	for _, p := range plan.Points {
		if p.PHi < plan.Prob {
			below = max(below, p.Scale)
		}
		if p.PLo > plan.Prob {
			above = min(above, p.Scale)
		}
	}
	var ends []string
	if !math.IsInf(below, 0) {
		ends = append(ends, fmt.Sprintf("P is below it at %.3f", below))
	} else {
		ends = append(ends, fmt.Sprintf("no scale tried down to %.3f is below it", whatif.MinScale))
	}
	if !math.IsInf(above, 0) {
		ends = append(ends, fmt.Sprintf("above it at %.3f", above))
	} else {
		ends = append(ends, fmt.Sprintf("none up to %g is above it", whatif.DefaultSolveConfig.MaxScale))
	}
	return "; " + strings.Join(ends, " and ")
}

// scaleText formats a scale of the plan's interval: "1.054", or for +Inf
// "more than 16" (the largest scale Solve tries).
func scaleText(v float64) string {
	if math.IsInf(v, 1) {
		return fmt.Sprintf("more than %g", whatif.DefaultSolveConfig.MaxScale)
	}
	return fmt.Sprintf("%.3f", v)
}

// countText is Count, with "unbounded" for +Inf.
func countText(v float64) string {
	if math.IsInf(v, 1) {
		return "unbounded"
	}
	return Count(v)
}

// APercent formats p as Percent does, after the indefinite article
// it takes when read aloud: "an 80.0%", "an 11.5%", "a 90.0%".
func APercent(p float64) string {
	s := Percent(p)
	if article(s) == "an" {
		return "an " + s
	}
	return "a " + s
}

// article returns the indefinite article of a number written in digits,
// by how it is read: "an" before 8 (eight, eighty, eight hundred...) and
// before 11 and 18 (eleven, eighteen, and eleven or eighteen thousand...
// when the digits before a separator are just those), "a" otherwise.
func article(num string) string {
	lead := num
	if i := strings.IndexAny(num, ".,%x "); i >= 0 {
		lead = num[:i]
	}
	switch {
	case strings.HasPrefix(num, "8"):
		return "an"
	case lead == "11" || lead == "18":
		return "an"
	}
	return "a"
}

// PlanCharts returns sim plan's charts: plan_steps (the worksheet's
// revenue math backwards, needed against now) and plan_curve (the chance
// of the goal against MQLs a quarter at every scale simulated).
func PlanCharts(m *model.Model, sheet []whatif.Line, out whatif.PlanResult) map[string]*plot.Plot {
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
	var steps []PlanStep
	mqlStep, now := "", math.NaN()
	for i, l := range sheet {
		rate, _, _ := strings.Cut(l.Rate, " (") // the parenthesis is in the worksheet's table
		name := people(l.Label)
		steps = append(steps, PlanStep{Name: name, Needed: l.Value, Now: l.Now, Rate: people(rate)})
		if i == len(sheet)-2 { // the MQL line, before the new leads
			mqlStep, now = name, l.Now
		}
	}
	charts := map[string]*plot.Plot{"plan_steps": PlanSteps(steps, out.Goal, out.Currency, mqlStep)}
	var mqls, p, lo, hi []float64
	for _, pt := range out.Points {
		mqls, p, lo, hi = append(mqls, pt.MQLs), append(p, pt.P), append(lo, pt.PLo), append(hi, pt.PHi)
	}
	charts["plan_curve"] = PlanCurve(mqls, p, lo, hi, out.Probability, float64(out.MQLs), now, out.Goal, out.Currency)
	return charts
}
