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
// The delimiter (comma, semicolon or tab) is sniffed from the header line.
// A UTF-8 byte order mark is dropped, CRLF line ends and quoted multi-line
// fields are accepted. Every record keeps the physical line on which it
// starts, so a rejected row can be found in a text editor.
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
// Row checks: unparseable dates and amounts, missing required values,
// unknown outcome values, negative amounts, duplicate ids (the second
// occurrence is rejected), events referring to unknown leads or
// opportunities, events before the lead (or opportunity) was created,
// close dates before creation, and anything after Options.AsOf. Events
// that are merely out of order in the file are sorted, not rejected.
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
// Mapping (ParseMapping reads one from YAML).
//
// Inspect summarizes an Export for people: rows per file, date range,
// leads per stage, median time between stages, response times and the
// rejected rows by reason.
package data
