package model

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestWarmupDaysNeededHuge: a delay whose 95th percentile is too large
// for an int (a Weibull of shape 0.01: 5e47 days) or not a number gives
// the two-year cap, not a negative warm-up (which the engine turned into
// makeslice: len out of range).
func TestWarmupDaysNeededHuge(t *testing.T) {
	for _, tt := range []struct {
		name  string
		delay Dist
	}{
		{"weibull-shape-0.01", Dist{Form: Weibull, Shape: MinShape, Scale: 40}},
		{"lognormal-at-limits", Dist{Form: LogNormal, Median: MaxDays, Sigma: MaxSigma}},
		{"lognormal-sigma-40", Dist{Form: LogNormal, Median: 6, Sigma: 40}}, // invalid, but computed
		{"lognormal-sigma-75", Dist{Form: LogNormal, Median: 6, Sigma: 75}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := Default()
			m.Transitions[0].Delay = tt.delay
			if got := m.WarmupDaysNeeded(); got != 730 {
				t.Errorf("WarmupDaysNeeded() = %v, want 730", got)
			}
		})
	}
}

// billionLaughs returns a YAML document whose key key holds 9^levels
// strings through nested aliases, after the text before.
func billionLaughs(before, key string, levels int) string {
	var b strings.Builder
	b.WriteString(before)
	b.WriteString("x0: &x0 [1, 1, 1, 1, 1, 1, 1, 1, 1]\n")
	for i := 1; i < levels; i++ {
		fmt.Fprintf(&b, "x%d: &x%d [", i, i)
		for j := range 9 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*x%d", i-1)
		}
		b.WriteString("]\n")
	}
	fmt.Fprintf(&b, "%s: *x%d\n", key, levels-1)
	return b.String()
}

// TestParseRefusesAbuse: an alias bomb and an oversized document are
// refused at once, as models and as scenarios.
func TestParseRefusesAbuse(t *testing.T) {
	big := "name: x\n# " + strings.Repeat("x", MaxModelBytes) + "\n"
	for _, tt := range []struct {
		name     string
		parse    func(string) error
		in, want string
	}{
		{"model-too-large", parseModel, big, "document larger than 4 MiB; want a model or scenario of at most 4194304 bytes"},
		{"scenario-too-large", parseScenario, big, "document larger than 4 MiB; want a model or scenario of at most 4194304 bytes"},
		{"scenario-alias-bomb", parseScenario, "name: s\nset:\n" + indent(billionLaughs("", "quota", 10)), "yaml: document contains excessive aliasing"},
		// A model has no free-form field: the bomb is refused by type.
		{"model-alias-bomb", parseModel, "quota:\n" + indent(billionLaughs("", "x", 10)), "yaml: line 2: cannot unmarshal !!map into float64"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			err := tt.parse(tt.in)
			if err == nil || err.Error() != tt.want {
				t.Errorf("error:\n got %v\nwant %s", err, tt.want)
			}
			if d := time.Since(start); d > time.Second {
				t.Errorf("refused after %v, want under a second", d)
			}
		})
	}
}

func parseModel(s string) error {
	_, err := Parse(strings.NewReader(s))
	return err
}

func parseScenario(s string) error {
	_, err := ParseScenario(strings.NewReader(s))
	return err
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}

// TestParseAtSizeLimit: a document of exactly MaxModelBytes is read.
func TestParseAtSizeLimit(t *testing.T) {
	y := DefaultYAML()
	pad := MaxModelBytes - len(y) - 4
	doc := append(append(y, "\n# "...), bytes.Repeat([]byte("x"), pad)...)
	doc = append(doc, '\n')
	if len(doc) != MaxModelBytes {
		t.Fatalf("test document of %d bytes, want %d", len(doc), MaxModelBytes)
	}
	if _, err := Parse(bytes.NewReader(doc)); err != nil {
		t.Errorf("Parse(%d bytes) = %v, want the default model", len(doc), err)
	}
}

// TestNotFittedBounded: not_fitted is text for a terminal: one line each,
// bounded, no control characters (an escape sequence is refused).
func TestNotFittedBounded(t *testing.T) {
	for _, tt := range []struct {
		v  []string
		ok bool
	}{
		{[]string{"sources[web].rate_per_week = 2000: all leads created at once"}, true},
		{[]string{"a\x1b[2Jcleared"}, false},
		{[]string{"two\nlines"}, false},
		{[]string{strings.Repeat("x", MaxNotFittedBytes+1)}, false},
		{make([]string, MaxNotFitted+1), false},
	} {
		m := Default()
		m.NotFitted = tt.v
		if err := m.Validate(); (err == nil) != tt.ok {
			t.Errorf("not_fitted %.40q: Validate() = %v; want ok %v", tt.v, err, tt.ok)
		}
	}
}
