// Package xlsx writes tables as an Excel workbook (.xlsx), one sheet a
// table, for revenue operations to open and paste from: numbers are
// numbers, formatted as money, percentages, ratios or counts; the header
// row is bold and frozen; text is always text.
//
// No cell is ever a formula: a text cell that starts with "=" (a name taken
// from an export, say) is written as an inline string, which a spreadsheet
// shows and never evaluates. The package does no file I/O: Write writes to
// an io.Writer. It uses github.com/xuri/excelize/v2's streaming writer and
// rewrites the archive with its entries in name order, so that the same
// sheets give the same bytes.
package xlsx
