package calibrate

import (
	"fmt"
	"math"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// Drift settings: a stay counts in its cohort's share of moves along an
// edge within one quarter of its start (the model's QuarterWeeks: what a
// forecast window holds); cohorts are the driftWeeks-week periods its
// stays begin in (from the stage's first stay; long enough for a month's
// calendar pattern, such as a quarter-end push, to average out), those
// with at least driftMinCohort stays followed for a quarter; at least
// driftMinCohorts such cohorts; drift is taken as real when the one-way
// ANOVA's F test rejects equal shares at driftP.
const (
	driftWeeks      = 4
	driftMinCohort  = 10
	driftMinCohorts = 3
	driftP          = 0.05
)

// Drift is the between-cohort overdispersion of a stage's moves along one
// edge: cohorts of stays convert within a quarter more unevenly than
// binomial sampling allows. Rho is the intra-cohort correlation of the
// beta-binomial, Kappa = (1 − Rho)/Rho the concentration of the cohorts'
// shares around their mean (their shares vary as Beta(κp, κ(1−p))).
type Drift struct {
	Stage, To      string
	Cohorts, Stays int     // cohorts and stays used
	Days           float64 // the horizon of the shares, days: one quarter
	Share          float64 // pooled share moving along the edge within Days
	Rho, Kappa     float64
	F, PValue      float64 // the one-way ANOVA F statistic of equal shares and its p-value
}

// cohortDrift estimates, for each edge j (cause j+1) of the stage si, the
// drift of its share within a quarter across cohorts of driftWeeks weeks, by the
// one-way ANOVA estimator of the beta-binomial's intra-cohort correlation
// (Fleiss):
//
//	MSB = Σ n_g (p_g − p̄)²/(G − 1),  MSW = Σ n_g p_g (1 − p_g)/(N − G),
//	n₀ = (N − Σ n_g²/N)/(G − 1),     ρ = (MSB − MSW)/(MSB + (n₀ − 1) MSW),
//
// with the F test of MSB/MSW on (G − 1, N − G) degrees of freedom. Stays
// begun before the stage's records start (from is not zero: left
// truncation, detected or not) are left out, as are stays followed for
// less than a quarter. It returns the edges whose drift the test finds
// (ρ > 0, p < driftP).
//
// A forecast draws a stage's probabilities once per simulated quarter
// (model.Stage.Observations): a quarter's deals share their quarter's
// conditions (a campaign, a pricing change, a team's month), which the
// posterior of the pooled estimate, concentrated as the thousands of stays
// it rests on, leaves out. The drift across cohorts measures it; the
// stage's concentration is capped at Kappa.
func (c *calib) cohortDrift(si int, k int, from time.Time) []Drift {
	m := c.m
	var first time.Time
	for _, o := range c.stays {
		if int(o.stage) == si && !o.capped && !o.Start.Before(from) && (first.IsZero() || o.Start.Before(first)) {
			first = o.Start
		}
	}
	if first.IsZero() {
		return nil
	}
	type cohort struct{ n, x []int }
	days := float64(7 * m.QuarterWeeks)
	period := time.Duration(driftWeeks) * 7 * 24 * time.Hour
	byWeek := map[int][]int{} // per cohort: stays, then moves along each edge
	for _, o := range c.stays {
		if int(o.stage) != si || o.capped || o.Start.Before(from) || o.Follow < days {
			continue
		}
		w := int(o.Start.Sub(first) / period)
		g := byWeek[w]
		if g == nil {
			g = make([]int, k+1)
			byWeek[w] = g
		}
		g[0]++
		if j := int(o.cause); j >= 1 && j <= k && o.T <= days {
			g[j]++
		}
	}
	var gs [][]int
	for w := range byWeek {
		if byWeek[w][0] >= driftMinCohort {
			gs = append(gs, byWeek[w])
		}
	}
	if len(gs) < driftMinCohorts {
		return nil
	}
	var out []Drift
	edges := stageEdges(m)[si]
	for j := 1; j <= k && j <= len(edges); j++ {
		d := driftOf(gs, j)
		d.Stage, d.To, d.Days = m.Stages[si].Name, m.Transitions[edges[j-1]].To, days
		if d.Rho > 0 && d.PValue < driftP {
			out = append(out, d)
		}
	}
	return out
}

// driftOf computes the ANOVA estimate of Drift for column j of the cohorts
// gs (gs[g][0] stays, gs[g][j] moves), summing in an order that does not
// depend on the cohorts' order.
func driftOf(gs [][]int, j int) Drift {
	var N, X, sumN2 float64
	for _, g := range gs {
		n := float64(g[0])
		N += n
		X += float64(g[j])
		sumN2 += n * n
	}
	G := float64(len(gs))
	pbar := X / N
	var ssb, ssw float64
	for _, g := range gs {
		n, p := float64(g[0]), float64(g[j])/float64(g[0])
		ssb += n * (p - pbar) * (p - pbar)
		ssw += n * p * (1 - p)
	}
	d := Drift{Cohorts: len(gs), Stays: int(N), Share: pbar, Rho: math.NaN(), Kappa: math.Inf(1), PValue: 1}
	msb, msw := ssb/(G-1), ssw/(N-G)
	if !(msw > 0) {
		return d
	}
	n0 := (N - sumN2/N) / (G - 1)
	d.F = msb / msw
	d.PValue = distuv.F{D1: G - 1, D2: N - G}.Survival(d.F)
	d.Rho = (msb - msw) / (msb + (n0-1)*msw)
	if d.Rho > 0 {
		d.Kappa = (1 - d.Rho) / d.Rho
	}
	return d
}

// driftWarning says how a stage's drift widened its forecasts.
func driftWarning(d Drift, n float64) error {
	return fmt.Errorf("stage %s: its %d-week cohorts move to %s within %.0f days more unevenly than chance (%d cohorts, %d stays, share %.1f%%, intra-cohort correlation %.3f, F test p = %.2g): each simulated quarter draws the stage's probabilities with concentration %.0f instead of %.0f, for the drift of its conversion from quarter to quarter",
		d.Stage, driftWeeks, d.To, d.Days, d.Cohorts, d.Stays, 100*d.Share, d.Rho, d.PValue, d.Kappa, n)
}
