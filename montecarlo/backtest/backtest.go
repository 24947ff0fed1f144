package backtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime/debug"
	"slices"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// SchemaVersion is the version of Result's JSON form. It changes when a
// field is renamed or removed or changes meaning.
const SchemaVersion = 1

// Baseline names, as BaselineForecast.Name and BaselineSummary.Name.
const (
	// BaselinePipeline is the stage-weighted pipeline: the amount open at
	// the origin times the trailing win rate, plus the run rate of deals
	// created and won within one window.
	BaselinePipeline = "pipeline"
	// BaselinePersistence forecasts the revenue of the window before the
	// origin.
	BaselinePersistence = "persistence"
)

// Config configures Run. The zero value of each field but Origins means its
// default.
type Config struct {
	// Origins are the instants the forecasts are made at: each cuts the
	// export strictly before it (see Cut) and forecasts the window that
	// starts at it. Required.
	Origins []time.Time
	// Window is the length of the forecast window, a whole number of
	// weeks (the simulated quarter is set to it); 0 means Base's quarter
	// (QuarterWeeks weeks, 91 days for 13).
	Window time.Duration
	// Base is the model whose structure calibration keeps; nil means
	// model.Default(). It overrides Calibrate.Base.
	Base *model.Model
	// Calibrate configures each origin's calibration (Base aside).
	Calibrate calibrate.Config
	// Quarters is the number of windows simulated at each origin; 0 means
	// DefaultConfig.Quarters.
	Quarters int
	// Seed seeds the simulations: the origin at t simulates with a seed
	// drawn from the stream (Seed, t in Unix seconds), so an origin's
	// forecast does not depend on the other origins.
	Seed uint64
	// Workers is passed to montecarlo.Config; 0 means GOMAXPROCS.
	Workers int
	// FixedParams simulates the calibrated parameters as point values.
	// By default (false) each simulated window draws them from the
	// posteriors calibration gives (montecarlo.Config.DrawParams), so the
	// intervals include what the data leave unknown.
	FixedParams bool
	// Trailing is the period before the origin whose closed deals give
	// the pipeline baseline's win rate and mean won amount; 0 means
	// DefaultConfig.Trailing.
	Trailing time.Duration
	// Progress, when not nil, is called after each origin with the number
	// of origins done.
	Progress func(done int)
}

// DefaultConfig holds the defaults of Config's zero fields.
var DefaultConfig = Config{Quarters: 2000, Trailing: 182 * 24 * time.Hour}

// Result is the outcome of Run: one OriginResult per origin, in the order
// of Config.Origins, and their summary.
type Result struct {
	SchemaVersion int            `json:"schema_version"`
	Model         string         `json:"base_model"` // the base model's name
	Currency      string         `json:"currency"`
	WindowDays    float64        `json:"window_days"`
	TrailingDays  float64        `json:"trailing_days"` // the pipeline baseline's trailing period
	Quarters      int            `json:"quarters"`      // windows simulated per origin
	Seed          uint64         `json:"seed"`
	DrawParams    bool           `json:"draw_params"` // parameters drawn from their posteriors
	Origins       []OriginResult `json:"origins"`
	Summary       Summary        `json:"summary"`
}

// OriginResult is the forecast made at one origin and what happened.
// Amounts are in Result.Currency. When Error is not empty the forecast
// failed and the forecast and score fields are 0; the baselines and the
// actual revenue are still set.
type OriginResult struct {
	Origin time.Time `json:"origin"` // the cut: what happened strictly before it is known
	End    time.Time `json:"end"`    // Origin + window: revenue won in [Origin, End) is compared
	Error  string    `json:"error,omitempty"`

	Mean float64 `json:"mean"` // forecast revenue in the window: mean of the simulated windows
	P10  float64 `json:"p10"`  // and its quantiles
	P25  float64 `json:"p25"`
	P50  float64 `json:"p50"`
	P75  float64 `json:"p75"`
	P90  float64 `json:"p90"`

	Actual      float64 `json:"actual"`       // revenue won in [Origin, End)
	ActualDeals int     `json:"actual_deals"` // deals won in [Origin, End)

	PIT  float64 `json:"pit"`  // share of simulated windows below Actual (ties half), in [0,1]
	CRPS float64 `json:"crps"` // continuous ranked probability score of the forecast, currency
	In50 bool    `json:"in50"` // P25 ≤ Actual ≤ P75
	In80 bool    `json:"in80"` // P10 ≤ Actual ≤ P90

	OpenDeals    int     `json:"open_deals"`    // opportunities open at the origin, in the cut
	OpenPipeline float64 `json:"open_pipeline"` // their amount as the model starts them (unknown amounts imputed)

	Baselines []BaselineForecast `json:"baselines"`
	// Warnings are calibration's caveats at this origin.
	Warnings []string `json:"warnings,omitempty"`

	// Revenue holds the simulated windows' revenue, sorted; Model is the
	// model calibrated at the origin. Neither is in the JSON form.
	Revenue []float64    `json:"-"`
	Model   *model.Model `json:"-"`
}

// BaselineForecast is a naive point forecast at one origin.
type BaselineForecast struct {
	Name     string  `json:"name"`     // BaselinePipeline or BaselinePersistence
	Forecast float64 `json:"forecast"` // revenue in the window, currency
	Error    float64 `json:"error"`    // Forecast − Actual; |Error| is its CRPS
}

// Summary scores the forecasts over the origins that did not fail. A
// score is NaN (null in JSON) when no origin succeeded.
type Summary struct {
	N      int `json:"n"`      // origins scored
	Failed int `json:"failed"` // origins whose forecast failed

	Covered50  int              `json:"covered50"`  // origins with P25 ≤ actual ≤ P75
	Covered80  int              `json:"covered80"`  // origins with P10 ≤ actual ≤ P90
	Coverage50 montecarlo.Float `json:"coverage50"` // Covered50/N, nominal 0.5
	Coverage80 montecarlo.Float `json:"coverage80"` // Covered80/N, nominal 0.8
	Above90    int              `json:"above90"`    // origins with actual > P90
	Below10    int              `json:"below10"`    // origins with actual < P10

	MeanCRPS   montecarlo.Float `json:"mean_crps"`   // currency
	MAE        montecarlo.Float `json:"mae"`         // mean |P50 − actual|, currency
	Bias       montecarlo.Float `json:"bias"`        // mean (Mean − actual), currency; negative: forecasts too low
	MeanActual montecarlo.Float `json:"mean_actual"` // mean actual revenue, currency, to scale the others
	MeanPIT    montecarlo.Float `json:"mean_pit"`    // 0.5 for unbiased forecasts

	Baselines []BaselineSummary `json:"baselines"`
}

// BaselineSummary scores a baseline over the same origins as Summary.
type BaselineSummary struct {
	Name string           `json:"name"`
	MAE  montecarlo.Float `json:"mae"`  // mean |forecast − actual|: its mean CRPS, currency
	Bias montecarlo.Float `json:"bias"` // mean (forecast − actual), currency
	// Skill is the forecast's CRPS skill against the baseline,
	// 1 − Summary.MeanCRPS/MAE: positive when the forecast is better, 1
	// for a perfect one.
	Skill montecarlo.Float `json:"skill"`
}

// Run backtests calibration and simulation on the export e: at each origin
// it cuts e (Cut), calibrates a model from the cut (calibrate.Calibrate
// with cfg.Calibrate and cfg.Base), simulates cfg.Quarters windows from it
// (montecarlo.Run, the open deals of the cut as the start state) and
// compares the revenue forecast with the revenue won in the window, beside
// the two baselines of BaselinePipeline and BaselinePersistence computed
// on the same cut.
//
// A failure at one origin (calibration refused, a panic in the engine) is
// recorded in that origin's Error and left out of the summary. Run returns
// an error only for a bad configuration or when ctx is cancelled. The
// results depend only on e, cfg and the origins themselves.
func Run(ctx context.Context, e *data.Export, cfg Config) (*Result, error) {
	if len(cfg.Origins) == 0 {
		return nil, errors.New("backtest: no origins")
	}
	if cfg.Base == nil {
		cfg.Base = model.Default()
	}
	if cfg.Quarters == 0 {
		cfg.Quarters = DefaultConfig.Quarters
	}
	if cfg.Trailing == 0 {
		cfg.Trailing = DefaultConfig.Trailing
	}
	week := 7 * 24 * time.Hour
	if cfg.Window == 0 {
		cfg.Window = time.Duration(cfg.Base.QuarterWeeks) * week
	}
	if cfg.Window <= 0 || cfg.Window%week != 0 {
		return nil, fmt.Errorf("backtest: window %v: want a positive whole number of weeks", cfg.Window)
	}
	if cfg.Quarters < 0 || cfg.Trailing < 0 {
		return nil, errors.New("backtest: negative quarters or trailing period")
	}
	res := &Result{SchemaVersion: SchemaVersion, Model: cfg.Base.Name, Currency: cfg.Base.Currency,
		WindowDays: cfg.Window.Hours() / 24, TrailingDays: cfg.Trailing.Hours() / 24,
		Quarters: cfg.Quarters, Seed: cfg.Seed, DrawParams: !cfg.FixedParams}
	for i, t := range cfg.Origins {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		o, err := runOrigin(ctx, e, t, cfg)
		if err != nil && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err != nil {
			o.Error = err.Error()
		}
		if o.Model != nil {
			res.Currency = o.Model.Currency
		}
		res.Origins = append(res.Origins, o)
		if cfg.Progress != nil {
			cfg.Progress(i + 1)
		}
	}
	res.Summary = summarize(res.Origins)
	return res, nil
}

// runOrigin forecasts the window at t. The returned OriginResult has its
// actual revenue and baselines even when the error is not nil.
func runOrigin(ctx context.Context, e *data.Export, t time.Time, cfg Config) (o OriginResult, err error) {
	o = OriginResult{Origin: t, End: t.Add(cfg.Window)}
	o.Actual, o.ActualDeals = WonIn(e, t, o.End)
	cut := Cut(e, t)
	o.Baselines = baselines(cut, t, cfg.Window, cfg.Trailing)
	for i := range o.Baselines {
		o.Baselines[i].Error = o.Baselines[i].Forecast - o.Actual
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	if !e.AsOf.IsZero() && e.AsOf.Before(o.End) {
		return o, fmt.Errorf("the window ends %s, after the export's as-of date %s: what happened in it is not known",
			o.End.Format(time.DateOnly), e.AsOf.Format(time.DateOnly))
	}
	ccfg := cfg.Calibrate
	ccfg.Base = cfg.Base
	r, err := calibrate.Calibrate(cut, ccfg)
	if r != nil {
		for _, w := range r.Warnings {
			o.Warnings = append(o.Warnings, w.Error())
		}
	}
	if err != nil {
		return o, err
	}
	m := r.Model.Clone()
	m.QuarterWeeks = int(cfg.Window / (7 * 24 * time.Hour))
	o.Model = m
	if m.Start != nil {
		for _, op := range m.Start.Opportunities {
			o.OpenDeals++
			o.OpenPipeline += op.Amount
		}
	}
	if err := simulable(m); err != nil {
		return o, err
	}
	seed := rand.New(rand.NewPCG(cfg.Seed, uint64(t.Unix()))).Uint64()
	sim, err := montecarlo.Run(ctx, m, montecarlo.Config{Quarters: cfg.Quarters, Seed: seed, Workers: cfg.Workers, DrawParams: !cfg.FixedParams})
	if err != nil {
		return o, err
	}
	rev := slices.Clone(sim.Revenue)
	slices.Sort(rev)
	o.Revenue = rev
	o.Mean = mean(rev)
	o.P10, o.P25, o.P50, o.P75, o.P90 = quantile(rev, 0.1), quantile(rev, 0.25), quantile(rev, 0.5), quantile(rev, 0.75), quantile(rev, 0.9)
	o.PIT = PIT(rev, o.Actual)
	o.CRPS = crpsSorted(rev, o.Actual)
	o.In50 = o.P25 <= o.Actual && o.Actual <= o.P75
	o.In80 = o.P10 <= o.Actual && o.Actual <= o.P90
	return o, nil
}

// maxDelayHours bounds the delays the engine is given: far beyond it the
// engine's clock arithmetic (hours as float64, reduced modulo a week)
// breaks down, and such a delay means a fit that diverged.
const maxDelayHours = 1e12

// simulable returns an error when a delay of m reaches, at the largest
// quantile the engine draws (1 − 2⁻⁵³), beyond maxDelayHours.
func simulable(m *model.Model) error {
	for _, t := range m.Transitions {
		q := t.Delay.Quantile(1 - 0x1p-53)
		if !(q*24 <= maxDelayHours) {
			return fmt.Errorf("the calibrated delay of %s->%s (%v, median %.3g days) reaches %.3g days at its 1−2⁻⁵³ quantile: a diverged fit, not simulated",
				t.From, t.To, t.Delay.Form, t.Delay.Quantile(0.5), q)
		}
	}
	return nil
}

// baselines returns the naive forecasts of the window [t, t+w) made from
// the cut c.
//
// Pipeline: p·A + R, with A the amount of the deals open at t (an amount
// of 0, unknown, counted as the mean amount of the deals won in the
// trailing period), p = won/(won + lost) of the deals closed in
// [t − trailing, t) (of all deals closed before t when none closed then; 0
// when none ever did), and R the revenue of deals both created and won in
// [t − w, t): the run rate of deals that open and close within a window,
// which the open pipeline cannot hold.
//
// Persistence: the revenue won in [t − w, t).
func baselines(c *data.Export, t time.Time, w, trailing time.Duration) []BaselineForecast {
	from := t.Add(-trailing)
	won, lost, wonAll, lostAll := 0, 0, 0, 0
	wonAmount, wonAllAmount := 0.0, 0.0
	for _, o := range c.Opportunities {
		switch o.Outcome {
		case data.OutcomeWon:
			wonAll++
			wonAllAmount += o.Amount
			if !o.ClosedAt.Before(from) {
				won++
				wonAmount += o.Amount
			}
		case data.OutcomeLost:
			lostAll++
			if !o.ClosedAt.Before(from) {
				lost++
			}
		}
	}
	if won+lost == 0 {
		won, lost, wonAmount = wonAll, lostAll, wonAllAmount
	}
	p, avg := 0.0, 0.0
	if won+lost > 0 {
		p = float64(won) / float64(won+lost)
	}
	if won > 0 {
		avg = wonAmount / float64(won)
	}
	open, runRate := 0.0, 0.0
	for _, o := range c.Opportunities {
		switch {
		case o.Outcome == data.OutcomeOpen && o.Amount > 0:
			open += o.Amount
		case o.Outcome == data.OutcomeOpen:
			open += avg
		case o.Outcome == data.OutcomeWon && !o.CreatedAt.IsZero() && !o.CreatedAt.Before(t.Add(-w)):
			runRate += o.Amount
		}
	}
	prev, _ := WonIn(c, t.Add(-w), t)
	return []BaselineForecast{
		{Name: BaselinePipeline, Forecast: p*open + runRate},
		{Name: BaselinePersistence, Forecast: prev},
	}
}

func summarize(os []OriginResult) Summary {
	var s Summary
	nan := montecarlo.Float(math.NaN())
	var crps, mae, bias, actual, pit float64
	type acc struct{ abs, err float64 }
	var base []acc
	var names []string
	for _, o := range os {
		if o.Error != "" {
			s.Failed++
			continue
		}
		s.N++
		if o.In50 {
			s.Covered50++
		}
		if o.In80 {
			s.Covered80++
		}
		if o.Actual > o.P90 {
			s.Above90++
		}
		if o.Actual < o.P10 {
			s.Below10++
		}
		crps += o.CRPS
		mae += math.Abs(o.P50 - o.Actual)
		bias += o.Mean - o.Actual
		actual += o.Actual
		pit += o.PIT
		if base == nil {
			base = make([]acc, len(o.Baselines))
			for _, b := range o.Baselines {
				names = append(names, b.Name)
			}
		}
		for i, b := range o.Baselines {
			base[i].abs += math.Abs(b.Error)
			base[i].err += b.Error
		}
	}
	if s.N == 0 {
		s.Coverage50, s.Coverage80, s.MeanCRPS, s.MAE, s.Bias, s.MeanActual, s.MeanPIT = nan, nan, nan, nan, nan, nan, nan
		return s
	}
	n := float64(s.N)
	s.Coverage50, s.Coverage80 = montecarlo.Float(float64(s.Covered50)/n), montecarlo.Float(float64(s.Covered80)/n)
	s.MeanCRPS, s.MAE, s.Bias = montecarlo.Float(crps/n), montecarlo.Float(mae/n), montecarlo.Float(bias/n)
	s.MeanActual, s.MeanPIT = montecarlo.Float(actual/n), montecarlo.Float(pit/n)
	for i, b := range base {
		bs := BaselineSummary{Name: names[i], MAE: montecarlo.Float(b.abs / n), Bias: montecarlo.Float(b.err / n), Skill: nan}
		if b.abs > 0 {
			bs.Skill = montecarlo.Float(1 - crps/b.abs)
		}
		s.Baselines = append(s.Baselines, bs)
	}
	return s
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}
