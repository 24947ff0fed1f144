package whatif

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/montecarlo"
	"gonum.org/v1/gonum/stat/distuv"
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
	// The interval agrees with the scales tried: one below 0.8 beyond its
	// 95% bounds lies below it, one above lies above it.
	for _, p := range plan.Points {
		if p.PHi < 0.8 && p.Scale > plan.ScaleLo || p.PLo > 0.8 && p.Scale < plan.ScaleHi {
			t.Errorf("scale interval [%.3f, %.3f] contains %.3f, where P = %.3f (95%% %.3f to %.3f) excludes 0.8", plan.ScaleLo, plan.ScaleHi, p.Scale, p.P, p.PLo, p.PHi)
		}
	}
	if !(plan.MQLsLo < plan.MQLs && plan.MQLs < plan.MQLsHi) {
		t.Errorf("MQLs interval [%v, %v] does not contain %v", plan.MQLsLo, plan.MQLsHi, plan.MQLs)
	}
	if len(plan.Warnings) > 0 {
		t.Errorf("warnings: %v", plan.Warnings)
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

func TestScaleInterval(t *testing.T) {
	pt := func(s, lo, hi float64) Point {
		return Point{Scale: s, P: (lo + hi) / 2, PLo: lo, PHi: hi, MQLs: 1000 * s}
	}
	inf := math.Inf(1)
	// Expected ends by hand (Python): a + (logit(0.8) − logit(ya)) /
	// (logit(yb) − logit(ya)) · (b − a).
	for _, tt := range []struct {
		name   string
		pts    []Point
		lo, hi float64
		warn   bool
	}{
		// Below at 1 (PHi 0.70), undecided at 1.1 (0.75 to 0.85), above at
		// 1.2 (PLo 0.82): lo between 1 and 1.1, hi between 1.1 and 1.2.
		{"interpolated", []Point{pt(1.2, 0.82, 0.9), pt(1, 0.6, 0.7), pt(1.1, 0.75, 0.85)}, 1.0607454705189177, 1.1688670890003348, false},
		// The default model's scan at 500 quarters: 1.000 → 64.2% is
		// below 80% beyond its bounds, so the interval starts above 1.
		{"defaults", []Point{pt(1, 0.5988, 0.6834), pt(2, 0.9926, 1), pt(1.0625, 0.7431, 0.8170), pt(1.09375, 0.8074, 0.8746)},
			1.0530517403451833, 1.0897993796950756, false},
		{"no point below", []Point{pt(1, 0.7, 0.9), pt(2, 0.85, 1)}, 0, 1.6074547051891759, false},
		{"no point above", []Point{pt(1, 0.5, 0.7), pt(2, 0.7, 0.9)}, 1.399278341531664, inf, false},
		{"only undecided", []Point{pt(1, 0.7, 0.9)}, 0, inf, false},
		{"adjacent", []Point{pt(1, 0.6, 0.7), pt(2, 0.9, 0.95)}, 1.2570148932306673, 1.5474112289381665, false},
		{"upper bound 1 after the last below", []Point{pt(1, 0.6, 0.7), pt(2, 0.9, 1)}, 1, 1.5474112289381665, false},
		{"lower bound 0 before the first above", []Point{pt(1, 0, 0.9), pt(2, 0.9, 1)}, 0, 2, false},
		{"not monotone", []Point{pt(1, 0.85, 0.95), pt(1.5, 0.6, 0.7), pt(2, 0.9, 1)}, 1, 1.5, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lo, hi, warn := ScaleInterval(tt.pts, 0.8)
			if math.Abs(lo-tt.lo) > 1e-12 || !(hi == tt.hi || math.Abs(hi-tt.hi) <= 1e-12) || (warn != nil) != tt.warn {
				t.Errorf("ScaleInterval = %v, %v, %v; want %v, %v, warning %v", lo, hi, warn, tt.lo, tt.hi, tt.warn)
			}
		})
	}
}

func TestMQLsAt(t *testing.T) {
	pts := []Point{{Scale: 2, MQLs: 2100}, {Scale: 1, MQLs: 1000}}
	for _, tt := range []struct{ s, want float64 }{{1, 1000}, {1.5, 1550}, {2, 2100}, {0.5, 500}, {4, 4200}, {0, 0}, {math.Inf(1), math.Inf(1)}} {
		if got := MQLsAt(pts, tt.s); got != tt.want {
			t.Errorf("MQLsAt(%v) = %v, want %v", tt.s, got, tt.want)
		}
	}
	if got := MQLsAt(nil, 1); !math.IsNaN(got) {
		t.Errorf("MQLsAt(nil) = %v, want NaN", got)
	}
}

// TestSolveIntervalCoverage runs Solve's search and ScaleInterval on
// probability curves with a known answer: P(s) = F((s−m)/w) for a
// distribution function F (logistic, normal, or the skewed Gumbel-min
// 1−exp(−exp(x))), m placing the truth where P = prob, and quarter i of n
// reaches the goal at scale s when u_i < P(s), with the same uniforms u at
// every scale (common random numbers, as Solve's simulations have) or
// fresh ones at each scale. Each end of the 95% interval must miss the
// truth in at most 2.5% of replications, plus 4 standard errors of that
// share; every interval must agree with its own scan (scales below the
// target beyond their binomial bounds lie below it, scales above lie
// above it, the answer inside), and be no wider on average than twice the
// width of the delta method's interval with the true slope,
// 2·Z95·√(p(1−p)/n) / P'(s*).
func TestSolveIntervalCoverage(t *testing.T) {
	reps, n := 2000, 200
	if testing.Short() {
		reps = 300
	}
	logistic := distuv.Logistic{Mu: 0, S: 1}
	normal := distuv.UnitNormal
	gumbel := struct{ cdf, quantile, prob func(float64) float64 }{
		func(x float64) float64 { return -math.Expm1(-math.Exp(x)) },
		func(p float64) float64 { return math.Log(-math.Log1p(-p)) },
		func(x float64) float64 { return math.Exp(x - math.Exp(x)) },
	}
	type family struct{ cdf, quantile, prob func(float64) float64 }
	for _, tt := range []struct {
		name  string
		f     family
		prob  float64
		truth float64 // the scale with P = prob
		width float64 // w, in units of the scale
		crn   bool
	}{
		{"logistic, steep above 1", family{logistic.CDF, logistic.Quantile, logistic.Prob}, 0.8, 1.3, 0.15, true},
		{"logistic, below 1", family{logistic.CDF, logistic.Quantile, logistic.Prob}, 0.8, 0.6, 0.1, true},
		{"logistic, shallow far above 1", family{logistic.CDF, logistic.Quantile, logistic.Prob}, 0.8, 3, 1, true},
		{"logistic, independent draws", family{logistic.CDF, logistic.Quantile, logistic.Prob}, 0.8, 1.3, 0.15, false},
		{"normal, 90%", family{normal.CDF, normal.Quantile, normal.Prob}, 0.9, 1.7, 0.3, true},
		{"normal, 50%", family{normal.CDF, normal.Quantile, normal.Prob}, 0.5, 1.2, 0.2, true},
		{"gumbel, 80%", family(gumbel), 0.8, 1.4, 0.2, true},
		{"gumbel, 95%, below 1", family(gumbel), 0.95, 0.8, 0.1, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			prob := tt.prob
			mid := tt.truth - tt.width*tt.f.quantile(prob)
			curve := func(s float64) float64 { return tt.f.cdf((s - mid) / tt.width) }
			ideal := 2 * Z95 * math.Sqrt(prob*(1-prob)/float64(n)) / (tt.f.prob((tt.truth-mid)/tt.width) / tt.width)
			missLo, missHi, sumWidth := 0, 0, 0.0
			for rep := range reps {
				rng := rand.New(rand.NewPCG(11, uint64(rep)))
				u := make([]float64, n)
				draw := func() {
					for i := range u {
						u[i] = rng.Float64()
					}
				}
				draw()
				eval := func(s float64) (Point, error) {
					if !tt.crn {
						draw()
					}
					k, p := 0, curve(s)
					for _, v := range u {
						if v < p {
							k++
						}
					}
					return BinomialPoint(s, k, n, 1000*s), nil
				}
				s, pts, err := search(SolveConfig{Prob: prob, Quarters: n, Tol: DefaultSolveConfig.Tol, MaxScale: DefaultSolveConfig.MaxScale}, eval)
				if err != nil {
					t.Fatalf("rep %d: %v", rep, err)
				}
				lo, hi, warn := ScaleInterval(pts, prob)
				switch {
				case lo > tt.truth:
					missLo++
				case hi < tt.truth:
					missHi++
				}
				sumWidth += hi - lo
				if !(lo <= s && s <= hi) {
					t.Errorf("rep %d: answer %v outside its interval [%v, %v]", rep, s, lo, hi)
				}
				for _, p := range pts {
					if (p.PHi < prob && p.Scale > lo || p.PLo > prob && p.Scale < hi) && warn == nil {
						t.Errorf("rep %d: interval [%v, %v] disagrees with the scan's %.3f→%.3f (%.3f to %.3f)", rep, lo, hi, p.Scale, p.P, p.PLo, p.PHi)
					}
				}
			}
			r := float64(reps)
			limit := 0.025 + 4*math.Sqrt(0.025*0.975/r)
			width := sumWidth / r
			t.Logf("missed low %.3f, high %.3f (n=%d replications), mean width %.4f, delta method with the true slope %.4f",
				float64(missLo)/r, float64(missHi)/r, reps, width, ideal)
			if float64(missLo)/r > limit || float64(missHi)/r > limit {
				t.Errorf("the interval misses the truth from below in %.3f and from above in %.3f of replications, want each at most 0.025 + 4 SE = %.3f",
					float64(missLo)/r, float64(missHi)/r, limit)
			}
			if width > 2*ideal {
				t.Errorf("mean width %.4f, want at most twice the delta method's %.4f", width, ideal)
			}
		})
	}
}
