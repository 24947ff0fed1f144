package montecarlo

import (
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestStrategy: Results and Report name the strategy the package doc's
// rules give, and RunSweep records each model's own.
func TestStrategy(t *testing.T) {
	uncertain := model.Default()
	for i := range uncertain.Stages {
		uncertain.Stages[i].Observations = 400
	}
	started := model.Default()
	started.Start = &model.Start{Leads: []model.OpenLead{{Stage: "mql", Source: started.Sources[0].Name, Count: 3, AgeDays: 1}}}
	warm := model.Default()
	warm.WarmupDays = 30
	for _, tt := range []struct {
		name            string
		m               *model.Model
		cfg             Config
		opening, method string
	}{
		{"default", model.Default(), Config{Quarters: 2, Seed: 1}, "stationary", "walk"},
		{"drawn parameters", uncertain, Config{Quarters: 2, Seed: 1, DrawParams: true}, "warm-up", "walk"},
		{"warmup_days", warm, Config{Quarters: 2, Seed: 1}, "warm-up", "walk"},
		{"start state", started, Config{Quarters: 2, Seed: 1}, "start", "walk"},
		{"plain funnel", plain5Stage(), Config{Quarters: 2, Seed: 1}, "stationary", "marks"},
		{"plain funnel walked", plain5Stage(), Config{Quarters: 2, Seed: 1, engine: engineWalk}, "stationary", "walk"},
	} {
		r := mustRun(t, tt.m, tt.cfg)
		if r.Opening != tt.opening || r.Method != tt.method {
			t.Errorf("%s: opening %q, method %q; want %q, %q", tt.name, r.Opening, r.Method, tt.opening, tt.method)
		}
		if rep := NewReport(tt.m, r); rep.Opening != r.Opening || rep.Method != r.Method {
			t.Errorf("%s: the report says %q/%q", tt.name, rep.Opening, rep.Method)
		}
	}
	rs, err := RunSweep(t.Context(), []*model.Model{model.Default(), plain5Stage()}, Config{Quarters: 2, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if rs[0].Method != "walk" || rs[1].Method != "marks" {
		t.Errorf("sweep: methods %q, %q; want walk, marks", rs[0].Method, rs[1].Method)
	}
}
