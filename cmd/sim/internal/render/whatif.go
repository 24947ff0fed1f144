package render

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Effect is one what-if's effect for Tornado: Delta with its interval
// [Lo, Hi], in the chart's unit.
type Effect struct {
	Name          string
	Delta, Lo, Hi float64
}

// Tornado returns a horizontal bar chart of effects on revenue (currency,
// an ISO 4217 code), sorted by size with the largest on top, each bar
// drawn from 0 to Delta with its interval as a whisker and labelled with
// Delta; bars whose interval contains 0 are grey and marked "~" (not
// significant). unit names the metric for the axis ("Revenue effect a
// quarter"). With no effects the plot says so.
func Tornado(effects []Effect, unit, currency, subtitle string) *plot.Plot {
	var es []Effect
	for _, e := range effects {
		if !math.IsNaN(e.Delta) {
			es = append(es, e)
		}
	}
	if len(es) == 0 {
		return noData("What-if effects", "no what-ifs")
	}
	slices.SortStableFunc(es, func(a, b Effect) int {
		return cmpFloat(math.Abs(a.Delta), math.Abs(b.Delta)) // smallest first: drawn at the bottom
	})
	top := es[len(es)-1]
	title := fmt.Sprintf("%s moves revenue most: %s%s a quarter", top.Name, signPlus(top.Delta), Money(top.Delta, currency))
	p := New(title, subtitle)
	lo, hi := 0.0, 0.0
	var names []string
	for _, e := range es {
		names = append(names, e.Name)
		for _, v := range []float64{e.Delta, e.Lo, e.Hi} {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
	}
	pad := 0.45 * (hi - lo)
	if pad == 0 {
		pad = 1
	}
	p.Add(&hbars{effects: es, currency: currency, style: textStyle(sans, NoteSize, Ink)})
	p.X.Min, p.X.Max = lo-0.05*(hi-lo)*boolf(lo < 0), hi+pad
	p.X.Label.Text = unit + currencyLabel(currency)
	p.X.Tick.Marker = MoneyTicks{Currency: currency}
	ticks := make([]plot.Tick, len(names))
	for i, n := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: wrap(n, 22)}
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.6, float64(len(names))-0.4
	RefLines(p, Ref{X: 0, Line: draw.LineStyle{Color: Ink, Width: vg.Points(1)}})
	return p
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func signPlus(v float64) string {
	if v > 0 {
		return "+"
	}
	return ""
}

// hbars draws the Tornado's bars, whiskers and labels at y = 0, 1, 2, ...
type hbars struct {
	effects  []Effect
	currency string
	style    text.Style
}

// Plot implements plot.Plotter.
func (h *hbars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	whisker := draw.LineStyle{Color: Ink, Width: vg.Points(1.5)}
	for i, e := range h.effects {
		y := float64(i)
		sig := !(e.Lo <= 0 && e.Hi >= 0)
		clr := color.Color(Blue)
		if !sig {
			clr = Grey
		} else if e.Delta < 0 {
			clr = Orange
		}
		y0, y1 := trY(y-0.3), trY(y+0.3)
		x0, x1 := trX(math.Min(0, e.Delta)), trX(math.Max(0, e.Delta))
		c.SetColor(clr)
		c.Fill(vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}.Path())
		end := e.Delta
		if !math.IsNaN(e.Lo) && !math.IsNaN(e.Hi) {
			ym := trY(y)
			c.StrokeLine2(whisker, trX(e.Lo), ym, trX(e.Hi), ym)
			for _, x := range []float64{e.Lo, e.Hi} {
				c.StrokeLine2(whisker, trX(x), trY(y-0.15), trX(x), trY(y+0.15))
			}
			if e.Delta >= 0 {
				end = e.Hi
			} else {
				end = e.Lo
			}
		}
		label := fmt.Sprintf("%s%s (%s to %s)", signPlus(e.Delta), Money(e.Delta, h.currency), Money(e.Lo, h.currency), Money(e.Hi, h.currency))
		if !sig {
			label = "~ " + label
		}
		sty := h.style
		sty.YAlign, sty.XAlign = draw.YCenter, draw.XLeft
		// Inside the bar, in white, when it fits there; else to the right
		// of the bar and its whisker (of zero, for a decrease).
		pt := vg.Point{X: max(trX(0), trX(math.Max(end, e.Delta))) + 6, Y: trY(y)}
		if w := sty.Width(label); x1-x0 > w+16 && sig {
			sty.Color = color.White
			pt.X = x0 + 8
			if e.Delta < 0 {
				pt.X = x1 - 8 - w
			}
		}
		c.FillText(sty, pt, label)
	}
}

// Policy is a point of MoneyCurve: a response policy's median response
// time (minutes) and mean revenue a quarter, with the revenue interval.
type Policy struct {
	Name         string
	Minutes      float64
	Revenue      float64
	RevLo, RevHi float64 // NaN: no interval
	Base         bool    // the model as it is
}

// MoneyCurve returns the money curve of the SLA: mean revenue a quarter
// against the median MQL response time (log scale, labelled in
// durations), one labelled point per policy with its revenue interval,
// the base policy ringed. Median times under one second (answered at
// once) are drawn at one second. With no finite point the plot says so.
func MoneyCurve(policies []Policy, currency string) *plot.Plot {
	var ps []Policy
	for _, q := range policies {
		if q.Minutes >= 0 && !math.IsInf(q.Minutes, 0) && !math.IsNaN(q.Revenue) {
			q.Minutes = math.Max(q.Minutes, minResponse)
			ps = append(ps, q)
		}
	}
	if len(ps) == 0 {
		return noData("Revenue against response time", "no policy with a response time")
	}
	slices.SortStableFunc(ps, func(a, b Policy) int { return cmpFloat(a.Minutes, b.Minutes) })
	// The title compares the best of the fastest policies with the base
	// (or, without one, the slowest policy), naming both.
	fast, slow := ps[0], ps[len(ps)-1]
	for _, q := range ps {
		if q.Minutes == fast.Minutes && q.Revenue > fast.Revenue {
			fast = q
		}
		if q.Base {
			slow = q
		}
	}
	fastText := "in " + Duration(fast.Minutes)
	if fast.Minutes <= minResponse {
		fastText = "at once"
	}
	title := fmt.Sprintf("%s, answering %s, beats %s (%s) by %s a quarter", fast.Name, fastText,
		slow.Name, Duration(slow.Minutes), Money(fast.Revenue-slow.Revenue, currency))
	if fast.Revenue < slow.Revenue {
		title = fmt.Sprintf("Faster response does not pay here: %s at %s vs %s at %s", Money(fast.Revenue, currency),
			Duration(fast.Minutes), Money(slow.Revenue, currency), Duration(slow.Minutes))
	}
	p := New(title, "Mean revenue a quarter against the median MQL response time, one point per policy · ring: the model as it is · whiskers: 95% interval")
	pts := make(plotter.XYs, len(ps))
	lbl := labelsAt{style: textStyle(sans, NoteSize, Ink)}
	ymin, ymax := math.Inf(1), math.Inf(-1)
	var errs []float64
	for i, q := range ps {
		pts[i] = plotter.XY{X: math.Log10(q.Minutes), Y: q.Revenue}
		lo, hi := q.Revenue, q.Revenue
		if !math.IsNaN(q.RevLo) {
			lo, hi = q.RevLo, q.RevHi
		}
		errs = append(errs, lo, hi)
		ymin, ymax = math.Min(ymin, lo), math.Max(ymax, hi)
	}
	span := math.Max(ymax-ymin, math.Abs(ymax)*0.05)
	// A label goes above its point, or below when that would overlap a
	// label already placed (points close in both time and revenue);
	// placing from the highest revenue down puts the lower point's label
	// below it.
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmpFloat(ps[b].Revenue, ps[a].Revenue) })
	for _, i := range order {
		q := ps[i]
		y := q.Revenue + span*0.07
		for j := range lbl.x {
			if math.Abs(lbl.x[j]-pts[i].X) < 0.4 && math.Abs(lbl.y[j]-y) < span*0.08 {
				y = q.Revenue - span*0.07
				break
			}
		}
		lbl.x = append(lbl.x, pts[i].X)
		lbl.y = append(lbl.y, y)
		lbl.texts = append(lbl.texts, q.Name)
	}
	sc, _ := plotter.NewScatter(pts)
	sc.GlyphStyle = draw.GlyphStyle{Color: Blue, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}
	p.Add(&whiskers{pts: pts, ends: errs}, sc, lbl)
	for i, q := range ps {
		if q.Base {
			ring, _ := plotter.NewScatter(plotter.XYs{pts[i]})
			ring.GlyphStyle = draw.GlyphStyle{Color: Orange, Radius: vg.Points(8), Shape: draw.RingGlyph{}}
			p.Add(ring)
		}
	}
	lx, hx := pts[0].X, pts[len(pts)-1].X
	padx := math.Max(0.15*(hx-lx), 0.2)
	p.X.Min, p.X.Max = lx-padx, hx+padx
	p.Y.Min, p.Y.Max = ymin-span*0.2, ymax+span*0.2
	p.X.Tick.Marker = durationTicks{}
	p.X.Label.Text = "Median MQL response time (log scale)"
	p.Y.Label.Text = "Mean revenue a quarter" + currencyLabel(currency)
	p.Y.Tick.Marker = MoneyTicks{Currency: currency}
	return p
}

// whiskers draws vertical intervals: ends[2i], ends[2i+1] at pts[i].X.
type whiskers struct {
	pts  plotter.XYs
	ends []float64
}

// Plot implements plot.Plotter.
func (w *whiskers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ls := draw.LineStyle{Color: Muted, Width: vg.Points(1.2)}
	for i, pt := range w.pts {
		lo, hi := w.ends[2*i], w.ends[2*i+1]
		if lo == hi {
			continue
		}
		x := trX(pt.X)
		c.StrokeLine2(ls, x, trY(lo), x, trY(hi))
		c.StrokeLine2(ls, x-3, trY(lo), x+3, trY(lo))
		c.StrokeLine2(ls, x-3, trY(hi), x+3, trY(hi))
	}
}

// Series is a named line of points for ComplianceByHeadcount.
type Series struct {
	Name string
	X, Y []float64
}

// ComplianceByHeadcount returns SLA compliance (a share) against SDR
// headcount, one line per series (a working-hours coverage), with the
// target as a horizontal line when it is in (0,1]. sla describes the SLA
// ("first touch within 1h"). ComplianceByHeadcount panics if a series'
// X and Y differ in length. With no points the plot says so.
func ComplianceByHeadcount(series []Series, target float64, sla string) *plot.Plot {
	n := 0
	for _, s := range series {
		if len(s.X) != len(s.Y) {
			panic("render: ComplianceByHeadcount: X and Y of different lengths")
		}
		n += len(s.X)
	}
	if n == 0 {
		return noData("SLA compliance by headcount", "no headcounts")
	}
	title := "SLA compliance by SDR headcount"
	if target > 0 && target <= 1 {
		best := math.Inf(1)
		bestName := ""
		for _, s := range series {
			for i := range s.X {
				if s.Y[i] >= target && s.X[i] < best {
					best, bestName = s.X[i], s.Name
				}
			}
		}
		if math.IsInf(best, 1) {
			title = fmt.Sprintf("No headcount tried reaches %s %s", percent(target, 0), sla)
		} else {
			verb := "reach"
			if best == 1 {
				verb = "reaches"
			}
			title = fmt.Sprintf("%s (%s) %s %s %s", plural(int(best), "SDR"), bestName, verb, percent(target, 0), sla)
		}
	}
	p := New(title, "Share of MQLs answered within the SLA, over all simulated quarters, by headcount and working hours")
	xmin, xmax := math.Inf(1), math.Inf(-1)
	for i, s := range series {
		pts := make(plotter.XYs, len(s.X))
		for j := range s.X {
			pts[j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
			xmin, xmax = math.Min(xmin, s.X[j]), math.Max(xmax, s.X[j])
		}
		lp, sc, _ := plotter.NewLinePoints(pts)
		clr := Palette[i%len(Palette)]
		lp.LineStyle = draw.LineStyle{Color: clr, Width: vg.Points(2), Dashes: Dashes[i%len(Dashes)]}
		sc.GlyphStyle = draw.GlyphStyle{Color: clr, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
		p.Add(lp, sc)
		p.Legend.Add(s.Name, lp, sc)
	}
	if target > 0 && target <= 1 {
		p.Add(&hline{y: target, label: "target " + percent(target, 0), style: textStyle(sans, NoteSize, Ink)})
	}
	p.Legend.Top, p.Legend.Left = false, false
	p.Legend.TextStyle = textStyle(sans, NoteSize, Ink)
	p.Legend.YOffs = vg.Points(8)
	p.X.Label.Text = "SDR headcount"
	p.X.Tick.Marker = CountTicks{}
	p.X.Min, p.X.Max = math.Max(0, xmin-0.5), xmax+0.5
	p.Y.Label.Text = "MQLs answered within the SLA"
	p.Y.Tick.Marker = PercentTicks{}
	p.Y.Min, p.Y.Max = 0, 1.05
	return p
}

// hline is a horizontal reference line at y with a label at its right end.
type hline struct {
	y     float64
	label string
	style text.Style
	line  draw.LineStyle
}

// Plot implements plot.Plotter.
func (h *hline) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	ls := h.line
	if ls.Width == 0 {
		ls = RefStyle
	}
	y := trY(h.y)
	c.StrokeLine2(ls, c.Min.X, y, c.Max.X, y)
	if h.label != "" {
		sty := h.style
		sty.XAlign, sty.YAlign = draw.XRight, draw.YBottom
		c.FillText(sty, vg.Point{X: c.Max.X - 3, Y: y + 3}, h.label)
	}
}

// Fan returns a fan chart of revenue over consecutive quarters of a
// horizon: the P10–P90 band shaded, the median as a line with points, and
// the quota (currency; ≤ 0 or NaN: none) as a horizontal reference line.
// quarters labels the x axis ("Q1", "Q2", ...). Fan panics if the slices
// differ in length. With no quarters the plot says so.
func Fan(quarters []string, p10, p50, p90 []float64, quota float64, currency string) *plot.Plot {
	n := len(quarters)
	if len(p10) != n || len(p50) != n || len(p90) != n {
		panic(fmt.Sprintf("render: Fan: %d quarters but %d, %d, %d percentiles", n, len(p10), len(p50), len(p90)))
	}
	if n == 0 {
		return noData("Revenue by quarter", "no quarters")
	}
	hasQuota := quota > 0 && !math.IsInf(quota, 0)
	title := fmt.Sprintf("Median revenue goes from %s in %s to %s in %s", Money(p50[0], currency), quarters[0], Money(p50[n-1], currency), quarters[n-1])
	if hasQuota {
		above := 0
		for _, v := range p50 {
			if v >= quota {
				above++
			}
		}
		title = fmt.Sprintf("The median makes the %s quota in %d of %d quarters", Money(quota, currency), above, n)
	}
	sub := fmt.Sprintf("Revenue a quarter over the horizon, pipeline carried over · band: P10–P90 · line: median · %s P10–P90 %s–%s",
		quarters[n-1], Money(p10[n-1], currency), Money(p90[n-1], currency))
	p := New(title, sub)
	band := make(plotter.XYs, 0, 2*n)
	med := make(plotter.XYs, n)
	lo, hi := math.Inf(1), math.Inf(-1)
	for i := range n {
		band = append(band, plotter.XY{X: float64(i), Y: p90[i]})
		med[i] = plotter.XY{X: float64(i), Y: p50[i]}
		lo, hi = math.Min(lo, p10[i]), math.Max(hi, p90[i])
	}
	for i := n - 1; i >= 0; i-- {
		band = append(band, plotter.XY{X: float64(i), Y: p10[i]})
	}
	if poly, err := plotter.NewPolygon(band); err == nil {
		poly.Color = color.RGBA{R: 0xc6, G: 0xd7, B: 0xe6, A: 0xff}
		poly.LineStyle.Width = 0
		p.Add(poly)
	}
	lp, sc, _ := plotter.NewLinePoints(med)
	lp.LineStyle = draw.LineStyle{Color: Blue, Width: vg.Points(2.5)}
	sc.GlyphStyle = draw.GlyphStyle{Color: Blue, Radius: vg.Points(3.5), Shape: draw.CircleGlyph{}}
	p.Add(lp, sc)
	if hasQuota {
		lo, hi = math.Min(lo, quota), math.Max(hi, quota)
		p.Add(&hline{y: quota, label: "Quota " + Money(quota, currency), style: textStyle(sans, NoteSize, Ink)})
	}
	span := math.Max(hi-lo, math.Abs(hi)*0.1)
	p.Y.Min, p.Y.Max = math.Max(0, lo-0.15*span), hi+0.15*span
	ticks := make([]plot.Tick, n)
	for i, q := range quarters {
		ticks[i] = plot.Tick{Value: float64(i), Label: q}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.3, float64(n-1)+0.3
	p.X.Label.Text = "Quarter of the horizon"
	p.Y.Label.Text = "Revenue a quarter" + currencyLabel(currency)
	p.Y.Tick.Marker = MoneyTicks{Currency: currency}
	return p
}
