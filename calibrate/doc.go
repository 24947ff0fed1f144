// Package calibrate turns a CRM export (package data) into a funnel model
// (package model): Calibrate fits every parameter with a 95% interval and
// its number of observations. The estimators underneath work on plain
// slices and return plain result structs, with no I/O, so each can be
// tested against known answers.
//
// Calibrate, by file:
//
//   - observe.go: Observations extracts each lead's stays in stages as
//     competing-risks observations (the next stage is the cause; open stays
//     are censored at the as-of date), and each MQL's response time. On the
//     handoff stage the clock starts at the first touch and only contacted
//     leads count, as the model's transitions there are conditional on
//     contact. Stays of leads that used up their recycles are left out.
//   - calibrate.go: transition probabilities are Aalen-Johansen CIF(∞)
//     with log-log intervals (a lower bound when follow-up is shorter than
//     the slowest exits); delays are fitted per edge on the leads seen
//     taking it, by the right-truncated likelihood of truncated.go (each
//     delay was observable only up to its lead's follow-up), family by
//     AIC; the decay curve by Bernoulli MLE on response times.
//   - funnel.go: arrivals (weekly rate, 7x24 profile, quarter-to-quarter
//     negative binomial overdispersion), deal sizes (lognormal MLE, or
//     empirical when Kolmogorov-Smirnov rejects it), the SDR team, and the
//     start state (open leads by stage, source and age band; open deals).
//   - active.go: each stage's active flag (entered at the lead's next
//     active moment, by its source's weekday-by-hour profile, or when the
//     delay ends), by the likelihood ratio of the entries' times given the
//     clocks their delays started from; the base model's flag is kept when
//     the evidence is weak. The quota is not estimated: a target is not in
//     the data (sim calibrate takes --quota).
//   - dates.go: times recorded as dates only. A set of times (a stage's
//     entries, a source's creation times, the activities) is dates only
//     when at least 99% of them fall exactly at midnight in UTC or the
//     model's zone (datesOnly). Delays with a date-only end are fitted by
//     their likelihood at day resolution (DayEnds: the time of day of a
//     date is unknown, uniform over the day, so a same-day move is a
//     delay in [0, 1) day, not a delay of 0); such stages are not tested
//     for activity; such sources' profiles keep the weekdays of the data
//     and spread each day over its 24 hours; response times and SDR hours
//     are not fitted from dates. Each is said in a warning.
//

// The estimators, by file:
//
//   - survival.go: Kaplan-Meier survival for right-censored times in stage,
//     with Greenwood variance and log-log confidence intervals.
//   - competing.go: Aalen-Johansen cumulative incidence for competing outcomes
//     (won vs lost vs still open), with delta-method variance. The eventual
//     probabilities CIF_j(∞) are the last values of the curves; the remainder
//     1 - Σ_j CIF_j is the "never converts" (cure) fraction plus what is still
//     unresolved at the end of follow-up. Both take delayed entries (left
//     truncation: Obs.Entry, CRObs.Entry; risk set Entry ≤ t ≤ T).
//     Events at or before time 0: an outcome dated at its stage entry is a
//     delay of 0, an event at time 0 in the risk set of every stay (R's
//     survfit counts events at 0 the same way); one dated before its lead's
//     creation is rejected or dated at the creation, and counted, by the
//     export readers, so it reaches the estimators as a delay of 0. Both
//     equal R's survival package to 1e-9 (TestSurvivalReference,
//     testdata/survival_reference.R and its golden output).
//   - lefttrunc.go: stages whose records begin late (an export starting at
//     a migration) detected and warned about; Config.LeftTruncation fits
//     them with delayed entry.
//   - drift.go: the between-cohort overdispersion of a stage's conversions
//     within a quarter (beta-binomial intra-cohort correlation, one-way
//     ANOVA estimator and F test); Config.CohortDrift caps the stage's
//     Observations at its concentration.
//   - parametric.go: censored maximum likelihood for exponential, lognormal,
//     Weibull and gamma delay distributions, with standard errors from the
//     observed information and selection by AIC.
//   - rates.go: Beta posteriors for conversion rates and empirical-Bayes
//     partial pooling of small segments (beta-binomial marginal likelihood).
//   - decay.go: Bernoulli maximum likelihood for the response-time decay of
//     contact probability, P(t) = c0·m(t), exponential-to-floor or Hill.
//   - arrivals.go: weekly arrival rate, weekday-by-hour profile, linear trend,
//     and a Poisson vs negative binomial overdispersion test.
//
// Conventions: times are in the unit of the caller's data (days for stage
// times, minutes for response times, hours for arrivals, as documented on
// each function); probabilities are in [0,1]; 95% intervals use the normal
// quantile z = 1.959963984540054. Bad data returns an error; programmer error
// (for example a negative cause count) panics with the prefix "calibrate: ".
// Statistical caveats are reported in Warnings fields.
package calibrate
