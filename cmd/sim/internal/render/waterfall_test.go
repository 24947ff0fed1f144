package render

import (
	"math"
	"testing"

	"gonum.org/v1/plot"
)

// waterfallCharts are the golden-image cases of the waterfall, breakdown
// and plan charts.
var waterfallCharts = []struct {
	name string
	plot func() *plot.Plot
}{
	{"waterfall", func() *plot.Plot {
		return Waterfall(Movement{Period: "Q1 FY2027", Opening: 24.1e6, Created: 17.8e6, Won: 8.6e6, Lost: 9.9e6, Closing: 23.4e6, Slipped: 11.2e6,
			Lo: [6]float64{22.9e6, 16.1e6, 7.1e6, 8.8e6, 21.9e6, 10.1e6}, Hi: [6]float64{25.3e6, 19.5e6, 10.2e6, 11.0e6, 24.9e6, 12.3e6}, Quarters: 10000}, "USD")
	}},
	{"waterfall_actual", func() *plot.Plot {
		nan := math.NaN()
		all := [6]float64{nan, nan, nan, nan, nan, nan}
		return Waterfall(Movement{Period: "Q2 2017", Opening: 1.52e6, Created: 3.9e6, Won: 2.7e6, Lost: 0, Closing: 2.72e6, Slipped: 0.4e6, Lo: all, Hi: all}, "USD")
	}},
	{"breakdown", func() *plot.Plot {
		return BreakdownChart([]Breakdown{
			{Name: "web (marketing)", Revenue: 5.1e6, RevenueLo: 3.9e6, RevenueHi: 6.4e6, Created: 10.4e6, CreatedLo: 9.1e6, CreatedHi: 11.8e6},
			{Name: "events (marketing)", Revenue: 1.6e6, RevenueLo: 0.9e6, RevenueHi: 2.4e6, Created: 3.3e6, CreatedLo: 2.5e6, CreatedHi: 4.1e6},
			{Name: "outbound (sales)", Revenue: 1.9e6, RevenueLo: 1.2e6, RevenueHi: 2.7e6, Created: 4.1e6, CreatedLo: 3.4e6, CreatedHi: 4.9e6},
		}, "Q1 FY2027", "USD")
	}},
	{"plan_steps", func() *plot.Plot {
		return PlanSteps([]PlanStep{
			{"deals won", 284, 299, "÷ average won deal $33,488"},
			{"opportunities", 1045, 1102, "÷ win rate 27.2%"},
			{"SALs", 1607, 1696, "÷ SAL → opportunity 65.0%"},
			{"MQLs", 6176, 6589, "÷ MQL → SAL 21.4%"},
			{"new leads", 27416, 29250, "÷ lead → MQL 22.5%"},
		}, 9.5e6, "USD", "MQLs")
	}},
	{"plan_curve", func() *plot.Plot {
		return PlanCurve([]float64{6589, 13178, 9883, 8236, 7412, 7000, 6795, 6898},
			[]float64{0.665, 1, 1, 0.965, 0.89, 0.805, 0.745, 0.79},
			[]float64{0.595, 0.982, 0.982, 0.929, 0.838, 0.743, 0.679, 0.727},
			[]float64{0.730, 1, 1, 0.986, 0.930, 0.858, 0.804, 0.845},
			0.8, 6980, 6589, 9.5e6, "USD")
	}},
}

// TestPrefixTitle checks that a period prefixes a title that has room for
// it and opens the subtitle of one that has not.
func TestPrefixTitle(t *testing.T) {
	p := New("62% chance of making the $9.5M quota", "Median $9.8M")
	PrefixTitle(p, "Q1 FY2027: ")
	if want := "Q1 FY2027: 62% chance of making the $9.5M quota\nMedian $9.8M"; p.Title.Text != want {
		t.Errorf("title %q, want %q", p.Title.Text, want)
	}
	long := "72% of MQLs meet the 1h first-touch SLA (business hours), and then some more words"
	p = New(long, "Median 18m\nBars: a sample")
	PrefixTitle(p, "Q1 FY2027: ")
	if want := long + "\nQ1 FY2027 · Median 18m\nBars: a sample"; p.Title.Text != want {
		t.Errorf("title %q, want %q", p.Title.Text, want)
	}
}
