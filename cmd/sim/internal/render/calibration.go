package render

import (
	"fmt"
	"image/color"
	"math"

	"github.com/funnelsim/funnel/model/stats"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

func line(xs, ys []float64, c color.Color, dash []vg.Length, width float64) *plotter.Line {
	pts := make(plotter.XYs, len(xs))
	for i := range xs {
		pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		panic("render: " + err.Error())
	}
	l.LineStyle = draw.LineStyle{Color: c, Width: vg.Points(width), Dashes: dash}
	return l
}

// step returns the points of a right-continuous step function starting at
// (0, 1) with values s after times t, up to tmax.
func step(t, s []float64, tmax float64) (xs, ys []float64) {
	xs, ys = []float64{0}, []float64{1}
	prev := 1.0
	for i := range t {
		xs = append(xs, t[i], t[i])
		ys = append(ys, prev, s[i])
		prev = s[i]
	}
	xs = append(xs, tmax)
	ys = append(ys, prev)
	return xs, ys
}

// shareTicks is PercentTicks without ticks above 100%: a share axis runs a
// little past 1 to leave the legend room above the 100% line.
type shareTicks struct{}

func (shareTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for _, t := range (PercentTicks{}).Ticks(lo, hi) {
		if t.Value <= 1+1e-9 {
			out = append(out, t)
		}
	}
	return out
}

// legendRoom is the top of a share axis: above 1, the legend's band.
const legendRoom = 1.12

// StageSurvival draws the Kaplan-Meier share of leads still in stage after
// t days (solid, with its 95% band dotted) against the fitted model's
// 1 − Σ p_j F_j(t) (dashed), for n stays; capped more stays, of leads past
// the recycle cap, were left out of both. t, s, lo and hi are the KM step
// times and values; fitted is evaluated on a grid up to tmax days.
func StageSurvival(stage string, t, s, lo, hi []float64, fitted func(float64) float64, n, capped int, tmax float64) *plot.Plot {
	if len(t) == 0 || n == 0 {
		return noData("Time in "+stage, "no leads left "+stage)
	}
	tmax = math.Max(tmax, t[len(t)-1])
	gap := 0.0
	var gx, gy []float64
	for i := 0; i <= 200; i++ {
		x := tmax * float64(i) / 200
		gx = append(gx, x)
		gy = append(gy, fitted(x))
	}
	for i := range t {
		gap = math.Max(gap, math.Abs(s[i]-fitted(t[i])))
	}
	sub := fmt.Sprintf("Kaplan-Meier of %s (solid, 95%% band dotted) vs the fitted model (dashed)", plural(n, "stay"))
	if capped > 0 {
		sub += fmt.Sprintf("; %s past the recycle cap left out", plural(capped, "stay"))
	}
	p := New(fmt.Sprintf("Time in %s: the fitted model is within %.1f points of the data", stage, 100*gap), sub)
	xs, ys := step(t, lo, tmax)
	p.Add(line(xs, ys, Grey, Dashes[2], 1))
	xs, ys = step(t, hi, tmax)
	p.Add(line(xs, ys, Grey, Dashes[2], 1))
	xs, ys = step(t, s, tmax)
	km := line(xs, ys, Blue, nil, 2)
	fit := line(gx, gy, Orange, Dashes[1], 2)
	p.Add(km, fit)
	p.Legend.Add("observed (Kaplan-Meier)", km)
	p.Legend.Add("fitted model", fit)
	legend(p, true)
	p.X.Label.Text = "Days in " + stage
	p.Y.Label.Text = "Share still in " + stage
	p.Y.Tick.Marker = shareTicks{}
	p.Y.Min, p.Y.Max = 0, legendRoom
	p.X.Min, p.X.Max = 0, tmax
	return p
}

// DecayBin is the observed contact rate of the leads first touched in a
// band of response times, for DecayCurve.
type DecayBin struct {
	Minutes      float64 // median response time in the band, minutes
	Rate         float64 // share contacted
	Lower, Upper float64 // its 95% interval
	N            int
}

// DecayCurve draws the fitted contact probability against the response
// time (log scale) with the observed rates of bins and their intervals;
// odds5v30 is the fitted odds ratio of contact at 5 vs 30 minutes.
func DecayCurve(bins []DecayBin, fitted func(minutes float64) float64, odds5v30, odds1v24 float64, n int) *plot.Plot {
	if len(bins) == 0 {
		return noData("Contact rate by response time", "no answered MQLs")
	}
	p := New(fmt.Sprintf("Contact falls from %s at once to %s after a day", Percent(fitted(0)), Percent(fitted(1440))),
		fmt.Sprintf("Odds of contact %s higher at 5 min than at 30 (published: ~100x), %s at 1 h vs 24 h (~60x) · %s",
			Ratio(odds5v30), Ratio(odds1v24), plural(n, "answered MQL")))
	lo, hi := math.Log10(0.5), math.Log10(math.Max(bins[len(bins)-1].Minutes*2, 2880))
	var gx, gy []float64
	for i := 0; i <= 200; i++ {
		l := lo + (hi-lo)*float64(i)/200
		gx = append(gx, l)
		gy = append(gy, fitted(math.Pow(10, l)))
	}
	fit := line(gx, gy, Orange, Dashes[1], 2)
	p.Add(fit)
	pts := make(plotter.XYs, 0, len(bins))
	for _, b := range bins {
		x := math.Log10(math.Max(b.Minutes, 0.5))
		p.Add(line([]float64{x, x}, []float64{b.Lower, b.Upper}, Blue, nil, 1.5))
		pts = append(pts, plotter.XY{X: x, Y: b.Rate})
	}
	sc, err := plotter.NewScatter(pts)
	if err != nil {
		panic("render: " + err.Error())
	}
	sc.GlyphStyle = draw.GlyphStyle{Color: Blue, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
	p.Add(sc)
	p.Legend.Add("observed, with 95% interval", sc)
	p.Legend.Add("fitted curve", fit)
	legend(p, true)
	p.X.Tick.Marker = durationTicks{}
	p.X.Label.Text = "Time to first touch (log scale)"
	p.Y.Label.Text = "Share of MQLs contacted"
	p.Y.Tick.Marker = shareTicks{}
	p.X.Min, p.X.Max = lo, hi
	p.Y.Min, p.Y.Max = 0, legendRoom
	return p
}

type grid7x24 [7][24]float64

func (g grid7x24) Dims() (c, r int)   { return 24, 7 }
func (g grid7x24) Z(c, r int) float64 { return g[6-r][c] }
func (g grid7x24) X(c int) float64    { return float64(c) + 0.5 }
func (g grid7x24) Y(r int) float64    { return float64(r) + 0.5 }
func (g grid7x24) maxZ() (m float64) {
	for _, row := range g {
		for _, v := range row {
			m = math.Max(m, v)
		}
	}
	return m
}

type dayTicks struct{}

func (dayTicks) Ticks(lo, hi float64) []plot.Tick {
	names := []string{"Sun", "Sat", "Fri", "Thu", "Wed", "Tue", "Mon"}
	var t []plot.Tick
	for i, n := range names {
		t = append(t, plot.Tick{Value: float64(i) + 0.5, Label: n})
	}
	return t
}

type hourTicks struct{}

func (hourTicks) Ticks(lo, hi float64) []plot.Tick {
	var t []plot.Tick
	for h := 0; h <= 24; h += 3 {
		t = append(t, plot.Tick{Value: float64(h), Label: fmt.Sprintf("%02d:00", h)})
	}
	return t
}

// ArrivalHeatmap draws a 7x24 arrival profile (rows Monday first, hours
// 0-23, relative intensity with mean 1) as a heat map; darker is busier,
// and the subtitle gives the scale. datesOnly says the export dated its
// leads without a time: the title then speaks of weekdays, not hours.
func ArrivalHeatmap(source string, weights [7][24]float64, perWeek float64, zone string, datesOnly bool) *plot.Plot {
	g := grid7x24(weights)
	peakD, peakH, work := 0, 0, 0.0
	total := 0.0
	for d := range g {
		for h := range g[d] {
			total += g[d][h]
			if g[d][h] > g[peakD][peakH] {
				peakD, peakH = d, h
			}
			if d < 5 && h >= 8 && h < 18 {
				work += g[d][h]
			}
		}
	}
	if total == 0 {
		return noData("Arrivals of "+source, "no arrivals")
	}
	days := []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}
	scale := fmt.Sprintf("colour: arrivals an hour, white none to darkest %s the average hour", Ratio(g.maxZ()))
	title := fmt.Sprintf("%s: %s of leads arrive on weekdays 8:00-18:00", source, Percent(work/total))
	sub := fmt.Sprintf("%s leads a week · busiest hour %s %02d:00 (%s the average) · %s\n%s", Count(perWeek), days[peakD], peakH, Ratio(g[peakD][peakH]), zone, scale)
	if datesOnly {
		var day [7]float64
		weekdays := 0.0
		for d := range g {
			for h := range g[d] {
				day[d] += g[d][h]
			}
			if d < 5 {
				weekdays += day[d]
			}
		}
		busiest := 0
		for d := range day {
			if day[d] > day[busiest] {
				busiest = d
			}
		}
		title = fmt.Sprintf("%s: %s of leads arrive Monday to Friday", source, Percent(weekdays/total))
		sub = fmt.Sprintf("%s leads a week · busiest day %s (%s of the week) · %s\nThe export dates leads without a time: each day is spread evenly over its hours · %s",
			Count(perWeek), days[busiest], Percent(day[busiest]/total), zone, scale)
	}
	p := New(title, sub)
	// One hue, white (quiet) to dark blue (busy): readable in greyscale.
	cols := make([]color.Color, 64)
	for i := range cols {
		f := float64(i) / 63
		mix := func(a uint8) uint8 { return uint8(math.Round(255 - f*(255-float64(a)))) }
		cols[i] = color.RGBA{R: mix(Blue.R), G: mix(Blue.G), B: mix(Blue.B), A: 0xff}
	}
	h := plotter.NewHeatMap(g, revPalette(cols))
	h.Min, h.Max = 0, math.Max(g.maxZ(), 1e-9)
	p.Add(h)
	p.X.Tick.Marker = hourTicks{}
	p.Y.Tick.Marker = dayTicks{}
	p.X.Label.Text = "Hour of day"
	p.Y.Label.Text = ""
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 24, 0, 7
	return p
}

type revPalette []color.Color

func (r revPalette) Colors() []color.Color { return r }

// DealSizes draws the histogram of deal amounts (log scale) with the
// fitted lognormal density (mu, sigma of the log amount) over it, or with
// no curve when empirical.
func DealSizes(source string, amounts []float64, mu, sigma float64, empirical bool, currency string) *plot.Plot {
	var logs []float64
	for _, a := range amounts {
		if a > 0 {
			logs = append(logs, math.Log10(a))
		}
	}
	if len(logs) == 0 {
		return noData("Deal sizes of "+source, "no deal amounts")
	}
	vals, _ := sortedFinite(logs)
	med := math.Pow(10, stats.Quantile(0.5, vals))
	title := fmt.Sprintf("%s: median deal %s", source, Money(med, currency))
	sub := fmt.Sprintf("%s · P10 %s · P90 %s", plural(len(vals), "deal"), Money(math.Pow(10, stats.Quantile(0.1, vals)), currency), Money(math.Pow(10, stats.Quantile(0.9, vals)), currency))
	if empirical {
		sub += " · lognormal rejected (KS): the model draws from these amounts"
	} else {
		sub += fmt.Sprintf(" · fitted lognormal (dashed): median %s, σ %.2f", Money(math.Exp(mu), currency), sigma)
	}
	p := New(title, sub)
	lo, hi := vals[0], vals[len(vals)-1]
	if hi-lo < 1e-9 {
		lo, hi = lo-0.1, hi+0.1
	}
	k := 30
	w := (hi - lo) / float64(k)
	bins := make([]plotter.HistogramBin, k)
	for i := range bins {
		bins[i].Min, bins[i].Max = lo+float64(i)*w, lo+float64(i+1)*w
	}
	for _, v := range vals {
		bins[min(int((v-lo)/w), k-1)].Weight += 1 / float64(len(vals))
	}
	p.Add(barsOf(bins))
	top := maxWeight(bins)
	if !empirical && sigma > 0 {
		var gx, gy []float64
		for i := 0; i <= 200; i++ {
			x := lo + (hi-lo)*float64(i)/200
			// density of log10 amount times the bin width
			z := (x*math.Ln10 - mu) / sigma
			d := math.Exp(-z*z/2) / (sigma * math.Sqrt(2*math.Pi)) * math.Ln10 * w
			gx, gy = append(gx, x), append(gy, d)
			top = math.Max(top, d)
		}
		p.Add(line(gx, gy, Orange, Dashes[1], 2))
	}
	p.X.Tick.Marker = logMoneyTicks{currency}
	p.X.Label.Text = "Deal amount (" + currency + ", log scale)"
	p.Y.Label.Text = "Share of deals"
	p.Y.Tick.Marker = PercentTicks{}
	p.Y.Min, p.Y.Max = 0, top*1.15
	return p
}

type logMoneyTicks struct{ currency string }

func (t logMoneyTicks) Ticks(lo, hi float64) []plot.Tick {
	var out []plot.Tick
	for e := math.Floor(lo); e <= math.Ceil(hi); e++ {
		for _, m := range []float64{1, 2, 5} {
			v := math.Log10(m) + e
			if v >= lo-1e-9 && v <= hi+1e-9 {
				out = append(out, plot.Tick{Value: v, Label: Money(math.Pow(10, v), t.currency)})
			}
		}
	}
	return out
}
