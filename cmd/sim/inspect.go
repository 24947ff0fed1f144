package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/data"
)

func init() {
	register("inspect", "check a CRM export: rows, dates, stages, response times, rejected rows", inspectCmd)
}

// formatsHelp is shared by the help of inspect and import.
const formatsHelp = `
Formats (--format; by default detected from the files present):
  canonical      a folder of the engine's own CSV files (what sim generate
                 and sim import write; leads.csv or opportunities.csv needed):
                   leads.csv                     lead_id, created_at, source,
                                                 [segment], [score], [owner]
                   stage_events.csv              lead_id, stage, at
                   activities.csv                lead_id, at, channel,
                                                 outcome (connected|attempted), [owner]
                   opportunities.csv             opportunity_id, [lead_id], created_at,
                                                 amount, stage, [closed_at],
                                                 outcome (won|lost|open), [currency]
                   opportunity_stage_events.csv  opportunity_id, stage, at
  salesforce     a folder with Lead.csv, LeadHistory.csv, Opportunity.csv,
                 OpportunityHistory.csv (API names such as CreatedDate or
                 report labels such as "Create Date"); lead statuses become
                 stages ("Open - Not Contacted" is mql, "Closed - Converted"
                 opportunity, ...), IsClosed/IsWon give the outcome
  hubspot        a folder with contacts (all-contacts.csv: Record ID, Create
                 Date, Original Traffic Source; the Date entered "<stage>
                 (Lifecycle Stage Pipeline)" or "Became a ... Date" columns
                 give the lifecycle stages) and deals (Record ID, Deal
                 Stage, Amount, Create Date, Close Date, Is Deal Closed?,
                 Deal probability, Associated Contact IDs)
  opportunities  one CSV of deals, no leads (the file itself, or a folder
                 holding opportunities.csv or a single .csv): opportunity_id
                 (id, deal id), created_at (engage_date), amount
                 (close_value), stage (deal_stage), [closed_at]
                 (close_date), [owner] (sales_agent), [outcome], [currency]

Header names match ignoring case, spaces, underscores and hyphens; extra
columns are kept. The delimiter (comma, semicolon, tab) is detected. Dates
may be RFC 3339, ISO (2024-03-01 09:30) or slash dates (set --date-order
when they are ambiguous, as 03/04/2024 is); times without a zone are read
in --tz. Amounts may carry currency symbols and thousands separators.

A mapping file (--mapping, YAML) renames columns and translates your CRM's
stage and source values:
  columns:
    leads.csv: {lead_id: Lead Number, created_at: Created On}
  stages: {Handraiser: mql, Sales Rejected: rejected}
  sources: {Web Form: web}

Bad rows do not stop loading: each is rejected with its file, line, column
and reason, and the good rows still load. Loading fails when more than
--max-reject-share of all rows are rejected.
`

const inspectUsage = `
Usage: sim inspect SRC [flags]

Reads the CRM export SRC (a folder, or one CSV file for the opportunities
format), prints a data-quality report and lists every rejected row:

  rows per file and how many were rejected, the date range, how many leads
  entered each stage, the median time between consecutive stages, the
  response time from MQL to the first activity (P50, P90), opportunities by
  outcome and stage, rejected rows by reason, and warnings (near-duplicate
  category spellings, open deals without a creation date, ...).

Rejected rows go to the --rejects file (CSV: file, line, column, field,
reason, value), by default rejects.csv in the current folder, written only
when rows were rejected; the export folder itself is never written to.
Inspect exits with an error when the rejected share exceeds
--max-reject-share, after writing the rejects file.
` + formatsHelp + `
Examples:
  sim inspect export/
  sim inspect crm/ --format salesforce --tz America/New_York --date-order mdy
  sim inspect pipeline.csv --format opportunities --mapping mapping.yaml
  sim inspect export/ --json > quality.json
`

// readConfig holds the flags that say how to read an export; inspect and
// import share them.
type readConfig struct {
	format         string
	tz             string
	dateOrder      string
	asOf           string
	maxRejectShare float64
	mapping        string
}

func (c *readConfig) bind(fs *pflag.FlagSet) {
	fs.StringVar(&c.format, "format", "", "export `FORMAT`: canonical, salesforce, hubspot or opportunities; default: detected")
	fs.StringVar(&c.tz, "tz", "UTC", "IANA time `ZONE` of times written without one")
	fs.StringVar(&c.dateOrder, "date-order", "auto", "`ORDER` of slash dates: mdy, dmy, or auto (ambiguous ones rejected)")
	fs.StringVar(&c.asOf, "as-of", "", "`TIME` the export describes; later rows are rejected; default: the latest timestamp")
	fs.Float64Var(&c.maxRejectShare, "max-reject-share", data.DefaultMaxRejectShare, "fail when more than this `SHARE` (0 to 1) of the rows are rejected")
	fs.StringVar(&c.mapping, "mapping", "", "mapping `FILE` (YAML) renaming columns and translating stage and source values")
}

// options turns the flags into data.Options. The reject share is checked
// by the command (check), so the readers are told to tolerate any share.
func (c *readConfig) options() (*data.Options, error) {
	o := &data.Options{MaxRejectShare: 1}
	if c.maxRejectShare < 0 || c.maxRejectShare > 1 || math.IsNaN(c.maxRejectShare) {
		return nil, fmt.Errorf("--max-reject-share %v: want a share from 0 to 1 (0.05 is 5%%)", c.maxRejectShare)
	}
	loc, err := time.LoadLocation(c.tz)
	if err != nil {
		return nil, fmt.Errorf("--tz %q: want an IANA zone such as UTC or Europe/Berlin", c.tz)
	}
	o.TZ = loc
	if o.DateOrder, err = data.ParseDateOrder(c.dateOrder); err != nil {
		return nil, fmt.Errorf("--date-order %q: want mdy, dmy or auto", c.dateOrder)
	}
	if c.asOf != "" {
		if o.AsOf, err = data.ParseTime(c.asOf, o); err != nil {
			return nil, fmt.Errorf("--as-of %q: want a time such as 2024-06-30 or 2024-06-30T18:00:00Z", c.asOf)
		}
	}
	if c.mapping != "" {
		f, err := os.Open(c.mapping)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if o.Mapping, err = data.ParseMapping(f); err != nil {
			return nil, fmt.Errorf("%s: %w", c.mapping, err)
		}
	}
	return o, nil
}

// readSource reads the export at src as c says (data.Read: the format
// detected when --format is not given) and returns it with the name of the
// format read. Rows are rejected into the export's Report; the reject
// share is not checked.
func readSource(ctx context.Context, src string, c *readConfig) (*data.Export, string, error) {
	o, err := c.options()
	if err != nil {
		return nil, "", err
	}
	format, err := data.ParseFormat(c.format)
	if err != nil {
		return nil, "", fmt.Errorf("--format %q: want canonical, salesforce, hubspot or opportunities", c.format)
	}
	res, err := data.Read(ctx, src, data.ReadOptions{Format: format, Options: o})
	if err != nil {
		return nil, "", err
	}
	return res.Export, res.Format.String(), nil
}

// readInto reads the export src as inspect, import, calibrate and backtest
// all do (readSource), prints what it read on w, and lists the
// rejected rows in rejects.csv of out. When more than --max-reject-share of
// the rows were rejected it fails, and writes rejects.csv there at once,
// since it is the answer to the error.
func readInto(ctx context.Context, w io.Writer, out *outdir.Dir, src string, c *readConfig) (*data.Export, error) {
	exp, format, err := readSource(ctx, src, c)
	if err != nil {
		return nil, err
	}
	rep := &exp.Report
	rejects := out.Join("rejects.csv")
	if err := checkShare(rep, c.maxRejectShare, rejects); err != nil {
		if werr := writeRejects(ctx, rejects, rep); werr != nil {
			return nil, werr
		}
		return nil, err
	}
	fmt.Fprintf(w, "Read %s (%s format): %d rows, %d rejected (%s)", src, format, rep.TotalRows(), len(rep.Rejected), percent(rep.RejectShare()))
	if len(rep.Rejected) > 0 {
		var b strings.Builder
		if err := data.WriteRejects(&b, rep); err != nil {
			return nil, err
		}
		if err := out.WriteFile("rejects.csv", []byte(b.String())); err != nil {
			return nil, err
		}
		fmt.Fprintf(w, ", listed in %s", rejects)
	}
	fmt.Fprintln(w, ".")
	return exp, nil
}

// checkShare returns an error when more than max of the rows of rep were
// rejected; rejects names the file that lists them.
func checkShare(rep *data.Report, max float64, rejects string) error {
	if s := rep.RejectShare(); s > max {
		return fmt.Errorf("%d of %d rows rejected (%s), above --max-reject-share %s; %s lists each rejected row with its file, line, column and reason",
			len(rep.Rejected), rep.TotalRows(), percent(s), percent(max), rejects)
	}
	return nil
}

// percent formats a share for people: 0.0512 is "5.1%".
func percent(s float64) string { return fmt.Sprintf("%.1f%%", 100*s) }

// writeRejects writes the rejected rows of rep to path atomically.
func writeRejects(ctx context.Context, path string, rep *data.Report) error {
	var b strings.Builder
	if err := data.WriteRejects(&b, rep); err != nil {
		return err
	}
	return writeFile(ctx, path, []byte(b.String()))
}

// sameDir reports whether the folder holding file is dir.
func sameDir(file, dir string) bool {
	a, err1 := filepath.Abs(filepath.Dir(file))
	b, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	if a == b {
		return true
	}
	sa, err1 := os.Stat(a)
	sb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(sa, sb)
}

// exampleRejects is how many rejected rows inspect prints.
const exampleRejects = 5

func inspectCmd(ctx context.Context, e *env, args []string) error {
	var c readConfig
	var rejects string
	var asJSON bool
	fs := newFlags(e, "inspect", inspectUsage)
	c.bind(fs)
	fs.StringVar(&rejects, "rejects", "", "`FILE` listing the rejected rows; default: rejects.csv in the current folder, when rows were rejected")
	fs.BoolVar(&asJSON, "json", false, "print the report as JSON")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("inspect: want one export folder or file, got %d arguments (run 'sim inspect --help')", len(pos))
	}
	src := pos[0]
	exp, format, err := readSource(ctx, src, &c)
	if err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	rep := &exp.Report
	explicit := rejects != ""
	if !explicit && len(rep.Rejected) > 0 {
		rejects = "rejects.csv"
		if st, err := os.Stat(src); err == nil && st.IsDir() && sameDir(rejects, src) {
			return fmt.Errorf("inspect: %d rows rejected, but the default rejects file %s would be written into the export folder; run from another folder or pass --rejects FILE",
				len(rep.Rejected), rejects)
		}
	}
	if explicit || len(rep.Rejected) > 0 {
		if err := writeRejects(ctx, rejects, rep); err != nil {
			return fmt.Errorf("inspect: %w", err)
		}
	}
	r := data.Inspect(exp)
	if asJSON {
		b, err := json.MarshalIndent(data.NewInspectJSON(r, rep, format, rejects), "", "  ")
		if err != nil {
			return err
		}
		if _, err := fmt.Fprintf(e.stdout, "%s\n", b); err != nil {
			return err
		}
	} else if err := writeInspectText(e.stdout, src, format, r, rep, rejects); err != nil {
		return err
	}
	if err := checkShare(rep, c.maxRejectShare, rejects); err != nil {
		return fmt.Errorf("inspect: %w", err)
	}
	return nil
}

func writeInspectText(w io.Writer, src, format string, r data.InspectReport, rep *data.Report, rejects string) error {
	fmt.Fprintf(w, "%s (%s format)\n\n", src, format)
	if err := r.WriteText(w); err != nil {
		return err
	}
	if len(rep.Rejected) == 0 {
		_, err := fmt.Fprintf(w, "\nrejected: none of %d rows\n", rep.TotalRows())
		return err
	}
	fmt.Fprintf(w, "\nrejected: %d of %d rows (%s), listed in %s; the first:\n", len(rep.Rejected), rep.TotalRows(), percent(rep.RejectShare()), rejects)
	for _, re := range rep.Rejected[:min(exampleRejects, len(rep.Rejected))] {
		fmt.Fprintf(w, "  %v\n", re)
	}
	_, err := fmt.Fprintln(w)
	return err
}
