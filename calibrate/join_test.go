package calibrate

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
)

func TestJoinOpportunities(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 10, 0, 0, 0, time.UTC) }
	m := model.Default()
	e := &data.Export{
		AsOf:  day(30),
		Leads: []data.Lead{{ID: "L1", CreatedAt: day(1)}, {ID: "L2", CreatedAt: day(1)}, {ID: "L3", CreatedAt: day(1)}},
		StageEvents: []data.StageEvent{
			{LeadID: "L1", Stage: "mql", At: day(1)}, {LeadID: "L1", Stage: "opportunity", At: day(3)},
			{LeadID: "L2", Stage: "mql", At: day(1)}, {LeadID: "L2", Stage: "sal", At: day(6)},
			{LeadID: "L3", Stage: "opportunity", At: day(1)}, {LeadID: "L3", Stage: "won", At: day(9)},
		},
		Opportunities: []data.Opportunity{
			// Won "that day": closed (a date, midnight) before its creation time.
			{ID: "O1", LeadID: "L1", CreatedAt: day(3), ClosedAt: time.Date(2024, 1, 3, 0, 0, 0, 0, time.UTC), Outcome: data.OutcomeWon, Amount: 10},
			{ID: "O2", LeadID: "L2", CreatedAt: day(4), ClosedAt: day(20), Outcome: data.OutcomeLost},
			{ID: "O2b", LeadID: "L2", CreatedAt: day(8), Outcome: data.OutcomeOpen},
			{ID: "O3", CreatedAt: day(5), Outcome: data.OutcomeOpen},
			{ID: "O4", LeadID: "L3", CreatedAt: day(1), ClosedAt: day(9), Outcome: data.OutcomeWon},
		},
	}
	x, notes := joinOpportunities(e, m)
	var got []string
	for _, ev := range x.StageEvents {
		got = append(got, ev.LeadID+" "+ev.Stage+" "+ev.At.Format("02T15"))
	}
	want := []string{
		"L1 mql 01T10", "L1 opportunity 03T10", "L1 won 03T10",
		"L2 mql 01T10", "L2 sal 06T10", "L2 opportunity 06T10", "L2 lost 20T10",
		"L3 opportunity 01T10", "L3 won 09T10",
		"opportunity:O3 opportunity 05T10",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if x.Opportunities[3].LeadID != "opportunity:O3" || e.Opportunities[3].LeadID != "" {
		t.Errorf("unlinked opportunity's LeadID: copy %q, original %q", x.Opportunities[3].LeadID, e.Opportunities[3].LeadID)
	}
	if len(e.StageEvents) != 6 {
		t.Errorf("the export was modified: %d events", len(e.StageEvents))
	}
	if len(notes) != 3 {
		t.Errorf("notes: %v", notes)
	}
	// The leads span 29 days: the unlinked opportunity arrives, as a lead
	// of UnlinkedSource.
	if len(x.Leads) != 4 || !reflect.DeepEqual(x.Leads[3], data.Lead{ID: "opportunity:O3", CreatedAt: day(5), Source: UnlinkedSource}) || len(e.Leads) != 3 {
		t.Errorf("leads %+v (the export's: %d)", x.Leads, len(e.Leads))
	}
}

func TestCurrencies(t *testing.T) {
	opps := []data.Opportunity{
		{ID: "1", Currency: "USD", Outcome: data.OutcomeWon, Amount: 100},
		{ID: "2", Currency: "USD", Outcome: data.OutcomeWon, Amount: 200},
		{ID: "3", Currency: "EUR", Outcome: data.OutcomeWon, Amount: 100},
	}
	for _, tt := range []struct {
		name  string
		rates map[string]float64
		want  string // in the warning
		eur   float64
	}{
		{"no rates", nil, "the amounts in EUR are left out of deal sizes and open pipeline (no rate: pass --rates EUR=RATE", 100},
		{"rate", map[string]float64{"EUR": 1.5}, "converted EUR at 1.5 USD per EUR", 150},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &calib{e: &data.Export{Opportunities: opps}, cfg: Config{Base: model.Default(), Rates: tt.rates}, res: &Result{}}
			c.m = model.Default()
			c.m.Currency = c.currency()
			if c.m.Currency != "USD" {
				t.Fatalf("currency %s, want USD (2 of 3 opportunities)", c.m.Currency)
			}
			if len(c.res.Warnings) != 1 || !strings.Contains(c.res.Warnings[0].Error(), tt.want) {
				t.Fatalf("warnings %v, want one with %q", c.res.Warnings, tt.want)
			}
			if got := c.e.Opportunities[2].Amount; got != tt.eur {
				t.Errorf("EUR amount %g, want %g", got, tt.eur)
			}
			if c.foreign(c.e.Opportunities[2]) != (tt.rates == nil) {
				t.Errorf("foreign: %v", c.foreign(c.e.Opportunities[2]))
			}
			if opps[2].Amount != 100 {
				t.Error("the export was modified")
			}
		})
	}
}

// TestDealSizesWonOnly: deal sizes are fitted to won deals' amounts;
// open and lost deals' (larger) amounts are left out.
func TestDealSizesWonOnly(t *testing.T) {
	var opps []data.Opportunity
	for i := range 10 {
		opps = append(opps, data.Opportunity{ID: "w" + string(rune('a'+i)), Outcome: data.OutcomeWon, Amount: 1000 * float64(i+1)})
		opps = append(opps, data.Opportunity{ID: "o" + string(rune('a'+i)), Outcome: data.OutcomeOpen, Amount: 1e6})
		opps = append(opps, data.Opportunity{ID: "l" + string(rune('a'+i)), Outcome: data.OutcomeLost, Amount: 1e6})
	}
	c := &calib{e: &data.Export{Opportunities: opps}, cfg: Config{Base: model.Default()}, res: &Result{}, leads: map[string]int32{}}
	c.m = model.Default()
	c.fitDeals()
	if len(c.res.Deals) == 0 {
		t.Fatal("no deal fits")
	}
	for _, d := range c.res.Deals {
		if len(d.Amounts) != 10 || d.Amounts[9] != 10000 {
			t.Errorf("%s: amounts %v, want the 10 won ones", d.Source, d.Amounts)
		}
	}
}

// TestFunnelEnds: an export without lead history (each lead seen in one
// stage before the opportunity) is fitted with the stages before the
// opportunity merged into one: p(lead->opportunity) is the share of
// leads converted, dated by the opportunity's creation when the status
// is the lead's only date; disqualifications are not dated, so their
// delay is kept.
func TestFunnelEnds(t *testing.T) {
	start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	e := &data.Export{AsOf: start.AddDate(0, 0, 7*20)}
	for i := range 400 {
		id := fmt.Sprintf("L%03d", i)
		created := start.Add(time.Duration(i) * 8 * time.Hour)
		e.Leads = append(e.Leads, data.Lead{ID: id, CreatedAt: created, Source: "web"})
		switch i % 4 {
		case 0: // converted: its status at creation, the opportunity two days later
			e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: id, Stage: "opportunity", At: created})
			e.Opportunities = append(e.Opportunities, data.Opportunity{ID: "O" + id, LeadID: id, CreatedAt: created.Add(48 * time.Hour), Outcome: data.OutcomeOpen})
		case 1, 2: // disqualified
			e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: id, Stage: "disqualified", At: created})
		default: // still working
			e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: id, Stage: "tql", At: created})
		}
	}
	r, err := Calibrate(e, Config{})
	if err != nil {
		t.Fatal(err)
	}
	m := r.Model
	var names []string
	for _, s := range m.Stages {
		names = append(names, s.Name)
	}
	if got := strings.Join(names, ","); got != "lead,opportunity,won,lost,disqualified" {
		t.Fatalf("stages %s", got)
	}
	for _, s := range m.Sources {
		if s.Entry != EntryStage {
			t.Errorf("source %s enters at %s", s.Name, s.Entry)
		}
	}
	// 100 of 400 converted, 200 disqualified at once, 100 censored: the
	// CIF of conversion is 0.25/0.5 of the half left after disqualification,
	// about 0.25 once the censored leads' follow-up covers the 2-day delay.
	p := m.Transitions[transitionIndex(m, EntryStage, "opportunity")]
	if math.Abs(p.P-0.25) > 0.03 {
		t.Errorf("p(lead->opportunity) = %.3f, want 0.25", p.P)
	}
	if med := p.Delay.Quantile(0.5); math.Abs(med-2) > 0.1 {
		t.Errorf("lead->opportunity median delay %.3g days, want 2 (dated by the opportunities' creation)", med)
	}
	kept := false
	for _, k := range r.Kept {
		kept = kept || k.Path == "transitions[lead->disqualified].delay_days"
	}
	if !kept {
		t.Errorf("the undated disqualification delay is not listed as kept: %+v", r.Kept)
	}
}

// TestContractSkipped: a stage no lead enters, which leads skip (mql ->
// sal past tql), is dropped and its edges joined to the stage before it.
func TestContractSkipped(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, d, 10, 0, 0, 0, time.UTC) }
	m := model.Default()
	e := &data.Export{StageEvents: []data.StageEvent{
		{LeadID: "a", Stage: "mql", At: day(1)}, {LeadID: "a", Stage: "sal", At: day(2)},
	}}
	out, notes, ok := contractSkipped(e, m)
	if !ok || len(notes) != 1 || !strings.Contains(notes[0].Error(), "stage tql: no lead of the export enters it, and leads skip it (mql -> sal (1 leads))") {
		t.Fatalf("ok %v, notes %v", ok, notes)
	}
	if out.StageIndex("tql") >= 0 || m.StageIndex("tql") < 0 {
		t.Error("tql not dropped, or the base model modified")
	}
	ti, bi := transitionIndex(out, "mql", "sal"), transitionIndex(m, "mql", "tql")
	if ti < 0 || math.Abs(out.Transitions[ti].P-m.Transitions[bi].P*m.Transitions[transitionIndex(m, "tql", "sal")].P) > 1e-12 {
		t.Errorf("mql->sal: %+v", out.Transitions)
	}
	if err := out.Validate(); err != nil {
		t.Error(err)
	}
	// An export that goes through tql keeps it.
	e.StageEvents = []data.StageEvent{{LeadID: "a", Stage: "mql", At: day(1)}, {LeadID: "a", Stage: "tql", At: day(2)}}
	if _, _, ok := contractSkipped(e, m); ok {
		t.Error("a stage the export enters was dropped")
	}
}
