package calibrate

import (
	"fmt"
	"math"
	"strings"
	"time"

	"gonum.org/v1/gonum/mathext"
)

// Dates only.
//
// Many exports hold some columns as dates without a time of day
// (Salesforce's CloseDate and ConvertedDate, Maven's engage_date and
// close_date, report exports' creation dates). Package data reads such a
// value as midnight in the zone it reads zone-less values in (UTC, or
// Options.TZ), and keeps it as a time.Time in UTC. Taken as times, they
// would invent structure: every arrival at midnight, every close at
// midnight (which the activity test of active.go reads as leads acting at
// midnight), response times in whole days, delays in whole days with many
// of exactly 0. Calibrate therefore tells, for each set of times that
// plays one role (a stage's entries, a source's creation times, the
// activities), whether it is dates only, and then:
//
//   - a stage whose entries are dates only is not tested for activity;
//   - a source whose creation times are dates only gets the weekdays of
//     its arrivals from the data and their hours spread evenly over the
//     24 hours of the day (the export cannot tell them, and the model's
//     profile is a profile of arrivals, not of working hours);
//   - response times and SDR working hours from dates only are not fitted;
//   - a delay with an end known only to the day is fitted by its
//     likelihood at day resolution (DayEnds): the time of day of a date-only
//     end is unknown, taken as uniform over the day.

// dateShare is the share of a set of times that must fall exactly at
// midnight for the set to be dates only. A time recorded to the second
// falls at 00:00:00 by chance once in 86,400 (to the minute, once in
// 1,440), so a set of real times is never near it; 1% is left for rows a
// system stamped with a time (an import, a manual edit).
const dateShare = 0.99

// datesOnly reports whether times are dates only: at least dateShare of
// the non-zero ones fall exactly at midnight (00:00:00.000) in one of
// zones, tried in order, and returns that zone. Zero times are skipped;
// an empty set, or one with no non-zero time, is not dates only. nil
// zones are skipped.
//
// Calibrate tries UTC and the model's zone: package data reads zone-less
// values in UTC or in the zone given with --tz, which sim calibrate also
// makes the model's.
func datesOnly(times []time.Time, zones ...*time.Location) (*time.Location, bool) {
	for _, z := range zones {
		if z == nil {
			continue
		}
		if share, n := midnightShare(times, z); n > 0 && share >= dateShare {
			return z, true
		}
	}
	return nil, false
}

// midnightShare returns the share of the n non-zero times that fall
// exactly at midnight in z.
func midnightShare(times []time.Time, z *time.Location) (share float64, n int) {
	mid := 0
	for _, t := range times {
		if t.IsZero() {
			continue
		}
		n++
		l := t.In(z)
		if l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0 {
			mid++
		}
	}
	if n == 0 {
		return 0, 0
	}
	return float64(mid) / float64(n), n
}

// mixedShare is the share of times at midnight above which a set that is
// not dates only is said to mix dates with times (real times fall at
// midnight once in 1,440 at most).
const mixedShare = 0.05

// dayStart returns the midnight, in z, that starts the day of t in z.
func dayStart(t time.Time, z *time.Location) time.Time {
	y, m, d := t.In(z).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, z)
}

// DayEnds says which ends of a delay (TruncObs) were recorded as dates
// only, at the midnight that starts their day: the other ends are exact
// times. A date-only end happened at an unknown time of that day, taken as
// uniform on [0, 1) day and independent of the delay; the delay then has
// the likelihood of its recorded value, in days:
//
//	TimesExact: f(T)                                   the density
//	EndDay:     P(T ≤ D < T+1) = F(T+1) − F(T)          T > −1
//	StartDay:   P(T−1 < D ≤ T) = F(T) − F(T−1)          T > 0
//	BothDays:   ∫ (1−|v|) f(T+v) dv over (−1, 1)        T ≥ 0 (whole days between the dates)
//	          = ∫_{T−1}^{T} (s−T+1) f(s) ds + ∫_T^{T+1} (T+1−s) f(s) ds
//
// (F = 0 below 0), so a delay of 0 whole days (same-day) has the finite
// likelihood ∫_0^1 (1−s) f(s) ds, not a density at 0. The truncation term
// of TruncObs, the probability that the recorded delay is at most Follow,
// is F(C) for TimesExact, F(C+1) for EndDay, ∫_{C−1}^{C} F(s) ds for
// StartDay and ∫_C^{C+1} F(s) ds for BothDays (C = Follow). The four
// likelihoods are probabilities of what was recorded (up to a factor that
// does not depend on the parameters), so AIC compares forms on them as on
// densities.
type DayEnds uint8

const (
	TimesExact DayEnds = 0                 // both ends are times
	EndDay     DayEnds = 1                 // the end is a date, the start a time
	StartDay   DayEnds = 2                 // the start is a date, the end a time
	BothDays   DayEnds = StartDay | EndDay // both are dates
)

// String returns "exact", "end date", "start date" or "dates".
func (d DayEnds) String() string {
	switch d {
	case TimesExact:
		return "exact"
	case EndDay:
		return "end date"
	case StartDay:
		return "start date"
	case BothDays:
		return "dates"
	}
	return "DayEnds(?)"
}

// valid reports whether T and Follow are possible for d (see DayEnds).
func (d DayEnds) valid(t, follow float64) bool {
	if !(follow >= t) {
		return false
	}
	switch d {
	case TimesExact, StartDay:
		return t > 0
	case EndDay:
		return t > -1
	case BothDays:
		return t >= 0
	}
	return false
}

// dayDist is what the day-resolution likelihoods need of a delay
// distribution on (0, ∞), in logs so that a fit exploring far tails (a
// median of 10^100 days) is not misled by underflow: the logs of its
// distribution function F and survival S at x, each accurate on its own
// tail, and over (a, b], 0 ≤ a ≤ b, the log of the mass F(b) − F(a) and
// the mean within, m = ∫_a^b s f(s) ds / (F(b) − F(a)), in [a, b] (the
// midpoint when the mass is 0).
type dayDist interface {
	logCDF(x float64) (lf, ls float64)
	mass(a, b float64) (lp, m float64)
}

// formDist is a parametric delay (DelayForm and Params, as in Fit).
type formDist struct {
	form DelayForm
	p    []float64
}

func (d formDist) logCDF(x float64) (float64, float64) {
	if !(x > 0) {
		return math.Inf(-1), 0
	}
	p := d.p
	switch d.form {
	case Exponential:
		return math.Log(-math.Expm1(-p[0] * x)), -p[0] * x
	case LogNormal:
		z := (math.Log(x) - p[0]) / p[1]
		return logPhi(z), logPhi(-z)
	case Weibull:
		ly := p[0] * (math.Log(x) - math.Log(p[1])) // log (x/λ)^k
		return logOneMinusExp(ly), -math.Exp(ly)
	case Gamma:
		return logGammaP(p[0], math.Log(p[1])+math.Log(x)), math.Log(mathext.GammaIncRegComp(p[0], p[1]*x))
	}
	panic("calibrate: unknown DelayForm")
}

// logBiased returns the log of the mean and the logs of the distribution
// function and survival at x of the size-biased distribution s·f(s)/mean,
// so that ∫_0^x s f(s) ds = mean·F*(x):
//
//	exponential(λ):   mean 1/λ,            F* gamma(2, λ)
//	lognormal(μ, σ):  mean exp(μ + σ²/2),  F* lognormal(μ + σ², σ)
//	Weibull(k, λ):    mean λ·Γ(1 + 1/k),   F* = P(1 + 1/k, (x/λ)^k)
//	gamma(α, β):      mean α/β,            F* gamma(α + 1, β)
//
// with P the regularised lower incomplete gamma function.
func (d formDist) logBiased(x float64) (logMean, lf, ls float64) {
	p := d.p
	switch d.form {
	case Exponential:
		logMean = -math.Log(p[0])
	case LogNormal:
		logMean = p[0] + p[1]*p[1]/2
	case Weibull:
		lg, _ := math.Lgamma(1 + 1/p[0])
		logMean = math.Log(p[1]) + lg
	case Gamma:
		logMean = math.Log(p[0]) - math.Log(p[1])
	default:
		panic("calibrate: unknown DelayForm")
	}
	if !(x > 0) {
		return logMean, math.Inf(-1), 0
	}
	var a, lx float64 // F* = P(a, exp(lx)) but for the lognormal
	switch d.form {
	case Exponential:
		a, lx = 2, math.Log(p[0])+math.Log(x)
	case LogNormal:
		z := (math.Log(x) - p[0] - p[1]*p[1]) / p[1]
		return logMean, logPhi(z), logPhi(-z)
	case Weibull:
		a, lx = 1+1/p[0], p[0]*(math.Log(x)-math.Log(p[1]))
	case Gamma:
		a, lx = p[0]+1, math.Log(p[1])+math.Log(x)
	}
	return logMean, logGammaP(a, lx), math.Log(mathext.GammaIncRegComp(a, math.Exp(lx)))
}

func (d formDist) mass(a, b float64) (float64, float64) {
	laf, las := d.logCDF(a)
	lbf, lbs := d.logCDF(b)
	lp := logDiff(laf, las, lbf, lbs)
	lm, gaf, gas := d.logBiased(a)
	_, gbf, gbs := d.logBiased(b)
	lq := logDiff(gaf, gas, gbf, gbs)
	if math.IsInf(lp, -1) || math.IsNaN(lp) {
		return lp, (a + b) / 2
	}
	m := math.Exp(lm + lq - lp)
	if math.IsNaN(m) {
		m = (a + b) / 2
	}
	return lp, min(max(m, a), b)
}

// logDiff returns log(F(b) − F(a)) from the logs of the distribution
// function and survival at a ≤ b, as a difference of survivals past the
// median and of distribution functions before it.
func logDiff(laf, las, lbf, lbs float64) float64 {
	if math.IsInf(las, -1) || math.IsInf(lbf, -1) { // S(a) = 0 or F(b) = 0
		return math.Inf(-1)
	}
	if las < -math.Ln2 {
		return las + math.Log(-math.Expm1(min(lbs-las, 0)))
	}
	return lbf + math.Log(-math.Expm1(min(laf-lbf, 0)))
}

// logPhi returns log Φ(z), Φ the standard normal distribution function,
// by its asymptotic series below z = −37, where Φ nears the smallest
// normal float64: log Φ(z) = −z²/2 − log(−z) − ½log 2π +
// log(1 − z⁻² + 3z⁻⁴ − 15z⁻⁶ + 105z⁻⁸ − 945z⁻¹⁰), relative error below
// 10395·z⁻¹² < 10⁻¹⁵.
func logPhi(z float64) float64 {
	switch {
	case z > 0:
		return math.Log1p(-0.5 * math.Erfc(z/math.Sqrt2))
	case z > -37:
		return math.Log(0.5 * math.Erfc(-z/math.Sqrt2))
	}
	w := 1 / (z * z)
	return -z*z/2 - math.Log(-z) - 0.5*math.Log(2*math.Pi) + math.Log1p(w*(-1+w*(3+w*(-15+w*(105-945*w)))))
}

// logOneMinusExp returns log(1 − exp(−exp(ly))), the log distribution
// function of a Weibull at (x/λ)^k = exp(ly).
func logOneMinusExp(ly float64) float64 {
	if ly < -40 { // 1 − e^{−y} = y(1 − y/2 + ...)
		return ly - math.Exp(ly)/2
	}
	return math.Log(-math.Expm1(-math.Exp(ly)))
}

// logGammaP returns log P(a, x), the regularised lower incomplete gamma
// function at x = exp(lx), by its power series where P is below 10⁻²⁵⁰
// (x then far below a, where the series converges at once):
// P(a, x) = x^a e^{−x}/Γ(a+1) · Σ_{n≥0} x^n / ((a+1)···(a+n)).
func logGammaP(a, lx float64) float64 {
	x := math.Exp(lx)
	if p := mathext.GammaIncReg(a, x); p > 1e-250 {
		return math.Log(p)
	}
	sum, term := 1.0, 1.0
	for n := 1; n < 1000; n++ {
		term *= x / (a + float64(n))
		sum += term
		if term < 1e-17*sum {
			break
		}
	}
	lg, _ := math.Lgamma(a + 1)
	return a*lx - x - lg + math.Log(sum)
}

// mixDist is the two-lognormal mixture of MixFit.
type mixDist struct {
	lw, lw1 float64 // log W, log(1 − W)
	a, b    formDist
}

func newMixDist(m MixFit) mixDist {
	return mixDist{lw: math.Log(m.W), lw1: math.Log1p(-m.W),
		a: formDist{LogNormal, []float64{m.Mu1, m.Sigma1}}, b: formDist{LogNormal, []float64{m.Mu2, m.Sigma2}}}
}

func (d mixDist) logCDF(x float64) (float64, float64) {
	f1, s1 := d.a.logCDF(x)
	f2, s2 := d.b.logCDF(x)
	return logSum(d.lw+f1, d.lw1+f2), logSum(d.lw+s1, d.lw1+s2)
}

func (d mixDist) mass(a, b float64) (float64, float64) {
	p1, m1 := d.a.mass(a, b)
	p2, m2 := d.b.mass(a, b)
	lp := logSum(d.lw+p1, d.lw1+p2)
	if math.IsInf(lp, -1) || math.IsNaN(lp) {
		return lp, (a + b) / 2
	}
	return lp, math.Exp(d.lw+p1-lp)*m1 + math.Exp(d.lw1+p2-lp)*m2
}

// logSum returns log(exp(x) + exp(y)).
func logSum(x, y float64) float64 {
	hi, lo := max(x, y), min(x, y)
	if math.IsInf(hi, -1) {
		return hi
	}
	return hi + math.Log1p(math.Exp(lo-hi))
}

// dayLogLik returns the log likelihood of a recorded delay t with date-only
// ends e under d (see DayEnds; e ≠ TimesExact). It is −Inf where the
// likelihood is 0. The triangle of two dates is the mass of each half
// times the mean distance of its delays from the triangle's ends:
// ∫_{T−1}^{T} (s−T+1) f(s) ds = p₁·(m₁ − T + 1), ∫_T^{T+1} (T+1−s) f(s) ds
// = p₂·(T + 1 − m₂).
func dayLogLik(d dayDist, e DayEnds, t float64) float64 {
	switch e {
	case EndDay:
		lp, _ := d.mass(max(t, 0), t+1)
		return lp
	case StartDay:
		lp, _ := d.mass(max(t-1, 0), t)
		return lp
	case BothDays:
		v := math.Inf(-1)
		if t > 0 {
			lp, m := d.mass(max(t-1, 0), t)
			v = lp + math.Log(m-(t-1))
		}
		lp, m := d.mass(t, t+1)
		return logSum(v, lp+math.Log(t+1-m))
	}
	panic("calibrate: dayLogLik of exact times")
}

// dayLogSeen returns the log of the truncation term of a delay with
// date-only ends e and follow-up c under d (see DayEnds).
func dayLogSeen(d dayDist, e DayEnds, c float64) float64 {
	switch e {
	case EndDay:
		lf, _ := d.logCDF(c + 1)
		return lf
	case StartDay:
		return logIntF(d, c-1, c)
	case BothDays:
		return logIntF(d, c, c+1)
	}
	panic("calibrate: dayLogSeen of exact times")
}

// logIntF returns log ∫_a^b F(s) ds for b − a = 1, F = 0 below 0: as
// F(a) + ∫_a^b (b−s) f(s) ds = F(a) + p·(b − m), or as 1 − [S(b) +
// ∫_a^b (s−a) f(s) ds] = 1 − [S(b) + p·(m − a)] past the median, each a
// sum of non-negative terms (p and m the mass and mean within (a, b]).
func logIntF(d dayDist, a, b float64) float64 {
	if b <= 0 {
		return math.Inf(-1)
	}
	if a <= 0 { // ∫_0^b F = ∫_0^b (b−s) f(s) ds
		lp, m := d.mass(0, b)
		return lp + math.Log(b-m)
	}
	lfa, lsa := d.logCDF(a)
	lp, m := d.mass(a, b)
	if lsa < -math.Ln2 {
		_, lsb := d.logCDF(b)
		return math.Log1p(-min(math.Exp(lsb)+math.Exp(lp)*(m-a), 1))
	}
	return logSum(lfa, lp+math.Log(b-m))
}

// detectDates finds the sets of times that are dates only (datesOnly, in
// UTC or the model's zone): each stage's entries, each source's creation
// times, and the activities; and warns about each kind found.
func (c *calib) detectDates() {
	zones := []*time.Location{time.UTC}
	if c.loc != nil && c.loc.String() != time.UTC.String() {
		zones = append(zones, c.loc)
	}
	c.stageDates, c.sourceDates = map[string]*time.Location{}, map[string]*time.Location{}
	entries := make([]midnights, len(c.m.Stages))
	for i := range entries {
		entries[i] = newMidnights(zones)
	}
	for _, s := range c.e.StageEvents {
		if i := c.m.StageIndex(s.Stage); i >= 0 {
			entries[i].add(s.At)
		}
	}
	var stages []string
	mixed := func(what string, times midnights) {
		for i, z := range zones {
			if share, n := times.share(i); share >= mixedShare && n >= c.cfg.MinObs {
				c.warn(fmt.Errorf("%s: %.0f%% of %d are at midnight %s, some dates only among times: taken as times, so those dates put moves, arrivals and activity at midnight; export the column with its time, or as dates throughout", what, 100*share, n, z))
				return
			}
		}
	}
	for i, st := range c.m.Stages {
		if c.m.StageIndex(st.Name) != i {
			continue // a second stage of that name: its entries are the first's
		}
		if z, ok := entries[i].datesOnly(); ok {
			c.stageDates[st.Name] = z
			stages = append(stages, fmt.Sprintf("%s (%d entries, at midnight %s)", st.Name, entries[i].len, z))
		} else {
			mixed("entry times of "+st.Name, entries[i])
		}
	}
	if len(stages) > 0 {
		c.warn(fmt.Errorf("entry times of %s are dates only: delays from and to them are fitted at day resolution, a move within the day as a delay in [0, 1) day (each date-only end's time of day unknown, uniform over the day)",
			strings.Join(stages, ", ")))
	}
	created := map[string]*midnights{}
	for _, l := range c.e.Leads {
		m := created[l.Source]
		if m == nil {
			mm := newMidnights(zones)
			m = &mm
			created[l.Source] = m
		}
		m.add(l.CreatedAt)
	}
	for _, src := range sortedKeys(created) {
		if z, ok := created[src].datesOnly(); ok {
			c.sourceDates[src] = z
		} else {
			mixed("creation times of source "+src, *created[src])
		}
	}
	if len(c.e.Activities) > 0 {
		at := newMidnights(zones)
		for _, a := range c.e.Activities {
			at.add(a.At)
		}
		if z, ok := at.datesOnly(); ok {
			c.actDates = z
		} else {
			mixed("activity times", at)
		}
	}
}

// midnights counts a set of times as midnightShare and datesOnly look at
// them, one time at a time, so that the set need not be held: the
// non-zero times, and those at midnight in each of zones.
type midnights struct {
	zones []*time.Location
	len   int   // times added, zero ones included
	n     int   // non-zero times
	mid   []int // of those, at midnight in zones[i]
}

func newMidnights(zones []*time.Location) midnights {
	return midnights{zones: zones, mid: make([]int, len(zones))}
}

func (m *midnights) add(t time.Time) {
	m.len++
	if t.IsZero() {
		return
	}
	m.n++
	for i, z := range m.zones {
		if z == nil {
			continue
		}
		l := t.In(z)
		if l.Hour() == 0 && l.Minute() == 0 && l.Second() == 0 && l.Nanosecond() == 0 {
			m.mid[i]++
		}
	}
}

// share returns midnightShare of the times added, in zones[i].
func (m *midnights) share(i int) (float64, int) {
	if m.n == 0 {
		return 0, 0
	}
	return float64(m.mid[i]) / float64(m.n), m.n
}

// datesOnly returns datesOnly of the times added.
func (m *midnights) datesOnly() (*time.Location, bool) {
	for i, z := range m.zones {
		if z == nil {
			continue
		}
		if share, n := m.share(i); n > 0 && share >= dateShare {
			return z, true
		}
	}
	return nil, false
}

// handoffClock reports whether the sojourn o's clock started at a first
// touch (an activity) rather than at its stage entry.
func (c *calib) handoffClock(o stay) bool {
	return c.m.Handoff != nil && len(c.e.Activities) > 0 && c.m.Stages[o.stage].Name == c.m.Handoff.Stage
}

// startDates returns the zone in which the start of o's clock is a date
// only, nil when it is a time.
func (c *calib) startDates(o stay) *time.Location {
	if c.handoffClock(o) {
		return c.actDates
	}
	return c.stageDates[c.m.Stages[o.stage].Name]
}

// stageDatesOf returns c.stageDates of the stage with index i in the
// model, nil for -1.
func (c *calib) stageDatesOf(i int16) *time.Location {
	if i < 0 {
		return nil
	}
	return c.stageDates[c.m.Stages[i].Name]
}

// truncObs returns the delay of the stay o, which ended along a
// transition, for the delay fits: exact times as they are (a delay
// rounded to 0 seconds made half a second, tiny); with a date-only end or
// start, the recorded delay and follow-up of DayEnds, in days. Between two
// dates in one zone, both are whole calendar days (rounded, so that a
// daylight-saving change does not make 23 or 25 hours).
func (c *calib) truncObs(o stay) TruncObs {
	zs, ze := c.startDates(o), c.stageDatesOf(o.to)
	switch {
	case zs == nil && ze == nil:
		return TruncObs{T: max(o.T, tiny), Follow: max(o.Follow, o.T, tiny)}
	case ze == nil:
		t := max(o.T, tiny)
		return TruncObs{T: t, Follow: max(o.Follow, t), Days: StartDay}
	}
	// The end is a date: the export shows ends up to the as-of day's.
	f := dayStart(c.e.AsOf, ze).Sub(o.Start).Hours() / 24
	if zs == nil {
		t := max(o.T, -1+tiny)
		return TruncObs{T: t, Follow: max(f, t), Days: EndDay}
	}
	t := o.T
	if zs == ze {
		t, f = math.Round(t), math.Round(f)
	}
	t = max(t, 0)
	return TruncObs{T: t, Follow: max(f, t), Days: BothDays}
}
