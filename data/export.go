package data

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/funnelsim/funnel/model"
)

// ReadExport loads the canonical export in fsys (see the package
// documentation for the files and columns). leads.csv or
// opportunities.csv must be present; the other files are optional. When
// leads.csv is absent, lead ids on opportunities are not checked.
//
// ReadExport returns an error for a file that cannot be read, is empty or
// lacks required columns. When more rows than o.MaxRejectShare were
// rejected it returns the loaded Export together with a
// *RejectShareError.
func ReadExport(fsys fs.FS, o *Options) (*Export, error) {
	e := new(Export)
	rep := &e.Report
	haveLeads, err := exists(fsys, LeadsFile)
	if err != nil {
		return nil, err
	}
	haveOpps, err := exists(fsys, OpportunitiesFile)
	if err != nil {
		return nil, err
	}
	if !haveLeads && !haveOpps {
		return nil, fmt.Errorf("data: export has neither %s nor %s", LeadsFile, OpportunitiesFile)
	}
	var leads *parentIndex
	if haveLeads {
		err := readFile(fsys, LeadsFile, func(r io.Reader) error {
			lr := NewLeadReader(r, LeadsFile, o)
			lr.Report = rep
			return drain(lr.Read, &e.Leads, lineHint(fsys, LeadsFile))
		})
		if err != nil {
			return nil, err
		}
		leads = &parentIndex{idx: make(map[string]int32, len(e.Leads)), record: func(i int32) (string, time.Time) {
			return e.Leads[i].ID, e.Leads[i].CreatedAt
		}}
		for i, l := range e.Leads {
			leads.idx[l.ID] = int32(i)
		}
	} else {
		leads = &parentIndex{} // events are checked against leads.csv even when it is absent
	}
	optional := []struct {
		file string
		read func(io.Reader) error
	}{
		{StageEventsFile, func(r io.Reader) error {
			sr := NewStageEventReader(r, StageEventsFile, o)
			sr.Report, sr.parents = rep, leads
			return drain(sr.Read, &e.StageEvents, lineHint(fsys, StageEventsFile))
		}},
		{ActivitiesFile, func(r io.Reader) error {
			ar := NewActivityReader(r, ActivitiesFile, o)
			ar.Report, ar.parents = rep, leads
			return drain(ar.Read, &e.Activities, lineHint(fsys, ActivitiesFile))
		}},
		{OpportunitiesFile, func(r io.Reader) error {
			or := NewOpportunityReader(r, OpportunitiesFile, o)
			or.Report = rep
			if haveLeads { // lead ids are not checked without leads.csv
				or.parents = leads
			}
			return drain(or.Read, &e.Opportunities, lineHint(fsys, OpportunitiesFile))
		}},
	}
	for _, f := range optional {
		ok, err := exists(fsys, f.file)
		if err != nil {
			return nil, err
		}
		if ok {
			if err := readFile(fsys, f.file, f.read); err != nil {
				return nil, err
			}
		}
	}
	if ok, err := exists(fsys, OppStageEventsFile); err != nil {
		return nil, err
	} else if ok {
		opps := &parentIndex{idx: make(map[string]int32, len(e.Opportunities)), record: func(i int32) (string, time.Time) {
			return e.Opportunities[i].ID, e.Opportunities[i].CreatedAt
		}}
		for i, op := range e.Opportunities {
			opps.idx[op.ID] = int32(i)
		}
		err := readFile(fsys, OppStageEventsFile, func(r io.Reader) error {
			sr := NewOppStageEventReader(r, OppStageEventsFile, o)
			sr.Report, sr.parents = rep, opps
			return drain(sr.Read, &e.OppStageEvents, lineHint(fsys, OppStageEventsFile))
		})
		if err != nil {
			return nil, err
		}
	}
	return e, e.finish(o)
}

func exists(fsys fs.FS, name string) (bool, error) {
	_, err := fs.Stat(fsys, name)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("data: %w", err)
	}
	return true, nil
}

// maxHint bounds lineHint: 256 M records.
const maxHint = 1 << 28

// lineHint returns the number of line ends in file name of fsys, less
// the header's: an upper bound on its records, up to blank lines and
// quoted line ends, which drain uses to size its slice at once instead of
// growing it by copies (a slice of 5 million events grown by append peaks
// near twice its size). It returns 0 when the file cannot be read, or
// when it holds more than maxHint lines.
func lineHint(fsys fs.FS, name string) int {
	f, err := fsys.Open(name)
	if err != nil {
		return 0
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	n := 0
	for {
		k, err := f.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if n > maxHint {
			return 0
		}
		if err != nil {
			break
		}
	}
	return max(n-1, 0)
}

func readFile(fsys fs.FS, name string, read func(io.Reader) error) error {
	f, err := fsys.Open(name)
	if err != nil {
		return fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	return read(f)
}

// drain appends every record of read to dst until io.EOF, first making
// room for hint records.
func drain[T any](read func() (T, error), dst *[]T, hint int) error {
	*dst = slices.Grow(*dst, hint)
	for {
		v, err := read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		*dst = append(*dst, v)
	}
}

// finish sorts the records, sets AsOf and checks the reject share.
func (e *Export) finish(o *Options) error {
	slices.SortStableFunc(e.Leads, func(a, b Lead) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	SortStageEvents(e.StageEvents, nil)
	slices.SortStableFunc(e.Activities, func(a, b Activity) int {
		return cmp.Or(strings.Compare(a.LeadID, b.LeadID), a.At.Compare(b.At),
			-boolCompare(a.Connected, b.Connected), strings.Compare(a.Channel, b.Channel), strings.Compare(a.Owner, b.Owner))
	})
	slices.SortStableFunc(e.Opportunities, func(a, b Opportunity) int {
		return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), strings.Compare(a.ID, b.ID))
	})
	closing := func(s string) bool { return s == "won" || s == "lost" }
	slices.SortStableFunc(e.OppStageEvents, func(a, b OppStageEvent) int {
		return cmp.Or(strings.Compare(a.OpportunityID, b.OpportunityID), a.At.Compare(b.At),
			boolCompare(closing(a.Stage), closing(b.Stage)), strings.Compare(a.Stage, b.Stage))
	})
	e.AsOf = o.asOf()
	if e.AsOf.IsZero() {
		e.AsOf = e.latest(o)
		n := 0
		for _, op := range e.Opportunities {
			if op.ClosedAt.After(e.AsOf) {
				n++
			}
		}
		if n > 0 {
			e.Report.warn("", "as-of", n, "%d closed opportunities have a close date after %s, the newest creation, history or won time, which is the as-of time; kept (expected close dates left on deals closed lost?)",
				n, e.AsOf.Format(time.RFC3339))
		}
	} else {
		e.AsOf = e.AsOf.UTC()
	}
	return e.Report.checkShare(o.maxShare())
}

// SortStageEvents sorts events by lead, then time, and puts the events
// of one lead at the same time (to the second, as exports write them) in
// an order that follows m's funnel: the order, among all orders of those
// events, with the most consecutive pairs that are moves of m (its
// transitions, and the handoff stage to its no-contact stage), counting
// the event before and the one after (unless that one is tied too). Among orders as good, the first in
// the order of m's stages wins (stages m does not have after its own, by
// name). So a lead that entered mql and was recycled to engaged in the
// same second keeps that order, and the result never depends on the order
// of the events in the file. A group of more than 6 tied events is left
// in stage order. nil m means model.Default().
//
// ReadExport and the CRM readers sort their events with the default
// model; calibration sorts ties again with the model it fits.
func SortStageEvents(events []StageEvent, m *model.Model) {
	f := defaultFlow()
	if m != nil {
		f = newFlow(m)
	}
	slices.SortStableFunc(events, func(a, b StageEvent) int {
		return cmp.Or(strings.Compare(a.LeadID, b.LeadID), a.At.Compare(b.At),
			cmp.Compare(f.rank(a.Stage), f.rank(b.Stage)), strings.Compare(a.Stage, b.Stage))
	})
	for i := 0; i < len(events); {
		j := i + 1
		for j < len(events) && events[j].LeadID == events[i].LeadID && events[j].At.Equal(events[i].At) {
			j++
		}
		if j-i > 1 && j-i <= 6 {
			prev, next := "", ""
			if i > 0 && events[i-1].LeadID == events[i].LeadID {
				prev = events[i-1].Stage
			}
			if j < len(events) && events[j].LeadID == events[i].LeadID &&
				(j+1 == len(events) || events[j+1].LeadID != events[j].LeadID || !events[j+1].At.Equal(events[j].At)) {
				next = events[j].Stage // the next event, unless it is tied too
			}
			f.order(events[i:j], prev, next)
		}
		i = j
	}
}

// flow is what SortStageEvents knows of a model: the rank of each stage
// and its moves.
type flow struct {
	ranks map[string]int
	moves map[[2]string]bool
}

var defaultFlow = sync.OnceValue(func() *flow { return newFlow(model.Default()) })

func newFlow(m *model.Model) *flow {
	f := &flow{ranks: make(map[string]int), moves: make(map[[2]string]bool)}
	for i, s := range m.Stages {
		if _, ok := f.ranks[s.Name]; !ok {
			f.ranks[s.Name] = i
		}
	}
	for _, t := range m.Transitions {
		f.moves[[2]string{t.From, t.To}] = true
	}
	if h := m.Handoff; h != nil && h.NoContact != "" {
		f.moves[[2]string{h.Stage, h.NoContact}] = true
	}
	return f
}

// rank returns the index of stage among the model's stages, and the
// number of stages for other stages.
func (f *flow) rank(stage string) int {
	if i, ok := f.ranks[stage]; ok {
		return i
	}
	return len(f.ranks)
}

// order reorders g, events of one lead at one time in stage order, into
// the first order with the most moves from prev, between events and to
// next ("" for none).
func (f *flow) order(g []StageEvent, prev, next string) {
	n := len(g)
	best, bestScore := []int(nil), -1
	perm := make([]int, 0, n)
	used := make([]bool, n)
	var walk func()
	walk = func() {
		if len(perm) == n {
			score, last := 0, prev
			for _, k := range perm {
				if last != "" && f.moves[[2]string{last, g[k].Stage}] {
					score++
				}
				last = g[k].Stage
			}
			if next != "" && f.moves[[2]string{last, next}] {
				score++
			}
			if score > bestScore {
				best, bestScore = slices.Clone(perm), score
			}
			return
		}
		for k := range n {
			if !used[k] {
				used[k] = true
				perm = append(perm, k)
				walk()
				perm = perm[:len(perm)-1]
				used[k] = false
			}
		}
	}
	walk()
	out := make([]StageEvent, n)
	for i, k := range best {
		out[i] = g[k]
	}
	copy(g, out)
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// latest returns the default as-of time: the latest creation, stage
// event, activity or opportunity stage event in e, or close of a won
// deal, zero if none. The close date of a lost deal (a date: midnight in
// o.TZ, as date fields are written) does not count, nor does any close
// after Options.Now: CRMs leave the expected close date on deals closed
// lost, often in the future, and one would move the as-of time past the
// export.
func (e *Export) latest(o *Options) time.Time {
	now := o.now()
	var t time.Time
	max := func(u time.Time) {
		if u.After(t) {
			t = u
		}
	}
	for _, l := range e.Leads {
		max(l.CreatedAt)
	}
	for _, s := range e.StageEvents {
		max(s.At)
	}
	for _, a := range e.Activities {
		max(a.At)
	}
	for _, op := range e.Opportunities {
		max(op.CreatedAt)
		if (op.Outcome == OutcomeWon || !isDate(op.ClosedAt, o)) && !op.ClosedAt.After(now) {
			max(op.ClosedAt)
		}
	}
	for _, s := range e.OppStageEvents {
		max(s.At)
	}
	return t
}
