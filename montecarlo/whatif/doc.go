// Package whatif answers the questions a revenue team asks of a funnel
// model beyond "what will this quarter bring": what does a change buy
// (Compare, paired over common random numbers), how many SDRs and which
// hours does a response-time promise need (the SLA sweep: DesignPolicies
// lays out the policies, MeasurePolicy reads each one's simulation against
// ComplianceColumns, first-touch targets kept as minutes, SearchHeadcount
// answers the inverse question; and the Erlang C queue formulas to check
// the simulated queue against, with ErlangCaveats), what
// does a stricter MQL score threshold trade (ScoreModel), and how many
// MQLs a quarter does a revenue goal need (Worksheet, the classic
// backwards funnel math, and Solve, its simulated counterpart with a
// chance of success).
//
// It builds on package montecarlo and, like it, knows nothing about files
// or charts: the functions that simulate take a montecarlo.Config or a
// function that simulates, and the JSON forms of the answers (CompareResult,
// PlanResult, SLAResult) carry a SchemaVersion.
//
// Common random numbers: montecarlo.Run draws each lead from its own
// stream keyed by (seed, quarter, source, block, lead index), so two
// models run with the same seed see the same arrivals, delays and
// conversions for every lead a lever does not touch. The difference
// between two such runs, quarter by quarter, has far less variance than
// the difference between independent runs; Compare reports both intervals
// so the gain is visible.
package whatif
