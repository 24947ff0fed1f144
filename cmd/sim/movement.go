package main

import (
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"gonum.org/v1/plot"
)

// today returns the date a forecast of a model without forecast_start
// starts from: the next fiscal quarter from it. Tests fix it.
var today = time.Now

// forecastCalendar returns the periods h simulated quarters of m stand
// for, and, when their start was not stated, a note saying where it came
// from and how to fix it. start is the --start flag ("" when not given);
// it overrides the model's forecast_start. On a model whose opening state
// (start:) is dated (start.date, or forecast_start for a state without
// one), a later start is simulated from the state's day (a lead-in of at
// most model.MaxLeadInDays), and an earlier one is refused: forecastCalendar
// then sets m.ForecastStart and m.Start.Date for the engine. Without any
// start, the forecast is of the next fiscal quarter from the state's day,
// or, without a dated state, from today.
func forecastCalendar(m *model.Model, start string, h int) ([]model.Period, string, error) {
	stateDay := ""
	if m.Start != nil {
		stateDay = cmpOr(m.Start.Date, m.ForecastStart)
	}
	var t time.Time
	note := ""
	switch {
	case start != "":
		var err error
		if t, err = model.ParseDate(start); err != nil {
			return nil, "", fmt.Errorf("--start: %v", err)
		}
	case m.ForecastStart != "":
		var err error
		if t, err = model.ParseDate(m.ForecastStart); err != nil {
			return nil, "", fmt.Errorf("forecast_start: %v", err)
		}
	case stateDay != "":
		d, err := model.ParseDate(stateDay)
		if err != nil {
			return nil, "", fmt.Errorf("start.date: %v", err)
		}
		t = model.NextFiscalQuarter(d, m.FiscalStart())
		note = fmt.Sprintf("The model sets no forecast_start: this forecasts the next fiscal quarter from its opening state's day (%s); pass --start to choose another.", stateDay)
	default:
		now := today()
		t = model.NextFiscalQuarter(now, m.FiscalStart())
		note = fmt.Sprintf("The model sets no forecast_start: this forecasts the next fiscal quarter from today (%s); pass --start %s (or set forecast_start:) to name it the same tomorrow.",
			now.Format(model.DateLayout), t.Format(model.DateLayout))
	}
	if stateDay != "" {
		d, err := model.ParseDate(stateDay)
		if err != nil {
			return nil, "", fmt.Errorf("start.date: %v", err)
		}
		days := t.Sub(d).Hours() / 24
		switch {
		case days < 0:
			return nil, "", fmt.Errorf("--start %s: before the model's opening state (start:), its funnel on %s; a forecast from an earlier day needs a model calibrated as of it (sim calibrate --as-of %s)",
				t.Format(model.DateLayout), stateDay, t.Format(model.DateLayout))
		case days > model.MaxLeadInDays:
			return nil, "", fmt.Errorf("--start %s: %.0f days after the model's opening state (start:) of %s, over the %d days the engine simulates before a quarter; calibrate on newer data",
				t.Format(model.DateLayout), days, stateDay, model.MaxLeadInDays)
		}
		m.Start.Date = stateDay
	}
	if m.Start != nil { // the engine's lead-in; a model without a state simulates alike on any day
		m.ForecastStart = t.Format(model.DateLayout)
	}
	return m.Calendar(t, h), note, nil
}

// setCalendar records periods (those of every quarter of the horizon) in rep.
func setCalendar(rep *montecarlo.Report, m *model.Model, periods []model.Period) {
	if len(periods) == 0 {
		return
	}
	rep.ForecastStart = periods[0].Start.Format(model.DateLayout)
	rep.FiscalYearStart = int(m.FiscalStart())
	for _, p := range periods {
		rep.Periods = append(rep.Periods, montecarlo.NewPeriodReport(p))
	}
	rep.Period = &rep.Periods[0]
}

// periodName returns the name of rep's first quarter, "" when unset.
func periodName(rep *montecarlo.Report) string {
	if rep.Period == nil {
		return ""
	}
	return rep.Period.Name
}

// span returns "Q1 FY2027 - Q4 FY2027", the first n periods of rep.
func span(rep *montecarlo.Report, n int) string {
	if n > len(rep.Periods) || n < 1 {
		return fmt.Sprintf("quarters 1-%d", n)
	}
	if n == 1 {
		return rep.Periods[0].Name
	}
	return rep.Periods[0].Name + " - " + rep.Periods[n-1].Name
}

// movementRows returns pipeline_movement.csv: the forecast quarter's
// waterfall, one row a step, amounts and deal counts with full precision.
func movementRows(rep *montecarlo.Report) [][]string {
	rows := [][]string{{"period", "step", "mean", "p10", "p50", "p90", "deals_mean", "deals_p10", "deals_p90"}}
	mv := rep.PipelineMovement
	if mv == nil {
		return rows
	}
	nan := montecarlo.Summary{Mean: montecarlo.Float(nan()), P10: montecarlo.Float(nan()), P90: montecarlo.Float(nan())}
	for _, s := range []struct {
		step         string
		value, deals montecarlo.Summary
	}{
		{"opening", mv.Opening, mv.OpeningDeals}, {"created", mv.Created, mv.CreatedDeals}, {"won", mv.Won, mv.WonDeals},
		{"lost", mv.Lost, mv.LostDeals}, {"closing", mv.Closing, mv.ClosingDeals}, {"slipped", mv.Slipped, nan},
	} {
		rows = append(rows, []string{periodName(rep), s.step, csvF(s.value.Mean), csvF(s.value.P10), csvF(s.value.P50), csvF(s.value.P90),
			csvF(s.deals.Mean), csvF(s.deals.P10), csvF(s.deals.P90)})
	}
	return rows
}

func csvF(v montecarlo.Float) string { return csvNum(float64(v)) }

// breakdownRows returns breakdown.csv: the forecast quarter's revenue,
// deals won and pipeline created by source, segment and team.
func breakdownRows(rep *montecarlo.Report) [][]string {
	rows := [][]string{{"period", "by", "name", "revenue_mean", "revenue_p10", "revenue_p50", "revenue_p90", "revenue_share",
		"deals_won_mean", "deals_won_p10", "deals_won_p90",
		"pipeline_created_mean", "pipeline_created_p10", "pipeline_created_p50", "pipeline_created_p90", "pipeline_created_share",
		"opportunities_created_mean"}}
	for _, b := range rep.Breakdowns {
		rows = append(rows, []string{periodName(rep), b.By, b.Name,
			csvF(b.Revenue.Mean), csvF(b.Revenue.P10), csvF(b.Revenue.P50), csvF(b.Revenue.P90), csvF(b.RevenueShare),
			csvF(b.DealsWon.Mean), csvF(b.DealsWon.P10), csvF(b.DealsWon.P90),
			csvF(b.Created.Mean), csvF(b.Created.P10), csvF(b.Created.P50), csvF(b.Created.P90), csvF(b.CreatedShare),
			csvF(b.OppsCreated.Mean)})
	}
	return rows
}

// movementChart returns waterfall.png's chart of rep's forecast quarter.
func movementChart(rep *montecarlo.Report) *plot.Plot {
	mv := rep.PipelineMovement
	if mv == nil {
		return nil
	}
	w := render.Movement{Period: periodName(rep), Quarters: rep.Quarters,
		Opening: float64(mv.Opening.Mean), Created: float64(mv.Created.Mean), Won: float64(mv.Won.Mean),
		Lost: float64(mv.Lost.Mean), Closing: float64(mv.Closing.Mean), Slipped: float64(mv.Slipped.Mean)}
	for i, s := range []montecarlo.Summary{mv.Opening, mv.Created, mv.Won, mv.Lost, mv.Closing, mv.Slipped} {
		w.Lo[i], w.Hi[i] = float64(s.P10), float64(s.P90)
	}
	return render.Waterfall(w, rep.Currency)
}

// breakdownChart returns breakdown.png's chart: revenue and pipeline
// created by source, each labelled with its team (and segment), or nil
// without sources.
func breakdownChart(m *model.Model, rep *montecarlo.Report) *plot.Plot {
	var rows []render.Breakdown
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
		rows = append(rows, render.Breakdown{Name: name,
			Revenue: float64(b.Revenue.Mean), RevenueLo: float64(b.Revenue.P10), RevenueHi: float64(b.Revenue.P90),
			Created: float64(b.Created.Mean), CreatedLo: float64(b.Created.P10), CreatedHi: float64(b.Created.P90)})
	}
	if len(rows) == 0 {
		return nil
	}
	return render.BreakdownChart(rows, periodName(rep), rep.Currency)
}

// writeMovement prints the forecast quarter's pipeline movement and its
// breakdowns for people.
func writeMovement(w io.Writer, m *model.Model, rep *montecarlo.Report) {
	money := func(v montecarlo.Float) string { return render.Money(float64(v), m.Currency) }
	if mv := rep.PipelineMovement; mv != nil {
		fmt.Fprintf(w, "\nPipeline movement in %s (mean, P10-P90)\n", cmpOr(periodName(rep), "the quarter"))
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
	fmt.Fprintf(w, "\nBy source, segment and team in %s (mean; P10-P90)\n", cmpOr(periodName(rep), "the quarter"))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  \t\trevenue\tshare\tdeals won\tpipeline created\t\n")
	for _, b := range rep.Breakdowns {
		name := b.Name
		if name == "" {
			name = "(none)"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s (%s-%s)\t%s\t%s\t%s (%s-%s)\t\n", b.By, name, money(b.Revenue.Mean), money(b.Revenue.P10), money(b.Revenue.P90),
			render.Percent(float64(b.RevenueShare)), render.Count(float64(b.DealsWon.Mean)),
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

func nan() float64 { return math.NaN() }
