package model

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Team owns a stage of the funnel.
type Team int

const (
	Marketing Team = iota
	SDR
	Sales
)

var teamNames = [...]string{"marketing", "sdr", "sales"}

func (t Team) String() string {
	if t < 0 || int(t) >= len(teamNames) {
		return fmt.Sprintf("Team(%d)", int(t))
	}
	return teamNames[t]
}

// MarshalText implements encoding.TextMarshaler.
func (t Team) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (t *Team) UnmarshalText(b []byte) error {
	i := slices.Index(teamNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("unknown team %q (want one of %v)", b, teamNames)
	}
	*t = Team(i)
	return nil
}

// Outcome marks a terminal stage.
type Outcome int

const (
	Open         Outcome = iota // not terminal
	Won                         // closed-won: revenue
	Lost                        // closed-lost
	Disqualified                // removed from the funnel
)

var outcomeNames = [...]string{"", "won", "lost", "disqualified"}

func (o Outcome) String() string {
	if o < 0 || int(o) >= len(outcomeNames) {
		return fmt.Sprintf("Outcome(%d)", int(o))
	}
	return outcomeNames[o]
}

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Outcome) UnmarshalText(b []byte) error {
	i := slices.Index(outcomeNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("unknown outcome %q (want won, lost or disqualified)", b)
	}
	*o = Outcome(i)
	return nil
}

// Stage is a stage of the lead taxonomy.
type Stage struct {
	Name string `yaml:"name" json:"name"`
	// Label is the stage's name for people, on charts and in reports
	// ("Sales accepted"); "" means DisplayName's readable form of Name.
	Label string `yaml:"label,omitempty" json:"label,omitempty"`
	Team  Team   `yaml:"team" json:"team"` // the team that owns leads in this stage
	// Outcome marks a terminal stage (won, lost or disqualified); terminal
	// stages have no outgoing transitions.
	Outcome Outcome `yaml:"outcome,omitempty" json:"outcome,omitempty"`
	// Opportunity marks the stage in which a lead becomes an opportunity
	// with a deal amount: exactly one stage of a model has it. Pipeline
	// value is the amount of leads at or after it that are not terminal.
	Opportunity bool `yaml:"opportunity,omitempty" json:"opportunity,omitempty"`
	// Active marks a stage leads enter by acting (a form filled, a demo
	// requested): the entry happens at the lead's first active moment
	// after its delay ends, where a lead acts at rate w(h)/8 an hour, w its
	// source's weekday-by-hour profile normalised to mean 1 (about three
	// actions a day, most in the profile's busy hours). MQLs then
	// arrive when people act (mostly in business hours), not uniformly
	// around the clock.
	Active bool `yaml:"active,omitempty" json:"active,omitempty"`
	// Observations is the number of leads whose exit from this stage the
	// transition probabilities were estimated from (calibration writes
	// it). When positive, and the forecast draws parameters, each
	// simulated quarter draws the stage's probabilities (p_1, ..., p_k,
	// stay) from Dirichlet(n·p_1, ..., n·p_k, n·(1−Σp)), the posterior of
	// n observations under a vague prior. 0 means the p's are known.
	Observations float64 `yaml:"observations,omitempty" json:"observations,omitempty"`
}

// stageAcronyms are the stage names people write in capitals.
var stageAcronyms = map[string]bool{"mql": true, "tql": true, "sal": true, "sql": true, "sdr": true, "pql": true}

// DisplayName returns the stage's name for people: its Label, or else its
// Name with '_' and '-' as spaces, the funnel's acronyms in capitals
// ("mql" is "MQL") and other names with a capital first letter
// ("opportunity" is "Opportunity", "closed_won" is "Closed won").
func (s Stage) DisplayName() string {
	if s.Label != "" {
		return s.Label
	}
	name := strings.NewReplacer("_", " ", "-", " ").Replace(s.Name)
	if stageAcronyms[strings.ToLower(name)] {
		return strings.ToUpper(name)
	}
	r, n := utf8.DecodeRuneInString(name)
	if r == utf8.RuneError {
		return name
	}
	return string(unicode.ToUpper(r)) + name[n:]
}

// Transition is an edge of the taxonomy: a lead entering From moves to To
// with probability P, after a delay drawn from Delay (days). The
// probabilities of a stage's transitions sum to at most 1; the remainder is
// the probability that the lead stays in the stage for good (it never
// converts, the "cure" fraction of survival analysis).
type Transition struct {
	From  string  `yaml:"from" json:"from"`
	To    string  `yaml:"to" json:"to"`
	P     float64 `yaml:"p" json:"p"`                   // probability, in [0,1]
	Delay Dist    `yaml:"delay_days" json:"delay_days"` // time in From before moving, days
	// Recycle marks an edge back to nurture (sales rejected -> engaged). A
	// lead takes recycle edges at most Model.MaxRecycles times; after that
	// the edge's probability is treated as staying in From for good.
	Recycle bool `yaml:"recycle,omitempty" json:"recycle,omitempty"`
}

// Source is a stream of new leads.
type Source struct {
	Name  string `yaml:"name" json:"name"`
	Entry string `yaml:"entry" json:"entry"` // the stage new leads enter
	// SalesSourced marks outbound leads that sales finds itself; their
	// pipeline counts as sales-sourced, all others as marketing-sourced.
	SalesSourced bool    `yaml:"sales_sourced,omitempty" json:"sales_sourced,omitempty"`
	Segment      string  `yaml:"segment,omitempty" json:"segment,omitempty"`
	RatePerWeek  float64 `yaml:"rate_per_week" json:"rate_per_week"` // mean new leads a week, > 0
	// Dispersion, when positive, is the shape α of a gamma-distributed
	// multiplier (mean 1, variance 1/α) on the rate, drawn once a quarter:
	// the quarter's count is then negative binomial rather than Poisson.
	// Zero means Poisson.
	Dispersion float64 `yaml:"dispersion,omitempty" json:"dispersion,omitempty"`
	Profile    Profile `yaml:"profile,omitempty" json:"profile,omitempty"` // weekday-by-hour profile
	DealSize   Dist    `yaml:"deal_size" json:"deal_size"`                 // amount of an opportunity, currency
	// RateWeeks is the number of weeks of history RatePerWeek was
	// estimated from. When positive, and the forecast draws parameters,
	// each simulated quarter draws the rate from its posterior
	// Gamma(shape = RatePerWeek·RateWeeks, rate = RateWeeks) per week.
	RateWeeks float64 `yaml:"rate_weeks,omitempty" json:"rate_weeks,omitempty"`
	// DealObservations is the number of deals DealSize was estimated from.
	// When positive, DealSize is lognormal, and the forecast draws
	// parameters, each simulated quarter draws the log-median from its
	// posterior Normal(ln Median, Sigma²/n).
	DealObservations float64 `yaml:"deal_observations,omitempty" json:"deal_observations,omitempty"`
}

// Uncertain reports whether m carries observation counts, so that a
// forecast can draw its parameters from their posteriors.
func (m *Model) Uncertain() bool {
	for _, s := range m.Stages {
		if s.Observations > 0 {
			return true
		}
	}
	for _, s := range m.Sources {
		if s.RateWeeks > 0 || s.DealObservations > 0 {
			return true
		}
	}
	return false
}

// SDRTeam answers leads entering the handoff stage, first come first served.
type SDRTeam struct {
	Headcount int       `yaml:"headcount" json:"headcount"` // SDRs working in parallel, ≥ 1
	Hours     WorkHours `yaml:"hours" json:"hours"`         // when they work
	// Handle is the working time an SDR spends on one lead, minutes.
	Handle Dist `yaml:"handle_minutes" json:"handle_minutes"`
}

// Handoff is the lead passing from marketing to the SDR team. A lead
// entering Stage waits in the SDR queue; its first touch comes when an SDR
// picks it up, and its response time t is the wall-clock time from entering
// Stage to the first touch. The lead is contacted with probability
// Contact·Decay.At(t minutes). A contacted lead then follows Stage's
// transitions, their delays counted from the first touch; a lead not
// contacted moves to NoContact (through a recycle edge when NoContact is a
// nurture stage) or, when NoContact is empty, stays in Stage for good.
type Handoff struct {
	Stage     string  `yaml:"stage" json:"stage"`
	Contact   float64 `yaml:"contact" json:"contact"` // contact probability at t = 0, in (0,1]
	Decay     Decay   `yaml:"decay" json:"decay"`
	NoContact string  `yaml:"no_contact,omitempty" json:"no_contact,omitempty"`
	SDR       SDRTeam `yaml:"sdr" json:"sdr"`
}

// SLA is a service-level agreement on a handoff: leads entering From must
// reach one of To (or, when To is empty, their first touch by an SDR) within
// Hours hours, counted in the company's business hours
// (Model.BusinessHours) when Business is set, else in wall-clock hours. Compliance is the share of leads entering
// From in a quarter that do; a lead that never reaches To breaches it.
type SLA struct {
	Name     string   `yaml:"name" json:"name"`
	From     string   `yaml:"from" json:"from"`
	To       []string `yaml:"to,omitempty,flow" json:"to,omitempty"`
	Hours    float64  `yaml:"hours" json:"hours"`                                       // target, > 0
	Business bool     `yaml:"business_hours,omitempty" json:"business_hours,omitempty"` // count working hours only
	Target   float64  `yaml:"target,omitempty" json:"target,omitempty"`                 // the share promised, in [0,1]; 0 = not stated
}

// OpenLead is a group of leads open at the start of the simulated quarter.
type OpenLead struct {
	Stage   string  `yaml:"stage" json:"stage"`
	Source  string  `yaml:"source" json:"source"`
	Count   int     `yaml:"count" json:"count"`       // ≥ 1
	AgeDays float64 `yaml:"age_days" json:"age_days"` // time already spent in Stage, days ≥ 0
	// Waiting marks leads on the handoff stage that have not had their
	// first touch: they join the SDR queue, having waited AgeDays, and are
	// contacted with the probability their whole wait gives. Open leads
	// on the handoff stage without it have been touched and contacted;
	// their age counts from the touch.
	Waiting bool `yaml:"waiting,omitempty" json:"waiting,omitempty"`
}

// OpenOpportunity is an opportunity open at the start of the quarter.
type OpenOpportunity struct {
	Source  string  `yaml:"source" json:"source"`
	Amount  float64 `yaml:"amount" json:"amount"`     // deal value, currency, ≥ 0
	AgeDays float64 `yaml:"age_days" json:"age_days"` // days since it became an opportunity
}

// Start is the funnel's state at the start of the quarter, or, when
// Date is before the model's ForecastStart, on Date.
type Start struct {
	// Date is the day (YYYY-MM-DD) the state describes; "" means
	// ForecastStart's. When it is before ForecastStart the engine
	// simulates the days between them first (the lead-in: arrivals,
	// moves and closes, counted in no quarter), so that the forecast
	// quarter opens on the funnel the lead-in leaves (see LeadInDays).
	Date          string            `yaml:"date,omitempty" json:"date,omitempty"`
	Leads         []OpenLead        `yaml:"leads,omitempty" json:"leads,omitempty"`
	Opportunities []OpenOpportunity `yaml:"opportunities,omitempty" json:"opportunities,omitempty"`
}

// Model is a funnel model.
type Model struct {
	Name     string `yaml:"name" json:"name"`
	Currency string `yaml:"currency" json:"currency"` // ISO 4217 code, e.g. USD
	// TimeZone is the IANA zone of working hours and arrival profiles.
	TimeZone     string `yaml:"time_zone,omitempty" json:"time_zone,omitempty"`
	QuarterWeeks int    `yaml:"quarter_weeks" json:"quarter_weeks"` // length of a quarter, weeks ≥ 1
	// FiscalYearStart is the month (1-12) the fiscal year starts in; 0
	// means January. Fiscal years are named by the calendar year they
	// end in: with 2 (February), FY2026 runs from Feb 1, 2025 to Jan 31,
	// 2026.
	FiscalYearStart int `yaml:"fiscal_year_start,omitempty" json:"fiscal_year_start,omitempty"`
	// ForecastStart is the date (YYYY-MM-DD) the first simulated quarter
	// begins on, and the date of Start, the funnel's state then: on the
	// first day of a fiscal quarter, the forecast is of that quarter (see
	// Calendar). Calibration sets it to the export's as-of date. "" means
	// not stated: sim forecast then takes its --start flag, or the next
	// fiscal quarter from today, and says so.
	ForecastStart string  `yaml:"forecast_start,omitempty" json:"forecast_start,omitempty"`
	Quota         float64 `yaml:"quota" json:"quota"` // revenue target a quarter, currency ≥ 0
	// WarmupDays is how long the engine simulates before the quarter to
	// build the open pipeline when Start is nil; 0 derives it from the
	// delays (see WarmupDaysNeeded).
	WarmupDays  float64 `yaml:"warmup_days,omitempty" json:"warmup_days,omitempty"`
	MaxRecycles int     `yaml:"max_recycles" json:"max_recycles"` // recycle edges a lead may take, ≥ 0
	// BusinessHours are the company's business hours, in which SLAs with
	// business_hours: true are counted. They are not the SDR team's
	// working hours (Handoff.SDR.Hours), which decide when leads are
	// answered: staffing the SDRs around the clock does not change what
	// "4 business hours" means. Nil means Monday to Friday, 9:00 to 17:00.
	BusinessHours *WorkHours   `yaml:"business_hours,omitempty" json:"business_hours,omitempty"`
	Stages        []Stage      `yaml:"stages" json:"stages"`
	Transitions   []Transition `yaml:"transitions" json:"transitions"`
	Sources       []Source     `yaml:"sources" json:"sources"`
	Handoff       *Handoff     `yaml:"handoff,omitempty" json:"handoff,omitempty"` // nil: no SDR queue
	SLAs          []SLA        `yaml:"slas,omitempty" json:"slas,omitempty"`
	Start         *Start       `yaml:"start,omitempty" json:"start,omitempty"` // nil: warm up
	// NotFitted lists, in a calibrated model, the fields that hold the
	// base model's values because the export could not fit them, each as
	// "path: why" (see calibrate.Kept). They change nothing in the
	// simulation; sim forecast warns of them, so that a forecast through
	// the base model's lead volume is never taken for the export's.
	NotFitted []string `yaml:"not_fitted,omitempty" json:"not_fitted,omitempty"`
}

// StageIndex returns the index of the stage named name, or -1.
func (m *Model) StageIndex(name string) int {
	return slices.IndexFunc(m.Stages, func(s Stage) bool { return s.Name == name })
}

// SourceIndex returns the index of the source named name, or -1.
func (m *Model) SourceIndex(name string) int {
	return slices.IndexFunc(m.Sources, func(s Source) bool { return s.Name == name })
}

// OpportunityStage returns the index of the opportunity stage, or -1.
func (m *Model) OpportunityStage() int {
	return slices.IndexFunc(m.Stages, func(s Stage) bool { return s.Opportunity })
}

// DefaultBusinessHours are the business hours of a model that does not
// set them: Monday to Friday, 9:00 to 17:00.
var DefaultBusinessHours = WorkHours{Days: []Weekday{1, 2, 3, 4, 5}, Start: 9, End: 17}

// Business returns the model's business hours (see BusinessHours).
func (m *Model) Business() *WorkHours {
	if m.BusinessHours != nil {
		return m.BusinessHours
	}
	return &DefaultBusinessHours
}

// QuarterHours returns the length of a quarter in hours.
func (m *Model) QuarterHours() float64 { return float64(m.QuarterWeeks) * HoursPerWeek }

// Hash returns a hex SHA-256 of the model's canonical JSON encoding: two
// models with the same hash simulate identically.
func (m *Model) Hash() string {
	b, err := json.Marshal(m)
	if err != nil {
		panic("model: " + err.Error())
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Clone returns a deep copy of m.
func (m *Model) Clone() *Model {
	b, err := json.Marshal(m)
	if err != nil {
		panic("model: " + err.Error())
	}
	var c Model
	if err := json.Unmarshal(b, &c); err != nil {
		panic("model: " + err.Error())
	}
	return &c
}

// WarmupDaysNeeded returns the warm-up the engine uses when Start is nil:
// WarmupDays when set, else the sum along the longest chain of non-recycle
// transitions of each delay's 95th percentile, rounded up to whole weeks and
// capped at two years. Leads that arrived earlier than this are almost all
// closed by the start of the quarter.
func (m *Model) WarmupDaysNeeded() float64 {
	if m.WarmupDays > 0 {
		return m.WarmupDays
	}
	memo := make([]float64, len(m.Stages))
	done := make([]bool, len(m.Stages))
	var longest func(s int) float64
	longest = func(s int) float64 {
		if done[s] {
			return memo[s]
		}
		done[s] = true // acyclic without recycle edges (validated)
		best := 0.0
		for i := range m.Transitions {
			t := &m.Transitions[i]
			if t.Recycle || t.P == 0 || m.StageIndex(t.From) != s {
				continue
			}
			best = max(best, t.Delay.Quantile(0.95)+longest(m.StageIndex(t.To)))
		}
		memo[s] = best
		return best
	}
	w := 0.0
	for _, src := range m.Sources {
		w = max(w, longest(m.StageIndex(src.Entry)))
	}
	if !(w < 730) { // also NaN, and sums too large to convert to int
		return 730
	}
	w = 7 * float64(int(w/7)+1)
	return min(w, 730)
}
