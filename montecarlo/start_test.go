package montecarlo

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestStartWaitingLeads: leads waiting in the handoff stage at the start of
// the quarter, aged A, are served at once when the quarter starts (many
// SDRs, no handling time) and contacted with probability c0·m(A + 0): each
// contacted lead wins, so wins ~ Binomial(N, c0·m(A)).
func TestStartWaitingLeads(t *testing.T) {
	const N, ageDays = 2000, 1.0
	tiny := model.Dist{Form: model.Fixed, Value: 1e-4}
	decay := model.Decay{Form: model.Hill, T50: 30, K: 1.5, Floor: 0.15}
	m := &model.Model{
		Name: "waiting", Currency: "USD", QuarterWeeks: 13, Quota: 1,
		Stages: []model.Stage{
			{Name: "mql", Team: model.Marketing},
			{Name: "opportunity", Team: model.Sales, Opportunity: true},
			{Name: "won", Team: model.Sales, Outcome: model.Won},
		},
		Transitions: []model.Transition{
			{From: "mql", To: "opportunity", P: 1, Delay: tiny},
			{From: "opportunity", To: "won", P: 1, Delay: tiny},
		},
		Sources: []model.Source{{Name: "s", Entry: "opportunity", RatePerWeek: 1e-9, DealSize: model.Dist{Form: model.Fixed, Value: 1}}},
		Handoff: &model.Handoff{Stage: "mql", Contact: 0.85, Decay: decay,
			SDR: model.SDRTeam{Headcount: 5000, Hours: model.WorkHours{Start: 0, End: 24}, Handle: model.Dist{Form: model.Fixed, Value: 1e-6}}},
		Start: &model.Start{Leads: []model.OpenLead{{Stage: "mql", Source: "s", Count: N, AgeDays: ageDays, Waiting: true}}},
	}
	quarters := 400
	if testing.Short() {
		quarters = 100
	}
	res, err := Run(context.Background(), m, Config{Quarters: quarters, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	p := 0.85 * decay.At(ageDays*24*60)
	mean := float64(Summarize(res.Won).Mean)
	if se := math.Sqrt(N * p * (1 - p) / float64(quarters)); math.Abs(mean-N*p) > 4*se {
		t.Errorf("wins of waiting leads: mean %.2f, want %.2f ± %.2f (4 SE)", mean, N*p, 4*se)
	}
	// Served as if touched at their entry, they would win at 0.85.
	if mean > N*0.5 {
		t.Errorf("waiting leads were served before the quarter started: mean wins %.0f", mean)
	}
}
