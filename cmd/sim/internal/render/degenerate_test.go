package render

import (
	"bytes"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

// TestDegenerate checks that every chart builds and draws, without
// panicking, on empty, single-valued, constant and NaN-laden inputs.
func TestDegenerate(t *testing.T) {
	tests := []struct {
		name string
		plot func() *plot.Plot
	}{
		{"revenue empty", func() *plot.Plot { return RevenueHistogram(nil, 5e6, "USD") }},
		{"revenue all NaN", func() *plot.Plot { return RevenueHistogram([]float64{nan, inf}, 5e6, "USD") }},
		{"revenue single", func() *plot.Plot { return RevenueHistogram([]float64{4e6}, 5e6, "USD") }},
		{"revenue constant", func() *plot.Plot { return RevenueHistogram([]float64{4e6, 4e6, 4e6}, 0, "USD") }},
		{"revenue zeros", func() *plot.Plot { return RevenueHistogram([]float64{0, 0}, -1, "") }},
		{"revenue negative quota", func() *plot.Plot { return RevenueHistogram([]float64{1, 2, nan, 3}, -5, "CHF") }},
		{"revenue NaN quota", func() *plot.Plot { return RevenueHistogram([]float64{1, 2, 3}, nan, "GBP") }},
		{"funnel empty", func() *plot.Plot { return Funnel(nil, nil, nil, "") }},
		{"funnel single", func() *plot.Plot { return Funnel([]string{"mql"}, []float64{10}, []float64{}, "t") }},
		{"funnel NaN", func() *plot.Plot {
			return Funnel([]string{"a", "b", "c"}, []float64{nan, 5, nan}, []float64{nan, nan}, "t")
		}},
		{"funnel all NaN", func() *plot.Plot { return Funnel([]string{"a", "b"}, []float64{nan, nan}, nil, "t") }},
		{"funnel zeros", func() *plot.Plot { return Funnel([]string{"a", "b"}, []float64{0, 0}, []float64{0}, "t") }},
		{"coverage empty", func() *plot.Plot { return CoverageHistogram(nil, 4) }},
		{"coverage single", func() *plot.Plot { return CoverageHistogram([]float64{3.2}, nan) }},
		{"coverage NaN", func() *plot.Plot { return CoverageHistogram([]float64{nan, 2, 5}, inf) }},
		{"sla empty", func() *plot.Plot { return SLACompliance(nil, nil, nil) }},
		{"sla NaN", func() *plot.Plot {
			return SLACompliance([]string{"a", "b"}, []float64{nan, 0.5}, []float64{0.9, nan})
		}},
		{"response empty", func() *plot.Plot { return ResponseTimes(nil, 240) }},
		{"response never answered", func() *plot.Plot { return ResponseTimes([]float64{inf, inf}, 240) }},
		{"response single", func() *plot.Plot { return ResponseTimes([]float64{5}, 0) }},
		{"response zeros", func() *plot.Plot { return ResponseTimes([]float64{0, 0, -1, nan}, nan) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := tt.plot()
			if p == nil {
				t.Fatal("nil plot")
			}
			if err := Encode(io.Discard, p, 0, 0, "png"); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestTitles(t *testing.T) {
	tests := []struct {
		name string
		plot *plot.Plot
		want string
	}{
		{"revenue quota", RevenueHistogram([]float64{4e6, 5e6, 6e6, 7e6}, 5e6, "USD"),
			"75% chance of making the $5.0M quota\nMedian $5.5M · P10–P90 $4.3M–$6.7M (shaded) · 4 simulated quarters"},
		{"revenue no quota", RevenueHistogram([]float64{4e6, nan}, 0, "EUR"),
			"Half the simulated quarters bring €4.0M or more\nP10–P90 €4.0M–€4.0M (shaded) · 1 simulated quarter · 1 missing left out · no quota in the model"},
		{"pipeline no quota", PipelineHistogram([]float64{2e6, 3e6, 4e6}, "USD"),
			"Quarters start with a median $3.0M of open pipeline\nP10–P90 $2.2M–$3.8M (shaded) · 3 simulated quarters\nNo quota in the model, so no coverage: set quota: or calibrate with --quota"},
		{"pipeline start state", PipelineHistogram([]float64{2e6, 2e6}, "USD"),
			"Every quarter starts with the same $2.0M of open pipeline\nThe model's start state: the deals open at its as-of date · 2 simulated quarters\nNo quota in the model, so no coverage: set quota: or calibrate with --quota"},
		{"coverage below", CoverageHistogram([]float64{2, 2.5, 2.9}, nan),
			"Median coverage 2.5x is below the 3x rule\nCoverage = open pipeline at quarter start ÷ quota · P10–P90 2.1x–2.8x · 3 simulated quarters"},
		{"sla", SLACompliance([]string{"a", "b"}, []float64{0.95, 0.5}, []float64{0.9, 0.9}),
			"1 of 2 handoffs meet their SLA target\nShare of handoffs done within the SLA · black line: target (90%) · orange: below target\nFurthest behind: b, 40.0 points short"},
		{"response", ResponseTimes([]float64{1, 2, 300, inf}, 240),
			"50% of MQLs answered within the 4h SLA\nMedian 2m · P90 4h of answered · 4 MQLs · 1 never answered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.plot.Title.Text; got != tt.want {
				t.Errorf("title\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestFunnelPanics(t *testing.T) {
	defer func() {
		r := recover()
		if s, _ := r.(string); !strings.HasPrefix(s, "render: ") {
			t.Errorf("recovered %v, want a panic starting with \"render: \"", r)
		}
	}()
	Funnel([]string{"a", "b"}, []float64{1}, nil, "t")
}

func TestSave(t *testing.T) {
	dir := t.TempDir()
	p := CoverageHistogram([]float64{2, 3, 4, 3.5}, 4.2)
	for _, tt := range []struct{ name, magic string }{
		{"c.png", "\x89PNG"},
		{"c.SVG", "<?xml"},
	} {
		path := filepath.Join(dir, tt.name)
		if err := Save(p, Width, Height, path); err != nil {
			t.Fatalf("Save(%s): %v", tt.name, err)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte(tt.magic)) {
			t.Errorf("%s starts with %q, want %q", tt.name, b[:min(len(b), 8)], tt.magic)
		}
	}
	if err := Save(p, Width, Height, filepath.Join(dir, "c.gif")); err == nil {
		t.Error("Save(c.gif) succeeded, want an unsupported-extension error")
	}
	if err := Save(p, Width, Height, filepath.Join(dir, "missing", "c.png")); err == nil {
		t.Error("Save into a missing directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only c.png and c.SVG (no temporary files)", names)
	}
}

func TestTicks(t *testing.T) {
	labels := func(ticks []plot.Tick) string {
		var s []string
		for _, tk := range ticks {
			s = append(s, tk.Label)
		}
		return strings.Join(s, " ")
	}
	tests := []struct {
		name   string
		ticker plot.Ticker
		lo, hi float64
		want   string
	}{
		{"money M", MoneyTicks{"USD"}, 3.9e6, 7.1e6, "$4.0M $4.5M $5.0M $5.5M $6.0M $6.5M $7.0M"},
		{"money from zero", MoneyTicks{"EUR"}, 0, 10e6, "€0 €1M €2M €3M €4M €5M €6M €7M €8M €9M €10M"},
		{"money K", MoneyTicks{"CHF"}, 100e3, 900e3, "CHF 100K CHF 200K CHF 300K CHF 400K CHF 500K CHF 600K CHF 700K CHF 800K CHF 900K"},
		{"money negative", MoneyTicks{"USD"}, -2e6, 2e6, "−$2.0M −$1.5M −$1.0M −$0.5M $0 $0.5M $1.0M $1.5M $2.0M"},
		{"percent", PercentTicks{}, 0, 0.27, "0% 5% 10% 15% 20% 25%"},
		{"percent fine", PercentTicks{}, 0, 0.011, "0.0% 0.2% 0.4% 0.6% 0.8% 1.0%"},
		{"ratio", RatioTicks{}, 1.9, 6.9, "2.0x 2.5x 3.0x 3.5x 4.0x 4.5x 5.0x 5.5x 6.0x 6.5x"},
		{"count", CountTicks{}, 0, 16_000, "0 2,000 4,000 6,000 8,000 10,000 12,000 14,000 16,000"},
		{"count small", CountTicks{}, 0, 3.5, "0 1 2 3"},
		{"empty range", PercentTicks{}, math.NaN(), 1, ""},
		{"duration", durationTicks{}, math.Log10(1.0 / 6), math.Log10(14 * 1440), "10s 1m 10m 1h 4h 1d 2d 7d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := labels(tt.ticker.Ticks(tt.lo, tt.hi)); got != tt.want {
				t.Errorf("Ticks(%v, %v) = %q, want %q", tt.lo, tt.hi, got, tt.want)
			}
		})
	}
}
