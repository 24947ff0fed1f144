package model

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// crasherYAML returns the default model's YAML with old replaced by new:
// the reported crashers, as model files.
func crasherYAML(old, new string) []byte {
	return []byte(strings.Replace(string(DefaultYAML()), old, new, 1))
}

var crashers = [][2]string{
	{"{dist: lognormal, median: 14, sigma: 1.0}", "{dist: lognormal, median: 14, sigma: 40}"},
	{"{dist: lognormal, median: 14, sigma: 1.0}", "{dist: lognormal, median: 14, sigma: 75}"},
	{"profile: {shape: business}", "profile: {weights: " + weightsYAML("5e-324", "5e-324") + "}"},
	{"profile: {shape: business}", "profile: {weights: " + weightsYAML(".inf", "1") + "}"},
	{"profile: {shape: business}", "profile: {weights: " + weightsYAML("1e308", "1e308") + "}"},
	{"deal_size: {dist: lognormal, median: 22000, sigma: 0.7}", "deal_size: {dist: lognormal, median: 1e300, sigma: 5}"},
	{"rate_per_week: 2000", "rate_per_week: 1e12"},
	{"headcount: 6", "headcount: 1000000000"},
	{"max_recycles: 2", "max_recycles: 1000000"},
}

// weightsYAML returns 7 rows of 24 weights in YAML flow style: first,
// then w everywhere else.
func weightsYAML(first, w string) string {
	rows := make([]string, 7)
	for d := range rows {
		row := make([]string, 24)
		for h := range row {
			row[h] = w
		}
		if d == 0 {
			row[0] = first
		}
		rows[d] = "[" + strings.Join(row, ", ") + "]"
	}
	return "[" + strings.Join(rows, ", ") + "]"
}

// checkParsed checks, for a document Parse read in under a second, that
// the model is valid and that its JSON encoding (what Clone and
// Scenario.Apply go through) parses to the same model.
func checkParsed(t *testing.T, src []byte) {
	start := time.Now()
	m, err := Parse(bytes.NewReader(src))
	if d := time.Since(start); d > time.Second {
		t.Fatalf("Parse took %v, want under a second", d)
	}
	if err != nil {
		return
	}
	if err := m.Validate(); err != nil {
		t.Fatalf("Parse returned an invalid model: %v", err)
	}
	j, err := json.Marshal(m)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	m2, err := Parse(bytes.NewReader(j))
	if err != nil {
		t.Fatalf("Parse of its JSON: %v", err)
	}
	if m2.Hash() != m.Hash() {
		t.Fatalf("the model's JSON parses to another model")
	}
}

// TestCrashersRefused: each reported crasher, as a model file, is refused
// by Parse naming the field.
func TestCrashersRefused(t *testing.T) {
	want := []string{
		`transitions[1].delay_days.sigma: got 40, want at most 10 (draws span e^(±8.5·sigma) times the median)`,
		`transitions[1].delay_days.sigma: got 75, want at most 10 (draws span e^(±8.5·sigma) times the median)`,
		`sources[0].profile.weights: got "weights summing to 8.3e-322", want a sum in [1e-300,1e+300] (only ratios matter: scale them)`,
		`sources[0].profile.weights[0][0]: got +Inf, want a finite weight`,
		`sources[0].profile.weights: got "weights summing to +Inf", want a sum in [1e-300,1e+300] (only ratios matter: scale them)`,
		`sources[0].deal_size.median: got 1e+300, want at most 1e+15`,
		`sources[0].rate_per_week: got 1e+12, want at most 1e+06 leads a week`,
		`handoff.sdr.headcount: got 1000000000, want a number of SDRs in [1,10000]`,
		`max_recycles: got 1000000, want at most 20 recycles`,
	}
	for i, c := range crashers {
		_, err := Parse(bytes.NewReader(crasherYAML(c[0], c[1])))
		if w := "invalid model:\n" + want[i]; err == nil || err.Error() != w {
			t.Errorf("%s:\n got %v\nwant %s", c[1], err, w)
		}
	}
}

// FuzzParse reads model files in YAML: Parse must not panic, must answer
// in under a second, and must return only valid models.
func FuzzParse(f *testing.F) {
	f.Add(DefaultYAML())
	for _, c := range crashers {
		f.Add(crasherYAML(c[0], c[1]))
	}
	f.Add([]byte(billionLaughs("", "quota", 10)))
	f.Fuzz(func(t *testing.T, src []byte) { checkParsed(t, src) })
}

// FuzzParseJSON reads model files in JSON (Parse reads JSON as YAML).
func FuzzParseJSON(f *testing.F) {
	for _, src := range [][]byte{DefaultYAML()} {
		m, err := Parse(bytes.NewReader(src))
		if err != nil {
			f.Fatal(err)
		}
		j, _ := json.Marshal(m)
		f.Add(j)
	}
	for _, c := range []struct{ old, new string }{
		{`"sigma":1,`, `"sigma":40,`},
		{`"rate_per_week":2000`, `"rate_per_week":1e12`},
		{`"headcount":6`, `"headcount":1000000000`},
		{`"max_recycles":2`, `"max_recycles":1000000`},
		{`"shape":"business"`, `"weights":` + weightsYAML("5e-324", "5e-324")},
		{`"shape":"business"`, `"weights":` + weightsYAML("1e308", "1e308")},
	} {
		j, _ := json.Marshal(Default())
		f.Add(bytes.Replace(j, []byte(c.old), []byte(c.new), 1))
	}
	f.Fuzz(func(t *testing.T, src []byte) { checkParsed(t, src) })
}

// FuzzParseScenario reads scenarios and applies them to the default
// model: neither may panic or take a second, and Apply returns only
// valid models.
func FuzzParseScenario(f *testing.F) {
	for _, name := range Scenarios() {
		b, _ := scenarioFS.ReadFile("scenarios/" + name + ".yaml")
		f.Add(b)
	}
	f.Add([]byte("name: s\nset:\n" + indent(billionLaughs("", "quota", 10))))
	f.Add([]byte("name: s\nset: {sources: [{name: web, rate_per_week: 1e12}]}\n"))
	f.Add([]byte("name: s\nset: {transitions: [{from: known, to: engaged, delay_days: {sigma: 40}}]}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		start := time.Now()
		s, err := ParseScenario(bytes.NewReader(src))
		if err == nil {
			m, err := s.Apply(Default())
			if err == nil {
				if err := m.Validate(); err != nil {
					t.Fatalf("Apply returned an invalid model: %v", err)
				}
			}
		}
		if d := time.Since(start); d > time.Second {
			t.Fatalf("parsing and applying took %v, want under a second", d)
		}
	})
}
