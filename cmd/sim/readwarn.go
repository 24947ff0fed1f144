package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/funnelsim/funnel/data"
)

// readWarnings returns what reading the export left out or changed, for a
// command's own warnings (calibration.md): the rows rejected, counted by
// reason (an event dated before its lead or deal was created among them),
// and the readers' data-quality warnings (records migrated with a close
// before their creation, placeholders read as empty, ...). rejects names
// the file listing the rejected rows.
func readWarnings(rep *data.Report, rejects string) []error {
	var ws []error
	if len(rep.Rejected) > 0 {
		reasons := make([]string, 0, len(rep.RejectedByReason))
		for r := range rep.RejectedByReason {
			reasons = append(reasons, r)
		}
		slices.Sort(reasons)
		var by []string
		for _, r := range reasons {
			by = append(by, fmt.Sprintf("%s %d", r, rep.RejectedByReason[r]))
		}
		ws = append(ws, fmt.Errorf("%d of %d rows rejected (%s) and left out of the fits (%s); %s lists each",
			len(rep.Rejected), rep.TotalRows(), percent(rep.RejectShare()), strings.Join(by, ", "), rejects))
	}
	for _, w := range rep.Warnings {
		ws = append(ws, fmt.Errorf("reading the export: %w", w))
	}
	return ws
}
