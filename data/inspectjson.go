package data

import (
	"math"
	"time"
)

// InspectJSON is the JSON form of an InspectReport and the Report behind
// it (sim inspect --json): times RFC 3339 UTC, durations in seconds,
// response times in minutes, null when undefined. Lists are [] rather
// than null when empty.
type InspectJSON struct {
	Source         string                  `json:"format"`
	Files          []InspectFileJSON       `json:"files"`
	Leads          int                     `json:"leads"`
	StageEvents    int                     `json:"stage_events"`
	Activities     int                     `json:"activities"`
	Opportunities  int                     `json:"opportunities"`
	OppStageEvents int                     `json:"opportunity_stage_events"`
	First          *time.Time              `json:"first"`
	Last           *time.Time              `json:"last"`
	AsOf           *time.Time              `json:"as_of"`
	LeadsByStage   []InspectStageJSON      `json:"leads_by_stage"`
	OppsByStage    []InspectStageJSON      `json:"opportunities_by_stage"`
	Won            int                     `json:"won"`
	Lost           int                     `json:"lost"`
	Open           int                     `json:"open"`
	Transitions    []InspectTransitionJSON `json:"transitions"`
	Response       InspectResponseJSON     `json:"response"`
	Rows           int                     `json:"rows"`
	RejectedRows   int                     `json:"rejected_rows"`
	RejectShare    float64                 `json:"reject_share"`
	Rejected       []InspectReasonJSON     `json:"rejected_by_reason"`
	RejectsFile    string                  `json:"rejects_file,omitempty"`
	Warnings       []string                `json:"warnings"`
}

// InspectFileJSON is a file's rows (FileRows).
type InspectFileJSON struct {
	File     string `json:"file"`
	Rows     int    `json:"rows"`
	Rejected int    `json:"rejected"`
}

// InspectStageJSON is a stage's count (StageCount).
type InspectStageJSON struct {
	Stage string `json:"stage"`
	N     int    `json:"n"`
}

// InspectTransitionJSON is a Transition, its median in seconds.
type InspectTransitionJSON struct {
	From          string  `json:"from"`
	To            string  `json:"to"`
	N             int     `json:"n"`
	MedianSeconds float64 `json:"median_seconds"`
}

// InspectResponseJSON is the response time from MQL to first activity.
type InspectResponseJSON struct {
	N          int      `json:"n"`
	P50Minutes *float64 `json:"p50_minutes"`
	P90Minutes *float64 `json:"p90_minutes"`
	NoResponse int      `json:"no_response"`
}

// InspectReasonJSON is a reject reason's count (ReasonCount).
type InspectReasonJSON struct {
	Reason string `json:"reason"`
	N      int    `json:"n"`
}

// NewInspectJSON returns the JSON form of r, the report of an export
// whose Report is rep, read in the named format, its rejected rows listed
// in the file rejects ("" for none, left out).
func NewInspectJSON(r InspectReport, rep *Report, format, rejects string) InspectJSON {
	tp := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		t = t.UTC()
		return &t
	}
	fp := func(v float64) *float64 {
		if math.IsNaN(v) {
			return nil
		}
		return &v
	}
	stages := func(in []StageCount) []InspectStageJSON {
		out := []InspectStageJSON{}
		for _, s := range in {
			out = append(out, InspectStageJSON{s.Stage, s.N})
		}
		return out
	}
	j := InspectJSON{
		Source: format, Files: []InspectFileJSON{}, Leads: r.Leads, StageEvents: r.StageEvents, Activities: r.Activities,
		Opportunities: r.Opportunities, OppStageEvents: r.OppStageEvents,
		First: tp(r.First), Last: tp(r.Last), AsOf: tp(r.AsOf),
		LeadsByStage: stages(r.LeadsByStage), OppsByStage: stages(r.OppsByStage),
		Won: r.Won, Lost: r.Lost, Open: r.Open,
		Transitions: []InspectTransitionJSON{},
		Response:    InspectResponseJSON{N: r.ResponseN, P50Minutes: fp(r.ResponseP50), P90Minutes: fp(r.ResponseP90), NoResponse: r.NoResponse},
		Rows:        rep.TotalRows(), RejectedRows: len(rep.Rejected), RejectShare: rep.RejectShare(),
		Rejected: []InspectReasonJSON{}, RejectsFile: rejects, Warnings: []string{},
	}
	for _, f := range r.Files {
		j.Files = append(j.Files, InspectFileJSON{f.File, f.Read, f.Rejected})
	}
	for _, t := range r.Transitions {
		j.Transitions = append(j.Transitions, InspectTransitionJSON{t.From, t.To, t.N, t.Median.Seconds()})
	}
	for _, c := range r.Rejected {
		j.Rejected = append(j.Rejected, InspectReasonJSON{c.Reason, c.N})
	}
	for _, w := range r.Warnings {
		j.Warnings = append(j.Warnings, w.Error())
	}
	return j
}
