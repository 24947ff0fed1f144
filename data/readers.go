package data

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Canonical file names.
const (
	LeadsFile          = "leads.csv"
	StageEventsFile    = "stage_events.csv"
	ActivitiesFile     = "activities.csv"
	OpportunitiesFile  = "opportunities.csv"
	OppStageEventsFile = "opportunity_stage_events.csv"
)

var (
	leadSpecs = []colSpec{
		{name: "lead_id", required: true},
		{name: "created_at", required: true},
		{name: "source", required: true},
		{name: "segment"},
		{name: "score"},
		{name: "owner"},
	}
	stageSpecs = []colSpec{
		{name: "lead_id", required: true},
		{name: "stage", required: true},
		{name: "at", required: true},
	}
	activitySpecs = []colSpec{
		{name: "lead_id", required: true},
		{name: "at", required: true},
		{name: "channel", required: true},
		{name: "outcome", required: true},
		{name: "owner"},
	}
	oppSpecs = []colSpec{
		{name: "opportunity_id", required: true},
		{name: "lead_id", list: true},
		{name: "created_at", required: true},
		{name: "amount", required: true},
		{name: "stage", required: true},
		{name: "closed_at"},
		{name: "outcome", required: true},
		{name: "currency"},
	}
	oppStageSpecs = []colSpec{
		{name: "opportunity_id", required: true},
		{name: "stage", required: true},
		{name: "at", required: true},
	}
)

// rowSource is the state shared by the streaming readers: the table is
// opened on the first Read so that fields can be set after New*.
type rowSource struct {
	r     io.Reader
	name  string
	o     *Options
	specs []colSpec
	t     *table
	err   error
}

func (s *rowSource) open(rep *Report) error {
	if s.err != nil {
		return s.err
	}
	if s.t == nil {
		s.t, s.err = openTable(s.r, s.name, rep, s.specs, s.o)
		if s.err != nil {
			return s.err
		}
	}
	return nil
}

// LeadReader reads leads one at a time from a canonical leads file.
type LeadReader struct {
	// Report receives rejected rows. NewLeadReader sets a fresh one;
	// replace it before the first Read to share a report.
	Report *Report

	src  rowSource
	seen map[string]bool
}

// NewLeadReader returns a reader of the leads CSV in r; name is the file
// name used in errors ("leads.csv") and the key for Mapping.Columns.
func NewLeadReader(r io.Reader, name string, o *Options) *LeadReader {
	return &LeadReader{Report: new(Report), src: rowSource{r: r, name: name, o: o, specs: leadSpecs}, seen: make(map[string]bool)}
}

// Read returns the next good lead, rejecting bad rows into lr.Report.
// It returns io.EOF at the end, and an error for an empty file, missing
// required columns or a read failure. Leads created after Options.AsOf and
// second occurrences of an id are rejected.
func (lr *LeadReader) Read() (Lead, error) {
	if err := lr.src.open(lr.Report); err != nil {
		return Lead{}, err
	}
	t, o := lr.src.t, lr.src.o
	for {
		if err := t.next(); err != nil {
			return Lead{}, err
		}
		l, ok := readLead(t, o, lr.seen)
		if !ok {
			continue
		}
		lr.seen[l.ID] = true
		t.keep()
		return l, nil
	}
}

// NoSource is the source of leads whose export gives none (an empty Lead
// Source), counted in a warning.
const NoSource = "(none)"

// readLead parses the current row of t as a lead. It does not add the id
// to seen. An empty source becomes NoSource.
func readLead(t *table, o *Options, seen map[string]bool) (Lead, bool) {
	id, ok := t.required("lead_id")
	if !ok {
		return Lead{}, false
	}
	if seen[id] {
		t.reject("lead_id", ReasonDuplicateID, fmt.Errorf("duplicate lead_id %q", id))
		return Lead{}, false
	}
	created, ok := t.timeField("created_at", o)
	if !ok || t.afterAsOf("created_at", created, o) {
		return Lead{}, false
	}
	l := Lead{ID: strings.Clone(id), CreatedAt: created, Source: t.intern(o.mapping().source(t.get("source"))),
		Segment: t.intern(t.get("segment")), Owner: t.intern(t.get("owner")), Attrs: t.attrs()}
	if l.Source == "" {
		l.Source = NoSource
		t.rowNoSource = true // counted if the row is kept
	}
	if s := t.get("score"); s != "" {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			t.reject("score", ReasonBadNumber, fmt.Errorf("cannot parse %q as a number", s))
			return Lead{}, false
		}
		l.Score, l.HasScore = v, true
	}
	return l, true
}

// StageEventReader reads stage events one at a time from a canonical
// stage events file.
type StageEventReader struct {
	// Report receives rejected rows; see LeadReader.Report.
	Report *Report

	// Leads maps each known lead id to its creation time. When non-nil,
	// events of other leads are rejected as unknown and events before
	// the lead's creation as out of order. nil skips both checks.
	Leads map[string]time.Time

	src     rowSource
	parents *parentIndex // ReadExport's index of the leads, used instead of Leads
}

// NewStageEventReader returns a reader of the stage events CSV in r.
func NewStageEventReader(r io.Reader, name string, o *Options) *StageEventReader {
	return &StageEventReader{Report: new(Report), src: rowSource{r: r, name: name, o: o, specs: stageSpecs}}
}

// Read returns the next good event, rejecting bad rows into sr.Report,
// and io.EOF at the end.
func (sr *StageEventReader) Read() (StageEvent, error) {
	if err := sr.src.open(sr.Report); err != nil {
		return StageEvent{}, err
	}
	t, o := sr.src.t, sr.src.o
	for {
		if err := t.next(); err != nil {
			return StageEvent{}, err
		}
		id, ok := t.required("lead_id")
		if !ok {
			continue
		}
		stage, ok := t.required("stage")
		if !ok {
			continue
		}
		at, ok := t.timeField("at", o)
		if !ok || t.afterAsOf("at", at, o) {
			continue
		}
		if id, ok = t.parent("lead_id", "lead", LeadsFile, id, "at", at, sr.Leads, sr.parents); !ok {
			continue
		}
		t.keep()
		return StageEvent{LeadID: id, Stage: t.intern(o.mapping().stage(stage, nil)), At: at}, nil
	}
}

// checkParent rejects the row when parents is non-nil and id is not in
// it, or when at is before the parent's creation time. It reports
// whether the row is good.
func (t *table) checkParent(idCol, kind, parentFile, id, atCol string, at time.Time, parents map[string]time.Time) bool {
	if parents == nil {
		return true
	}
	created, ok := parents[id]
	return t.checkFound(idCol, kind, parentFile, id, atCol, at, created, ok)
}

// checkFound rejects the row when its parent was not found, or when at
// is before the parent's creation time. It reports whether the row is
// good.
func (t *table) checkFound(idCol, kind, parentFile, id, atCol string, at, created time.Time, found bool) bool {
	if !found {
		reason := ReasonUnknownLead
		if kind != "lead" {
			reason = ReasonUnknownOpp
		}
		t.reject(idCol, reason, fmt.Errorf("%s %q is not in %s (or was rejected there)", kind, id, parentFile))
		return false
	}
	if !created.IsZero() && at.Before(created) {
		t.reject(atCol, ReasonBeforeCreated, fmt.Errorf("%s %s is before %s %q was created (%s)",
			t.header[t.col[atCol]], at.Format(time.RFC3339), kind, id, created.Format(time.RFC3339)))
		return false
	}
	return true
}

// parentIndex finds the records ReadExport has read (leads, or
// opportunities) by id, so that the events referring to them can be
// checked against them and share their id strings: idx maps an id to its
// record's index, and record returns that record's id and creation time.
type parentIndex struct {
	idx    map[string]int32
	record func(i int32) (id string, created time.Time)
}

// parent checks the row's parent id as checkParent does, against ix when
// it is not nil and against parents otherwise, and returns the id to keep
// in the record: the parent's own id string when ix found it, else a copy
// of id (which does not hold on to the whole row).
func (t *table) parent(idCol, kind, parentFile, id, atCol string, at time.Time, parents map[string]time.Time, ix *parentIndex) (string, bool) {
	if ix == nil {
		if !t.checkParent(idCol, kind, parentFile, id, atCol, at, parents) {
			return "", false
		}
		return strings.Clone(id), true
	}
	i, ok := ix.idx[id]
	var created time.Time
	if ok {
		id, created = ix.record(i)
	}
	if !t.checkFound(idCol, kind, parentFile, id, atCol, at, created, ok) {
		return "", false
	}
	return id, true
}

// ActivityReader reads activities one at a time from a canonical
// activities file.
type ActivityReader struct {
	// Report receives rejected rows; see LeadReader.Report.
	Report *Report
	// Leads enables the unknown-lead and before-created checks; see
	// StageEventReader.Leads.
	Leads map[string]time.Time

	src     rowSource
	parents *parentIndex // see StageEventReader.parents
}

// NewActivityReader returns a reader of the activities CSV in r.
func NewActivityReader(r io.Reader, name string, o *Options) *ActivityReader {
	return &ActivityReader{Report: new(Report), src: rowSource{r: r, name: name, o: o, specs: activitySpecs}}
}

// Read returns the next good activity, rejecting bad rows into ar.Report,
// and io.EOF at the end. Outcome must be "connected" or "attempted".
func (ar *ActivityReader) Read() (Activity, error) {
	if err := ar.src.open(ar.Report); err != nil {
		return Activity{}, err
	}
	t, o := ar.src.t, ar.src.o
	for {
		if err := t.next(); err != nil {
			return Activity{}, err
		}
		id, ok := t.required("lead_id")
		if !ok {
			continue
		}
		at, ok := t.timeField("at", o)
		if !ok || t.afterAsOf("at", at, o) {
			continue
		}
		var connected bool
		switch out := t.get("outcome"); strings.ToLower(out) {
		case "connected":
			connected = true
		case "attempted":
		default:
			t.reject("outcome", ReasonBadOutcome, fmt.Errorf("unknown outcome %q (want connected or attempted)", out))
			continue
		}
		if id, ok = t.parent("lead_id", "lead", LeadsFile, id, "at", at, ar.Leads, ar.parents); !ok {
			continue
		}
		t.keep()
		return Activity{LeadID: id, At: at, Channel: t.intern(t.get("channel")), Connected: connected, Owner: t.intern(t.get("owner"))}, nil
	}
}

// OpportunityReader reads opportunities one at a time from a canonical
// opportunities file.
type OpportunityReader struct {
	// Report receives rejected rows and warnings; see LeadReader.Report.
	Report *Report
	// Leads enables the unknown-lead and before-created checks for
	// opportunities with a lead_id; see StageEventReader.Leads.
	Leads map[string]time.Time

	src       rowSource
	parents   *parentIndex // see StageEventReader.parents
	seen      map[string]bool
	noCreated int
	noAmount  int
}

// NewOpportunityReader returns a reader of the opportunities CSV in r.
func NewOpportunityReader(r io.Reader, name string, o *Options) *OpportunityReader {
	return &OpportunityReader{Report: new(Report), src: rowSource{r: r, name: name, o: o, specs: oppSpecs}, seen: make(map[string]bool)}
}

// Read returns the next good opportunity, rejecting bad rows into
// or.Report, and io.EOF at the end.
//
// Outcome must be won, lost or open. A won or lost deal needs closed_at,
// not before created_at; an open deal's closed_at (an expected close
// date in most CRMs) is moved to Attrs["expected_close"]. Amount may be
// empty on an open deal (read as 0) and must not be negative. created_at
// may be empty on an open deal (CreatedAt zero); such rows are counted in
// a warning at the end.
func (or *OpportunityReader) Read() (Opportunity, error) {
	if err := or.src.open(or.Report); err != nil {
		return Opportunity{}, err
	}
	t, o := or.src.t, or.src.o
	for {
		if err := t.next(); err != nil {
			if err == io.EOF && or.noCreated > 0 {
				t.rep.warn(t.file, t.header[t.col["created_at"]], or.noCreated, "%d open opportunities have no creation date; kept without one (calibration gives them the median age of the others)", or.noCreated)
				or.noCreated = 0
			}
			if err == io.EOF && or.noAmount > 0 {
				t.rep.warn(t.file, t.header[t.col["amount"]], or.noAmount, "%d open opportunities have no amount; kept with amount 0 (they add nothing to the open pipeline)", or.noAmount)
				or.noAmount = 0
			}
			return Opportunity{}, err
		}
		op, ok := readOpp(t, o, or.seen, or.Leads, oppRules{parents: or.parents})
		if !ok {
			continue
		}
		if op.CreatedAt.IsZero() {
			or.noCreated++
		}
		if op.Outcome == OutcomeOpen && t.get("amount") == "" {
			or.noAmount++
		}
		t.keep()
		return op, nil
	}
}

// oppRules adapt readOpp to a CRM.
type oppRules struct {
	stageDefaults map[string]string // normalized CRM stage -> stage
	leadOf        map[string]string // opportunity id -> lead id, when the table has no lead_id
	anyAmount     bool              // closed deals may lack an amount (read as 0)
	leadFile      string            // file holding the leads, for messages; "" is leads.csv
	// guess classifies a stage value that neither the mapping nor
	// stageDefaults knows ("Closed: abandoned" is lost); nil keeps it.
	guess   func(raw string) (string, bool)
	parents *parentIndex // ReadExport's index of the leads, used instead of its leads map
}

// readOpp parses the current row of t as an opportunity. The outcome comes
// from the outcome column; else from is_closed and is_won; else from the
// stage ("won", "lost" after mapping).
func readOpp(t *table, o *Options, seen map[string]bool, leads map[string]time.Time, rules oppRules) (Opportunity, bool) {
	id, ok := t.required("opportunity_id")
	if !ok {
		return Opportunity{}, false
	}
	if seen[id] {
		t.reject("opportunity_id", ReasonDuplicateID, fmt.Errorf("duplicate opportunity_id %q", id))
		return Opportunity{}, false
	}
	rawStage := t.get("stage")
	stage := o.mapping().stage(rawStage, rules.stageDefaults)
	if rules.guess != nil && stage == strings.ToLower(strings.TrimSpace(rawStage)) {
		if _, mapped := lookup(o.mapping().stagesMap(), rawStage); !mapped {
			if g, ok := rules.guess(rawStage); ok {
				stage = g
			}
		}
	}
	var out Outcome
	switch {
	case t.has("outcome"):
		var err error
		if out, err = ParseOutcome(t.get("outcome")); err != nil {
			t.reject("outcome", ReasonBadOutcome, err)
			return Opportunity{}, false
		}
	case t.has("is_closed"):
		closed, err := parseBool(t.get("is_closed"))
		if err != nil {
			t.reject("is_closed", ReasonBadOutcome, err)
			return Opportunity{}, false
		}
		won, err := parseBool(t.get("is_won"))
		if err != nil {
			t.reject("is_won", ReasonBadOutcome, err)
			return Opportunity{}, false
		}
		if !t.has("is_won") {
			won = stage == "won"
			if p, ok := parseProbability(t.get("probability")); ok && stage != "lost" && closed {
				won = won || p >= 0.999 // a closed deal at 100% is won
			}
		}
		switch {
		case closed && won:
			out = OutcomeWon
		case closed:
			out = OutcomeLost
		}
	default:
		switch stage {
		case "won":
			out = OutcomeWon
		case "lost":
			out = OutcomeLost
		}
	}
	leadID := firstID(t.get("lead_id"))
	if !t.has("lead_id") && rules.leadOf != nil {
		leadID = rules.leadOf[id]
	}
	if nullID(leadID) {
		leadID = ""
	}
	op := Opportunity{ID: strings.Clone(id), LeadID: leadID, Stage: t.intern(stage), Outcome: out, Currency: t.intern(t.get("currency")), Attrs: t.attrs()}
	if t.get("created_at") != "" || out != OutcomeOpen {
		if op.CreatedAt, ok = t.timeField("created_at", o); !ok || t.afterAsOf("created_at", op.CreatedAt, o) {
			return Opportunity{}, false
		}
	}
	if a := t.get("amount"); a != "" || out != OutcomeOpen && !rules.anyAmount {
		v, cur, err := parseMoney(a)
		switch {
		case a == "":
			t.reject("amount", ReasonMissingValue, fmt.Errorf("empty amount on a %s opportunity", out))
			return Opportunity{}, false
		case err != nil:
			t.reject("amount", ReasonBadAmount, err)
			return Opportunity{}, false
		case v < 0:
			t.reject("amount", ReasonNegativeAmount, fmt.Errorf("negative amount %q", a))
			return Opportunity{}, false
		}
		op.Amount = v
		if op.Currency == "" {
			op.Currency = t.intern(cur)
		}
	}
	cleared := false
	created0 := op.CreatedAt // as exported, for the check against the lead
	if c := t.get("closed_at"); c != "" || out != OutcomeOpen {
		if !t.has("closed_at") {
			t.reject("outcome", ReasonMissingValue, fmt.Errorf("%s opportunity without a closed_at column", out))
			return Opportunity{}, false
		}
		if out == OutcomeOpen {
			closed, err := ParseTime(c, o)
			if err != nil {
				t.reject("closed_at", ReasonBadDate, err)
				return Opportunity{}, false
			}
			if closed = clean(closed); t.implausible(closed) != nil {
				cleared = true // a placeholder expected close: cleared, counted at the end
			} else {
				if op.Attrs == nil {
					op.Attrs = make(map[string]string)
				}
				op.Attrs["expected_close"] = closed.Format(time.RFC3339)
			}
		} else {
			closed, ok := t.timeField("closed_at", o)
			if !ok {
				return Opportunity{}, false
			}
			if t.afterAsOf("closed_at", closed, o) {
				return Opportunity{}, false
			}
			if !op.CreatedAt.IsZero() && closed.Before(op.CreatedAt) {
				switch {
				case !isDate(closed, o):
					t.reject("closed_at", ReasonClosedBeforeCreated, fmt.Errorf("closed_at %s is before created_at %s",
						closed.Format(time.RFC3339), op.CreatedAt.Format(time.RFC3339)))
					return Opportunity{}, false
				case sameDay(closed, op.CreatedAt, o):
					closed = op.CreatedAt // closed the day it was created
				default:
					// Created after its close date: a record migrated
					// into the CRM. The close date is the business date.
					if op.Attrs == nil {
						op.Attrs = make(map[string]string)
					}
					op.Attrs[AttrCreatedAsExported] = op.CreatedAt.Format(time.RFC3339)
					created0 = op.CreatedAt
					op.CreatedAt = closed
					t.createdAfterClose++
				}
			}
			op.ClosedAt = closed
		}
	}
	leadFile := rules.leadFile
	if leadFile == "" {
		leadFile = LeadsFile
	}
	if op.LeadID != "" {
		if op.LeadID, ok = t.parent("lead_id", "lead", leadFile, op.LeadID, "created_at", created0, leads, rules.parents); !ok {
			return Opportunity{}, false
		}
	}
	seen[id] = true
	if cleared {
		t.noClose++
	}
	return op, true
}

// OppStageEventReader reads opportunity stage events one at a time.
type OppStageEventReader struct {
	// Report receives rejected rows; see LeadReader.Report.
	Report *Report
	// Opportunities maps each known opportunity id to its creation time
	// (zero if unknown). When non-nil, events of other opportunities and
	// events before creation are rejected.
	Opportunities map[string]time.Time

	src     rowSource
	parents *parentIndex // see StageEventReader.parents
}

// NewOppStageEventReader returns a reader of the opportunity stage events
// CSV in r.
func NewOppStageEventReader(r io.Reader, name string, o *Options) *OppStageEventReader {
	return &OppStageEventReader{Report: new(Report), src: rowSource{r: r, name: name, o: o, specs: oppStageSpecs}}
}

// Read returns the next good event, rejecting bad rows into sr.Report,
// and io.EOF at the end.
func (sr *OppStageEventReader) Read() (OppStageEvent, error) {
	if err := sr.src.open(sr.Report); err != nil {
		return OppStageEvent{}, err
	}
	t, o := sr.src.t, sr.src.o
	for {
		if err := t.next(); err != nil {
			return OppStageEvent{}, err
		}
		if ev, ok := readOppStage(t, o, sr.Opportunities, sr.parents, OpportunitiesFile, nil); ok {
			t.keep()
			return ev, nil
		}
	}
}

// readOppStage parses the current row of t as an opportunity stage event.
func readOppStage(t *table, o *Options, opps map[string]time.Time, ix *parentIndex, oppFile string, stageDefaults map[string]string) (OppStageEvent, bool) {
	id, ok := t.required("opportunity_id")
	if !ok {
		return OppStageEvent{}, false
	}
	stage, ok := t.required("stage")
	if !ok {
		return OppStageEvent{}, false
	}
	at, ok := t.timeField("at", o)
	if !ok || t.afterAsOf("at", at, o) {
		return OppStageEvent{}, false
	}
	if id, ok = t.parent("opportunity_id", "opportunity", oppFile, id, "at", at, opps, ix); !ok {
		return OppStageEvent{}, false
	}
	return OppStageEvent{OpportunityID: id, Stage: t.intern(o.mapping().stage(stage, stageDefaults)), At: at}, true
}

// AttrCreatedAsExported is the Attrs key holding, as RFC 3339, the
// creation time an export gave a closed opportunity created after its
// close date (a record migrated into the CRM): such a deal is kept with
// CreatedAt moved back to its ClosedAt, and counted in a warning.
const AttrCreatedAsExported = "created_as_exported"

// isDate reports whether ts, as read under o, is a date rather than a
// time: midnight in o.TZ, as CRMs write date fields (Salesforce's
// CloseDate and ConvertedDate, "2024-03-01" or "2024-03-01 00:00:00").
func isDate(ts time.Time, o *Options) bool {
	h, m, s := ts.In(o.tz()).Clock()
	return h == 0 && m == 0 && s == 0
}

// sameDay reports whether a and b fall on the same calendar day in o.TZ.
func sameDay(a, b time.Time, o *Options) bool {
	ya, ma, da := a.In(o.tz()).Date()
	yb, mb, db := b.In(o.tz()).Date()
	return ya == yb && ma == mb && da == db
}

// nullID reports whether id names no record: empty, all zeros, or
// Salesforce's empty key 000000000000000AAA (fifteen zeros and a
// three-letter checksum), which Data Export writes for null lookups.
func nullID(id string) bool {
	id = strings.TrimSpace(id)
	z := strings.TrimLeft(id, "0")
	return z == "" || len(id) == 18 && len(z) <= 3 && strings.HasPrefix(id, "000000000000000")
}

// parseBool reads CRM booleans: true/false, 1/0, yes/no, empty (false).
func parseBool(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "yes", "y":
		return true, nil
	case "false", "0", "no", "n", "":
		return false, nil
	}
	return false, fmt.Errorf("cannot parse %q as true or false", s)
}

// firstID returns the first of a list of ids separated by ";" or ","
// (HubSpot's associated-record columns).
func firstID(s string) string {
	if i := strings.IndexAny(s, ";,"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// parseProbability parses a deal probability, "0.9", "1", "90%" or
// "90 %", as a fraction in [0,1]; ok is false when s is empty or not one.
func parseProbability(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || s == "" {
		return 0, false
	}
	if pct || v > 1 {
		v /= 100
	}
	return v, v >= 0 && v <= 1
}
