// Package data reads CRM exports and turns them into clean, sorted funnel
// records: leads, the stages they entered, sales activities, opportunities
// and opportunity stage changes.
//
// The package never opens files by name. Single files are read from an
// io.Reader, export folders from an fs.FS (os.DirFS in a command,
// fstest.MapFS in tests), and output goes to an io.Writer or a FileCreator.
//
// # Canonical export
//
// A canonical export is a folder of CSV files:
//
//	leads.csv                     lead_id, created_at, source, [segment], [score], [owner]
//	stage_events.csv              lead_id, stage, at
//	activities.csv                lead_id, at, channel, outcome (connected|attempted), [owner]
//	opportunities.csv             opportunity_id, [lead_id], created_at, amount, stage,
//	                              [closed_at], outcome (won|lost|open), [currency]
//	opportunity_stage_events.csv  opportunity_id, stage, at
//
// Columns may come in any order; header names match ignoring case, spaces,
// underscores and hyphens ("Lead ID" matches lead_id). Columns the package
// does not know are kept, by their header name, in the Attrs map of leads
// and opportunities. Only leads.csv or opportunities.csv is required; an
// export holding opportunities.csv alone is valid. ReadExport loads it.
//
// # Large exports
//
// ReadExport keeps every record in memory: a peak resident set of 1.4 GB
// for a million leads with five million stage events. For exports of that
// size read the files one record at a time with NewLeadReader,
// NewStageEventReader, NewActivityReader, NewOpportunityReader and
// NewOppStageEventReader, sharing one Report, and keep only what the
// caller aggregates plus the lead index (id to CreatedAt) that the event
// readers' Leads field checks against: the same export then peaks near
// 0.3 GB. The records come in file order, not sorted, and the reject
// share is not checked (compare Report.RejectShare with a threshold).
// BenchmarkReadStream and scripts/stream-rss.sh measure both paths.
//
// # CSV dialect
//
// The encoding is detected from each file's first 256 KiB
// (DetectEncoding): a UTF-8 byte order mark means UTF-8, a UTF-16 mark
// UTF-16; bytes that are valid UTF-8 are UTF-8; anything else is
// Windows-1252, which Salesforce's Data Export and Excel write. Every
// file is decoded to UTF-8, Report.Encodings records its encoding, and a
// file not in UTF-8 gets a warning. A row that is not UTF-8 further on in
// a file sniffed as UTF-8 is read as Windows-1252 and counted in a
// warning; in a file marked UTF-8 by its byte order mark it is rejected.
//
// The delimiter (comma, semicolon or tab) is sniffed from the header line.
// A UTF-8 byte order mark is dropped. Lines end at "\r\n", "\n" or a lone
// "\r" (old Mac exports), mixed in one file if need be; inside a quoted
// field each is read as "\n". Quoted fields may hold line ends (a
// Description column). Every record keeps the physical line on which it
// starts, and every field its own, so a rejected row can be found in a
// text editor.
//
// # Line accounting
//
// Every physical line of a file is accounted for in Report.Lines: it is
// the header, a blank line, the first line of a row (kept, rejected or,
// for Salesforce history rows of other fields, skipped), a continuation
// line of a row whose quoted field holds a line end, or a line of a
// report's trailer: the records after the last row that are empty (a row
// of empty cells, a lone "") or summaries ("Grand Totals (22 records)",
// "Confidential Information - Do Not Distribute", "Copyright ..."),
// which are counted in a warning and are not rows. Such records followed
// by a row after all are rows, and rejected. A reader that
// reaches the end of a file fails, naming the file, when the counts do
// not add up (see LineCount). A last line without a line end is counted
// like the others; when its row is rejected a warning says that the file
// may have been cut short.
//
// A stray quote does not swallow the rest of the file. A quoted field
// that is still open after Limits.QuotedLines lines or at the end of the
// file, that is closed by a quote followed by something other than a
// delimiter or a line end, or that leaves its record with a field count
// other than the header's, is taken for a stray quote: the line on which
// it opened is rejected ("bad CSV", naming the line and column) and
// reading resumes on the next line.
//
// # Limits
//
// Options.Limits bounds a physical line (1 MiB by default: a longer one,
// such as /dev/zero read as a CSV file, stops reading with a *LimitError
// naming the file and line), a field (64 KiB: a longer one rejects its
// row) and the value of every column the readers interpret: ids, source,
// stage, segment, owner, channel, outcome, currency, dates and amounts
// (256 bytes). Those values must not hold control characters (NUL, ESC,
// DEL, line ends, C1 controls): such a row is rejected, naming the
// character. Other values (paths, markup, formulas) are kept as they are;
// the output layer neutralises them where they are written.
//
// # Bad rows
//
// Bad data does not stop loading. A row that cannot be used is rejected: it
// becomes a RowError (file, line, column, field, reason, value) in the
// Report, and the good rows still load. Flaws that do not cost a row, such
// as two spellings of one category, become warnings. Loading fails only
// when the file cannot be used at all (no header, missing required
// columns) or when the share of rejected rows exceeds
// Options.MaxRejectShare; in that last case the loaded Export is returned
// with the error so that WriteRejects can still list the rejected rows.
//
// Row checks: unparseable dates and amounts, implausible dates (see
// below), missing required values, unknown outcome values, negative
// amounts, duplicate ids (the second occurrence is rejected), events
// referring to unknown leads or opportunities, events before the lead (or
// opportunity) was created, close times before creation, anything after
// Options.AsOf, values over the limits and control characters in names.
//
// Values that mean "none" are read as empty and counted in a warning per
// column: the placeholders N/A, #N/A, -, --, null and (blank) in the
// columns the readers interpret, and ids that name no record (empty, all
// zeros, Salesforce's 000000000000000AAA). A lead without a source is
// counted under NoSource, "(none)", with a warning.
//
// Dates and times: a close date written as a date (midnight in
// Options.TZ: "2024-03-01", Data Export's "2024-03-01 00:00:00") is
// compared with the creation time by calendar day. A deal closed on the
// day it was created is closed at its creation time. A deal closed on an
// earlier day than it was created, as records migrated into a CRM are,
// is kept with CreatedAt moved back to its close date, the exported
// creation time in Attrs[AttrCreatedAsExported], and counted in a
// warning. Salesforce lead conversions (ConvertedDate) are dated at the
// lead's creation when they fall before it, with a warning when on an
// earlier day; conversions after the as-of time or without a date are
// counted in warnings. A close time (not midnight) before creation still
// rejects its row.
//
// The default as-of time is the newest creation or history timestamp
// (stage events, activities, opportunity stage events) or close of a won
// deal; see Export.AsOf.
// Events that are merely out of order in the file are sorted, not
// rejected; events of one lead at the same second are put in an order
// that follows the funnel (SortStageEvents), never in file order.
//
// Implausible dates: placeholders such as 1900-01-01, 1970-01-01 and
// 9999-12-31 must not decide the model (one 9999-12-31 would set the
// as-of time to the year 9999). A date before 1990-01-01 or more than a
// year after Options.Now (the wall clock by default) rejects its row as
// "implausible date", so it never sets the as-of time; an open deal's
// expected close date, which nothing but Attrs uses, is cleared instead
// and counted in a warning.
//
// # Times and amounts
//
// ParseTime accepts RFC 3339 and ISO dates with or without a time,
// US (month first) and, with DateOrder DMY, day-first slash dates. A slash
// date whose first two fields are both at most 12 is ambiguous, and
// ParseTime refuses it unless a DateOrder is given. Zone-less times are
// read in Options.TZ. All times in records are in UTC, truncated to the
// second, which is also the precision the writers keep.
//
// ParseAmount accepts currency symbols and ISO codes, thousands
// separators and both decimal conventions; see its documentation for the
// exact rule.
//
// # CRM adapters
//
// ReadSalesforce, ReadHubSpot and ReadOpportunitiesOnly read the exports
// of those systems (API names or report labels) and return the same Export,
// with CRM status values translated to the funnel taxonomy through a
// Mapping (ParseMapping reads one from YAML). ReadSalesforce and
// ReadHubSpot read their files under their usual names (Lead.csv,
// contacts.csv) or, when absent, the file whose header holds that object
// ("report1700000000000.csv", "all-contacts.csv"). Detect tells the
// format of a folder and the object and encoding of each of its files
// from their headers. HubSpot contacts give stage events from the older
// "Became a ... Date" columns and the current `Date entered "<stage>
// (Lifecycle Stage Pipeline)"` ones; deals close by Is Deal Closed?,
// their stage ("Closed: abandoned" is lost) or a probability of 1, and
// belong to the first associated contact the export holds. Duplicate
// headers are read once and reported. SuggestMapping writes a starting
// Mapping from an export's own headers and values, and says what it
// cannot place.
//
// Inspect summarizes an Export for people: rows per file, date range,
// leads per stage, median time between stages, response times and the
// rejected rows by reason.
package data
