// Package stats holds the small statistics shared by the simulator, the
// what-if analyses, the backtests and the charts, so that each is written,
// and its edge cases decided, once:
//
//   - Quantile and QuantileSelect: the type-7 sample quantile (Hyndman and
//     Fan's definition 7, the default of R and NumPy), from sorted values
//     or by selection in expected linear time; Select, the k-th order
//     statistic.
//   - ClopperPearson: the exact two-sided interval of a binomial
//     probability.
//   - Z95 and its kin: two-sided quantiles of the standard normal.
//   - CoverageNeeded: the pipeline coverage a funnel needs to reach a
//     target in a given share of quarters.
//   - Float: a float64 whose JSON form is null for NaN and ±Inf.
//
// Missing values are NaN throughout, and the functions say what they do
// with them; none of them uses randomness or does I/O. Programmer error
// (a probability outside [0,1], an index out of range) panics with the
// prefix "stats: ".
package stats
