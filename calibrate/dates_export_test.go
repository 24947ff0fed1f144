package calibrate_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
)

// datesModel is a small funnel whose leads arrive in business hours and
// enter engaged by acting (an active stage), so that exports with times
// show both; opportunity->lost is inactive and its clock starts at an
// inactive entry, the delay the day-resolution fit is checked on.
const datesModel = `
name: dates
currency: USD
time_zone: America/New_York
quarter_weeks: 13
stages:
  - {name: known, team: marketing}
  - {name: engaged, team: marketing, active: true}
  - {name: opportunity, team: sales, opportunity: true}
  - {name: won, team: sales, outcome: won}
  - {name: lost, team: sales, outcome: lost}
transitions:
  - {from: known, to: engaged, p: 0.6, delay_days: {dist: lognormal, median: 1.5, sigma: 1.0}}
  - {from: engaged, to: opportunity, p: 0.5, delay_days: {dist: lognormal, median: 3, sigma: 0.8}}
  - {from: opportunity, to: won, p: 0.3, delay_days: {dist: gamma, shape: 2, mean: 10}}
  - {from: opportunity, to: lost, p: 0.6, delay_days: {dist: lognormal, median: 1.5, sigma: 1.0}}
sources:
  - name: web
    entry: known
    rate_per_week: 600
    profile: {shape: business}
    deal_size: {dist: lognormal, median: 20000, sigma: 0.5}
`

// toDates truncates every time of e to the midnight that starts its day
// in z, as an export with date-only columns read in z holds them.
func toDates(e *data.Export, z *time.Location) {
	day := func(t *time.Time) {
		if !t.IsZero() {
			y, m, d := t.In(z).Date()
			*t = time.Date(y, m, d, 0, 0, 0, 0, z).UTC()
		}
	}
	day(&e.AsOf)
	for i := range e.Leads {
		day(&e.Leads[i].CreatedAt)
	}
	for i := range e.StageEvents {
		day(&e.StageEvents[i].At)
	}
	for i := range e.Activities {
		day(&e.Activities[i].At)
	}
	for i := range e.Opportunities {
		day(&e.Opportunities[i].CreatedAt)
		day(&e.Opportunities[i].ClosedAt)
	}
	for i := range e.OppStageEvents {
		day(&e.OppStageEvents[i].At)
	}
}

// TestDatesOnlyExport calibrates a generated export whose times are cut to
// dates, read in UTC or in the model's zone: the dates are detected, no
// stage is tested for activity, the arrival profile spreads each day over
// its hours, and a delay with many same-day moves is recovered within 4
// standard errors.
func TestDatesOnlyExport(t *testing.T) {
	truth, err := model.Parse(strings.NewReader(datesModel))
	if err != nil {
		t.Fatal(err)
	}
	e, err := synth.Generate(context.Background(), truth, synth.Config{Quarters: 3, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation(truth.TimeZone)
	if err != nil {
		t.Fatal(err)
	}
	for _, z := range []*time.Location{time.UTC, ny} {
		t.Run(z.String(), func(t *testing.T) {
			x := *e
			x.Leads = append([]data.Lead(nil), e.Leads...)
			x.StageEvents = append([]data.StageEvent(nil), e.StageEvents...)
			x.Opportunities = append([]data.Opportunity(nil), e.Opportunities...)
			x.Activities = append([]data.Activity(nil), e.Activities...)
			toDates(&x, z) // keeps the order of events: a lead's are still in time order
			r, err := calibrate.Calibrate(&x, calibrate.Config{Base: truth, KeepForms: true})
			if err != nil {
				t.Fatal(err)
			}
			warned := func(s string) bool {
				for _, w := range r.Warnings {
					if strings.Contains(w.Error(), s) {
						return true
					}
				}
				t.Errorf("no warning %q in %q", s, r.Warnings)
				return false
			}
			warned("entry times of known")
			warned("engaged: entry times are dates only")
			warned("source web: creation times are dates only")
			if len(r.Active) > 0 {
				t.Errorf("stages tested for activity on dates: %+v", r.Active)
			}
			for _, a := range r.Arrivals {
				if !a.DatesOnly {
					t.Errorf("source %s: DatesOnly false", a.Source)
				}
			}
			for _, s := range r.Model.Sources {
				for d, row := range s.Profile.Weights {
					for h, w := range row {
						if w != row[0] || w > 2 {
							t.Errorf("source %s: weight %v at day %d hour %d, %v at hour 0: want a flat day below 2", s.Name, w, d, h, row[0])
						}
					}
				}
			}
			zero, n := 0, 0
			soj, _, _ := calibrate.Observations(&x, truth)
			for _, o := range soj {
				if o.Stage == "opportunity" && o.To == "lost" {
					n++
					if o.T == 0 {
						zero++
					}
				}
			}
			t.Logf("opportunity->lost: %d delays, %.0f%% same-day", n, 100*float64(zero)/float64(n))
			if zero < n/10 {
				t.Errorf("only %d of %d same-day delays: the case is not tested", zero, n)
			}
			want := map[string]float64{
				"transitions[opportunity->lost].delay_days.median": 1.5,
				"transitions[opportunity->lost].delay_days.sigma":  1.0,
			}
			for _, p := range r.Params {
				v, ok := want[p.Path]
				if !ok {
					continue
				}
				delete(want, p.Path)
				se := (math.Log(p.Upper) - math.Log(p.Lower)) / (2 * 1.959963984540054)
				z := (math.Log(p.Estimate) - math.Log(v)) / se
				t.Logf("%s = %.4g [%.4g, %.4g], truth %v: %+.1f SE", p.Path, p.Estimate, p.Lower, p.Upper, v, z)
				if !(math.Abs(z) < 4) {
					t.Errorf("%s = %.4g [%.4g, %.4g]: %.1f SE from the truth %v", p.Path, p.Estimate, p.Lower, p.Upper, z, v)
				}
			}
			for path := range want {
				t.Errorf("%s not estimated", path)
			}
		})
	}
}

// TestMixedDatesWarns: entries a third of which are at midnight (dates
// among times) are taken as times, with a warning.
func TestMixedDatesWarns(t *testing.T) {
	asOf := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC)
	e := &data.Export{AsOf: asOf}
	for i := range 300 {
		id := string(rune('A'+i%26)) + string(rune('a'+i/26))
		c := asOf.Add(-time.Duration(100-i%90)*24*time.Hour + time.Duration(9*60+i%480)*time.Minute)
		e.Leads = append(e.Leads, data.Lead{ID: id, CreatedAt: c, Source: "web"})
		e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: id, Stage: "known", At: c})
		at := c.Add(time.Duration(30+i%70) * time.Hour)
		if i%3 == 0 {
			at = at.Truncate(24 * time.Hour)
		}
		e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: id, Stage: "engaged", At: at})
	}
	r, err := calibrate.Calibrate(e, calibrate.Config{})
	if err != nil {
		t.Fatal(err)
	}
	const want = "entry times of engaged: 33% of 300 are at midnight UTC, some dates only among times"
	found := false
	for _, w := range r.Warnings {
		if strings.Contains(w.Error(), "are dates only") {
			t.Errorf("taken as dates only: %v", w)
		}
		found = found || strings.Contains(w.Error(), want)
	}
	if !found {
		t.Errorf("no warning %q in %q", want, r.Warnings)
	}
}
