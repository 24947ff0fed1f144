package calibrate

import (
	"strings"
	"testing"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
)

// TestNarrowExport calibrates, on the default base model, an export whose
// leads are first seen at mql (a CRM that tracks the funnel from there on)
// and some of whose leads start at an outcome: the stages before mql are
// dropped with a warning, no source enters at an outcome, and the model
// validates, where calibration used to refuse the export.
func TestNarrowExport(t *testing.T) {
	m := model.Default()
	for i := range m.Sources {
		m.Sources[i].RatePerWeek /= 40
	}
	e, err := synth.Generate(t.Context(), m, synth.Config{Quarters: 2, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	var ev []data.StageEvent
	for _, s := range e.StageEvents {
		if s.Stage != "known" && s.Stage != "engaged" {
			ev = append(ev, s)
		}
	}
	e.StageEvents = ev
	r, err := Calibrate(e, Config{Base: model.Default()})
	if err != nil {
		t.Fatalf("Calibrate refused a narrow export: %v", err)
	}
	if err := r.Model.Validate(); err != nil {
		t.Fatal(err)
	}
	if r.Model.StageIndex("known") >= 0 {
		t.Error("the model keeps the stage known, which no lead of the export enters")
	}
	for _, s := range r.Model.Sources {
		if i := r.Model.StageIndex(s.Entry); i < 0 || r.Model.Stages[i].Outcome != model.Open {
			t.Errorf("source %s enters at %q", s.Name, s.Entry)
		}
	}
	found := false
	for _, w := range r.Warnings {
		found = found || strings.Contains(w.Error(), "dropped stages known")
	}
	if !found {
		t.Errorf("no warning says which stages were dropped: %v", r.Warnings)
	}
}
