package data_test

import (
	"fmt"
	"os"
	"testing/fstest"

	"github.com/funnelsim/funnel/data"
)

func ExampleReadExport() {
	fsys := fstest.MapFS{
		"leads.csv": {Data: []byte("lead_id,created_at,source\n" +
			"L1,2024-01-02 09:00,web\n" +
			"L2,31/31/2024,web\n")},
		"stage_events.csv": {Data: []byte("lead_id,stage,at\n" +
			"L1,sal,2024-01-03 10:00\n" +
			"L1,mql,2024-01-02 09:30\n")},
		"opportunities.csv": {Data: []byte("opportunity_id,lead_id,created_at,amount,stage,closed_at,outcome\n" +
			"O1,L1,2024-01-05,\"$1,234.50\",won,2024-02-01,won\n")},
	}
	e, err := data.ReadExport(fsys, &data.Options{MaxRejectShare: 0.5})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range e.StageEvents {
		fmt.Println(ev.LeadID, ev.Stage, ev.At.Format("2006-01-02 15:04"))
	}
	fmt.Println(e.Opportunities[0].ID, e.Opportunities[0].Amount, e.Opportunities[0].Outcome)
	for _, r := range e.Report.Rejected {
		fmt.Println("rejected:", r)
	}
	data.WriteRejects(os.Stdout, &e.Report)
	// Output:
	// L1 mql 2024-01-02 09:30
	// L1 sal 2024-01-03 10:00
	// O1 1234.5 won
	// rejected: leads.csv:3:2 (created_at): cannot parse "31/31/2024" as a date
	// file,line,column,field,reason,value
	// leads.csv,3,2,created_at,"cannot parse ""31/31/2024"" as a date",31/31/2024
}

func ExampleParseAmount() {
	for _, s := range []string{"$1,234.50", "€ 1.234,50", "1,234", "1234,5", "(200)", "USD 1 200"} {
		v, err := data.ParseAmount(s)
		fmt.Println(s, "->", v, err)
	}
	// Output:
	// $1,234.50 -> 1234.5 <nil>
	// € 1.234,50 -> 1234.5 <nil>
	// 1,234 -> 1234 <nil>
	// 1234,5 -> 1234.5 <nil>
	// (200) -> -200 <nil>
	// USD 1 200 -> 1200 <nil>
}
