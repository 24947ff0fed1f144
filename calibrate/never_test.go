package calibrate_test

import (
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
)

// TestNeverShownWarns: an export whose leads never take engaged->mql (so
// p = 0 would cut off every stage after it) calibrates with a warning
// naming the edge, instead of being refused (issue #16).
func TestNeverShownWarns(t *testing.T) {
	asOf := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	e := &data.Export{AsOf: asOf}
	for i := range 200 {
		id := string(rune('A'+i%26)) + string(rune('a'+i/26))
		c := asOf.Add(-time.Duration(100-i%90) * 24 * time.Hour)
		e.Leads = append(e.Leads, data.Lead{ID: id, CreatedAt: c, Source: "web"})
		e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: id, Stage: "known", At: c})
		if i%2 == 0 {
			e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: id, Stage: "engaged", At: c.Add(48 * time.Hour)})
		}
	}
	r, err := calibrate.Calibrate(e, calibrate.Config{})
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	found := false
	for _, w := range r.Warnings {
		if strings.Contains(w.Error(), "engaged->mql: the export never shows it in 100 stays") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning about engaged->mql in %v", r.Warnings)
	}
	if err := r.Model.Validate(); err != nil {
		t.Error(err)
	}
}
