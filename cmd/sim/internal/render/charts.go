package render

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/funnelsim/funnel/model/stats"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// headroom is the factor by which charts with reference-line labels raise
// the top of the y axis above the tallest bar, leaving rows for the labels.
const headroom = 1.3

// sortedFinite returns the finite values of xs, sorted, and how many values
// were left out.
func sortedFinite(xs []float64) (vals []float64, dropped int) {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			dropped++
			continue
		}
		vals = append(vals, x)
	}
	slices.Sort(vals)
	return vals, dropped
}

// shareAtLeast returns the share of sorted that is ≥ x.
func shareAtLeast(sorted []float64, x float64) float64 {
	i, _ := slices.BinarySearch(sorted, x)
	return float64(len(sorted)-i) / float64(len(sorted))
}

// plural writes n and the noun, with an "s" unless n is 1: "10,000 simulated
// quarters".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return Count(float64(n)) + " " + noun + "s"
}

// leftOut describes values left out of a chart, or returns "".
func leftOut(n int) string {
	if n == 0 {
		return ""
	}
	return " · " + Count(float64(n)) + " missing left out"
}

// shareHistogram bins sorted values on round edges, each bin weighted by
// its share of the values. The bin width is the Freedman–Diaconis width,
// 2·IQR/n^(1/3), kept between 1/60 and 1/15 of the range and rounded up to
// 1, 2, 2.5 or 5 times a power of ten. A constant sample gets one bin of
// width ±spread around its value.
func shareHistogram(sorted []float64, spread float64) *plotter.Histogram {
	lo, hi := sorted[0], sorted[len(sorted)-1]
	n := float64(len(sorted))
	var bins []plotter.HistogramBin
	if hi-lo <= 1e-12*math.Max(1, math.Abs(hi)) {
		bins = []plotter.HistogramBin{{Min: lo - spread, Max: lo + spread, Weight: 1}}
	} else {
		fd := 2 * (stats.Quantile(0.75, sorted) - stats.Quantile(0.25, sorted)) / math.Cbrt(n)
		w := binStep(math.Min(math.Max(fd, (hi-lo)/60), (hi-lo)/15))
		start := math.Floor(lo/w) * w
		k := int(math.Floor((hi-start)/w)) + 1
		bins = make([]plotter.HistogramBin, k)
		for i := range bins {
			bins[i].Min = start + float64(i)*w
			bins[i].Max = start + float64(i+1)*w
		}
		for _, v := range sorted {
			i := min(int(math.Floor((v-start)/w)), k-1)
			bins[i].Weight += 1 / n
		}
	}
	return barsOf(bins)
}

// binStep returns the smallest of 1, 2, 2.5 and 5 times a power of ten that
// is at least raw: round bin widths, finer grained than tick steps.
func binStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// barsOf returns a histogram plotter of bins in the product style.
func barsOf(bins []plotter.HistogramBin) *plotter.Histogram {
	return &plotter.Histogram{
		Bins:      bins,
		FillColor: Blue,
		LineStyle: draw.LineStyle{Color: color.White, Width: vg.Points(0.5)},
	}
}

// maxWeight returns the largest bin weight.
func maxWeight(bins []plotter.HistogramBin) float64 {
	m := 0.0
	for _, b := range bins {
		m = math.Max(m, b.Weight)
	}
	return m
}

// currencyLabel returns the axis-label suffix naming the currency.
func currencyLabel(currency string) string {
	if currency = strings.TrimSpace(currency); currency == "" {
		return ""
	}
	return ", " + strings.ToUpper(currency)
}

// boundedChance formats p, a share of n values, as chance does, but at 0
// or 1, where n values cannot rule out the other outcome, as the end of the
// exact 95% interval rounded outwards to a whole percentage: "≥ 98%" for
// all of 300, ⌊100·0.025^(1/n)⌋, the Clopper–Pearson lower bound (see
// montecarlo.ClopperPearson), and "≤ 2%" for none of 300.
func boundedChance(p float64, n int) string {
	if n < 1 || (p != 0 && p != 1) {
		return chance(p)
	}
	end := math.Pow(0.025, 1/float64(n)) // lower bound at n of n; 1 − upper bound at 0 of n
	if p == 1 {
		return "≥ " + percent(math.Floor(100*end+1e-9)/100, 0)
	}
	return "≤ " + percent(math.Ceil(100*(1-end)-1e-9)/100, 0)
}

// RevenueHistogram returns a histogram of simulated quarterly revenue
// (amounts in currency, an ISO 4217 code; see Money) as shares of the
// simulated quarters, with the P10–P90 interval shaded, the P10, median and
// P90 marked, and, when quota > 0, a "Quota" reference line and a title
// giving the chance of revenue ≥ quota (its exact 95% bound when no value
// or every value reaches quota: see boundedChance). Non-finite values are
// left out and counted in the subtitle; with no finite value the plot says
// so.
func RevenueHistogram(revenue []float64, quota float64, currency string) *plot.Plot {
	vals, dropped := sortedFinite(revenue)
	if len(vals) == 0 {
		return noData("Simulated quarterly revenue", "no simulated quarters")
	}
	p10, p50, p90 := stats.Quantile(0.1, vals), stats.Quantile(0.5, vals), stats.Quantile(0.9, vals)
	if quota > 0 && !math.IsInf(quota, 0) {
		title := fmt.Sprintf("%s chance of making the %s quota", boundedChance(shareAtLeast(vals, quota), len(vals)), Money(quota, currency))
		sub := fmt.Sprintf("Median %s · P10–P90 %s–%s (shaded) · %s%s",
			Money(p50, currency), Money(p10, currency), Money(p90, currency),
			plural(len(vals), "simulated quarter"), leftOut(dropped))
		return moneyHistogram(vals, title, sub, "Quarterly revenue", currency,
			Ref{X: quota, Label: "Quota " + Money(quota, currency)})
	}
	title := fmt.Sprintf("Half the simulated quarters bring %s or more", Money(p50, currency))
	sub := fmt.Sprintf("P10–P90 %s–%s (shaded) · %s%s · no quota in the model",
		Money(p10, currency), Money(p90, currency), plural(len(vals), "simulated quarter"), leftOut(dropped))
	return moneyHistogram(vals, title, sub, "Quarterly revenue", currency)
}

// PipelineHistogram returns the histogram of the open pipeline at quarter
// start, in currency, for a model without a quota, where coverage (open
// pipeline ÷ quota) has no meaning: the title gives the median, the
// subtitle P10–P90 and how to get coverage instead.
func PipelineHistogram(open []float64, currency string) *plot.Plot {
	vals, dropped := sortedFinite(open)
	if len(vals) == 0 {
		return noData("Open pipeline at quarter start", "no simulated quarters")
	}
	p10, p50, p90 := stats.Quantile(0.1, vals), stats.Quantile(0.5, vals), stats.Quantile(0.9, vals)
	title := fmt.Sprintf("Quarters start with a median %s of open pipeline", Money(p50, currency))
	sub := fmt.Sprintf("P10–P90 %s–%s (shaded) · %s%s", Money(p10, currency), Money(p90, currency), plural(len(vals), "simulated quarter"), leftOut(dropped))
	if vals[0] == vals[len(vals)-1] {
		title = fmt.Sprintf("Every quarter starts with the same %s of open pipeline", Money(p50, currency))
		sub = fmt.Sprintf("The model's start state: the deals open at its as-of date · %s%s", plural(len(vals), "simulated quarter"), leftOut(dropped))
	}
	sub += "\nNo quota in the model, so no coverage: set quota: or calibrate with --quota"
	return moneyHistogram(vals, title, sub, "Open pipeline at quarter start", currency)
}

// moneyHistogram draws the share of quarters by an amount, vals sorted
// and finite, with its P10–P90 band and guides, and the reference lines
// refs.
func moneyHistogram(vals []float64, title, sub, xLabel, currency string, refs ...Ref) *plot.Plot {
	p10, p50, p90 := stats.Quantile(0.1, vals), stats.Quantile(0.5, vals), stats.Quantile(0.9, vals)
	p := New(title, sub)
	h := shareHistogram(vals, math.Max(math.Abs(vals[0])*0.02, 1))
	p.Add(band{lo: p10, hi: p90, fill: BandColor}, h)
	if p90 > p10 {
		refs = append(refs,
			Ref{X: p50, Label: "Median", Line: GuideStyle},
			Ref{X: p10, Label: "P10", Line: GuideStyle},
			Ref{X: p90, Label: "P90", Line: GuideStyle})
	}
	RefLines(p, refs...)
	p.X.Label.Text = xLabel + currencyLabel(currency)
	p.X.Tick.Marker = MoneyTicks{Currency: currency}
	p.Y.Label.Text = "Share of simulated quarters"
	p.Y.Tick.Marker = PercentTicks{}
	p.Y.Min, p.Y.Max = 0, math.Min(maxWeight(h.Bins)*headroom, 1.05)
	if v := vals[0]; v == vals[len(vals)-1] && v != 0 {
		p.X.Min, p.X.Max = v-0.25*math.Abs(v), v+0.25*math.Abs(v) // one value: a bar, not a wall
	}
	return p
}

// wrap breaks s at spaces into lines of at most about width characters.
func wrap(s string, width int) string {
	words := strings.Fields(s)
	var b strings.Builder
	n := 0
	for i, w := range words {
		l := len([]rune(w))
		if i > 0 {
			if n+1+l > width {
				b.WriteByte('\n')
				n = 0
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}

// categories sets the x axis of p to the names, centred on 0, 1, 2, ...,
// with long names wrapped onto several lines.
func categories(p *plot.Plot, names []string) {
	ticks := make([]plot.Tick, len(names))
	for i, name := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: wrap(name, 14)}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Tick.Length = 0
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
}

// volumeLabel formats a mean volume: one decimal below 10, else a count.
func volumeLabel(v float64) string {
	if math.Abs(v) < 9.95 && !math.IsNaN(v) {
		return fmt.Sprintf("%.1f", v)
	}
	return Count(v)
}

// Funnel returns a bar chart of the mean volume per stage, in the order of
// stages (the taxonomy order), each bar labelled with its volume, and the
// stage-to-stage conversion shown between bars: conversion[i] is the volume
// into stages[i+1] relative to stages[i], in [0,1], NaN when unknown, and
// conversion may be nil for none. volumes are per quarter; NaN draws no
// bar. The title is given by the caller; the subtitle states the last
// volume ÷ the first as the share of the first stage reaching the last,
// which holds only when every entry of every stage came from the stage
// before it: for funnels with other entries (sources entering later,
// recycles) use FunnelPath. Funnel panics if
// len(volumes) != len(stages), or if conversion is not nil and
// len(conversion) != len(stages)-1. With no stages the plot says so.
func Funnel(stages []string, volumes []float64, conversion []float64, title string) *plot.Plot {
	if len(volumes) != len(stages) {
		panic(fmt.Sprintf("render: Funnel: %d volumes for %d stages", len(volumes), len(stages)))
	}
	if conversion != nil && len(stages) > 0 && len(conversion) != len(stages)-1 {
		panic(fmt.Sprintf("render: Funnel: %d conversion rates for %d stages, want %d", len(conversion), len(stages), len(stages)-1))
	}
	if title == "" {
		title = "Funnel volume by stage"
	}
	top := maxFinite(volumes)
	if math.IsInf(top, -1) {
		return noData(title, "no stage volumes")
	}
	first, last := volumes[0], volumes[len(volumes)-1]
	sub := "Mean volume per simulated quarter · arrows: conversion to the next stage"
	if len(stages) > 1 && first > 0 && !math.IsNaN(last) && !math.IsInf(first, 0) {
		sub = fmt.Sprintf("%s of %s reach %s · %s", Percent(last/first), stages[0], stages[len(stages)-1], sub)
	}
	p := New(title, sub)
	top = math.Max(top, 1)

	b := &bars{heights: volumes, width: 0.62, style: textStyle(sans, NoteSize, Ink)}
	for _, v := range volumes {
		b.colors = append(b.colors, Blue)
		b.labels = append(b.labels, volumeLabel(v))
	}
	p.Add(b)
	if len(conversion) > 0 {
		l := labelsAt{style: textStyle(sans, NoteSize, Muted)}
		for i, c := range conversion {
			l.x = append(l.x, float64(i)+0.5)
			l.y = append(l.y, top*1.2)
			l.texts = append(l.texts, "→ "+Percent(c))
		}
		p.Add(l)
	}
	categories(p, stages)
	p.Y.Label.Text = "Mean volume per quarter"
	p.Y.Tick.Marker = CountTicks{}
	p.Y.Min, p.Y.Max = 0, top*headroom
	return p
}

// maxFinite returns the largest finite value of v, or -Inf if none.
func maxFinite(v []float64) float64 {
	top := math.Inf(-1)
	for _, x := range v {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			top = math.Max(top, x)
		}
	}
	return top
}

// lightBlue fills the part of a funnel bar that did not come from the
// previous stage (L* ≈ 76, apart from Blue in greyscale).
var lightBlue = color.RGBA{R: 0xa6, G: 0xc0, B: 0xda, A: 0xff}

// FunnelPath returns a bar chart of the mean volume per stage on the way to
// a win, like Funnel, with each bar split by where its entries come from:
// the dark part from the previous stage, fromPrev[i], and the light part,
// volumes[i] − fromPrev[i], from elsewhere (sources entering at that
// stage, sales-sourced deals, recycled leads), labelled "incl. 286 other" under
// the bar's total. The arrow between bars i−1 and i is the conversion
// fromPrev[i] / volumes[i−1], so an arrow times the bar before it is the
// dark part of the bar after it: the chart reconciles. fromPrev[0] is
// ignored (the first bar is all dark); a NaN fromPrev[i] draws bar i whole
// and no arrow into it. The subtitle gives the product of the arrows, the
// share of the first stage's leads that reach the last along the path (if
// each conversion holds for every lead entering its stage, and leaving out
// second passes after a recycle), rather than last ÷ first volume, which
// counts wins that never passed the first stage. volumes are per quarter;
// NaN draws no bar. FunnelPath panics if len(volumes) or len(fromPrev)
// differs from len(stages). With no stages the plot says so.
func FunnelPath(stages []string, volumes, fromPrev []float64, title string) *plot.Plot {
	if len(volumes) != len(stages) || len(fromPrev) != len(stages) {
		panic(fmt.Sprintf("render: FunnelPath: %d volumes and %d from the previous stage for %d stages", len(volumes), len(fromPrev), len(stages)))
	}
	if title == "" {
		title = "Funnel volume by stage"
	}
	top := maxFinite(volumes)
	if math.IsInf(top, -1) {
		return noData(title, "no stage volumes")
	}
	n := len(stages)
	conv := make([]float64, n) // conv[i]: the arrow into stage i
	dark := make([]float64, n)
	path := 1.0
	for i := range n {
		conv[i], dark[i] = math.NaN(), volumes[i]
		if i == 0 {
			continue
		}
		if f := fromPrev[i]; !math.IsNaN(f) && volumes[i-1] > 0 {
			conv[i], dark[i] = f/volumes[i-1], f
		}
		path *= conv[i]
	}
	sub := "Mean entries per simulated quarter · arrows: a stage's entries moving on to the next\n" +
		"Dark: entries from the previous stage (its bar × the arrow) · light: entries from elsewhere"
	if n > 1 && !math.IsNaN(path) && !math.IsInf(path, 0) {
		sub = fmt.Sprintf("Along the arrows, %s of %s leads reach %s (the product of the conversions)\n%s",
			Percent(path), stages[0], stages[n-1], sub)
	}
	p := New(title, sub)
	top = math.Max(top, 1)

	whole := &bars{heights: volumes, width: 0.62, style: textStyle(sans, NoteSize, Ink)}
	part := &bars{heights: dark, width: 0.62}
	for i, v := range volumes {
		label := volumeLabel(v)
		if other := v - dark[i]; other >= 0.005*v && other >= 0.5 {
			label += "\nincl. " + volumeLabel(other) + " other"
		}
		whole.colors = append(whole.colors, lightBlue)
		whole.labels = append(whole.labels, label)
		part.colors = append(part.colors, Blue)
	}
	p.Add(whole, part)
	l := labelsAt{style: textStyle(sans, NoteSize, Muted)}
	for i := 1; i < n; i++ {
		if !math.IsNaN(conv[i]) {
			l.x = append(l.x, float64(i)-0.5)
			l.y = append(l.y, top*1.2)
			l.texts = append(l.texts, "→ "+Percent(conv[i]))
		}
	}
	p.Add(l)
	categories(p, stages)
	p.Y.Label.Text = "Mean entries per quarter"
	p.Y.Tick.Marker = CountTicks{}
	p.Y.Min, p.Y.Max = 0, top*headroom
	return p
}

// CoverageHistogram returns a histogram of pipeline coverage, the open
// pipeline at quarter start divided by quota (a ratio, 3 is 3x), as shares
// of the simulated quarters, with reference lines at the 3x and 4x rules of
// thumb and, when needed is finite, at the coverage this funnel needs to hit
// quota with 80% probability. The title says where the median sits against
// the rules. Non-finite values are left out and counted in the subtitle;
// with no finite value the plot says so.
func CoverageHistogram(coverage []float64, needed float64) *plot.Plot {
	vals, dropped := sortedFinite(coverage)
	if len(vals) == 0 {
		return noData("Pipeline coverage", "no simulated quarters")
	}
	p10, p50, p90 := stats.Quantile(0.1, vals), stats.Quantile(0.5, vals), stats.Quantile(0.9, vals)
	var title string
	switch {
	case p50 < 3:
		title = fmt.Sprintf("Median coverage %s is below the 3x rule", Ratio(p50))
	case p50 < 4:
		title = fmt.Sprintf("Median coverage %s: above the 3x rule, below 4x", Ratio(p50))
	default:
		title = fmt.Sprintf("Median coverage %s clears the 4x rule", Ratio(p50))
	}
	sub := fmt.Sprintf("Coverage = open pipeline at quarter start ÷ quota · P10–P90 %s–%s · %s%s",
		Ratio(p10), Ratio(p90), plural(len(vals), "simulated quarter"), leftOut(dropped))
	hasNeeded := !math.IsNaN(needed) && !math.IsInf(needed, 0)
	if hasNeeded {
		sub += fmt.Sprintf("\nThis funnel needs %s for an 80%% chance of quota; %s of quarters start with that much",
			Ratio(needed), chance(shareAtLeast(vals, needed)))
	}
	p := New(title, sub)

	h := shareHistogram(vals, math.Max(math.Abs(vals[0])*0.02, 0.05))
	p.Add(h)
	refs := []Ref{{X: 3, Label: "3x rule"}, {X: 4, Label: "4x rule"}}
	if hasNeeded {
		refs = append([]Ref{{X: needed, Label: "Needed " + Ratio(needed),
			Line: draw.LineStyle{Color: Orange, Width: vg.Points(2.5), Dashes: Dashes[1]}}}, refs...)
	}
	RefLines(p, refs...)

	p.X.Label.Text = "Pipeline coverage (open pipeline ÷ quota)"
	p.X.Tick.Marker = RatioTicks{}
	p.Y.Label.Text = "Share of simulated quarters"
	p.Y.Tick.Marker = PercentTicks{}
	p.Y.Min, p.Y.Max = 0, maxWeight(h.Bins)*headroom
	return p
}

// SLACompliance returns a bar chart of SLA compliance per handoff: the share
// of handoffs done within their SLA, in [0,1], one bar per name, with a
// target mark across each bar whose target (a share, 0.9 is 90%) is not
// NaN; targets may be nil for none. Bars meeting their target are dark
// blue, bars missing it orange. The title counts the handoffs that meet
// their targets. SLACompliance panics if len(compliance) != len(names), or
// if targets is not nil and len(targets) != len(names). With no handoffs
// the plot says so.
func SLACompliance(names []string, compliance []float64, targets []float64) *plot.Plot {
	if len(compliance) != len(names) {
		panic(fmt.Sprintf("render: SLACompliance: %d compliance values for %d names", len(compliance), len(names)))
	}
	if targets != nil && len(targets) != len(names) {
		panic(fmt.Sprintf("render: SLACompliance: %d targets for %d names", len(targets), len(names)))
	}
	if len(names) == 0 {
		return noData("SLA compliance", "no handoffs")
	}
	target := func(i int) float64 {
		if targets == nil || math.IsInf(targets[i], 0) {
			return math.NaN()
		}
		return targets[i]
	}
	b := &bars{heights: compliance, width: 0.6, style: textStyle(sans, NoteSize, Ink)}
	withTarget, met := 0, 0
	worst, worstGap := -1, 0.0
	for i, c := range compliance {
		clr, label := Blue, Percent(c)
		// A label just under a target mark would cross it: it goes
		// inside the bar.
		b.inside = append(b.inside, c < target(i) && target(i)-c < 0.1)
		if t := target(i); !math.IsNaN(t) {
			if !math.IsNaN(c) {
				withTarget++
				if c >= t {
					met++
				} else {
					clr = Orange
					if gap := t - c; gap > worstGap {
						worst, worstGap = i, gap
					}
				}
			}
		}
		b.colors = append(b.colors, clr)
		b.labels = append(b.labels, label)
	}
	var title string
	switch {
	case withTarget == 0:
		title = "SLA compliance by handoff"
	case met == withTarget:
		title = fmt.Sprintf("All %s meet their SLA target", plural(withTarget, "handoff"))
	default:
		title = fmt.Sprintf("%d of %s meet their SLA target", met, plural(withTarget, "handoff"))
	}
	sub := "Share of handoffs done within the SLA"
	if withTarget > 0 {
		sub += " · black line: target"
		if t := uniqueTarget(targets); !math.IsNaN(t) {
			sub += " (" + percent(t, 0) + ")"
		}
		if met < withTarget {
			sub += " · orange: below target"
		}
	}
	if worst >= 0 {
		sub += fmt.Sprintf("\nFurthest behind: %s, %s short", names[worst], strings.TrimSuffix(percent(worstGap, 1), "%")+" points")
	}
	p := New(title, sub)
	p.Add(b)
	if targets != nil {
		ys := make([]float64, len(names))
		for i := range ys {
			ys[i] = target(i)
		}
		p.Add(marks{ys: ys, width: 0.72, line: draw.LineStyle{Color: Ink, Width: vg.Points(2.5)}})
	}
	categories(p, names)
	p.Y.Label.Text = "Handoffs within SLA"
	p.Y.Tick.Marker = PercentTicks{}
	p.Y.Min, p.Y.Max = 0, 1.1
	return p
}

// uniqueTarget returns the target every handoff shares, or NaN when they
// differ or there is none.
func uniqueTarget(targets []float64) float64 {
	t := math.NaN()
	for _, v := range targets {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
		case math.IsNaN(t):
			t = v
		case v != t:
			return math.NaN()
		}
	}
	return t
}

// minResponse is the shortest response time a log axis shows, in minutes
// (one second); faster responses are counted at it.
const minResponse = 1.0 / 60

// ResponseTimes returns a histogram of MQL response times in minutes on a
// logarithmic time axis, as shares of all MQLs, with the SLA target line
// when slaMinutes > 0, and the share answered within the SLA in the title.
// +Inf means never answered: counted in the shares (as not within the SLA)
// and in the subtitle, but not drawn. NaN and negative values are left out.
// Times under one second count as answered at once: a log axis has no
// place for them, so they are counted in the subtitle and, when they are
// 5% of the MQLs or more, drawn as a bar of their own left of the axis,
// labelled "at once", so that the bars show what the title counts. With no
// value the plot says so.
func ResponseTimes(minutes []float64, slaMinutes float64) *plot.Plot {
	return responseChart(minutes, slaMinutes, nil)
}

// ResponseForecast describes, for ResponseSample, the forecast that a sample
// of MQL response times comes from.
type ResponseForecast struct {
	// Median and P90 are the forecast's median and 90th percentile
	// response times, in minutes: each quarter's, averaged over the
	// simulated quarters. The chart states them, not the sample's own.
	Median, P90 float64
	// Quarters is the number of simulated quarters, SampleQuarters the
	// number of them whose MQLs the sample holds, and MQLs the number of
	// MQLs in all the simulated quarters.
	Quarters, SampleQuarters int
	MQLs                     float64
	// SLA is the first-touch SLA in minutes, 0 for none. Business tells
	// that it counts business hours only: the axis is wall-clock time, so
	// its line is then a bound (every wait left of it meets the SLA; longer
	// waits over nights and weekends may too), drawn as a dashed guide and
	// explained in the subtitle. Compliance is the share of MQLs meeting
	// the SLA (each quarter's, averaged over the quarters), stated in the
	// title; NaN when unknown.
	SLA        float64
	Business   bool
	Compliance float64
}

// ResponseSample returns the histogram of ResponseTimes for minutes, a
// sample of the response times of the MQLs of forecast f, with f's figures
// in its title and subtitle, so that they agree with the forecast's
// summary, and the sample labelled as one: "Bars: a sample, 126,872 of
// the 13.0M MQLs (20 quarters)". The title gives the share of MQLs meeting
// f.SLA when there is one and f.Compliance is known, else f.Median.
func ResponseSample(minutes []float64, f ResponseForecast) *plot.Plot {
	return responseChart(minutes, f.SLA, &f)
}

// responseChart draws ResponseTimes, or ResponseSample when f is not nil.
func responseChart(minutes []float64, slaMinutes float64, f *ResponseForecast) *plot.Plot {
	var vals []float64
	never, dropped := 0, 0
	for _, m := range minutes {
		switch {
		case math.IsInf(m, 1):
			never++
		case math.IsNaN(m) || m < 0 || math.IsInf(m, -1):
			dropped++
		default:
			vals = append(vals, m)
		}
	}
	slices.Sort(vals)
	total := len(vals) + never
	if len(vals) == 0 {
		why := "no MQL response times"
		if never > 0 {
			why = fmt.Sprintf("none of %s answered", plural(never, "MQL"))
		}
		return noData("MQL response times", why)
	}
	hasSLA := slaMinutes > 0 && !math.IsInf(slaMinutes, 0)
	// Leads answered at once (an SDR was free) have no place on a log axis.
	instant, _ := slices.BinarySearch(vals, minResponse)
	// When they are 5% of the MQLs or more, a bar of their own shows them:
	// a title's share meeting the SLA counts them too.
	atOnce := 20*instant >= total
	atOnceText := ", not drawn"
	if atOnce {
		atOnceText = " (left bar)"
		if instant < len(vals) {
			atOnceText += ", the rest up to " + Duration(vals[len(vals)-1])
		}
	}

	var title, sub string
	if f == nil {
		p50 := stats.Quantile(0.5, vals)
		title = "The median MQL waits " + Duration(p50) + " for a first touch"
		if hasSLA {
			i, _ := slices.BinarySearch(vals, math.Nextafter(slaMinutes, math.Inf(1)))
			title = fmt.Sprintf("%s of MQLs answered within the %s SLA", chance(float64(i)/float64(total)), Duration(slaMinutes))
		}
		sub = fmt.Sprintf("Median %s · P90 %s", Duration(p50), Duration(stats.Quantile(0.9, vals)))
		if never > 0 {
			sub += fmt.Sprintf(" of answered · %s · %s never answered", plural(total, "MQL"), Count(float64(never)))
		} else {
			sub += " · " + plural(total, "MQL")
		}
		if instant > 0 {
			sub += fmt.Sprintf(" · %s answered at once (an SDR was free)%s", chance(float64(instant)/float64(total)), atOnceText)
		}
	} else {
		title = "Median MQL response " + Duration(f.Median) + " a quarter"
		if hasSLA && !math.IsNaN(f.Compliance) {
			kind := ""
			if f.Business {
				kind = " (business hours)"
			}
			// Every MQL of every quarter meeting it is a share of the MQLs
			// seen, not a certainty: boundedChance bounds it.
			title = fmt.Sprintf("%s of MQLs meet the %s first-touch SLA%s", boundedChance(f.Compliance, int(math.Round(f.MQLs))),
				Duration(slaMinutes), kind)
		}
		sub = fmt.Sprintf("Median %s · P90 %s (a quarter's, mean over %s)", Duration(f.Median), Duration(f.P90),
			plural(f.Quarters, "simulated quarter"))
		if hasSLA && f.Business {
			sub += "\nSLA line: waits left of it meet the business-hours SLA; longer ones may too (nights, weekends)"
		}
		sub += fmt.Sprintf("\nBars: a sample, %s of the %s MQLs (%s)", Count(float64(total)), scaled(f.MQLs),
			plural(f.SampleQuarters, "quarter"))
		if never > 0 {
			sub += fmt.Sprintf(" · %s never answered", Count(float64(never)))
		}
		if instant > 0 {
			sub += fmt.Sprintf(" · %s answered at once%s", chance(float64(instant)/float64(total)), atOnceText)
		}
	}
	sub += leftOut(dropped)
	p := New(title, sub)
	if instant == len(vals) && !atOnce {
		return noData(title, "every answered MQL was answered at once")
	}
	waiting := vals[instant:]

	// The x axis is log10(minutes) on a linear scale, labelled in durations:
	// plot.LogScale misplaces the centred axis label's glyph box.
	var bins []plotter.HistogramBin
	w := 0.2 // bin width, in decades
	lo := math.Log10(minResponse)
	if len(waiting) > 0 {
		lo = math.Log10(math.Max(waiting[0], minResponse))
		hi := math.Log10(math.Max(waiting[len(waiting)-1], minResponse))
		if hi-lo < 1e-9 {
			bins = []plotter.HistogramBin{{Min: lo - 0.1, Max: lo + 0.1, Weight: float64(len(waiting)) / float64(total)}}
			lo -= 0.1
		} else {
			w = (hi - lo) / math.Min(40, math.Max(10, 8*(hi-lo)))
			k := int(math.Ceil((hi-lo)/w - 1e-9))
			bins = make([]plotter.HistogramBin, k)
			for i := range bins {
				bins[i].Min = lo + float64(i)*w
				bins[i].Max = lo + float64(i+1)*w
			}
			for _, v := range waiting {
				i := min(int((math.Log10(math.Max(v, minResponse))-lo)/w), k-1)
				bins[i].Weight += 1 / float64(total)
			}
		}
		p.Add(barsOf(bins))
		p.X.Max = bins[len(bins)-1].Max + w // the last bar off the edge
	}
	top := maxWeight(bins)
	var ticks plot.Ticker = durationTicks{}
	if atOnce {
		// One bin's width left of the waiting MQLs' bars, after a gap of one.
		share := float64(instant) / float64(total)
		bar := plotter.HistogramBin{Min: lo - 2*w, Max: lo - w, Weight: share}
		h := barsOf([]plotter.HistogramBin{bar})
		h.FillColor = Teal
		mid := (bar.Min + bar.Max) / 2
		p.Add(h, labelsAt{x: []float64{mid}, y: []float64{share * 1.06}, texts: []string{Percent(share)},
			style: textStyle(sans, NoteSize, Ink)})
		top = math.Max(top, share)
		ticks = atOnceTicks{at: mid, from: lo}
		p.X.Min = bar.Min - w/2
	}
	if hasSLA {
		if f != nil && f.Business {
			RefLines(p, Ref{X: math.Log10(slaMinutes), Label: "SLA " + Duration(slaMinutes) + " (business hours)", Line: GuideStyle})
		} else {
			RefLine(p, math.Log10(slaMinutes), "SLA "+Duration(slaMinutes))
		}
	}
	p.X.Tick.Marker = ticks
	p.X.Label.Text = "Time to first response (log scale)"
	p.Y.Label.Text = "Share of MQLs"
	if f != nil {
		p.X.Label.Text = "Time to first response, wall clock (log scale)"
		p.Y.Label.Text = "Share of sampled MQLs"
	}
	p.Y.Tick.Marker = PercentTicks{}
	p.Y.Min, p.Y.Max = 0, math.Min(top*headroom, 1.1) // shares: no axis far above 100%
	return p
}

// atOnceTicks is durationTicks from the axis value from on, with a tick
// labelled "at once" at the axis value at (left of from): the bar of the
// responses too fast for a log axis.
type atOnceTicks struct{ at, from float64 }

// Ticks implements plot.Ticker.
func (t atOnceTicks) Ticks(lo, hi float64) []plot.Tick {
	return append([]plot.Tick{{Value: t.at, Label: "at once"}}, durationTicks{}.Ticks(math.Max(lo, t.from), hi)...)
}

// Retitle replaces the title line of p, a plot made by New, keeping its
// subtitle. title is one line.
func Retitle(p *plot.Plot, title string) {
	_, sub, hasSub := strings.Cut(p.Title.Text, "\n")
	p.Title.Text = strings.TrimRight(title, "\n")
	if hasSub {
		p.Title.Text += "\n" + sub
	}
}

// Resubtitle replaces the subtitle of p, a plot made by New, keeping its
// title line; "" removes it.
func Resubtitle(p *plot.Plot, subtitle string) {
	title, _, _ := strings.Cut(p.Title.Text, "\n")
	p.Title = New(title, subtitle).Title
}

// TitleFits reports whether title fits on one line of a chart's title.
func TitleFits(title string) bool {
	fnt := font.From(sansBold, TitleSize)
	face := font.DefaultCache.Lookup(fnt, fnt.Size)
	return face.Width(title) <= Width-2*Margin
}

// PrefixTitle puts prefix ("Q1 FY2027: ") before the title line of p, a
// plot made by New, keeping its subtitle; when the title would then be
// wider than the chart, the prefix opens the subtitle instead.
func PrefixTitle(p *plot.Plot, prefix string) {
	title, sub, _ := strings.Cut(p.Title.Text, "\n")
	if TitleFits(prefix + title) {
		p.Title.Text = prefix + p.Title.Text
		return
	}
	p.Title = New(title, strings.TrimSuffix(strings.TrimSpace(prefix), ":")+" · "+sub).Title
}

// QuotaHorizonTitle returns the title of a chart of revenue over a horizon
// of quarters with a quota (see Fan): the chance of making quota in a
// quarter, as its range over the quarters, and the chance of making it in
// every quarter, "62–66% chance of the $9.5M quota each quarter, 21% in all
// 4". each[k] is the share of the n simulated runs whose quarter k reached
// quota, every the share that reached it in all of them; shares of 0 or 1
// are stated as their exact 95% bounds (see boundedChance). With no
// quarter it returns "".
func QuotaHorizonTitle(each []float64, every float64, n int, quota float64, currency string) string {
	if len(each) == 0 {
		return ""
	}
	lo, hi := slices.Min(each), slices.Max(each)
	a, b := boundedChance(lo, n), boundedChance(hi, n)
	span := a
	switch {
	case a == b:
	case strings.ContainsAny(a+b, "≤≥<>"):
		span = a + " to " + b
	default:
		span = strings.TrimSuffix(a, "%") + "–" + b
	}
	return fmt.Sprintf("%s chance of the %s quota each quarter, %s in all %d", span, Money(quota, currency),
		boundedChance(every, n), len(each))
}
