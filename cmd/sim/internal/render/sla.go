package render

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/funnelsim/funnel/montecarlo/whatif"
	"gonum.org/v1/plot"
)

// SLAColumnName names a compliance column for people and in sla.json: a
// model's SLA by its name, a first-touch target by its time, "touch ≤ 5m".
func SLAColumnName(c whatif.ComplianceColumn) string {
	if c.SLA != "" {
		return c.SLA
	}
	return "touch ≤ " + Duration(c.TouchMinutes)
}

// SLARows returns sla.csv: a header and one row a policy of doc, with full
// precision, its compliance columns last.
func SLARows(doc whatif.SLAResult) [][]string {
	head := []string{"policy", "lever", "headcount", "hours", "threshold", "response_p50_minutes", "response_p90_minutes",
		"mqls", "contacted", "qualified", "pipeline_created", "revenue", "revenue_delta_lo95", "revenue_delta_hi95", "revenue_per_sdr",
		"offered_erlangs", "erlang_c_p_wait", "sim_p_wait", "erlang_c_mean_wait_minutes", "sim_mean_wait_minutes"}
	for _, n := range doc.ComplianceColumns {
		head = append(head, "compliance "+n)
	}
	rows := [][]string{head}
	g := func(v montecarlo.Float) string { return CSVNum(float64(v)) }
	for _, p := range doc.Policies {
		row := []string{p.Name, p.Lever, strconv.Itoa(p.Headcount), p.Hours, CSVNum(p.Threshold),
			g(p.RespP50), g(p.RespP90), g(p.MQLs), g(p.Contacted), g(p.Qualified), g(p.Pipeline), g(p.Revenue), g(p.RevenueLo), g(p.RevenueHi), g(p.PerSDR),
			g(p.Offered), g(p.ErlangWait), g(p.SimWait), g(p.ErlangMean), g(p.SimMean)}
		for _, n := range doc.ComplianceColumns {
			row = append(row, g(p.Compliance[n]))
		}
		rows = append(rows, row)
	}
	return rows
}

// SLACharts returns sim sla's charts: moneycurve (revenue against response
// time, one point a policy of pols, pols[0] the base) and compliance (by
// headcount, against the model's first-touch SLA or, without one, the
// smallest of touchMinutes).
func SLACharts(base *model.Model, pols []whatif.PolicyResult, touchMinutes []float64) map[string]*plot.Plot {
	var ps []Policy
	for _, p := range pols {
		// A threshold moves revenue through MQL volume more than through
		// response time: the chart draws it apart.
		ps = append(ps, Policy{Name: p.Name, Minutes: float64(p.RespP50), Revenue: float64(p.Revenue),
			RevLo: float64(pols[0].Revenue + p.RevenueLo), RevHi: float64(pols[0].Revenue + p.RevenueHi), Base: p.Lever == "base",
			Volume: p.Threshold != whatif.DefaultScoreModel.Base})
	}
	// Compliance by headcount against the model's first-touch SLA, or the
	// first target.
	slaName, target, label := "", 0.0, ""
	for _, s := range base.SLAs {
		if s.From == base.Handoff.Stage && len(s.To) == 0 {
			slaName, target = s.Name, s.Target
			label = "first touch within " + Duration(s.Hours*60)
			if s.Business {
				label += " (business)"
			}
			break
		}
	}
	if slaName == "" && len(touchMinutes) > 0 {
		first := slices.Min(touchMinutes)
		slaName = SLAColumnName(whatif.ComplianceColumn{TouchMinutes: first})
		label = "first touch within " + Duration(first)
	}
	byHours := map[string]*Series{}
	var order []string
	for _, p := range pols {
		// Every working-hours coverage tried: a coverage tried at the
		// base headcount alone is a single point.
		if p.Threshold != whatif.DefaultScoreModel.Base || (p.Lever != "base" && p.Lever != "headcount" && p.Lever != "hours" && p.Lever != "grid") {
			continue
		}
		s, ok := byHours[p.Hours]
		if !ok {
			s = &Series{Name: p.Hours}
			byHours[p.Hours] = s
			order = append(order, p.Hours)
		}
		s.X = append(s.X, float64(p.Headcount))
		s.Y = append(s.Y, float64(p.Compliance[slaName]))
	}
	var series []Series
	for _, h := range order {
		s := byHours[h]
		idx := make([]int, len(s.X))
		for i := range idx {
			idx[i] = i
		}
		slices.SortFunc(idx, func(a, b int) int { return int(s.X[a] - s.X[b]) })
		var x, y []float64
		for _, i := range idx {
			x, y = append(x, s.X[i]), append(y, s.Y[i])
		}
		series = append(series, Series{Name: s.Name + " hours", X: x, Y: y})
	}
	return map[string]*plot.Plot{
		"moneycurve": MoneyCurve(ps, base.Currency),
		"compliance": ComplianceByHeadcount(series, target, label),
	}
}

// WriteSLAReport prints sim sla's result for people: doc's policies, their
// compliance, what each threshold of effects (one a policy, the zero value
// for none) does to base, Erlang C against the simulated queue, and doc's
// headcount search.
func WriteSLAReport(w io.Writer, base *model.Model, doc whatif.SLAResult, effects []whatif.ThresholdEffect) {
	pols, names, search := doc.Policies, doc.ComplianceColumns, doc.Search
	cur := base.Currency
	design := "one lever at a time around the base"
	if doc.Design == "grid" {
		design = "every combination of the levers"
	}
	fmt.Fprintf(w, "Response policies for %s: %s simulated quarters each, seed %d, %s\n", base.Name, Count(float64(doc.Quarters)), doc.Seed, design)
	fmt.Fprintf(w, "Base: %s, %s hours, MQL threshold %g\n\n", whatif.SDRs(base.Handoff.SDR.Headcount), whatif.CoverageName(base.Handoff.SDR.Hours), whatif.DefaultScoreModel.Base)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  policy\tresponse P50\tP90\tMQLs\tcontacted\tqualified\tpipeline\trevenue\tvs base (95%%)\tper SDR\t\n")
	for _, p := range pols {
		vs := ""
		if p.Lever != "base" {
			d := (p.RevenueLo + p.RevenueHi) / 2
			vs = SignedValue(float64(d), whatif.Money, cur) + " ± " + Money(float64(p.RevenueHi-d), cur)
			if p.RevenueLo <= 0 && p.RevenueHi >= 0 {
				vs = "~ " + vs
			}
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", p.Name, Duration(float64(p.RespP50)), Duration(float64(p.RespP90)),
			Count(float64(p.MQLs)), Count(float64(p.Contacted)), Count(float64(p.Qualified)),
			Money(float64(p.Pipeline), cur), Money(float64(p.Revenue), cur), vs, Money(float64(p.PerSDR), cur))
	}
	tw.Flush()
	fmt.Fprintf(w, "(response times: median over quarters of each quarter's P50 and P90; volumes and money: mean a quarter)\n")

	fmt.Fprintf(w, "\nSLA compliance (share of leads meeting it, all quarters)\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  policy\t%s\t\n", strings.Join(names, "\t"))
	for _, p := range pols {
		var cells []string
		for _, n := range names {
			cells = append(cells, Percent(float64(p.Compliance[n])))
		}
		fmt.Fprintf(tw, "  %s\t%s\t\n", p.Name, strings.Join(cells, "\t"))
	}
	tw.Flush()
	fmt.Fprintf(w, "(touch ≤ X: wall-clock time from MQL to first touch; the model's SLAs as defined in it)\n")

	var thr []whatif.ThresholdEffect
	for _, e := range effects {
		if e.Threshold != 0 {
			thr = append(thr, e)
		}
	}
	if len(thr) > 0 {
		fmt.Fprintf(w, "\nMQL threshold (score model: logistic scores, location %g, scale %g; rates measured at %g)\n",
			whatif.DefaultScoreModel.Location, whatif.DefaultScoreModel.Scale, whatif.DefaultScoreModel.Base)
		for _, e := range thr {
			fmt.Fprintf(w, "  threshold %g: volume ×%.3f (into %s %s → %s), quality ×%.3f (qualify %s → %s)\n", e.Threshold, e.Volume,
				base.Handoff.Stage, Percent(e.IntoP0), Percent(e.IntoP), e.Quality, Percent(e.QualifyP0), Percent(e.QualifyP))
		}
	}

	fmt.Fprintf(w, "\nErlang C (M/M/c) against the simulated queue, by headcount\n")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  policy\tSDRs\toffered\tload\tP(wait) Erlang\tsimulated\tmean wait Erlang\tsimulated\t\n")
	for _, p := range pols {
		if p.Threshold != whatif.DefaultScoreModel.Base {
			continue
		}
		fmt.Fprintf(tw, "  %s\t%d\t%.2f E\t%s\t%s\t%s\t%s\t%s\t\n", p.Name, p.Headcount, float64(p.Offered),
			Percent(float64(p.Offered)/float64(p.Headcount)), Percent(float64(p.ErlangWait)), Percent(float64(p.SimWait)),
			Duration(float64(p.ErlangMean)), Duration(float64(p.SimMean)))
	}
	tw.Flush()
	fmt.Fprintf(w, "(offered load a = λ·mean handle, λ = MQLs per working hour of the team; simulated mean wait over the first quarter of %d runs)\n", min(doc.Quarters, montecarlo.RespSampleRuns))
	if cv := whatif.ErlangCaveats(base); len(cv) > 0 {
		fmt.Fprintf(w, "Erlang C does not hold for this model, so expect the columns to differ:\n")
		for _, c := range cv {
			fmt.Fprintf(w, "  - %s\n", c)
		}
		fmt.Fprintf(w, "  - MQLs are leads that arrived earlier and moved on after a delay, some recycled: not a Poisson stream\n")
	}
	if search != nil {
		fmt.Fprintf(w, "\nSmallest headcount with %s of MQLs touched within %s in at least %s of quarters (%s hours):\n",
			Percent(search.TargetShare), Duration(search.WithinMin), Percent(search.InQuarters), search.Hours)
		if search.Headcount == 0 {
			fmt.Fprintf(w, "  not reachable with up to %s", whatif.SDRs(search.MaxTried))
			if search.Hours != "24x7" {
				fmt.Fprintf(w, ": MQLs arriving off hours wait for the team to start; try --search-hours 24x7")
			}
			fmt.Fprintln(w)
		} else {
			fmt.Fprintf(w, "  %s\n", whatif.SDRs(search.Headcount))
		}
		for _, t := range search.Tried {
			noun := "SDRs:"
			if t.Headcount == 1 {
				noun = "SDR:"
			}
			fmt.Fprintf(w, "  %4d %-5s %s of quarters meet it (mean compliance %s)\n", t.Headcount, noun, Percent(t.Share), Percent(t.Mean))
		}
	}
}
