package whatif

import (
	"context"
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
)

func TestWorksheetArithmetic(t *testing.T) {
	q := Rates{Currency: "USD", MQLStage: "mql", SALStage: "sal", OppStage: "opportunity",
		AvgDeal: 35000, WinRate: 0.25, SALToOpp: 0.64, DirectSALs: 250, MQLToSAL: 0.125, ContactRate: 0.3, NewLeads: 30000, LeadToMQL: 0.2}
	got := Worksheet(7e6, q)
	// By hand: 7,000,000/35,000 = 200 deals; /0.25 = 800 opportunities;
	// /0.64 = 1,250 SALs; −250 = 1,000 from MQLs; /0.125 = 8,000 MQLs;
	// /0.2 = 40,000 leads.
	want := []float64{7e6, 200, 800, 1250, 1000, 8000, 40000}
	if len(got) != len(want) {
		t.Fatalf("%d lines, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Value != w {
			t.Errorf("%s = %v, want %v exactly", got[i].Label, got[i].Value, w)
		}
	}
	// Sales' own SALs exceeding the need leave nothing for marketing.
	q.DirectSALs = 5000
	if v := Worksheet(7e6, q)[5].Value; v != 0 {
		t.Errorf("MQLs with outbound covering everything = %v, want 0", v)
	}
}

func TestMeasureRatesMatchReport(t *testing.T) {
	m := model.Default()
	res := runModel(t, m, 40, 3)
	q, err := MeasureRates(m, res)
	if err != nil {
		t.Fatal(err)
	}
	rep := montecarlo.NewReport(m, res)
	if d := q.MQLs - float64(rep.MQLs.Mean); math.Abs(d) > 1e-9 {
		t.Errorf("MQLs %v, report %v", q.MQLs, rep.MQLs.Mean)
	}
	if d := q.ContactRate - float64(rep.ContactRate); math.Abs(d) > 1e-12 {
		t.Errorf("contact rate %v, report %v", q.ContactRate, rep.ContactRate)
	}
	// Outbound leads enter at sal: 22 a week for 13 weeks, Poisson (4 SE).
	if want, se := 22.0*13, math.Sqrt(22*13/40.0); math.Abs(q.DirectSALs-want) > 4*se {
		t.Errorf("direct SALs %v, want %v ± %v", q.DirectSALs, want, 4*se)
	}
	// The worksheet at today's revenue gives back today's MQLs, up to the
	// gap between revenue/avg deal and deals (none: same sums) and the
	// steady-state identity opportunities·win rate = deals.
	sheet := Worksheet(float64(rep.Revenue.Mean), q)
	if d := sheet[5].Value/q.MQLs - 1; math.Abs(d) > 1e-9 {
		t.Errorf("worksheet at today's revenue gives %v MQLs, today %v", sheet[5].Value, q.MQLs)
	}
}

// TestSolveHitsGoal feeds the plan's answer back into a forecast with
// another seed: P(revenue ≥ goal) must equal the probability asked within
// Monte Carlo error, 4 SE of the difference of two binomial shares (the
// plan's, at its n, and the check's) plus the bisection's tolerance
// converted through the local slope (at most Tol·scale·slope).
func TestSolveHitsGoal(t *testing.T) {
	n, nCheck := 120, 240
	if testing.Short() {
		n, nCheck = 60, 120
	}
	m := model.Default()
	plan, err := Solve(context.Background(), m, SolveConfig{Prob: 0.8, Quarters: n, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	res := runModel(t, ScaleMarketing(m, plan.Scale), nCheck, 1234)
	p, _ := montecarlo.ProbAtLeast(res.Period(res.Revenue, 0), m.Quota)
	se := math.Sqrt(0.8 * 0.2 * (1/float64(n) + 1/float64(nCheck)))
	slope := 1.0 // P per unit of scale near the answer, measured ≈ 1 on the default model
	tol := 4*se + DefaultSolveConfig.Tol*plan.Scale*slope
	t.Logf("scale %.3f (%.3f to %.3f), MQLs %.0f; check P = %.3f (n=%d), tolerance ±%.3f; points %v", plan.Scale, plan.ScaleLo, plan.ScaleHi, plan.MQLs, p, nCheck, tol, plan.Points)
	if math.Abs(p-0.8) > tol {
		t.Errorf("P(revenue ≥ quota) at the plan's scale = %.3f, want 0.8 ± %.3f", p, tol)
	}
	if !(plan.ScaleLo < plan.Scale && plan.Scale < plan.ScaleHi) {
		t.Errorf("scale interval [%v, %v] does not contain %v", plan.ScaleLo, plan.ScaleHi, plan.Scale)
	}
}

func TestScoreModel(t *testing.T) {
	s := DefaultScoreModel
	if v := s.Volume(s.Base); v != 1 {
		t.Errorf("Volume(base) = %v, want 1", v)
	}
	// Logistic tail: P(S ≥ 70)/P(S ≥ 60) = (1+e)/(1+e²).
	if v, want := s.Volume(70), (1+math.E)/(1+math.E*math.E); math.Abs(v-want) > 1e-12 {
		t.Errorf("Volume(70) = %v, want %v", v, want)
	}
	if q := s.Quality(s.Base, 0.6); math.Abs(q-1) > 1e-6 {
		t.Errorf("Quality(base) = %v, want 1", q)
	}
	if q50, q70 := s.Quality(50, 0.6), s.Quality(70, 0.6); !(q50 < 1 && q70 > 1) {
		t.Errorf("Quality(50) = %v, Quality(70) = %v: want below and above 1", q50, q70)
	}
	m, eff, err := s.Apply(model.Default(), 70)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, tr := range m.Transitions {
		if tr.From == "mql" {
			sum += tr.P
		}
	}
	if math.Abs(sum-1) > 1e-12 || eff.IntoP != 0.35*eff.Volume || math.Abs(eff.QualifyP-0.6*eff.Quality) > 1e-12 {
		t.Errorf("Apply(70): mql exits sum to %v, effect %+v", sum, eff)
	}
}
