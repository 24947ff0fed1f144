package model

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"

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
// it. Unknown keys are errors, reported with their line.
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

func decodeStrict(r io.Reader, v any) error {
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("empty document")
		}
		return err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return errors.New("more than one YAML document; want one")
	}
	return nil
}

// Marshal returns m as YAML.
func Marshal(m *Model) []byte {
	b, err := yaml.Marshal(m)
	if err != nil {
		panic("model: " + err.Error())
	}
	return b
}
