package render

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PlanStep is a step of the revenue math backwards: the volume a quarter
// the goal needs, the volume the model gives now, and the rate that led
// from the step before ("÷ win rate 27.2%").
type PlanStep struct {
	Name        string
	Needed, Now float64
	Rate        string
}

// PlanSteps returns the revenue math backwards as bars on a log scale:
// for each step (deals, opportunities, ..., new leads), the volume needed
// (dark) beside the volume now (grey), labelled, with the rate used under
// the step's name. goal is the revenue goal (currency); the title states
// the MQLs (the step named mqlStep) the goal needs against today's.
func PlanSteps(steps []PlanStep, goal float64, currency, mqlStep string) *plot.Plot {
	var ok []PlanStep
	for _, s := range steps {
		if s.Needed > 0 && !math.IsInf(s.Needed, 0) && s.Now > 0 && !math.IsInf(s.Now, 0) {
			ok = append(ok, s)
		}
	}
	if len(ok) == 0 {
		return noData("Revenue math backwards", "no step with a volume")
	}
	title := fmt.Sprintf("%s a quarter needs the volumes below at today's rates", Money(goal, currency))
	for _, s := range ok {
		if s.Name == mqlStep {
			title = fmt.Sprintf("%s a quarter needs %s %s at today's rates (now %s)", Money(goal, currency), Count(s.Needed), s.Name, Count(s.Now))
		}
	}
	p := New(title, "Revenue math backwards, each step divided by the rate under it · a quarter · log scale")
	lo, hi := math.Inf(1), 0.0
	for _, s := range ok {
		lo, hi = math.Min(lo, math.Min(s.Needed, s.Now)), math.Max(hi, math.Max(s.Needed, s.Now))
	}
	p.Y.Scale = plot.LogScale{}
	p.Y.Min, p.Y.Max = math.Pow(10, math.Floor(math.Log10(lo))), hi*6
	p.Y.Tick.Marker = logCountTicks{}
	p.Y.Label.Text = "Volume a quarter"
	p.Add(&planBars{steps: ok, style: textStyle(sans, NoteSize, Ink)})
	ticks := make([]plot.Tick, len(ok))
	for i, s := range ok {
		ticks[i] = plot.Tick{Value: float64(i), Label: s.Name + "\n" + wrap(s.Rate, 13)}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = -0.6, float64(len(ok))-0.4
	p.Legend.Add("Needed", swatch{Blue})
	p.Legend.Add("Now", swatch{Grey})
	legend(p, true)
	return p
}

// logCountTicks labels a log axis at powers of ten, as counts.
type logCountTicks struct{}

// Ticks implements plot.Ticker.
func (logCountTicks) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	for v := math.Pow(10, math.Floor(math.Log10(lo))); v <= hi; v *= 10 {
		if v >= lo {
			ts = append(ts, plot.Tick{Value: v, Label: Count(v)})
		}
	}
	return ts
}

// planBars draws each step's needed and now bars from the bottom of a log
// axis.
type planBars struct {
	steps []PlanStep
	style text.Style
}

// Plot implements plot.Plotter.
func (b *planBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	base := c.Min.Y
	for i, s := range b.steps {
		for _, bar := range []struct {
			v    float64
			off  float64
			fill any
		}{{s.Needed, -0.18, Blue}, {s.Now, 0.18, Grey}} {
			x0, x1 := trX(float64(i)+bar.off-0.17), trX(float64(i)+bar.off+0.17)
			top := trY(bar.v)
			r := vg.Rectangle{Min: vg.Point{X: x0, Y: base}, Max: vg.Point{X: x1, Y: top}}
			if bar.off < 0 {
				c.SetColor(Blue)
			} else {
				c.SetColor(Grey)
			}
			c.Fill(r.Path())
			sty := b.style
			sty.XAlign, sty.YAlign = draw.XCenter, draw.YBottom
			label := Count(bar.v)
			if bar.v >= 10000 {
				label = scaled(bar.v) // "27.4K": room beside its neighbour
			}
			c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: top + 2}, label)
		}
	}
}

// PlanCurve returns the chance of the goal against MQLs a quarter, from
// the scales a plan simulated (mqls[i] MQLs, chance p[i] with its 95%
// interval [lo[i], hi[i]]), with the target chance as a horizontal line,
// the MQLs the plan needs and today's as vertical ones (NaN: not drawn).
// The title states the MQLs that give the target chance.
func PlanCurve(mqls, p, lo, hi []float64, target, need, now, goal float64, currency string) *plot.Plot {
	n := len(mqls)
	if n == 0 || len(p) != n || len(lo) != n || len(hi) != n {
		return noData("Chance of the goal by MQL volume", "no scale simulated")
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmpFloat(mqls[a], mqls[b]) })
	title := fmt.Sprintf("No MQL volume tried gives a %s chance of %s", Percent(target), Money(goal, currency))
	if !math.IsNaN(need) {
		title = fmt.Sprintf("%s MQLs a quarter give a %s chance of %s (now %s)", Count(need), Percent(target), Money(goal, currency), Count(now))
	}
	pl := New(title, "Each point: quarters simulated at one MQL volume (marketing arrivals scaled) · whiskers: 95% interval")
	line := make(plotter.XYs, n)
	for j, i := range idx {
		line[j] = plotter.XY{X: mqls[i], Y: p[i]}
	}
	lp, sc, _ := plotter.NewLinePoints(line)
	lp.LineStyle = draw.LineStyle{Color: Blue, Width: vg.Points(2)}
	sc.GlyphStyle = draw.GlyphStyle{Color: Blue, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
	pl.Add(&vwhiskers{x: mqls, lo: lo, hi: hi, line: draw.LineStyle{Color: Blue, Width: vg.Points(1)}}, lp, sc)
	pl.Add(&hline{y: target, label: Percent(target) + " target", style: textStyle(sans, NoteSize, Ink)})
	var refs []Ref
	if !math.IsNaN(need) {
		refs = append(refs, Ref{X: need, Label: "Needed " + Count(need)})
	}
	if !math.IsNaN(now) {
		refs = append(refs, Ref{X: now, Label: "Now " + Count(now), Line: GuideStyle})
	}
	RefLines(pl, refs...)
	pl.Y.Min, pl.Y.Max = 0, 1.08
	pl.Y.Tick.Marker = PercentTicks{}
	pl.Y.Label.Text = "Chance of the goal"
	pl.X.Label.Text = "MQLs a quarter"
	pl.X.Tick.Marker = CountTicks{}
	return pl
}

// vwhiskers draws vertical intervals [lo[i], hi[i]] at x[i].
type vwhiskers struct {
	x, lo, hi []float64
	line      draw.LineStyle
}

// Plot implements plot.Plotter.
func (w *vwhiskers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i, x := range w.x {
		if math.IsNaN(w.lo[i]) || math.IsNaN(w.hi[i]) {
			continue
		}
		c.StrokeLine2(w.line, trX(x), trY(w.lo[i]), trX(x), trY(w.hi[i]))
	}
}
