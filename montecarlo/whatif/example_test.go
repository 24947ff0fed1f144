package whatif_test

import (
	"context"
	"fmt"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"github.com/funnelsim/funnel/montecarlo/whatif"
)

// ExampleCompare simulates the default funnel and the same funnel with two
// more SDRs on the same seed (common random numbers), and prints the
// revenue difference with its paired 95% interval beside the unpaired one
// two independent simulations would give: pairing narrows it.
func ExampleCompare() {
	base := model.Default()
	alt, err := whatif.WithSDR(base, base.Handoff.SDR.Headcount+2, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	cfg := montecarlo.Config{Quarters: 100, Seed: 1}
	rs, err := montecarlo.RunSweep(context.Background(), []*model.Model{base, alt}, cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range whatif.Compare(base, rs[0], alt, rs[1]) {
		if d.Metric == "revenue" {
			fmt.Printf("revenue: %+.2fM a quarter, paired ± %.2fM, unpaired ± %.2fM (n=%d)\n", d.Delta/1e6, d.HalfPaired/1e6, d.HalfUnpaired/1e6, d.N)
			fmt.Println("paired interval narrower:", d.HalfPaired < d.HalfUnpaired)
		}
	}
	// Output:
	// revenue: +0.29M a quarter, paired ± 0.03M, unpaired ± 0.28M (n=100)
	// paired interval narrower: true
}

// ExampleDesignPolicies lists the response policies an SLA sweep of the
// default model simulates, one lever at a time around the base.
func ExampleDesignPolicies() {
	always, _ := whatif.CoverageNamed("24x7")
	pols, err := whatif.DesignPolicies(model.Default(), whatif.PolicyDesign{
		Headcounts:   []int{4, 8},
		Coverages:    []whatif.Coverage{always},
		Thresholds:   []float64{70},
		TouchMinutes: []float64{5, 60},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range pols {
		fmt.Printf("%-12s lever %-9s %s, %s hours, threshold %g\n", p.Name, p.Lever, whatif.SDRs(p.Headcount), p.Hours, p.Threshold)
	}
	// Output:
	// base         lever base      6 SDRs, extended hours, threshold 60
	// 4 SDRs       lever headcount 4 SDRs, extended hours, threshold 60
	// 8 SDRs       lever headcount 8 SDRs, extended hours, threshold 60
	// 24x7         lever hours     6 SDRs, 24x7 hours, threshold 60
	// threshold 70 lever threshold 6 SDRs, extended hours, threshold 70
}

// ExampleWorksheet works a revenue goal of $9.5M a quarter back through
// the default funnel's rates, measured on a simulation of it: the classic
// backwards math, which Solve then checks by simulating scaled arrivals
// (sim plan does both).
func ExampleWorksheet() {
	m := model.Default()
	r, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: 20, Seed: 3})
	if err != nil {
		fmt.Println(err)
		return
	}
	q, err := whatif.MeasureRates(m, r)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range whatif.Worksheet(9.5e6, q) {
		fmt.Printf("%-18s %8.0f\n", l.Label, l.Value)
	}
	// Output:
	// revenue goal        9500000
	// deals won               282
	// opportunities          1038
	// sals                   1595
	// sals from mqls         1316
	// mqls                   6148
	// new inbound leads     27871
}
