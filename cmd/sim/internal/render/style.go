package render

import (
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	stdfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Chart size and resolution. Width and Height are a 16:9 slide-friendly
// default for Save; DPI is the resolution of PNG output, high enough to stay
// sharp when a chart fills a projected slide.
const (
	Width  = 8 * vg.Inch
	Height = 4.5 * vg.Inch
	DPI    = 192
)

// Palette colours. They differ in lightness (CIE L* about 32, 52, 68 and 81)
// as well as hue, so that series stay distinct in greyscale print.
var (
	Blue   = color.RGBA{R: 0x1f, G: 0x4e, B: 0x79, A: 0xff} // dark blue, L* ≈ 32
	Teal   = color.RGBA{R: 0x1b, G: 0x8a, B: 0x7a, A: 0xff} // teal, L* ≈ 52
	Orange = color.RGBA{R: 0xf2, G: 0x8e, B: 0x2b, A: 0xff} // orange, L* ≈ 68
	Grey   = color.RGBA{R: 0xc8, G: 0xc8, B: 0xc8, A: 0xff} // light grey, L* ≈ 81

	// Ink is the colour of titles, labels and strong reference lines.
	Ink = color.RGBA{R: 0x22, G: 0x22, B: 0x22, A: 0xff}
	// Muted is the colour of subtitles, tick labels and weak guide lines.
	Muted = color.RGBA{R: 0x59, G: 0x59, B: 0x59, A: 0xff}
	// GridColor is the colour of the light horizontal grid.
	GridColor = color.RGBA{R: 0xe4, G: 0xe4, B: 0xe4, A: 0xff}
	// BandColor fills shaded intervals (P10–P90) behind the data.
	BandColor = color.RGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
)

// Palette lists the series colours in the order charts use them.
var Palette = []color.Color{Blue, Orange, Teal, Grey}

// Dashes lists line dash patterns in the order charts use them, alongside
// Palette, so that lines stay distinguishable in greyscale: solid, long
// dashes, dots, dash-dot.
var Dashes = [][]vg.Length{
	nil,
	{vg.Points(6), vg.Points(3)},
	{vg.Points(1.5), vg.Points(2.5)},
	{vg.Points(6), vg.Points(2.5), vg.Points(1.5), vg.Points(2.5)},
}

// Font sizes, readable when a chart fills a slide.
const (
	TitleSize    = 16 // plot title, bold
	SubtitleSize = 12 // second title line
	AxisSize     = 12 // axis labels
	TickSize     = 11 // tick labels
	NoteSize     = 10 // annotations: reference-line and bar labels
)

// Fonts. All are Liberation Sans, embedded in gonum/plot, so rendering does
// not depend on the fonts installed on the machine.
var (
	sans     = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: stdfont.WeightBold}
)

// RefStyle is the line style of strong reference lines (quota, coverage
// rules, SLA target); GuideStyle is that of weak guides (percentiles).
var (
	RefStyle   = draw.LineStyle{Color: Ink, Width: vg.Points(1.5)}
	GuideStyle = draw.LineStyle{Color: Muted, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
)

// textStyle returns a text style in the product's font at the given size.
func textStyle(f font.Font, size vg.Length, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(f, size),
		XAlign:  draw.XCenter,
		YAlign:  draw.YBottom,
		Handler: plot.DefaultTextHandler,
	}
}

// New returns an empty plot in the product style: a bold title with an
// optional subtitle on a second, smaller and lighter line, sans-serif axis
// labels and ticks, no frame, and a light horizontal grid drawn behind the
// data. Both axes get round 1-2-5 ticks (see PercentTicks and friends to
// format them). The title should state the finding ("62% chance of making
// the $5.0M quota"), the subtitle the numbers behind it. An empty subtitle
// gives a one-line title.
func New(title, subtitle string) *plot.Plot {
	p := plot.New()
	p.Title.Text = strings.TrimRight(title, "\n")
	p.Title.TextStyle = textStyle(sansBold, TitleSize, Ink)
	p.Title.TextStyle.YAlign = draw.YTop
	if subtitle != "" {
		subtitle = fitLines(subtitle, font.From(sans, SubtitleSize), Width-2*Margin)
		p.Title.Text += "\n" + subtitle
		p.Title.TextStyle.Handler = headline{
			Plain:    text.Plain{Fonts: font.DefaultCache},
			sub:      font.From(sans, SubtitleSize),
			subColor: Muted,
			subLines: strings.Split(subtitle, "\n"),
		}
	}
	p.Title.Padding = vg.Points(12)

	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle = textStyle(sans, AxisSize, Ink)
		a.Label.Padding = vg.Points(4)
		a.Tick.Label = textStyle(sans, TickSize, Muted)
		a.Tick.Color = Muted
		a.Tick.Width = vg.Points(0.5)
		a.Tick.Length = vg.Points(4)
		a.Tick.Marker = plainTicks{}
		a.Color = Muted
		a.Width = vg.Points(0.75)
		a.Padding = 0
	}
	p.X.Tick.Label.YAlign = draw.YTop
	p.Y.Tick.Label.XAlign = draw.XRight
	p.Y.Tick.Label.YAlign = draw.YCenter
	// The grid replaces the y axis line and its tick marks.
	p.Y.Width = 0
	p.Y.Tick.Length = 0
	p.Y.Padding = vg.Points(2)

	grid := plotter.NewGrid()
	grid.Vertical.Color = nil
	grid.Horizontal = draw.LineStyle{Color: GridColor, Width: vg.Points(0.75)}
	p.Add(grid)
	return p
}

// fitLines breaks the lines of s that are wider than width in font fnt,
// preferably after a " · " separator, else at a space.
func fitLines(s string, fnt font.Font, width vg.Length) string {
	face := font.DefaultCache.Lookup(fnt, fnt.Size)
	var out []string
	for _, line := range strings.Split(s, "\n") {
		for face.Width(line) > width {
			cut := -1
			for _, sep := range []string{" · ", " "} {
				for i := len(line) - len(sep); i > 0; i-- {
					if strings.HasPrefix(line[i:], sep) && face.Width(line[:i]) <= width {
						cut = i
						break
					}
				}
				if cut > 0 {
					out = append(out, line[:cut])
					line = strings.TrimLeft(line[cut+len(sep):], " ")
					break
				}
			}
			if cut < 0 {
				break
			}
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

// headline is a text.Handler for a title block: the first line is drawn in
// the style's font and colour, the subtitle lines below it in a smaller font
// and a lighter colour. plot.Plot measures and draws the title through its
// handler, so the plot reserves exactly the room the block needs.
type headline struct {
	text.Plain
	sub      font.Font
	subColor color.Color
	subLines []string
}

// subGap is the extra space between the title line and the subtitle.
const subGap = 3

// isSub reports whether line is a subtitle line of the block.
func (h headline) isSub(line string) bool {
	for _, s := range h.subLines {
		if s == line {
			return true
		}
	}
	return false
}

// Box implements text.Handler, measuring subtitle lines in the subtitle font.
func (h headline) Box(txt string, fnt font.Font) (width, height, depth vg.Length) {
	if h.isSub(txt) {
		w, ht, d := h.Plain.Box(txt, h.sub)
		return w, ht + subGap, d
	}
	return h.Plain.Box(txt, fnt)
}

// Draw implements text.Handler. It ignores rotation, which titles never
// have, and lays lines out top-down as text.Style.Rectangle measures them.
func (h headline) Draw(c vg.Canvas, txt string, sty text.Style, pt vg.Point) {
	lines := h.Lines(txt)
	e := h.Extents(sty.Font)
	gap := e.Height - e.Ascent - e.Descent
	top := pt.Y + vg.Length(sty.YAlign+1)*sty.Height(txt) - (e.Height - e.Ascent)
	y := top
	for i, line := range lines {
		fnt, clr := sty.Font, sty.Color
		if i > 0 && h.isSub(line) {
			fnt, clr = h.sub, h.subColor
		}
		w, asc, desc := h.Box(line, fnt)
		if i > 0 {
			y -= gap
		}
		y -= asc
		face := h.Fonts.Lookup(fnt, fnt.Size)
		c.SetColor(clr)
		c.FillString(face, vg.Point{X: pt.X + vg.Length(sty.XAlign)*w, Y: y}, line)
		y -= desc
	}
}

// niceTicks returns round tick values covering [lo, hi]: multiples of a
// step of 1, 2 or 5 times a power of ten, about target of them, and the
// step. It returns nil for an empty or non-finite range, and the single
// value for a zero-width one.
func niceTicks(lo, hi float64, target int) (values []float64, step float64) {
	if math.IsNaN(lo) || math.IsNaN(hi) || math.IsInf(lo, 0) || math.IsInf(hi, 0) || lo > hi {
		return nil, 0
	}
	if lo == hi {
		return []float64{lo}, 0
	}
	step = niceStep((hi - lo) / float64(target))
	first := math.Ceil(lo/step - 1e-9)
	last := math.Floor(hi/step + 1e-9)
	for k := first; k <= last; k++ {
		v := k * step
		if v == 0 {
			v = 0 // no negative zero
		}
		values = append(values, v)
	}
	return values, step
}

// niceStep returns the smallest of 1, 2, 5 times a power of ten that is at
// least raw.
func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw*(1-1e-9) {
			return m * mag
		}
	}
	return 10 * mag
}

// tickTarget is the number of ticks an axis aims for.
const tickTarget = 10

// decimalsFor returns the number of decimals needed to write multiples of
// step exactly.
func decimalsFor(step float64) int {
	if step <= 0 {
		return 0
	}
	return max(0, int(-math.Floor(math.Log10(step)+1e-9)))
}

// makeTicks builds labelled ticks from values with label.
func makeTicks(values []float64, label func(float64) string) []plot.Tick {
	ticks := make([]plot.Tick, len(values))
	for i, v := range values {
		ticks[i] = plot.Tick{Value: v, Label: label(v)}
	}
	return ticks
}

// signed writes the minus sign (U+2212) before s when v is negative.
func signed(v float64, s string) string {
	if v < 0 {
		return minus + s
	}
	return s
}

// plainTicks is the default ticker of New: round 1-2-5 ticks with plain
// decimal labels.
type plainTicks struct{}

// Ticks implements plot.Ticker.
func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	values, step := niceTicks(lo, hi, tickTarget)
	d := decimalsFor(step)
	return makeTicks(values, func(v float64) string {
		return signed(v, strconv.FormatFloat(math.Abs(v), 'f', d, 64))
	})
}

// MoneyTicks is a plot.Ticker for amounts of money: round 1-2-5 ticks
// labelled with a currency prefix (see CurrencyPrefix) and one scale suffix
// for the whole axis ("$4.5M", "$5.0M", "$5.5M"), with as many decimals as
// the step needs.
type MoneyTicks struct {
	// Currency is an ISO 4217 code such as "USD"; empty means no prefix.
	Currency string
}

// Ticks implements plot.Ticker.
func (t MoneyTicks) Ticks(lo, hi float64) []plot.Tick {
	values, step := niceTicks(lo, hi, tickTarget)
	if len(values) == 0 {
		return nil
	}
	big := math.Max(math.Abs(values[0]), math.Abs(values[len(values)-1]))
	unit := 0
	for unit < len(scales)-1 && big >= 1000*math.Pow(1000, float64(unit)) {
		unit++
	}
	div := math.Pow(1000, float64(unit))
	d := decimalsFor(step / div)
	prefix := CurrencyPrefix(t.Currency)
	return makeTicks(values, func(v float64) string {
		if v == 0 {
			return prefix + "0"
		}
		return signed(v, prefix+strconv.FormatFloat(math.Abs(v)/div, 'f', d, 64)+scales[unit])
	})
}

// PercentTicks is a plot.Ticker for proportions (0.25 is 25%): round 1-2-5
// ticks labelled as percentages ("20%", "40%") with as many decimals as the
// step needs.
type PercentTicks struct{}

// Ticks implements plot.Ticker.
func (PercentTicks) Ticks(lo, hi float64) []plot.Tick {
	values, step := niceTicks(lo, hi, tickTarget)
	d := decimalsFor(step * 100)
	return makeTicks(values, func(v float64) string { return percent(v, d) })
}

// RatioTicks is a plot.Ticker for ratios such as pipeline coverage: round
// 1-2-5 ticks labelled with at least one decimal and an "x" ("2.0x",
// "2.5x").
type RatioTicks struct{}

// Ticks implements plot.Ticker.
func (RatioTicks) Ticks(lo, hi float64) []plot.Tick {
	values, step := niceTicks(lo, hi, tickTarget)
	d := max(1, decimalsFor(step))
	return makeTicks(values, func(v float64) string {
		return signed(v, strconv.FormatFloat(math.Abs(v), 'f', d, 64)+"x")
	})
}

// CountTicks is a plot.Ticker for counts: round 1-2-5 ticks on whole numbers
// labelled with thousands separators ("12,000").
type CountTicks struct{}

// Ticks implements plot.Ticker.
func (CountTicks) Ticks(lo, hi float64) []plot.Tick {
	values, step := niceTicks(lo, hi, tickTarget)
	if step > 0 && step < 1 {
		values, _ = niceTicks(math.Ceil(lo), math.Floor(hi), max(1, int(math.Floor(hi)-math.Ceil(lo))))
	}
	return makeTicks(values, Count)
}

// durationTicks is a plot.Ticker for an axis of log10(minutes): ticks at
// times people think in (1m, 5m, 1h, 4h, 1d, ...) labelled with Duration.
// It uses the densest tick set that puts at most 9 ticks in range.
type durationTicks struct{}

// durationSets are candidate tick positions in minutes, sparse to dense;
// each set contains the previous one.
var durationSets = func() [][]float64 {
	const s, h, d = 1.0 / 60, 60.0, 1440.0
	levels := [][]float64{
		{s, 1, h, d, 7 * d, 30 * d, 365 * d},
		{10 * s, 10, 4 * h, 2 * d, 90 * d},
		{5 * s, 30 * s, 5, 30, 12 * h, 14 * d},
		{2 * s, 15 * s, 2, 15, 2 * h, 8 * h, 3 * d},
	}
	var sets [][]float64
	var acc []float64
	for _, l := range levels {
		acc = append(slices.Clone(acc), l...)
		slices.Sort(acc)
		sets = append(sets, acc)
	}
	return sets
}()

// Ticks implements plot.Ticker; lo and hi are log10 of minutes.
func (durationTicks) Ticks(lo, hi float64) []plot.Tick {
	var best []float64
	for _, set := range durationSets {
		var in []float64
		for _, v := range set {
			if l := math.Log10(v); l >= lo-1e-9 && l <= hi+1e-9 {
				in = append(in, l)
			}
		}
		if len(best) > 0 && len(in) > 9 {
			break
		}
		best = in
	}
	return makeTicks(best, func(l float64) string { return Duration(math.Pow(10, l)) })
}

// Ref is a vertical reference line at X, in the data units of the x axis,
// annotated with Label near the top of the plot area.
type Ref struct {
	X     float64
	Label string
	// Line is the style of the line; the zero value means RefStyle.
	Line draw.LineStyle
}

// RefLine adds to p a vertical reference line at x (quota, 3x coverage, SLA
// target) labelled with label near the top of the plot area, to the right
// of the line or, near the right edge, to its left. The x axis range grows
// to include x. Lines whose labels may collide should be added together
// with RefLines.
func RefLine(p *plot.Plot, x float64, label string) {
	RefLines(p, Ref{X: x, Label: label})
}

// RefLines adds reference lines to p, drawn in the order given. Labels are
// placed in rows from the top of the plot area: each goes into the first
// row where it overlaps no earlier label, so list the most important line
// first. Charts should leave headroom above the data (a larger p.Y.Max) for
// as many rows as may be needed. Lines with a non-finite X are skipped.
func RefLines(p *plot.Plot, refs ...Ref) {
	var keep []Ref
	for _, r := range refs {
		if !math.IsNaN(r.X) && !math.IsInf(r.X, 0) {
			if r.Line.Width == 0 {
				r.Line = RefStyle
			}
			keep = append(keep, r)
		}
	}
	if len(keep) > 0 {
		p.Add(&refLines{refs: keep, style: textStyle(sans, NoteSize, Ink)})
	}
}

// refLines is the plotter behind RefLines.
type refLines struct {
	refs  []Ref
	style text.Style
}

// DataRange implements plot.DataRanger: the x range spans the lines and the
// y range is left to the data.
func (r *refLines) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	for _, ref := range r.refs {
		xmin, xmax = math.Min(xmin, ref.X), math.Max(xmax, ref.X)
	}
	return xmin, xmax, math.Inf(1), math.Inf(-1)
}

// Plot implements plot.Plotter.
func (r *refLines) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for _, ref := range r.refs {
		x := trX(ref.X)
		c.StrokeLine2(ref.Line, x, c.Min.Y, x, c.Max.Y)
	}
	const pad = 3 // points between the line and its label, and around it
	var rows [][]vg.Rectangle
	for _, ref := range r.refs {
		if ref.Label == "" {
			continue
		}
		x := trX(ref.X)
		sty := r.style // Ink: coloured text is hard to read
		if ref.Line.Color == color.Color(Muted) {
			sty.Color = Muted
		}
		w, h := sty.Width(ref.Label), sty.Height(ref.Label)
		left := x + pad
		if left+w > c.Max.X {
			left = x - pad - w
		}
		row := 0
		for ; row < len(rows); row++ {
			if !overlapsAny(rows[row], left-pad, left+w+pad) {
				break
			}
		}
		if row == len(rows) {
			rows = append(rows, nil)
		}
		top := c.Max.Y - vg.Length(row)*(h+2*pad) - pad
		box := vg.Rectangle{Min: vg.Point{X: left - 1, Y: top - h - 1}, Max: vg.Point{X: left + w + 1, Y: top + 1}}
		rows[row] = append(rows[row], vg.Rectangle{Min: vg.Point{X: left - pad, Y: box.Min.Y}, Max: vg.Point{X: left + w + pad, Y: box.Max.Y}})
		c.SetColor(color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xdd})
		c.Fill(box.Path())
		sty.XAlign, sty.YAlign = draw.XLeft, draw.YTop
		c.FillText(sty, vg.Point{X: left, Y: top}, ref.Label)
	}
}

// overlapsAny reports whether [x0, x1] overlaps the x extent of any box.
func overlapsAny(boxes []vg.Rectangle, x0, x1 vg.Length) bool {
	for _, b := range boxes {
		if x0 < b.Max.X && b.Min.X < x1 {
			return true
		}
	}
	return false
}

// legend styles p's legend, at the top right (or bottom right): note-size
// text with room between its entries and between each text and its
// swatch, so that entries neither touch nor crowd the plot.
func legend(p *plot.Plot, top bool) {
	p.Legend.Top, p.Legend.Left = top, false
	p.Legend.TextStyle = textStyle(sans, NoteSize, Ink)
	p.Legend.Padding = vg.Points(5)
	p.Legend.ThumbnailWidth = vg.Points(28)
	p.Legend.XOffs = -vg.Points(4)
}
