package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/data"
)

func init() {
	register("import", "convert a Salesforce, HubSpot or opportunities export into the canonical folder", importCmd)
}

const importUsage = `
Usage: sim import SRC --out DIR [--format FORMAT] [--mapping FILE] [flags]
       sim import SRC --suggest-mapping[=FILE]

Reads the CRM export SRC with the adapter of its format and writes the
canonical export that sim calibrate and sim inspect read into DIR:
leads.csv and opportunities.csv always, stage_events.csv, activities.csv
and opportunity_stage_events.csv when they have rows. Stage and source
values are translated (built-in CRM defaults, then --mapping); times are
written in UTC (RFC 3339); columns the engine does not use are kept.

DIR/rejects.csv lists every rejected row with its file, line, column and
reason (only a header when none was). When more than --max-reject-share of
the rows are rejected, import writes the rejects file and no export, and
fails. Files are replaced atomically; DIR must not be the source folder.

--suggest-mapping writes a starting mapping (the YAML --mapping reads)
from the export's own headers and values instead of importing: each
file's columns, the stage every lead status, lifecycle stage and deal
stage becomes, and the lead sources, each with where it was found and how
often. Values the import cannot place (a status that becomes no stage of
the model, a required column no header holds) are marked NOT PLACED in
the file and listed. It goes to stdout, or to FILE.
` + formatsHelp + `
Examples:
  sim import crm/ --format salesforce --tz America/New_York --out export/
  sim import hubspot/ --mapping mapping.yaml --out export/
  sim import pipeline.csv --format opportunities --date-order dmy --out export/
  sim import hubspot/ --suggest-mapping=mapping.yaml
  sim inspect export/ && sim calibrate export/
`

func importCmd(ctx context.Context, e *env, args []string) error {
	var c readConfig
	var out string
	fs := newFlags(e, "import", importUsage)
	c.bind(fs)
	fs.StringVar(&out, "out", "", "output `DIR` for the canonical export (required)")
	var suggest string
	fs.StringVar(&suggest, "suggest-mapping", "", "write a starting mapping for SRC to `FILE` (stdout without =FILE) instead of importing")
	fs.Lookup("suggest-mapping").NoOptDefVal = "-"
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("import: want one export folder or file, got %d arguments (run 'sim import --help')", len(pos))
	}
	src := pos[0]
	if suggest != "" {
		return suggestMapping(ctx, e, src, suggest, &c)
	}
	if out == "" {
		return fmt.Errorf("import: --out DIR is required")
	}
	srcDir := src
	if st, err := os.Stat(src); err == nil && !st.IsDir() {
		srcDir = filepath.Dir(src)
	}
	if sameDir(filepath.Join(out, "x"), srcDir) {
		return fmt.Errorf("import: --out %s is the source folder; write the canonical export to another folder", out)
	}
	dir, err := outdir.Begin(ctx, out)
	if err != nil {
		return fmt.Errorf("import: --out: %w", err)
	}
	defer dir.Abort()
	exp, format, err := readSource(ctx, src, &c)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	rep := &exp.Report
	rejects := dir.Join("rejects.csv")
	if err := checkShare(rep, c.maxRejectShare, rejects); err != nil {
		// The rejects file is the answer to this error: it alone is written.
		if werr := writeRejects(ctx, rejects, rep); werr != nil {
			return fmt.Errorf("import: %w", werr)
		}
		return fmt.Errorf("import: %w; no export written", err)
	}
	var b strings.Builder
	if err := data.WriteRejects(&b, rep); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if err := dir.WriteFile("rejects.csv", []byte(b.String())); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if err := data.WriteExport(dir, exp); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if err := dir.Commit(); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(e.stdout, "Read %s (%s format): %d rows, %d rejected (%s).\n",
		src, format, rep.TotalRows(), len(rep.Rejected), percent(rep.RejectShare()))
	fmt.Fprintf(e.stdout, "Wrote %s: %d leads, %d stage events, %d activities, %d opportunities, %d opportunity stage events, as of %s.\n",
		out, len(exp.Leads), len(exp.StageEvents), len(exp.Activities), len(exp.Opportunities), len(exp.OppStageEvents), exp.AsOf.Format(time.RFC3339))
	if len(rep.Rejected) > 0 {
		fmt.Fprintf(e.stdout, "Rejected rows are listed in %s.\n", rejects)
	}
	importSummary(e.stdout, src, exp, &c)
	for i, w := range rep.Warnings {
		fmt.Fprintf(e.stdout, "[%d] %v\n", i+1, w)
	}
	return nil
}

// suggestMapping writes a starting mapping for the export src to to
// ("-": stdout) and says what it could not place: on stderr when the
// mapping goes to stdout, else on stdout.
func suggestMapping(ctx context.Context, e *env, src, to string, c *readConfig) error {
	o, err := c.options()
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	st, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	dir := src
	if !st.IsDir() {
		dir = filepath.Dir(src)
	}
	s, err := data.SuggestMapping(os.DirFS(dir), o, nil)
	if err != nil {
		return fmt.Errorf("import: --suggest-mapping: %s: %w", src, err)
	}
	var b strings.Builder
	if err := s.WriteYAML(&b, src); err != nil {
		return fmt.Errorf("import: %w", err)
	}
	if _, err := data.ParseMapping(strings.NewReader(b.String())); err != nil {
		return fmt.Errorf("import: --suggest-mapping: the suggested mapping does not read back: %w", err)
	}
	say := e.stdout
	if to == "-" {
		say = e.stderr
		if _, err := io.WriteString(e.stdout, b.String()); err != nil {
			return err
		}
	} else {
		if err := writeFile(ctx, to, []byte(b.String())); err != nil {
			return fmt.Errorf("import: --suggest-mapping: %w", err)
		}
		fmt.Fprintf(say, "Wrote %s: the columns of %d files, %d status and stage values, %d sources (%s format).\n", to, len(s.Files), len(s.Stages), len(s.Sources), s.Format)
	}
	un := s.Unplaced()
	if len(un) == 0 {
		fmt.Fprintln(say, "Every column and value is placed; the mapping only restates the defaults.")
		return nil
	}
	fmt.Fprintf(say, "Could not place %d (marked NOT PLACED in the mapping; edit it, then pass --mapping):\n", len(un))
	for _, u := range un {
		fmt.Fprintf(say, "  %s\n", u)
	}
	return nil
}

// importSummary says what import recognised (each file's object and
// encoding), what it assumed (the zone of times written without one, the
// as-of time, the currencies of amounts) and which files it did not use.
func importSummary(w io.Writer, src string, exp *data.Export, c *readConfig) {
	rep := &exp.Report
	var files []string
	for _, f := range rep.Files {
		files = append(files, fmt.Sprintf("%s (%s)", f, rep.Encodings[f]))
	}
	if st, err := os.Stat(src); err == nil && st.IsDir() {
		if det, err := data.Detect(os.DirFS(src)); err == nil {
			files = files[:0]
			var unused []string
			for _, f := range det.Files {
				switch {
				case f.Object == data.ObjectUnknown || !slices.Contains(rep.Files, f.Name):
					unused = append(unused, f.Name)
				default:
					files = append(files, fmt.Sprintf("%s as %s (%s)", f.Name, f.Object, f.Encoding))
				}
			}
			if len(unused) > 0 {
				defer fmt.Fprintf(w, "Not used: %s (not a file of the export's objects).\n", strings.Join(unused, ", "))
			}
		}
	}
	fmt.Fprintf(w, "Recognised: %s.\n", strings.Join(files, ", "))
	asOf := "the newest creation, history or won time in the export (--as-of to set it)"
	if c.asOf != "" {
		asOf = "--as-of"
	}
	cur := map[string]int{}
	for _, o := range exp.Opportunities {
		cur[o.Currency]++
	}
	none := cur[""]
	delete(cur, "")
	var curs []string
	for _, k := range slices.Sorted(maps.Keys(cur)) {
		curs = append(curs, fmt.Sprintf("%s (%d)", k, cur[k]))
	}
	curText := "no opportunities"
	switch {
	case len(cur) == 0 && none > 0:
		curText = "no currency given: amounts are taken in the model's currency (the --base model's, else the default model's)"
	case len(cur) > 1:
		curText = strings.Join(curs, ", ") + ": calibrate reports each and uses the commonest (--rates converts the others)"
	case len(cur) == 1:
		curText = strings.Join(curs, ", ")
	}
	if none > 0 && len(cur) > 0 {
		curText += fmt.Sprintf(", and %d opportunities without one", none)
	}
	fmt.Fprintf(w, "Assumed: times written without a zone are in %s (--tz to change); as of %s, %s; currencies: %s.\n",
		c.tz, exp.AsOf.UTC().Format("2006-01-02 15:04 UTC"), asOf, curText)
}
