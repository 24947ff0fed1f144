package synth

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// Config configures Generate.
type Config struct {
	Quarters int    // quarters of history, ≥ 1
	Seed     uint64 // the same seed gives the same export
	// Start is when the history begins; it is moved back to the Monday
	// 00:00 (in the model's time zone) on or before it. Zero means
	// Monday 2024-01-01.
	Start time.Time
}

// Generate simulates cfg.Quarters quarters of m from an empty funnel and
// returns the canonical export a CRM would hold at the end of them: every
// lead with its source and creation time, every stage it entered, the SDRs'
// first touches (connected or attempted) with the response times the SDR
// queue produced, and every opportunity with its amount, and its close and
// outcome or, when still open at the end (AsOf), no close. Times are UTC,
// rounded down to the second. Ids are L000001..., O000001... in order of
// creation.
func Generate(ctx context.Context, m *model.Model, cfg Config) (*data.Export, error) {
	loc := time.UTC
	if m.TimeZone != "" {
		var err error
		if loc, err = time.LoadLocation(m.TimeZone); err != nil {
			return nil, fmt.Errorf("synth: generate: %w", err)
		}
	}
	start := cfg.Start
	if start.IsZero() {
		start = time.Date(2024, 1, 1, 0, 0, 0, 0, loc)
	}
	start = start.In(loc)
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, loc)
	for start.Weekday() != time.Monday {
		start = start.AddDate(0, 0, -1)
	}
	g := &gen{m: m}
	if err := montecarlo.Trace(ctx, m, cfg.Quarters, cfg.Seed, g); err != nil {
		return nil, err
	}
	at := func(h float64) time.Time {
		return start.Add(time.Duration(math.Floor(h*3600)) * time.Second).UTC()
	}
	// Ids in order of creation.
	slices.SortFunc(g.leads, func(a, b genLead) int { return cmp.Or(cmp.Compare(a.at, b.at), cmp.Compare(a.id, b.id)) })
	// The engine reports an SDR touch when the lead enters the queue, so a
	// touch may fall after the end (a lead queued on the last evening is
	// touched the next morning); the CRM at AsOf does not hold it yet.
	// Everything else is guarded the same way.
	end := float64(cfg.Quarters) * m.QuarterHours()
	ids := make(map[uint64]string, len(g.leads))
	e := &data.Export{AsOf: at(end)}
	for _, l := range g.leads {
		if l.at > end {
			continue
		}
		ids[l.id] = fmt.Sprintf("L%06d", len(e.Leads)+1)
		e.Leads = append(e.Leads, data.Lead{ID: ids[l.id], CreatedAt: at(l.at), Source: m.Sources[l.src].Name, Segment: m.Sources[l.src].Segment})
	}
	for _, s := range g.stages {
		if _, ok := ids[s.id]; !ok || s.at > end {
			continue
		}
		e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: ids[s.id], Stage: m.Stages[s.stage].Name, At: at(s.at)})
	}
	for _, t := range g.touches {
		if _, ok := ids[t.id]; !ok || t.at > end {
			continue
		}
		e.Activities = append(e.Activities, data.Activity{LeadID: ids[t.id], At: at(t.at), Channel: "call", Connected: t.connected, Owner: fmt.Sprintf("sdr-%02d", t.sdr+1)})
	}
	slices.SortFunc(g.opps, func(a, b genOpp) int { return cmp.Or(cmp.Compare(a.created, b.created), cmp.Compare(a.id, b.id)) })
	won, lost := stageNamed(m, model.Won), stageNamed(m, model.Lost)
	opp := m.Stages[m.OpportunityStage()].Name
	for _, o := range g.opps {
		if _, ok := ids[o.id]; !ok || o.created > end {
			continue
		}
		if o.closed > end {
			o.outcome = model.Open
		}
		r := data.Opportunity{ID: fmt.Sprintf("O%06d", len(e.Opportunities)+1), LeadID: ids[o.id], CreatedAt: at(o.created), Amount: math.Round(o.amount*100) / 100,
			Stage: opp, Outcome: data.OutcomeOpen, Currency: m.Currency}
		switch o.outcome {
		case model.Won:
			r.Stage, r.Outcome, r.ClosedAt = won, data.OutcomeWon, at(o.closed)
		case model.Lost, model.Disqualified:
			r.Stage, r.Outcome, r.ClosedAt = lost, data.OutcomeLost, at(o.closed)
		}
		e.Opportunities = append(e.Opportunities, r)
	}
	slices.SortStableFunc(e.StageEvents, func(a, b data.StageEvent) int {
		return cmp.Or(cmp.Compare(a.LeadID, b.LeadID), a.At.Compare(b.At))
	})
	slices.SortStableFunc(e.Activities, func(a, b data.Activity) int {
		return cmp.Or(cmp.Compare(a.LeadID, b.LeadID), a.At.Compare(b.At))
	})
	return e, nil
}

func stageNamed(m *model.Model, o model.Outcome) string {
	for _, s := range m.Stages {
		if s.Outcome == o {
			return s.Name
		}
	}
	return o.String()
}

type genLead struct {
	id  uint64
	src int
	at  float64
}

type genStage struct {
	id    uint64
	stage int
	at    float64
}

type genTouch struct {
	id        uint64
	at        float64
	sdr       int
	connected bool
}

type genOpp struct {
	id              uint64
	created, closed float64
	outcome         model.Outcome
	amount          float64
}

// gen collects a trace (montecarlo.Tracer).
type gen struct {
	m       *model.Model
	leads   []genLead
	stages  []genStage
	touches []genTouch
	opps    []genOpp
}

func (g *gen) Lead(id uint64, src int, at float64) { g.leads = append(g.leads, genLead{id, src, at}) }
func (g *gen) Stage(id uint64, st int, at float64) { g.stages = append(g.stages, genStage{id, st, at}) }
func (g *gen) Touch(id uint64, at float64, sdr int, ok bool) {
	g.touches = append(g.touches, genTouch{id, at, sdr, ok})
}
func (g *gen) Opportunity(id uint64, src int, created, closed float64, o model.Outcome, amount float64) {
	g.opps = append(g.opps, genOpp{id, created, closed, o, amount})
}
