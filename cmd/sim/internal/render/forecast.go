package render

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/funnelsim/funnel/cmd/sim/internal/report"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"gonum.org/v1/plot"
)

// ForecastCharts returns the forecast's charts by file name (without
// extension): revenue, funnel, coverage, and when they apply sla, response,
// waterfall, breakdown and horizon.
func ForecastCharts(m *model.Model, res *montecarlo.Results, rep *montecarlo.Report) map[string]*plot.Plot {
	charts := map[string]*plot.Plot{}
	charts["revenue"] = RevenueHistogram(res.Period(res.Revenue, 0), m.Quota, m.Currency)

	charts["funnel"] = FunnelChart(rep)
	if m.Quota > 0 {
		charts["coverage"] = CoverageHistogram(res.Period(res.Coverage, 0), float64(rep.CoverageNeeded))
	} else {
		charts["coverage"] = PipelineHistogram(res.Period(res.OpenPipeline, 0), m.Currency)
	}

	var slaNames []string
	var comp, targets []float64
	for _, s := range rep.SLA {
		slaNames = append(slaNames, SLACategory(s))
		comp = append(comp, float64(s.PerQuarter.Mean)) // as the summary and compare give it
		t := s.Target
		if t == 0 {
			t = math.NaN()
		}
		targets = append(targets, t)
	}
	if len(slaNames) > 0 {
		charts["sla"] = SLACompliance(slaNames, comp, targets)
	}
	if m.Handoff != nil {
		var sample []float64
		for _, v := range res.RespSample {
			sample = append(sample, v...)
		}
		// The figures are the summary's: a quarter's, averaged over all the
		// quarters; the bars are the sample the engine keeps.
		f := ResponseForecast{Median: float64(rep.ResponseP50.Mean), P90: float64(rep.ResponseP90.Mean),
			Quarters: rep.Quarters, SampleQuarters: len(res.RespSample), MQLs: float64(rep.MQLs.Mean) * float64(rep.Quarters),
			Compliance: math.NaN()}
		for i, s := range m.SLAs { // the first-touch SLA
			if s.From == m.Handoff.Stage && len(s.To) == 0 {
				f.SLA, f.Business, f.Compliance = s.Hours*60, s.Business, float64(rep.SLA[i].PerQuarter.Mean)
				break
			}
		}
		charts["response"] = ResponseSample(sample, f)
	}
	if p := MovementChart(rep); p != nil {
		charts["waterfall"] = p
	}
	if p := SourceBreakdownChart(m, rep); p != nil {
		charts["breakdown"] = p
	}
	// Each chart of the first quarter names it.
	if name := PeriodName(rep); name != "" {
		for _, c := range []string{"revenue", "funnel", "coverage", "sla", "response"} {
			if p := charts[c]; p != nil {
				PrefixTitle(p, name+": ")
			}
		}
	}
	if p := HorizonChart(m, rep); p != nil {
		charts["horizon"] = p
	}
	return charts
}

// QuarterRows returns quarters.csv: a header and one row per simulated
// quarter, with full precision.
func QuarterRows(m *model.Model, r *montecarlo.Results, rep *montecarlo.Report) [][]string {
	head := []string{"run", "quarter", "revenue", "deals_won", "open_pipeline", "open_deals", "coverage",
		"marketing_opps", "marketing_value", "sales_opps", "sales_value", "mqls", "contacted",
		"response_p50_minutes", "response_p90_minutes"}
	for _, s := range m.Stages {
		head = append(head, "entries_"+s.Name)
	}
	for _, s := range m.SLAs {
		head = append(head, "sla_"+s.Name+"_met", "sla_"+s.Name+"_leads")
	}
	head = append(head, "period", "lost_value", "closing_pipeline", "slipped_value")
	rows := [][]string{head}
	f := CSVNum
	S, L := len(m.Stages), len(m.SLAs)
	for i := range r.Quarters * r.Horizon {
		row := []string{strconv.Itoa(i / r.Horizon), strconv.Itoa(i%r.Horizon + 1)}
		for _, x := range [][]float64{r.Revenue, r.Won, r.OpenPipeline, r.OpenDeals, r.Coverage, r.MktCreated, r.MktValue,
			r.SalesCreated, r.SalesValue, r.MQLs, r.Contacted, r.RespP50, r.RespP90} {
			row = append(row, f(x[i]))
		}
		for s := range S {
			row = append(row, f(r.Entries[i*S+s]))
		}
		for a := range L {
			row = append(row, f(r.SLAMet[i*L+a]), f(r.SLAN[i*L+a]))
		}
		period := ""
		if k := i % r.Horizon; k < len(rep.Periods) {
			period = rep.Periods[k].Name
		}
		row = append(row, period, f(r.LostValue[i]), f(r.ClosingPipeline[i]), f(r.SlippedValue[i]))
		rows = append(rows, row)
	}
	return rows
}

// WriteForecastSummary prints the forecast for people.
func WriteForecastSummary(w io.Writer, m *model.Model, rep *montecarlo.Report) {
	cur := m.Currency
	money := func(v montecarlo.Float) string { return Money(float64(v), cur) }
	name := m.Name
	if rep.Scenario != "" {
		name += ", scenario " + rep.Scenario
	}
	switch {
	case rep.Period == nil:
		fmt.Fprintf(w, "Forecast for %s: %s simulated quarters, seed %d\n\n", name, Count(float64(rep.Quarters)), rep.Seed)
	case rep.Horizon > 1:
		fmt.Fprintf(w, "Forecast for %s: %s (%d quarters), %s simulated runs, seed %d\n", name, Span(rep, rep.Horizon), rep.Horizon, Count(float64(rep.Quarters)), rep.Seed)
		fmt.Fprintf(w, "The figures below are for %s; each quarter's revenue and the year's total follow them.\n\n", rep.Period.Label)
	default:
		fmt.Fprintf(w, "Forecast for %s: %s; %s simulated quarters, seed %d\n\n", name, rep.Period.Label, Count(float64(rep.Quarters)), rep.Seed)
	}
	if rep.CalendarNote != "" {
		fmt.Fprintf(w, "%s\n\n", rep.CalendarNote)
	}
	WriteNotFitted(w, rep.NotFitted)
	line := func(label, format string, a ...any) {
		fmt.Fprintf(w, "%-18s%s\n", label, fmt.Sprintf(format, a...))
	}
	r := rep.Revenue
	line("Revenue", "%s mean (± %s), P10 %s, P50 %s, P90 %s", money(r.Mean), money(2*r.SE), money(r.P10), money(r.P50), money(r.P90))
	if m.Quota > 0 {
		if b, ok := BoundedShare(float64(rep.ProbHitQuota), rep.Quarters); ok {
			did := "all " + Count(float64(rep.Quarters))
			if rep.ProbHitQuota == 0 {
				did = "none of " + Count(float64(rep.Quarters))
			}
			line("Chance of quota", "%s of quarters reach the %s quota (%s simulated quarters did; exact 95%% bound)",
				b, Money(m.Quota, cur), did)
		} else {
			line("Chance of quota", "%s (± %s) of quarters reach the %s quota", Percent(float64(rep.ProbHitQuota)),
				Percent(2*float64(rep.ProbHitQuotaSE)), Money(m.Quota, cur))
		}
		c := rep.Coverage
		line("Coverage", "%s median (P10 %s, P90 %s); this funnel needs %s for an 80%% chance (rules of thumb: 3x-4x)",
			Ratio(float64(c.P50)), Ratio(float64(c.P10)), Ratio(float64(c.P90)), Ratio(float64(rep.CoverageNeeded)))
	} else {
		line("Quota", "none in the model: set quota: (a quarter's revenue target) for the chance of making it and pipeline coverage")
	}
	line("Open pipeline", "%s median at quarter start, %s deals", money(rep.OpenPipeline.P50), Count(float64(rep.OpenDeals.P50)))
	line("Deals won", "%s mean (P10 %s, P90 %s)", Count(float64(rep.DealsWon.Mean)), Count(float64(rep.DealsWon.P10)), Count(float64(rep.DealsWon.P90)))
	pc := rep.PipelineCreated
	line("Pipeline created", "%s mean: marketing %s, sales %s (marketing share %s)", money(pc.MarketingValue.Mean+pc.SalesValue.Mean),
		money(pc.MarketingValue.Mean), money(pc.SalesValue.Mean), Percent(float64(pc.MarketingShare)))
	if m.Handoff != nil {
		line("MQL response", "median %s, P90 %s (a quarter's, mean over quarters); %s of %s MQLs a quarter contacted",
			Duration(float64(rep.ResponseP50.Mean)), Duration(float64(rep.ResponseP90.Mean)),
			Percent(float64(rep.ContactRate)), Count(float64(rep.MQLs.Mean)))
	}

	fmt.Fprintf(w, "\nFunnel, mean per quarter\n")
	fmt.Fprintf(w, "  %-14s %-10s %10s %11s\n", "stage", "team", "entries", "conversion")
	for _, s := range rep.Stages {
		conv := ""
		if !math.IsNaN(float64(s.Conversion)) {
			conv = Percent(float64(s.Conversion))
		}
		fmt.Fprintf(w, "  %-14s %-10s %10s %11s\n", s.Name, s.Team, Count(float64(s.MeanEntries)), conv)
	}
	fmt.Fprintf(w, "(conversion: leads moving from the previous stage on the way to a win / that stage's entries)\n")

	if len(rep.SLA) > 0 {
		fmt.Fprintf(w, "\nSLA compliance\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "  handoff\twithin\tcompliance\ttarget\tquarters meeting target\t\n")
		for _, s := range rep.SLA {
			within := Duration(s.Hours * 60)
			if s.Business {
				within += " (business)"
			}
			target, meet := "-", "-"
			if s.Target > 0 {
				target = Percent(s.Target)
				meet = Percent(float64(s.ProbMeetsTarget))
				if b, ok := BoundedShare(float64(s.ProbMeetsTarget), rep.Quarters); ok {
					meet = b
				}
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t\n", s.Name, within, Percent(float64(s.PerQuarter.Mean)), target, meet)
		}
		tw.Flush()
		fmt.Fprintf(w, "(compliance: a quarter's leads meeting the SLA / its leads entering the from-stage, mean over quarters)\n")
	}
	WriteMovement(w, m, rep)
	if len(rep.PerQuarter) > 1 {
		fmt.Fprintf(w, "\nRevenue by quarter of the horizon\n")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for k, s := range rep.PerQuarter {
			q := fmt.Sprintf("Q%d", k+1)
			if k < len(rep.Periods) {
				q = rep.Periods[k].Label
			}
			fmt.Fprintf(tw, "%s\tP10 %s\tP50 %s\tP90 %s", q, money(s.P10), money(s.P50), money(s.P90))
			if k < len(rep.QuotaByQuarter) {
				fmt.Fprintf(tw, "\tquota in %s of runs", ChanceText(rep.QuotaByQuarter[k]))
			}
			fmt.Fprintln(tw)
		}
		tw.Flush()
		if c := rep.QuotaEveryQuarter; c != nil {
			fmt.Fprintf(w, "Quota in every one of the %d quarters: %s of runs\n", len(rep.PerQuarter), ChanceText(*c))
		}
		if t := rep.RevenueTotal; t != nil {
			what := "Year"
			if t.Quarters < 4 {
				what = "Total"
			}
			fmt.Fprintf(w, "%s (%s, %d quarters): %s mean, P10 %s, P50 %s, P90 %s", what, Span(rep, t.Quarters), t.Quarters,
				money(t.Revenue.Mean), money(t.Revenue.P10), money(t.Revenue.P50), money(t.Revenue.P90))
			if c := t.QuotaChance; c != nil {
				fmt.Fprintf(w, "; %s (%d quotas) in %s of runs", Money(float64(t.Quarters)*m.Quota, cur), t.Quarters, ChanceText(*c))
			}
			fmt.Fprintln(w)
		}
	}
}

// BoundedShare formats p, a share of n simulated quarters, for people when
// it is 0 or 1. There the binomial standard error is 0, and "100.0% (±
// 0.0%)" would claim a certainty that n quarters cannot give, so it
// returns the end of the exact 95% interval (montecarlo.ClopperPearson)
// rounded outwards to a tenth of a point, "≥ 98.7%" (all of 300) or
// "≤ 1.3%" (none of 300), and true. Otherwise it returns "", false.
func BoundedShare(p float64, n int) (string, bool) {
	if n < 1 || (p != 0 && p != 1) {
		return "", false
	}
	if p == 1 {
		lo, _ := montecarlo.ClopperPearson(n, n, 0.95)
		return "≥ " + Percent(math.Floor(lo*1000+1e-9)/1000), true
	}
	_, hi := montecarlo.ClopperPearson(0, n, 0.95)
	return "≤ " + Percent(math.Ceil(hi*1000-1e-9)/1000), true
}

// ChanceText formats c for people as the summary's chance of quota is:
// its share ± two binomial standard errors, "64.3% (± 5.5%)", or its exact
// bound at 0 or 1 (see BoundedShare).
func ChanceText(c montecarlo.Chance) string {
	if b, ok := BoundedShare(float64(c.P), c.N); ok {
		return b
	}
	p := float64(c.P)
	return fmt.Sprintf("%s (± %s)", Percent(p), Percent(2*math.Sqrt(p*(1-p)/float64(c.N))))
}

// ForecastMarkdown returns report.md: the summary, the charts and the
// definitions, so the numbers can be reproduced.
func ForecastMarkdown(m *model.Model, rep *montecarlo.Report) string {
	var b strings.Builder
	title := m.Name
	if rep.Scenario != "" {
		title += " / " + rep.Scenario
	}
	if rep.Period != nil {
		title += ", " + rep.Period.Label
	}
	fmt.Fprintf(&b, "# Revenue forecast: %s\n\n", report.MarkdownText(title))
	fmt.Fprintf(&b, "%s simulated quarters, seed %d, model hash `%s`.\n", Count(float64(rep.Quarters)), rep.Seed, rep.ModelHash[:16])
	fmt.Fprintf(&b, "Reproduce with `sim forecast --seed %d --quarters %d` on the same model.\n\n", rep.Seed, rep.Quarters)
	var sum strings.Builder
	WriteForecastSummary(&sum, m, rep)
	fence := report.Fence(sum.String())
	fmt.Fprintf(&b, "%s\n%s%s\n\n", fence, sum.String(), fence)
	for _, c := range []struct{ file, caption string }{
		{"revenue", "Revenue distribution against quota"},
		{"coverage", "Pipeline coverage at the start of the quarter"},
		{"funnel", "Funnel volume and conversion"},
		{"sla", "SLA compliance"},
		{"response", "MQL response times"},
		{"waterfall", "Pipeline movement in the quarter"},
		{"breakdown", "Revenue and pipeline created by source"},
		{"horizon", "Revenue over the horizon"},
	} {
		if c.file == "horizon" && rep.Horizon < 2 {
			continue
		}
		fmt.Fprintf(&b, "## %s\n\n![%s](%s.png)\n\n", c.caption, c.caption, c.file)
	}
	b.WriteString(`## Definitions

- **Revenue**: the amount of deals closed-won inside the quarter.
- **P(hit quota)**: the share of simulated quarters with revenue at or above quota (± two binomial standard errors; when none or all of the quarters reach quota, that error is 0, and the exact Clopper–Pearson 95% bound is shown instead, as "≤" or "≥").
- **Coverage**: open pipeline value at the start of the quarter / quota.
- **Coverage needed**: the 80th percentile over quarters of open pipeline / revenue: the coverage that, if revenue scaled with the opening pipeline, makes quota in 80% of quarters.
- **Conversion**: leads moving to a stage from the previous stage on the way to a win / that previous stage's entries, per quarter.
- **Contacted**: an MQL the SDRs reached; the chance falls with the response time as the model's decay curve says.
- **MQL response**: the median (and P90) of a quarter's times from becoming an MQL to the SDR's first touch, in wall-clock time, averaged over the simulated quarters (summary.json: response_minutes_p50.mean), as sim compare reports it.
- **SLA compliance**: leads meeting the SLA / leads entering its from-stage in the quarter, averaged over the simulated quarters (summary.json: sla[].per_quarter.mean, as sim compare reports it; sla[].compliance pools the leads of all quarters instead); a lead that never gets there breaches it.
- **Marketing share**: marketing-sourced share of the value of opportunities created.

`)
	if rep.ParamsDrawn {
		b.WriteString("\nUncertainty: each quarter draws new arrivals, conversions and delays, and also draws the model's rates from their posteriors (the observation counts in the model), so the ranges include what the data leave unknown.\n")
	} else {
		b.WriteString("\nUncertainty: each quarter draws new arrivals (Poisson or gamma-mixed), new conversions and new delays; the model's parameters are held fixed, so the ranges show chance alone.\n")
	}
	return b.String()
}

// FunnelChart draws rep's main stages: each stage's entries a quarter, and
// how many of them came along the edge from the previous main stage (the
// rest: sources entering there, sales-sourced deals, recycles), so that
// the bars reconcile with the arrows.
func FunnelChart(rep *montecarlo.Report) *plot.Plot {
	var names, labels []string
	var vols, fromPrev []float64
	for _, s := range rep.Stages {
		if !s.Main {
			continue
		}
		moves := math.NaN()
		if len(names) > 0 {
			prev := names[len(names)-1]
			for _, t := range rep.Transitions {
				if t.From == prev && t.To == s.Name {
					moves = float64(t.Moves)
				}
			}
		}
		names = append(names, s.Name)
		labels = append(labels, stageLabel(s))
		vols = append(vols, float64(s.MeanEntries))
		fromPrev = append(fromPrev, moves)
	}
	return FunnelPath(labels, vols, fromPrev, funnelTitle(labels, vols, fromPrev))
}

// funnelTitle states funnel.png's finding: the wins a quarter, and the
// step along the path that converts least, or, when that does not fit on
// the chart, the wins from the first stage's leads.
func funnelTitle(labels []string, vols, fromPrev []float64) string {
	n := len(labels)
	if n < 2 || !(vols[0] > 0) {
		return "Funnel volume per quarter, by stage"
	}
	weak, rate := -1, math.Inf(1)
	for i := 1; i < n; i++ {
		if c := fromPrev[i] / vols[i-1]; vols[i-1] > 0 && c < rate {
			weak, rate = i, c
		}
	}
	wins := Count(vols[n-1]) + " wins a quarter"
	from := fmt.Sprintf("%s from %s %s leads", wins, Count(vols[0]), labels[0])
	if weak > 0 {
		for _, t := range []string{
			fmt.Sprintf("%s; weakest step %s → %s, %s", from, labels[weak-1], labels[weak], Percent(rate)),
			fmt.Sprintf("%s; weakest step %s → %s, %s", wins, labels[weak-1], labels[weak], Percent(rate)),
		} {
			if TitleFits("Q1 FY2027: " + t) {
				return t
			}
		}
	}
	return from
}

// stageLabel returns the stage's name for people: its label, or, in a
// summary written before stages had labels, its name made readable.
func stageLabel(s montecarlo.StageReport) string {
	if s.Label != "" {
		return s.Label
	}
	return model.Stage{Name: s.Name}.DisplayName()
}

// WriteNotFitted warns, before any figure, that a calibrated model keeps
// some of the base model's values (model.Model.NotFitted).
func WriteNotFitted(w io.Writer, notFitted []string) {
	const most = 5
	if len(notFitted) == 0 {
		return
	}
	fmt.Fprintf(w, "WARNING: %d parts of this model are not fitted: its calibration kept the base model's values (not_fitted in the model and summary.json):\n", len(notFitted))
	for i, s := range notFitted {
		if i == most {
			fmt.Fprintf(w, "  ... and %d more\n", len(notFitted)-most)
			break
		}
		fmt.Fprintf(w, "  %s\n", s)
	}
	if slices.ContainsFunc(notFitted, func(s string) bool { return strings.Contains(s, ".rate_per_week") }) {
		fmt.Fprintln(w, "The lead volume simulated is the base model's, not the export's: read the figures below as an illustration, not a forecast.")
	}
	fmt.Fprintln(w)
}

// PeriodName returns the name of rep's first quarter, "" when unset.
func PeriodName(rep *montecarlo.Report) string {
	if rep.Period == nil {
		return ""
	}
	return rep.Period.Name
}

// Span returns "Q1 FY2027 - Q4 FY2027", the first n periods of rep.
func Span(rep *montecarlo.Report, n int) string {
	if n > len(rep.Periods) || n < 1 {
		return fmt.Sprintf("quarters 1-%d", n)
	}
	if n == 1 {
		return rep.Periods[0].Name
	}
	return rep.Periods[0].Name + " - " + rep.Periods[n-1].Name
}

// MovementRows returns pipeline_movement.csv: the forecast quarter's
// waterfall, one row a step, amounts and deal counts with full precision.
func MovementRows(rep *montecarlo.Report) [][]string {
	rows := [][]string{{"period", "step", "mean", "p10", "p50", "p90", "deals_mean", "deals_p10", "deals_p90"}}
	mv := rep.PipelineMovement
	if mv == nil {
		return rows
	}
	nan := montecarlo.Summary{Mean: montecarlo.Float(math.NaN()), P10: montecarlo.Float(math.NaN()), P90: montecarlo.Float(math.NaN())}
	for _, s := range []struct {
		step         string
		value, deals montecarlo.Summary
	}{
		{"opening", mv.Opening, mv.OpeningDeals}, {"created", mv.Created, mv.CreatedDeals}, {"won", mv.Won, mv.WonDeals},
		{"lost", mv.Lost, mv.LostDeals}, {"closing", mv.Closing, mv.ClosingDeals}, {"slipped", mv.Slipped, nan},
	} {
		rows = append(rows, []string{PeriodName(rep), s.step, csvF(s.value.Mean), csvF(s.value.P10), csvF(s.value.P50), csvF(s.value.P90),
			csvF(s.deals.Mean), csvF(s.deals.P10), csvF(s.deals.P90)})
	}
	return rows
}

func csvF(v montecarlo.Float) string { return CSVNum(float64(v)) }

// BreakdownRows returns breakdown.csv: the forecast quarter's revenue,
// deals won and pipeline created by source, segment and team.
func BreakdownRows(rep *montecarlo.Report) [][]string {
	rows := [][]string{{"period", "by", "name", "revenue_mean", "revenue_p10", "revenue_p50", "revenue_p90", "revenue_share",
		"deals_won_mean", "deals_won_p10", "deals_won_p90",
		"pipeline_created_mean", "pipeline_created_p10", "pipeline_created_p50", "pipeline_created_p90", "pipeline_created_share",
		"opportunities_created_mean"}}
	for _, b := range rep.Breakdowns {
		rows = append(rows, []string{PeriodName(rep), b.By, b.Name,
			csvF(b.Revenue.Mean), csvF(b.Revenue.P10), csvF(b.Revenue.P50), csvF(b.Revenue.P90), csvF(b.RevenueShare),
			csvF(b.DealsWon.Mean), csvF(b.DealsWon.P10), csvF(b.DealsWon.P90),
			csvF(b.Created.Mean), csvF(b.Created.P10), csvF(b.Created.P50), csvF(b.Created.P90), csvF(b.CreatedShare),
			csvF(b.OppsCreated.Mean)})
	}
	return rows
}

// MovementChart returns waterfall.png's chart of rep's forecast quarter.
func MovementChart(rep *montecarlo.Report) *plot.Plot {
	mv := rep.PipelineMovement
	if mv == nil {
		return nil
	}
	w := Movement{Period: PeriodName(rep), Quarters: rep.Quarters,
		Opening: float64(mv.Opening.Mean), Created: float64(mv.Created.Mean), Won: float64(mv.Won.Mean),
		Lost: float64(mv.Lost.Mean), Closing: float64(mv.Closing.Mean), Slipped: float64(mv.Slipped.Mean)}
	for i, s := range []montecarlo.Summary{mv.Opening, mv.Created, mv.Won, mv.Lost, mv.Closing, mv.Slipped} {
		w.Lo[i], w.Hi[i] = float64(s.P10), float64(s.P90)
	}
	return Waterfall(w, rep.Currency)
}

// SourceBreakdownChart returns breakdown.png's chart: revenue and pipeline
// created by source, each labelled with its team (and segment), or nil
// without sources.
func SourceBreakdownChart(m *model.Model, rep *montecarlo.Report) *plot.Plot {
	var rows []Breakdown
	for _, b := range rep.Breakdowns {
		if b.By != "source" {
			continue
		}
		name := b.Name
		if j := m.SourceIndex(b.Name); j >= 0 {
			s := m.Sources[j]
			tags := []string{"marketing"}
			if s.SalesSourced {
				tags[0] = "sales"
			}
			if s.Segment != "" {
				tags = append([]string{s.Segment}, tags...)
			}
			name += " (" + strings.Join(tags, ", ") + ")"
		}
		rows = append(rows, Breakdown{Name: name,
			Revenue: float64(b.Revenue.Mean), RevenueLo: float64(b.Revenue.P10), RevenueHi: float64(b.Revenue.P90),
			Created: float64(b.Created.Mean), CreatedLo: float64(b.Created.P10), CreatedHi: float64(b.Created.P90)})
	}
	if len(rows) == 0 {
		return nil
	}
	return BreakdownChart(rows, PeriodName(rep), rep.Currency)
}

// WriteMovement prints the forecast quarter's pipeline movement and its
// breakdowns for people.
func WriteMovement(w io.Writer, m *model.Model, rep *montecarlo.Report) {
	money := func(v montecarlo.Float) string { return Money(float64(v), m.Currency) }
	if mv := rep.PipelineMovement; mv != nil {
		fmt.Fprintf(w, "\nPipeline movement in %s (mean, P10-P90)\n", cmpOr(PeriodName(rep), "the quarter"))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		for _, s := range []struct {
			label string
			v     montecarlo.Summary
			sign  string
		}{
			{"open at start", mv.Opening, ""}, {"created", mv.Created, "+"}, {"won", mv.Won, "-"},
			{"lost", mv.Lost, "-"}, {"open at end", mv.Closing, "="}, {"  of which slipped", mv.Slipped, ""},
		} {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s-%s\t\n", s.sign, s.label, money(s.v.Mean), money(s.v.P10), money(s.v.P90))
		}
		tw.Flush()
		fmt.Fprintf(w, "(lost: every deal leaving the pipeline other than won; slipped: open at the start and still open at the end)\n")
	}
	if len(rep.Breakdowns) == 0 {
		return
	}
	fmt.Fprintf(w, "\nBy source, segment and team in %s (mean; P10-P90)\n", cmpOr(PeriodName(rep), "the quarter"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  \t\trevenue\tshare\tdeals won\tpipeline created\t\n")
	for _, b := range rep.Breakdowns {
		name := b.Name
		if name == "" {
			name = "(none)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s (%s-%s)\t%s\t%s\t%s (%s-%s)\t\n", b.By, name, money(b.Revenue.Mean), money(b.Revenue.P10), money(b.Revenue.P90),
			Percent(float64(b.RevenueShare)), Count(float64(b.DealsWon.Mean)),
			money(b.Created.Mean), money(b.Created.P10), money(b.Created.P90))
	}
	tw.Flush()
}

// cmpOr returns a, or b when a is "".
func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// HorizonChart returns the fan chart of a multi-quarter forecast (P10-P90
// band, median, quota) from rep.PerQuarter, or nil when the horizon is a
// single quarter. ForecastCharts adds it as "horizon" (horizon.png/svg).
// With a quota, its title gives the chance of making quota in each quarter
// (rep.QuotaByQuarter, as a range over the quarters) and in all of them
// (rep.QuotaEveryQuarter), not whether the median line clears the quota: a
// median above quota in every quarter still misses it in a third of them.
func HorizonChart(m *model.Model, rep *montecarlo.Report) *plot.Plot {
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
	p := Fan(qs, p10, p50, p90, m.Quota, m.Currency)
	if len(rep.QuotaByQuarter) == n && rep.QuotaEveryQuarter != nil {
		each := make([]float64, n)
		for k, c := range rep.QuotaByQuarter {
			each[k] = float64(c.P)
		}
		Retitle(p, QuotaHorizonTitle(each, float64(rep.QuotaEveryQuarter.P), rep.Quarters, m.Quota, m.Currency))
	}
	if t := rep.RevenueTotal; t != nil {
		what := "Year"
		if t.Quarters < 4 {
			what = "Total"
		}
		money := func(v montecarlo.Float) string { return Money(float64(v), m.Currency) }
		Resubtitle(p, fmt.Sprintf("Revenue a quarter, pipeline carried over · band: P10–P90 · line: median\n%s %s: median %s (P10–P90 %s–%s)",
			what, Span(rep, t.Quarters), money(t.Revenue.P50), money(t.Revenue.P10), money(t.Revenue.P90)))
	}
	return p
}

// CSVNum formats v for a CSV cell: plain decimal, as spreadsheets read it
// (8708422.869598372, not 8.708422869598372e+06), with every digit needed
// to read v back exactly; NaN is an empty cell, infinities Inf and -Inf.
func CSVNum(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 0):
		return strconv.FormatFloat(v, 'g', -1, 64)
	case v != 0 && (math.Abs(v) < 1e-6 || math.Abs(v) >= 1e21):
		return strconv.FormatFloat(v, 'g', -1, 64) // too many zeros otherwise
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// SLACategory names an SLA for a chart's category axis:
// "touch ≤ 5m (business hours)".
func SLACategory(s montecarlo.SLAReport) string {
	c := s.Name + " ≤ " + Duration(s.Hours*60)
	if s.Business {
		c += " (business hours)"
	}
	return c
}
