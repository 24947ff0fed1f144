package data

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const mavenDir = "../../shared/fixtures/maven-crm"

func warningStrings(rep *Report) []string {
	var out []string
	for _, w := range rep.Warnings {
		out = append(out, w.Error())
	}
	return out
}

func TestReadOpportunitiesOnlyMaven(t *testing.T) {
	f, err := os.Open(filepath.Join(mavenDir, "sales_pipeline.csv"))
	if err != nil {
		t.Skipf("fixture absent: %v", err)
	}
	defer f.Close()
	e, err := ReadOpportunitiesOnly(f, "sales_pipeline.csv", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := e.Report.Rows["sales_pipeline.csv"]; got != 8800 {
		t.Errorf("rows read = %d, want 8800", got)
	}
	if got := rejectStrings(&e.Report); len(got) != 0 {
		t.Errorf("%d rejects, first %q", len(got), got[0])
	}
	if len(e.Opportunities) != 8800 {
		t.Errorf("loaded %d opportunities, want 8800", len(e.Opportunities))
	}
	byStage := make(map[string]int)
	byOutcome := make(map[Outcome]int)
	noCreated := 0
	for _, op := range e.Opportunities {
		byStage[op.Stage]++
		byOutcome[op.Outcome]++
		if op.CreatedAt.IsZero() {
			noCreated++
		}
	}
	wantStage := map[string]int{"won": 4238, "lost": 2473, "engaging": 1589, "prospecting": 500}
	if !reflect.DeepEqual(byStage, wantStage) {
		t.Errorf("by stage = %v, want %v", byStage, wantStage)
	}
	wantOutcome := map[Outcome]int{OutcomeWon: 4238, OutcomeLost: 2473, OutcomeOpen: 2089}
	if !reflect.DeepEqual(byOutcome, wantOutcome) {
		t.Errorf("by outcome = %v, want %v", byOutcome, wantOutcome)
	}
	if noCreated != 500 {
		t.Errorf("%d without created_at, want 500", noCreated)
	}
	op := e.Opportunities[len(e.Opportunities)-1]
	if op.Attrs["owner"] == "" || op.Attrs["product"] == "" {
		t.Errorf("attrs not kept: %+v", op)
	}
	if want := time.Date(2017, 12, 31, 0, 0, 0, 0, time.UTC); !e.AsOf.Equal(want) {
		t.Errorf("AsOf = %v, want %v", e.AsOf, want)
	}
	wantWarnings := []string{
		"sales_pipeline.csv (engage_date): 500 open opportunities have no creation date (prospecting: 500); kept without one (calibration gives them the median age of the others)",
		"sales_pipeline.csv (account): 1425 of 8800 opportunities have no account",
	}
	if got := warningStrings(&e.Report); !reflect.DeepEqual(got, wantWarnings) {
		t.Errorf("warnings:\n got %q\nwant %q", got, wantWarnings)
	}

	// The canonical writer and reader keep every deal, including those
	// without a creation date.
	dir := memDir{}
	if err := WriteExport(dir, e); err != nil {
		t.Fatal(err)
	}
	back, err := ReadExport(fstest.MapFS(dir), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Opportunities, e.Opportunities) {
		t.Errorf("round trip through the canonical format changed the opportunities")
	}

	// The pipeline spells the product "GTXPro"; the products lookup says
	// "GTX Pro".
	pf, err := os.Open(filepath.Join(mavenDir, "products.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer pf.Close()
	recs, err := csv.NewReader(pf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var products []string
	for _, r := range recs[1:] {
		products = append(products, r[0])
	}
	CheckCategories(e, "product", products)
	got := warningStrings(&e.Report)[len(wantWarnings):]
	want := []string{`product: "GTXPro" (1480 rows) looks like the reference value "GTX Pro"`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("category warnings:\n got %q\nwant %q", got, want)
	}
}

func TestReadOpportunitiesOnly(t *testing.T) {
	const in = "Deal ID;Sales Agent;Product;Deal Stage;Engage Date;Close Date;Close Value\n" +
		"D1;Ann;GTX Pro;Won;2024-01-02;2024-02-01;\"$1,200\"\n" +
		"D2;Ann;GTXPro;Closed Lost;2024-01-03;2024-02-02;0\n" +
		"D3;Bob;gtx pro;Prospecting;;;\n" +
		"D4;Bob;MG;Engaging;2024-01-05;;\n" +
		"D5;Bob;MG;Won;2024-01-06;;100\n" +
		"D6;Bob;MG;Won;2024-01-06;2024-01-01;100\n"
	e, err := ReadOpportunitiesOnly(strings.NewReader(in), "deals.csv", &Options{MaxRejectShare: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantRejects := []string{
		"deals.csv:6:6 (Close Date): empty closed_at",
	}
	if got := rejectStrings(&e.Report); !reflect.DeepEqual(got, wantRejects) {
		t.Errorf("rejects:\n got %q\nwant %q", got, wantRejects)
	}
	if got := oppIDs(e); !reflect.DeepEqual(got, []string{"D3", "D6", "D1", "D2", "D4"}) {
		t.Errorf("ids = %v", got)
	}
	wantWarnings := []string{
		`deals.csv (Engage Date): 1 closed opportunities were created after their close date (a migrated org?); kept with the creation date moved back to the close date, so their sales cycles read as 0 days (the exported creation time is in the "created_as_exported" column of their attributes)`,
		"deals.csv (Engage Date): 1 open opportunities have no creation date (prospecting: 1); kept without one (calibration gives them the median age of the others)",
		`deals.csv (Product): "GTX Pro" (1 rows), "GTXPro" (1 rows), "gtx pro" (1 rows) look like spellings of one value`,
		// D2's close date, a lost deal's, does not set the as-of time.
		"as-of: 1 closed opportunities have a close date after 2024-02-01T00:00:00Z, the newest creation, history or won time, which is the as-of time; kept (expected close dates left on deals closed lost?)",
	}
	if got := warningStrings(&e.Report); !reflect.DeepEqual(got, wantWarnings) {
		t.Errorf("warnings:\n got %q\nwant %q", got, wantWarnings)
	}
	if op := e.Opportunities[1]; op.ID != "D6" || !op.CreatedAt.Equal(op.ClosedAt) || op.Attrs[AttrCreatedAsExported] != "2024-01-06T00:00:00Z" {
		t.Errorf("D6 = %+v", op)
	}
	if op := e.Opportunities[2]; op.Amount != 1200 || op.Outcome != OutcomeWon || op.Attrs["owner"] != "Ann" || op.Currency != "USD" {
		t.Errorf("D1 = %+v", op)
	}
	if op := e.Opportunities[3]; op.Outcome != OutcomeLost || op.Stage != "lost" {
		t.Errorf("D2 = %+v", op)
	}
}
