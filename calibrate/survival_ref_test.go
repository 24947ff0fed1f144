package calibrate_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/funnelsim/funnel/calibrate"
	"github.com/funnelsim/funnel/data"
	"github.com/funnelsim/funnel/model"
)

// referenceDays are the times (days) the estimates are compared at.
var referenceDays = []float64{7, 14, 30, 60, 90, 180, 365}

// readReference reads the columns of survival_reference.golden (the R
// output, '#' lines skipped), by day.
func readReference(t *testing.T, b []byte) [][]float64 {
	t.Helper()
	var rows [][]float64
	for _, line := range strings.Split(string(b), "\n") {
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "days") {
			continue
		}
		var row []float64
		for _, f := range strings.Split(line, ",") {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("reference %q: %v", line, err)
			}
			row = append(row, v)
		}
		rows = append(rows, row)
	}
	if len(rows) != len(referenceDays) {
		t.Fatalf("reference has %d rows, want %d", len(rows), len(referenceDays))
	}
	return rows
}

// TestSurvivalReference calibrates a two-stage export (mql -> won only,
// testdata/survival_reference.csv) with the base model
// testdata/two_stage.yaml and checks its nonparametric estimates against R's
// survival package (testdata/survival_reference.R, whose output is the
// golden survival_reference.golden) to 1e-9 at 7 to 365 days: the
// Aalen-Johansen cumulative incidence of won, the Kaplan-Meier survival,
// and the Kaplan-Meier with delayed entry (Obs.Entry) against
// survfit(Surv(entry, time, event)).
//
// The rule for events at or before time 0, as in R's script: a won dated
// at or before its lead's mql entry is a delay of 0 (the export readers
// date an outcome recorded before its lead's creation at the creation, and
// count it), an event at time 0 in the risk set of every lead.
//
// When Rscript is on the PATH the script is run again and its output
// compared with the golden too.
func TestSurvivalReference(t *testing.T) {
	golden, err := os.ReadFile("testdata/survival_reference.golden")
	if err != nil {
		t.Fatal(err)
	}
	ref := readReference(t, golden)
	if _, err := exec.LookPath("Rscript"); err == nil {
		cmd := exec.Command("Rscript", "survival_reference.R")
		cmd.Dir = "testdata"
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("Rscript: %v", err)
		}
		again := readReference(t, out)
		for i := range ref {
			for j := range ref[i] {
				if math.Abs(again[i][j]-ref[i][j]) > 1e-12 {
					t.Errorf("Rscript now gives %v at row %d column %d, the golden %v", again[i][j], i, j, ref[i][j])
				}
			}
		}
	} else {
		t.Log("Rscript not on PATH: compared with the committed R output only")
	}

	f, err := os.Open("testdata/two_stage.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, err := model.Parse(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("testdata/survival_reference.csv")
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	e := &data.Export{AsOf: asOf}
	var times []float64 // days from mql to won (0 at or before) or to the as-of
	var events []bool
	for _, r := range recs[1:] {
		mql, err := time.Parse(time.RFC3339, r[1])
		if err != nil {
			t.Fatal(err)
		}
		e.Leads = append(e.Leads, data.Lead{ID: r[0], CreatedAt: mql, Source: "web"})
		e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: r[0], Stage: "mql", At: mql})
		end, won := asOf, r[2] != ""
		if won {
			if end, err = time.Parse(time.RFC3339, r[2]); err != nil {
				t.Fatal(err)
			}
			end = later(end, mql) // the readers' rule: dated at creation
			e.StageEvents = append(e.StageEvents, data.StageEvent{LeadID: r[0], Stage: "won", At: end})
		}
		times = append(times, end.Sub(mql).Hours()/24)
		events = append(events, won)
	}
	res, err := calibrate.Calibrate(e, calibrate.Config{Base: base})
	if err != nil {
		t.Fatal(err)
	}
	var sf *calibrate.StageFit
	for i := range res.Stages {
		if res.Stages[i].Stage == "mql" {
			sf = &res.Stages[i]
		}
	}
	if sf == nil || sf.N != len(recs)-1 {
		t.Fatalf("stage fits %+v: want mql with %d stays", res.Stages, len(recs)-1)
	}
	var delayed []calibrate.Obs
	for i, x := range times {
		if x == 0 {
			continue // survfit's counting form needs time > entry
		}
		o := calibrate.Obs{T: x, Event: events[i]}
		if i%2 == 1 {
			o.Entry = x / 2
		}
		delayed = append(delayed, o)
	}
	lt := calibrate.KaplanMeier(delayed)
	for i, d := range referenceDays {
		for _, c := range []struct {
			name      string
			got, want float64
		}{
			{"Aalen-Johansen CIF of won", sf.CIF.At(1, d), ref[i][1]},
			{"Kaplan-Meier survival", sf.Exit.At(d), ref[i][2]},
			{"Kaplan-Meier with delayed entry", lt.At(d), ref[i][3]},
		} {
			if math.Abs(c.got-c.want) > 1e-9 {
				t.Errorf("%s at %v days: %.15g, R %.15g", c.name, d, c.got, c.want)
			}
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
