package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/cmd/sim/internal/report"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"gonum.org/v1/plot"
)

// writeFile writes data to path atomically (see outdir.WriteFile): for a
// single file outside an output folder, such as calibrate's model.
func writeFile(ctx context.Context, path string, data []byte) error {
	return outdir.WriteFile(ctx, path, data)
}

// printJSON writes v to w as indented JSON, for --json.
func printJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// noArgs reports positional arguments given to a command that takes none.
func noArgs(cmd string, rest []string) error {
	if len(rest) > 0 {
		return fmt.Errorf("%s: unexpected argument %q (flags start with --)", cmd, rest[0])
	}
	return nil
}

// writeJSON writes v as indented JSON to the file name of d.
func writeJSON(d *outdir.Dir, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return d.WriteFile(name, append(b, '\n'))
}

// writeCSV writes rows to the file name of d, each cell made safe for
// spreadsheets by data.SafeCell: names in an export may be formulas.
func writeCSV(d *outdir.Dir, name string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	for _, r := range rows {
		if err := w.Write(data.SafeRow(r)); err != nil {
			return err
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	return d.WriteFile(name, buf.Bytes())
}

// saveCharts writes each chart as name.png and name.svg in d, at the
// default size.
func saveCharts(d *outdir.Dir, charts map[string]*plot.Plot) error {
	names := make([]string, 0, len(charts))
	for n := range charts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if err := saveChart(d, n, charts[n]); err != nil {
			return err
		}
	}
	return nil
}

// saveChart writes p as name.png and name.svg in d, at the default size.
func saveChart(d *outdir.Dir, name string, p *plot.Plot) error {
	for _, ext := range []string{"png", "svg"} {
		w, err := d.Create(name + "." + ext)
		if err != nil {
			return err
		}
		err = render.Encode(w, p, 0, 0, ext)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", d.Join(name+"."+ext), err)
		}
	}
	return nil
}

// loadModel reads the model at path ("" means the embedded default) and
// applies the scenario, a file or the name of an embedded scenario ("" means
// none). It returns the model and the scenario's name.
func loadModel(path, scenario string) (*model.Model, string, error) {
	var m *model.Model
	if path == "" || path == "default" {
		m = model.Default()
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		m, err = model.Parse(f)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	}
	if scenario == "" {
		return m, "", nil
	}
	var sc *model.Scenario
	if f, err := os.Open(scenario); err == nil {
		defer f.Close()
		sc, err = model.ParseScenario(f)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", scenario, err)
		}
	} else if strings.ContainsAny(scenario, "/.") {
		return nil, "", err
	} else {
		sc, err = model.EmbeddedScenario(scenario)
		if err != nil {
			return nil, "", err
		}
	}
	m, err := sc.Apply(m)
	if err != nil {
		return nil, "", err
	}
	return m, sc.Name, nil
}

// csvNum formats v for a CSV cell: plain decimal, as spreadsheets read it
// (8708422.869598372, not 8.708422869598372e+06), with every digit needed
// to read v back exactly; NaN is an empty cell, infinities Inf and -Inf.
func csvNum(v float64) string { return render.CSVNum(v) }

// mdText returns s as Markdown text that shows s and nothing else (see
// report.MarkdownText), for names and messages that come from exports.
func mdText(s string) string { return report.MarkdownText(s) }

// mdCode returns s as a Markdown code span for a table cell (Markdown
// shows a span's text as it is, markup included), or as text when s holds
// a backtick, which would end the span.
func mdCode(s string) string {
	if strings.Contains(s, "`") {
		return strings.ReplaceAll(mdText(s), "|", `\|`)
	}
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}

// boundedShare and funnelChart are render's, kept under these names for
// report.go until it calls render itself.
func boundedShare(p float64, n int) (string, bool)  { return render.BoundedShare(p, n) }
func funnelChart(rep *montecarlo.Report) *plot.Plot { return render.FunnelChart(rep) }

// quarterOf names the quarter a simulation of m stands for, as sim
// forecast names it without --start (forecast_start, the opening state's
// day, or the next fiscal quarter from today), and says how it was
// chosen; "" when m's calendar cannot name it.
func quarterOf(m *model.Model) (label, note string) {
	ps, note, err := m.Clone().ForecastCalendar("", 1, today())
	if err != nil || len(ps) == 0 {
		return "", ""
	}
	if note != "" { // these commands take no --start
		day := today().Format(model.DateLayout)
		if m.Start != nil && m.Start.Date != "" {
			day = m.Start.Date + ", the opening state's day"
		}
		note = "The model sets no forecast_start, so this is the next fiscal quarter from " + day + "; set forecast_start: in the model to fix it."
	}
	return ps[0].String(), note
}

// writeQuarter heads a summary with the quarter simulated.
func writeQuarter(w io.Writer, label, note string) {
	if label == "" {
		return
	}
	fmt.Fprintf(w, "Quarter simulated: %s\n", label)
	if note != "" {
		fmt.Fprintln(w, note)
	}
	fmt.Fprintln(w)
}
