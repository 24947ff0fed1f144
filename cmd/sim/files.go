package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/funnelsim/funnel/model"
)

// writeFile writes data to path atomically: to a temporary file in the
// same directory, synced, then renamed over path.
func writeFile(path string, data []byte) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
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
