// Package calibrate holds the statistical estimators that turn observed funnel
// events into model parameters. Every function works on plain slices and
// returns plain result structs: there is no I/O and no dependency on the model
// package, so each estimator can be tested against known answers.
//
// The estimators, by file:
//
//   - survival.go: Kaplan-Meier survival for right-censored times in stage,
//     with Greenwood variance and log-log confidence intervals.
//   - competing.go: Aalen-Johansen cumulative incidence for competing outcomes
//     (won vs lost vs still open), with delta-method variance. The eventual
//     probabilities CIF_j(∞) are the last values of the curves; the remainder
//     1 - Σ_j CIF_j is the "never converts" (cure) fraction plus what is still
//     unresolved at the end of follow-up.
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
