package model

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// FieldError reports an invalid field of a model: its path (as in
// "transitions[3].p"), the value found and what is allowed.
type FieldError struct {
	Path  string
	Value any
	Want  string
}

func (e *FieldError) Error() string {
	v := e.Value
	if s, ok := v.(string); ok {
		v = fmt.Sprintf("%q", s)
	}
	return fmt.Sprintf("%s: got %v, want %s", e.Path, v, e.Want)
}

func fieldErr(path string, v any, want string) error {
	return &FieldError{Path: path, Value: v, Want: want}
}

// Validate checks m and returns every problem found, joined (errors.Join),
// each a *FieldError naming the field's path, or nil when m is valid.
func (m *Model) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if m.Currency == "" {
		add(fieldErr("currency", "", "an ISO 4217 code such as USD"))
	}
	if m.TimeZone != "" {
		if _, err := time.LoadLocation(m.TimeZone); err != nil {
			add(fieldErr("time_zone", m.TimeZone, "an IANA time zone such as America/New_York"))
		}
	}
	if m.QuarterWeeks < 1 || m.QuarterWeeks > 53 {
		add(fieldErr("quarter_weeks", m.QuarterWeeks, "a number of weeks in [1,53]"))
	}
	if m.FiscalYearStart < 0 || m.FiscalYearStart > 12 {
		add(fieldErr("fiscal_year_start", m.FiscalYearStart, "a month in [1,12] (0: January)"))
	}
	if len(m.NotFitted) > MaxNotFitted {
		add(fieldErr("not_fitted", len(m.NotFitted), fmt.Sprintf("at most %d entries", MaxNotFitted)))
	}
	for i, s := range m.NotFitted {
		if len(s) > MaxNotFittedBytes || !utf8.ValidString(s) || strings.ContainsFunc(s, unicode.IsControl) {
			add(fieldErr(fmt.Sprintf("not_fitted[%d]", i), len(s), fmt.Sprintf("one line of UTF-8 text, at most %d bytes, no control characters", MaxNotFittedBytes)))
		}
	}
	if m.ForecastStart != "" {
		if _, err := ParseDate(m.ForecastStart); err != nil {
			add(fieldErr("forecast_start", m.ForecastStart, "a date YYYY-MM-DD in the years 1900-9000"))
		}
	}
	if !(m.Quota >= 0) || math.IsInf(m.Quota, 0) {
		add(fieldErr("quota", m.Quota, "a non-negative amount"))
	} else if m.Quota > MaxAmount {
		add(fieldErr("quota", m.Quota, fmt.Sprintf("at most %g", MaxAmount)))
	}
	if !(m.WarmupDays >= 0) || m.WarmupDays > 3650 {
		add(fieldErr("warmup_days", m.WarmupDays, "days in [0,3650]; 0 derives it from the delays"))
	}
	if m.BusinessHours != nil {
		add(m.BusinessHours.validate("business_hours"))
	}
	if m.MaxRecycles < 0 {
		add(fieldErr("max_recycles", m.MaxRecycles, "a non-negative count"))
	} else if m.MaxRecycles > MaxRecycleCap {
		add(fieldErr("max_recycles", m.MaxRecycles, fmt.Sprintf("at most %d recycles", MaxRecycleCap)))
	}

	// Stages.
	if len(m.Stages) == 0 {
		add(fieldErr("stages", "[]", "at least one stage"))
	}
	seen := map[string]int{}
	nopp, nwon := 0, 0
	for i, s := range m.Stages {
		p := fmt.Sprintf("stages[%d]", i)
		switch {
		case s.Name == "":
			add(fieldErr(p+".name", "", "a non-empty name"))
		case strings.ContainsAny(s.Name, ", \t\n"):
			add(fieldErr(p+".name", s.Name, "a name without spaces or commas"))
		default:
			if j, ok := seen[s.Name]; ok {
				add(fieldErr(p+".name", s.Name, fmt.Sprintf("a name not already used by stages[%d]", j)))
			}
			seen[s.Name] = i
		}
		if len(s.Label) > MaxLabelBytes || strings.ContainsFunc(s.Label, unicode.IsControl) {
			add(fieldErr(p+".label", s.Label, fmt.Sprintf("a label of at most %d bytes without control characters", MaxLabelBytes)))
		}
		if s.Team < Marketing || s.Team > Sales {
			add(fieldErr(p+".team", s.Team, "marketing, sdr or sales"))
		}
		if s.Opportunity {
			nopp++
			if s.Outcome != Open {
				add(fieldErr(p+".opportunity", true, "an open (non-terminal) stage"))
			}
		}
		if s.Outcome == Won {
			nwon++
		}
		if !(s.Observations >= 0) || math.IsInf(s.Observations, 0) {
			add(fieldErr(p+".observations", s.Observations, "a non-negative count (0: probabilities known)"))
		}
	}
	if len(m.Stages) > 0 && nopp != 1 {
		add(fieldErr("stages", fmt.Sprintf("%d stages with opportunity: true", nopp), "exactly one opportunity stage"))
	}
	if len(m.Stages) > 0 && nwon == 0 {
		add(fieldErr("stages", "no stage with outcome: won", "at least one won stage"))
	}
	stage := func(path, name string, allowTerminal bool) int {
		i := m.StageIndex(name)
		switch {
		case i < 0:
			add(fieldErr(path, name, "the name of a stage"))
		case !allowTerminal && m.Stages[i].Outcome != Open:
			add(fieldErr(path, name, "a non-terminal stage"))
		}
		return i
	}

	// Transitions.
	out := make([]float64, len(m.Stages))
	pairs := map[[2]string]int{}
	for i := range m.Transitions {
		t := &m.Transitions[i]
		p := fmt.Sprintf("transitions[%d]", i)
		from := stage(p+".from", t.From, false)
		stage(p+".to", t.To, true)
		if j, ok := pairs[[2]string{t.From, t.To}]; ok {
			add(fieldErr(p, t.From+" -> "+t.To, fmt.Sprintf("one edge per pair of stages (already transitions[%d])", j)))
		}
		pairs[[2]string{t.From, t.To}] = i
		if t.From == t.To && t.From != "" {
			add(fieldErr(p+".to", t.To, "a stage other than from"))
		}
		if !(t.P >= 0 && t.P <= 1) {
			add(fieldErr(p+".p", t.P, "a probability in [0,1]"))
		} else if from >= 0 {
			out[from] += t.P
		}
		add(t.Delay.validate(p+".delay_days", MaxDays, " days"))
	}
	for i, sum := range out {
		if sum > 1+1e-9 {
			add(fieldErr(fmt.Sprintf("transitions from %q", m.Stages[i].Name), fmt.Sprintf("probabilities summing to %.4g", sum), "a sum of at most 1"))
		}
	}

	// Sources.
	if len(m.Sources) == 0 {
		add(fieldErr("sources", "[]", "at least one lead source"))
	}
	srcSeen := map[string]int{}
	for i := range m.Sources {
		s := &m.Sources[i]
		p := fmt.Sprintf("sources[%d]", i)
		if s.Name == "" {
			add(fieldErr(p+".name", "", "a non-empty name"))
		} else if j, ok := srcSeen[s.Name]; ok {
			add(fieldErr(p+".name", s.Name, fmt.Sprintf("a name not already used by sources[%d]", j)))
		}
		srcSeen[s.Name] = i
		stage(p+".entry", s.Entry, false)
		if !(s.RatePerWeek > 0) || math.IsInf(s.RatePerWeek, 0) {
			add(fieldErr(p+".rate_per_week", s.RatePerWeek, "a positive rate of leads a week"))
		} else if s.RatePerWeek > MaxRatePerWeek {
			add(fieldErr(p+".rate_per_week", s.RatePerWeek, fmt.Sprintf("at most %g leads a week", MaxRatePerWeek)))
		}
		if !(s.Dispersion >= 0) || math.IsInf(s.Dispersion, 0) {
			add(fieldErr(p+".dispersion", s.Dispersion, "a non-negative gamma shape (0 = Poisson)"))
		}
		if !(s.RateWeeks >= 0) || math.IsInf(s.RateWeeks, 0) {
			add(fieldErr(p+".rate_weeks", s.RateWeeks, "a non-negative number of weeks (0: rate known)"))
		}
		if !(s.DealObservations >= 0) || math.IsInf(s.DealObservations, 0) {
			add(fieldErr(p+".deal_observations", s.DealObservations, "a non-negative count (0: deal size known)"))
		}
		add(s.Profile.validate(p + ".profile"))
		add(s.DealSize.validate(p+".deal_size", MaxAmount, ""))
	}

	// Handoff.
	if h := m.Handoff; h != nil {
		stage("handoff.stage", h.Stage, false)
		if !(h.Contact > 0 && h.Contact <= 1) {
			add(fieldErr("handoff.contact", h.Contact, "a probability in (0,1]"))
		}
		add(h.Decay.validate("handoff.decay"))
		if h.NoContact != "" {
			stage("handoff.no_contact", h.NoContact, true)
			if h.NoContact == h.Stage {
				add(fieldErr("handoff.no_contact", h.NoContact, "a stage other than the handoff stage"))
			}
		}
		if h.SDR.Headcount < 1 || h.SDR.Headcount > MaxHeadcount {
			add(fieldErr("handoff.sdr.headcount", h.SDR.Headcount, fmt.Sprintf("a number of SDRs in [1,%d]", MaxHeadcount)))
		}
		add(h.SDR.Hours.validate("handoff.sdr.hours"))
		add(h.SDR.Handle.validate("handoff.sdr.handle_minutes", MaxDays*24*60, " minutes"))
	}

	// SLAs.
	for i, s := range m.SLAs {
		p := fmt.Sprintf("slas[%d]", i)
		if s.Name == "" {
			add(fieldErr(p+".name", "", "a non-empty name"))
		}
		from := stage(p+".from", s.From, false)
		for j, to := range s.To {
			stage(fmt.Sprintf("%s.to[%d]", p, j), to, true)
		}
		if len(s.To) == 0 && (m.Handoff == nil || (from >= 0 && s.From != m.Handoff.Stage)) {
			add(fieldErr(p+".to", "[]", "target stages, or from: the handoff stage to measure the first touch"))
		}
		if !(s.Hours > 0) || math.IsInf(s.Hours, 0) {
			add(fieldErr(p+".hours", s.Hours, "a positive number of hours"))
		}
		if !(s.Target >= 0 && s.Target <= 1) {
			add(fieldErr(p+".target", s.Target, "a share in [0,1]"))
		}
	}

	// Starting state.
	age := func(path string, v float64) error {
		if !(v >= 0) || math.IsInf(v, 0) {
			return fieldErr(path, v, "a non-negative age in days")
		}
		if v > MaxDays {
			return fieldErr(path, v, fmt.Sprintf("at most %d days", MaxDays))
		}
		return nil
	}
	if st := m.Start; st != nil && st.Date != "" {
		d, err := ParseDate(st.Date)
		switch {
		case err != nil:
			add(fieldErr("start.date", st.Date, "a date YYYY-MM-DD in the years 1900-9000"))
		case m.ForecastStart != "":
			if f, err := ParseDate(m.ForecastStart); err == nil {
				if d.After(f) {
					add(fieldErr("start.date", st.Date, "a day on or before forecast_start "+m.ForecastStart))
				} else if f.Sub(d).Hours()/24 > MaxLeadInDays {
					add(fieldErr("start.date", st.Date, fmt.Sprintf("at most %d days before forecast_start %s", MaxLeadInDays, m.ForecastStart)))
				}
			}
		}
	}
	if st := m.Start; st != nil {
		for i, l := range st.Leads {
			p := fmt.Sprintf("start.leads[%d]", i)
			stage(p+".stage", l.Stage, false)
			if m.SourceIndex(l.Source) < 0 {
				add(fieldErr(p+".source", l.Source, "the name of a source"))
			}
			if l.Count < 1 {
				add(fieldErr(p+".count", l.Count, "a count ≥ 1"))
			} else if l.Count > MaxStartCount {
				add(fieldErr(p+".count", l.Count, fmt.Sprintf("at most %d leads", MaxStartCount)))
			}
			add(age(p+".age_days", l.AgeDays))
			if l.Waiting && (m.Handoff == nil || l.Stage != m.Handoff.Stage) {
				add(fieldErr(p+".waiting", true, "leads on the handoff stage (waiting for their first touch)"))
			}
		}
		for i, o := range st.Opportunities {
			p := fmt.Sprintf("start.opportunities[%d]", i)
			if m.SourceIndex(o.Source) < 0 {
				add(fieldErr(p+".source", o.Source, "the name of a source"))
			}
			if !(o.Amount >= 0) || math.IsInf(o.Amount, 0) {
				add(fieldErr(p+".amount", o.Amount, "a non-negative amount"))
			} else if o.Amount > MaxAmount {
				add(fieldErr(p+".amount", o.Amount, fmt.Sprintf("at most %g", MaxAmount)))
			}
			add(age(p+".age_days", o.AgeDays))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	return m.validateGraph()
}

// validateGraph checks, on a model whose names all resolve, that every
// stage can be reached and that every cycle has a recycle edge (whose cap
// makes it an exit).
func (m *Model) validateGraph() error {
	n := len(m.Stages)
	adj := make([][]int, n)
	all := make([][]int, n)
	for _, t := range m.Transitions {
		if t.P == 0 {
			continue
		}
		f, to := m.StageIndex(t.From), m.StageIndex(t.To)
		all[f] = append(all[f], to)
		if !t.Recycle {
			adj[f] = append(adj[f], to)
		}
	}
	reached := make([]bool, n)
	var visit func(int)
	visit = func(s int) {
		if reached[s] {
			return
		}
		reached[s] = true
		for _, t := range all[s] {
			visit(t)
		}
	}
	for _, s := range m.Sources {
		visit(m.StageIndex(s.Entry))
	}
	if h := m.Handoff; h != nil && h.NoContact != "" && reached[m.StageIndex(h.Stage)] {
		visit(m.StageIndex(h.NoContact))
	}
	if m.Start != nil {
		for _, l := range m.Start.Leads {
			visit(m.StageIndex(l.Stage))
		}
		if len(m.Start.Opportunities) > 0 {
			visit(m.OpportunityStage())
		}
	}
	var errs []error
	for i, r := range reached {
		if !r {
			errs = append(errs, fieldErr(fmt.Sprintf("stages[%d]", i), m.Stages[i].Name, "a stage reachable from a source's entry stage"))
		}
	}
	// A cycle of non-recycle edges has no exit: find one by depth-first search.
	const (
		white = iota
		grey
		black
	)
	color := make([]int, n)
	var stack []int
	var cycle []int
	var dfs func(int) bool
	dfs = func(s int) bool {
		color[s] = grey
		stack = append(stack, s)
		for _, t := range adj[s] {
			if color[t] == grey {
				i := len(stack) - 1
				for stack[i] != t {
					i--
				}
				cycle = append(append(cycle, stack[i:]...), t)
				return true
			}
			if color[t] == white && dfs(t) {
				return true
			}
		}
		stack = stack[:len(stack)-1]
		color[s] = black
		return false
	}
	for s := range n {
		if color[s] == white && dfs(s) {
			names := make([]string, len(cycle))
			for i, c := range cycle {
				names[i] = m.Stages[c].Name
			}
			errs = append(errs, fieldErr("transitions", "the cycle "+strings.Join(names, " -> "), "every cycle to contain a recycle edge (recycle: true), whose cap lets leads out"))
			break
		}
	}
	return errors.Join(errs...)
}
