package data

import (
	"fmt"
	"time"
)

// Outcome is the final state of a deal or lead.
type Outcome int

// Outcomes. The zero value is OutcomeOpen.
const (
	OutcomeOpen Outcome = iota // not closed yet (censored)
	OutcomeWon                 // closed won
	OutcomeLost                // closed lost
)

// String returns "open", "won" or "lost".
func (o Outcome) String() string {
	switch o {
	case OutcomeOpen:
		return "open"
	case OutcomeWon:
		return "won"
	case OutcomeLost:
		return "lost"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// ParseOutcome parses "open", "won" or "lost", ignoring case and
// surrounding spaces.
func ParseOutcome(s string) (Outcome, error) {
	switch normKey(s) {
	case "open":
		return OutcomeOpen, nil
	case "won":
		return OutcomeWon, nil
	case "lost":
		return OutcomeLost, nil
	}
	return OutcomeOpen, fmt.Errorf("unknown outcome %q (want won, lost or open)", s)
}

// Lead is one marketing or sales lead.
type Lead struct {
	ID        string            // CRM id, unique in an export, never empty
	CreatedAt time.Time         // when the lead became known, UTC, second precision
	Source    string            // lead source after Mapping.Sources ("web", "event", ...)
	Segment   string            // optional segment ("smb", "enterprise", ...), "" if none
	Score     float64           // lead score, meaningful only when HasScore
	HasScore  bool              // whether the export gave a score
	Owner     string            // owner (SDR or rep), "" if none
	Attrs     map[string]string // extra columns by header name; nil if none
}

// StageEvent records that a lead entered a stage of the funnel taxonomy
// (known, engaged, mql, tql, sal, rejected, recycled, disqualified,
// opportunity, won, lost, or a company's own stage names).
type StageEvent struct {
	LeadID string    // the lead, present in Export.Leads
	Stage  string    // stage entered, after Mapping.Stages
	At     time.Time // when, UTC, not before the lead's CreatedAt
}

// Activity is one sales touch on a lead: a call, an email, a meeting.
type Activity struct {
	LeadID    string    // the lead, present in Export.Leads
	At        time.Time // when, UTC
	Channel   string    // "call", "email", ... as exported
	Connected bool      // the touch reached the person ("connected"); false for "attempted"
	Owner     string    // who made it, "" if unknown
}

// Opportunity is one deal.
type Opportunity struct {
	ID        string            // CRM id, unique in an export
	LeadID    string            // lead converted into this deal; "" for sales-sourced deals
	CreatedAt time.Time         // when the deal was opened, UTC; zero when the export does not say (open deals only)
	Amount    float64           // deal value in Currency units, >= 0; 0 when unknown on an open deal
	Stage     string            // current stage after Mapping.Stages
	ClosedAt  time.Time         // when it was won or lost, UTC; zero when open
	Outcome   Outcome           // open, won or lost
	Currency  string            // ISO 4217 code, "" if the export does not say
	Attrs     map[string]string // extra columns by header name; nil if none
}

// OppStageEvent records that an opportunity entered a stage.
type OppStageEvent struct {
	OpportunityID string    // the deal, present in Export.Opportunities
	Stage         string    // stage entered, after Mapping.Stages
	At            time.Time // when, UTC
}

// Export is a loaded, validated CRM export.
//
// Leads are sorted by CreatedAt then ID; StageEvents by lead ID, then
// time, then stage (see SortStageEvents); Activities by lead ID, then
// time, then connected before attempted, then channel and owner;
// Opportunities by CreatedAt then ID; OppStageEvents by opportunity ID,
// then time, then stage, won and lost after the others. These orders are
// total: they do not depend on the order of rows in the files.
type Export struct {
	Leads          []Lead
	StageEvents    []StageEvent
	Activities     []Activity
	Opportunities  []Opportunity
	OppStageEvents []OppStageEvent

	// AsOf is the time the export describes: Options.AsOf if given,
	// otherwise the newest creation time, stage event, activity,
	// opportunity stage event or close of a won deal (or of a lost deal
	// when it is a time, not a date) up to Options.Now. The close date
	// of a deal closed lost does not count: CRMs leave the expected close
	// date on such deals, often in the future. Closed deals dated after
	// the as-of time so found are kept and counted in a warning. Deals
	// still open at AsOf are censored there.
	AsOf time.Time

	// Report counts the rows read and lists rejected rows and warnings.
	Report Report
}
