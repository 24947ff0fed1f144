package calibrate_test

import (
	"testing"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
)

// TestStartHandoff checks the start state on the handoff stage: a lead
// whose first touch did not connect is left out (the model never moves
// it again), a contacted lead's age counts from its touch, and a lead
// still waiting for a touch is kept, aged from its entry.
func TestStartHandoff(t *testing.T) {
	asOf := time.Date(2024, 4, 1, 4, 0, 0, 0, time.UTC)
	day := func(d float64) time.Time { return asOf.Add(-time.Duration(d * 24 * float64(time.Hour))) }
	e := &data.Export{AsOf: asOf}
	for i, l := range []struct {
		id        string
		entered   float64 // days before as-of
		touch     float64 // days before as-of; 0: none
		connected bool
	}{
		{"dead", 20, 19.5, false},
		{"contacted", 3, 1.5, true},
		{"waiting", 0.5, 0, false},
	} {
		e.Leads = append(e.Leads, data.Lead{ID: l.id, CreatedAt: day(30 + float64(i)), Source: "web"})
		e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: l.id, Stage: "known", At: day(30 + float64(i))},
			data.StageEvent{LeadID: l.id, Stage: "mql", At: day(l.entered)})
		if l.touch > 0 {
			e.Activities = append(e.Activities, data.Activity{LeadID: l.id, At: day(l.touch), Channel: "call", Connected: l.connected, Owner: "sdr-01"})
		}
	}
	// Closed leads along every edge, so that every stage is reachable.
	for i, path := range [][]string{
		{"known", "engaged", "mql", "tql", "sal", "opportunity", "won"},
		{"known", "engaged", "mql", "tql", "sal", "opportunity", "lost"},
		{"known", "engaged", "mql", "tql", "rejected", "engaged"},
		{"known", "engaged", "mql", "disqualified"},
		{"known", "engaged", "mql", "tql", "sal", "disqualified"},
	} {
		id := string(rune('a' + i))
		e.Leads = append(e.Leads, data.Lead{ID: id, CreatedAt: day(60), Source: "web"})
		for j, st := range path {
			e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: id, Stage: st, At: day(60 - 5*float64(j))})
			if st == "mql" {
				e.Activities = append(e.Activities, data.Activity{LeadID: id, At: day(60 - 5*float64(j) - 0.1), Channel: "call", Connected: true, Owner: "sdr-01"})
			}
		}
	}
	r, err := calibrate.Calibrate(e, calibrate.Config{})
	if err != nil {
		t.Fatal(err)
	}
	var ages []float64
	for _, l := range r.Model.Start.Leads {
		if l.Stage == "mql" {
			for range l.Count {
				ages = append(ages, l.AgeDays)
			}
		}
	}
	if len(ages) != 2 || ages[0] != 0.5 || ages[1] != 1.5 {
		t.Errorf("open mql leads' ages = %v, want [0.5 1.5] (waiting from entry, contacted from touch, not-contacted left out)", ages)
	}
}
