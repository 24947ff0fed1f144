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
package montecarlo
