package data

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/funnelsim/funnel/model"
)

// Suggestion is a starting Mapping for an export, made by SuggestMapping
// from the export's own headers and values: what each file's columns
// bind to, and the stage every status value becomes, with what could not
// be placed.
type Suggestion struct {
	Format Format
	Files  []SuggestedFile
	// Stages are the status and stage values of the export (lead
	// statuses, lifecycle stages, deal stages), in order of first
	// appearance by file.
	Stages []SuggestedValue
	// Sources are the lead source values, most leads first.
	Sources []SuggestedValue
}

// SuggestedFile is one file of the export and the columns it binds.
type SuggestedFile struct {
	Name    string
	Object  Object
	Canon   string      // the adapter's name for the file ("contacts.csv"), the key of its columns in the mapping
	Columns [][2]string // canonical column, header it binds, in the adapter's order
	Missing []string    // required canonical columns no header binds
	Err     error       // why the file could not be read; nil if it was
}

// SuggestedValue is one value of a status, stage or source column.
type SuggestedValue struct {
	Value  string // as the export writes it
	Count  int    // rows (or, for lifecycle date columns, values) holding it
	To     string // what the import makes of it: a stage, or the source itself
	Placed bool   // To is a stage of the model (or an open deal stage, or a source)
	Where  string // the file and column it was found in
	Note   string // why it is not placed, or how it is read
}

// SuggestMapping reads the export in fsys (Detect finds its files) and
// returns a starting mapping: each file's column bindings and each
// status, stage and source value with the stage the import gives it
// under o's mapping (o may be nil) and the adapter's defaults. A lead
// status or lifecycle stage is placed when it becomes a stage of m (nil
// means model.Default()); deal stages are placed when they close a deal
// as won or lost or are an open deal's stage. Unreadable files are
// listed with their error.
func SuggestMapping(fsys fs.FS, o *Options, m *model.Model) (*Suggestion, error) {
	if m == nil {
		m = model.Default()
	}
	if o == nil {
		o = &Options{}
	}
	det, err := Detect(fsys)
	if err != nil {
		return nil, err
	}
	s := &Suggestion{Format: det.Format}
	stages := map[string]*SuggestedValue{}
	var order []string // stage values in order of first appearance
	sources := map[string]*SuggestedValue{}
	inModel := func(st string) bool { return m.StageIndex(st) >= 0 }
	addStage := func(v, where string, n int, to string, placed bool, note string) {
		v = strings.TrimSpace(v)
		if v == "" {
			return
		}
		if x, ok := stages[v]; ok {
			x.Count += n
			return
		}
		stages[v] = &SuggestedValue{Value: v, Count: n, To: to, Placed: placed, Where: where, Note: note}
		order = append(order, v)
	}
	mp := o.mapping()
	leadStatus := func(v string, defaults map[string]string) (string, bool, string) {
		to := mp.stage(v, defaults)
		if inModel(to) {
			return to, true, ""
		}
		return to, false, fmt.Sprintf("%q is not a stage of the model (%s): map it to one", to, strings.Join(stageNames(m), ", "))
	}
	dealStage := func(v string, defaults map[string]string, guess func(string) (string, bool)) (string, bool, string) {
		to := mp.stage(v, defaults)
		if guess != nil && to == strings.ToLower(strings.TrimSpace(v)) {
			if _, mapped := lookup(mp.stagesMap(), v); !mapped {
				if g, ok := guess(v); ok {
					to = g
				}
			}
		}
		switch to {
		case "won", "lost":
			return to, true, "closes the deal as " + to
		}
		return to, true, "an open deal's stage"
	}
	for _, f := range det.Files {
		if f.Object == ObjectUnknown {
			s.Files = append(s.Files, SuggestedFile{Name: f.Name, Err: f.Err})
			continue
		}
		specs, canon := objectSpecs(f.Object)
		sf := SuggestedFile{Name: f.Name, Object: f.Object, Canon: canon}
		rep := &Report{}
		err := readFile(fsys, f.Name, func(r io.Reader) error {
			loose := make([]colSpec, len(specs))
			copy(loose, specs)
			for i := range loose {
				loose[i].required = false
			}
			// The required flags off, so that a missing column is
			// listed, not fatal; the mapping's columns for the adapter's
			// file name apply to the file's own name.
			t, err := openTable(r, f.Name, rep, loose, &Options{Mapping: mp.forFile(f.Name, canon), TZ: o.TZ})
			if err != nil {
				return err
			}
			for _, sp := range specs {
				if i, ok := t.col[sp.name]; ok {
					sf.Columns = append(sf.Columns, [2]string{sp.name, t.header[i]})
				} else if sp.required {
					sf.Missing = append(sf.Missing, sp.name)
				}
			}
			// Lifecycle stages named by HubSpot's date columns.
			lifecycle := map[int]string{}
			current := -1
			if f.Object == ObjectHubSpotContact {
				for _, i := range t.extra {
					name, ok := becameStage(t.header[i])
					if !ok {
						name, ok = enteredStage(t.header[i])
					}
					if ok {
						lifecycle[i] = name
						to, placed, note := leadStatus(name, HubSpotLifecycleStages)
						addStage(name, f.Name+" ("+t.header[i]+")", 0, to, placed, note)
					} else if normKey(t.header[i]) == "lifecyclestage" {
						current = i
					}
				}
			}
			where := func(col string) string { return f.Name + " (" + t.header[t.col[col]] + ")" }
			for {
				if err := t.next(); err == io.EOF {
					return nil
				} else if err != nil {
					return err
				}
				switch f.Object {
				case ObjectSalesforceLead:
					if v := t.get("status"); v != "" {
						to, placed, note := leadStatus(v, SalesforceLeadStages)
						addStage(v, where("status"), 1, to, placed, note)
					}
				case ObjectSalesforceLeadHistory:
					if f := normKey(t.get("field")); f == "status" || f == "leadstatus" {
						for _, c := range []string{"old", "new"} {
							if v := t.get(c); v != "" {
								to, placed, note := leadStatus(v, SalesforceLeadStages)
								addStage(v, where(c), 1, to, placed, note)
							}
						}
					}
				case ObjectSalesforceOpportunity, ObjectSalesforceOppHistory:
					if v := t.get("stage"); v != "" {
						to, placed, note := dealStage(v, SalesforceOppStages, nil)
						addStage(v, where("stage"), 1, to, placed, note)
					}
				case ObjectHubSpotDeal:
					if v := t.get("stage"); v != "" {
						to, placed, note := dealStage(v, HubSpotDealStages, hubSpotClosedStage)
						addStage(v, where("stage"), 1, to, placed, note)
					}
				case ObjectDeals, ObjectOpportunities, ObjectOppStageEvents:
					if v := t.get("stage"); v != "" {
						to, placed, note := dealStage(v, nil, nil)
						addStage(v, where("stage"), 1, to, placed, note)
					}
				case ObjectStageEvents:
					if v := t.get("stage"); v != "" {
						to, placed, note := leadStatus(v, nil)
						addStage(v, where("stage"), 1, to, placed, note)
					}
				case ObjectHubSpotContact:
					for i, name := range lifecycle {
						if x := stages[name]; x != nil && strings.TrimSpace(t.rec[i]) != "" {
							x.Count++
						}
					}
					if len(lifecycle) == 0 && current >= 0 {
						if v := strings.TrimSpace(t.rec[current]); v != "" {
							to, placed, note := leadStatus(v, HubSpotLifecycleStages)
							addStage(v, f.Name+" ("+t.header[current]+")", 1, to, placed, note)
						}
					}
				}
				if t.has("source") {
					switch f.Object {
					case ObjectSalesforceLead, ObjectHubSpotContact, ObjectLeads:
						v := strings.TrimSpace(t.get("source"))
						if v == "" {
							v = NoSource
						}
						if x, ok := sources[v]; ok {
							x.Count++
						} else {
							sources[v] = &SuggestedValue{Value: v, Count: 1, To: mp.source(v), Placed: true, Where: where("source")}
						}
					}
				}
				t.skip()
			}
		})
		if err != nil {
			sf.Err = err
		}
		s.Files = append(s.Files, sf)
	}
	for _, v := range order {
		s.Stages = append(s.Stages, *stages[v])
	}
	for _, v := range sources {
		s.Sources = append(s.Sources, *v)
	}
	slices.SortFunc(s.Sources, func(a, b SuggestedValue) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return s, nil
}

// objectSpecs returns the column specs an object is read with and the
// adapter's file name for it.
func objectSpecs(obj Object) ([]colSpec, string) {
	switch obj {
	case ObjectSalesforceLead:
		return sfLeadSpecs, SalesforceLeadFile
	case ObjectSalesforceLeadHistory:
		return sfLeadHistorySpecs, SalesforceLeadHistoryFile
	case ObjectSalesforceOpportunity:
		return sfOppSpecs, SalesforceOppFile
	case ObjectSalesforceOppHistory:
		return sfOppHistorySpecs, SalesforceOppHistoryFile
	case ObjectHubSpotContact:
		return hsContactSpecs, HubSpotContactsFile
	case ObjectHubSpotDeal:
		return hsDealSpecs, HubSpotDealsFile
	case ObjectDeals:
		return oppOnlySpecs, OpportunitiesFile
	case ObjectLeads:
		return leadSpecs, LeadsFile
	case ObjectStageEvents:
		return stageSpecs, StageEventsFile
	case ObjectActivities:
		return activitySpecs, ActivitiesFile
	case ObjectOpportunities:
		return oppSpecs, OpportunitiesFile
	case ObjectOppStageEvents:
		return oppStageSpecs, OppStageEventsFile
	}
	return nil, ""
}

func stageNames(m *model.Model) []string {
	var names []string
	for _, s := range m.Stages {
		names = append(names, s.Name)
	}
	return names
}

// Unplaced returns the values of s that the import cannot place: lead
// statuses and lifecycle stages that become no stage of the model, and
// each file's missing required columns, one sentence each.
func (s *Suggestion) Unplaced() []string {
	var out []string
	for _, f := range s.Files {
		switch {
		case f.Err != nil:
			out = append(out, fmt.Sprintf("%s: not read: %v", f.Name, f.Err))
		case f.Object == ObjectUnknown:
			out = append(out, fmt.Sprintf("%s: not used (its header is no known export's)", f.Name))
		case len(f.Missing) > 0:
			out = append(out, fmt.Sprintf("%s: no column for %s: map them under columns: %s:", f.Name, strings.Join(f.Missing, ", "), f.Canon))
		}
	}
	for _, v := range s.Stages {
		if !v.Placed {
			out = append(out, fmt.Sprintf("%s: %q (%d): %s", v.Where, v.Value, v.Count, v.Note))
		}
	}
	return out
}

// WriteYAML writes s as a mapping file that ParseMapping reads: the
// columns of each file under the adapter's file name, the stage of every
// status value and the sources, each with a comment saying where it was
// found, how often and, for what is not placed, what to do. Keys and
// values are written as double-quoted strings, so any value the export
// holds reads back as it is.
func (s *Suggestion) WriteYAML(w io.Writer, src string) error {
	var b strings.Builder
	q := func(v string) string {
		j, _ := json.Marshal(v) // a JSON string is a YAML double-quoted scalar
		return string(j)
	}
	comment := func(v string) string { // a value inside a comment: one line
		return strings.Map(func(r rune) rune {
			if r < ' ' || r == 0x7f || r == 0x85 || r == 0x2028 || r == 0x2029 {
				return ' '
			}
			return r
		}, v)
	}
	fmt.Fprintf(&b, "# Mapping suggested by 'sim import --suggest-mapping' from %s (%s format).\n", comment(src), s.Format)
	b.WriteString("# Edit the right-hand sides, delete what is right already, then:\n")
	fmt.Fprintf(&b, "#   sim import %s --mapping mapping.yaml --out export/\n", comment(src))
	b.WriteString("columns:\n")
	for _, f := range s.Files {
		if f.Object == ObjectUnknown || f.Err != nil || len(f.Columns) == 0 && len(f.Missing) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  %s: # %s, read from %s\n", q(f.Canon), f.Object, comment(f.Name))
		for _, c := range f.Columns {
			fmt.Fprintf(&b, "    %s: %s\n", c[0], q(c[1]))
		}
		for _, c := range f.Missing {
			fmt.Fprintf(&b, "    # %s: \"?\"  # required, not found: name the column that holds it\n", c)
		}
	}
	if len(s.Stages) > 0 {
		b.WriteString("stages:\n")
		for _, v := range s.Stages {
			note := v.Note
			if !v.Placed {
				note = "NOT PLACED: " + note
			}
			fmt.Fprintf(&b, "  %s: %s # %d in %s", q(v.Value), q(v.To), v.Count, comment(v.Where))
			if note != "" {
				fmt.Fprintf(&b, "; %s", comment(note))
			}
			b.WriteByte('\n')
		}
	}
	if len(s.Sources) > 0 {
		b.WriteString("sources:\n")
		for _, v := range s.Sources {
			fmt.Fprintf(&b, "  %s: %s # %d leads\n", q(v.Value), q(v.To), v.Count)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
