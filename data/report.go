package data

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
)

// Reasons for rejecting a row, used as RowError.Reason and as keys of
// Report.RejectedByReason.
const (
	ReasonBadCSV              = "bad CSV"           // the CSV record itself is malformed
	ReasonInvalidUTF8         = "invalid UTF-8"     // a field is not valid UTF-8
	ReasonFieldCount          = "wrong field count" // fewer or more fields than the header
	ReasonMissingValue        = "missing value"     // a required field is empty
	ReasonBadDate             = "bad date"          // a date cannot be parsed
	ReasonBadAmount           = "bad amount"        // an amount cannot be parsed
	ReasonBadNumber           = "bad number"        // a number (score) cannot be parsed
	ReasonNegativeAmount      = "negative amount"   // an amount below zero
	ReasonBadOutcome          = "bad outcome"       // outcome not won/lost/open (or connected/attempted)
	ReasonDuplicateID         = "duplicate id"      // second occurrence of an id
	ReasonUnknownLead         = "unknown lead"      // lead_id not among the loaded leads
	ReasonUnknownOpp          = "unknown opportunity"
	ReasonBeforeCreated       = "before created" // event before its lead or deal was created
	ReasonClosedBeforeCreated = "closed before created"
	ReasonAfterAsOf           = "after as-of"       // timestamp later than Options.AsOf
	ReasonImplausibleDate     = "implausible date"  // before 1990 or more than a year after Options.Now
	ReasonTooLong             = "too long"          // a line, field or name over Options.Limits
	ReasonControlChar         = "control character" // a control character (NUL, ESC, line end...) in a name
)

// RowError is a rejected row. It is modelled on csv.ParseError.
type RowError struct {
	File   string // file name as given to the reader ("leads.csv")
	Line   int    // physical line (1-based) where the record, or the field, starts
	Column int    // 1-based field index in the record; 0 when the whole row is at fault
	Field  string // header name of the column at fault; "" when the whole row is at fault
	Reason string // one of the Reason constants
	Value  string // the offending value, "" when the whole row is at fault
	Err    error  // the detailed cause
}

// Error returns, for example,
// `leads.csv:12:3 (created_at): cannot parse "31/31/2024" as a date`.
func (e *RowError) Error() string {
	if e.Column == 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s:%d:%d (%s): %v", e.File, e.Line, e.Column, e.Field, e.Err)
}

// Unwrap returns e.Err.
func (e *RowError) Unwrap() error { return e.Err }

// Warning is a data-quality flaw that does not cost a row, such as two
// spellings of one category or open deals without a creation date.
type Warning struct {
	File    string // file name
	Field   string // column concerned, "" if none
	Count   int    // rows concerned
	Message string
}

// Error returns "file (field): message", or "field: message" when File
// is empty.
func (w *Warning) Error() string {
	if w.File == "" && w.Field != "" {
		return fmt.Sprintf("%s: %s", w.Field, w.Message)
	}
	if w.Field == "" {
		return fmt.Sprintf("%s: %s", w.File, w.Message)
	}
	return fmt.Sprintf("%s (%s): %s", w.File, w.Field, w.Message)
}

// Report describes what loading did with each row.
type Report struct {
	Files []string       // files read, in order
	Rows  map[string]int // data rows read per file (header excluded), rejected ones included
	// Lines accounts for every physical line of each file read; see
	// LineCount. A reader updates its file's count as it reads.
	Lines            map[string]*LineCount
	Rejected         []*RowError    // rejected rows in the order found
	RejectedByReason map[string]int // number of rejected rows per Reason
	Warnings         []error        // data-quality warnings, mostly *Warning
	// Encodings is the character encoding each file was read in (see
	// DetectEncoding); a file not in UTF-8 also gets a warning.
	Encodings map[string]Encoding
}

func (r *Report) addFile(name string) {
	if r.Rows == nil {
		r.Rows = make(map[string]int)
	}
	if r.Lines == nil {
		r.Lines = make(map[string]*LineCount)
	}
	if _, ok := r.Rows[name]; !ok {
		r.Files = append(r.Files, name)
		r.Rows[name] = 0
	}
	if r.Lines[name] == nil {
		r.Lines[name] = new(LineCount)
	}
	if r.Encodings == nil {
		r.Encodings = make(map[string]Encoding)
	}
}

func (r *Report) reject(e *RowError) {
	if r.RejectedByReason == nil {
		r.RejectedByReason = make(map[string]int)
	}
	r.Rejected = append(r.Rejected, e)
	r.RejectedByReason[e.Reason]++
}

func (r *Report) warn(file, field string, count int, format string, args ...any) {
	r.Warnings = append(r.Warnings, &Warning{File: file, Field: field, Count: count, Message: fmt.Sprintf(format, args...)})
}

// TotalRows returns the number of data rows read over all files.
func (r *Report) TotalRows() int {
	n := 0
	for _, c := range r.Rows {
		n += c
	}
	return n
}

// RejectShare returns the share of rows rejected, in [0,1]; 0 when no row
// was read.
func (r *Report) RejectShare() float64 {
	n := r.TotalRows()
	if n == 0 {
		return 0
	}
	return float64(len(r.Rejected)) / float64(n)
}

// RejectShareError is returned when more rows were rejected than
// Options.MaxRejectShare allows.
type RejectShareError struct {
	Rejected, Rows int     // rejected rows, rows read
	Share, Max     float64 // Rejected/Rows and the threshold, in [0,1]
}

// Error states the share, the threshold and where the rejected rows are
// listed.
func (e *RejectShareError) Error() string {
	return fmt.Sprintf("data: %d of %d rows rejected (%.1f%%), above the %.1f%% threshold; the rejects file lists each rejected row and why",
		e.Rejected, e.Rows, 100*e.Share, 100*e.Max)
}

// checkShare returns a *RejectShareError if the report's reject share
// exceeds max (0 means 0.05). It panics if max is negative.
func (r *Report) checkShare(max float64) error {
	if max < 0 || math.IsNaN(max) {
		panic(fmt.Sprintf("data: negative MaxRejectShare %v", max))
	}
	if max == 0 {
		max = DefaultMaxRejectShare
	}
	if s := r.RejectShare(); s > max {
		return &RejectShareError{Rejected: len(r.Rejected), Rows: r.TotalRows(), Share: s, Max: max}
	}
	return nil
}

// ReasonCount is a reason and how many rows it rejected.
type ReasonCount struct {
	Reason string
	N      int
}

// ByReason returns RejectedByReason sorted by count, largest first, then
// by reason.
func (r *Report) ByReason() []ReasonCount {
	var out []ReasonCount
	for k, v := range r.RejectedByReason {
		out = append(out, ReasonCount{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].N != out[j].N {
			return out[i].N > out[j].N
		}
		return out[i].Reason < out[j].Reason
	})
	return out
}

// WriteRejects writes the rejected rows of rep to w as CSV with the header
// file,line,column,field,reason,value. The reason column holds the
// detailed message (RowError.Err) so the file can be read on its own.
// Cells go through SafeCell: the values come from the export, and a
// spreadsheet would run one starting with '=' as a formula.
func WriteRejects(w io.Writer, rep *Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"file", "line", "column", "field", "reason", "value"})
	for _, e := range rep.Rejected {
		reason := e.Reason
		if e.Err != nil {
			reason = e.Err.Error()
		}
		cw.Write(SafeRow([]string{e.File, strconv.Itoa(e.Line), strconv.Itoa(e.Column), e.Field, reason, e.Value}))
	}
	cw.Flush()
	return cw.Error()
}
