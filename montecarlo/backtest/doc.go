// Package backtest measures how well calibrated forecasts of a funnel
// would have done on an export's own history: a rolling-origin backtest.
//
// At each origin t, Cut rebuilds the export as it looked at t (rows created
// later do not exist, outcomes and stage events after t are unknown, so
// those deals and leads are open), calibrate.Calibrate fits a model from
// it, montecarlo.Run simulates the window after t from the deals open at
// t, and the simulated revenue is compared with the revenue actually won
// in the window: the quantiles, the probability integral transform (PIT)
// and the continuous ranked probability score (CRPS). Over the origins
// Summary gives the coverage of the 50% and 80% central intervals, the mean
// CRPS and the bias, and scores two naive point forecasts on the same cuts
// (the stage-weighted pipeline and persistence) for the skill against
// them.
//
// Run is deterministic: its results depend on the export, the
// configuration and the origins only, not on the number of workers.
// Origins are independent (each origin's seed derives from Config.Seed and
// the origin's time), so consecutive origins' windows overlap and their
// scores are correlated; coverage over a handful of origins tells little
// (see BinomialBand).
package backtest
