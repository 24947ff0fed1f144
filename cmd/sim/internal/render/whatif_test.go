package render

import (
	"image/color"
	"math"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
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
			{"24x7", 0.4, 13.5e6, 13.4e6, 13.6e6, false, false},
			{"extended", 376, 7.27e6, 7.27e6, 7.27e6, true, false},
			{"business", 900, 5.9e6, 5.3e6, 6.5e6, false, false},
			{"10 SDRs", 340, 7.5e6, 7.4e6, 7.6e6, false, false},
			{"2 SDRs", 600, 6.1e6, 6.0e6, 6.2e6, false, false},
			{"16 SDRs", 0, 8.1e6, 7.3e6, 8.9e6, false, false},
			{"threshold 70", 0, 5.0e6, 4.9e6, 5.1e6, false, true},
			{"threshold 50", 700, 11.2e6, 11.1e6, 11.3e6, false, true},
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

// drawn draws p at the default size on a recorder and returns the strings
// it writes and the number of whiskers it draws (MoneyCurve's: three
// strokes each, in Ink at 1.2 points).
func drawn(p *plot.Plot) (texts []string, whiskers int) {
	rec := new(recorder.Canvas)
	p.Draw(draw.NewCanvas(rec, Width-2*Margin, Height-2*Margin))
	var clr color.Color
	var width vg.Length
	strokes := 0
	for _, a := range rec.Actions {
		switch a := a.(type) {
		case *recorder.FillString:
			texts = append(texts, a.String)
		case *recorder.SetColor:
			clr = a.Color
		case *recorder.SetLineWidth:
			width = a.Width
		case *recorder.Stroke:
			if clr == color.Color(Ink) && width == vg.Points(1.2) {
				strokes++
			}
		}
	}
	return texts, strokes / 3
}

// subtitle returns the subtitle of p on one line, without the " · "
// separators (line breaks replace some).
func subtitle(p *plot.Plot) string {
	_, sub, _ := strings.Cut(p.Title.Text, "\n")
	return strings.Join(strings.Fields(strings.ReplaceAll(sub, "·", " ")), " ")
}

// TestMoneyCurve checks what sim sla's money curve once got wrong: every
// policy is drawn, threshold policies included; a 0s median sits at a
// "0s" tick apart from the log scale, not at its "1s" tick; whiskers are
// drawn where they reach beyond their point, and the subtitle says what
// the whiskers show.
func TestMoneyCurve(t *testing.T) {
	nan := math.NaN()
	pol := func(name string, min, rev, half float64) Policy {
		return Policy{Name: name, Minutes: min, Revenue: rev, RevLo: rev - half, RevHi: rev + half}
	}
	base := Policy{Name: "base", Minutes: 17.8, Revenue: 9.91e6, RevLo: 9.91e6, RevHi: 9.91e6, Base: true}
	thr := func(q Policy) Policy { q.Volume = true; return q }
	for _, tt := range []struct {
		name     string
		ps       []Policy
		ticks    []string // tick labels that must be drawn
		notTicks []string
		whiskers int
		sub      string // in the subtitle
	}{
		{"defaults of sim sla", []Policy{base, pol("2 SDRs", 705, 6.56e6, 89.9e3), pol("4 SDRs", 72, 9.35e6, 19.6e3),
			pol("8 SDRs", 0, 10.2e6, 13.4e3), pol("10 SDRs", 0, 10.4e6, 16.4e3), pol("business", 160, 8.32e6, 32.8e3),
			pol("24x7", 0, 13.6e6, 60e3), thr(pol("threshold 50", 279, 13.1e6, 58.7e3)), thr(pol("threshold 70", 0, 6.35e6, 47e3))},
			[]string{"0s", "15m", "1h"}, []string{"1s"}, 0,
			"one point per policy · triangles: policies that change MQL volume · ring: the model as it is · paired 95% intervals vs the base: ±$13.4K to ±$89.9K, too short to show beyond the points"},
		{"some whiskers show", []Policy{base, pol("2 SDRs", 705, 6.56e6, 900e3), pol("24x7", 0, 13.6e6, 10e3), pol("4 SDRs", 72, 9.35e6, 19.6e3)},
			[]string{"0s"}, []string{"1s"}, 1,
			"whiskers: paired 95% interval vs the base (±$10.0K to ±$900K; shorter ones hide behind their points)"},
		{"every whisker shows", []Policy{base, pol("2 SDRs", 705, 6.56e6, 900e3), pol("4 SDRs", 72, 9.35e6, 700e3)},
			nil, []string{"0s"}, 2, "ring: the model as it is · whiskers: paired 95% interval vs the base"},
		{"under a second", []Policy{base, pol("fast", 0.005, 12e6, 1e6)}, []string{"<1s"}, []string{"0s"}, 1, "whiskers: paired 95% interval vs the base"},
		{"all at once", []Policy{pol("a", 0, 10e6, 1e6), pol("b", 0, 12e6, 1e6)}, []string{"0s"}, nil, 2, "whiskers"},
		{"left out", []Policy{base, pol("never", math.Inf(1), 1e6, 0), {Name: "nan", Minutes: 5, Revenue: nan, RevLo: nan, RevHi: nan}},
			nil, nil, 0, "2 policies without a response time or revenue left out"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := MoneyCurve(tt.ps, "USD")
			texts, whiskers := drawn(p)
			for _, q := range tt.ps {
				if (q.Minutes >= 0 && !math.IsInf(q.Minutes, 0) && !math.IsNaN(q.Revenue)) != slices.Contains(texts, q.Name) {
					t.Errorf("policy %q drawn: %v", q.Name, slices.Contains(texts, q.Name))
				}
			}
			for _, tick := range tt.ticks {
				if !slices.Contains(texts, tick) {
					t.Errorf("no tick %q among %q", tick, texts)
				}
			}
			for _, tick := range tt.notTicks {
				if slices.Contains(texts, tick) {
					t.Errorf("tick %q drawn", tick)
				}
			}
			if whiskers != tt.whiskers {
				t.Errorf("%d whiskers drawn, want %d", whiskers, tt.whiskers)
			}
			if sub, want := subtitle(p), strings.ReplaceAll(tt.sub, " · ", " "); !strings.Contains(sub, want) {
				t.Errorf("subtitle %q lacks %q", sub, want)
			}
		})
	}
}
