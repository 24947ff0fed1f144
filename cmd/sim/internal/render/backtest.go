package render

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BacktestPoint is the forecast made at one origin of a backtest and what
// happened, in currency units.
type BacktestPoint struct {
	Label                   string  // the origin, e.g. "2017-04-30"
	P10, P25, P50, P75, P90 float64 // forecast revenue quantiles in the window
	Actual                  float64 // revenue won in the window
	Pipeline                float64 // the stage-weighted pipeline baseline; NaN: not drawn
}

// Backtest returns the chart of a rolling-origin backtest: for each origin
// (x) the forecast revenue of the window after it as a P10–P90 band with
// its P25–P75 core and the median as a line, the revenue actually won as
// dots (hollow where it fell outside P10–P90), and the stage-weighted
// pipeline baseline dashed. windowDays is the length of the window. The
// title counts the origins whose actual revenue the P10–P90 band covered
// and the misses above and below it. With no points the plot says so.
func Backtest(points []BacktestPoint, windowDays float64, currency string) *plot.Plot {
	n := len(points)
	if n == 0 {
		return noData("Backtest", "no origin was forecast")
	}
	in, above, below := 0, 0, 0
	for _, pt := range points {
		switch {
		case pt.Actual > pt.P90:
			above++
		case pt.Actual < pt.P10:
			below++
		default:
			in++
		}
	}
	title := fmt.Sprintf("P10–P90 held actual revenue at %d of %d origins", in, n)
	switch {
	case above > 0 && below == 0:
		title += fmt.Sprintf("; all %d misses above it", above)
	case below > 0 && above == 0:
		title += fmt.Sprintf("; all %d misses below it", below)
	case above > 0:
		title += fmt.Sprintf("; %d above, %d below", above, below)
	}
	sub := fmt.Sprintf("Revenue won in the %s days after each origin, forecast from the export as it stood then · bands: P10–P90 and P25–P75 · line: median · dots: actual (hollow: outside P10–P90)",
		strconv.FormatFloat(windowDays, 'f', -1, 64))
	p := New(title, sub)
	poly := func(lo, hi func(BacktestPoint) float64, c color.Color) *plotter.Polygon {
		xy := make(plotter.XYs, 0, 2*n)
		for i, pt := range points {
			xy = append(xy, plotter.XY{X: float64(i), Y: hi(pt)})
		}
		for i := n - 1; i >= 0; i-- {
			xy = append(xy, plotter.XY{X: float64(i), Y: lo(points[i])})
		}
		pg, err := plotter.NewPolygon(xy)
		if err != nil {
			return nil
		}
		pg.Color = c
		pg.LineStyle.Width = 0
		return pg
	}
	outer := poly(func(b BacktestPoint) float64 { return b.P10 }, func(b BacktestPoint) float64 { return b.P90 }, color.RGBA{R: 0xd4, G: 0xe1, B: 0xec, A: 0xff})
	inner := poly(func(b BacktestPoint) float64 { return b.P25 }, func(b BacktestPoint) float64 { return b.P75 }, lightBlue)
	lo, hi := math.Inf(1), math.Inf(-1)
	med := make(plotter.XYs, n)
	act := make(plotter.XYs, n)
	var hit, miss, pipe plotter.XYs
	for i, pt := range points {
		x := float64(i)
		med[i] = plotter.XY{X: x, Y: pt.P50}
		act[i] = plotter.XY{X: x, Y: pt.Actual}
		if pt.Actual < pt.P10 || pt.Actual > pt.P90 {
			miss = append(miss, act[i])
		} else {
			hit = append(hit, act[i])
		}
		lo, hi = math.Min(lo, math.Min(pt.P10, pt.Actual)), math.Max(hi, math.Max(pt.P90, pt.Actual))
		if !math.IsNaN(pt.Pipeline) {
			pipe = append(pipe, plotter.XY{X: x, Y: pt.Pipeline})
			lo, hi = math.Min(lo, pt.Pipeline), math.Max(hi, pt.Pipeline)
		}
	}
	if outer != nil {
		p.Add(outer)
		p.Legend.Add("forecast P10–P90", outer)
	}
	if inner != nil {
		p.Add(inner)
		p.Legend.Add("P25–P75", inner)
	}
	ml := line(xyX(med), xyY(med), Blue, nil, 2.5)
	p.Add(ml)
	p.Legend.Add("forecast median", ml)
	if len(pipe) > 0 {
		pl := line(xyX(pipe), xyY(pipe), Muted, Dashes[1], 1.5)
		p.Add(pl)
		p.Legend.Add("pipeline × win rate (baseline)", pl)
	}
	al := line(xyX(act), xyY(act), Orange, nil, 1)
	p.Add(al)
	glyph := func(xy plotter.XYs, filled bool) *plotter.Scatter {
		sc, err := plotter.NewScatter(xy)
		if err != nil {
			return nil
		}
		shape := draw.GlyphDrawer(draw.CircleGlyph{})
		if !filled {
			shape = draw.RingGlyph{}
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: Orange, Radius: vg.Points(4.5), Shape: shape}
		return sc
	}
	if sc := glyph(hit, true); len(hit) > 0 && sc != nil {
		p.Add(sc)
		p.Legend.Add("actual, inside P10–P90", al, sc)
	}
	if sc := glyph(miss, false); len(miss) > 0 && sc != nil {
		sc.GlyphStyle.Radius = vg.Points(5)
		p.Add(sc)
		p.Legend.Add("actual, outside", al, sc)
	}
	legend(p, true)
	p.Legend.YOffs = vg.Points(-2)
	span := math.Max(hi-lo, math.Abs(hi)*0.1)
	p.Y.Min, p.Y.Max = math.Max(0, lo-0.1*span), hi+0.9*span // room for the legend's six entries
	ticks := make([]plot.Tick, n)
	for i, pt := range points {
		ticks[i] = plot.Tick{Value: float64(i), Label: pt.Label}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.3, float64(n-1)+0.3
	p.X.Label.Text = "Forecast origin (the export as of the end of that day)"
	p.Y.Label.Text = "Revenue won in the window" + currencyLabel(currency)
	p.Y.Tick.Marker = MoneyTicks{Currency: currency}
	return p
}

func xyX(xy plotter.XYs) []float64 {
	v := make([]float64, len(xy))
	for i := range xy {
		v[i] = xy[i].X
	}
	return v
}

func xyY(xy plotter.XYs) []float64 {
	v := make([]float64, len(xy))
	for i := range xy {
		v[i] = xy[i].Y
	}
	return v
}
