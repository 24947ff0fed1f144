package calibrate

import (
	"fmt"
	"math"
	"time"
)

// SchemaVersion is the major version of ParametersFile's JSON form
// (parameters.json). It changes when a field is renamed or removed or
// changes meaning; a field added leaves it as it is.
const SchemaVersion = 1

// CheckSchema returns an error when v, the schema_version of a file named
// file, is not a version this package reads: newer than SchemaVersion, or
// below 0. A missing version (0) is a file written before versions were
// recorded, read as version 1.
func CheckSchema(file string, v int) error {
	if v < 0 || v > SchemaVersion {
		return fmt.Errorf("%s: schema_version %d: this sim reads versions up to %d; use the sim that wrote it, or calibrate again with this one", file, v, SchemaVersion)
	}
	return nil
}

// ParametersFile is a calibration's parameters in their JSON form, as sim
// calibrate writes them to parameters.json.
type ParametersFile struct {
	SchemaVersion int `json:"schema_version"` // SchemaVersion
	// Model is the calibrated model's name and ModelHash its hash as it
	// reads back from its file (model.Model.Hash): a forecast of that file
	// records the same hash. Both are empty in files written before they
	// were recorded.
	Model      string      `json:"model,omitempty"`
	ModelHash  string      `json:"model_hash,omitempty"`
	AsOf       time.Time   `json:"as_of"` // the export's as-of instant
	Parameters []ParamJSON `json:"parameters"`
	Warnings   []string    `json:"warnings"` // the fit's caveats, one sentence each
}

// ParamJSON is a Param in its JSON form: an interval end that is not
// finite is null.
type ParamJSON struct {
	Path      string   `json:"path"`
	Estimate  float64  `json:"estimate"`
	Lower     *float64 `json:"lower"`
	Upper     *float64 `json:"upper"`
	N         int      `json:"n"`
	Method    string   `json:"method"`
	Posterior string   `json:"posterior,omitempty"`
}

// NewParametersFile returns r's parameters and warnings in their JSON
// form, with the name and hash of the model as its file reads back
// (hash: "" when not known).
func NewParametersFile(r *Result, hash string) ParametersFile {
	fin := func(v float64) *float64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil
		}
		return &v
	}
	f := ParametersFile{SchemaVersion: SchemaVersion, ModelHash: hash, AsOf: r.AsOf}
	if r.Model != nil {
		f.Model = r.Model.Name
	}
	for _, p := range r.Params {
		f.Parameters = append(f.Parameters, ParamJSON{p.Path, p.Estimate, fin(p.Lower), fin(p.Upper), p.N, p.Method, p.Posterior})
	}
	for _, w := range r.Warnings {
		f.Warnings = append(f.Warnings, w.Error())
	}
	return f
}
