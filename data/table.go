package data

import (
	"errors"
	"fmt"
	"io"
	"sort"
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
	// list marks a list of ids ("1;2;3", HubSpot's associated
	// contacts): only its first id is bounded by Limits.NameBytes.
	list bool
	// text marks a column whose values are names only in some rows
	// (Salesforce history's old and new values, names when the field
	// is Status): the reader checks them with checkNames.
	text bool
}

// table is the generic CSV layer under every reader: it sniffs the
// delimiter, drops a BOM, binds header names to canonical columns, tracks
// line numbers, bounds lines and fields (Limits), rejects structurally bad
// records into a Report and accounts for every line (LineCount).
//
// Each record next returns must be settled by the reader, with keep,
// skip or one of the reject methods, before the next call; next fails on
// a record left unsettled, so that no row is dropped silently.
type table struct {
	file   string
	rep    *Report
	rr     *recordReader
	count  *LineCount
	lim    Limits
	header []string       // header as written, trimmed
	col    map[string]int // canonical name -> field index
	names  []int          // field indices of bound columns, checked as names
	lists  map[int]bool   // field indices of list columns (colSpec.list)
	extra  []int          // unbound field indices, in file order
	rec    []string
	err    error // sticky error

	open         bool     // the current record is not settled yet
	lastRejected bool     // the last record was rejected
	noClose      int      // open deals whose implausible expected close was cleared
	enc          Encoding // the file's encoding (DetectEncoding)
	late1252     int      // rows of a UTF8 file read as Windows-1252 (invalid UTF-8 after the sniffed start)
	// closed deals created after their close date (migrated records),
	// kept with CreatedAt moved back to the close date
	createdAfterClose int
	trailing          []trailerRow      // trailer-like records not settled yet (see LineCount.Trailer)
	placeholders      map[int]int       // placeholder values (N/A) read as empty, by field index
	noSource          int               // leads kept without a source, counted under NoSource
	rowNoSource       bool              // the current row is a lead without a source
	from, to          time.Time         // plausible dates (Options.Now)
	strs              map[string]string // interned values (intern)
}

// maxInterned bounds the values a table interns; later ones are copied.
const maxInterned = 1 << 14

// intern returns s, a value of the current record, as a string that does
// not hold on to the record (fields are slices of one string per record,
// so keeping a field keeps the whole row): the same string for every
// record with the same value, for the first maxInterned distinct values
// (sources, stages, owners, channels), a copy after that.
func (t *table) intern(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := t.strs[s]; ok {
		return v
	}
	s = strings.Clone(s)
	if len(t.strs) < maxInterned {
		if t.strs == nil {
			t.strs = make(map[string]string)
		}
		t.strs[s] = s
	}
	return s
}

// openTable reads the header of r and binds specs to it. Errors are
// returned for an empty file, a header line over the limits and missing
// required columns.
func openTable(r io.Reader, file string, rep *Report, specs []colSpec, o *Options) (*table, error) {
	m := o.mapping()
	rep.addFile(file)
	lim := o.limits()
	count := rep.Lines[file]
	r, enc := DetectEncoding(r)
	rep.Encodings[file] = enc
	if enc != UTF8 && enc != UTF8BOM {
		rep.warn(file, "", 0, "not UTF-8: read as %s", enc)
	}
	rr := &recordReader{lr: newLineReader(r, lim.LineBytes), comma: ',', lim: lim, count: count}
	t := &table{file: file, rep: rep, rr: rr, count: count, lim: lim, enc: enc}
	t.from, t.to = o.plausible()
	// Sniff the delimiter on the first line that is not blank.
	for {
		l, err := rr.readLine()
		if err == io.EOF {
			return nil, fmt.Errorf("data: %s: empty file (no header line)", file)
		}
		if err != nil {
			return nil, t.fatal(err)
		}
		if !rr.isBlank(l.text) {
			rr.comma = sniff(l.text)
			l.text = append([]byte(nil), l.text...)
			rr.pending = append(rr.pending, l)
			break
		}
		count.Blank++
	}
	if err := rr.read(0); err != nil {
		var er *errRecord
		if errors.As(err, &er) {
			return nil, fmt.Errorf("data: %s:%d: reading header: %w", file, er.line, er.err)
		}
		return nil, t.fatal(err)
	}
	count.Header = rr.nLines
	hdr := rr.fields
	for i, h := range hdr {
		if len(h) > lim.FieldBytes {
			return nil, fmt.Errorf("data: %w", &RowError{File: file, Line: rr.fieldLine(i), Column: i + 1, Reason: ReasonTooLong,
				Err: &LimitError{What: "header cell", Size: len(h), Limit: lim.FieldBytes, Name: "FieldBytes"}})
		}
		if c, ok := controlChar(h); ok {
			return nil, fmt.Errorf("data: %w", &RowError{File: file, Line: rr.fieldLine(i), Column: i + 1, Reason: ReasonControlChar,
				Err: fmt.Errorf("control character %U in the header: the file is binary, or not UTF-8 (UTF-16?)", c)})
		}
	}
	byNorm := make(map[string]int, len(hdr))
	taken := make(map[string]bool, len(hdr))
	for i, h := range hdr {
		h = strings.TrimSpace(h)
		k := normKey(h)
		if j, dup := byNorm[k]; dup && k != "" {
			// A duplicate header (HubSpot writes some): the first
			// column is read; this one keeps its values under a name
			// of its own.
			name := h
			for n := 2; taken[name]; n++ {
				name = fmt.Sprintf("%s (%d)", h, n)
			}
			rep.warn(file, h, 1, "columns %d and %d are both headed %q: column %d is read, column %d is kept as %q", j+1, i+1, h, j+1, i+1, name)
			h = name
		} else {
			byNorm[k] = i
		}
		taken[h] = true
		t.header = append(t.header, h)
	}
	t.col = make(map[string]int)
	bound := make(map[int]bool)
	var missing []string
	for _, s := range specs {
		names := append([]string{s.name}, s.aliases...)
		if c, ok := m.column(file, s.name, canonicalFile(specs)); ok {
			names = []string{c}
		}
		found := false
		for _, n := range names {
			if i, ok := byNorm[normKey(n)]; ok && !bound[i] {
				t.col[s.name] = i
				bound[i] = true
				if !s.text {
					t.names = append(t.names, i)
				}
				if s.list {
					if t.lists == nil {
						t.lists = make(map[int]bool)
					}
					t.lists[i] = true
				}
				found = true
				break
			}
		}
		if !found && s.required {
			if c, ok := m.column(file, s.name, canonicalFile(specs)); ok {
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
	sort.Ints(t.names)
	for i := range t.header {
		if !bound[i] {
			t.extra = append(t.extra, i)
		}
	}
	return t, nil
}

// fatal wraps an error that stops reading the file: a line over
// Limits.LineBytes becomes a *RowError naming the line.
func (t *table) fatal(err error) error {
	var le *LimitError
	if errors.As(err, &le) {
		return fmt.Errorf("data: %w", &RowError{File: t.file, Line: t.rr.lr.n + 1, Reason: ReasonTooLong, Err: le})
	}
	return fmt.Errorf("data: %s: %w", t.file, err)
}

// sniff picks the delimiter that occurs most often, outside quotes, in
// line: comma, semicolon or tab. Ties and no delimiter give comma.
func sniff(line []byte) byte {
	var n [3]int
	quoted := false
	for _, c := range line {
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

// controlChar returns the first control character in s (C0, DEL or C1,
// line ends and tabs included), if any.
func controlChar(s string) (rune, bool) {
	for _, r := range s {
		if r < 0x20 || r >= 0x7f && r <= 0x9f {
			return r, true
		}
	}
	return 0, false
}

// next advances to the next structurally valid record, rejecting malformed
// ones. It returns io.EOF at the end, or an error that stops reading: a
// line over the limit, a read error, a record left unsettled, or lines
// that do not add up (LineCount).
func (t *table) next() error {
	if t.err != nil {
		return t.err
	}
	if t.open {
		t.err = fmt.Errorf("data: %s:%d: row neither loaded nor rejected (a bug in package data)", t.file, t.line())
		return t.err
	}
	for {
		err := t.rr.read(len(t.header))
		if err == io.EOF {
			t.end()
			return t.err
		}
		var er *errRecord
		if err != nil && !errors.As(err, &er) {
			t.err = t.fatal(err)
			return t.err
		}
		t.rep.Rows[t.file]++
		t.count.Rows++
		t.open = true
		t.rowNoSource = false
		if er != nil {
			t.flushTrailing()
			re := &RowError{File: t.file, Line: er.line, Reason: ReasonBadCSV, Err: er.err}
			if er.field >= 0 && er.field < len(t.header) {
				re.Column, re.Field = er.field+1, t.header[er.field]
			}
			t.rejectWith(re)
			continue
		}
		rec := t.rr.fields
		if trailerLike(rec) {
			// Held back: a trailer if nothing but its like follows.
			t.rep.Rows[t.file]--
			t.count.Rows--
			t.open = false
			t.trailing = append(t.trailing, trailerRow{line: t.rr.line, lines: t.rr.nLines, fields: len(rec)})
			continue
		}
		t.flushTrailing()
		t.count.Continued += t.rr.nLines - 1
		t.rec = rec
		if len(rec) != len(t.header) {
			t.rejectRow(ReasonFieldCount, fmt.Errorf("%d fields, header has %d", len(rec), len(t.header)))
			continue
		}
		if t.checkFields(rec) {
			t.clearPlaceholders()
			return nil
		}
	}
}

// trailerRow is a record that looks like part of a report's trailer.
type trailerRow struct {
	line, lines int // first line, physical lines
	fields      int // field count
}

// trailerPrefixes start the summary lines that report exports append
// after the data (lower case).
var trailerPrefixes = []string{"grand total", "total", "subtotal", "sum of", "count", "record count",
	"confidential information", "copyright", "generated by", "filtered by", "report generated", "salesforce.com"}

// trailerLike reports whether rec is empty (every field blank) or a
// summary line: its first non-blank field starts with a trailer prefix.
func trailerLike(rec []string) bool {
	for _, f := range rec {
		f = strings.ToLower(strings.TrimSpace(f))
		if f == "" {
			continue
		}
		for _, p := range trailerPrefixes {
			if strings.HasPrefix(f, p) {
				return true
			}
		}
		return false
	}
	return true
}

// flushTrailing turns the held-back trailer-like records, followed by a
// data row after all, into rows, rejected.
func (t *table) flushTrailing() {
	for _, tr := range t.trailing {
		t.rep.Rows[t.file]++
		t.count.Rows++
		t.count.Continued += tr.lines - 1
		t.count.Rejected++
		t.lastRejected = true
		var err error
		if tr.fields != len(t.header) {
			err = fmt.Errorf("%d fields, header has %d (an empty or summary row before the last row)", tr.fields, len(t.header))
		} else {
			err = errors.New("an empty or summary row before the last row")
		}
		reason := ReasonFieldCount
		if tr.fields == len(t.header) {
			reason = ReasonMissingValue
		}
		t.rep.reject(&RowError{File: t.file, Line: tr.line, Reason: reason, Err: err})
	}
	t.trailing = t.trailing[:0]
}

// placeholderValues are cell values that mean "no value" (lower case).
var placeholderValues = map[string]bool{"n/a": true, "#n/a": true, "-": true, "--": true, "null": true, "(blank)": true}

// clearPlaceholders empties the bound fields of the current record that
// hold a placeholder (N/A), counting them per column.
func (t *table) clearPlaceholders() {
	for _, i := range t.col {
		if placeholderValues[strings.ToLower(strings.TrimSpace(t.rec[i]))] {
			if t.placeholders == nil {
				t.placeholders = make(map[int]int)
			}
			t.placeholders[i]++
			t.rec[i] = ""
		}
	}
}

// checkFields rejects the current record if a field is not UTF-8 or over
// Limits.FieldBytes, or a bound column's value is over Limits.NameBytes or
// holds a control character. It reports whether the record is good.
func (t *table) checkFields(rec []string) bool {
	if t.enc == UTF8 && !validFields(rec) {
		// Sniffed as UTF-8 from its start, but not UTF-8 here: a
		// Windows-1252 file whose first accented letter comes late.
		for i, f := range rec {
			rec[i] = decode1252(f)
		}
		t.late1252++
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			t.rejectWith(&RowError{File: t.file, Line: t.rr.fieldLine(i), Column: i + 1, Field: t.header[i],
				Reason: ReasonInvalidUTF8, Value: clip(strings.ToValidUTF8(f, "\uFFFD"), t.lim.NameBytes),
				Err: errors.New("invalid UTF-8")})
			return false
		}
		if len(f) > t.lim.FieldBytes {
			t.rejectAt(i, ReasonTooLong, &LimitError{What: "value", Size: len(f), Limit: t.lim.FieldBytes, Name: "FieldBytes"})
			return false
		}
	}
	for _, i := range t.names {
		if !t.checkName(i) {
			return false
		}
	}
	return true
}

func validFields(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// checkName rejects the current record if field i is over
// Limits.NameBytes (its first id, for a list column) or holds a control
// character. It reports whether the field is good.
func (t *table) checkName(i int) bool {
	v := strings.TrimSpace(t.rec[i])
	n := v
	if t.lists[i] {
		n = firstID(v)
	}
	if len(n) > t.lim.NameBytes {
		t.rejectAt(i, ReasonTooLong, &LimitError{What: "value", Size: len(n), Limit: t.lim.NameBytes, Name: "NameBytes"})
		return false
	}
	if c, ok := controlChar(v); ok {
		t.rejectAt(i, ReasonControlChar, fmt.Errorf("control character %U in a name", c))
		return false
	}
	return true
}

// checkNames checks the values of canonical columns names that are
// present with checkName, rejecting the record at the first bad one. It
// reports whether all are good.
func (t *table) checkNames(names ...string) bool {
	for _, name := range names {
		if i, ok := t.col[name]; ok && !t.checkName(i) {
			return false
		}
	}
	return true
}

// end settles the file at its end: the line accounting must add up, and
// a rejected last line without a line end is reported as a truncation.
func (t *table) end() {
	t.err = io.EOF
	n := 0
	for _, tr := range t.trailing {
		n += tr.lines
	}
	t.count.Trailer += n
	t.trailing = nil
	if err := t.count.check(); err != nil {
		t.err = fmt.Errorf("data: %s: line accounting: %w", t.file, err)
		return
	}
	if t.count.Unterminated && t.lastRejected && t.count.Rows > 0 {
		t.rep.warn(t.file, "", 1, "the last line (%d) has no line end and its row was rejected: the file may be cut short", t.count.Lines)
	}
	if n > 0 {
		t.rep.warn(t.file, "", n, "%d lines after the last row are a report's trailer (empty rows, totals, footer); not read as rows", n)
	}
	cols := make([]int, 0, len(t.placeholders))
	for i := range t.placeholders {
		cols = append(cols, i)
	}
	sort.Ints(cols)
	for _, i := range cols {
		t.rep.warn(t.file, t.header[i], t.placeholders[i], "%d values are placeholders (N/A, -, null); read as empty", t.placeholders[i])
	}
	if t.noSource > 0 {
		t.rep.warn(t.file, t.sourceHeader(), t.noSource, "%d leads have no source; counted under %q", t.noSource, NoSource)
	}
	if t.late1252 > 0 {
		t.rep.warn(t.file, "", t.late1252, "%d rows are not valid UTF-8 although the start of the file is: read as Windows-1252", t.late1252)
	}
	if n := t.createdAfterClose; n > 0 {
		t.rep.warn(t.file, t.header[t.col["created_at"]], n,
			"%d closed opportunities were created after their close date (a migrated org?); kept with the creation date moved back to the close date, so their sales cycles read as 0 days (the exported creation time is in the %q column of their attributes)",
			n, AttrCreatedAsExported)
	}
	if t.noClose > 0 {
		t.rep.warn(t.file, t.header[t.col["closed_at"]], t.noClose,
			"%d open opportunities have an implausible expected close date (before 1990 or more than a year from now); kept without one", t.noClose)
	}
}

// keep settles the current record as loaded.
func (t *table) keep() {
	if t.open {
		if t.rowNoSource {
			t.noSource++
		}
		t.open, t.lastRejected = false, false
		t.count.Kept++
	}
}

// skip settles the current record as read and deliberately not loaded.
func (t *table) skip() {
	if t.open {
		t.open, t.lastRejected = false, false
		t.count.Skipped++
	}
}

// rejectWith settles the current record as rejected for e. A record
// already settled is not rejected again.
func (t *table) rejectWith(e *RowError) {
	if !t.open {
		return
	}
	t.open, t.lastRejected = false, true
	t.count.Rejected++
	t.rep.reject(e)
}

// clip returns s cut to at most n bytes (at a rune boundary) followed by
// "…" when it was longer.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// line returns the line on which the current record starts.
func (t *table) line() int {
	return t.rr.line
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
	v := t.rec[i]
	if _, ok := controlChar(v); ok && reason == ReasonControlChar {
		v = strings.Map(func(r rune) rune {
			if _, ok := controlChar(string(r)); ok {
				return '\uFFFD'
			}
			return r
		}, v)
	}
	t.rejectWith(&RowError{File: t.file, Line: t.rr.fieldLine(i), Column: i + 1, Field: t.header[i], Reason: reason,
		Value: clip(v, t.lim.NameBytes), Err: err})
}

// rejectRow records the current row as rejected as a whole.
func (t *table) rejectRow(reason string, err error) {
	t.rejectWith(&RowError{File: t.file, Line: t.line(), Reason: reason, Err: err})
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
		m[t.header[i]] = t.intern(v)
	}
	return m
}

// timeField parses column name as a time, rejecting the row on failure.
// Empty values are rejected as missing, implausible ones (see
// Options.Now) as ReasonImplausibleDate. The result is UTC, truncated to
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
	ts = clean(ts)
	if err := t.implausible(ts); err != nil {
		t.reject(name, ReasonImplausibleDate, err)
		return time.Time{}, false
	}
	return ts, true
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

// implausible returns an error if ts is not a plausible date (see
// Options.Now).
func (t *table) implausible(ts time.Time) error { return implausible(ts, t.from, t.to) }

// sourceHeader returns the header of the source column, "source" when
// the file has none.
func (t *table) sourceHeader() string {
	if i, ok := t.col["source"]; ok {
		return t.header[i]
	}
	return "source"
}

func clean(t time.Time) time.Time { return t.UTC().Truncate(time.Second) }

// canonicalFile returns the file name under which a mapping's columns
// for the object read with specs may also be given ("contacts.csv" for
// HubSpot's "all-contacts.csv"), "" when specs are not an adapter's.
func canonicalFile(specs []colSpec) string {
	if len(specs) == 0 {
		return ""
	}
	for _, c := range []struct {
		specs []colSpec
		file  string
	}{
		{hsContactSpecs, HubSpotContactsFile}, {hsDealSpecs, HubSpotDealsFile},
		{sfLeadSpecs, SalesforceLeadFile}, {sfLeadHistorySpecs, SalesforceLeadHistoryFile},
		{sfOppSpecs, SalesforceOppFile}, {sfOppHistorySpecs, SalesforceOppHistoryFile},
		{oppOnlySpecs, OpportunitiesFile},
	} {
		if &c.specs[0] == &specs[0] {
			return c.file
		}
	}
	return ""
}
