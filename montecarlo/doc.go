// Package montecarlo simulates a funnel model quarter by quarter, lead by
// lead, in continuous time.
//
// Run simulates independent quarters in parallel. Each quarter starts from
// the model's starting state, or from the funnel's steady state (the leads
// in flight drawn from their law, computed once per model; see
// stationary.go), or from a warm-up the model asks for, and then runs its
// leads through the
// taxonomy: arrivals from each source (Poisson, or negative binomial with a
// gamma-mixed rate, shaped by a weekday-by-hour profile), transitions with
// their delays, the SDR queue at the handoff stage (first come, first
// served, in the team's working hours), contact with the probability the
// response-time decay curve gives, and opportunities with their amounts and
// closes. Revenue is the amount of deals closed-won inside the quarter.
//
// Reproducibility: every lead draws from its own random stream, derived
// from (seed, quarter, source, block, lead), so results are the same for
// any number of workers, and two scenarios that differ in one lever see the
// same random numbers for the leads the lever does not touch (common random
// numbers).
//
// RunSweep simulates several models with one configuration and returns
// exactly what Run returns for each. Models that differ only in their SDR
// queue (headcount, hours, handling time, contact and decay, first-touch
// SLAs) walk every lead alike up to its first handoff, so each quarter's
// part before the queue is simulated once for all of them.
//
// Exactness: leads that never leave their entry stage are counted with one
// Poisson draw instead of being walked one by one. By the thinning property
// of the Poisson process this changes no distribution. In a funnel without
// an SDR queue no lead waits for another, and whole quarters are drawn
// from the Poisson counts of leads by path and period (marks.go) instead.
//
// # Which strategy a model runs
//
// A run has an opening (what is in the funnel when the first measured
// quarter starts) and a method (how the quarters are simulated). prepare
// (sweep.go) chooses both once per model, and they do not change the
// distribution of the results, only the time it takes. In order:
//
//  1. The model has a start state (model.Model.Start, what a calibration
//     saw open on its as-of date): opening "start", its leads and deals
//     placed as given, their ages aged on; method "walk". A state dated
//     before the forecast (start.date before forecast_start) walks the
//     days between first, arrivals included, counted in no quarter (the
//     lead-in, model.Model.LeadInDays).
//  2. Parameters are drawn per run (Config.DrawParams; calibrated models
//     by default), or the model asks for warmup_days, or a stage after the
//     opportunity can hold a lead forever (it recycles, hands off to the
//     SDRs, or keeps a share of its leads): opening "warm-up", a simulated
//     past of warmup_days (or model.Model.WarmupDaysNeeded) walked lead by
//     lead before the measured quarters; method "walk". A steady state
//     computed once cannot follow parameters that change every run, nor a
//     pipeline that grows without bound.
//  3. Otherwise the opening is "stationary": the leads in flight are drawn
//     from the funnel's steady state, computed once per model
//     (stationary.go). The method is "marks" when no lead waits for
//     another (no SDR handoff, no SLAs, no active stages; compiled.markable)
//     and the marks' past is finite (maxMarkDays) and costs less to
//     prepare than walking 10,000 runs (marksWork): whole quarters are
//     then drawn as Poisson counts of leads by path and period. Else
//     "walk": the last week before the quarter and the quarter itself are
//     walked lead by lead, queue included.
//
// So the embedded default model (an SDR queue, SLAs, active stages) opens
// stationary and walks; the same model with parameter uncertainty walks a
// warm-up; a calibrated opportunities-only model with a start state walks
// from its start; a plain five-stage funnel opens stationary and draws
// marks. A Tracer forces the walk.
package montecarlo
