package model_test

import (
	"fmt"

	"github.com/funnelsim/funnel/model"
)

// A company whose fiscal year starts in February forecasts the quarter
// from November 1: Q4 of the fiscal year that ends in January.
func ExampleModel_Calendar() {
	m := model.Default()
	m.FiscalYearStart = 2
	start, _ := model.ParseDate("2025-11-01")
	for _, p := range m.Calendar(start, 3) {
		fmt.Println(p)
	}
	// Output:
	// Q4 FY2026, Nov 1, 2025 - Jan 31, 2026
	// Q1 FY2027, Feb 1 - Apr 30, 2026
	// Q2 FY2027, May 1 - Jul 31, 2026
}
