package model

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the text of the embedded default model, with its
// field-by-field documentation.
func DefaultYAML() []byte { return bytes.Clone(defaultYAML) }

// Default returns a fresh copy of the embedded default model.
func Default() *Model {
	m, err := Parse(bytes.NewReader(defaultYAML))
	if err != nil {
		panic("model: embedded default model: " + err.Error())
	}
	return m
}

// Parse reads a model in YAML or JSON (JSON is read as YAML) and validates
// it. Unknown keys are errors, reported with their line. It reads at most
// MaxModelBytes from r: a longer document is an error.
func Parse(r io.Reader) (*Model, error) {
	var m Model
	if err := decodeStrict(r, &m); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("invalid model:\n%w", err)
	}
	return &m, nil
}

// decodeStrict decodes the one YAML (or JSON) document r holds into v,
// refusing unknown keys and documents over MaxModelBytes.
func decodeStrict(r io.Reader, v any) error {
	src, err := io.ReadAll(io.LimitReader(r, MaxModelBytes+1))
	if err != nil {
		return err
	}
	if len(src) > MaxModelBytes {
		return fmt.Errorf("document larger than %d MiB; want a model or scenario of at most %d bytes", MaxModelBytes>>20, MaxModelBytes)
	}
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty document")
		}
		return explain(err, src, reflect.TypeOf(v).Elem())
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return errors.New("more than one YAML document; want one")
	}
	return nil
}

var (
	unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type [\w.]*?(\w+)$`)
	notNumber    = regexp.MustCompile("^line (\\d+): cannot unmarshal !!str `(.*)` into (float64|int)$")
	syntaxLine   = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	suffixed     = regexp.MustCompile(`^\$?([0-9]+(?:\.[0-9]+)?)\s*([kKmM])$`)
)

// explain rewrites the YAML decoder's error err about src, decoded into a
// value of type top, for people: an unknown key with the keys its place
// allows (and the likeliest meant), a number written as text with how to
// write it, a tab with the rule it breaks, and a syntax error with the
// lines around it (the parser may name the line before the one at fault).
func explain(err error, src []byte, top reflect.Type) error {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs := make([]string, len(te.Errors))
		for i, e := range te.Errors {
			msgs[i] = "yaml: " + e
			if m := unknownField.FindStringSubmatch(e); m != nil {
				keys := yamlKeys(top, m[3])
				msgs[i] = fmt.Sprintf("line %s: unknown key %q", m[1], m[2])
				if best := closest(m[2], keys); best != "" {
					msgs[i] += fmt.Sprintf("; did you mean %q?", best)
				}
				if len(keys) > 0 {
					msgs[i] += fmt.Sprintf(" (keys here: %s)", strings.Join(keys, ", "))
				}
			} else if m := notNumber.FindStringSubmatch(e); m != nil {
				msgs[i] = fmt.Sprintf("line %s: %q is not a number", m[1], m[2])
				if x := suffixed.FindStringSubmatch(strings.TrimSpace(m[2])); x != nil {
					v, _ := strconv.ParseFloat(x[1], 64)
					v *= map[string]float64{"k": 1e3, "m": 1e6}[strings.ToLower(x[2])]
					msgs[i] += fmt.Sprintf(": write %s", strconv.FormatFloat(v, 'f', -1, 64))
				} else {
					msgs[i] += ": write digits only, without currency signs, separators or suffixes"
				}
			}
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	m := syntaxLine.FindStringSubmatch(err.Error())
	if m == nil {
		return err
	}
	n, _ := strconv.Atoi(m[1])
	lines := strings.Split(string(src), "\n")
	msg := err.Error()
	for _, k := range []int{n, n + 1} {
		if k >= 1 && k <= len(lines) {
			if strings.Contains(lines[k-1], "\t") && strings.Contains(m[2], "cannot start any token") {
				msg += fmt.Sprintf("\n  line %d has a tab: YAML indents with spaces only", k)
			}
			msg += fmt.Sprintf("\n  %4d | %s", k, strings.TrimRight(lines[k-1], " \r"))
		}
	}
	return errors.New(msg)
}

// yamlKeys returns the YAML keys of the struct type named name reachable
// from t, in declaration order.
func yamlKeys(t reflect.Type, name string) []string {
	seen := map[reflect.Type]bool{}
	var find func(t reflect.Type) reflect.Type
	find = func(t reflect.Type) reflect.Type {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || seen[t] {
			return nil
		}
		seen[t] = true
		if t.Name() == name {
			return t
		}
		for i := range t.NumField() {
			if f := find(t.Field(i).Type); f != nil {
				return f
			}
		}
		return nil
	}
	st := find(t)
	if st == nil {
		return nil
	}
	var keys []string
	for i := range st.NumField() {
		f := st.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if tag == "-" || !f.IsExported() {
			continue
		}
		if tag == "" {
			tag = strings.ToLower(f.Name)
		}
		keys = append(keys, tag)
	}
	return keys
}

// closest returns the key of keys nearest to s by edit distance, if it is
// near enough to be a slip (at most a third of its letters), else "".
func closest(s string, keys []string) string {
	best, bd := "", len(s)/3+1
	for _, k := range keys {
		if d := editDistance(s, k); d < bd {
			best, bd = k, d
		}
	}
	return best
}

// editDistance is the Damerau-Levenshtein distance (optimal string
// alignment) between a and b: the edits, counting a swap of neighbours as
// one, that turn a into b.
func editDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// Marshal returns m as YAML, with numbers as people write them: 9500000,
// not 9.5e+06.
func Marshal(m *Model) []byte {
	var n yaml.Node
	if err := n.Encode(m); err != nil {
		panic("model: " + err.Error())
	}
	plainFloats(&n)
	b, err := yaml.Marshal(&n)
	if err != nil {
		panic("model: " + err.Error())
	}
	return b
}

// plainFloats rewrites, in the tree under n, the floats the encoder wrote
// with an exponent in positional notation, where that is at most 21 digits
// long (the same value: FormatFloat's shortest digits).
func plainFloats(n *yaml.Node) {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!float" && strings.ContainsAny(n.Value, "eE") {
		if v, err := strconv.ParseFloat(n.Value, 64); err == nil {
			if s := strconv.FormatFloat(v, 'f', -1, 64); len(s) <= 21 {
				n.Value, n.Tag = s, "" // untagged: 9500000 reads as an int, into a float field
			}
		}
	}
	for _, c := range n.Content {
		plainFloats(c)
	}
}
