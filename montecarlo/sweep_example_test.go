package montecarlo_test

import (
	"context"
	"fmt"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

// ExampleRunSweep simulates the default funnel with 4, 6 and 8 SDRs. The
// models differ only in their SDR queue, so RunSweep simulates what comes
// before it once for all three; each result is the one Run gives that
// model with the same seed.
func ExampleRunSweep() {
	var ms []*model.Model
	for _, n := range []int{4, 6, 8} {
		m := model.Default()
		m.Handoff.SDR.Headcount = n
		ms = append(ms, m)
	}
	rs, err := montecarlo.RunSweep(context.Background(), ms, montecarlo.Config{Quarters: 40, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, r := range rs {
		p50 := montecarlo.Summarize(r.RespP50)
		contacted := montecarlo.Summarize(r.Contacted)
		fmt.Printf("%d SDRs: median response %.0f min, %.1fK MQLs contacted a quarter\n", ms[i].Handoff.SDR.Headcount, float64(p50.Mean), float64(contacted.Mean)/1e3)
	}
	// Output:
	// 4 SDRs: median response 74 min, 3.1K MQLs contacted a quarter
	// 6 SDRs: median response 19 min, 3.4K MQLs contacted a quarter
	// 8 SDRs: median response 2 min, 3.5K MQLs contacted a quarter
}
