package data

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

func isSpaceOrPunct(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}

// colSpec describes one canonical column a reader looks for.
type colSpec struct {
	name     string   // canonical name
	aliases  []string // other accepted header names
	required bool
}

// table is the generic CSV layer under every reader: it sniffs the
// delimiter, drops a BOM, binds header names to canonical columns, tracks
// line numbers and rejects structurally bad records into a Report.
type table struct {
	file   string
	rep    *Report
	cr     *csv.Reader
	header []string       // header as written, trimmed
	col    map[string]int // canonical name -> field index
	extra  []int          // unbound field indices, in file order
	rec    []string
	err    error // sticky error
}

// openTable reads the header of r and binds specs to it. Errors are
// returned for an empty file and missing required columns.
func openTable(r io.Reader, file string, rep *Report, specs []colSpec, m *Mapping) (*table, error) {
	rep.addFile(file)
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		br.Discard(3)
	}
	comma := sniff(br)
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	t := &table{file: file, rep: rep, cr: cr}
	hdr, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("data: %s: empty file (no header line)", file)
	}
	if err != nil {
		return nil, fmt.Errorf("data: %s: reading header: %w", file, err)
	}
	if len(hdr) == 1 && strings.TrimSpace(hdr[0]) == "" {
		return nil, fmt.Errorf("data: %s: empty file (no header line)", file)
	}
	byNorm := make(map[string]int, len(hdr))
	for i, h := range hdr {
		h = strings.TrimSpace(h)
		t.header = append(t.header, h)
		k := normKey(h)
		if _, dup := byNorm[k]; !dup {
			byNorm[k] = i
		}
	}
	t.col = make(map[string]int)
	bound := make(map[int]bool)
	var missing []string
	for _, s := range specs {
		names := append([]string{s.name}, s.aliases...)
		if c, ok := m.column(file, s.name); ok {
			names = []string{c}
		}
		found := false
		for _, n := range names {
			if i, ok := byNorm[normKey(n)]; ok && !bound[i] {
				t.col[s.name] = i
				bound[i] = true
				found = true
				break
			}
		}
		if !found && s.required {
			if c, ok := m.column(file, s.name); ok {
				missing = append(missing, fmt.Sprintf("%s (mapped to %q)", s.name, c))
			} else {
				missing = append(missing, s.name)
			}
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("data: %s: missing required columns %s (found: %s)",
			file, strings.Join(missing, ", "), strings.Join(t.header, ", "))
	}
	for i := range t.header {
		if !bound[i] {
			t.extra = append(t.extra, i)
		}
	}
	return t, nil
}

// sniff picks the delimiter that occurs most often, outside quotes, in the
// first line: comma, semicolon or tab. Ties and no delimiter give comma.
func sniff(br *bufio.Reader) rune {
	b, _ := br.Peek(64 << 10)
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		b = b[:i]
	}
	var n [3]int
	quoted := false
	for _, c := range b {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ',':
			n[0]++
		case c == ';':
			n[1]++
		case c == '\t':
			n[2]++
		}
	}
	switch {
	case n[1] > n[0] && n[1] >= n[2]:
		return ';'
	case n[2] > n[0] && n[2] > n[1]:
		return '\t'
	}
	return ','
}

// next advances to the next structurally valid record, rejecting malformed
// ones. It returns io.EOF at the end, or a read error.
func (t *table) next() error {
	if t.err != nil {
		return t.err
	}
	for {
		rec, err := t.cr.Read()
		if err == io.EOF {
			t.err = io.EOF
			return err
		}
		var pe *csv.ParseError
		if err != nil && !errors.As(err, &pe) {
			t.err = fmt.Errorf("data: %s: %w", t.file, err)
			return t.err
		}
		t.rep.Rows[t.file]++
		if err != nil {
			t.rep.reject(&RowError{File: t.file, Line: pe.StartLine, Column: 0, Reason: ReasonBadCSV, Err: pe.Err})
			continue
		}
		t.rec = rec
		if len(rec) != len(t.header) {
			if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
				t.rep.Rows[t.file]-- // blank line of spaces
				continue
			}
			t.rejectRow(ReasonFieldCount, fmt.Errorf("%d fields, header has %d", len(rec), len(t.header)))
			continue
		}
		bad := -1
		for i, f := range rec {
			if !utf8.ValidString(f) {
				bad = i
				break
			}
		}
		if bad >= 0 {
			line, _ := t.cr.FieldPos(bad)
			t.rep.reject(&RowError{File: t.file, Line: line, Column: bad + 1, Field: t.header[bad],
				Reason: ReasonInvalidUTF8, Value: strings.ToValidUTF8(rec[bad], "\uFFFD"),
				Err: errors.New("invalid UTF-8")})
			continue
		}
		return nil
	}
}

// line returns the line on which the current record starts.
func (t *table) line() int {
	l, _ := t.cr.FieldPos(0)
	return l
}

// has reports whether canonical column name is present.
func (t *table) has(name string) bool {
	_, ok := t.col[name]
	return ok
}

// get returns the trimmed value of canonical column name, "" if absent.
func (t *table) get(name string) string {
	i, ok := t.col[name]
	if !ok {
		return ""
	}
	return strings.TrimSpace(t.rec[i])
}

// reject records the current row as rejected because of column name.
func (t *table) reject(name, reason string, err error) {
	i, ok := t.col[name]
	if !ok {
		t.rejectRow(reason, err)
		return
	}
	t.rejectAt(i, reason, err)
}

// rejectAt records the current row as rejected because of field i.
func (t *table) rejectAt(i int, reason string, err error) {
	line, _ := t.cr.FieldPos(i)
	t.rep.reject(&RowError{File: t.file, Line: line, Column: i + 1, Field: t.header[i], Reason: reason, Value: t.rec[i], Err: err})
}

// rejectRow records the current row as rejected as a whole.
func (t *table) rejectRow(reason string, err error) {
	t.rep.reject(&RowError{File: t.file, Line: t.line(), Reason: reason, Err: err})
}

// attrs returns the non-empty unbound fields by header name, nil if none.
func (t *table) attrs() map[string]string {
	var m map[string]string
	for _, i := range t.extra {
		v := strings.TrimSpace(t.rec[i])
		if v == "" || t.header[i] == "" {
			continue
		}
		if m == nil {
			m = make(map[string]string)
		}
		m[t.header[i]] = v
	}
	return m
}

// timeField parses column name as a time, rejecting the row on failure.
// Empty values are rejected as missing. The result is UTC, truncated to
// the second.
func (t *table) timeField(name string, o *Options) (time.Time, bool) {
	v := t.get(name)
	if v == "" {
		t.reject(name, ReasonMissingValue, fmt.Errorf("empty %s", name))
		return time.Time{}, false
	}
	ts, err := ParseTime(v, o)
	if err != nil {
		t.reject(name, ReasonBadDate, err)
		return time.Time{}, false
	}
	return clean(ts), true
}

// required returns column name, rejecting the row if it is empty.
func (t *table) required(name string) (string, bool) {
	v := t.get(name)
	if v == "" {
		t.reject(name, ReasonMissingValue, fmt.Errorf("empty %s", name))
		return "", false
	}
	return v, true
}

// afterAsOf rejects the row if ts is after o.AsOf (when set).
func (t *table) afterAsOf(name string, ts time.Time, o *Options) bool {
	if a := o.asOf(); !a.IsZero() && ts.After(a) {
		t.reject(name, ReasonAfterAsOf, fmt.Errorf("%s %s is after the as-of time %s", name, ts.Format(time.RFC3339), a.UTC().Format(time.RFC3339)))
		return true
	}
	return false
}

func clean(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }
