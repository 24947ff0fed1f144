package calibrate_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
)

// TestObservations checks the extracted stays and responses of a tiny
// hand-made export against values worked out by hand.
func TestObservations(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	d := func(days float64) time.Time { return t0.Add(time.Duration(days * 24 * float64(time.Hour))) }
	e := &data.Export{
		AsOf: d(10),
		Leads: []data.Lead{
			{ID: "A", CreatedAt: d(0), Source: "web"},
			{ID: "B", CreatedAt: d(0), Source: "web"},
			{ID: "C", CreatedAt: d(1), Source: "events"},
			{ID: "D", CreatedAt: d(0), Source: "web"},
		},
		StageEvents: []data.StageEvent{
			{LeadID: "A", Stage: "known", At: d(0)},
			{LeadID: "A", Stage: "engaged", At: d(2)},
			{LeadID: "A", Stage: "mql", At: d(5)},
			{LeadID: "A", Stage: "tql", At: d(6.5)},
			{LeadID: "A", Stage: "sal", At: d(7)},
			{LeadID: "B", Stage: "known", At: d(0)},
			{LeadID: "C", Stage: "engaged", At: d(1)},
			{LeadID: "C", Stage: "mql", At: d(3)},
			{LeadID: "C", Stage: "engaged", At: d(3.25)},
			{LeadID: "D", Stage: "known", At: d(0)},
			{LeadID: "D", Stage: "mql", At: d(4)}, // no known->mql edge
		},
		Activities: []data.Activity{
			{LeadID: "A", At: d(5.5), Connected: true, Owner: "s1"},
			{LeadID: "C", At: d(3.25), Connected: false, Owner: "s2"},
		},
	}
	m := model.Default()
	soj, resp, warns := calibrate.Observations(e, m)
	want := []calibrate.Sojourn{
		{Lead: "A", Source: "web", Stage: "known", Start: d(0), T: 2, To: "engaged", Cause: 1, Follow: 10},
		{Lead: "A", Source: "web", Stage: "engaged", Start: d(2), T: 3, To: "mql", Cause: 1, Follow: 8},
		{Lead: "A", Source: "web", Stage: "mql", Start: d(5.5), T: 1, To: "tql", Cause: 1, Follow: 4.5},
		{Lead: "A", Source: "web", Stage: "tql", Start: d(6.5), T: 0.5, To: "sal", Cause: 1, Follow: 3.5},
		{Lead: "A", Source: "web", Stage: "sal", Start: d(7), T: 3, Follow: 3},
		{Lead: "B", Source: "web", Stage: "known", Start: d(0), T: 10, Follow: 10},
		{Lead: "C", Source: "events", Stage: "engaged", Start: d(1), T: 2, To: "mql", Cause: 1, Follow: 9},
		{Lead: "C", Source: "events", Stage: "engaged", Start: d(3.25), T: 6.75, Follow: 6.75},
		{Lead: "D", Source: "web", Stage: "known", Start: d(0), T: 4, To: "mql", Cause: -1, Follow: 10},
		{Lead: "D", Source: "web", Stage: "mql", Start: d(4), T: 6, Follow: 6}, // no activities for D: not touched
	}
	// D's mql stay has no touch, so it is a censored response, not a sojourn.
	want = want[:len(want)-1]
	if !reflect.DeepEqual(soj, want) {
		t.Errorf("sojourns:\n got %+v\nwant %+v", soj, want)
	}
	wantResp := []calibrate.Response{
		{Lead: "A", Entered: d(5), Minutes: 720, Contacted: true, Owner: "s1"},
		{Lead: "C", Entered: d(3), Minutes: 360, Owner: "s2"},
		{Lead: "D", Entered: d(4), Minutes: 6 * 24 * 60, Censored: true},
	}
	if !reflect.DeepEqual(resp, wantResp) {
		t.Errorf("responses:\n got %+v\nwant %+v", resp, wantResp)
	}
	if len(warns) != 1 || warns[0].Error() != "1 leads moved known -> mql, an edge the model does not have: counted as a competing exit" {
		t.Errorf("warnings = %v", warns)
	}
}

// TestObservationsTieOrder checks that stage events of one lead at the
// same time give the same observations whatever their order in the
// export: they are taken in the order of the model's stages.
func TestObservationsTieOrder(t *testing.T) {
	t0 := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	d := func(days float64) time.Time { return t0.Add(time.Duration(days * 24 * float64(time.Hour))) }
	events := []data.StageEvent{
		{LeadID: "A", Stage: "known", At: d(0)},
		{LeadID: "A", Stage: "engaged", At: d(2)},
		{LeadID: "A", Stage: "mql", At: d(2)}, // same second as engaged
		{LeadID: "A", Stage: "tql", At: d(3)},
		{LeadID: "B", Stage: "engaged", At: d(1)},
		{LeadID: "B", Stage: "mql", At: d(4)},
		{LeadID: "B", Stage: "custom", At: d(4)}, // a stage the model does not have
		{LeadID: "B", Stage: "known", At: d(4)},
	}
	export := func(ev []data.StageEvent) *data.Export {
		return &data.Export{
			AsOf:        d(10),
			Leads:       []data.Lead{{ID: "A", CreatedAt: d(0), Source: "web"}, {ID: "B", CreatedAt: d(1), Source: "web"}},
			StageEvents: ev,
			Activities:  []data.Activity{{LeadID: "A", At: d(2.5), Connected: true}},
		}
	}
	m := model.Default()
	soj, resp, warns := calibrate.Observations(export(events), m)
	permuted := []data.StageEvent{events[0], events[2], events[1], events[3], events[4], events[7], events[6], events[5]}
	e := export(permuted)
	soj2, resp2, warns2 := calibrate.Observations(e, m)
	if !reflect.DeepEqual(soj, soj2) || !reflect.DeepEqual(resp, resp2) || !reflect.DeepEqual(warns, warns2) {
		t.Errorf("swapping tied events changes the observations:\n%+v\n%+v\n%v\n%v", soj, soj2, resp, resp2)
	}
	if !reflect.DeepEqual(e.StageEvents, permuted) {
		t.Errorf("Observations reordered the export's events")
	}
	// Engaged before mql: A's engaged stay is 0 days, ended by mql.
	want := calibrate.Sojourn{Lead: "A", Source: "web", Stage: "engaged", Start: d(2), T: 0, To: "mql", Cause: 1, Follow: 8}
	if len(soj) < 2 || soj[1] != want {
		t.Errorf("A's second stay %+v, want %+v", soj, want)
	}
}
