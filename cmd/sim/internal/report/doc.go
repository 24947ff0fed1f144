// Package report assembles the forecast report, one self-contained HTML
// page and its Markdown twin, from a Document: warnings a reader must see
// first, the executive summary's key figures, then sections of metrics
// (each with its definition beside it), tables and charts: first the
// sections for everyone, then, after a break, the analyst appendix
// (Section.Appendix). Tables wrap their text columns and scroll sideways
// rather than run past the text column.
//
// The HTML has no external references: charts are inline SVG, the chart
// font (Liberation Sans) is declared once in the page's style sheet from
// the reader's installed fonts (local sources, with metric twins as
// fallbacks), and there are no scripts, links or images to fetch, so the page renders offline and prints to PDF with one
// section a page. The Markdown version links each chart to a PNG file
// named by Chart.PNG, which the caller writes beside it.
//
// The package does no file I/O: WriteHTML and WriteMarkdown write to an
// io.Writer, and charts arrive as SVG bytes.
package report
