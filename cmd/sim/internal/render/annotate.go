package render

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// note is a plotter that writes a message in the middle of the plot area.
type note struct {
	msg   string
	style text.Style
}

// Plot implements plot.Plotter.
func (n note) Plot(c draw.Canvas, _ *plot.Plot) {
	sty := n.style
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	c.FillText(sty, c.Center(), n.msg)
}

// noData returns a plot with the given title and no axes that says there is
// nothing to chart, and why.
func noData(title, why string) *plot.Plot {
	p := New(title, "")
	p.HideAxes()
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = 0, 1, 0, 1
	p.Add(note{msg: "No data to chart: " + why, style: textStyle(sans, AxisSize, Muted)})
	return p
}

// band is a plotter that shades the x interval [lo, hi] over the full
// height of the plot area.
type band struct {
	lo, hi float64
	fill   color.Color
}

// Plot implements plot.Plotter.
func (b band) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	r := vg.Rectangle{Min: vg.Point{X: trX(b.lo), Y: c.Min.Y}, Max: vg.Point{X: trX(b.hi), Y: c.Max.Y}}
	c.SetColor(b.fill)
	c.Fill(r.Path())
}

// bars is a plotter of vertical bars centred on x = 0, 1, 2, ... with a
// label above each bar. NaN heights draw no bar.
type bars struct {
	heights []float64
	colors  []color.Color // per bar
	width   float64       // in x units
	labels  []string
	style   text.Style
	// above, if not nil, holds heights the label of each bar must clear
	// besides the bar itself (target marks); NaN for none.
	above []float64
	// inside, if not nil, marks the bars whose label goes inside the top
	// of the bar, in white, where it fits, instead of above it.
	inside []bool
}

// DataRange implements plot.DataRanger.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymax = math.Inf(-1)
	for _, h := range b.heights {
		if !math.IsNaN(h) {
			ymax = math.Max(ymax, h)
		}
	}
	return -0.5, float64(len(b.heights)) - 0.5, 0, ymax
}

// Plot implements plot.Plotter.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, h := range b.heights {
		x0, x1 := trX(float64(i)-b.width/2), trX(float64(i)+b.width/2)
		top := trY(0)
		if !math.IsNaN(h) {
			top = trY(h)
			r := vg.Rectangle{Min: vg.Point{X: x0, Y: trY(0)}, Max: vg.Point{X: x1, Y: top}}
			c.SetColor(b.colors[i])
			c.Fill(r.Path())
		}
		if i >= len(b.labels) || b.labels[i] == "" {
			continue
		}
		sty := b.style
		sty.XAlign = draw.XCenter
		if i < len(b.inside) && b.inside[i] && !math.IsNaN(h) && top-trY(0) > 2*sty.Height(b.labels[i]) {
			sty.YAlign, sty.Color = draw.YTop, color.White
			c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: top - 4}, b.labels[i])
			continue
		}
		if i < len(b.above) && !math.IsNaN(b.above[i]) && !math.IsInf(b.above[i], 0) {
			top = max(top, trY(b.above[i])+2)
		}
		sty.YAlign = draw.YBottom
		c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: top + 3}, b.labels[i])
	}
}

// marks is a plotter of short horizontal lines (targets) across bars
// centred on x = 0, 1, 2, ...; NaN values draw nothing.
type marks struct {
	ys    []float64
	width float64 // in x units
	line  draw.LineStyle
}

// Plot implements plot.Plotter.
func (m marks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, y := range m.ys {
		if math.IsNaN(y) || math.IsInf(y, 0) {
			continue
		}
		c.StrokeLine2(m.line, trX(float64(i)-m.width/2), trY(y), trX(float64(i)+m.width/2), trY(y))
	}
}

// labelsAt is a plotter of text centred at data points (x[i], y[i]).
type labelsAt struct {
	x, y  []float64
	texts []string
	style text.Style
}

// Plot implements plot.Plotter.
func (l labelsAt) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := l.style
	sty.XAlign, sty.YAlign = draw.XCenter, draw.YCenter
	for i, t := range l.texts {
		c.FillText(sty, vg.Point{X: trX(l.x[i]), Y: trY(l.y[i])}, t)
	}
}
