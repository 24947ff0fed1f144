package main

import (
	"context"
	"fmt"
	"time"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/data/synth"
)

func init() {
	register("generate", "write a synthetic CRM export simulated from a model (known truth for testing)", generateCmd)
}

const generateUsage = `
Usage: sim generate [--model FILE] [--scenario FILE|NAME] --out DIR [flags]

Simulates --quarters quarters of the model from an empty funnel and writes
the canonical CRM export a company running that funnel would have:
  leads.csv          lead_id, created_at, source, segment
  stage_events.csv   lead_id, stage, at (one row per stage entered)
  activities.csv     lead_id, at, channel, outcome (connected|attempted), owner:
                     each MQL's first SDR touch, at the time the SDR queue gave
  opportunities.csv  opportunity_id, lead_id, created_at, amount, stage,
                     closed_at, outcome (won|lost|open), currency
Everything still open at the end of the last quarter is left open. The same
seed gives the same files. Calibrating on the result should give back the
model: that is how the calibration is tested.

Examples:
  sim generate --quarters 4 --seed 1 --out export/
  sim inspect export/
`

func generateCmd(ctx context.Context, e *env, args []string) error {
	var path, scenario, out, start string
	var quarters int
	var seed uint64
	fs := newFlags(e, "generate", generateUsage)
	fs.StringVar(&path, "model", "", "model `FILE`; default: the embedded default model")
	fs.StringVar(&scenario, "scenario", "", "scenario `FILE` or embedded name to apply")
	fs.IntVar(&quarters, "quarters", 4, "quarters of history to simulate")
	fs.Uint64Var(&seed, "seed", 1, "random seed")
	fs.StringVar(&start, "start", "2024-01-01", "first `DATE` of the history (moved back to a Monday)")
	fs.StringVar(&out, "out", "", "output `DIR` (required)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	if out == "" {
		return fmt.Errorf("generate: --out DIR is required")
	}
	if quarters < 1 || quarters > 40 {
		return fmt.Errorf("generate: --quarters %d: want 1 to 40", quarters)
	}
	m, _, err := loadModel(path, scenario)
	if err != nil {
		return err
	}
	loc := time.UTC
	if m.TimeZone != "" {
		loc, _ = time.LoadLocation(m.TimeZone)
	}
	t0, err := time.ParseInLocation("2006-01-02", start, loc)
	if err != nil {
		return fmt.Errorf("generate: --start %q: want a date like 2024-01-01", start)
	}
	dir, err := outdir.Begin(ctx, out)
	if err != nil {
		return fmt.Errorf("generate: --out: %w", err)
	}
	defer dir.Abort()
	exp, err := synth.Generate(ctx, m, synth.Config{Quarters: quarters, Seed: seed, Start: t0})
	if err != nil {
		return err
	}
	if err := data.WriteExport(dir, exp); err != nil {
		return err
	}
	if err := dir.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Wrote %s: %d leads, %d stage events, %d activities, %d opportunities, as of %s.\n",
		out, len(exp.Leads), len(exp.StageEvents), len(exp.Activities), len(exp.Opportunities), exp.AsOf.Format(time.RFC3339))
	return nil
}
