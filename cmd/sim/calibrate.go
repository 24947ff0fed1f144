package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
)

func init() {
	register("calibrate", "fit a funnel model to a CRM export, with intervals and diagnostics", calibrateCmd)
}

const calibrateUsage = `
Usage: sim calibrate EXPORT_DIR [-o model.yaml] [--out DIR] [flags]

Fits every parameter of the funnel model to a CRM export: transition
probabilities (Aalen-Johansen, open leads censored), delays (lognormal,
Weibull, gamma or exponential by AIC), the response-time decay of contact,
arrivals per source (weekly rate, weekday-by-hour profile, overdispersion),
the SDR team, deal sizes, and the open funnel at the as-of date.

It writes the model (-o, default model.yaml; hand-editable, runs with
'sim forecast --model') and, in --out:
  calibration.md     every parameter with its 95% interval and n, warnings
  parameters.csv     the same table, for programs
  parameters.json
  survival-STAGE.png Kaplan-Meier time in stage vs the fitted model (and .svg)
  decay.png          contact rate by response time, observed and fitted
  arrivals-SOURCE.png weekday-by-hour arrival profile
  deals-SOURCE.png   deal amounts with the fitted distribution

--format opportunities takes a single opportunities CSV (or a directory
holding opportunities.csv): the model then has one source entering the
opportunity stage.

Examples:
  sim generate --quarters 4 --out export/
  sim calibrate export/ -o model.yaml
  sim forecast --model model.yaml
`

// maxBootstrap is the most replicates --bootstrap takes.
const maxBootstrap = 10000

type calibrateConfig struct {
	readConfig
	output    string
	out       string
	seed      uint64
	bootstrap int
	base      string
	quota     string
	quiet     bool
	rates     string
}

func calibrateCmd(ctx context.Context, e *env, args []string) error {
	var cfg calibrateConfig
	fs := newFlags(e, "calibrate", calibrateUsage)
	fs.StringVarP(&cfg.output, "output", "o", "model.yaml", "model `FILE` to write")
	fs.StringVar(&cfg.out, "out", "calibration", "`DIR` for the report, tables, charts and rejected rows")
	cfg.readConfig.bind(fs)
	fs.Lookup("tz").Usage = "IANA time `ZONE` of times written without one; also the model's (default: times in UTC, the model in the base model's zone)"
	fs.Uint64Var(&cfg.seed, "seed", 1, "random seed of the bootstrap")
	fs.IntVar(&cfg.bootstrap, "bootstrap", 0, "parametric bootstrap replicates of the decay curve (0: Wald intervals only)")
	fs.StringVar(&cfg.base, "base", "", "base model `FILE` whose structure is kept (default: the embedded default)")
	fs.BoolVarP(&cfg.quiet, "quiet", "q", false, "no progress lines on stderr")
	fs.StringVar(&cfg.rates, "rates", "", "convert amounts in other currencies: `CODE=RATE,...` in the model currency's units per unit (EUR=1.08,GBP=1.27)")
	fs.StringVar(&cfg.quota, "quota", "", "the quarter's revenue target, e.g. 700000, $700K or 2.5M, in the model's currency (default: --base's quota; none without --base)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("calibrate: want one EXPORT_DIR, got %d arguments (run 'sim calibrate --help')", len(pos))
	}
	if cfg.bootstrap < 0 || cfg.bootstrap > maxBootstrap {
		return fmt.Errorf("calibrate: --bootstrap %d: want 0 to %d replicates (each refits the decay curve)", cfg.bootstrap, maxBootstrap)
	}
	if _, err := cfg.options(); err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	dir := pos[0]
	base, _, err := loadModel(cfg.base, "")
	if err != nil {
		return err
	}
	var quota float64
	if cfg.quota != "" {
		if quota, err = parseQuota(cfg.quota); err != nil {
			return fmt.Errorf("calibrate: --quota: %w", err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(cfg.output), 0o755); err != nil {
		return fmt.Errorf("calibrate: -o: %w", err)
	}
	modelFile, err := outdir.CreateFile(ctx, cfg.output)
	if err != nil {
		return fmt.Errorf("calibrate: -o: %w", err)
	}
	defer modelFile.Abort()
	out, err := outdir.Begin(ctx, cfg.out)
	if err != nil {
		return fmt.Errorf("calibrate: --out: %w", err)
	}
	defer out.Abort()
	bar := newProgress(e.stderr, 0, cfg.quiet)
	start := time.Now()
	bar.phase("calibrate: reading %s...", dir)
	exp, err := readInto(ctx, e.stdout, out, dir, &cfg.readConfig)
	bar.clear()
	if err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	bar.phase("calibrate: read in %.1fs; fitting %d leads, %d stage events, %d opportunities...",
		time.Since(start).Seconds(), len(exp.Leads), len(exp.StageEvents), len(exp.Opportunities))
	ccfg := calibrate.Config{Base: base}
	if ccfg.Rates, err = parseRates(cfg.rates); err != nil {
		return fmt.Errorf("calibrate: %w", err)
	}
	if fs.Changed("tz") {
		ccfg.TimeZone = cfg.tz
	}
	if cfg.bootstrap > 0 {
		ccfg.Rand, ccfg.BootstrapReps = rand.New(rand.NewPCG(cfg.seed, 0)), cfg.bootstrap
	}
	r, err := calibrate.Calibrate(exp, ccfg)
	bar.clear()
	if err != nil {
		return err
	}
	r.Warnings = append(readWarnings(&exp.Report, out.Join("rejects.csv")), r.Warnings...)
	bar.phase("calibrate: fitted in %.1fs; writing %s and its charts...", time.Since(start).Seconds(), cfg.out)
	// A quota is a target, not something the export can tell: it comes
	// from --quota or from the user's own base model, never from the
	// embedded default's example company.
	switch {
	case cfg.quota != "":
		r.Model.Quota = quota
	case cfg.base == "":
		r.Model.Quota = 0
		r.Warnings = append(r.Warnings, fmt.Errorf("no quota: the export cannot tell a target and the default model's %s is not yours; pass --quota (or set quota: in %s) for the chance of making it and pipeline coverage",
			render.Money(base.Quota, base.Currency), cfg.output))
	}
	// The opening state is the funnel at the as-of moment, dated by the
	// day its data end; the forecast is of the next fiscal quarter from
	// it, the days before simulated first (a lead-in, see
	// model.Model.LeadInDays). Calibrating as of a quarter's first day
	// forecasts that quarter.
	day := model.StartAfter(exp.AsOf)
	if r.Model.Start != nil {
		r.Model.Start.Date = day.Format(model.DateLayout)
	}
	r.Model.ForecastStart = model.NextFiscalQuarter(day, r.Model.FiscalStart()).Format(model.DateLayout)
	header := fmt.Sprintf(`# Funnel model calibrated by 'sim calibrate' from the export %s
# as of %s, on %s. Every parameter, its 95%% interval and the number
# of observations behind it are in %s/calibration.md. The file is
# hand-editable (see 'sim model' for every field's meaning); the
# observations/rate_weeks/deal_observations fields let 'sim forecast'
# draw parameters from their posteriors.
`, dir, exp.AsOf.Format(time.RFC3339), time.Now().UTC().Format("2006-01-02"), cfg.out) + keptHeader(r)
	yml := append([]byte(header), model.Marshal(r.Model)...)
	written, err := model.Parse(bytes.NewReader(yml))
	if err != nil {
		return fmt.Errorf("calibrate: the written model does not parse: %w", err)
	}
	if err := writeCalibration(out, dir, r, written.Hash()); err != nil {
		return err
	}
	bar.clear()
	if _, err := modelFile.Write(yml); err != nil {
		return fmt.Errorf("calibrate: %s: %w", cfg.output, err)
	}
	if err := out.Commit(); err != nil {
		return err
	}
	if err := modelFile.Close(); err != nil {
		return fmt.Errorf("calibrate: %s: %w", cfg.output, err)
	}
	printCalibration(e, r, cfg)
	return nil
}

func fmtNum(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// writeCalibration writes the calibration's report, tables and charts
// to out; hash is the hash of the model as its file reads back. Chart file
// names come from stage and source names, which an export sets: they go
// through outdir.Slug.
func writeCalibration(out *outdir.Dir, src string, r *calibrate.Result, hash string) error {
	rows := [][]string{{"path", "estimate", "lower95", "upper95", "n", "method", "posterior"}}
	for _, p := range r.Params {
		rows = append(rows, []string{p.Path, csvNum(p.Estimate), csvNum(p.Lower), csvNum(p.Upper), strconv.Itoa(p.N), p.Method, p.Posterior})
	}
	if err := writeCSV(out, "parameters.csv", rows); err != nil {
		return err
	}
	if err := writeJSON(out, "parameters.json", calibrate.NewParametersFile(r, hash)); err != nil {
		return err
	}
	var md strings.Builder
	fmt.Fprintf(&md, "# Calibration of %s\n\nAs of %s. Intervals are 95%%; n is the number of observations behind each estimate.\n\n", mdText(src), r.AsOf.Format(time.RFC3339))
	fmt.Fprintf(&md, "| parameter | estimate | 95%% interval | n | method |\n|---|---:|---|---:|---|\n")
	for _, p := range r.Params {
		fmt.Fprintf(&md, "| %s | %s | [%s, %s] | %d | %s |\n", mdCode(p.Path), fmtNum(p.Estimate), fmtNum(p.Lower), fmtNum(p.Upper), p.N, mdText(p.Method))
	}
	charts := []string{}
	for _, s := range r.Stages {
		if len(s.Exit.Time) == 0 {
			continue
		}
		tmax := s.Exit.MaxT
		for _, e := range s.Edges {
			if e.Delay.Params != nil {
				tmax = math.Min(tmax, math.Max(e.Delay.Quantile(0.99)*1.5, 1))
			}
		}
		sf := s
		p := render.StageSurvival(s.Stage, s.Exit.Time, s.Exit.S, s.Exit.Lower, s.Exit.Upper, sf.FittedSurvival, s.N, s.Capped, tmax)
		name := outdir.Slug("survival", s.Stage)
		if err := saveChart(out, name, p); err != nil {
			return err
		}
		charts = append(charts, name)
	}
	if d := r.Decay; d != nil {
		var bins []render.DecayBin
		for _, b := range d.Bins {
			bins = append(bins, render.DecayBin{Minutes: b.Mid, Rate: float64(b.Contacted) / float64(b.N), Lower: b.Lower, Upper: b.Upper, N: b.N})
		}
		if err := saveChart(out, "decay", render.DecayCurve(bins, d.Fit.P, d.Odds5v30, d.Odds60v1440, d.Fit.N)); err != nil {
			return err
		}
		charts = append(charts, "decay")
		fmt.Fprintf(&md, "\nResponse-time decay: %v form; odds of contact %.1fx at 5 vs 30 min (published ~100x), %.1fx at 1 h vs 24 h (~60x).\n", d.Fit.Form, d.Odds5v30, d.Odds60v1440)
	}
	for _, a := range r.Arrivals {
		i := r.Model.SourceIndex(a.Source)
		var w [7][24]float64
		for d := range 7 {
			copy(w[d][:], r.Model.Sources[i].Profile.Weights[d])
		}
		name := outdir.Slug("arrivals", a.Source)
		if err := saveChart(out, name, render.ArrivalHeatmap(a.Source, w, a.Fit.WeeklyRate, r.Model.TimeZone, a.DatesOnly)); err != nil {
			return err
		}
		charts = append(charts, name)
	}
	for _, d := range r.Deals {
		name := outdir.Slug("deals", d.Source)
		if err := saveChart(out, name, render.DealSizes(d.Source, d.Amounts, d.Mu, d.Sigma, d.Empirical, r.Model.Currency)); err != nil {
			return err
		}
		charts = append(charts, name)
	}
	md.WriteString(keptMarkdown(r))
	if len(r.Warnings) > 0 {
		md.WriteString("\n## Warnings\n\n")
		for _, w := range r.Warnings {
			fmt.Fprintf(&md, "- %s\n", mdText(w.Error()))
		}
	}
	md.WriteString("\n## Charts\n\n")
	for _, c := range charts {
		fmt.Fprintf(&md, "![%s](%s.png)\n\n", c, c)
	}
	return out.WriteFile("calibration.md", []byte(md.String()))
}

func printCalibration(e *env, r *calibrate.Result, cfg calibrateConfig) {
	m := r.Model
	fmt.Fprintf(e.stdout, "Calibrated %d parameters as of %s; wrote %s and %s/.\n\n", len(r.Params), r.AsOf.Format("2006-01-02 15:04 MST"), cfg.output, cfg.out)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "transition\tp (95% CI)\tn\tdelay")
	for _, s := range r.Stages {
		for _, ed := range s.Edges {
			d := "kept"
			switch {
			case ed.Replaced != "":
				d = fmt.Sprintf("%s, median %s", ed.Dist.Form, render.Duration(ed.Dist.Quantile(0.5)*1440))
			case ed.Delay.Params != nil:
				d = fmt.Sprintf("%v, median %s", ed.Delay.Form, render.Duration(ed.Delay.Quantile(0.5)*1440))
			}
			p := fmt.Sprintf("%s (%s–%s)", render.Percent(ed.P), render.Percent(ed.Lower), render.Percent(ed.Upper))
			if ed.KeptP {
				p = keptP(m, s.Stage, ed.To)
			}
			fmt.Fprintf(tw, "%s -> %s\t%s\t%d\t%s\n", s.Stage, ed.To, p, s.N, d)
		}
	}
	tw.Flush()
	if m.Handoff != nil && r.Decay != nil {
		fmt.Fprintf(e.stdout, "\nContact: %s at once, %v decay; odds 5 vs 30 min %s (published ~100x), 1 h vs 24 h %s (~60x).\n",
			render.Percent(m.Handoff.Contact), m.Handoff.Decay.Form, render.Ratio(r.Decay.Odds5v30), render.Ratio(r.Decay.Odds60v1440))
	}
	for _, s := range m.Sources {
		kept := ""
		if arrivalsKept(r) {
			kept = " (NOT FITTED: the base model's rate)"
		}
		fmt.Fprintf(e.stdout, "Source %s: %s leads/week into %s%s, deal size %v.\n", s.Name, render.Count(s.RatePerWeek), s.Entry, kept, s.DealSize.Form)
	}
	if st := m.Start; st != nil {
		n, v := 0, 0.0
		for _, l := range st.Leads {
			n += l.Count
		}
		for _, o := range st.Opportunities {
			v += o.Amount
		}
		fmt.Fprintf(e.stdout, "Open at as-of: %s leads, %s opportunities worth %s.\n", render.Count(float64(n)), render.Count(float64(len(st.Opportunities))), render.Money(v, m.Currency))
	}
	if len(r.Active) > 0 {
		var act []string
		for _, a := range r.Active {
			if a.Active {
				act = append(act, a.Stage)
			}
		}
		list := "none"
		if len(act) > 0 {
			list = strings.Join(act, ", ")
		}
		fmt.Fprintf(e.stdout, "Stages leads enter when they act (by the hours of their entries, %d tested): %s.\n", len(r.Active), list)
	}
	if m.Quota > 0 {
		fmt.Fprintf(e.stdout, "Quota: %s a quarter.\n", render.Money(m.Quota, m.Currency))
	} else {
		fmt.Fprintf(e.stdout, "Quota: none (pass --quota, or set quota: in %s, for the chance of making it and coverage).\n", cfg.output)
	}
	printKept(e.stdout, r, cfg.out)
	if len(r.Warnings) > 0 {
		fmt.Fprintf(e.stdout, "\n%d warnings (see %s/calibration.md); first: %v\n", len(r.Warnings), cfg.out, r.Warnings[0])
	}
}

// parseQuota parses a money amount (see data.ParseAmount), optionally
// with a K, M or B suffix: 700000, $700,000, 700K, $9.5M.
func parseQuota(s string) (float64, error) {
	t := strings.TrimSpace(s)
	mult := 1.0
	if n := len(t); n > 0 {
		switch t[n-1] {
		case 'k', 'K':
			mult, t = 1e3, t[:n-1]
		case 'm', 'M':
			mult, t = 1e6, t[:n-1]
		case 'b', 'B':
			mult, t = 1e9, t[:n-1]
		}
	}
	v, err := data.ParseAmount(t)
	if err != nil || v < 0 {
		return 0, fmt.Errorf("%q: want a non-negative amount such as 700000, $700K or 2.5M", s)
	}
	return v * mult, nil
}
