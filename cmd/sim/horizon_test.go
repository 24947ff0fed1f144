package main

import (
	"context"
	"testing"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

func TestHorizonChart(t *testing.T) {
	m := model.Default()
	res, err := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: 8, Horizon: 3, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if p := horizonChart(m, montecarlo.NewReport(m, res)); p == nil {
		t.Error("no fan chart for a 3-quarter horizon")
	}
	res1, _ := montecarlo.Run(context.Background(), m, montecarlo.Config{Quarters: 4, Seed: 1})
	if p := horizonChart(m, montecarlo.NewReport(m, res1)); p != nil {
		t.Error("fan chart for a single quarter")
	}
}
