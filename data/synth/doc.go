// Package synth writes synthetic CRM exports: Generate simulates quarters
// of a funnel model (montecarlo.Trace) and returns the canonical export
// (data.Export) a company running that funnel would hold, with a known
// truth to test importers, calibration and backtests against.
//
// It sits above both data and montecarlo, so that the CSV readers and the
// estimators (packages data and calibrate) do not depend on the
// simulator. The same model, configuration and seed give the same export,
// byte for byte once written (data.WriteExport); data/sample was made so.
package synth
