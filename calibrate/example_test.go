package calibrate_test

import (
	"fmt"

	"github.com/funnelsim/funnel/calibrate"
)

// Days from MQL to opportunity for ten leads; Event=false means the lead is
// still open (censored) when the data were exported.
func ExampleKaplanMeier() {
	obs := []calibrate.Obs{
		{T: 1, Event: true}, {T: 2, Event: true}, {T: 2, Event: true},
		{T: 2, Event: false}, {T: 3, Event: false}, {T: 4, Event: true},
		{T: 5, Event: false}, {T: 5, Event: true}, {T: 6, Event: false},
		{T: 7, Event: true},
	}
	s := calibrate.KaplanMeier(obs)
	for i, t := range s.Time {
		fmt.Printf("t=%g n=%2d d=%d S=%.3f 95%% CI [%.3f, %.3f]\n",
			t, s.AtRisk[i], s.Events[i], s.S[i], s.Lower[i], s.Upper[i])
	}
	fmt.Printf("median %g days (n=%d, %d events)\n", s.Median(), s.N, s.NEvents)
	// Output:
	// t=1 n=10 d=1 S=0.900 95% CI [0.473, 0.985]
	// t=2 n= 9 d=2 S=0.700 95% CI [0.329, 0.892]
	// t=4 n= 5 d=1 S=0.560 95% CI [0.197, 0.813]
	// t=5 n= 4 d=1 S=0.420 95% CI [0.107, 0.715]
	// t=7 n= 1 d=1 S=0.000 95% CI [0.000, 0.000]
	// median 5 days (n=10, 6 events)
}

// Ten opportunities: cause 1 = won, 2 = lost, 0 = still open (days since
// creation).
func ExampleAalenJohansen() {
	obs := []calibrate.CRObs{
		{T: 7, Cause: 1}, {T: 2, Cause: 2}, {T: 1, Cause: 1}, {T: 2, Cause: 0},
		{T: 2, Cause: 1}, {T: 3, Cause: 2}, {T: 4, Cause: 0}, {T: 5, Cause: 1},
		{T: 5, Cause: 2}, {T: 6, Cause: 0},
	}
	c := calibrate.AalenJohansen(obs, 2)
	won, seWon := c.Eventual(1)
	lost, seLost := c.Eventual(2)
	fmt.Printf("won  %.2f ± %.2f\nlost %.2f ± %.2f (n=%d)\n", won, seWon, lost, seLost, c.N)
	fmt.Printf("won by day 3: %.2f\n", c.At(1, 3))
	// Output:
	// won  0.64 ± 0.17
	// lost 0.36 ± 0.17 (n=10)
	// won by day 3: 0.20
}
