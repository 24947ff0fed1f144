package model

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestDefaultValidates(t *testing.T) {
	m := Default()
	if err := m.Validate(); err != nil {
		t.Fatalf("Default().Validate() = %v", err)
	}
	if m.Name != "default" || m.Handoff == nil || m.Start != nil || len(m.SLAs) != 2 {
		t.Errorf("Default() = name %q, handoff %v, start %v, %d SLAs; want the documented default", m.Name, m.Handoff, m.Start, len(m.SLAs))
	}
	// Default returns a fresh copy each time.
	m.Stages[0].Name = "changed"
	if Default().Stages[0].Name == "changed" {
		t.Error("Default() shares state between calls")
	}
	if !bytes.Equal(DefaultYAML(), defaultYAML) {
		t.Error("DefaultYAML() differs from the embedded text")
	}
}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   string
		want string // error; "" for success
	}{
		{"unknown-top-level-key", "name: x\ncurrency: USD\nquater_weeks: 13\n",
			`line 3: unknown key "quater_weeks"; did you mean "quarter_weeks"? (keys here: name, currency, time_zone, quarter_weeks, fiscal_year_start, forecast_start, quota, warmup_days, max_recycles, business_hours, stages, transitions, sources, handoff, slas, start, not_fitted)`},
		{"unknown-nested-key", "name: x\nstages:\n  - {name: a, team: sales, outcom: won}\n",
			`line 3: unknown key "outcom"; did you mean "outcome"? (keys here: name, label, team, outcome, opportunity, active, observations)`},
		{"unknown-team", "name: x\nstages:\n  - {name: a, team: finance}\n",
			`unknown team "finance" (want one of [marketing sdr sales])`},
		{"unknown-dist", "transitions:\n  - {from: a, to: b, p: 1, delay_days: {dist: normal}}\n",
			`unknown distribution "normal" (want one of [fixed exponential lognormal weibull gamma empirical])`},
		{"empty", "", "empty document"},
		{"two-documents", "name: x\n---\nname: y\n", "more than one YAML document; want one"},
		{"invalid", "name: x\ncurrency: USD\nquarter_weeks: 13\n",
			"invalid model:\nstages: got \"[]\", want at least one stage\nsources: got \"[]\", want at least one lead source"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("Parse() error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestParseJSON(t *testing.T) {
	want := Default()
	b, err := json.MarshalIndent(want, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("Parse(JSON of Default()) = %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Parse(JSON) differs from the model it encodes:\n got %+v\nwant %+v", got, want)
	}
	if got.Hash() != want.Hash() {
		t.Errorf("Hash() changed through JSON: %s vs %s", got.Hash(), want.Hash())
	}
	// An unknown key in JSON is an error too.
	bad := bytes.Replace(b, []byte(`"quota"`), []byte(`"qouta"`), 1)
	if _, err := Parse(bytes.NewReader(bad)); err == nil || !strings.Contains(err.Error(), `unknown key "qouta"`) {
		t.Errorf("Parse(JSON with qouta) error = %v, want unknown key qouta", err)
	}
}

func TestMarshalRoundTrip(t *testing.T) {
	for _, m := range []*Model{Default(), validModel()} {
		got, err := Parse(bytes.NewReader(Marshal(m)))
		if err != nil {
			t.Fatalf("Parse(Marshal(%s)) = %v", m.Name, err)
		}
		if got.Hash() != m.Hash() {
			t.Errorf("%s: Marshal/Parse round trip changed the model:\n%s", m.Name, Marshal(got))
		}
		c := m.Clone()
		if !reflect.DeepEqual(c, m) || c.Hash() != m.Hash() {
			t.Errorf("%s: Clone() differs", m.Name)
		}
	}
}

func TestScenarioApply(t *testing.T) {
	base := Default()
	baseHash := base.Hash()
	apply := func(t *testing.T, yaml string) *Model {
		t.Helper()
		s, err := ParseScenario(strings.NewReader(yaml))
		if err != nil {
			t.Fatalf("ParseScenario: %v", err)
		}
		m, err := s.Apply(base)
		if err != nil {
			t.Fatalf("Apply: %v", err)
		}
		return m
	}
	edge := func(m *Model, from, to string) *Transition {
		for i := range m.Transitions {
			if m.Transitions[i].From == from && m.Transitions[i].To == to {
				return &m.Transitions[i]
			}
		}
		return nil
	}

	t.Run("mapping-merges-key-by-key", func(t *testing.T) {
		m := apply(t, "name: s\nset:\n  handoff:\n    sdr: {headcount: 8}\n")
		want := base.Clone()
		want.Handoff.SDR.Headcount = 8
		if m.Hash() != want.Hash() {
			t.Errorf("got\n%s\nwant only headcount changed to 8", Marshal(m))
		}
	})
	t.Run("transitions-merge-by-from-to", func(t *testing.T) {
		m := apply(t, "name: s\nset:\n  transitions:\n    - {from: mql, to: tql, p: 0.68}\n    - {from: mql, to: disqualified, p: 0.32}\n")
		want := base.Clone()
		edge(want, "mql", "tql").P = 0.68
		edge(want, "mql", "disqualified").P = 0.32
		if m.Hash() != want.Hash() {
			t.Errorf("got\n%s\nwant only the two p's changed, delays kept", Marshal(m))
		}
	})
	t.Run("stages-merge-by-name-and-append", func(t *testing.T) {
		m := apply(t, "name: s\nset:\n  stages:\n    - {name: sal, team: sdr}\n    - {name: nurture, team: marketing}\n"+
			"  sources:\n    - {name: webinar, entry: nurture, rate_per_week: 5, deal_size: {dist: fixed, value: 1000}}\n")
		if len(m.Stages) != len(base.Stages)+1 || m.Stages[len(m.Stages)-1].Name != "nurture" {
			t.Errorf("stages = %v, want nurture appended", m.Stages)
		}
		if i := m.StageIndex("sal"); m.Stages[i].Team != SDR || i != base.StageIndex("sal") {
			t.Errorf("sal = %+v at %d, want team sdr in place", m.Stages[i], i)
		}
		if len(m.Sources) != 4 || m.Sources[3].Name != "webinar" || m.Sources[3].DealSize.Value != 1000 {
			t.Errorf("sources = %+v, want webinar appended", m.Sources)
		}
	})
	t.Run("remove", func(t *testing.T) {
		m := apply(t, "name: s\nset:\n  slas:\n    - {name: sales-accept-or-reject, remove: true}\n"+
			"  transitions:\n    - {from: sal, to: disqualified, remove: true}\n")
		if len(m.SLAs) != 1 || m.SLAs[0].Name != "sdr-first-touch" {
			t.Errorf("slas = %+v, want only sdr-first-touch", m.SLAs)
		}
		if len(m.Transitions) != len(base.Transitions)-1 || edge(m, "sal", "disqualified") != nil {
			t.Errorf("transition sal -> disqualified not removed")
		}
	})
	t.Run("start-leads-merge-by-stage-and-source", func(t *testing.T) {
		m := apply(t, "name: s\nset:\n  start:\n    leads:\n      - {stage: sal, source: web, count: 3, age_days: 2}\n      - {stage: sal, source: web, count: 7}\n")
		if m.Start == nil || len(m.Start.Leads) != 1 || m.Start.Leads[0] != (OpenLead{Stage: "sal", Source: "web", Count: 7, AgeDays: 2}) {
			t.Errorf("start = %+v, want one group of 7 aged 2 days", m.Start)
		}
	})
	if base.Hash() != baseHash {
		t.Fatal("Apply modified its base model")
	}

	for _, tt := range []struct{ name, in, want string }{
		{"unknown-key-in-set", "name: s\nset:\n  handoff:\n    sdr: {head_count: 8}\n",
			`scenario "s": unknown key "head_count"; did you mean "headcount"?`},
		{"remove-missing", "name: s\nset:\n  transitions:\n    - {from: mql, to: won, remove: true}\n",
			`scenario "s": transitions[0]: remove: no item with from=mql, to=won to remove`},
		{"list-item-not-mapping", "name: s\nset:\n  stages: [sal]\n",
			`scenario "s": stages[0]: got sal, want a mapping`},
		{"invalid-result", "name: s\nset:\n  handoff: {contact: 0}\n",
			"scenario \"s\" gives an invalid model:\nhandoff.contact: got 0, want a probability in (0,1]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseScenario(strings.NewReader(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Apply(base)
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("Apply error:\n got %v\nwant %s", err, tt.want)
			}
			if tt.name == "unknown-key-in-set" && !strings.Contains(err.Error(), `"head_count"`) || strings.Contains(err.Error(), "line ") {
				t.Errorf("Apply error %q does not name the unknown key", err)
			}
		})
	}
}

func TestParseScenario(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"unknown-key", "name: s\nsett: {}\n", `line 2: unknown key "sett"; did you mean "set"? (keys here: name, description, set)`},
		{"no-name", "description: x\n", `scenario: name: got "", want a non-empty name`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseScenario(strings.NewReader(tt.in))
			if err == nil || err.Error() != tt.want {
				t.Errorf("ParseScenario error:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestEmbeddedScenarios(t *testing.T) {
	want := []string{"baseline", "five-minute-sla", "raise-mql-threshold", "respond-24x7", "two-more-sdrs"}
	if got := Scenarios(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Scenarios() = %v, want %v", got, want)
	}
	base := Default()
	for _, name := range want {
		t.Run(name, func(t *testing.T) {
			s, err := EmbeddedScenario(name)
			if err != nil {
				t.Fatal(err)
			}
			m, err := s.Apply(base)
			if err != nil {
				t.Fatal(err)
			}
			changed := m.Hash() != base.Hash()
			if changed != (name != "baseline") {
				t.Errorf("Apply changed the model: %v", changed)
			}
		})
	}
	s, _ := EmbeddedScenario("respond-24x7")
	m, _ := s.Apply(base)
	if h := m.Handoff.SDR.Hours; !h.AroundTheClock() {
		t.Errorf("respond-24x7 hours = %+v, want around the clock", h)
	}
	if _, err := EmbeddedScenario("nope"); err == nil || err.Error() !=
		`no embedded scenario "nope" (have baseline, five-minute-sla, raise-mql-threshold, respond-24x7, two-more-sdrs)` {
		t.Errorf("EmbeddedScenario(nope) = %v", err)
	}
}

// TestParseErrorsExplained: the decoder's errors reach people rewritten:
// an unknown key with the one likely meant, a number written as text with
// how to write it, a tab named as such, a syntax error with its lines.
func TestParseErrorsExplained(t *testing.T) {
	src := string(DefaultYAML())
	for _, tc := range []struct {
		name, old, new string
		want           []string
	}{
		{"typo", "\nquota: ", "\nqouta: ", []string{`unknown key "qouta"; did you mean "quota"?`, "keys here: name, currency"}},
		{"nested typo", "{name: known, team: marketing}", "{name: known, teem: marketing}", []string{`unknown key "teem"; did you mean "team"?`}},
		{"suffix", "\nquota: 9500000", "\nquota: 9.5M", []string{`"9.5M" is not a number: write 9500000`}},
		{"currency", "\nquota: 9500000", "\nquota: $9,500,000", []string{`is not a number: write digits only`}},
		{"tab", "\n  - {name: known", "\n\t- {name: known", []string{"has a tab: YAML indents with spaces only"}},
		{"flow", "\nquota: 9500000", "\nquota: [9500000", []string{"| quota: [9500000"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(src, tc.old) {
				t.Fatalf("the default model lacks %q", tc.old)
			}
			_, err := Parse(strings.NewReader(strings.Replace(src, tc.old, tc.new, 1)))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	if got := closest("zzzzz", []string{"quota", "name"}); got != "" {
		t.Errorf("closest(zzzzz) = %q, want none", got)
	}
	if d := editDistance("qouta", "quota"); d != 1 {
		t.Errorf("editDistance(qouta, quota) = %d, want 1 (a swap)", d)
	}
}

// TestMarshalPlainNumbers: Marshal writes large and small floats without
// an exponent where that stays short, and they read back exactly.
func TestMarshalPlainNumbers(t *testing.T) {
	m := Default()
	m.Quota = 9.5e6
	m.Sources[0].RatePerWeek = 1.25e-5
	m.Handoff.Decay.Floor = 1e-300 // too long written out: left as is
	b := Marshal(m)
	for _, want := range []string{"quota: 9500000\n", "rate_per_week: 0.0000125\n", "floor: 1e-300"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("Marshal lacks %q", want)
		}
	}
	got, err := Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if got.Quota != m.Quota || got.Sources[0].RatePerWeek != m.Sources[0].RatePerWeek || got.Handoff.Decay.Floor != m.Handoff.Decay.Floor {
		t.Errorf("round trip: quota %v, rate %v, floor %v", got.Quota, got.Sources[0].RatePerWeek, got.Handoff.Decay.Floor)
	}
}
