package data

import (
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"gonum.org/v1/gonum/stat"
)

// TaxonomyOrder is the order in which Inspect lists the stages of the
// shared lead taxonomy; other stages follow in alphabetical order.
var TaxonomyOrder = []string{"known", "engaged", "mql", "tql", "sal", "rejected", "recycled", "disqualified", "opportunity", "won", "lost"}

// FileRows counts the rows of one file.
type FileRows struct {
	File     string
	Read     int // data rows read, header excluded
	Rejected int // rows rejected
}

// StageCount is a stage and how many leads (or deals) entered it.
type StageCount struct {
	Stage string
	N     int
}

// Transition summarizes the time between consecutive stage events of the
// same lead.
type Transition struct {
	From, To string
	N        int           // number of lead transitions observed
	Median   time.Duration // median time from entering From to entering To
}

// InspectReport summarizes an Export for people. See Inspect.
type InspectReport struct {
	Files []FileRows // rows per file, in reading order

	Leads, StageEvents, Activities, Opportunities, OppStageEvents int // records loaded

	First, Last time.Time // earliest and latest timestamp in the export; zero if none
	AsOf        time.Time // Export.AsOf

	LeadsByStage    []StageCount // leads that ever entered each stage, taxonomy order
	OppsByStage     []StageCount // opportunities by current stage, taxonomy order
	Won, Lost, Open int          // opportunities by outcome

	Transitions []Transition // median time between consecutive stages, by From then To in taxonomy order

	// Response time: for each lead with an mql event, the minutes from
	// its first mql event to its first activity at or after it.
	ResponseN   int     // leads with a response
	ResponseP50 float64 // median response time, minutes; NaN if ResponseN is 0
	ResponseP90 float64 // 90th percentile, minutes; NaN if ResponseN is 0
	NoResponse  int     // mql leads with no activity after the mql event

	Rejected []ReasonCount // rejected rows by reason, most frequent first
	Warnings []error       // Report.Warnings
}

// Inspect summarizes e: rows per file, date range, leads per stage,
// median time between consecutive stages, response-time quantiles and
// rejected rows by reason. Quantiles are empirical (stat.Empirical).
func Inspect(e *Export) InspectReport {
	r := InspectReport{
		Leads: len(e.Leads), StageEvents: len(e.StageEvents), Activities: len(e.Activities),
		Opportunities: len(e.Opportunities), OppStageEvents: len(e.OppStageEvents),
		AsOf: e.AsOf, Rejected: e.Report.ByReason(), Warnings: e.Report.Warnings,
		ResponseP50: math.NaN(), ResponseP90: math.NaN(),
	}
	rejected := make(map[string]int)
	for _, re := range e.Report.Rejected {
		rejected[re.File]++
	}
	for _, f := range e.Report.Files {
		r.Files = append(r.Files, FileRows{File: f, Read: e.Report.Rows[f], Rejected: rejected[f]})
	}
	span := func(t time.Time) {
		if t.IsZero() {
			return
		}
		if r.First.IsZero() || t.Before(r.First) {
			r.First = t
		}
		if t.After(r.Last) {
			r.Last = t
		}
	}
	for _, l := range e.Leads {
		span(l.CreatedAt)
	}
	for _, s := range e.StageEvents {
		span(s.At)
	}
	for _, a := range e.Activities {
		span(a.At)
	}
	for _, op := range e.Opportunities {
		span(op.CreatedAt)
		span(op.ClosedAt)
	}
	for _, s := range e.OppStageEvents {
		span(s.At)
	}

	// Stages entered and transitions, per lead. Events are grouped by lead
	// and ordered by time as ReadExport sorts them; sort a copy anyway.
	evs := append([]StageEvent(nil), e.StageEvents...)
	sort.SliceStable(evs, func(i, j int) bool {
		if evs[i].LeadID != evs[j].LeadID {
			return evs[i].LeadID < evs[j].LeadID
		}
		return evs[i].At.Before(evs[j].At)
	})
	entered := make(map[string]int)
	type pair struct{ from, to string }
	gaps := make(map[pair][]float64)
	firstMQL := make(map[string]time.Time)
	for i := 0; i < len(evs); {
		j := i
		seen := make(map[string]bool)
		for ; j < len(evs) && evs[j].LeadID == evs[i].LeadID; j++ {
			ev := evs[j]
			if !seen[ev.Stage] {
				seen[ev.Stage] = true
				entered[ev.Stage]++
			}
			if ev.Stage == "mql" {
				if _, ok := firstMQL[ev.LeadID]; !ok {
					firstMQL[ev.LeadID] = ev.At
				}
			}
			if j > i {
				p := pair{evs[j-1].Stage, ev.Stage}
				gaps[p] = append(gaps[p], float64(ev.At.Sub(evs[j-1].At)))
			}
		}
		i = j
	}
	r.LeadsByStage = stageCounts(entered)
	for p, d := range gaps {
		sort.Float64s(d)
		r.Transitions = append(r.Transitions, Transition{From: p.from, To: p.to, N: len(d),
			Median: time.Duration(stat.Quantile(0.5, stat.Empirical, d, nil))})
	}
	sort.Slice(r.Transitions, func(i, j int) bool {
		a, b := r.Transitions[i], r.Transitions[j]
		if a.From != b.From {
			return stageLess(a.From, b.From)
		}
		return stageLess(a.To, b.To)
	})

	// Response times.
	acts := make(map[string][]time.Time)
	for _, a := range e.Activities {
		acts[a.LeadID] = append(acts[a.LeadID], a.At)
	}
	var minutes []float64
	for id, at := range firstMQL {
		var best time.Time
		for _, t := range acts[id] {
			if !t.Before(at) && (best.IsZero() || t.Before(best)) {
				best = t
			}
		}
		if best.IsZero() {
			r.NoResponse++
			continue
		}
		minutes = append(minutes, best.Sub(at).Minutes())
	}
	if len(minutes) > 0 {
		sort.Float64s(minutes)
		r.ResponseN = len(minutes)
		r.ResponseP50 = stat.Quantile(0.5, stat.Empirical, minutes, nil)
		r.ResponseP90 = stat.Quantile(0.9, stat.Empirical, minutes, nil)
	}

	oppStages := make(map[string]int)
	for _, op := range e.Opportunities {
		oppStages[op.Stage]++
		switch op.Outcome {
		case OutcomeWon:
			r.Won++
		case OutcomeLost:
			r.Lost++
		default:
			r.Open++
		}
	}
	r.OppsByStage = stageCounts(oppStages)
	r.Warnings = append(slices.Clip(r.Warnings), checks(e, entered)...)
	return r
}

// checks returns what in e calibration cannot use as it stands: lead
// stages outside the taxonomy, opportunities in several currencies, and
// closed deals of amount 0. entered counts the leads entering each stage.
func checks(e *Export, entered map[string]int) []error {
	var out []error
	for _, sc := range stageCounts(entered) {
		if stageRank(sc.Stage) == len(TaxonomyOrder) {
			out = append(out, fmt.Errorf("stage %q (%s) is not in the taxonomy (%s): map the status to a stage (sim import --mapping), or calibrate with a --base model that has it",
				sc.Stage, plural(sc.N, "lead"), strings.Join(TaxonomyOrder, ", ")))
		}
	}
	cur := map[string]int{}
	zero := 0
	for _, op := range e.Opportunities {
		if op.Currency != "" {
			cur[op.Currency]++
		}
		if op.Amount == 0 && op.Outcome != OutcomeOpen {
			zero++
		}
	}
	if len(cur) > 1 {
		var parts []string
		for _, c := range slices.Sorted(maps.Keys(cur)) {
			parts = append(parts, fmt.Sprintf("%s %d", c, cur[c]))
		}
		out = append(out, fmt.Errorf("opportunities are in %d currencies (%s): deal sizes and revenue need one; convert the amounts first (calibrate uses the amounts as given, in the base model's currency)",
			len(cur), strings.Join(parts, ", ")))
	}
	if zero > 0 {
		out = append(out, fmt.Errorf("%s of amount 0: deal sizes are fitted from positive amounts only", plural(zero, "closed opportunity")))
	}
	return out
}

// plural returns "1 lead", "2 leads"; a noun ending in y takes ies.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "y") {
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func stageRank(s string) int {
	for i, t := range TaxonomyOrder {
		if s == t {
			return i
		}
	}
	return len(TaxonomyOrder)
}

func stageLess(a, b string) bool {
	ra, rb := stageRank(a), stageRank(b)
	if ra != rb {
		return ra < rb
	}
	return a < b
}

func stageCounts(m map[string]int) []StageCount {
	var out []StageCount
	for s, n := range m {
		out = append(out, StageCount{s, n})
	}
	sort.Slice(out, func(i, j int) bool { return stageLess(out[i].Stage, out[j].Stage) })
	return out
}

// humanDuration renders d for people: "45s", "12m", "2h 15m", "3.5d".
func humanDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "-" + humanDuration(-d)
	case d < time.Minute:
		return fmt.Sprintf("%.0fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%.0fm", d.Minutes())
	case d < 48*time.Hour:
		h := int(d / time.Hour)
		return fmt.Sprintf("%dh %dm", h, int((d-time.Duration(h)*time.Hour)/time.Minute))
	}
	return fmt.Sprintf("%.1fd", d.Hours()/24)
}

func humanDate(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

// WriteText writes r as aligned text tables for people.
func (r InspectReport) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "file\trows\trejected\n")
	for _, f := range r.Files {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", f.File, f.Read, f.Rejected)
	}
	fmt.Fprintf(tw, "\nloaded: %d leads, %d stage events, %d activities, %d opportunities, %d opportunity stage events\n",
		r.Leads, r.StageEvents, r.Activities, r.Opportunities, r.OppStageEvents)
	fmt.Fprintf(tw, "dates: %s to %s (as of %s)\n", humanDate(r.First), humanDate(r.Last), humanDate(r.AsOf))
	if len(r.LeadsByStage) > 0 {
		fmt.Fprintf(tw, "\nstage\tleads entering\n")
		for _, s := range r.LeadsByStage {
			fmt.Fprintf(tw, "%s\t%d\n", s.Stage, s.N)
		}
	}
	if len(r.Transitions) > 0 {
		fmt.Fprintf(tw, "\nfrom\tto\tn\tmedian time\n")
		for _, t := range r.Transitions {
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", t.From, t.To, t.N, humanDuration(t.Median))
		}
	}
	if r.Activities == 0 && r.NoResponse > 0 {
		fmt.Fprintf(tw, "\nresponse time after mql: unknown, the export has no activities\n")
	} else if r.ResponseN > 0 || r.NoResponse > 0 {
		fmt.Fprintf(tw, "\nresponse time after mql (first activity): ")
		if r.ResponseN > 0 {
			fmt.Fprintf(tw, "P50 %s, P90 %s (n=%d); ", humanDuration(minutesDur(r.ResponseP50)), humanDuration(minutesDur(r.ResponseP90)), r.ResponseN)
		}
		fmt.Fprintf(tw, "%d mql leads never contacted\n", r.NoResponse)
	}
	if r.Opportunities > 0 {
		fmt.Fprintf(tw, "\nopportunities: %d won, %d lost, %d open\n", r.Won, r.Lost, r.Open)
		fmt.Fprintf(tw, "stage\topportunities\n")
		for _, s := range r.OppsByStage {
			fmt.Fprintf(tw, "%s\t%d\n", s.Stage, s.N)
		}
	}
	if len(r.Rejected) > 0 {
		fmt.Fprintf(tw, "\nrejected reason\trows\n")
		for _, c := range r.Rejected {
			fmt.Fprintf(tw, "%s\t%d\n", c.Reason, c.N)
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Warnings) > 0 {
		fmt.Fprintf(w, "\nwarnings:\n")
		for i, wn := range r.Warnings {
			if _, err := fmt.Fprintf(w, "[%d] %v\n", i+1, wn); err != nil {
				return err
			}
		}
	}
	return nil
}

func minutesDur(m float64) time.Duration { return time.Duration(m * float64(time.Minute)) }

// String returns the WriteText rendering.
func (r InspectReport) String() string {
	var b strings.Builder
	r.WriteText(&b)
	return b.String()
}
