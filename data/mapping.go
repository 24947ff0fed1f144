package data

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Mapping adapts a company's CRM export to the canonical names. It is
// usually read from YAML with ParseMapping:
//
//	columns:
//	  leads.csv:
//	    lead_id: Lead Number
//	    created_at: Created On
//	stages:
//	  Handraiser: mql
//	  Sales Rejected: rejected
//	sources:
//	  Web Form: web
type Mapping struct {
	// Columns maps a file name, then a canonical column name, to the
	// column header the CRM uses; a mapped column replaces the built-in
	// aliases. The file is named as downloaded ("all-contacts.csv") or
	// by the adapter's name for its object ("contacts.csv", "Lead.csv"),
	// ignoring case. Header names match ignoring case, spaces,
	// underscores and hyphens. The canonical names are those of the
	// package documentation; the adapters' files (Lead.csv, contacts.csv,
	// deals.csv, ...) also use them, plus status, is_converted,
	// converted_at, converted_opp (Lead.csv), field, old, new
	// (LeadHistory.csv), is_closed, is_won (Opportunity.csv, deals.csv),
	// contact_ids, probability (deals.csv) and owner
	// (ReadOpportunitiesOnly). SuggestMapping writes them for an export.
	Columns map[string]map[string]string `yaml:"columns"`

	// Stages maps a CRM status or stage value to a taxonomy stage
	// ("Handraiser": "mql"). Keys match exactly first, then ignoring
	// case and spacing. Values not listed keep an adapter default or,
	// failing that, their own name in lower case.
	Stages map[string]string `yaml:"stages"`

	// Sources maps CRM lead source values to canonical sources. Values
	// not listed are kept as they are.
	Sources map[string]string `yaml:"sources"`
}

// ParseMapping reads a Mapping from YAML. Unknown keys are errors, so a
// misspelt "stage:" does not silently map nothing. An empty document is an
// empty Mapping.
func ParseMapping(r io.Reader) (*Mapping, error) {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	var m Mapping
	if err := dec.Decode(&m); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("data: mapping: %w", err)
	}
	for k, v := range m.Stages {
		if strings.TrimSpace(v) == "" {
			return nil, fmt.Errorf("data: mapping: stages: %q maps to an empty stage", k)
		}
	}
	for file, cols := range m.Columns {
		for canon, crm := range cols {
			if strings.TrimSpace(crm) == "" {
				return nil, fmt.Errorf("data: mapping: columns: %s: %s maps to an empty column name", file, canon)
			}
		}
	}
	return &m, nil
}

// lookup finds key in m exactly, then by normalized key.
func lookup(m map[string]string, key string) (string, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	nk := normKey(key)
	for k, v := range m {
		if normKey(k) == nk {
			return v, true
		}
	}
	return "", false
}

// stage translates a CRM stage value: the mapping, then defaults (keyed by
// normalized name), then the value itself in lower case.
func (m *Mapping) stage(v string, defaults map[string]string) string {
	v = strings.TrimSpace(v)
	if m != nil {
		if s, ok := lookup(m.Stages, v); ok {
			return strings.TrimSpace(s)
		}
	}
	if s, ok := defaults[normKey(v)]; ok {
		return s
	}
	return strings.ToLower(v)
}

// source translates a CRM source value.
func (m *Mapping) source(v string) string {
	v = strings.TrimSpace(v)
	if m != nil {
		if s, ok := lookup(m.Sources, v); ok {
			return strings.TrimSpace(s)
		}
	}
	return v
}

// column returns the CRM header for a canonical column of file, if
// mapped: under the file's own name, else under alt, the adapter's name
// for it ("contacts.csv" for HubSpot's "all-contacts.csv"; "" for none).
// File names match ignoring case.
func (m *Mapping) column(file, canon, alt string) (string, bool) {
	if m == nil {
		return "", false
	}
	for _, f := range []string{file, alt} {
		if f == "" {
			continue
		}
		if c, ok := m.Columns[f][canon]; ok {
			return c, true
		}
		for _, k := range slices.Sorted(maps.Keys(m.Columns)) {
			if c, ok := m.Columns[k][canon]; ok && strings.EqualFold(k, f) {
				return c, true
			}
		}
	}
	return "", false
}

// normKey lower-cases s and drops spaces, underscores, hyphens and other
// punctuation: "Lead ID", "lead_id" and "LeadId" all become "leadid".
func normKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127 && !isSpaceOrPunct(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// stagesMap returns m.Stages, nil for a nil m.
func (m *Mapping) stagesMap() map[string]string {
	if m == nil {
		return nil
	}
	return m.Stages
}

// forFile returns m with the columns mapped under alt (an adapter's file
// name) also mapped under file, those under file first; m itself when
// there is nothing to add.
func (m *Mapping) forFile(file, alt string) *Mapping {
	if m == nil || alt == "" || strings.EqualFold(file, alt) {
		return m
	}
	var cols map[string]string
	for _, k := range slices.Sorted(maps.Keys(m.Columns)) {
		if strings.EqualFold(k, alt) {
			cols = m.Columns[k]
			break
		}
	}
	if len(cols) == 0 {
		return m
	}
	c := *m
	c.Columns = maps.Clone(m.Columns)
	merged := maps.Clone(cols)
	maps.Copy(merged, m.Columns[file])
	c.Columns[file] = merged
	return &c
}
