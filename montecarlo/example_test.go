package montecarlo_test

import (
	"context"
	"fmt"
	"math"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// ExampleRun forecasts the default funnel over 200 simulated quarters and
// prints the mean revenue with its standard error, rounded to the $0.1M
// the sample supports, and the deals won a quarter.
func ExampleRun() {
	m := model.Default()
	r, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: 200, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	rev := montecarlo.Summarize(r.Revenue)
	won := montecarlo.Summarize(r.Won)
	fmt.Printf("revenue a quarter: $%.1fM ± %.1fM (n=%d)\n", rev.Mean/1e6, math.Ceil(float64(rev.SE)/1e5)/10, rev.N)
	fmt.Printf("deals won a quarter: %.0f ± %.0f\n", float64(won.Mean), math.Ceil(float64(won.SE)))
	// Output:
	// revenue a quarter: $10.0M ± 0.1M (n=200)
	// deals won a quarter: 299 ± 2
}
