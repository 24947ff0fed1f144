package model_test

import (
	"fmt"
	"strings"

	"github.com/funnelsim/funnel/model"
)

// ExampleParse reads a model and shows how a bad value is reported: by
// the path of the field. A scenario changes the default model by name.
func ExampleParse() {
	_, err := model.Parse(strings.NewReader("name: tiny\nquota: -5\n"))
	fmt.Println(err)

	sc, err := model.EmbeddedScenario("two-more-sdrs")
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := sc.Apply(model.Default())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d SDRs, quota %.1fM %s\n", m.Name, m.Handoff.SDR.Headcount, m.Quota/1e6, m.Currency)
	// Output:
	// invalid model:
	// currency: got "", want an ISO 4217 code such as USD
	// quarter_weeks: got 0, want a number of weeks in [1,53]
	// quota: got -5, want a non-negative amount
	// stages: got "[]", want at least one stage
	// sources: got "[]", want at least one lead source
	// default: 8 SDRs, quota 9.5M USD
}
