package model

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Scenario is a named set of overrides on a base model: "two more SDRs",
// "respond around the clock". Set is a partial model in the model's own
// YAML form; Apply merges it into the base:
//
//   - a mapping merges key by key, recursively;
//   - the lists stages, sources and slas merge item by item, matched by
//     name; transitions by the pair from, to; start.leads by stage and
//     source; an item that matches none is appended;
//   - any other value (numbers, strings, other lists) replaces the base's.
//
// An item with "remove: true" deletes the matched item.
type Scenario struct {
	Name        string         `yaml:"name" json:"name"`
	Description string         `yaml:"description,omitempty" json:"description,omitempty"`
	Set         map[string]any `yaml:"set,omitempty" json:"set,omitempty"`
}

//go:embed scenarios/*.yaml
var scenarioFS embed.FS

// Scenarios returns the names of the embedded example scenarios, sorted.
func Scenarios() []string {
	ents, _ := fs.ReadDir(scenarioFS, "scenarios")
	var names []string
	for _, e := range ents {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names
}

// EmbeddedScenario returns the embedded scenario called name.
func EmbeddedScenario(name string) (*Scenario, error) {
	b, err := scenarioFS.ReadFile(path.Join("scenarios", name+".yaml"))
	if err != nil {
		return nil, fmt.Errorf("no embedded scenario %q (have %s)", name, strings.Join(Scenarios(), ", "))
	}
	return ParseScenario(bytes.NewReader(b))
}

// ParseScenario reads a scenario in YAML or JSON. Unknown top-level keys
// are errors; keys inside Set are checked when the scenario is applied. It
// reads at most MaxModelBytes from r: a longer document is an error.
func ParseScenario(r io.Reader) (*Scenario, error) {
	var s Scenario
	if err := decodeStrict(r, &s); err != nil {
		return nil, err
	}
	if s.Name == "" {
		return nil, fmt.Errorf("scenario: name: got \"\", want a non-empty name")
	}
	return &s, nil
}

// Apply returns a new model: base with s's overrides, validated. base is
// not modified.
func (s *Scenario) Apply(base *Model) (*Model, error) {
	b, err := json.Marshal(base)
	if err != nil {
		return nil, err
	}
	var tree map[string]any
	if err := json.Unmarshal(b, &tree); err != nil {
		return nil, err
	}
	merged, err := merge(tree, s.Set, "")
	if err != nil {
		return nil, fmt.Errorf("scenario %q: %w", s.Name, err)
	}
	y, err := yaml.Marshal(merged)
	if err != nil {
		return nil, err
	}
	var m Model
	if err := decodeStrict(bytes.NewReader(y), &m); err != nil {
		// Its lines are those of the merged document, not of any file.
		return nil, fmt.Errorf("scenario %q: %s", s.Name, mergedLine.ReplaceAllString(err.Error(), ""))
	}
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("scenario %q gives an invalid model:\n%w", s.Name, err)
	}
	return &m, nil
}

var mergedLine = regexp.MustCompile(`(?m)^line \d+: `)

// listKeys names the fields that identify items of a mergeable list.
var listKeys = map[string][]string{
	"stages":      {"name"},
	"sources":     {"name"},
	"slas":        {"name"},
	"transitions": {"from", "to"},
	"start.leads": {"stage", "source"},
}

func merge(base, over any, at string) (any, error) {
	switch o := over.(type) {
	case map[string]any:
		b, ok := base.(map[string]any)
		if !ok || b == nil {
			b = map[string]any{}
		}
		out := make(map[string]any, len(b)+len(o))
		for k, v := range b {
			out[k] = v
		}
		for k, v := range o {
			p := k
			if at != "" {
				p = at + "." + k
			}
			mv, err := merge(b[k], v, p)
			if err != nil {
				return nil, err
			}
			out[k] = mv
		}
		return out, nil
	case []any:
		keys, ok := listKeys[at]
		if !ok {
			return o, nil
		}
		b, _ := base.([]any)
		out := slices.Clone(b)
		for i, item := range o {
			im, ok := item.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s[%d]: got %v, want a mapping", at, i, item)
			}
			j := slices.IndexFunc(out, func(x any) bool {
				xm, ok := x.(map[string]any)
				if !ok {
					return false
				}
				for _, k := range keys {
					if fmt.Sprint(xm[k]) != fmt.Sprint(im[k]) {
						return false
					}
				}
				return true
			})
			if rm, _ := im["remove"].(bool); rm {
				if j < 0 {
					return nil, fmt.Errorf("%s[%d]: remove: no item with %s to remove", at, i, describe(im, keys))
				}
				out = slices.Delete(out, j, j+1)
				continue
			}
			if j < 0 {
				out = append(out, im)
				continue
			}
			mv, err := merge(out[j], im, at+"[]")
			if err != nil {
				return nil, err
			}
			out[j] = mv
		}
		return out, nil
	}
	return over, nil
}

func describe(m map[string]any, keys []string) string {
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%v", k, m[k]))
	}
	return strings.Join(parts, ", ")
}
