package model

import (
	"fmt"
	"math"
	"slices"
)

// DecayForm names the shape of the response-time decay curve.
type DecayForm int

const (
	NoDecay  DecayForm = iota // m(t) = 1
	ExpFloor                  // m(t) = f + (1-f)·exp(-t/τ)
	Hill                      // m(t) = f + (1-f)/(1+(t/t50)^k)
)

var decayNames = [...]string{"none", "exponential", "hill"}

func (f DecayForm) String() string {
	if f < 0 || int(f) >= len(decayNames) {
		return fmt.Sprintf("DecayForm(%d)", int(f))
	}
	return decayNames[f]
}

// MarshalText implements encoding.TextMarshaler.
func (f DecayForm) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (f *DecayForm) UnmarshalText(b []byte) error {
	i := slices.Index(decayNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("unknown decay form %q (want one of %v)", b, decayNames)
	}
	*f = DecayForm(i)
	return nil
}

// Decay is the response-time decay curve m(t), t in minutes of wall-clock
// time between a lead entering the handoff stage and its first touch.
// m(0) = 1 and m decreases to the floor f. The probability of contacting a
// lead first touched after t minutes is Handoff.Contact·m(t).
//
//	none:        m(t) = 1
//	exponential: m(t) = f + (1-f)·exp(-t/Tau)
//	hill:        m(t) = f + (1-f)/(1+(t/T50)^K)
type Decay struct {
	Form  DecayForm `yaml:"form" json:"form"`
	Floor float64   `yaml:"floor,omitempty" json:"floor,omitempty"`             // f, in [0,1]
	Tau   float64   `yaml:"tau_minutes,omitempty" json:"tau_minutes,omitempty"` // τ > 0 (exponential)
	T50   float64   `yaml:"t50_minutes,omitempty" json:"t50_minutes,omitempty"` // half-life t50 > 0 (hill)
	K     float64   `yaml:"k,omitempty" json:"k,omitempty"`                     // Hill exponent > 0
}

// At returns m(t) for t minutes; t < 0 is treated as 0.
func (d *Decay) At(t float64) float64 {
	if t < 0 {
		t = 0
	}
	switch d.Form {
	case NoDecay:
		return 1
	case ExpFloor:
		return d.Floor + (1-d.Floor)*math.Exp(-t/d.Tau)
	case Hill:
		return d.Floor + (1-d.Floor)/(1+math.Pow(t/d.T50, d.K))
	}
	panic("model: invalid DecayForm " + d.Form.String())
}

// OddsRatio returns the odds of contact at t1 minutes over the odds at t2
// minutes, for a contact probability c0·m(t): [p1/(1-p1)] / [p2/(1-p2)].
func (d *Decay) OddsRatio(c0, t1, t2 float64) float64 {
	p1, p2 := c0*d.At(t1), c0*d.At(t2)
	return p1 / (1 - p1) / (p2 / (1 - p2))
}

func (d *Decay) validate(path string) error {
	if !(d.Floor >= 0 && d.Floor <= 1) {
		return fieldErr(path+".floor", d.Floor, "a probability in [0,1]")
	}
	switch d.Form {
	case NoDecay:
	case ExpFloor:
		if !(d.Tau > 0) || math.IsInf(d.Tau, 0) {
			return fieldErr(path+".tau_minutes", d.Tau, "a positive number of minutes")
		}
	case Hill:
		if !(d.T50 > 0) || math.IsInf(d.T50, 0) {
			return fieldErr(path+".t50_minutes", d.T50, "a positive number of minutes")
		}
		if !(d.K > 0) || math.IsInf(d.K, 0) {
			return fieldErr(path+".k", d.K, "a positive exponent")
		}
	default:
		return fieldErr(path+".form", d.Form, fmt.Sprintf("one of %v", decayNames))
	}
	return nil
}
