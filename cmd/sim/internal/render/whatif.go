package render

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
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
	h := &hbars{effects: es, currency: currency, style: textStyle(sans, NoteSize, Ink)}
	p.Add(h)
	p.X.Min, p.X.Max = h.span(lo, hi)
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

// labelShare is the estimated width of one character of a Tornado label
// as a share of the plot's data area, on the default canvas: generous, so
// that the axis leaves room for the labels drawn beside their bars.
const labelShare = 0.0115

// span returns the x range of the chart: the effects and their intervals,
// lo to hi, widened just enough for the labels outside their bars, which
// go right of an increase and left of a decrease.
func (h *hbars) span(lo, hi float64) (float64, float64) {
	if lo == hi {
		lo, hi = lo-1, hi+1
	}
	l, r := lo-0.02*(hi-lo)*boolf(lo < 0), hi+0.02*(hi-lo)
	for range 8 { // the room a label needs depends on the span: iterate
		w := r - l
		nl, nr := l, r
		for _, e := range h.effects {
			f := labelShare*float64(len([]rune(h.label(e)))) + 0.02
			if e.significant() && math.Abs(e.Delta) > (f+0.03)*w {
				continue
			}
			if e.Delta < 0 {
				a := math.Min(e.Delta, finiteOr(e.Lo, e.Delta))
				nl = math.Min(nl, (a-f*r)/(1-f))
			} else {
				a := math.Max(math.Max(e.Delta, 0), finiteOr(e.Hi, e.Delta))
				nr = math.Max(nr, (a-f*l)/(1-f))
			}
		}
		if nl == l && nr == r {
			break
		}
		l, r = nl, nr
	}
	return l, r
}

func finiteOr(v, or float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return or
	}
	return v
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

// label returns the text beside e's bar: the effect and its interval, "~"
// first when the interval holds 0.
func (h *hbars) label(e Effect) string {
	label := fmt.Sprintf("%s%s (%s to %s)", signPlus(e.Delta), Money(e.Delta, h.currency), Money(e.Lo, h.currency), Money(e.Hi, h.currency))
	if !e.significant() {
		label = "~ " + label
	}
	return label
}

// significant reports whether e's interval excludes 0: its bar is
// coloured, and its label may go inside it.
func (e Effect) significant() bool { return !(e.Lo <= 0 && e.Hi >= 0) }

// Plot implements plot.Plotter.
func (h *hbars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	whisker := draw.LineStyle{Color: Ink, Width: vg.Points(1.5)}
	for i, e := range h.effects {
		y := float64(i)
		clr := color.Color(Blue)
		if !e.significant() {
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
		label := h.label(e)
		sty := h.style
		sty.YAlign, sty.XAlign = draw.YCenter, draw.XLeft
		// Inside the bar, in white, when it fits there; else beside the
		// bar and its whisker: right of an increase, left of a decrease.
		pt := vg.Point{X: max(trX(0), trX(math.Max(end, e.Delta))) + 6, Y: trY(y)}
		if e.Delta < 0 {
			sty.XAlign = draw.XRight
			pt.X = min(trX(0), trX(math.Min(end, e.Delta))) - 6
		}
		if w := sty.Width(label); x1-x0 > w+16 && e.significant() {
			sty.Color, sty.XAlign = color.White, draw.XLeft
			pt.X = x0 + 8
			if e.Delta < 0 {
				pt.X = x1 - 8 - w
			}
		}
		c.FillText(sty, pt, label)
	}
}

// Policy is a point of MoneyCurve: a response policy's median response
// time (minutes, ≥ 0) and mean revenue a quarter (currency), with its
// interval.
type Policy struct {
	Name    string
	Minutes float64
	Revenue float64
	// RevLo and RevHi bound the revenue's 95% interval as sim sla gives
	// it: the base policy's revenue plus the paired interval of the
	// difference from the base. NaN, or RevLo = RevHi: no interval.
	RevLo, RevHi float64
	Base         bool // the model as it is
	// Volume marks a policy that changes the volume of MQLs, not only the
	// response to them (an MQL score threshold): it is drawn as a
	// triangle and left out of the title's comparison, since its revenue
	// moves mostly through volume.
	Volume bool
}

// MoneyCurve returns the money curve of the SLA: mean revenue a quarter
// against the median MQL response time, one labelled point per policy,
// the base policy ringed and Volume policies drawn as triangles. The time
// axis is logarithmic, labelled in durations; policies whose median is
// under one second (answered at once) sit apart at its left, at a tick
// "0s" ("<1s" when not all are exactly 0) beyond a dashed line, not on the
// log scale. Each interval is drawn as a whisker over its point when it
// is longer than the point at the default size (Width × Height); the
// subtitle says when some or all are not, with the range of their
// half-widths. The title compares the best of the fastest policies that
// change only the response with the base (or, without one, the slowest
// such policy). Policies with a negative, infinite or NaN time or a NaN
// revenue are left out, and the subtitle counts them. With no point left
// the plot says so.
func MoneyCurve(policies []Policy, currency string) *plot.Plot {
	var ps []Policy
	dropped := 0
	for _, q := range policies {
		if q.Minutes >= 0 && !math.IsInf(q.Minutes, 0) && !math.IsNaN(q.Revenue) {
			ps = append(ps, q)
		} else {
			dropped++
		}
	}
	if len(ps) == 0 {
		return noData("Revenue against response time", "no policy with a response time")
	}
	atOnce := func(q Policy) bool { return q.Minutes < minResponse }
	key := func(q Policy) float64 { // the time the title compares by
		if atOnce(q) {
			return 0
		}
		return q.Minutes
	}
	slices.SortStableFunc(ps, func(a, b Policy) int { return cmpFloat(key(a), key(b)) })

	// The title compares the best of the fastest policies that change
	// only the response with the base (or the slowest of them), naming
	// both.
	cand := slices.DeleteFunc(slices.Clone(ps), func(q Policy) bool { return q.Volume })
	if len(cand) == 0 {
		cand = ps
	}
	fast, slow := cand[0], cand[len(cand)-1]
	for _, q := range cand {
		if key(q) == key(fast) && q.Revenue > fast.Revenue {
			fast = q
		}
		if q.Base {
			slow = q
		}
	}
	fastText := "in " + Duration(fast.Minutes)
	if atOnce(fast) {
		fastText = "at once"
	}
	title := fmt.Sprintf("%s, answering %s, beats %s (%s) by %s a quarter", fast.Name, fastText,
		slow.Name, Duration(slow.Minutes), Money(fast.Revenue-slow.Revenue, currency))
	if fast.Revenue < slow.Revenue {
		title = fmt.Sprintf("Faster response does not pay here: %s at %s vs %s at %s", Money(fast.Revenue, currency),
			Duration(fast.Minutes), Money(slow.Revenue, currency), Duration(slow.Minutes))
	}

	// The x axis: log10(minutes), with the policies answered at once at
	// zeroX, left of the log scale's start breakX.
	ax := moneyAxis{zeroLabel: "0s", breakX: math.NaN()}
	lx, hx := math.Inf(1), math.Inf(-1)
	for _, q := range ps {
		if atOnce(q) {
			ax.zero = true
			if q.Minutes > 0 {
				ax.zeroLabel = "<1s"
			}
		} else {
			ax.log = true
			lx, hx = math.Min(lx, math.Log10(q.Minutes)), math.Max(hx, math.Log10(q.Minutes))
		}
	}
	var xmin, xmax float64
	switch {
	case ax.log:
		padx := math.Max(0.15*(hx-lx), 0.2)
		xmin, xmax = lx-padx, hx+padx
		if ax.zero {
			slot := 0.1 * (xmax - xmin)
			ax.breakX, ax.zeroX = xmin, xmin-slot
			xmin = ax.zeroX - slot
		}
	default:
		xmin, xmax = -1, 1
	}
	xOf := func(q Policy) float64 {
		if atOnce(q) {
			return ax.zeroX
		}
		return math.Log10(q.Minutes)
	}

	pts := make(plotter.XYs, len(ps))
	ymin, ymax := math.Inf(1), math.Inf(-1)
	var errs, halves []float64
	for i, q := range ps {
		pts[i] = plotter.XY{X: xOf(q), Y: q.Revenue}
		lo, hi := q.Revenue, q.Revenue
		if !math.IsNaN(q.RevLo) && !math.IsNaN(q.RevHi) && q.RevLo != q.RevHi {
			lo, hi = q.RevLo, q.RevHi
			halves = append(halves, (hi-lo)/2)
		}
		errs = append(errs, lo, hi)
		ymin, ymax = math.Min(ymin, lo), math.Max(ymax, hi)
	}
	span := math.Max(ymax-ymin, math.Abs(ymax)*0.05)
	yMin, yMax := ymin-span*0.2, ymax+span*0.2
	lbl := &labelsAt{style: textStyle(sans, NoteSize, Ink)}

	build := func(subtitle string) *plot.Plot {
		p := New(title, subtitle)
		var dots, tris plotter.XYs
		for i, q := range ps {
			if q.Volume {
				tris = append(tris, pts[i])
			} else {
				dots = append(dots, pts[i])
			}
		}
		if ax.zero && ax.log {
			RefLines(p, Ref{X: ax.breakX, Line: GuideStyle})
		}
		for _, g := range []struct {
			xys   plotter.XYs
			shape draw.GlyphDrawer
			color color.Color
		}{{dots, draw.CircleGlyph{}, Blue}, {tris, draw.PyramidGlyph{}, Teal}} {
			if len(g.xys) > 0 {
				sc, _ := plotter.NewScatter(g.xys)
				sc.GlyphStyle = draw.GlyphStyle{Color: g.color, Radius: moneyDot, Shape: g.shape}
				p.Add(sc)
			}
		}
		p.Add(&whiskers{pts: pts, ends: errs, min: moneyDot}, lbl)
		for i, q := range ps {
			if q.Base {
				ring, _ := plotter.NewScatter(plotter.XYs{pts[i]})
				ring.GlyphStyle = draw.GlyphStyle{Color: Orange, Radius: moneyRing, Shape: draw.RingGlyph{}}
				p.Add(ring)
			}
		}
		p.X.Min, p.X.Max = xmin, xmax
		p.Y.Min, p.Y.Max = yMin, yMax
		p.X.Tick.Marker = ax
		p.X.Label.Text = "Median MQL response time"
		switch {
		case ax.log && ax.zero:
			p.X.Label.Text += " (log scale right of the dashed line)"
		case ax.log:
			p.X.Label.Text += " (log scale)"
		}
		p.Y.Label.Text = "Mean revenue a quarter" + currencyLabel(currency)
		p.Y.Tick.Marker = MoneyTicks{Currency: currency}
		return p
	}

	sub := []string{"Mean revenue a quarter against the median MQL response time, one point per policy"}
	if slices.ContainsFunc(ps, func(q Policy) bool { return q.Volume }) {
		sub = append(sub, "triangles: policies that change MQL volume")
	}
	if slices.ContainsFunc(ps, func(q Policy) bool { return q.Base }) {
		sub = append(sub, "ring: the model as it is")
	}
	if len(halves) > 0 {
		// How many whiskers reach beyond their point at the default size.
		lo, hi := slices.Min(halves), slices.Max(halves)
		rng := "±" + Money(lo, currency)
		if Money(lo, currency) != Money(hi, currency) {
			rng += " to ±" + Money(hi, currency)
		}
		const what = "paired 95% interval vs the base"
		mixed := "whiskers: " + what + " (" + rng + "; shorter ones hide behind their points)"
		_, h := dataSize(build(strings.Join(append(sub, mixed), " · ")))
		shown := 0
		for _, v := range halves {
			if whiskerShows(v, h, yMax-yMin, moneyDot) {
				shown++
			}
		}
		switch shown {
		case len(halves):
			sub = append(sub, "whiskers: "+what)
		case 0:
			sub = append(sub, "paired 95% intervals vs the base: "+rng+", too short to show beyond the points")
		default:
			sub = append(sub, mixed)
		}
	}
	if dropped > 0 {
		n := "1 policy"
		if dropped > 1 {
			n = Count(float64(dropped)) + " policies"
		}
		sub = append(sub, n+" without a response time or revenue left out")
	}
	subtitle := strings.Join(sub, " · ")
	area := moneyArea{x0: xmin, x1: xmax, y0: yMin, y1: yMax, breakX: ax.breakX}
	area.w, area.h = dataSize(build(subtitle))
	var names []string
	var base []bool
	for _, q := range ps {
		names, base = append(names, q.Name), append(base, q.Base)
	}
	lbl.x, lbl.y = area.placeLabels(pts, errs, base, names, lbl.style)
	lbl.texts = names
	return build(subtitle)
}

// Glyph radii of MoneyCurve: its points and the ring around the base.
var (
	moneyDot  = vg.Points(4)
	moneyRing = vg.Points(8)
)

// moneyArea is MoneyCurve's data area at the default size: w × h points
// showing [x0, x1] × [y0, y1], with a dashed line at breakX (NaN: none).
type moneyArea struct {
	w, h           vg.Length
	x0, x1, y0, y1 float64
	breakX         float64
}

// box is a rectangle in points.
type box struct{ x0, y0, x1, y1 vg.Length }

// overlap returns the area a and b share.
func (a box) overlap(b box) vg.Length {
	w := min(a.x1, b.x1) - max(a.x0, b.x0)
	h := min(a.y1, b.y1) - max(a.y0, b.y0)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// placeLabels returns the centres, in data units, of labels names of the
// points pts (whisker ends ends[2i], ends[2i+1]; base[i] ringed): placed
// from the highest point down, each goes to the first of these places
// that overlaps no point, visible whisker, dashed line, earlier label or
// edge of the area — above its point (and its whisker), below, right,
// left, then twice as far above and below — or, when all do, to the one
// that overlaps least.
func (a moneyArea) placeLabels(pts plotter.XYs, ends []float64, base []bool, names []string, sty text.Style) (xs, ys []float64) {
	X := func(x float64) vg.Length { return vg.Length((x-a.x0)/(a.x1-a.x0)) * a.w }
	Y := func(y float64) vg.Length { return vg.Length((y-a.y0)/(a.y1-a.y0)) * a.h }
	const gap = vg.Length(3)
	var obstacles []box
	reach := make([]vg.Length, len(pts)) // how far each point's marks reach up and down
	for i, p := range pts {
		r := moneyDot
		if base[i] {
			r = moneyRing
		}
		reach[i] = r
		x, y := X(p.X), Y(p.Y)
		obstacles = append(obstacles, box{x - r, y - r, x + r, y + r})
		if half := (Y(ends[2*i+1]) - Y(ends[2*i])) / 2; half >= moneyDot+vg.Points(2) {
			obstacles = append(obstacles, box{x - 3, Y(ends[2*i]), x + 3, Y(ends[2*i+1])})
			reach[i] = max(r, half)
		}
	}
	if !math.IsNaN(a.breakX) {
		obstacles = append(obstacles, box{X(a.breakX) - 1, 0, X(a.breakX) + 1, a.h})
	}
	order := make([]int, len(pts))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(i, j int) int { return cmpFloat(pts[j].Y, pts[i].Y) })
	xs, ys = make([]float64, len(pts)), make([]float64, len(pts))
	area := box{0, 0, a.w, a.h}
	for _, i := range order {
		w, h := sty.Width(names[i]), sty.Height(names[i])
		x, y := X(pts[i].X), Y(pts[i].Y)
		up := reach[i] + gap + h/2
		side := reach[i] + gap + w/2
		if base[i] {
			side = moneyRing + gap + w/2
		}
		cands := [][2]vg.Length{{x, y + up}, {x, y - up}, {x + side, y}, {x - side, y}, {x, y + up + h + gap}, {x, y - up - h - gap}}
		best, bestCost := cands[0], vg.Length(math.Inf(1))
		for _, c := range cands {
			b := box{c[0] - w/2, c[1] - h/2, c[0] + w/2, c[1] + h/2}
			cost := w*h - b.overlap(area) // outside the area
			for _, o := range obstacles {
				cost += b.overlap(o)
			}
			if cost < bestCost {
				best, bestCost = c, cost
			}
			if cost == 0 {
				break
			}
		}
		obstacles = append(obstacles, box{best[0] - w/2, best[1] - h/2, best[0] + w/2, best[1] + h/2})
		xs[i] = a.x0 + float64(best[0]/a.w)*(a.x1-a.x0)
		ys[i] = a.y0 + float64(best[1]/a.h)*(a.y1-a.y0)
	}
	return xs, ys
}

// moneyAxis is MoneyCurve's x axis: duration ticks on the log scale from
// breakX up, and a tick zeroLabel at zeroX when zero is set.
type moneyAxis struct {
	zero, log     bool
	zeroX, breakX float64
	zeroLabel     string
}

// Ticks implements plot.Ticker.
func (a moneyAxis) Ticks(lo, hi float64) []plot.Tick {
	var ts []plot.Tick
	if a.zero {
		ts = append(ts, plot.Tick{Value: a.zeroX, Label: a.zeroLabel})
		lo = a.breakX
	}
	if a.log {
		ts = append(ts, durationTicks{}.Ticks(lo, hi)...)
	}
	return ts
}

// dataSize returns the size of p's data area when drawn at the default
// size, Width × Height inside the Margin.
func dataSize(p *plot.Plot) (w, h vg.Length) {
	c := p.DataCanvas(draw.NewCanvas(new(recorder.Canvas), Width-2*Margin, Height-2*Margin))
	return c.Max.X - c.Min.X, c.Max.Y - c.Min.Y
}

// whiskerShows reports whether a whisker of half-width half (in data
// units) reaches beyond a glyph of radius r on a data area of height h
// showing span data units: by at least 2 points.
func whiskerShows(half float64, h vg.Length, span float64, r vg.Length) bool {
	return vg.Length(half/span)*h >= r+vg.Points(2)
}

// whiskers draws vertical intervals over the points: ends[2i], ends[2i+1]
// at pts[i].X, those that reach beyond a glyph of radius min only.
type whiskers struct {
	pts  plotter.XYs
	ends []float64
	min  vg.Length
}

// Plot implements plot.Plotter.
func (w *whiskers) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	ls := draw.LineStyle{Color: Ink, Width: vg.Points(1.2)}
	for i, pt := range w.pts {
		lo, hi := w.ends[2*i], w.ends[2*i+1]
		if lo == hi || (trY(hi)-trY(lo))/2 < w.min+vg.Points(2) {
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
	legend(p, false)
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
		// Not "the median makes quota in k of n quarters": a median just
		// above quota is a coin flip, which such a title hides (callers
		// with the chances retitle it, see QuotaHorizonTitle).
		title = fmt.Sprintf("Median revenue %s in %s, %s in %s; quota %s", Money(p50[0], currency), quarters[0], Money(p50[n-1], currency), quarters[n-1], Money(quota, currency))
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
