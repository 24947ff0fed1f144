package stats

import (
	"math"
	"slices"
)

// CoverageNeeded returns the pipeline coverage a funnel needs to reach its
// target in a share p of quarters: the type-7 p-quantile (Quantile) over
// quarters i of open[i] ÷ revenue[i], the pipeline open at quarter start
// over the revenue the quarter made, +Inf for a quarter without revenue
// (revenue[i] ≤ 0 or NaN). If revenue scaled with the opening pipeline,
// opening a quarter with that coverage of the target would reach it in a
// share p of quarters; the rules of thumb (3x, 4x) assume a win rate
// instead of this funnel's own.
//
// It returns NaN when there are no quarters, +Inf when too few quarters
// have revenue, and panics if the lengths differ or p is outside [0,1].
// open must not hold NaN.
func CoverageNeeded(open, revenue []float64, p float64) float64 {
	if len(open) != len(revenue) {
		panic("stats: CoverageNeeded: open and revenue differ in length")
	}
	ratio := make([]float64, len(open))
	for i := range ratio {
		ratio[i] = math.Inf(1)
		if revenue[i] > 0 {
			ratio[i] = open[i] / revenue[i]
		}
	}
	slices.Sort(ratio)
	return Quantile(p, ratio)
}
