package render

import (
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// whatifCharts are the golden-image cases of the what-if charts.
var whatifCharts = []struct {
	name string
	plot func() *plot.Plot
}{
	{"tornado", func() *plot.Plot {
		return Tornado([]Effect{
			{"five-minute-sla", 0, 0, 0},
			{"raise-mql-threshold", -537e3, -573e3, -502e3},
			{"respond-24x7", 6.25e6, 6.15e6, 6.36e6},
			{"two-more-sdrs", 177e3, 163e3, 190e3},
		}, "Revenue effect a quarter", "USD", "Mean revenue a quarter vs baseline · whiskers: paired 95% interval · 300 simulated quarters each")
	}},
	{"moneycurve", func() *plot.Plot {
		return MoneyCurve([]Policy{
			{"24x7", 0.4, 13.5e6, 13.4e6, 13.6e6, false},
			{"extended", 376, 7.27e6, 7.13e6, 7.41e6, true},
			{"business", 900, 5.9e6, 5.8e6, 6.0e6, false},
			{"10 SDRs", 340, 7.5e6, 7.4e6, 7.6e6, false},
			{"2 SDRs", 600, 6.1e6, 6.0e6, 6.2e6, false},
		}, "USD")
	}},
	{"compliance", func() *plot.Plot {
		return ComplianceByHeadcount([]Series{
			{"extended", []float64{2, 4, 6, 8, 10}, []float64{0.35, 0.58, 0.66, 0.72, 0.74}},
			{"24x7", []float64{2, 4, 6, 8, 10}, []float64{0.62, 0.91, 0.97, 0.99, 0.995}},
		}, 0.9, "first touch within 1h")
	}},
	{"fan", func() *plot.Plot {
		return Fan([]string{"Q1", "Q2", "Q3", "Q4"}, []float64{6.1e6, 5.8e6, 5.7e6, 5.6e6},
			[]float64{7.2e6, 7.1e6, 7.0e6, 7.0e6}, []float64{8.4e6, 8.5e6, 8.6e6, 8.7e6}, 7e6, "USD")
	}},
	{"fan_nodata", func() *plot.Plot { return Fan(nil, nil, nil, nil, 7e6, "USD") }},
	{"tornado_nan", func() *plot.Plot {
		return Tornado([]Effect{{"x", math.NaN(), math.NaN(), math.NaN()}}, "Revenue effect", "EUR", "")
	}},
}

func TestFanPanicsOnLengths(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("Fan with mismatched lengths did not panic")
		}
	}()
	Fan([]string{"Q1"}, nil, nil, nil, 0, "USD")
}

// TestComplianceTitleOneSDR: a single SDR is "1 SDR ... reaches".
func TestComplianceTitleOneSDR(t *testing.T) {
	p := ComplianceByHeadcount([]Series{{"24x7", []float64{1, 2}, []float64{0.95, 0.99}}}, 0.9, "first touch within 1h")
	if want := "1 SDR (24x7) reaches 90% first touch within 1h\n"; !strings.HasPrefix(p.Title.Text, want) {
		t.Errorf("title %q, want it to start with %q", p.Title.Text, want)
	}
}
