package data

import (
	"encoding/csv"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"
)

// FileCreator creates named files for WriteExport. A command implements
// it over a directory with os.Create.
type FileCreator interface {
	Create(name string) (io.WriteCloser, error)
}

// WriteExport writes e in the canonical format: leads.csv and
// opportunities.csv always, the event and activity files when they have
// rows. ReadExport reads the result back into the same records.
func WriteExport(dir FileCreator, e *Export) error {
	files := []struct {
		name  string
		write func(io.Writer) error
		skip  bool
	}{
		{LeadsFile, func(w io.Writer) error { return WriteLeads(w, e.Leads) }, false},
		{StageEventsFile, func(w io.Writer) error { return WriteStageEvents(w, e.StageEvents) }, len(e.StageEvents) == 0},
		{ActivitiesFile, func(w io.Writer) error { return WriteActivities(w, e.Activities) }, len(e.Activities) == 0},
		{OpportunitiesFile, func(w io.Writer) error { return WriteOpportunities(w, e.Opportunities) }, false},
		{OppStageEventsFile, func(w io.Writer) error { return WriteOppStageEvents(w, e.OppStageEvents) }, len(e.OppStageEvents) == 0},
	}
	for _, f := range files {
		if f.skip {
			continue
		}
		w, err := dir.Create(f.name)
		if err != nil {
			return fmt.Errorf("data: %w", err)
		}
		err = f.write(w)
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("data: %s: %w", f.name, cerr)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// formatTime writes t as RFC 3339 in UTC at second precision; zero is "".
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format(time.RFC3339)
}

func formatAmount(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// attrKeys returns the sorted union of the attribute keys, leaving out
// those that clash with fixed columns.
func attrKeys(n int, attrs func(int) map[string]string, fixed []string) []string {
	seen := make(map[string]bool)
	for _, f := range fixed {
		seen[normKey(f)] = true
	}
	var keys []string
	set := make(map[string]bool)
	for i := 0; i < n; i++ {
		for k := range attrs(i) {
			if !set[k] && !seen[normKey(k)] {
				set[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func writeCSV(w io.Writer, header []string, n int, row func(i int, rec []string)) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	rec := make([]string, len(header))
	for i := 0; i < n; i++ {
		row(i, rec)
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteLeads writes leads as a canonical leads.csv, with one extra column
// per Attrs key (sorted). Score is empty when HasScore is false.
func WriteLeads(w io.Writer, leads []Lead) error {
	fixed := []string{"lead_id", "created_at", "source", "segment", "score", "owner"}
	keys := attrKeys(len(leads), func(i int) map[string]string { return leads[i].Attrs }, fixed)
	return writeCSV(w, append(fixed, keys...), len(leads), func(i int, rec []string) {
		l := leads[i]
		score := ""
		if l.HasScore {
			score = formatAmount(l.Score)
		}
		copy(rec, []string{l.ID, formatTime(l.CreatedAt), l.Source, l.Segment, score, l.Owner})
		for j, k := range keys {
			rec[len(fixed)+j] = l.Attrs[k]
		}
	})
}

// WriteStageEvents writes events as a canonical stage_events.csv.
func WriteStageEvents(w io.Writer, events []StageEvent) error {
	return writeCSV(w, []string{"lead_id", "stage", "at"}, len(events), func(i int, rec []string) {
		copy(rec, []string{events[i].LeadID, events[i].Stage, formatTime(events[i].At)})
	})
}

// WriteActivities writes activities as a canonical activities.csv.
func WriteActivities(w io.Writer, acts []Activity) error {
	return writeCSV(w, []string{"lead_id", "at", "channel", "outcome", "owner"}, len(acts), func(i int, rec []string) {
		a := acts[i]
		out := "attempted"
		if a.Connected {
			out = "connected"
		}
		copy(rec, []string{a.LeadID, formatTime(a.At), a.Channel, out, a.Owner})
	})
}

// WriteOpportunities writes opps as a canonical opportunities.csv, with
// one extra column per Attrs key (sorted).
func WriteOpportunities(w io.Writer, opps []Opportunity) error {
	fixed := []string{"opportunity_id", "lead_id", "created_at", "amount", "stage", "closed_at", "outcome", "currency"}
	keys := attrKeys(len(opps), func(i int) map[string]string { return opps[i].Attrs }, fixed)
	return writeCSV(w, append(fixed, keys...), len(opps), func(i int, rec []string) {
		op := opps[i]
		copy(rec, []string{op.ID, op.LeadID, formatTime(op.CreatedAt), formatAmount(op.Amount), op.Stage,
			formatTime(op.ClosedAt), op.Outcome.String(), op.Currency})
		for j, k := range keys {
			rec[len(fixed)+j] = op.Attrs[k]
		}
	})
}

// WriteOppStageEvents writes events as a canonical
// opportunity_stage_events.csv.
func WriteOppStageEvents(w io.Writer, events []OppStageEvent) error {
	return writeCSV(w, []string{"opportunity_id", "stage", "at"}, len(events), func(i int, rec []string) {
		copy(rec, []string{events[i].OpportunityID, events[i].Stage, formatTime(events[i].At)})
	})
}
