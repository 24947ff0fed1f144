package calibrate_test

import (
	"os"
	"testing"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/montecarlo"
)

// TestMaven calibrates the public Maven CRM pipeline (opportunities only):
// a model with one source entering the opportunity stage, the win rate and
// cycle times, deal sizes and the open pipeline.
func TestMaven(t *testing.T) {
	f, err := os.Open("../../shared/fixtures/maven-crm/sales_pipeline.csv")
	if err != nil {
		t.Skip("Maven fixture absent:", err)
	}
	defer f.Close()
	e, err := data.ReadOpportunitiesOnly(f, "sales_pipeline.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := calibrate.Calibrate(e, calibrate.Config{})
	if err != nil {
		t.Fatal(err)
	}
	m := r.Model
	if len(m.Sources) != 1 || m.Sources[0].Entry != "opportunity" || len(m.Transitions) != 2 {
		t.Fatalf("model: sources %+v, transitions %+v", m.Sources, m.Transitions)
	}
	win := m.Transitions[0]
	t.Logf("win rate %.3f, cycle to won %v, to lost %v", win.P, win.Delay, m.Transitions[1].Delay)
	if win.P < 0.4 || win.P > 0.8 {
		t.Errorf("win rate %.3f: the Maven deals that closed were won about 63%% of the time", win.P)
	}
	open, value := len(m.Start.Opportunities), 0.0
	for _, o := range m.Start.Opportunities {
		value += o.Amount
	}
	t.Logf("open pipeline: %d deals, %.0f; rate %.1f opps/week; deal size %v", open, value, m.Sources[0].RatePerWeek, m.Sources[0].DealSize.Form)
	if open == 0 || value <= 0 {
		t.Errorf("open pipeline: %d deals worth %v", open, value)
	}
	for _, p := range r.Params {
		t.Logf("%-45s %10.4g [%10.4g, %10.4g] n=%d", p.Path, p.Estimate, p.Lower, p.Upper, p.N)
	}
	for _, w := range r.Warnings {
		t.Log("warning:", w)
	}
	if _, err := montecarlo.Run(t.Context(), m, montecarlo.Config{Quarters: 20, Seed: 1}); err != nil {
		t.Fatal(err)
	}
}
