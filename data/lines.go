package data

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
)

// Limits bounds what the CSV layer reads from one file, so that a broken
// or hostile file (/dev/zero, a stray quote, a 10 MB cell) costs a row or
// fails with an error instead of taking all memory or swallowing the rest
// of the file. A zero field means its value in DefaultLimits; a negative
// field panics.
type Limits struct {
	// LineBytes is the longest physical line, line end excluded, and the
	// longest record over all its lines, in bytes. A longer physical line
	// stops reading the file with a *LimitError (nothing after it can be
	// trusted to start a row); a longer multi-line record is read as a
	// stray quote (see QuotedLines).
	LineBytes int

	// FieldBytes is the longest field, in bytes after unquoting. A row
	// with a longer field is rejected.
	FieldBytes int

	// NameBytes is the longest value of a column the readers interpret
	// (ids, source, stage, segment, owner, channel, outcome, currency,
	// dates, amounts: every column but those kept in Attrs), in bytes
	// after trimming spaces. A longer value rejects its row, as does a
	// control character (NUL, ESC, a line end, DEL, U+0080 to U+009F)
	// in such a value.
	NameBytes int

	// QuotedLines is the most physical lines a record may span, by way of
	// quoted fields holding line ends. A quote still open after that many
	// lines, open at the end of the file, closed by a quote followed by
	// something other than a delimiter or a line end, or closed leaving
	// the record with a field count other than the header's is taken for a
	// stray quote: the line on which it opened is rejected and reading
	// resumes on the next line, so that one stray quote costs one row.
	QuotedLines int
}

// DefaultLimits are the limits used for the zero fields of
// Options.Limits: 1 MiB lines, 64 KiB fields, 256-byte names and records
// of at most 100 lines.
var DefaultLimits = Limits{LineBytes: 1 << 20, FieldBytes: 64 << 10, NameBytes: 256, QuotedLines: 100}

// or returns l with its zero fields taken from DefaultLimits. It panics
// on a negative field.
func (l Limits) or() Limits {
	if l.LineBytes < 0 || l.FieldBytes < 0 || l.NameBytes < 0 || l.QuotedLines < 0 {
		panic(fmt.Sprintf("data: negative Limits %+v", l))
	}
	d := DefaultLimits
	if l.LineBytes > 0 {
		d.LineBytes = l.LineBytes
	}
	if l.FieldBytes > 0 {
		d.FieldBytes = l.FieldBytes
	}
	if l.NameBytes > 0 {
		d.NameBytes = l.NameBytes
	}
	if l.QuotedLines > 0 {
		d.QuotedLines = l.QuotedLines
	}
	return d
}

// LimitError is the cause (RowError.Err) of a value, field or line
// longer than its limit.
type LimitError struct {
	What  string // "line", "value" or "record"
	Size  int    // bytes seen; for a line, a lower bound (reading stops at the limit)
	Limit int    // the limit, in bytes
	Name  string // the Limits field: "LineBytes", "FieldBytes", "NameBytes"
}

// Error returns, for example,
// "value of 300 bytes is longer than the limit of 256 bytes (Limits.NameBytes)".
func (e *LimitError) Error() string {
	if e.What == "line" {
		return fmt.Sprintf("line longer than the limit of %d bytes (Limits.%s)", e.Limit, e.Name)
	}
	return fmt.Sprintf("%s of %d bytes is longer than the limit of %d bytes (Limits.%s)", e.What, e.Size, e.Limit, e.Name)
}

// LineCount accounts for every physical line of one file. Lines end at
// "\r\n", "\r" or "\n"; a last line without a line end counts. When a file
// has been read to its end,
//
//	Lines = Header + Blank + Rows + Continued + Trailer
//	Rows  = Kept + Rejected + Skipped
//
// and the readers fail with an error naming the file if either does not
// hold.
type LineCount struct {
	Lines     int // physical lines read
	Header    int // lines of the header record (1 unless a header cell holds a line end)
	Blank     int // empty lines, and lines of spaces, between records
	Rows      int // data records (as Report.Rows), each counted on its first line
	Continued int // lines after the first of data records spanning several lines (quoted line ends)
	Kept      int // records loaded
	Rejected  int // records rejected, each listed in Report.Rejected
	Skipped   int // records read and deliberately not loaded (Salesforce history rows of fields other than Status)
	// Trailer counts the lines of a report's trailer: the records after
	// the last data row that are empty (a row of empty cells, a lone
	// "") or a summary ("Grand Totals (22 records)", "Confidential
	// Information - Do Not Distribute", "Copyright ..."). They are not
	// rows. The same records followed by a data row are rows, rejected.
	Trailer int
	// Unterminated is true when the last line had no line end, as in a
	// file cut short (or written without a final newline).
	Unterminated bool
}

// check returns an error if c does not add up.
func (c *LineCount) check() error {
	if n := c.Header + c.Blank + c.Rows + c.Continued + c.Trailer; n != c.Lines {
		return fmt.Errorf("%d lines read, but %d accounted for (%d header, %d blank, %d rows, %d continuation lines, %d trailer)",
			c.Lines, n, c.Header, c.Blank, c.Rows, c.Continued, c.Trailer)
	}
	if n := c.Kept + c.Rejected + c.Skipped; n != c.Rows {
		return fmt.Errorf("%d rows read, but %d accounted for (%d kept, %d rejected, %d skipped)",
			c.Rows, n, c.Kept, c.Rejected, c.Skipped)
	}
	return nil
}

// lineReader splits a stream into physical lines at "\r\n", "\r" or "\n",
// without holding more than limit bytes of one line.
type lineReader struct {
	r          io.Reader
	buf        []byte
	start, end int
	err        error // from r, once the buffer is drained
	limit      int
	n          int // lines returned
}

func newLineReader(r io.Reader, limit int) *lineReader {
	size := 64 << 10
	if size > limit+2 {
		size = limit + 2
	}
	return &lineReader{r: r, buf: make([]byte, size), limit: limit}
}

// next returns the next line without its line end, valid until the next
// call, and whether it had a line end. It returns io.EOF at the end, a
// *LimitError for a line longer than the limit, or a read error.
func (lr *lineReader) next() (line []byte, terminated bool, err error) {
	for {
		b := lr.buf[lr.start:lr.end]
		nl := bytes.IndexByte(b, '\n')
		seg := b
		if nl >= 0 {
			seg = b[:nl]
		}
		cr := bytes.IndexByte(seg, '\r')
		switch {
		case cr >= 0 && (cr+1 < len(b) || lr.err != nil):
			adv := cr + 1
			if cr+1 < len(b) && b[cr+1] == '\n' {
				adv++
			}
			return lr.emit(b[:cr], adv)
		case cr >= 0:
			// A "\r" ends the buffer: read on to see whether "\n" follows.
			if cr > lr.limit {
				return nil, false, &LimitError{What: "line", Size: cr, Limit: lr.limit, Name: "LineBytes"}
			}
		case nl >= 0:
			return lr.emit(b[:nl], nl+1)
		case lr.err != nil:
			if len(b) == 0 {
				return nil, false, lr.err
			}
			line, _, err := lr.emit(b, len(b))
			return line, false, err
		case len(b) > lr.limit:
			return nil, false, &LimitError{What: "line", Size: len(b), Limit: lr.limit, Name: "LineBytes"}
		}
		lr.fill()
	}
}

func (lr *lineReader) emit(line []byte, adv int) ([]byte, bool, error) {
	if len(line) > lr.limit {
		return nil, false, &LimitError{What: "line", Size: len(line), Limit: lr.limit, Name: "LineBytes"}
	}
	lr.start += adv
	lr.n++
	return line, true, nil
}

// fill reads more input, compacting or growing the buffer (up to
// limit+2 bytes, room for a longest line and its "\r\n").
func (lr *lineReader) fill() {
	if lr.start > 0 {
		copy(lr.buf, lr.buf[lr.start:lr.end])
		lr.end -= lr.start
		lr.start = 0
	}
	if lr.end == len(lr.buf) {
		size := 2 * len(lr.buf)
		if size > lr.limit+2 {
			size = lr.limit + 2
		}
		nb := make([]byte, size)
		copy(nb, lr.buf[:lr.end])
		lr.buf = nb
	}
	for range 100 {
		n, err := lr.r.Read(lr.buf[lr.end:])
		lr.end += n
		if err != nil {
			lr.err = err
			return
		}
		if n > 0 {
			return
		}
	}
	lr.err = io.ErrNoProgress
}

// rawLine is a physical line kept while a record is assembled.
type rawLine struct {
	num        int // 1-based physical line number
	text       []byte
	terminated bool
}

// fieldPos is where a field starts.
type fieldPos struct {
	line, col int // physical line, 1-based byte column
}

// strayQuote describes a quote that did not close properly: the record
// that held it is cut back to its first line.
type strayQuote struct {
	field int    // 0-based index of the field the quote opened
	cause string // why it was taken for a stray quote
}

// recordReader assembles CSV records from physical lines (RFC 4180, as
// encoding/csv reads them without LazyQuotes), keeping the line and
// column of each field and accounting for every line.
type recordReader struct {
	lr    *lineReader
	comma byte
	lim   Limits
	count *LineCount

	pending []rawLine // lines to read again after a stray quote, in order
	raw     []rawLine // lines of the current record
	rawBuf  []byte

	// the current record
	buf    []byte
	ends   []int
	pos    []fieldPos
	fields []string
	line   int // first line
	nLines int

	inQuote         bool
	quoteLine, qcol int
	quoteField      int
	spanned         bool // a quoted field spans lines
	spanField       int
	errLine, errCol int
}

// readLine returns the next physical line, from the pushed-back lines
// first.
func (rr *recordReader) readLine() (rawLine, error) {
	if len(rr.pending) > 0 {
		l := rr.pending[0]
		rr.pending = rr.pending[1:]
		return l, nil
	}
	text, term, err := rr.lr.next()
	if err != nil {
		return rawLine{}, err
	}
	rr.count.Lines++
	if rr.lr.n == 1 {
		text = bytes.TrimPrefix(text, []byte("\xef\xbb\xbf"))
	}
	if !term {
		rr.count.Unterminated = true
	}
	return rawLine{num: rr.lr.n, text: text, terminated: term}, nil
}

// isBlank reports whether line holds nothing but spaces (and tabs when
// the delimiter is not a tab).
func (rr *recordReader) isBlank(line []byte) bool {
	for _, c := range line {
		if c != ' ' && (c != '\t' || rr.comma == '\t') {
			return false
		}
	}
	return true
}

// errRecord is a record that is structurally bad: quote errors.
type errRecord struct {
	field int // 0-based field index, -1 for the whole row
	line  int
	err   error
}

func (e *errRecord) Error() string { return e.err.Error() }

// read reads the next record into rr.fields, skipping blank lines. want is
// the expected field count (0 for the header). It returns io.EOF at the
// end; an *errRecord for a record to reject (its line count already
// accounted for); and other errors (limits, reading) to stop at.
func (rr *recordReader) read(want int) error {
	var first rawLine
	for {
		l, err := rr.readLine()
		if err != nil {
			return err
		}
		if !rr.isBlank(l.text) {
			first = l
			break
		}
		rr.count.Blank++
	}
	rr.buf, rr.ends, rr.pos = rr.buf[:0], rr.ends[:0], rr.pos[:0]
	rr.raw, rr.rawBuf = rr.raw[:0], rr.rawBuf[:0]
	rr.inQuote, rr.spanned = false, false
	rr.line, rr.nLines = first.num, 1
	l := first
	for {
		done, qerr := rr.scan(l.text, l.num)
		if !done || rr.nLines > 1 {
			rr.keepRaw(l) // a multi-line record may be cut back to its first line
		}
		if qerr != nil {
			if rr.nLines > 1 {
				return rr.stray(fmt.Sprintf("is not closed properly (%v on line %d, column %d; a stray quote?)", qerr, rr.errLine, rr.errCol))
			}
			return &errRecord{field: len(rr.pos) - 1, line: rr.errLine, err: qerr}
		}
		if done {
			break
		}
		if !rr.spanned {
			rr.spanned, rr.spanField = true, rr.quoteField
		}
		if len(rr.buf) > rr.lim.LineBytes {
			return rr.stray(fmt.Sprintf("makes a record longer than %d bytes (Limits.LineBytes; a stray quote?)", rr.lim.LineBytes))
		}
		if rr.nLines >= rr.lim.QuotedLines {
			return rr.stray(fmt.Sprintf("spans more than %d lines (Limits.QuotedLines; a stray quote?)", rr.lim.QuotedLines))
		}
		next, err := rr.readLine()
		if err == io.EOF {
			if rr.nLines > 1 {
				return rr.stray("is not closed by the end of the file (a stray quote?)")
			}
			return &errRecord{field: rr.quoteField, line: rr.quoteLine, err: errors.New("quoted field opened on this line is not closed by the end of the file (a stray quote?)")}
		}
		if err != nil {
			return err
		}
		rr.nLines++
		l = next
	}
	if rr.nLines > 1 && want > 0 && len(rr.ends) != want {
		return rr.stray(fmt.Sprintf("closes on line %d, leaving a record of %d fields where the header has %d (a stray quote?)", rr.line+rr.nLines-1, len(rr.ends), want))
	}
	s := string(rr.buf)
	rr.fields = rr.fields[:0]
	prev := 0
	for _, e := range rr.ends {
		rr.fields = append(rr.fields, s[prev:e])
		prev = e
	}
	return nil
}

// keepRaw keeps a copy of l while the record may still be cut back.
func (rr *recordReader) keepRaw(l rawLine) {
	start := len(rr.rawBuf)
	rr.rawBuf = append(rr.rawBuf, l.text...)
	rr.raw = append(rr.raw, rawLine{num: l.num, text: rr.rawBuf[start:len(rr.rawBuf):len(rr.rawBuf)], terminated: l.terminated})
}

// stray cuts the current multi-line record back to its first line, which
// is rejected, and pushes the other lines back to be read again.
func (rr *recordReader) stray(cause string) error {
	var back []rawLine
	for _, l := range rr.raw[1:] {
		back = append(back, rawLine{num: l.num, text: append([]byte(nil), l.text...), terminated: l.terminated})
	}
	rr.pending = append(back, rr.pending...)
	rr.nLines = 1
	return &errRecord{field: rr.spanField, line: rr.line,
		err: fmt.Errorf("quoted field opened on this line %s; the line is rejected and the next one read as a new row", cause)}
}

// scan parses one physical line into the record, continuing a quoted
// field if one is open. It reports whether the record ends with the line,
// or a quote error (csv.ErrBareQuote, csv.ErrQuote) at rr.errLine,
// rr.errCol.
func (rr *recordReader) scan(line []byte, num int) (bool, error) {
	i := 0
	for {
		if !rr.inQuote {
			rr.pos = append(rr.pos, fieldPos{num, i + 1})
			if i < len(line) && line[i] == '"' {
				rr.inQuote = true
				rr.quoteLine, rr.qcol, rr.quoteField = num, i+1, len(rr.pos)-1
				i++
			} else {
				j := bytes.IndexByte(line[i:], rr.comma)
				f := line[i:]
				if j >= 0 {
					f = line[i : i+j]
				}
				if k := bytes.IndexByte(f, '"'); k >= 0 {
					rr.errLine, rr.errCol = num, i+k+1
					return false, csv.ErrBareQuote
				}
				rr.buf = append(rr.buf, f...)
				rr.ends = append(rr.ends, len(rr.buf))
				if j < 0 {
					return true, nil
				}
				i += j + 1
				continue
			}
		}
		// Inside a quoted field, from i.
		for {
			j := bytes.IndexByte(line[i:], '"')
			if j < 0 {
				rr.buf = append(rr.buf, line[i:]...)
				rr.buf = append(rr.buf, '\n')
				return false, nil
			}
			rr.buf = append(rr.buf, line[i:i+j]...)
			i += j + 1
			switch {
			case i < len(line) && line[i] == '"':
				rr.buf = append(rr.buf, '"')
				i++
				continue
			case i == len(line):
				rr.inQuote = false
				rr.ends = append(rr.ends, len(rr.buf))
				return true, nil
			case line[i] == rr.comma:
				rr.inQuote = false
				rr.ends = append(rr.ends, len(rr.buf))
				i++
			default:
				rr.errLine, rr.errCol = num, i
				return false, csv.ErrQuote
			}
			break
		}
	}
}

// fieldLine returns the line on which field i of the current record
// starts.
func (rr *recordReader) fieldLine(i int) int {
	if i < 0 || i >= len(rr.pos) {
		return rr.line
	}
	return rr.pos[i].line
}
