package calibrate

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
	"gonum.org/v1/gonum/stat/distuv"
)

// OpportunitySource is the name of the single source of a model fitted to
// an export that holds only opportunities.
const OpportunitySource = "pipeline"

// opportunitiesAsLeads turns an opportunities-only export into leads that
// enter the opportunity stage when the deal is created and leave it when
// it closes, and returns the model to fit: base's opportunity, won and
// lost stages, the two edges between them, and one source.
func opportunitiesAsLeads(e *data.Export, base *model.Model) (*data.Export, *model.Model) {
	stage := func(o model.Outcome, def string) model.Stage {
		for _, s := range base.Stages {
			if s.Outcome == o && (o != model.Open || s.Opportunity) {
				return model.Stage{Name: s.Name, Team: s.Team, Outcome: s.Outcome, Opportunity: s.Opportunity}
			}
		}
		return model.Stage{Name: def, Team: model.Sales, Outcome: o, Opportunity: o == model.Open}
	}
	opp, won, lost := stage(model.Open, "opportunity"), stage(model.Won, "won"), stage(model.Lost, "lost")
	delay := func(to string) model.Dist {
		for _, t := range base.Transitions {
			if t.From == opp.Name && t.To == to {
				return t.Delay
			}
		}
		return model.Dist{Form: model.LogNormal, Median: 60, Sigma: 0.8}
	}
	deal := model.Dist{Form: model.LogNormal, Median: 25000, Sigma: 0.8}
	if len(base.Sources) > 0 {
		deal = base.Sources[0].DealSize
	}
	m := &model.Model{Name: "calibrated", Currency: base.Currency, TimeZone: base.TimeZone, QuarterWeeks: base.QuarterWeeks, Quota: base.Quota,
		Stages: []model.Stage{opp, won, lost},
		Transitions: []model.Transition{
			{From: opp.Name, To: won.Name, P: 0.25, Delay: delay(won.Name)},
			{From: opp.Name, To: lost.Name, P: 0.75, Delay: delay(lost.Name)},
		},
		Sources: []model.Source{{Name: OpportunitySource, Entry: opp.Name, RatePerWeek: 1, Profile: model.Profile{Shape: "flat"}, DealSize: deal}},
	}
	x := &data.Export{AsOf: e.AsOf, Report: e.Report}
	for _, o := range e.Opportunities {
		op := o
		op.LeadID = o.ID
		x.Opportunities = append(x.Opportunities, op)
		if o.CreatedAt.IsZero() {
			continue
		}
		x.Leads = append(x.Leads, data.Lead{ID: o.ID, CreatedAt: o.CreatedAt, Source: OpportunitySource})
		x.StageEvents = append(x.StageEvents, data.StageEvent{LeadID: o.ID, Stage: opp.Name, At: o.CreatedAt})
		switch o.Outcome {
		case data.OutcomeWon:
			x.StageEvents = append(x.StageEvents, data.StageEvent{LeadID: o.ID, Stage: won.Name, At: o.ClosedAt})
		case data.OutcomeLost:
			x.StageEvents = append(x.StageEvents, data.StageEvent{LeadID: o.ID, Stage: lost.Name, At: o.ClosedAt})
		}
	}
	slices.SortStableFunc(x.StageEvents, func(a, b data.StageEvent) int {
		return cmp.Or(cmp.Compare(a.LeadID, b.LeadID), a.At.Compare(b.At))
	})
	return x, m
}

// sourceOf returns the source of the lead with id lead, "" when the
// export does not have it.
func (c *calib) sourceOf(lead string) string {
	if i, ok := c.leads[lead]; ok {
		return c.e.Leads[i].Source
	}
	return ""
}

// origin returns the Monday 00:00 in loc on or before t.
func origin(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
	for d.Weekday() != time.Monday {
		d = d.AddDate(0, 0, -1)
	}
	return d
}

// fitArrivals fits each source's weekly rate, weekday-by-hour profile and
// quarterly overdispersion from the leads' creation times. Hours are
// counted from a Monday midnight in the model's zone without daylight
// saving, as the engine counts them. Sources the export does not have are
// dropped; sources the base model does not have are added.
func (c *calib) fitArrivals() {
	m := c.m
	var first time.Time
	for _, l := range c.e.Leads {
		if !l.CreatedAt.IsZero() && (first.IsZero() || l.CreatedAt.Before(first)) {
			first = l.CreatedAt
		}
	}
	if first.IsZero() {
		c.warn(fmt.Errorf("no lead creation times: arrival rates keep the base model's values"))
		c.keepArrivals("the export's leads have no creation times")
		return
	}
	if !c.arrivalsFrom.IsZero() && !c.arrivalsFrom.Before(first) { // left-truncated records: count from the Monday at or after
		first = c.arrivalsFrom.AddDate(0, 0, 6)
	}
	org := origin(first, c.loc)
	weeks := int(c.e.AsOf.Sub(org).Hours() / model.HoursPerWeek)
	if weeks < 3 {
		why := fmt.Sprintf("%s: %d whole weeks of arrivals, fewer than the 3 a weekly rate needs", c.spanText(), weeks)
		c.warn(fmt.Errorf("arrival rates keep the base model's values: %s", why))
		c.keepArrivals(why)
		return
	}
	end := float64(weeks) * model.HoursPerWeek
	hours := map[string][]float64{}
	var all []float64
	entry := map[string]map[string]int{}
	firstStage := make([]string, len(c.e.Leads)) // by lead, "" for none
	for i := len(c.e.StageEvents) - 1; i >= 0; i-- {
		if li, ok := c.leads[c.e.StageEvents[i].LeadID]; ok {
			firstStage[li] = c.e.StageEvents[i].Stage
		}
	}
	segment := map[string]map[string]int{}
	unknown := map[string]map[string]int{} // by source, first stages the model does not have
	for li, l := range c.e.Leads {
		if l.CreatedAt.IsZero() {
			continue
		}
		at := l.CreatedAt
		if z := c.sourceDates[l.Source]; z != nil { // the day the date names, in the model's zone
			y, mo, d := at.In(z).Date()
			at = time.Date(y, mo, d, 0, 0, 0, 0, c.loc)
		}
		if h := at.Sub(org).Hours(); h >= 0 && h < end {
			hours[l.Source] = append(hours[l.Source], h)
			all = append(all, h)
		}
		if entry[l.Source] == nil {
			entry[l.Source], segment[l.Source] = map[string]int{}, map[string]int{}
		}
		if s, ok := firstStage[li], firstStage[li] != ""; ok && m.StageIndex(s) >= 0 {
			entry[l.Source][s]++
		} else if ok {
			if unknown[l.Source] == nil {
				unknown[l.Source] = map[string]int{}
			}
			unknown[l.Source][s]++
		}
		segment[l.Source][l.Segment]++
	}
	pooled, _ := FitArrivals(all, weeks, time.Monday)
	fits := map[string]ArrivalFit{}
	var errs []error
	for _, name := range sortedKeys(hours) {
		fit, err := FitArrivals(hours[name], weeks, time.Monday)
		if err != nil {
			errs = append(errs, fmt.Errorf("source %s arrivals: %w", name, err))
			continue
		}
		if c.sourceDates[name] != nil {
			fit.Profile = spreadDays(fit.Profile)
		}
		fits[name] = fit
	}
	if len(c.sourceDates) > 0 { // the pooled profile of the sources' profiles, weighted by their arrivals
		pooled.Profile = [7][24]float64{}
		total := 0
		for _, f := range fits {
			total += f.Total
		}
		for _, name := range sortedKeys(fits) {
			f := fits[name]
			for d := range 7 {
				for h := range 24 {
					pooled.Profile[d][h] += f.Profile[d][h] * float64(f.Total) / float64(total)
				}
			}
		}
	}
	var sources []model.Source
	for _, name := range sortedKeys(hours) {
		fit, ok := fits[name]
		if !ok {
			c.warn(errs[0])
			errs = errs[1:]
			continue
		}
		ar := ArrivalResult{Source: name, Entry: mode(entry[name]), Fit: fit, QuarterDispersion: math.Inf(1), QuarterLogSE: math.NaN(), QuarterPValue: 1}
		if z := c.sourceDates[name]; z != nil {
			ar.DatesOnly = true
			c.warn(fmt.Errorf("source %s: creation times are dates only (%d leads, at midnight %s): its profile takes the weekdays of its arrivals from the data and spreads each day's arrivals evenly over its 24 hours", name, fit.Total, z))
		}
		for _, w := range fit.Warnings {
			c.warn(fmt.Errorf("source %s: %w", name, w))
		}
		var src model.Source
		if i := m.SourceIndex(name); i >= 0 {
			src = m.Sources[i]
		} else {
			src = model.Source{Name: name, DealSize: model.Dist{Form: model.LogNormal, Median: 25000, Sigma: 0.8}}
			if s := m.StageIndex(ar.Entry); s >= 0 {
				src.SalesSourced = m.Stages[s].Team == model.Sales && !m.Stages[s].Opportunity || name == UnlinkedSource
			}
			c.warn(fmt.Errorf("source %s is not in the base model: added (sales_sourced=%v, from its entry stage %s)", name, src.SalesSourced, ar.Entry))
		}
		if s := m.StageIndex(ar.Entry); s >= 0 && m.Stages[s].Outcome != model.Open {
			// Most of its leads' first stage is an outcome (imported
			// leads already closed, or their earlier stages lost): new
			// leads cannot enter the funnel there.
			c.warn(fmt.Errorf("source %s: most of its leads are first seen at %s, an outcome; new leads enter at %s instead",
				name, ar.Entry, cmp.Or(src.Entry, firstOpen(m))))
			ar.Entry = ""
		}
		if ar.Entry == "" {
			ar.Entry = src.Entry
		}
		if ar.Entry == "" { // a new source whose leads start in no stage of the model
			ar.Entry = firstOpen(m)
			var seen []string
			for _, st := range sortedKeys(unknown[name]) {
				seen = append(seen, fmt.Sprintf("%q (%d leads)", st, unknown[name][st]))
			}
			what := "no stage events"
			if len(seen) > 0 {
				what = "first stages the model does not have: " + strings.Join(seen, ", ")
			}
			c.warn(fmt.Errorf("source %s: its leads have %s; they enter at %s. Map those statuses to the model's stages (sim import --mapping) or add the stages to the base model", name, what, ar.Entry))
		}
		src.Entry = ar.Entry
		src.Segment = mode(segment[name])
		src.RatePerWeek = fit.WeeklyRate
		rateSE, method := fit.WeeklyRateSE, fmt.Sprintf("mean of %d weekly counts, negative binomial SE", weeks)
		// The engine's overdispersion is a gamma multiplier per quarter.
		qw := m.QuarterWeeks
		if nq := weeks / qw; nq >= 3 {
			ar.QuarterCounts = make([]int, nq)
			for w, n := range fit.WeeklyCounts[:nq*qw] {
				ar.QuarterCounts[w/qw] += n
			}
			mu := 0.0
			for _, n := range ar.QuarterCounts {
				mu += float64(n)
			}
			mu /= float64(nq)
			r, logSE, lr := nbDispersion(ar.QuarterCounts, mu)
			ar.QuarterDispersion, ar.QuarterLogSE = r, logSE
			if lr > 0 {
				ar.QuarterPValue = 0.5 * distuv.ChiSquared{K: 1}.Survival(lr)
			}
			src.Dispersion = 0
			if ar.QuarterPValue < 0.05 && !math.IsInf(r, 1) {
				src.Dispersion = math.Round(r*1000) / 1000
				// A quarter's multiplier is shared by its weeks, so weekly
				// counts are not independent: the rate is known only as
				// well as nq quarterly counts tell it,
				// Var = (μq + μq²/r)/nq / weeks², μq the quarterly mean.
				if se := math.Sqrt((mu+mu*mu/r)/float64(nq)) / float64(qw); se > rateSE {
					rateSE = se
					method = fmt.Sprintf("mean of %d weekly counts, SE from %d quarterly counts (negative binomial)", weeks, nq)
				}
				c.param(Param{Path: "sources[" + name + "].dispersion", Estimate: r, Lower: r * math.Exp(-z95*logSE), Upper: r * math.Exp(z95*logSE), N: nq,
					Method: fmt.Sprintf("negative binomial size of %d quarterly counts (LR test p=%.2g)", nq, ar.QuarterPValue)})
			}
		} else {
			src.Dispersion = 0
			c.warn(fmt.Errorf("source %s: %d whole quarters, too few to test the quarter-to-quarter overdispersion: dispersion set to 0 (Poisson)", name, weeks/qw))
		}
		if r, se, w, ok := recentRate(fit, qw); ok {
			c.warn(w.withSource(name))
			src.RatePerWeek, rateSE = r, se
			method = fmt.Sprintf("mean of the last %d weekly counts (a constant rate over %d weeks is rejected by their trend), SE from their spread", qw, weeks)
		}
		rate := src.RatePerWeek
		src.RateWeeks = 0
		if rateSE > 0 {
			src.RateWeeks = math.Round(rate/(rateSE*rateSE)*100) / 100
		}
		c.param(Param{Path: "sources[" + name + "].rate_per_week", Estimate: rate,
			Lower: rate - z95*rateSE, Upper: rate + z95*rateSE, N: fit.Total,
			Method:    method,
			Posterior: fmt.Sprintf("gamma(shape %.6g, rate %.6g per week)", rate*src.RateWeeks, src.RateWeeks)})
		prof := fit.Profile
		if fit.Total < 20*model.HoursPerWeek {
			prof, ar.PooledProfile = pooled.Profile, true
		}
		src.Profile = model.Profile{Weights: profileWeights(prof)}
		c.res.Arrivals = append(c.res.Arrivals, ar)
		sources = append(sources, src)
	}
	for _, s := range m.Sources {
		if _, ok := hours[s.Name]; !ok {
			c.warn(fmt.Errorf("source %s of the base model has no leads in the export: dropped", s.Name))
		}
	}
	if len(sources) > 0 {
		m.Sources = sources
	}
}

// trendWarning says which rate a trending source was given.
type trendWarning struct {
	trend, se, recent, all float64
	weeks, total           int
	source                 string
}

func (w trendWarning) withSource(s string) error { w.source = s; return w }

func (w trendWarning) Error() string {
	return fmt.Sprintf("source %s: weekly counts trend by %.3g ± %.2g per week, so the rate is not constant: rate_per_week is the mean of the last %d weeks, %.4g, not the mean of all %d weeks, %.4g (a recent window, not an extrapolated trend: trends in lead flow turn)",
		w.source, w.trend, w.se, w.weeks, w.recent, w.total, w.all)
}

// recentRate returns the arrival rate of a source whose weekly counts
// trend (|Trend| > 2·TrendSE, the test FitArrivals warns about) over at
// least two windows of qw weeks: the mean of the last qw weekly counts,
// and its standard error from their sample variance over qw (at least the
// Poisson one). ok is false when the rate is constant or the history too
// short; then the mean of all weeks stands.
func recentRate(fit ArrivalFit, qw int) (rate, se float64, w trendWarning, ok bool) {
	if qw <= 0 || fit.Weeks < 2*qw || !(math.Abs(fit.Trend) > 2*fit.TrendSE) {
		return 0, 0, w, false
	}
	recent := fit.WeeklyCounts[fit.Weeks-qw:]
	for _, n := range recent {
		rate += float64(n)
	}
	rate /= float64(qw)
	v := 0.0
	for _, n := range recent {
		v += (float64(n) - rate) * (float64(n) - rate)
	}
	v = max(v/float64(qw-1), rate)
	se = math.Sqrt(v / float64(qw))
	return rate, se, trendWarning{trend: fit.Trend, se: fit.TrendSE, recent: rate, all: fit.WeeklyRate, weeks: qw, total: fit.Weeks}, true
}

// spreadDays returns the profile p with each weekday's intensity spread
// evenly over its 24 hours: Σ_h p[d][h]/24 in every hour of day d. It is
// the profile of arrivals known only by their date, in whatever hour of
// it they were recorded.
func spreadDays(p [7][24]float64) [7][24]float64 {
	var q [7][24]float64
	for d := range p {
		s := 0.0
		for _, v := range p[d] {
			s += v
		}
		for h := range q[d] {
			q[d][h] = s / 24
		}
	}
	return q
}

// profileWeights converts a [time.Weekday][hour] profile into the model's
// Monday-first rows, rounded to 3 decimals.
func profileWeights(p [7][24]float64) [][]float64 {
	w := make([][]float64, 7)
	for d := range 7 {
		w[d] = make([]float64, 24)
		for h := range 24 {
			w[d][h] = math.Round(p[(d+1)%7][h]*1000) / 1000
		}
	}
	return w
}

func mode(counts map[string]int) string {
	best, n := "", -1
	for _, k := range sortedKeys(counts) {
		if counts[k] > n {
			best, n = k, counts[k]
		}
	}
	return best
}

// fitDeals fits each source's deal size to its won deals' amounts: a
// lognormal by maximum likelihood, or the empirical distribution when a
// Kolmogorov-Smirnov test (Lilliefors' 5% critical value for estimated
// parameters) rejects it. Sources with fewer than 5 won amounts get the
// fit of all won amounts. Lost and open deals' amounts are left out
// (a pipeline's asks run larger than what closes); only when no won deal
// has an amount are all amounts used, with a warning. Amounts in a
// currency other than the model's (foreign) are left out.
func (c *calib) fitDeals() {
	amounts := map[string][]float64{}
	var all []float64
	absurd, nForeign := 0, 0
	wonAmounts := 0
	for _, o := range c.e.Opportunities {
		if o.Outcome == data.OutcomeWon && o.Amount > 0 && o.Amount <= model.MaxAmount && !c.foreign(o) {
			wonAmounts++
		}
	}
	for _, o := range c.e.Opportunities {
		if o.Amount <= 0 || o.Outcome == data.OutcomeLost && o.Amount == 0 {
			continue
		}
		if c.foreign(o) {
			nForeign++
			continue
		}
		if o.Outcome != data.OutcomeWon && wonAmounts > 0 {
			continue
		}
		if o.Amount > model.MaxAmount {
			absurd++
			continue
		}
		s := c.sourceOf(o.LeadID)
		amounts[s] = append(amounts[s], o.Amount)
		all = append(all, o.Amount)
	}
	if absurd > 0 {
		c.warn(fmt.Errorf("%d opportunity amounts above %.0e (model.MaxAmount) left out of the deal sizes: a typo or a placeholder, not a deal", absurd, model.MaxAmount))
	}
	if wonAmounts == 0 && len(all) > 0 {
		c.warn(fmt.Errorf("no won deal has an amount: deal sizes are fitted to the %d amounts of open and lost deals, which run larger than what closes: treat them as an upper guess", len(all)))
	}
	if len(all) == 0 {
		c.warn(fmt.Errorf("no opportunity amounts: deal sizes keep the base model's values"))
		for _, s := range c.m.Sources {
			c.keep("sources["+s.Name+"].deal_size", fmt.Sprintf("%v, median %.4g", s.DealSize.Form, s.DealSize.Quantile(0.5)), "no opportunity of the export has an amount")
		}
		return
	}
	what := "won deal"
	if wonAmounts == 0 {
		what = "deal"
	}
	if nForeign > 0 {
		c.warn(fmt.Errorf("%d opportunity amounts in currencies other than %s left out of the deal sizes", nForeign, c.m.Currency))
	}
	overall := fitAmounts("all", all)
	for i := range c.m.Sources {
		s := &c.m.Sources[i]
		d := overall
		if len(amounts[s.Name]) >= 5 {
			d = fitAmounts(s.Name, amounts[s.Name])
		} else {
			c.warn(fmt.Errorf("source %s: %d %s amounts: uses the fit of all %d", s.Name, len(amounts[s.Name]), what, len(all)))
		}
		d.Source = s.Name
		c.res.Deals = append(c.res.Deals, d)
		s.DealSize, s.DealObservations = d.dist(), 0
		n := len(d.Amounts)
		if d.Empirical {
			c.param(Param{Path: "sources[" + s.Name + "].deal_size.mean", Estimate: mean(d.Amounts), Lower: math.NaN(), Upper: math.NaN(), N: n,
				Method: fmt.Sprintf("empirical, %d %s amounts (KS %.3f > %.3f rejects the lognormal)", n, what, d.KS, d.KSCrit)})
			continue
		}
		s.DealObservations = float64(n)
		se := d.Sigma / math.Sqrt(float64(n))
		c.param(Param{Path: "sources[" + s.Name + "].deal_size.median", Estimate: math.Exp(d.Mu), Lower: math.Exp(d.Mu - z95*se), Upper: math.Exp(d.Mu + z95*se), N: n,
			Method: fmt.Sprintf("lognormal MLE, %d %s amounts (KS %.3f ≤ %.3f)", n, what, d.KS, d.KSCrit), Posterior: fmt.Sprintf("lognormal(%.5g, %.3g)", d.Mu, se)})
		ss := d.Sigma / math.Sqrt(2*float64(n))
		c.param(Param{Path: "sources[" + s.Name + "].deal_size.sigma", Estimate: d.Sigma, Lower: d.Sigma - z95*ss, Upper: d.Sigma + z95*ss, N: n,
			Method: "lognormal MLE"})
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

// fitAmounts fits a lognormal to positive amounts and runs the KS test.
func fitAmounts(name string, x []float64) DealResult {
	d := DealResult{Source: name, Amounts: slices.Sorted(slices.Values(x))}
	n := float64(len(x))
	for _, v := range x {
		d.Mu += math.Log(v)
	}
	d.Mu /= n
	for _, v := range x {
		d.Sigma += (math.Log(v) - d.Mu) * (math.Log(v) - d.Mu)
	}
	d.Sigma = math.Sqrt(d.Sigma / n)
	if d.Sigma > 0 {
		ln := distuv.LogNormal{Mu: d.Mu, Sigma: d.Sigma}
		for i, v := range d.Amounts {
			f := ln.CDF(v)
			d.KS = max(d.KS, math.Abs(float64(i+1)/n-f), math.Abs(f-float64(i)/n))
		}
	}
	d.KSCrit = 0.886 / math.Sqrt(n)
	d.Empirical = d.Sigma == 0 || d.KS > d.KSCrit
	return d
}

// dist returns the model distribution of a deal-size fit: the lognormal,
// or up to 101 percentiles of the amounts when empirical.
func (d DealResult) dist() model.Dist {
	if !d.Empirical {
		return model.Dist{Form: model.LogNormal, Median: math.Round(math.Exp(d.Mu)*100) / 100, Sigma: math.Round(d.Sigma*1e4) / 1e4}
	}
	v := d.Amounts
	if len(v) > 101 {
		q := make([]float64, 101)
		for i := range q {
			q[i] = math.Round(empiricalQuantile(v, float64(i)/100)*100) / 100
		}
		v = q
	}
	return model.Dist{Form: model.Empirical, Values: slices.Clone(v)}
}

// Mean returns the mean amount of the fitted distribution.
func (d DealResult) Mean() float64 {
	if d.Empirical {
		return mean(d.Amounts)
	}
	return math.Exp(d.Mu + d.Sigma*d.Sigma/2)
}

// fitTeam estimates the SDR team from the activities: headcount is the
// number of distinct owners in the last quarter of history; working days
// are the weekdays with at least a quarter of an average day's touches, and
// working hours run from the 2nd to the 98th percentile of the hour of day
// of touches on those days (rounded out to whole hours). The handling time
// is estimated from the gaps between consecutive first touches by the same
// owner when the later lead was already waiting at the earlier touch: the
// owner then went straight from one lead to the next, so the gap is the
// handling time. This is an approximation: with several SDRs a long
// handling time makes it likelier that someone else took the waiting lead,
// so the estimate leans short when queues are short.
func (c *calib) fitTeam() {
	h := c.m.Handoff
	tr := &TeamResult{}
	var first time.Time
	for _, a := range c.e.Activities {
		if first.IsZero() || a.At.Before(first) {
			first = a.At
		}
	}
	org := origin(first, c.loc)
	recent := c.e.AsOf.Add(-time.Duration(c.m.QuarterWeeks) * 7 * 24 * time.Hour)
	owners := map[string]bool{}
	var day [7]int
	var hourOf [7][]float64
	for _, a := range c.e.Activities {
		if a.At.After(c.e.AsOf) {
			continue
		}
		if a.Owner != "" && a.At.After(recent) {
			owners[a.Owner] = true
		}
		hw := math.Mod(a.At.Sub(org).Hours(), model.HoursPerWeek)
		d := int(hw / 24) // 0 = Monday
		day[d]++
		hourOf[d] = append(hourOf[d], math.Mod(hw, 24))
	}
	tr.Owners = sortedKeys(owners)
	if len(tr.Owners) > 0 {
		h.SDR.Headcount = len(tr.Owners)
		c.param(Param{Path: "handoff.sdr.headcount", Estimate: float64(len(tr.Owners)), Lower: math.NaN(), Upper: math.NaN(), N: len(c.e.Activities),
			Method: "distinct activity owners in the last quarter"})
	} else {
		c.warn(fmt.Errorf("activities have no owners: the SDR headcount keeps the base model's %d", h.SDR.Headcount))
	}
	total := 0
	for _, n := range day {
		total += n
	}
	var hours []float64
	for d, n := range day {
		if float64(n) >= 0.25*float64(total)/7 {
			tr.Days = append(tr.Days, model.Weekday((d+1)%7))
			hours = append(hours, hourOf[d]...)
		}
	}
	if c.actDates != nil {
		c.warn(fmt.Errorf("activities are dates only (at midnight %s): the SDRs' working hours keep the base model's, and their handling time is not estimated", c.actDates))
	} else if len(hours) >= 20 {
		slices.Sort(hours)
		tr.Start = math.Floor(empiricalQuantile(hours, 0.02))
		tr.End = min(math.Ceil(empiricalQuantile(hours, 0.98)), 24)
		if tr.End <= tr.Start {
			tr.Start, tr.End = 0, 24
		}
		slices.Sort(tr.Days)
		h.SDR.Hours = model.WorkHours{Days: tr.Days, Start: tr.Start, End: tr.End}
		if len(tr.Days) == 7 {
			h.SDR.Hours.Days = nil
		}
	}
	// Busy gaps.
	type touch struct {
		at, entered time.Time
	}
	by := map[string][]touch{}
	for _, r := range c.resp {
		if !r.Censored && r.Owner != "" && c.actDates == nil {
			by[r.Owner] = append(by[r.Owner], touch{r.Entered.Add(time.Duration(r.Minutes * float64(time.Minute))), r.Entered})
		}
	}
	for _, o := range sortedKeys(by) {
		ts := by[o]
		slices.SortFunc(ts, func(a, b touch) int { return a.at.Compare(b.at) })
		for i := 1; i < len(ts); i++ {
			g := ts[i].at.Sub(ts[i-1].at).Minutes()
			if !ts[i].entered.After(ts[i-1].at) && g > 0 && g < 8*60 {
				tr.Handle = append(tr.Handle, g)
			}
		}
	}
	switch {
	case c.actDates != nil: // not estimated, as said above
	case len(tr.Handle) >= 5:
		tr.HandleFit = fitAmounts("handle", tr.Handle)
		f := tr.HandleFit
		n := len(tr.Handle)
		h.SDR.Handle = model.Dist{Form: model.LogNormal, Median: math.Round(math.Exp(f.Mu)*1000) / 1000, Sigma: math.Round(f.Sigma*1e4) / 1e4}
		se := f.Sigma / math.Sqrt(float64(n))
		c.param(Param{Path: "handoff.sdr.handle_minutes.median", Estimate: math.Exp(f.Mu), Lower: math.Exp(f.Mu - z95*se), Upper: math.Exp(f.Mu + z95*se), N: n,
			Method: "lognormal MLE of busy gaps between an owner's touches (approximate)"})
		ss := f.Sigma / math.Sqrt(2*float64(n))
		c.param(Param{Path: "handoff.sdr.handle_minutes.sigma", Estimate: f.Sigma, Lower: f.Sigma - z95*ss, Upper: f.Sigma + z95*ss, N: n,
			Method: "lognormal MLE of busy gaps (approximate)"})
	default:
		c.warn(fmt.Errorf("%d busy gaps between touches: the SDR handling time keeps the base model's", len(tr.Handle)))
	}
	c.res.Team = tr
}

// ageBands are the upper ends of the age bands open leads are grouped in,
// days.
var ageBands = []float64{1, 2, 4, 7, 14, 30, 60, 90, 180, 365, math.Inf(1)}

// startState writes the open funnel at the as-of date: leads in every
// non-terminal stage grouped by stage, source and age band (at the band's
// mean age), and every open opportunity with its amount and age. On the
// handoff stage, leads whose first touch did not connect are left out
// (in the model they never move again) and a contacted lead's age counts
// from its first touch, as its delays do.
func (c *calib) startState() {
	m := c.m
	st := &model.Start{}
	fallback := ""
	for _, s := range m.Sources {
		if s.SalesSourced || fallback == "" {
			fallback = s.Name
		}
	}
	sourceOf := func(lead string) string {
		if s := c.sourceOf(lead); m.SourceIndex(s) >= 0 {
			return s
		}
		return fallback
	}
	openOpp := map[string]data.Opportunity{}
	var openOpps []data.Opportunity
	for _, o := range c.e.Opportunities {
		if o.Outcome == data.OutcomeOpen && !o.CreatedAt.After(c.e.AsOf) {
			openOpps = append(openOpps, o)
			if o.LeadID != "" {
				openOpp[o.LeadID] = o
			}
		}
	}
	oppStage := m.OpportunityStage()
	type key struct {
		stage, source string
		band          int
		waiting       bool // on the handoff stage, not touched yet
	}
	sum := map[key]float64{}
	count := map[key]int{}
	var keys []key
	// On the handoff stage the engine walks an open lead as contacted,
	// its delay counted from the first touch. A lead whose first touch
	// did not connect and that has not moved on stays there for good in
	// the model (its recycle is used up, or there is no NoContact stage):
	// it is left out. A contacted lead's age counts from its touch.
	handoff := ""
	if m.Handoff != nil && len(c.resp) > 0 {
		handoff = m.Handoff.Stage
	}
	type entry struct {
		lead string
		at   time.Time
	}
	resp := map[entry]int{} // index in c.resp
	if handoff != "" {
		for i, r := range c.resp {
			resp[entry{r.Lead, r.Entered}] = i
		}
	}
	dead, waiting := 0, 0
	ev := c.e.StageEvents
	for i := 0; i < len(ev); i++ {
		if i+1 < len(ev) && ev[i+1].LeadID == ev[i].LeadID {
			continue
		}
		s := ev[i]
		si := m.StageIndex(s.Stage)
		if si < 0 || m.Stages[si].Outcome != model.Open {
			continue
		}
		if si == oppStage {
			if _, ok := openOpp[s.LeadID]; ok {
				continue // written as an open opportunity below
			}
		}
		since := s.At
		wait := false
		if s.Stage == handoff {
			ri, ok := resp[entry{s.LeadID, s.At}]
			var r Response
			if ok {
				r = c.resp[ri]
			}
			switch {
			case !ok || r.Censored:
				waiting++
				wait = true
			case !r.Contacted:
				dead++
				continue
			default:
				since = r.Entered.Add(time.Duration(r.Minutes * float64(time.Minute)))
			}
		}
		age := c.e.AsOf.Sub(since).Hours() / 24
		b, _ := slices.BinarySearch(ageBands, age)
		k := key{s.Stage, sourceOf(s.LeadID), b, wait}
		if count[k] == 0 {
			keys = append(keys, k)
		}
		count[k]++
		sum[k] += age
	}
	if dead > 0 {
		c.warn(fmt.Errorf("%d leads in the handoff stage %s were not contacted and can no longer be recycled: they stay there for good and are left out of the start state", dead, handoff))
	}
	if waiting > 0 {
		c.warn(fmt.Errorf("%d leads in the handoff stage %s wait for their first touch: the forecast queues them for the SDRs, their wait counted from their entry", waiting, handoff))
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(m.StageIndex(a.stage), m.StageIndex(b.stage)), cmp.Compare(a.source, b.source), cmp.Compare(a.band, b.band), boolCmp(a.waiting, b.waiting))
	})
	for _, k := range keys {
		st.Leads = append(st.Leads, model.OpenLead{Stage: k.stage, Source: k.source, Count: count[k], AgeDays: math.Round(sum[k]/float64(count[k])*100) / 100, Waiting: k.waiting})
	}
	var knownAges []float64
	for _, o := range openOpps {
		if !o.CreatedAt.IsZero() {
			knownAges = append(knownAges, c.e.AsOf.Sub(o.CreatedAt).Hours()/24)
		}
	}
	slices.Sort(knownAges)
	noAge, noAmount, absurdAmount := 0, 0, 0
	for _, o := range openOpps {
		s := sourceOf(o.LeadID)
		age := 0.0
		if o.CreatedAt.IsZero() {
			noAge++
			if len(knownAges) > 0 {
				age = empiricalQuantile(knownAges, 0.5)
			}
		} else {
			age = c.e.AsOf.Sub(o.CreatedAt).Hours() / 24
		}
		amount := o.Amount
		if c.foreign(o) {
			amount = 0
		}
		if amount > model.MaxAmount {
			absurdAmount++
			amount = 0
		}
		if amount <= 0 {
			noAmount++
			for _, d := range c.res.Deals {
				if d.Source == s {
					amount = math.Round(math.Min(d.Mean(), model.MaxAmount)) // a heavy tail's mean can pass any bound
				}
			}
		}
		st.Opportunities = append(st.Opportunities, model.OpenOpportunity{Source: s, Amount: amount, AgeDays: math.Round(age*100) / 100})
	}
	if noAge > 0 && len(knownAges) > 0 {
		c.warn(fmt.Errorf("%d open opportunities have no creation date: given the median age of the others, %.0f days", noAge, empiricalQuantile(knownAges, 0.5)))
	} else if noAge > 0 {
		c.warn(fmt.Errorf("%d open opportunities have no creation date: given age 0", noAge))
	}
	if noAmount > 0 {
		c.warn(fmt.Errorf("%d open opportunities have no amount (%d of them one above %.0e, model.MaxAmount, taken for a typo): given their source's mean fitted deal size", noAmount, absurdAmount, model.MaxAmount))
	}
	m.Start = st
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// firstOpen returns the first stage of m that is not an outcome: where a
// source whose leads start nowhere else enters.
func firstOpen(m *model.Model) string {
	for _, s := range m.Stages {
		if s.Outcome == model.Open {
			return s.Name
		}
	}
	return m.Stages[0].Name
}
