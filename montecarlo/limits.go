package montecarlo

import (
	"fmt"
	"math"

	"github.com/funnelsim/funnel/model"
)

// MaxHorizon is the largest Config.Horizon: 40 consecutive quarters, ten
// years. Preparing a model takes time and memory in proportion to the
// horizon (the closing summaries of the stationary state hold a value for
// each of its quarters), and the marks number periods in an int8.
const MaxHorizon = 40

// Size is the estimated work and memory of a simulation, before it starts
// (see EstimateSize).
type Size struct {
	// Leads is an upper estimate of the leads simulated: each run's
	// arrivals over its warm-up (model.Model.WarmupDaysNeeded) and its
	// horizon, and its starting state, times the runs; plus, for a model
	// with an SDR queue, the MQLs of the pilot queue that measures the
	// queue's law (at most three times pilotWeeks weeks of every source's
	// arrivals), once per model.
	Leads float64
	// Bytes is the memory of the results: 8 bytes for each value of each
	// series of each simulated quarter (see Results).
	Bytes float64
}

// EstimateSize returns the size of simulating the models ms with cfg, as
// RunSweep would (Run is RunSweep of one model): the sums of each model's.
// Zero fields of cfg mean their defaults. It allocates nothing in
// proportion to cfg.Quarters, and computes in floating point, so that
// absurd configurations give large sizes instead of overflowing. The
// models must be valid (see model.Model.Validate).
func EstimateSize(cfg Config, ms ...*model.Model) Size {
	q, h := float64(cfg.Quarters), float64(cfg.Horizon)
	if cfg.Quarters == 0 {
		q = float64(DefaultConfig.Quarters)
	}
	if cfg.Horizon == 0 {
		h = float64(DefaultConfig.Horizon)
	}
	var sz Size
	for _, m := range ms {
		rate, start := 0.0, 0.0 // leads a week; leads a run
		for _, s := range m.Sources {
			rate += s.RatePerWeek
		}
		weeks := h * float64(m.QuarterWeeks)
		if m.Start != nil {
			for _, l := range m.Start.Leads {
				start += float64(l.Count)
			}
			start += float64(len(m.Start.Opportunities))
			weeks += math.Ceil(m.LeadInDays() / 7)
		} else {
			weeks += math.Ceil(m.WarmupDaysNeeded() / 7)
		}
		sz.Leads += q * (rate*weeks + start)
		if m.Handoff != nil {
			sz.Leads += 3 * pilotWeeks * rate
		}
		perQuarter := 13 + len(m.Stages) + 2*len(m.SLAs) + len(m.Transitions) + 5 + 4*len(m.Sources)
		sz.Bytes += 8 * q * h * float64(perQuarter)
	}
	return sz
}

// SizeError reports a simulation larger than its configuration allows: its
// estimated Size in the unit Unit ("leads" or "bytes of results") against
// Limit, the value of Config field Field.
type SizeError struct {
	Quarters, Horizon int     // the configuration's, defaults filled in
	Unit              string  // "leads" or "bytes of results"
	Size, Limit       float64 // the estimate and the limit, in Unit
	Field             string  // the Config field that sets the limit: "MaxLeads" or "MaxBytes"
}

func (e *SizeError) Error() string {
	return fmt.Sprintf("montecarlo: simulating %d runs of horizon %d would take about %.3g %s, over the limit of %.3g (Config.%s): simulate fewer quarters or a shorter horizon, or raise Config.%s",
		e.Quarters, e.Horizon, e.Size, e.Unit, e.Limit, e.Field, e.Field)
}

// CheckSize returns an error when Run or RunSweep would refuse to simulate
// the models ms with cfg, before allocating anything: a negative
// Quarters, Horizon or Workers, a Horizon above MaxHorizon, or an
// estimated size (see EstimateSize) above cfg.MaxLeads or cfg.MaxBytes
// (a *SizeError). Zero fields of cfg mean their defaults. The models must
// be valid (see model.Model.Validate).
func CheckSize(cfg Config, ms ...*model.Model) error {
	if cfg.Quarters < 0 {
		return fmt.Errorf("montecarlo: %d quarters; want a positive number, or 0 for %d", cfg.Quarters, DefaultConfig.Quarters)
	}
	if cfg.Horizon < 0 || cfg.Horizon > MaxHorizon {
		return fmt.Errorf("montecarlo: a horizon of %d quarters; want 1 to %d (MaxHorizon), or 0 for %d", cfg.Horizon, MaxHorizon, DefaultConfig.Horizon)
	}
	if cfg.First < 0 {
		return fmt.Errorf("montecarlo: first run %d; want 0 or more", cfg.First)
	}
	if cfg.Workers < 0 {
		return fmt.Errorf("montecarlo: %d workers; want a positive number, or 0 for one a CPU", cfg.Workers)
	}
	sz := EstimateSize(cfg, ms...)
	e := &SizeError{Quarters: cfg.Quarters, Horizon: cfg.Horizon}
	if e.Quarters == 0 {
		e.Quarters = DefaultConfig.Quarters
	}
	if e.Horizon == 0 {
		e.Horizon = DefaultConfig.Horizon
	}
	if limit := orDefault(cfg.MaxLeads, DefaultConfig.MaxLeads); limit >= 0 && sz.Leads > limit {
		e.Unit, e.Size, e.Limit, e.Field = "leads", sz.Leads, limit, "MaxLeads"
		return e
	}
	if limit := orDefault(cfg.MaxBytes, DefaultConfig.MaxBytes); limit >= 0 && sz.Bytes > limit {
		e.Unit, e.Size, e.Limit, e.Field = "bytes of results", sz.Bytes, limit, "MaxBytes"
		return e
	}
	return nil
}

// orDefault returns v, or def when v is 0.
func orDefault(v, def float64) float64 {
	if v == 0 {
		return def
	}
	return v
}
