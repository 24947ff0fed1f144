package montecarlo

import (
	"fmt"
	"math"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestBinomialFunnel starts each quarter with N leads at the top of a chain
// a -> b -> opp -> won with probabilities p1, p2, p3 and near-zero delays:
// the deals won in a quarter are Binomial(N, p1·p2·p3). It checks their mean
// and variance, the revenue (a fixed deal size, so wins × amount), and the
// opportunities created, Binomial(N, p1·p2).
func TestBinomialFunnel(t *testing.T) {
	const (
		N          = 500
		p1, p2, p3 = 0.6, 0.5, 0.4
		amount     = 1000.0
	)
	m := &model.Model{
		Name: "binomial", Currency: "USD", QuarterWeeks: 13,
		Stages: []model.Stage{
			{Name: "idle"}, {Name: "a"}, {Name: "b"},
			{Name: "opp", Team: model.Sales, Opportunity: true},
			{Name: "won", Team: model.Sales, Outcome: model.Won},
		},
		Transitions: []model.Transition{
			{From: "a", To: "b", P: p1, Delay: tiny},
			{From: "b", To: "opp", P: p2, Delay: tiny},
			{From: "opp", To: "won", P: p3, Delay: tiny},
		},
		Sources: []model.Source{idleSource(model.Dist{Form: model.Fixed, Value: amount})},
		Start:   &model.Start{Leads: []model.OpenLead{{Stage: "a", Source: "src", Count: N}}},
	}
	n := size(2000, 500)
	for _, seed := range seeds() {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := mustRun(t, m, Config{Quarters: n, Seed: seed})
			p := p1 * p2 * p3
			mu, sigma2 := N*p, N*p*(1-p)
			// Fourth central moment of the binomial: Npq(1 + 3(N−2)pq).
			mu4 := N * p * (1 - p) * (1 + 3*(N-2)*p*(1-p))
			nf := float64(n)
			mean, v := meanVar(r.Won)
			within(t, "mean wins", mean, mu, math.Sqrt(sigma2/nf))
			// Var(s²) = μ4/n − σ⁴(n−3)/(n(n−1)).
			within(t, "variance of wins", v, sigma2, math.Sqrt(mu4/nf-sigma2*sigma2*(nf-3)/(nf*(nf-1))))
			for i := range r.Won {
				if r.Revenue[i] != amount*r.Won[i] {
					t.Fatalf("quarter %d: revenue %v != %v wins × %v", i, r.Revenue[i], r.Won[i], amount)
				}
			}
			rev, _ := meanVar(r.Revenue)
			within(t, "mean revenue", rev, amount*mu, amount*math.Sqrt(sigma2/nf))
			q := p1 * p2
			created, _ := meanVar(r.MktCreated)
			within(t, "mean opportunities created", created, N*q, math.Sqrt(N*q*(1-q)/nf))
			mv, _ := meanVar(r.MktValue)
			if mv != amount*created {
				t.Errorf("mean value created %v != %v × %v", mv, amount, created)
			}
			// Every opportunity closes inside the quarter: nothing open at
			// the start of the quarter (none existed) and no sales-sourced.
			if s := sumOf(r.OpenPipeline) + sumOf(r.SalesCreated); s != 0 {
				t.Errorf("open pipeline + sales-sourced = %v, want 0", s)
			}
			// Entries of b are Binomial(N, p1); moves along a -> b equal them.
			b := columnOf(r.Entries, len(m.Stages), 2)
			eb, _ := meanVar(b)
			within(t, "mean entries of b", eb, N*p1, math.Sqrt(N*p1*(1-p1)/nf))
			if mv := columnOf(r.Moves, len(m.Transitions), 0); sumOf(mv) != sumOf(b) {
				t.Errorf("moves a -> b %v != entries of b %v", sumOf(mv), sumOf(b))
			}
		})
	}
}

// TestLogNormalCloseInQuarter opens each quarter with N opportunities that
// close won with probability 1 after a lognormal delay (median M days, σ):
// the share closed inside the quarter of Q days is Φ((ln Q − ln M)/σ). For
// opportunities already open for a days, the engine draws the delay given
// D > a, so the share is [Φ(z(a+Q)) − Φ(z(a))]/[1 − Φ(z(a))]; when the win
// edge has probability p < 1 (the rest never close), a lead still open at a
// takes it with probability p·S(a)/(1 − p + p·S(a)), S = 1 − Φ(z(·)).
func TestLogNormalCloseInQuarter(t *testing.T) {
	const (
		N      = 400
		M, sig = 60.0, 0.8
		Q      = 13 * 7.0 // days
	)
	z := func(d float64) float64 { return (math.Log(d) - math.Log(M)) / sig }
	for _, tt := range []struct {
		name string
		p    float64 // probability of the win edge
		age  float64 // days
		opps bool    // start as Start.Opportunities, else Start.Leads at the opportunity stage
	}{
		{"opportunities-age0", 1, 0, true},
		{"leads-age0", 1, 0, false},
		{"opportunities-aged", 1, 45, true},
		{"leads-aged-cured", 0.5, 45, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := &model.Model{
				Name: "lognormal", Currency: "USD", QuarterWeeks: 13,
				Stages: []model.Stage{
					{Name: "idle"},
					{Name: "opp", Team: model.Sales, Opportunity: true},
					{Name: "won", Team: model.Sales, Outcome: model.Won},
				},
				Transitions: []model.Transition{
					{From: "opp", To: "won", P: tt.p, Delay: model.Dist{Form: model.LogNormal, Median: M, Sigma: sig}},
				},
				Sources: []model.Source{idleSource(model.Dist{Form: model.Fixed, Value: 10})},
				Start:   &model.Start{},
			}
			if tt.opps {
				// Validate does not count Start.Opportunities as making the
				// opportunity stage reachable (see the report), so give the
				// idle leads a negligible way in: 13 leads a quarter with
				// probability 1e-12 each.
				m.Transitions = append(m.Transitions, model.Transition{From: "idle", To: "opp", P: 1e-12, Delay: tiny})
				for range N {
					m.Start.Opportunities = append(m.Start.Opportunities, model.OpenOpportunity{Source: "src", Amount: 10, AgeDays: tt.age})
				}
			} else {
				m.Start.Leads = []model.OpenLead{{Stage: "opp", Source: "src", Count: N, AgeDays: tt.age}}
			}
			S := func(d float64) float64 { return 1 - normCDF(z(d)) }
			want := normCDF(z(Q))
			if tt.age > 0 {
				want = (S(tt.age) - S(tt.age+Q)) / S(tt.age)
				want *= tt.p * S(tt.age) / (1 - tt.p + tt.p*S(tt.age))
			}
			n := size(500, 150)
			for _, seed := range seeds() {
				r := mustRun(t, m, Config{Quarters: n, Seed: seed})
				trials := float64(N * n)
				within(t, fmt.Sprintf("seed %d: share closed won in the quarter", seed),
					sumOf(r.Won)/trials, want, math.Sqrt(want*(1-want)/trials))
				// All of them were open at the start of the quarter.
				if got, _ := meanVar(r.OpenDeals); got != N {
					t.Errorf("open deals at the start = %v, want %d", got, N)
				}
			}
		})
	}
}

// TestArrivals checks the arrival process: entries of a source's entry
// stage per quarter are Poisson(λ·weeks), or negative binomial with
// variance μ + μ²/α with a gamma(α) rate multiplier. The entry stage has an
// exit with probability p, so the engine walks only the leaves and counts
// the stayers with one Poisson draw: by thinning, the entries are still
// Poisson(μ) and the exits Poisson(μ·p), independent.
func TestArrivals(t *testing.T) {
	const (
		rate  = 200.0 // a week
		weeks = 13
		p     = 0.3
	)
	for _, tt := range []struct {
		name  string
		alpha float64
	}{{"poisson", 0}, {"negative-binomial", 10}} {
		t.Run(tt.name, func(t *testing.T) {
			m := &model.Model{
				Name: "arrivals", Currency: "USD", QuarterWeeks: weeks,
				Stages: []model.Stage{
					{Name: "in"},
					{Name: "opp", Team: model.Sales, Opportunity: true},
					{Name: "won", Team: model.Sales, Outcome: model.Won},
				},
				Transitions: []model.Transition{
					{From: "in", To: "opp", P: p, Delay: tiny},
					{From: "opp", To: "won", P: 1, Delay: tiny},
				},
				Sources: []model.Source{{Name: "src", Entry: "in", RatePerWeek: rate, Dispersion: tt.alpha,
					Profile: model.Profile{Shape: "business"}, DealSize: model.Dist{Form: model.Fixed, Value: 1}}},
				Start: &model.Start{},
			}
			n := size(3000, 800)
			mu := rate * weeks
			v := mu
			mu4 := mu * (1 + 3*mu) // Poisson
			if a := tt.alpha; a > 0 {
				// Gamma-Poisson (negative binomial, shape a) cumulants:
				// κ2 = μ + μ²/a, κ4 = μ + 7μ²/a + 12μ³/a² + 6μ⁴/a³, and
				// μ4 = κ4 + 3κ2².
				v = mu + mu*mu/a
				mu4 = mu + 7*mu*mu/a + 12*math.Pow(mu, 3)/(a*a) + 6*math.Pow(mu, 4)/(a*a*a) + 3*v*v
			}
			for _, seed := range seeds() {
				r := mustRun(t, m, Config{Quarters: n, Seed: seed})
				nf := float64(n)
				in := columnOf(r.Entries, len(m.Stages), 0)
				mean, s2 := meanVar(in)
				within(t, fmt.Sprintf("seed %d: mean entries", seed), mean, mu, math.Sqrt(v/nf))
				within(t, fmt.Sprintf("seed %d: variance of entries", seed), s2, v, math.Sqrt(mu4/nf-v*v*(nf-3)/(nf*(nf-1))))
				if tt.alpha == 0 {
					won := r.Won
					mw, vw := meanVar(won)
					within(t, fmt.Sprintf("seed %d: mean exits", seed), mw, mu*p, math.Sqrt(mu*p/nf))
					within(t, fmt.Sprintf("seed %d: variance of exits", seed), vw, mu*p,
						math.Sqrt(mu*p*(1+3*mu*p)/nf-mu*p*mu*p*(nf-3)/(nf*(nf-1))))
				}
			}
		})
	}
}

// TestOpportunityEntrySource: a source whose leads enter the opportunity
// stage itself (outbound deals logged straight as opportunities) creates
// one opportunity per lead, Poisson(λ·weeks) a quarter, whether or not the
// opportunity ever closes.
func TestOpportunityEntrySource(t *testing.T) {
	const (
		rate   = 100.0
		weeks  = 13
		amount = 5000.0
	)
	for _, pWon := range []float64{1, 0.3} {
		t.Run(fmt.Sprint("p-won-", pWon), func(t *testing.T) {
			m := &model.Model{
				Name: "opp-entry", Currency: "USD", QuarterWeeks: weeks,
				Stages: []model.Stage{
					{Name: "opp", Team: model.Sales, Opportunity: true},
					{Name: "won", Team: model.Sales, Outcome: model.Won},
				},
				Transitions: []model.Transition{{From: "opp", To: "won", P: pWon, Delay: tiny}},
				Sources: []model.Source{{Name: "outbound", Entry: "opp", SalesSourced: true, RatePerWeek: rate,
					DealSize: model.Dist{Form: model.Fixed, Value: amount}}},
				Start: &model.Start{},
			}
			n := size(400, 100)
			r := mustRun(t, m, Config{Quarters: n, Seed: 1})
			mu := rate * weeks
			created, _ := meanVar(r.SalesCreated)
			within(t, "sales-sourced opportunities created", created, mu, math.Sqrt(mu/float64(n)))
			entries, _ := meanVar(columnOf(r.Entries, len(m.Stages), 0))
			if created != entries {
				t.Errorf("opportunities created %v != entries of the opportunity stage %v", created, entries)
			}
			value, _ := meanVar(r.SalesValue)
			if value != amount*created {
				t.Errorf("value created %v != %v × %v", value, amount, created)
			}
		})
	}
}
