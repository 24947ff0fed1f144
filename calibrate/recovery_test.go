package calibrate_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data/synth"
	"github.com/funnelsim/funnel/model"
)

// truth returns the parameters of m under the paths of Result.Params that
// the recovery test checks: transition probabilities, delay parameters and
// the decay curve.
func truth(m *model.Model) map[string]float64 {
	v := map[string]float64{}
	for _, t := range m.Transitions {
		p := "transitions[" + t.From + "->" + t.To + "]"
		if t.P < 1 {
			// A probability of exactly 1 sits on the boundary, where no
			// interval that excludes 1 at finite n has nominal coverage.
			v[p+".p"] = t.P
		}
		d := t.Delay
		switch d.Form {
		case model.Exponential:
			v[p+".delay_days.mean"] = d.Mean
		case model.LogNormal:
			v[p+".delay_days.median"], v[p+".delay_days.sigma"] = d.Median, d.Sigma
		case model.Weibull:
			v[p+".delay_days.shape"], v[p+".delay_days.scale"] = d.Shape, d.Scale
		case model.Gamma:
			v[p+".delay_days.shape"], v[p+".delay_days.mean"] = d.Shape, d.Mean
		}
	}
	h := m.Handoff
	v["handoff.contact"] = h.Contact
	v["handoff.decay.floor"] = h.Decay.Floor
	switch h.Decay.Form {
	case model.Hill:
		v["handoff.decay.t50_minutes"], v["handoff.decay.k"] = h.Decay.T50, h.Decay.K
	case model.ExpFloor:
		v["handoff.decay.tau_minutes"] = h.Decay.Tau
	}
	return v
}

// inactive returns m with no active stages. An active stage is entered at
// the lead's next active moment after its delay, so the time observed in
// the stage before is the delay plus that wait, which the delay's family
// cannot represent exactly: calibration fits the observed time (what a
// forecast needs), and recovering the delay's own parameters is tested on
// models without the wait.
func inactive(m *model.Model) *model.Model {
	for i := range m.Stages {
		m.Stages[i].Active = false
	}
	return m
}

// unlike returns a model unlike the default: other probabilities, Weibull
// and gamma delays, an exponential decay with a high floor.
func unlike() *model.Model {
	m := inactive(model.Default())
	set := func(from, to string, p float64, d model.Dist) {
		for i := range m.Transitions {
			if t := &m.Transitions[i]; t.From == from && t.To == to {
				t.P, t.Delay = p, d
			}
		}
	}
	set("known", "engaged", 0.30, model.Dist{Form: model.Weibull, Shape: 1.5, Scale: 10})
	set("engaged", "mql", 0.50, model.Dist{Form: model.Gamma, Shape: 2, Mean: 10})
	set("mql", "tql", 0.50, model.Dist{Form: model.Weibull, Shape: 0.9, Scale: 2})
	set("mql", "disqualified", 0.30, model.Dist{Form: model.Gamma, Shape: 1.5, Mean: 1})
	set("tql", "sal", 0.80, model.Dist{Form: model.Gamma, Shape: 3, Mean: 0.5})
	set("tql", "rejected", 0.20, model.Dist{Form: model.Exponential, Mean: 0.4})
	set("sal", "opportunity", 0.50, model.Dist{Form: model.Weibull, Shape: 2, Scale: 12})
	set("sal", "disqualified", 0.40, model.Dist{Form: model.Gamma, Shape: 2, Mean: 8})
	set("opportunity", "won", 0.35, model.Dist{Form: model.Weibull, Shape: 2.5, Scale: 70})
	set("opportunity", "lost", 0.60, model.Dist{Form: model.Gamma, Shape: 3, Mean: 45})
	m.Handoff.Contact = 0.7
	m.Handoff.Decay = model.Decay{Form: model.ExpFloor, Tau: 60, Floor: 0.2}
	return m
}

// scaled returns m with every source's rate divided by f.
func scaled(m *model.Model, f float64) *model.Model {
	m = m.Clone()
	for i := range m.Sources {
		m.Sources[i].RatePerWeek /= f
	}
	return m
}

// TestRecovery generates exports from models with known parameters and
// checks that every transition probability, delay parameter and decay
// parameter lies inside its reported 95% interval in at least 15 of 20
// seeds (for a true coverage of 95%, P(X < 15) ≈ 3e-4 per parameter).
// Delays and decay are fitted in the true family (KeepForms); how often
// AIC picks the true family is logged.
func TestRecovery(t *testing.T) {
	seeds, need := 20, 15
	if testing.Short() {
		seeds, need = 5, 3
	}
	for _, tc := range []struct {
		name string
		m    *model.Model
	}{
		{"default", scaled(inactive(model.Default()), 10)},
		{"unlike", scaled(unlike(), 10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := truth(tc.m)
			covered := map[string]int{}
			aicRight, aicAll := 0, 0
			for seed := range seeds {
				e, err := synth.Generate(context.Background(), tc.m, synth.Config{Quarters: 4, Seed: uint64(seed + 1)})
				if err != nil {
					t.Fatal(err)
				}
				r, err := calibrate.Calibrate(e, calibrate.Config{Base: tc.m, KeepForms: true})
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range r.Params {
					if w, ok := want[p.Path]; ok && p.Lower <= w && w <= p.Upper {
						covered[p.Path]++
					}
				}
				if seed < 2 {
					ra, err := calibrate.Calibrate(e, calibrate.Config{Base: tc.m})
					if err != nil {
						t.Fatal(err)
					}
					for i, s := range ra.Stages {
						for j, ed := range s.Edges {
							aicAll++
							if ed.Delay.Form == r.Stages[i].Edges[j].Delay.Form {
								aicRight++
							}
						}
					}
				}
			}
			total := 0
			for _, path := range sortedKeys(want) {
				total += covered[path]
				if covered[path] < need {
					t.Errorf("%s = %v: inside the 95%% interval in %d of %d seeds, want ≥ %d", path, want[path], covered[path], seeds, need)
				}
			}
			t.Logf("%s: %d parameters, coverage %d/%d = %.3f; AIC picked the true delay family in %d/%d fits",
				tc.name, len(want), total, len(want)*seeds, float64(total)/float64(len(want)*seeds), aicRight, aicAll)
			for _, path := range sortedKeys(want) {
				t.Logf("  %-48s %2d/%d", path, covered[path], seeds)
			}
		})
	}
}

func sortedKeys(m map[string]float64) []string {
	var k []string
	for s := range m {
		k = append(k, s)
	}
	for i := range k {
		for j := i + 1; j < len(k); j++ {
			if k[j] < k[i] {
				k[i], k[j] = k[j], k[i]
			}
		}
	}
	return k
}

var _ = fmt.Sprint

func defaultM() *model.Model { return model.Default() }
