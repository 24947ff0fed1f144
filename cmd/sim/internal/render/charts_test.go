package render

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/montecarlo"
	"gonum.org/v1/plot"
)

var regen = flag.Bool("regen", false, "regenerate the golden images in testdata")

// lognormal returns n seeded lognormal draws with the given median and
// log-scale sigma.
func lognormal(seed uint64, n int, median, sigma float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 1))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = median * math.Exp(sigma*r.NormFloat64())
	}
	return xs
}

// normal returns n seeded normal draws.
func normal(seed uint64, n int, mean, sd float64) []float64 {
	r := rand.New(rand.NewPCG(seed, 2))
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = mean + sd*r.NormFloat64()
	}
	return xs
}

// charts are the golden-image cases: realistic seeded inputs.
var charts = []struct {
	name string
	plot func() *plot.Plot
}{
	{"revenue", func() *plot.Plot { return RevenueHistogram(normal(1, 10_000, 5.3e6, 0.95e6), 5e6, "USD") }},
	{"revenue_noquota_eur", func() *plot.Plot { return RevenueHistogram(lognormal(2, 2_000, 850e3, 0.3), 0, "EUR") }},
	{"funnel", func() *plot.Plot {
		return Funnel(
			[]string{"known", "engaged", "mql", "tql", "sal", "opportunity", "won"},
			[]float64{12_480, 4_210, 1_180, 640, 402, 251, 53.4},
			[]float64{0.337, 0.280, 0.542, 0.628, 0.624, 0.213},
			"Known leads to won deals: 53 wins a quarter")
	}},
	{"coverage", func() *plot.Plot { return CoverageHistogram(lognormal(3, 10_000, 3.4, 0.18), 4.6) }},
	{"coverage_low", func() *plot.Plot { return CoverageHistogram(lognormal(4, 5_000, 2.4, 0.15), math.NaN()) }},
	{"sla", func() *plot.Plot {
		return SLACompliance(
			[]string{"Marketing hands MQL to sales", "Sales acknowledges MQL", "Sales accepts or rejects", "Rejected lead re-nurtured"},
			[]float64{0.962, 0.814, 0.871, 0.55},
			[]float64{0.95, 0.9, 0.85, math.NaN()})
	}},
	{"response", func() *plot.Plot {
		xs := lognormal(5, 5_000, 95, 1.6)
		for i := range 120 {
			xs[i*40] = math.Inf(1)
		}
		return ResponseTimes(xs, 240)
	}},
	{"nodata", func() *plot.Plot { return RevenueHistogram(nil, 5e6, "USD") }},
}

// TestGolden compares every chart of the package (the forecast charts and
// the what-if charts) with its golden image.
func TestGolden(t *testing.T) {
	for _, tt := range append(append(charts, whatifCharts...), waterfallCharts...) {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Encode(&buf, tt.plot(), Width, Height, "png"); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.name+".png")
			if *regen {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -regen to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) && !samePixels(t, buf.Bytes(), want) {
				got := filepath.Join("testdata", tt.name+".got.png")
				os.WriteFile(got, buf.Bytes(), 0o644)
				t.Errorf("%s differs from %s (run go test -regen after checking it)", got, path)
			}
		})
	}
}

// samePixels reports whether two PNG images have the same size and differ
// by at most a small tolerance in every channel of every pixel.
func samePixels(t *testing.T, a, b []byte) bool {
	t.Helper()
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		t.Fatal(err)
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if ia.Bounds() != ib.Bounds() {
		return false
	}
	const tol = 0x0800 // of 0xffff
	r := ia.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if !closeColor(ia, ib, x, y, tol) {
				return false
			}
		}
	}
	return true
}

func closeColor(a, b image.Image, x, y int, tol uint32) bool {
	r1, g1, b1, a1 := a.At(x, y).RGBA()
	r2, g2, b2, a2 := b.At(x, y).RGBA()
	d := func(u, v uint32) uint32 {
		if u > v {
			return u - v
		}
		return v - u
	}
	return d(r1, r2) <= tol && d(g1, g2) <= tol && d(b1, b2) <= tol && d(a1, a2) <= tol
}

// titleLine returns the first line of p's title block: the title proper.
func titleLine(p *plot.Plot) string {
	title, _, _ := strings.Cut(p.Title.Text, "\n")
	return title
}

// TestRevenueTitleBounds checks that a chance of quota seen in none or all
// of the quarters is stated as the exact 95% bound, never as 0% or 100%.
func TestRevenueTitleBounds(t *testing.T) {
	all := normal(7, 300, 8e6, 0.5e6)
	for _, tt := range []struct {
		name  string
		quota float64
		want  string
	}{
		{"every quarter", 1e6, "≥ 98% chance of making the $1.0M quota"},
		{"no quarter", 50e6, "≤ 2% chance of making the $50.0M quota"},
		{"some quarters", 8e6, "48% chance of making the $8.0M quota"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := titleLine(RevenueHistogram(all, tt.quota, "USD")); got != tt.want {
				t.Errorf("title %q, want %q", got, tt.want)
			}
		})
	}
	// The bound is montecarlo.ClopperPearson's, rounded outwards.
	for _, n := range []int{1, 10, 120, 300, 10_000} {
		lo, _ := montecarlo.ClopperPearson(n, n, 0.95)
		_, hi := montecarlo.ClopperPearson(0, n, 0.95)
		wantAll := "≥ " + strconv.Itoa(int(math.Floor(100*lo))) + "%"
		wantNone := "≤ " + strconv.Itoa(int(math.Ceil(100*hi))) + "%"
		if got := boundedChance(1, n); got != wantAll {
			t.Errorf("boundedChance(1, %d) = %q, want %q", n, got, wantAll)
		}
		if got := boundedChance(0, n); got != wantNone {
			t.Errorf("boundedChance(0, %d) = %q, want %q", n, got, wantNone)
		}
	}
}

func TestQuotaHorizonTitle(t *testing.T) {
	for _, tt := range []struct {
		name  string
		each  []float64
		every float64
		n     int
		want  string
	}{
		{"range", []float64{0.643, 0.647, 0.627, 0.627}, 0.23, 300, "63–65% chance of the $9.5M quota each quarter, 23% in all 4"},
		{"same", []float64{0.641, 0.638}, 0.41, 300, "64% chance of the $9.5M quota each quarter, 41% in all 2"},
		{"always", []float64{1, 1, 1}, 1, 100, "≥ 96% chance of the $9.5M quota each quarter, ≥ 96% in all 3"},
		{"never in one", []float64{0, 0.02}, 0, 300, "≤ 2% to 2% chance of the $9.5M quota each quarter, ≤ 2% in all 2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := QuotaHorizonTitle(tt.each, tt.every, tt.n, 9.5e6, "USD"); got != tt.want {
				t.Errorf("QuotaHorizonTitle = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRetitle(t *testing.T) {
	p := New("Old finding", "Numbers behind it\nSecond line")
	Retitle(p, "New finding")
	if want := "New finding\nNumbers behind it\nSecond line"; p.Title.Text != want {
		t.Errorf("title block %q, want %q", p.Title.Text, want)
	}
	p = New("Alone", "")
	Retitle(p, "Replaced")
	if p.Title.Text != "Replaced" {
		t.Errorf("title %q, want %q", p.Title.Text, "Replaced")
	}
}

// TestResponseSample checks what the response chart of a forecast says:
// the forecast's figures, the business-hours SLA as a bound, the bars as
// a sample; and that MQLs answered at once, when most, get a bar of their
// own on an axis that shows them.
func TestResponseSample(t *testing.T) {
	f := ResponseForecast{Median: 18 + 1.0/3, P90: 32 * 60, Quarters: 2000, SampleQuarters: 20, MQLs: 13.02e6,
		SLA: 60, Business: true, Compliance: 0.7197}
	xs := lognormal(8, 4000, 120, 2)
	for i := range 1000 {
		xs[i] = 0 // answered at once: a quarter, not drawn
	}
	xs[1] = math.Inf(1)
	p := ResponseSample(xs, f)
	want := "72% of MQLs meet the 1h first-touch SLA (business hours)\n" +
		"Median 18m 20s · P90 1d 8h (a quarter's, mean over 2,000 simulated quarters)\n" +
		"SLA line: waits left of it meet the business-hours SLA; longer ones may too (nights, weekends)\n" +
		"Bars: a sample, 4,000 of the 13.0M MQLs (20 quarters) · 1 never answered\n" + // wrapped by New
		"25% answered at once (left bar), the rest up to 29d 12h"
	if p.Title.Text != want {
		t.Errorf("title block\n got %q\nwant %q", p.Title.Text, want)
	}
	if svg := svgOf(t, p); !strings.Contains(svg, ">SLA 1h (business hours)<") || !strings.Contains(svg, "stroke-dasharray") {
		t.Error("no dashed SLA guide labelled as business hours")
	}
	if p.Y.Label.Text != "Share of sampled MQLs" {
		t.Errorf("y label %q", p.Y.Label.Text)
	}

	// Nearly all answered at once (SDRs around the clock): the bar of
	// those answered at once shows the bulk, on an axis up to about 100%.
	for i := range 3990 {
		xs[i] = 0
	}
	f.Compliance, f.Median, f.P90 = 1, 0, 0
	p = ResponseSample(xs, f)
	if got, want := titleLine(p), "≥ 99% of MQLs meet the 1h first-touch SLA (business hours)"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if !strings.Contains(strings.ReplaceAll(p.Title.Text, "\n", " · "), "· >99% answered at once (left bar), the rest up to ") {
		t.Errorf("subtitle lacks the left bar: %q", p.Title.Text)
	}
	if svg := svgOf(t, p); !strings.Contains(svg, "fill:#1B8A7A") || !strings.Contains(svg, ">99.8%<") {
		t.Error("no teal at-once bar labelled 99.8%")
	}
	if p.Y.Max < 0.9975 || p.Y.Max > 1.1 {
		t.Errorf("y axis up to %v, want the at-once bar's 99.75%% and at most 110%%", p.Y.Max)
	}
	if ticks := p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max); len(ticks) == 0 || ticks[0].Label != "at once" {
		t.Errorf("x ticks %v, want \"at once\" first", ticks)
	}
}

// svgOf returns p drawn as SVG.
func svgOf(t *testing.T, p *plot.Plot) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Encode(&buf, p, Width, Height, "svg"); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestFunnelPath checks that the funnel's bars reconcile with its arrows
// and that its subtitle's overall rate is the product of the arrows, not
// the last volume over the first (which counts wins entering later).
func TestFunnelPath(t *testing.T) {
	stages := []string{"known", "engaged", "mql", "sal", "won"}
	volumes := []float64{1000, 800, 400, 150, 30}
	fromPrev := []float64{nan, 400, 400, 100, 30} // 400 engaged and 50 sal come from elsewhere
	p := FunnelPath(stages, volumes, fromPrev, "Funnel")
	// 0.4 · 0.5 · 0.25 · 0.2 = 1%, where won/known is 3%.
	want := "Funnel\n" +
		"Along the arrows, 1.0% of known leads reach won (the product of the conversions)\n" +
		"Mean entries per simulated quarter · arrows: a stage's entries moving on to the next\n" +
		"Dark: entries from the previous stage (its bar × the arrow) · light: entries from elsewhere"
	if p.Title.Text != want {
		t.Errorf("title block\n got %q\nwant %q", p.Title.Text, want)
	}
	svg := svgOf(t, p)
	for _, want := range []string{">→ 40.0%<", ">→ 50.0%<", ">→ 25.0%<", ">→ 20.0%<", ">incl. 400 other<", ">incl. 50 other<", ">800<"} {
		if !strings.Contains(svg, want) {
			t.Errorf("funnel lacks %s", want)
		}
	}
	if n := strings.Count(svg, " other<"); n != 2 {
		t.Errorf("%d bars with other entries, want 2", n)
	}

	// Without knowing where an entry came from: a whole bar, no arrow.
	p = FunnelPath(stages[:2], volumes[:2], []float64{nan, nan}, "t")
	if svg := svgOf(t, p); strings.Contains(svg, "→") || strings.Contains(p.Title.Text, "Along the arrows") {
		t.Errorf("arrow or overall rate without moves: %q", p.Title.Text)
	}
	for _, f := range []func() *plot.Plot{
		func() *plot.Plot { return FunnelPath(nil, nil, nil, "") },
		func() *plot.Plot { return FunnelPath([]string{"a"}, []float64{nan}, []float64{nan}, "t") },
		func() *plot.Plot { return FunnelPath([]string{"a", "b"}, []float64{0, 0}, []float64{nan, 0}, "t") },
	} {
		svgOf(t, f())
	}
	defer func() {
		if r, _ := recover().(string); !strings.HasPrefix(r, "render: FunnelPath: ") {
			t.Errorf("recovered %q, want a render: FunnelPath panic", r)
		}
	}()
	FunnelPath(stages, volumes, fromPrev[:2], "t")
}
