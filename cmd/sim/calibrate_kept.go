package main

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
)

// keptLimit is the number of kept parameters printed on stdout; the rest
// are counted there and all are listed in calibration.md.
const keptLimit = 8

// printKept tells, prominently, which parts of the calibrated model hold
// the base model's values because the export could not fit them: a
// forecast through them is the base model's, not the export's.
func printKept(w io.Writer, r *calibrate.Result, out string) {
	if len(r.Kept) == 0 {
		return
	}
	fmt.Fprintf(w, "\nNOT FITTED: %d parts of the model keep the base model's values, not your export's:\n", len(r.Kept))
	for i, k := range r.Kept {
		if i == keptLimit {
			fmt.Fprintf(w, "  ... and %d more (all in %s/calibration.md)\n", len(r.Kept)-keptLimit, out)
			break
		}
		fmt.Fprintf(w, "  %s = %s: %s\n", k.Path, k.Value, k.Reason)
	}
	if arrivalsKept(r) {
		fmt.Fprintln(w, "A forecast from this model simulates the base model's lead volume, not yours: pass --base with your own sources' rates, or calibrate an export whose leads span at least 3 weeks.")
	}
}

// arrivalsKept reports whether the model's arrival rates are the base
// model's.
func arrivalsKept(r *calibrate.Result) bool {
	return slices.ContainsFunc(r.Kept, func(k calibrate.Kept) bool { return strings.HasSuffix(k.Path, ".rate_per_week") })
}

// keptMarkdown is calibration.md's section on the kept parameters, ""
// when there are none.
func keptMarkdown(r *calibrate.Result) string {
	if len(r.Kept) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\n## Not fitted: the base model's values\n\nThe export could not fit these %d parts of the model; they keep the base model's values, and a forecast through them is the base model's, not the export's.\n\n| field | base model's value | why not fitted |\n|---|---|---|\n", len(r.Kept))
	for _, k := range r.Kept {
		fmt.Fprintf(&b, "| %s | %s | %s |\n", mdCode(k.Path), mdText(k.Value), mdText(k.Reason))
	}
	return b.String()
}

// keptHeader is model.yaml's comment on the kept parameters, "" when
// there are none.
func keptHeader(r *calibrate.Result) string {
	if len(r.Kept) == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "#\n# NOT FITTED (%d fields keep the base model's values, not the export's):\n", len(r.Kept))
	for _, k := range r.Kept {
		line := "#   " + k.Path + " = " + k.Value
		b.WriteString(strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' {
				return ' '
			}
			return r
		}, line))
		b.WriteByte('\n')
	}
	return b.String()
}

// parseRates parses --rates, "EUR=1.08,GBP=1.27": the model currency's
// units per unit of each currency.
func parseRates(s string) (map[string]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	rates := map[string]float64{}
	for _, kv := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
		k = strings.ToUpper(strings.TrimSpace(k))
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if !ok || len(k) != 3 || err != nil || !(f > 0) || f > 1e9 {
			return nil, fmt.Errorf("--rates: %q: want CODE=RATE pairs such as EUR=1.08,GBP=1.27 (the model currency's units per unit of CODE, > 0)", kv)
		}
		rates[k] = f
	}
	return rates, nil
}

// keptP describes the p a transition keeps from the base model, or says
// it was dropped with its stage (unreachable in the export).
func keptP(m *model.Model, from, to string) string {
	for _, t := range m.Transitions {
		if t.From == from && t.To == to {
			return "NOT FITTED (base " + render.Percent(t.P) + ")"
		}
	}
	return "dropped (no lead reaches " + from + ")"
}
