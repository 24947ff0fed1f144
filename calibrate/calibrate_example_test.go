package calibrate_test

import (
	"fmt"
	"os"
	"strings"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
)

// ExampleCalibrate fits the default model's structure to the sample export
// in data/sample (a year of a funnel a tenth of the default's size) and
// prints a few estimates with their 95% intervals and the observations
// they rest on.
func ExampleCalibrate() {
	e, err := data.ReadExport(os.DirFS("../data/sample"), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := calibrate.Calibrate(e, calibrate.Config{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range res.Params {
		if p.Path == "sources[web].rate_per_week" || strings.HasPrefix(p.Path, "transitions[mql->") && strings.HasSuffix(p.Path, ".p") {
			fmt.Printf("%-36s %.3g (95%% %.3g to %.3g, n=%d)\n", p.Path, p.Estimate, p.Lower, p.Upper, p.N)
		}
	}
	// Output:
	// transitions[mql->tql].p              0.609 (95% 0.574 to 0.642, n=791)
	// transitions[mql->disqualified].p     0.391 (95% 0.357 to 0.425, n=791)
	// sources[web].rate_per_week           195 (95% 186 to 204, n=10791)
}
