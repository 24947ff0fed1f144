package montecarlo

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// withStart returns the default model with a starting state dated date
// and the forecast starting on forecast.
func withStart(date, forecast string) *model.Model {
	m := model.Default()
	m.ForecastStart = forecast
	m.Start = &model.Start{Date: date,
		Leads: []model.OpenLead{
			{Stage: "engaged", Source: "web", Count: 300, AgeDays: 5},
			{Stage: "mql", Source: "web", Count: 100, AgeDays: 0, Waiting: true},
			{Stage: "opportunity", Source: "events", Count: 50, AgeDays: 20},
		},
		Opportunities: []model.OpenOpportunity{{Source: "web", Amount: 40000, AgeDays: 30}}}
	return m
}

// TestLeadInIsAQuarterEarlier checks a lead-in of exactly one quarter
// (Apr 1 to Jul 1: 91 days) against its definition: the first quarter
// after it has the law of the second quarter of a horizon-2 run that
// starts on the state's own day. Means within 4 standard errors of the
// difference of independent runs.
func TestLeadInIsAQuarterEarlier(t *testing.T) {
	n := size(400, 150)
	a := withStart("2026-04-01", "2026-07-01")
	if got := a.LeadInDays(); got != 91 {
		t.Fatalf("lead-in %g days, want 91", got)
	}
	b := withStart("2026-04-01", "2026-04-01")
	ra := mustRun(t, a, Config{Quarters: n, Seed: 11})
	rb := mustRun(t, b, Config{Quarters: n, Seed: 12, Horizon: 2})
	for _, f := range []struct {
		what string
		a, b []float64
	}{
		{"revenue", ra.Revenue, rb.Revenue},
		{"won", ra.Won, rb.Won},
		{"open pipeline", ra.OpenPipeline, rb.OpenPipeline},
		{"closing pipeline", ra.ClosingPipeline, rb.ClosingPipeline},
		{"mqls", ra.MQLs, rb.MQLs},
		{"contacted", ra.Contacted, rb.Contacted},
	} {
		sameLaw(t, f.what, ra.Period(f.a, 0), rb.Period(f.b, 1), false)
	}
}

// leadCounter counts the arrivals a trace reports before the quarter and
// the earliest.
type leadCounter struct {
	before   int
	earliest float64
}

func (c *leadCounter) Lead(id uint64, source int, at float64) {
	if at < 0 {
		c.before++
	}
	c.earliest = math.Min(c.earliest, at)
}
func (c *leadCounter) Stage(uint64, int, float64)                                        {}
func (c *leadCounter) Touch(uint64, float64, int, bool)                                  {}
func (c *leadCounter) Opportunity(uint64, int, float64, float64, model.Outcome, float64) {}

// TestLeadInPartialWeeks checks the arrivals of a lead-in that is not
// whole weeks (May 22 to Jul 1: 40 days, from a Wednesday of the engine's
// weeks): none before it starts, and, with flat profiles, as many as its
// hours at the sources' rates (Poisson, within 4 standard errors).
func TestLeadInPartialWeeks(t *testing.T) {
	m := withStart("2026-05-22", "2026-07-01")
	rate := 0.0
	for i := range m.Sources {
		m.Sources[i].Profile = model.Profile{Shape: "flat"}
		m.Sources[i].Dispersion = 0
		rate += m.Sources[i].RatePerWeek
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	runs := size(20, 6)
	c := &leadCounter{earliest: math.Inf(1)}
	if _, err := run(context.Background(), m, Config{Quarters: runs, Seed: 5, Workers: 1}, c); err != nil {
		t.Fatal(err)
	}
	if c.earliest < -40*24 {
		t.Errorf("an arrival at %g h, before the lead-in's start at %d h", c.earliest, -40*24)
	}
	want := float64(runs) * rate * 40 / 7
	if d := float64(c.before) - want; math.Abs(d) > 4*math.Sqrt(want) {
		t.Errorf("%d arrivals in %d lead-ins, want %.0f ± %.0f (4 SE)", c.before, runs, want, 4*math.Sqrt(want))
	}
}

// TestLeadInValidate checks that a state dated after the forecast, or
// more than a year before it, is refused.
func TestLeadInValidate(t *testing.T) {
	for _, tt := range []struct{ date, forecast, want string }{
		{"2026-07-02", "2026-07-01", `start.date: got "2026-07-02", want a day on or before forecast_start 2026-07-01`},
		{"2025-01-01", "2026-07-01", `start.date: got "2025-01-01", want at most 366 days before forecast_start 2026-07-01`},
		{"2026-7-1", "2026-07-01", `start.date: got "2026-7-1", want a date YYYY-MM-DD in the years 1900-9000`},
	} {
		err := withStart(tt.date, tt.forecast).Validate()
		if err == nil || err.Error() != tt.want {
			t.Errorf("start %s, forecast %s: %v, want %s", tt.date, tt.forecast, err, tt.want)
		}
	}
}
