package main

import (
	"bytes"

	"github.com/funnelsim/funnel/cmd/sim/internal/outdir"
	"github.com/funnelsim/funnel/cmd/sim/internal/render"
	"github.com/funnelsim/funnel/cmd/sim/internal/xlsx"
)

// csvBook collects the CSV tables a command writes, so that it can write
// them again as one workbook beside them: one sheet a CSV file, in the
// order written.
type csvBook struct {
	sheets []xlsx.Sheet
}

// writeCSV writes rows to the file name of d (see writeCSV) and keeps them
// for the workbook.
func (b *csvBook) writeCSV(d *outdir.Dir, name string, rows [][]string) error {
	if err := writeCSV(d, name, rows); err != nil {
		return err
	}
	b.sheets = append(b.sheets, render.CSVSheet(name, rows))
	return nil
}

// write writes the collected tables to the file name of d as an .xlsx
// workbook; amounts are shown in currency (an ISO 4217 code).
func (b *csvBook) write(d *outdir.Dir, name, currency string) error {
	if len(b.sheets) == 0 {
		return nil
	}
	var buf bytes.Buffer
	if err := xlsx.Write(&buf, currency, b.sheets...); err != nil {
		return err
	}
	return d.WriteFile(name, buf.Bytes())
}
