package calibrate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
)

// TestActiveRecovery generates exports from models whose mql stage is
// active and from the same models without it, and checks that calibration
// recovers every stage's flag from the entry times, whatever the base
// model says: the flag of the truth, decided by the data (not kept from
// the base), with the evidence on the right side.
func TestActiveRecovery(t *testing.T) {
	withActive := func(m *model.Model, on bool) *model.Model {
		m = m.Clone()
		for i := range m.Stages {
			m.Stages[i].Active = on && m.Stages[i].Name == "mql"
		}
		return m
	}
	base := scaled(model.Default(), 10)
	for _, on := range []bool{true, false} {
		truth := withActive(base, on)
		e, err := synth.Generate(context.Background(), truth, synth.Config{Quarters: 2, Seed: 7})
		if err != nil {
			t.Fatal(err)
		}
		r, err := calibrate.Calibrate(e, calibrate.Config{Base: withActive(base, !on)})
		if err != nil {
			t.Fatal(err)
		}
		tested := map[string]calibrate.ActiveFit{}
		for _, a := range r.Active {
			tested[a.Stage] = a
		}
		for _, st := range truth.Stages {
			a, ok := tested[st.Name]
			if !ok {
				continue
			}
			if a.Kept || a.Active != st.Active {
				t.Errorf("truth mql active=%v: stage %s: got active=%v (kept %v, log LR %.1f over %d entries), want %v",
					on, st.Name, a.Active, a.Kept, a.LogLR, a.N, st.Active)
			}
			if got := r.Model.Stages[r.Model.StageIndex(st.Name)].Active; got != a.Active {
				t.Errorf("stage %s: the model says active=%v, the test %v", st.Name, got, a.Active)
			}
		}
		if _, ok := tested["mql"]; !ok {
			t.Fatalf("truth mql active=%v: mql was not tested (stages tested: %v)", on, r.Active)
		}
	}
}

// TestUnknownEntryStage: a source the base model lacks whose leads start
// in a stage the model does not have (an unmapped CRM status) enters at
// the model's first stage, with a warning naming the status, instead of
// making the fitted model invalid.
func TestUnknownEntryStage(t *testing.T) {
	e, err := synth.Generate(context.Background(), scaled(model.Default(), 10), synth.Config{Quarters: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	moved := map[string]bool{}
	for i := range e.Leads {
		if i%50 == 0 {
			e.Leads[i].Source = "Webinar"
			moved[e.Leads[i].ID] = true
		}
	}
	seen := map[string]bool{}
	for i := range e.StageEvents {
		if ev := &e.StageEvents[i]; moved[ev.LeadID] && !seen[ev.LeadID] {
			ev.Stage, seen[ev.LeadID] = "handraiser", true
		}
	}
	r, err := calibrate.Calibrate(e, calibrate.Config{})
	if err != nil {
		t.Fatal(err)
	}
	i := r.Model.SourceIndex("Webinar")
	if i < 0 || r.Model.Sources[i].Entry != r.Model.Stages[0].Name {
		t.Fatalf("source Webinar: index %d, want it entering at %s", i, r.Model.Stages[0].Name)
	}
	warned := false
	for _, w := range r.Warnings {
		warned = warned || strings.Contains(w.Error(), `"handraiser"`)
	}
	if !warned {
		t.Errorf("no warning names the unknown stage handraiser: %v", r.Warnings)
	}
}
