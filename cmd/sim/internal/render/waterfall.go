package render

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Movement is a quarter's pipeline movement, amounts in currency: the
// pipeline open at its start, plus the opportunities created, minus those
// won and those lost, is the pipeline open at its end, of which Slipped
// was already open at the start. For a forecast the amounts are means over
// simulated quarters and Lo, Hi their P10 and P90 (in the order Opening,
// Created, Won, Lost, Closing, Slipped); for an actual quarter Lo and Hi
// are NaN.
type Movement struct {
	Period                                        string // "Q3 FY2026", on the title
	Opening, Created, Won, Lost, Closing, Slipped float64
	Lo, Hi                                        [6]float64
	// Quarters is the number of simulated quarters the amounts summarise;
	// 0 for an actual quarter.
	Quarters int
	// Note, when not "", replaces the subtitle's share of the value
	// closed that was won (an export whose lost deals carry no amount).
	Note string
}

// Waterfall colours: where pipeline stands (opening, closing), what adds to
// it, what leaves it won, and what leaves it lost.
var (
	wfStand = Blue
	wfAdd   = Teal
	wfWon   = Orange
	wfLost  = Grey
	wfOld   = color.RGBA{R: 0x8f, G: 0xa9, B: 0xc2, A: 0xff} // the slipped part of closing: a light blue
)

// Waterfall returns the waterfall chart of m: bars for the opening
// pipeline, the value created (up), won and lost (down) and the closing
// pipeline, split into the part that slipped from the opening pipeline and
// the part created in the quarter and still open; each amount labelled
// and, for a forecast, its P10–P90 range as a whisker at the bar's moving
// end. The title states whether the pipeline grows or shrinks, and by how
// much. Non-finite amounts draw nothing.
func Waterfall(m Movement, currency string) *plot.Plot {
	vals := []float64{m.Opening, m.Created, m.Won, m.Lost, m.Closing}
	for _, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return noData(m.Period+" pipeline movement", "no finite amounts")
		}
	}
	verb := "grows"
	if m.Closing < m.Opening {
		verb = "shrinks"
	}
	where := ""
	if m.Period != "" {
		where = " in " + m.Period
	}
	title := fmt.Sprintf("Pipeline %s from %s to %s%s", verb, Money(m.Opening, currency), Money(m.Closing, currency), where)
	if Money(m.Opening, currency) == Money(m.Closing, currency) {
		title = fmt.Sprintf("Pipeline holds at %s%s", Money(m.Opening, currency), where)
	}
	closeRate := math.NaN()
	if m.Won+m.Lost > 0 {
		closeRate = m.Won / (m.Won + m.Lost)
	}
	what := "Actual quarter from the export"
	if m.Quarters > 0 {
		what = fmt.Sprintf("Mean of %s · whiskers P10–P90", plural(m.Quarters, "simulated quarter"))
	}
	won := Percent(closeRate) + " of the value closed was won"
	if m.Note != "" {
		won = m.Note
	}
	sub := fmt.Sprintf("%s · %s · %s of the closing pipeline slipped from the opening",
		what, won, Money(m.Slipped, currency))
	p := New(title, sub)
	// Floating bars: [lo, hi] of each step.
	o, c1 := m.Opening, m.Opening+m.Created
	c2 := c1 - m.Won
	steps := []wfBar{
		{lo: 0, hi: o, fill: wfStand, label: Money(m.Opening, currency), wLo: m.Lo[0], wHi: m.Hi[0], end: 1},
		{lo: o, hi: c1, fill: wfAdd, label: delta(m.Created, Money(m.Created, currency)), wLo: o + m.Lo[1], wHi: o + m.Hi[1], end: 1},
		{lo: c2, hi: c1, fill: wfWon, label: delta(-m.Won, Money(m.Won, currency)), wLo: c1 - m.Hi[2], wHi: c1 - m.Lo[2], end: -1},
		{lo: c2 - m.Lost, hi: c2, fill: wfLost, label: delta(-m.Lost, Money(m.Lost, currency)), wLo: c2 - m.Hi[3], wHi: c2 - m.Lo[3], end: -1},
		{lo: 0, hi: m.Closing, fill: wfStand, label: Money(m.Closing, currency), wLo: m.Lo[4], wHi: m.Hi[4], end: 1,
			split: math.Max(0, math.Min(m.Slipped, m.Closing))},
	}
	wf := &waterfall{steps: steps, style: textStyle(sans, NoteSize, Ink), whisker: draw.LineStyle{Color: Ink, Width: vg.Points(1)}}
	p.Add(wf)
	names := []string{"Open at start", "Created", "Won", "Lost", "Open at end"}
	ticks := make([]plot.Tick, len(names))
	for i, n := range names {
		ticks[i] = plot.Tick{Value: float64(i), Label: n}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4
	top := 0.0
	bottom := 0.0
	for _, s := range steps {
		top = math.Max(top, math.Max(s.hi, finiteOr(s.wHi, s.hi)))
		bottom = math.Min(bottom, math.Min(s.lo, finiteOr(s.wLo, s.lo)))
	}
	p.Y.Min, p.Y.Max = bottom, top*1.35 // room for the labels and, above them, the legend
	if p.Y.Max <= p.Y.Min {
		p.Y.Max = p.Y.Min + 1
	}
	p.Y.Label.Text = "Pipeline value" + currencyLabel(currency)
	p.Y.Tick.Marker = MoneyTicks{Currency: currency}
	p.X.Tick.Label.YAlign = draw.YTop
	p.Legend.Add("Open at end: slipped from the start", swatch{wfOld})
	p.Legend.Add("Open at end: created in the quarter", swatch{wfStand})
	legend(p, true)
	return p
}

// delta writes s, an amount's magnitude, with the sign of v: "+$1.2M",
// "−$0.4M", or "$0".
func delta(v float64, s string) string {
	switch {
	case v > 0:
		return "+" + s
	case v < 0:
		return minus + s
	}
	return s
}

// swatch is a legend thumbnail filled with one colour.
type swatch struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.SetColor(s.c)
	c.Fill(c.Rectangle.Path())
}

// wfBar is a floating bar of a waterfall.
type wfBar struct {
	lo, hi   float64
	fill     color.Color
	label    string
	wLo, wHi float64 // whisker, NaN: none
	end      int     // +1: the label goes above the bar, -1: below
	split    float64 // > 0: the bar's part below it is drawn in wfOld
}

// waterfall plots floating bars at x = 0, 1, ..., with dotted connectors
// from each bar's end to the next bar's start.
type waterfall struct {
	steps   []wfBar
	style   text.Style
	whisker draw.LineStyle
}

// Plot implements plot.Plotter.
func (w *waterfall) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	const half = 0.3
	conn := draw.LineStyle{Color: Muted, Width: vg.Points(0.75), Dashes: []vg.Length{vg.Points(2), vg.Points(2)}}
	for i, s := range w.steps {
		x0, x1 := trX(float64(i)-half), trX(float64(i)+half)
		r := vg.Rectangle{Min: vg.Point{X: x0, Y: trY(s.lo)}, Max: vg.Point{X: x1, Y: trY(s.hi)}}
		c.SetColor(s.fill)
		c.Fill(r.Path())
		if s.split > 0 {
			r := vg.Rectangle{Min: vg.Point{X: x0, Y: trY(s.lo)}, Max: vg.Point{X: x1, Y: trY(s.lo + s.split)}}
			c.SetColor(wfOld)
			c.Fill(r.Path())
		}
		if i+1 < len(w.steps) {
			// The level the next bar starts from.
			y := s.hi
			if s.end < 0 {
				y = s.lo
			}
			c.StrokeLine2(conn, x1, trY(y), trX(float64(i+1)-half), trY(y))
		}
		xm := (x0 + x1) / 2
		hasW := !math.IsNaN(s.wLo) && !math.IsNaN(s.wHi) && s.wHi > s.wLo
		if hasW {
			c.StrokeLine2(w.whisker, xm, trY(s.wLo), xm, trY(s.wHi))
			cap := vg.Points(4)
			c.StrokeLine2(w.whisker, xm-cap, trY(s.wLo), xm+cap, trY(s.wLo))
			c.StrokeLine2(w.whisker, xm-cap, trY(s.wHi), xm+cap, trY(s.wHi))
		}
		sty := w.style
		sty.XAlign = draw.XCenter
		// The label sits beside the bar's top (growth) or bottom
		// (losses), clear of its whisker.
		if s.end > 0 {
			y := trY(s.hi)
			if hasW {
				y = max(y, trY(s.wHi))
			}
			sty.YAlign = draw.YBottom
			c.FillText(sty, vg.Point{X: xm, Y: y + 3}, s.label)
		} else {
			y := trY(s.lo)
			if hasW {
				y = min(y, trY(s.wLo))
			}
			if y-3-sty.Height(s.label) < c.Min.Y {
				// No room under the bar, above the axis: over its top.
				sty.YAlign = draw.YBottom
				c.FillText(sty, vg.Point{X: xm, Y: max(trY(s.hi), trY(finiteOr(s.wHi, s.hi))) + 3}, s.label)
				continue
			}
			sty.YAlign = draw.YTop
			c.FillText(sty, vg.Point{X: xm, Y: y - 3}, s.label)
		}
	}
}

// Breakdown is one row of a breakdown chart: a source (or a segment, a
// team) with its mean revenue and pipeline created a quarter and their
// P10 and P90.
type Breakdown struct {
	Name                          string
	Revenue, RevenueLo, RevenueHi float64
	Created, CreatedLo, CreatedHi float64
}

// BreakdownChart returns horizontal bars of each row's mean pipeline
// created (teal) and revenue (blue) a quarter, with P10–P90 whiskers, the
// rows in the given order from the top; the title names the row that
// brings the most revenue and its share of the total. period names the
// quarter ("Q3 FY2026"; "" for none).
func BreakdownChart(rows []Breakdown, period, currency string) *plot.Plot {
	if len(rows) == 0 {
		return noData("Revenue by source", "no sources")
	}
	total, best := 0.0, 0
	for i, r := range rows {
		total += r.Revenue
		if r.Revenue > rows[best].Revenue {
			best = i
		}
	}
	where := ""
	if period != "" {
		where = " in " + period
	}
	title := fmt.Sprintf("%s brings %s of revenue%s (%s of %s)", rows[best].Name, Percent(rows[best].Revenue/total), where,
		Money(rows[best].Revenue, currency), Money(total, currency))
	if !TitleFits(title) { // a long source name
		title = fmt.Sprintf("%s brings %s of revenue%s", rows[best].Name, Percent(rows[best].Revenue/total), where)
	}
	if !(total > 0) {
		title = "No source brings revenue" + where
	}
	p := New(title, "Mean a quarter · whiskers P10–P90 · revenue: deals won in the quarter, whenever created")
	n := len(rows)
	hb := &hpairs{rows: rows, style: textStyle(sans, NoteSize, Ink), whisker: draw.LineStyle{Color: Ink, Width: vg.Points(1)}, currency: currency}
	p.Add(hb)
	ticks := make([]plot.Tick, n)
	hi := 0.0
	for i, r := range rows {
		ticks[i] = plot.Tick{Value: float64(n - 1 - i), Label: r.Name}
		hi = math.Max(hi, math.Max(finiteOr(r.CreatedHi, r.Created), finiteOr(r.RevenueHi, r.Revenue)))
	}
	p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	p.Y.Min, p.Y.Max = -0.6, float64(n)-0.4
	p.X.Min, p.X.Max = 0, math.Max(hi*1.18, 1)
	p.X.Label.Text = "A quarter" + currencyLabel(currency)
	p.X.Tick.Marker = MoneyTicks{Currency: currency}
	p.Legend.Add("Pipeline created", swatch{wfAdd})
	p.Legend.Add("Revenue won", swatch{Blue})
	legend(p, false)
	return p
}

// hpairs draws, for each row from the top, a light bar (created) above a
// dark one (revenue), with whiskers and value labels.
type hpairs struct {
	rows     []Breakdown
	style    text.Style
	whisker  draw.LineStyle
	currency string
}

// Plot implements plot.Plotter.
func (h *hpairs) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(h.rows)
	for i, r := range h.rows {
		y := float64(n - 1 - i)
		for _, b := range []struct {
			v, lo, hi, off float64
			fill           color.Color
		}{
			{r.Created, r.CreatedLo, r.CreatedHi, 0.17, wfAdd},
			{r.Revenue, r.RevenueLo, r.RevenueHi, -0.17, Blue},
		} {
			y0, y1 := trY(y+b.off-0.15), trY(y+b.off+0.15)
			x1 := trX(math.Max(b.v, 0))
			rect := vg.Rectangle{Min: vg.Point{X: trX(0), Y: y0}, Max: vg.Point{X: x1, Y: y1}}
			c.SetColor(b.fill)
			c.Fill(rect.Path())
			ym := (y0 + y1) / 2
			end := x1
			if !math.IsNaN(b.lo) && !math.IsNaN(b.hi) && b.hi > b.lo {
				c.StrokeLine2(h.whisker, trX(b.lo), ym, trX(b.hi), ym)
				cap := vg.Points(3)
				c.StrokeLine2(h.whisker, trX(b.lo), ym-cap, trX(b.lo), ym+cap)
				c.StrokeLine2(h.whisker, trX(b.hi), ym-cap, trX(b.hi), ym+cap)
				end = max(end, trX(b.hi))
			}
			sty := h.style
			sty.XAlign, sty.YAlign = draw.XLeft, draw.YCenter
			c.FillText(sty, vg.Point{X: end + 4, Y: ym}, Money(b.v, h.currency))
		}
	}
}
