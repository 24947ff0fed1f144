package backtest_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/funnelsim/funnel/montecarlo/backtest"
)

// smallDefault is the default funnel at an eightieth of its volume: every
// stage, the SDR queue and recycling, small enough to calibrate in a
// blink.
func smallDefault() *model.Model {
	m := model.Default()
	for i := range m.Sources {
		m.Sources[i].RatePerWeek /= 80
	}
	m.Handoff.SDR.Headcount = 1
	return m
}

// mutation changes an export the way real ones are broken; it returns what
// it did.
type mutation func(e *data.Export, rng *rand.Rand) string

var mutations = []mutation{
	func(e *data.Export, rng *rand.Rand) string { // events lost
		f := rng.Float64()
		e.StageEvents = keep(e.StageEvents, rng, f)
		return fmt.Sprintf("dropped %.0f%% of stage events", 100*f)
	},
	func(e *data.Export, rng *rand.Rand) string { // no activities at all
		e.Activities = nil
		return "no activities"
	},
	func(e *data.Export, rng *rand.Rand) string { // dates only
		day := func(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }
		for i := range e.StageEvents {
			e.StageEvents[i].At = day(e.StageEvents[i].At)
		}
		for i := range e.Leads {
			e.Leads[i].CreatedAt = day(e.Leads[i].CreatedAt)
		}
		for i := range e.Opportunities {
			o := &e.Opportunities[i]
			o.CreatedAt = day(o.CreatedAt)
			if !o.ClosedAt.IsZero() {
				o.ClosedAt = day(o.ClosedAt)
			}
		}
		return "dates only"
	},
	func(e *data.Export, rng *rand.Rand) string { // amounts missing or absurd
		for i := range e.Opportunities {
			switch rng.IntN(4) {
			case 0:
				e.Opportunities[i].Amount = 0
			case 1:
				e.Opportunities[i].Amount *= 1e6
			}
		}
		return "amounts zeroed or inflated"
	},
	func(e *data.Export, rng *rand.Rand) string { // a narrow funnel: only some stages
		keepStages := map[string]bool{"mql": true, "opportunity": true, "won": true, "lost": true}
		if rng.IntN(2) == 0 {
			keepStages["sal"] = true
		}
		var ev []data.StageEvent
		for _, s := range e.StageEvents {
			if keepStages[s.Stage] {
				ev = append(ev, s)
			}
		}
		e.StageEvents = ev
		return "narrow funnel"
	},
	func(e *data.Export, rng *rand.Rand) string { // contradictory records
		n := 0
		for i := range e.StageEvents {
			if rng.IntN(20) == 0 {
				e.StageEvents[i].At = e.StageEvents[i].At.Add(-time.Duration(rng.IntN(90*24)) * time.Hour)
				n++
			}
		}
		return fmt.Sprintf("%d events moved before their leads", n)
	},
	func(e *data.Export, rng *rand.Rand) string { // one source only, or a new one
		for i := range e.Leads {
			if rng.IntN(3) == 0 {
				e.Leads[i].Source = "partner"
			}
		}
		return "a source the base model lacks"
	},
	func(e *data.Export, rng *rand.Rand) string { // deals lost
		f := rng.Float64()
		e.Opportunities = keep(e.Opportunities, rng, f)
		return fmt.Sprintf("dropped %.0f%% of opportunities", 100*f)
	},
	func(e *data.Export, rng *rand.Rand) string { // a burst: arrivals trend
		var extra []data.Lead
		for i, l := range e.Leads {
			if l.CreatedAt.After(e.AsOf.Add(-30*24*time.Hour)) && rng.IntN(2) == 0 {
				l.ID = fmt.Sprintf("%s-burst%d", l.ID, i)
				extra = append(extra, l)
			}
		}
		e.Leads = append(e.Leads, extra...)
		return fmt.Sprintf("%d leads added in the last month", len(extra))
	},
}

// keep returns the elements of xs, each kept with probability 1 − drop.
func keep[T any](xs []T, rng *rand.Rand, drop float64) []T {
	var out []T
	for _, x := range xs {
		if rng.Float64() >= drop {
			out = append(out, x)
		}
	}
	return out
}

// clone copies e's slices, so that a mutation leaves e as it was.
func clone(e *data.Export) *data.Export {
	c := *e
	c.Leads = append([]data.Lead(nil), e.Leads...)
	c.StageEvents = append([]data.StageEvent(nil), e.StageEvents...)
	c.Activities = append([]data.Activity(nil), e.Activities...)
	c.Opportunities = append([]data.Opportunity(nil), e.Opportunities...)
	c.OppStageEvents = append([]data.OppStageEvent(nil), e.OppStageEvents...)
	return &c
}

// TestMutatedExportsForecast calibrates exports mutated as real ones are
// (events and deals lost, dates only, amounts missing or absurd, a narrow
// funnel, events before their leads, new sources, bursts), each cut at a
// random date, and forecasts every model calibration returns: calibration
// may refuse an export with an error, but nothing may panic or hang, and
// a forecast's revenue must be finite.
func TestMutatedExportsForecast(t *testing.T) {
	n := 100
	if testing.Short() {
		n = 20
	}
	m := smallDefault()
	base, err := synth.Generate(t.Context(), m, synth.Config{Quarters: 3, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	start := base.AsOf.Add(-3 * 91 * 24 * time.Hour)
	refused := 0
	for i := range n {
		rng := rand.New(rand.NewPCG(uint64(i), 0x6d75))
		e := clone(base)
		var did []string
		for range 1 + rng.IntN(3) {
			did = append(did, mutations[rng.IntN(len(mutations))](e, rng))
		}
		cut := start.Add(time.Duration(45+rng.IntN(3*91-45)) * 24 * time.Hour)
		e = backtest.Cut(e, cut)
		what := fmt.Sprintf("export %d (%s; cut at %s)", i, strings.Join(did, ", "), cut.Format("2006-01-02"))
		if !checkOne(t, e, m, what) {
			refused++
		}
	}
	if refused > n/2 {
		t.Errorf("calibration refused %d of %d mutated exports: the property test tests little", refused, n)
	}
	t.Logf("%d exports, %d refused by calibration", n, refused)
}

// checkOne calibrates e on base m and forecasts two quarters of the
// result: nothing may panic, calibration may refuse e but never fit a model
// it cannot run, and revenue must be finite. It reports whether
// calibration accepted e.
func checkOne(t *testing.T, e *data.Export, m *model.Model, what string) (ok bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panic: %v\n%s", what, r, debug.Stack())
		}
	}()
	r, err := calibrate.Calibrate(e, calibrate.Config{Base: m})
	if err != nil {
		if strings.Contains(err.Error(), "not valid") {
			t.Errorf("%s: calibration fitted a model it cannot run: %v", what, err)
		}
		t.Logf("%s: refused: %v", what, err)
		return false
	}
	if err := r.Model.Validate(); err != nil {
		t.Errorf("%s: the calibrated model does not validate: %v", what, err)
		return true
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	res, err := montecarlo.Run(ctx, r.Model, montecarlo.Config{Quarters: 2, Seed: 1})
	if err != nil {
		t.Errorf("%s: forecast: %v", what, err)
		return true
	}
	for q, v := range res.Revenue {
		if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			t.Errorf("%s: quarter %d revenue %v", what, q, v)
			break
		}
	}
	return true
}

// FuzzCalibrateForecast applies the mutations the fuzzer picks (each byte
// of picks one mutation, its randomness from seed) to a small generated
// export, cuts it at day cut of its last three quarters, and checks the
// calibrate-then-forecast property of checkOne.
func FuzzCalibrateForecast(f *testing.F) {
	f.Add(uint64(1), []byte{0, 3}, uint16(60))
	f.Add(uint64(2), []byte{4, 6, 8}, uint16(200))
	f.Add(uint64(3), []byte{2}, uint16(120))
	m := smallDefault()
	base, err := synth.Generate(context.Background(), m, synth.Config{Quarters: 3, Seed: 11})
	if err != nil {
		f.Fatal(err)
	}
	start := base.AsOf.Add(-3 * 91 * 24 * time.Hour)
	f.Fuzz(func(t *testing.T, seed uint64, picks []byte, cut uint16) {
		if len(picks) > 4 {
			picks = picks[:4]
		}
		rng := rand.New(rand.NewPCG(seed, 0x6d75))
		e := clone(base)
		var did []string
		for _, p := range picks {
			did = append(did, mutations[int(p)%len(mutations)](e, rng))
		}
		at := start.Add(time.Duration(int(cut)%(3*91)) * 24 * time.Hour)
		e = backtest.Cut(e, at)
		checkOne(t, e, m, fmt.Sprintf("%s; cut at %s", strings.Join(did, ", "), at.Format("2006-01-02")))
	})
}
