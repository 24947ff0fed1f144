package backtest

import (
	"testing"
	"time"

	"github.com/funnelsim/funnel/data"
)

func TestCut(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	e := &data.Export{AsOf: day(100), Opportunities: []data.Opportunity{
		{ID: "closed-before", CreatedAt: day(1), ClosedAt: day(20), Outcome: data.OutcomeWon, Stage: "won", Amount: 10},
		{ID: "won-after", CreatedAt: day(5), ClosedAt: day(60), Outcome: data.OutcomeWon, Stage: "won", Amount: 20},
		{ID: "lost-at-cut", CreatedAt: day(5), ClosedAt: day(50), Outcome: data.OutcomeLost, Stage: "lost"},
		{ID: "still-open", CreatedAt: day(10), Stage: "Engaging", Amount: 30},
		{ID: "created-at-cut", CreatedAt: day(50), Stage: "Engaging"},
		{ID: "created-after", CreatedAt: day(70), ClosedAt: day(80), Outcome: data.OutcomeWon, Stage: "won", Amount: 40},
		{ID: "undated-open", Stage: "Prospecting"},
		{ID: "undated-closed", ClosedAt: day(10), Outcome: data.OutcomeLost, Stage: "lost"},
	}, OppStageEvents: []data.OppStageEvent{
		{OpportunityID: "won-after", Stage: "proposal", At: day(30)},
		{OpportunityID: "won-after", Stage: "won", At: day(60)},
	}}
	c := Cut(e, day(50))
	want := map[string]struct {
		outcome data.Outcome
		stage   string
		amount  float64
	}{
		"closed-before":  {data.OutcomeWon, "won", 10},
		"won-after":      {data.OutcomeOpen, "proposal", 20},
		"lost-at-cut":    {data.OutcomeOpen, "open", 0},
		"still-open":     {data.OutcomeOpen, "Engaging", 30},
		"undated-closed": {data.OutcomeLost, "lost", 0},
	}
	if len(c.Opportunities) != len(want) {
		t.Errorf("cut holds %d opportunities, want %d: %+v", len(c.Opportunities), len(want), c.Opportunities)
	}
	for _, o := range c.Opportunities {
		w, ok := want[o.ID]
		if !ok {
			t.Errorf("%s is in the cut", o.ID)
			continue
		}
		if o.Outcome != w.outcome || o.Stage != w.stage || o.Amount != w.amount {
			t.Errorf("%s: outcome %v, stage %q, amount %v; want %v, %q, %v", o.ID, o.Outcome, o.Stage, o.Amount, w.outcome, w.stage, w.amount)
		}
		if o.Outcome == data.OutcomeOpen && !o.ClosedAt.IsZero() {
			t.Errorf("%s: open with a close %v", o.ID, o.ClosedAt)
		}
	}
	if len(c.OppStageEvents) != 1 || !c.AsOf.Equal(day(50)) {
		t.Errorf("stage events %v, as-of %v", c.OppStageEvents, c.AsOf)
	}
	if e.Opportunities[1].Outcome != data.OutcomeWon {
		t.Error("Cut modified its export")
	}
	if got := Cut(e, day(200)); len(got.Opportunities) != len(e.Opportunities) || !got.AsOf.Equal(e.AsOf) {
		t.Errorf("a cut after the as-of date holds %d of %d opportunities, as-of %v", len(got.Opportunities), len(e.Opportunities), got.AsOf)
	}
	if rev, n := WonIn(e, day(50), day(91)); rev != 60 || n != 2 {
		t.Errorf("WonIn = %v, %d; want 60, 2", rev, n)
	}
}
