package whatif

import (
	"math"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/model/stats"
	"github.com/funnelsim/funnel/montecarlo"
)

// Z95 is the two-sided 95% standard normal quantile used for intervals
// (stats.Z95).
const Z95 = stats.Z95

// Unit is the unit of a metric, for formatting.
type Unit int

const (
	Money   Unit = iota // currency
	Share               // a proportion in [0,1]
	Count               // leads or deals
	Minutes             // a duration in minutes
)

// Metric is a per-quarter series of a simulation: Values[i] is run i's
// first quarter. NaN marks a quarter without a value (no MQLs: no
// response time).
type Metric struct {
	Name   string
	Unit   Unit
	Values []float64
}

// HitQuota is the name Metrics gives the quota indicator: 1 for a quarter
// at or above quota, else 0.
const HitQuota = "P(hit quota)"

// Metrics returns the series Compare compares, in this order: revenue,
// P(hit quota) (a 0/1 indicator per quarter, only when m has a quota),
// deals won, pipeline created (marketing and sales, currency), MQLs
// contacted, response P50 (minutes), and each SLA's compliance (leads
// meeting it / leads entering its from-stage; NaN without such leads).
// m is the model r was simulated from.
func Metrics(m *model.Model, r *montecarlo.Results) []Metric {
	first := func(x []float64) []float64 { return r.Period(x, 0) }
	rev := first(r.Revenue)
	out := []Metric{{"revenue", Money, rev}}
	if m.Quota > 0 {
		hit := make([]float64, len(rev))
		for i, v := range rev {
			if v >= m.Quota {
				hit[i] = 1
			}
		}
		out = append(out, Metric{HitQuota, Share, hit})
	}
	mv, sv := first(r.MktValue), first(r.SalesValue)
	pipe := make([]float64, len(mv))
	for i := range pipe {
		pipe[i] = mv[i] + sv[i]
	}
	out = append(out,
		Metric{"deals won", Count, first(r.Won)},
		Metric{"pipeline created", Money, pipe},
		Metric{"MQLs contacted", Count, first(r.Contacted)},
		Metric{"response P50", Minutes, first(r.RespP50)},
	)
	for a, name := range r.SLAs {
		out = append(out, Metric{"SLA " + name, Share, SLACompliance(r, a)})
	}
	return out
}

// SLACompliance returns, for the first quarter of each run, the share of
// leads entering SLA a's from-stage that met it; NaN for a quarter
// without such leads.
func SLACompliance(r *montecarlo.Results, a int) []float64 {
	L := len(r.SLAs)
	out := make([]float64, r.Quarters)
	for i := range out {
		j := i*r.Horizon*L + a
		out[i] = math.NaN()
		if n := r.SLAN[j]; n > 0 {
			out[i] = r.SLAMet[j] / n
		}
	}
	return out
}

// Diff is the difference alt − base of a metric's mean over N pairs of
// quarters simulated with the same seed.
//
//	Delta        = mean(d),  d_i = alt_i − base_i
//	HalfPaired   = Z95 · sd(d) / √N
//	HalfUnpaired = Z95 · √(sd(base)² + sd(alt)²) / √N
//
// The paired interval uses the pairing (common random numbers); the
// unpaired one is what two independent simulations of the same size would
// give, shown for contrast. Pairs with a NaN on either side are left out.
type Diff struct {
	Metric       string  `json:"metric"`
	Unit         Unit    `json:"-"`
	N            int     `json:"n"`
	Base         float64 `json:"base_mean"`
	Alt          float64 `json:"whatif_mean"`
	Delta        float64 `json:"delta"`
	HalfPaired   float64 `json:"paired_half_width_95"`
	HalfUnpaired float64 `json:"unpaired_half_width_95"`
	// Significant tells that the paired interval excludes 0.
	Significant bool `json:"significant"`
}

// Rel returns Delta / Base, NaN when Base is 0.
func (d Diff) Rel() float64 {
	if d.Base == 0 {
		return math.NaN()
	}
	return d.Delta / d.Base
}

// Paired returns the Diff of alt − base for the metric named name. It
// panics if the slices differ in length.
func Paired(name string, unit Unit, base, alt []float64) Diff {
	if len(base) != len(alt) {
		panic("whatif: Paired: series of different lengths")
	}
	var b, a, d []float64
	for i := range base {
		if math.IsNaN(base[i]) || math.IsNaN(alt[i]) {
			continue
		}
		b, a, d = append(b, base[i]), append(a, alt[i]), append(d, alt[i]-base[i])
	}
	out := Diff{Metric: name, Unit: unit, N: len(d), Base: math.NaN(), Alt: math.NaN(), Delta: math.NaN(),
		HalfPaired: math.NaN(), HalfUnpaired: math.NaN()}
	if len(d) < 2 {
		return out
	}
	mb, sb := meanSD(b)
	ma, sa := meanSD(a)
	md, sd := meanSD(d)
	n := math.Sqrt(float64(len(d)))
	out.Base, out.Alt, out.Delta = mb, ma, md
	out.HalfPaired = Z95 * sd / n
	out.HalfUnpaired = Z95 * math.Sqrt(sb*sb+sa*sa) / n
	out.Significant = math.Abs(md) > out.HalfPaired
	return out
}

// Compare returns the Diff of every metric of Metrics present in both
// simulations (SLAs are matched by name). base and alt must have the same
// number of quarters; for the paired intervals to mean anything they must
// share the seed.
func Compare(baseModel *model.Model, base *montecarlo.Results, altModel *model.Model, alt *montecarlo.Results) []Diff {
	if base.Quarters != alt.Quarters {
		panic("whatif: Compare: simulations of different sizes")
	}
	am := map[string]Metric{}
	for _, x := range Metrics(altModel, alt) {
		am[x.Name] = x
	}
	var out []Diff
	for _, x := range Metrics(baseModel, base) {
		if y, ok := am[x.Name]; ok {
			out = append(out, Paired(x.Name, x.Unit, x.Values, y.Values))
		}
	}
	return out
}

// BoundIndicator replaces the intervals of d, a difference of HitQuota,
// that have zero width by exact bounds, and reports whether it did. They
// are 0 wide when every quarter agreed (the standard deviation of 0/1
// values that are all equal is 0), which claims a certainty N quarters
// cannot give. With δ the common value of the N per-quarter differences
// (−1, 0 or 1) and h = 1 − 0.025^(1/N), the upper end of the exact 95%
// interval of a share of which none of N quarters was seen
// (stats.ClopperPearson): the chance of a pair of quarters that disagree
// otherwise than seen is at most h, so the difference lies within
// δ ± h·(1+|δ|) (paired); and each side's share within h of its 0 or 1,
// so the same half-width holds for the unpaired interval. Significant is
// then whether the paired interval excludes 0.
func BoundIndicator(d *Diff) bool {
	if d.Metric != HitQuota || d.N < 2 || (d.HalfPaired != 0 && d.HalfUnpaired != 0) {
		return false
	}
	_, h := stats.ClopperPearson(0, d.N, 0.95)
	half := h * (1 + math.Abs(d.Delta))
	if d.HalfPaired == 0 {
		d.HalfPaired = half
	}
	if d.HalfUnpaired == 0 {
		d.HalfUnpaired = half
	}
	d.Significant = math.Abs(d.Delta) > d.HalfPaired
	return true
}

// meanSD returns the mean and the sample standard deviation of x.
func meanSD(x []float64) (mean, sd float64) {
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	ss := 0.0
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	if len(x) > 1 {
		sd = math.Sqrt(ss / float64(len(x)-1))
	}
	return mean, sd
}
