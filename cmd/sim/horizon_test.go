package main

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

func TestHorizonChart(t *testing.T) {
	m := model.Default()
	res, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: 8, Horizon: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p := render.HorizonChart(m, montecarlo.NewReport(m, res)); p == nil {
		t.Error("no fan chart for a 3-quarter horizon")
	}
	res1, _ := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: 4, Seed: 1})
	if p := render.HorizonChart(m, montecarlo.NewReport(m, res1)); p != nil {
		t.Error("fan chart for a single quarter")
	}
}

// TestHorizonQuotaChance checks that the horizon chart's title and the
// summary give the chance of making quota in each quarter and in every
// one, counted from the simulated runs, rather than whether the median
// clears the quota.
func TestHorizonQuotaChance(t *testing.T) {
	const runs, horizon = 60, 3
	m := model.Default()
	res, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: runs, Horizon: horizon, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	rep := montecarlo.NewReport(m, res)
	lo, hi, every := math.Inf(1), math.Inf(-1), 0
	for k := range horizon {
		made := 0
		for _, v := range res.Period(res.Revenue, k) {
			if v >= m.Quota {
				made++
			}
		}
		p := float64(made) / runs
		if got := rep.QuotaByQuarter[k]; got.K != made || got.N != runs || float64(got.P) != p {
			t.Errorf("QuotaByQuarter[%d] = %+v, want %d of %d", k, got, made, runs)
		}
		lo, hi = math.Min(lo, p), math.Max(hi, p)
	}
	for i := range runs {
		all := true
		for k := range horizon {
			all = all && res.Revenue[i*horizon+k] >= m.Quota
		}
		if all {
			every++
		}
	}
	if c := rep.QuotaEveryQuarter; c == nil || c.K != every || c.N != runs {
		t.Fatalf("QuotaEveryQuarter = %+v, want %d of %d", c, every, runs)
	}
	if lo == 0 || hi == 1 || every == 0 {
		t.Fatalf("seed gives shares at the ends (%v, %v, %d): pick another", lo, hi, every)
	}
	pct := func(p float64) string { return fmt.Sprintf("%.0f", 100*p) }
	span := pct(lo) + "–" + pct(hi) + "%"
	if pct(lo) == pct(hi) {
		span = pct(lo) + "%"
	}
	want := fmt.Sprintf("%s chance of the $9.5M quota each quarter, %s%% in all 3", span, pct(float64(every)/runs))
	title, _, _ := strings.Cut(render.HorizonChart(m, rep).Title.Text, "\n")
	if title != want {
		t.Errorf("horizon title %q, want %q", title, want)
	}

	var out bytes.Buffer
	render.WriteForecastSummary(&out, m, rep)
	p1 := float64(rep.QuotaByQuarter[0].P)
	for _, want := range []string{
		fmt.Sprintf("quota in %.1f%% (± %.1f%%) of runs\n", 100*p1, 200*math.Sqrt(p1*(1-p1)/runs)),
		fmt.Sprintf("Quota in every one of the 3 quarters: %.1f%%", 100*float64(every)/runs),
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, out.String())
		}
	}
}
