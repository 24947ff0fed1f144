package data

import (
	"math"
	"testing"
	"time"
)

func TestPipelineWaterfall(t *testing.T) {
	d := func(s string) time.Time {
		v, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	e := &Export{AsOf: d("2026-07-15"), Opportunities: []Opportunity{
		{ID: "a", CreatedAt: d("2025-12-20"), Amount: 100, Outcome: OutcomeWon, ClosedAt: d("2026-02-01")},
		{ID: "b", CreatedAt: d("2026-01-01"), Amount: 50, Outcome: OutcomeLost, ClosedAt: d("2026-04-01")}, // on both boundaries
		{ID: "c", CreatedAt: d("2026-02-10"), Amount: 30},                                                  // open
		{ID: "d", CreatedAt: d("2026-05-05"), Amount: 7, Outcome: OutcomeWon, ClosedAt: d("2026-05-05")},   // same day
		{ID: "e", Amount: 1000}, // no creation date
		{ID: "f", CreatedAt: d("2025-11-02"), Amount: 9, Outcome: OutcomeLost, ClosedAt: d("2025-10-01")}, // closed before created
	}}
	qs, skipped := PipelineWaterfall(e, time.January, nil)
	if skipped != 1 {
		t.Errorf("skipped %d, want 1", skipped)
	}
	type row struct{ open, created, won, lost, closing, slipped float64 }
	want := []row{
		{0, 109, 0, 9, 100, 0},   // Q4 2025: a created (f created and closed)
		{100, 80, 100, 0, 80, 0}, // Q1 2026: b (Jan 1) and c created, a won
		{80, 7, 7, 50, 30, 30},   // Q2 2026: b lost on Apr 1, d created and won, c slips
	}
	if len(qs) != len(want) {
		t.Fatalf("%d quarters, want %d: %+v", len(qs), len(want), qs)
	}
	for i, q := range qs {
		got := row{q.Opening, q.Created, q.Won, q.Lost, q.Closing, q.Slipped}
		if got != want[i] {
			t.Errorf("quarter %d (%s): %+v, want %+v", i, q.Start.Format(time.DateOnly), got, want[i])
		}
		if d := q.Opening + q.Created - q.Won - q.Lost - q.Closing; math.Abs(d) > 1e-9 {
			t.Errorf("quarter %d does not balance: %g", i, d)
		}
		if i > 0 && q.Opening != qs[i-1].Closing {
			t.Errorf("quarter %d opens at %g, the last closed at %g", i, q.Opening, qs[i-1].Closing)
		}
	}
	if qs[0].FiscalYear != 2025 || qs[0].Quarter != 4 {
		t.Errorf("first quarter FY%d Q%d, want FY2025 Q4", qs[0].FiscalYear, qs[0].Quarter)
	}
	// A fiscal year from February: Q4 FY2026 is Nov 2025 - Jan 2026.
	qs, _ = PipelineWaterfall(e, time.February, nil)
	if qs[0].Start != d("2025-11-01") || qs[0].FiscalYear != 2026 || qs[0].Quarter != 4 {
		t.Errorf("February year: first quarter %s FY%d Q%d", qs[0].Start.Format(time.DateOnly), qs[0].FiscalYear, qs[0].Quarter)
	}
}

// TestPipelineWaterfallSpan checks that a row dated a century early
// costs only the last MaxWaterfallQuarters quarters.
func TestPipelineWaterfallSpan(t *testing.T) {
	e := &Export{AsOf: time.Date(2026, 7, 1, 12, 0, 0, 0, time.UTC), Opportunities: []Opportunity{
		{ID: "old", CreatedAt: time.Date(1901, 3, 1, 0, 0, 0, 0, time.UTC), Amount: 5},
		{ID: "new", CreatedAt: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Amount: 7, Outcome: OutcomeWon, ClosedAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)},
	}}
	qs, _ := PipelineWaterfall(e, time.January, nil)
	if len(qs) > MaxWaterfallQuarters+1 || len(qs) < MaxWaterfallQuarters {
		t.Fatalf("%d quarters, want about %d", len(qs), MaxWaterfallQuarters)
	}
	last := qs[len(qs)-1]
	if last.Start != time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) || last.Opening != 12 || last.Won != 7 || last.Closing != 5 {
		t.Errorf("last quarter %+v", last)
	}
}
