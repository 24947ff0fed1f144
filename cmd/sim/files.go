package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/funnelsim/funnel/cmd/sim/internal/atomicfile"
	"github.com/funnelsim/funnel/model"
)

// writeFile writes data to path atomically (see package atomicfile).
func writeFile(path string, data []byte) error { return atomicfile.WriteFile(path, data) }

// printJSON writes v to w as indented JSON, for --json.
func printJSON(w io.Writer, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}

// noArgs reports positional arguments given to a command that takes none.
func noArgs(cmd string, rest []string) error {
	if len(rest) > 0 {
		return fmt.Errorf("%s: unexpected argument %q (flags start with --)", cmd, rest[0])
	}
	return nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, append(b, '\n'))
}

func writeCSV(path string, rows [][]string) error {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return writeFile(path, buf.Bytes())
}

// loadModel reads the model at path ("" means the embedded default) and
// applies the scenario, a file or the name of an embedded scenario ("" means
// none). It returns the model and the scenario's name.
func loadModel(path, scenario string) (*model.Model, string, error) {
	var m *model.Model
	if path == "" || path == "default" {
		m = model.Default()
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, "", err
		}
		defer f.Close()
		m, err = model.Parse(f)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", path, err)
		}
	}
	if scenario == "" {
		return m, "", nil
	}
	var sc *model.Scenario
	if f, err := os.Open(scenario); err == nil {
		defer f.Close()
		sc, err = model.ParseScenario(f)
		if err != nil {
			return nil, "", fmt.Errorf("%s: %w", scenario, err)
		}
	} else if strings.ContainsAny(scenario, "/.") {
		return nil, "", err
	} else {
		sc, err = model.EmbeddedScenario(scenario)
		if err != nil {
			return nil, "", err
		}
	}
	m, err := sc.Apply(m)
	if err != nil {
		return nil, "", err
	}
	return m, sc.Name, nil
}
