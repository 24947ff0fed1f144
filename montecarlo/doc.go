// Package montecarlo simulates a funnel model quarter by quarter, lead by
// lead, in continuous time.
//
// Run simulates independent quarters in parallel. Each quarter starts from
// the model's starting state, or from a warm-up long enough for the open
// pipeline to reach its steady state, and then runs its leads through the
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
// Exactness: leads that never leave their entry stage are counted with one
// Poisson draw instead of being walked one by one. By the thinning property
// of the Poisson process this changes no distribution.
package montecarlo
