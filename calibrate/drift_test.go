package calibrate

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// TestDriftOf draws cohorts whose shares vary as Beta(κp, κ(1−p)) around p
// (a beta-binomial with intra-cohort correlation ρ = 1/(κ+1)) and checks
// that driftOf recovers ρ within 4 standard errors of its sampling spread
// over many draws, and that cohorts with one share (κ = ∞) are found
// drifting at about the test's level.
func TestDriftOf(t *testing.T) {
	const p, kappa, cohorts, size, reps = 0.4, 30.0, 20, 200, 400
	r := rand.New(rand.NewPCG(16, 1))
	draw := func(kappa float64) [][]int {
		gs := make([][]int, cohorts)
		for g := range gs {
			q := p
			if !math.IsInf(kappa, 1) {
				q = distuv.Beta{Alpha: kappa * p, Beta: kappa * (1 - p), Src: r}.Rand()
			}
			x := 0
			for range size {
				if r.Float64() < q {
					x++
				}
			}
			gs[g] = []int{size, x}
		}
		return gs
	}
	var sum, sum2 float64
	for range reps {
		d := driftOf(draw(kappa), 1)
		sum += d.Rho
		sum2 += d.Rho * d.Rho
	}
	mean := sum / reps
	se := math.Sqrt((sum2/reps - mean*mean) / reps)
	want := 1 / (kappa + 1)
	if math.Abs(mean-want) > 4*se+0.002 { // the ANOVA estimator's small-sample bias is O(1/G)
		t.Errorf("mean ρ over %d draws %.4f ± %.4f, want %.4f", reps, mean, se, want)
	}
	found := 0
	for range reps {
		if d := driftOf(draw(math.Inf(1)), 1); d.Rho > 0 && d.PValue < driftP {
			found++
		}
	}
	// Binomial(reps, driftP): 4 standard deviations above its mean.
	if limit := reps*driftP + 4*math.Sqrt(reps*driftP*(1-driftP)); float64(found) > limit {
		t.Errorf("equal shares found drifting in %d of %d draws, more than %.0f at the %.2f level", found, reps, limit, driftP)
	}
	d := driftOf([][]int{{10, 5}, {10, 5}, {10, 5}}, 1)
	if d.Rho > 0 || d.PValue < 0.5 {
		t.Errorf("equal shares: ρ %v, p %v", d.Rho, d.PValue)
	}
	t.Logf("mean ρ %.4f ± %.4f for %.4f; equal shares found drifting in %d of %d", mean, se, want, found, reps)
}
