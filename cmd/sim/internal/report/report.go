package report

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"regexp"
	"strings"
	texttemplate "text/template"
)

// Document is a report: a title, the executive summary and the sections.
// Every string is plain text; WriteHTML escapes it and WriteMarkdown writes
// it as it is.
type Document struct {
	Title    string
	Subtitle string // what was simulated: model, scenario, quarters
	// Warnings are caveats a reader must see before any figure (folders
	// from different models, say), shown in a box under the title.
	Warnings []string
	// Headline is the finding in one sentence, shown above the key figures.
	Headline string
	// Points are the takeaways, one sentence each, under the headline.
	Points   []string
	KPIs     []KPI
	Sections []Section
}

// Status colours a key figure: whether it is on track.
type Status int

// Statuses of a key figure.
const (
	Neutral Status = iota // no judgement
	Good                  // meets its target
	Warn                  // falls short of its target
)

// String returns the CSS class of s.
func (s Status) String() string {
	switch s {
	case Good:
		return "good"
	case Warn:
		return "warn"
	}
	return "neutral"
}

// KPI is a key figure of the executive summary.
type KPI struct {
	Label      string // "Revenue P10–P90"
	Value      string // "$6.22M – $8.31M"
	Detail     string // the figure against its reference: "quota $7.0M"
	Definition string // how the figure is computed
	Status     Status
}

// Section is a part of the report, printed from a new page. The sections
// for everyone come first, in their order; the Appendix ones follow them,
// in theirs, after a break that says the rest is for analysts.
type Section struct {
	ID    string // HTML anchor and prefix of its chart files; letters, digits and '-'
	Title string
	// Appendix puts the section in the analyst appendix: parameter
	// tables, diagnostics, caveats of method.
	Appendix bool
	Intro    []string // paragraphs
	// Metrics are figures shown with their definitions.
	Metrics []Metric
	Tables  []Table
	Charts  []Chart
	// Compact lays the charts out two a row (in HTML), for many small
	// diagnostics.
	Compact bool
	// Pre is preformatted text (a command, a verbatim file), shown after
	// the charts.
	Pre   []Pre
	Notes []string // footnotes, shown last in smaller type
}

// Metric is a figure with its definition.
type Metric struct {
	Name, Value, Definition string
}

// Table is a table of text cells. Numeric columns are right-aligned:
// Right[i] tells whether column i is.
type Table struct {
	Caption string
	Head    []string
	Right   []bool
	Rows    [][]string
	Note    string
}

// Chart is a chart of a section: SVG is the image, inlined in the HTML;
// PNG is the file name the Markdown links to (relative to the report).
type Chart struct {
	Caption string
	SVG     []byte
	PNG     string
}

// Pre is a titled block of preformatted text.
type Pre struct {
	Caption, Text string
}

//go:embed report.html.tmpl report.md.tmpl
var templates embed.FS

var (
	htmlTmpl = htmltemplate.Must(htmltemplate.New("report.html.tmpl").Funcs(htmltemplate.FuncMap{
		"align": align,
	}).ParseFS(templates, "report.html.tmpl"))
	mdTmpl = texttemplate.Must(texttemplate.New("report.md.tmpl").Funcs(texttemplate.FuncMap{
		"cell":  mdCell,
		"text":  MarkdownText,
		"fence": Fence,
		"row":   mdRow,
		"rule":  mdRule,
		"upper": strings.ToUpper,
	}).ParseFS(templates, "report.md.tmpl"))
)

func align(right []bool, i int) string {
	if i < len(right) && right[i] {
		return "num"
	}
	return ""
}

// htmlChart is a chart ready for the page.
type htmlChart struct {
	Caption string
	SVG     htmltemplate.HTML
}

type htmlSection struct {
	Section
	Charts []htmlChart
}

// AppendixTitle heads the analyst appendix; AppendixIntro says what it
// holds.
const (
	AppendixTitle = "Analyst appendix"
	AppendixIntro = "The figures above rest on what follows: the model's parameters and how they were estimated, diagnostics of the fit and of past forecasts, and the caveats of method. It is written for the analysts who check the numbers."
)

// split returns d's sections for everyone and those of the appendix, each
// in their order.
func split[S any](secs []S, appendix func(S) bool) (main, app []S) {
	for _, s := range secs {
		if appendix(s) {
			app = append(app, s)
		} else {
			main = append(main, s)
		}
	}
	return main, app
}

// WriteHTML writes d to w as one self-contained HTML page. It returns an
// error if a chart is not an SVG image.
func WriteHTML(w io.Writer, d *Document) error {
	fonts := newFontSet()
	var secs []htmlSection
	for _, s := range d.Sections {
		hs := htmlSection{Section: s}
		for _, c := range s.Charts {
			svg, err := InlineSVG(c.SVG, c.Caption, fonts)
			if err != nil {
				return fmt.Errorf("report: section %q, chart %q: %w", s.Title, c.Caption, err)
			}
			hs.Charts = append(hs.Charts, htmlChart{Caption: c.Caption, SVG: htmltemplate.HTML(svg)})
		}
		secs = append(secs, hs)
	}
	main, app := split(secs, func(s htmlSection) bool { return s.Appendix })
	var buf bytes.Buffer
	err := htmlTmpl.Execute(&buf, struct {
		*Document
		Sections, Appendix           []htmlSection
		AppendixTitle, AppendixIntro string
		Fonts                        htmltemplate.CSS
	}{d, main, app, AppendixTitle, AppendixIntro, htmltemplate.CSS(fonts.css())})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// WriteMarkdown writes d to w as Markdown, for wikis: the same content as
// WriteHTML, with each chart as an image link to its PNG file.
func WriteMarkdown(w io.Writer, d *Document) error {
	main, app := split(d.Sections, func(s Section) bool { return s.Appendix })
	var buf bytes.Buffer
	err := mdTmpl.Execute(&buf, struct {
		*Document
		Sections, Appendix           []Section
		AppendixTitle, AppendixIntro string
	}{d, main, app, AppendixTitle, AppendixIntro})
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	// Collapse the blank lines the template's conditionals leave.
	out := regexp.MustCompile(`\n{3,}`).ReplaceAll(buf.Bytes(), []byte("\n\n"))
	_, err = w.Write(bytes.TrimLeft(out, "\n"))
	return err
}

// mdEscaper escapes what Markdown would read as markup: HTML (which
// Markdown passes through to the page), links and code spans. Names in a
// report come from exports and models, which anyone may write.
var mdEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `\`, `\\`, "[", `\[`, "]", `\]`, "`", "\\`")

// MarkdownText returns s as Markdown text that shows s and nothing else.
func MarkdownText(s string) string { return mdEscaper.Replace(s) }

// mdCell escapes a table cell: markup as MarkdownText, and pipes and line
// breaks, which would end the cell.
func mdCell(s string) string {
	s = strings.ReplaceAll(MarkdownText(s), "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}

// Fence returns a Markdown code fence longer than any run of backticks in
// s, so that s cannot end the block it is in.
func Fence(s string) string {
	n, run := 3, 0
	for _, r := range s {
		if r == '`' {
			run++
			n = max(n, run+1)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", n)
}

func mdRow(cells []string) string {
	var b strings.Builder
	b.WriteString("|")
	for _, c := range cells {
		b.WriteString(" " + mdCell(c) + " |")
	}
	return b.String()
}

func mdRule(head []string, right []bool) string {
	var b strings.Builder
	b.WriteString("|")
	for i := range head {
		if i < len(right) && right[i] {
			b.WriteString("---:|")
		} else {
			b.WriteString("---|")
		}
	}
	return b.String()
}
