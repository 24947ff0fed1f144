package model

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/mathext"
	"gonum.org/v1/gonum/stat/distuv"
)

// DistForm names a family of non-negative distributions.
type DistForm int

const (
	Fixed       DistForm = iota // a constant: Value
	Exponential                 // mean Mean
	LogNormal                   // median Median, log-scale standard deviation Sigma
	Weibull                     // shape Shape (k), scale Scale (λ)
	Gamma                       // shape Shape (α), mean Mean
	Empirical                   // uniform draws from Values
)

var distNames = [...]string{"fixed", "exponential", "lognormal", "weibull", "gamma", "empirical"}

func (f DistForm) String() string {
	if f < 0 || int(f) >= len(distNames) {
		return fmt.Sprintf("DistForm(%d)", int(f))
	}
	return distNames[f]
}

// MarshalText implements encoding.TextMarshaler.
func (f DistForm) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (f *DistForm) UnmarshalText(b []byte) error {
	i := slices.Index(distNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("unknown distribution %q (want one of %v)", b, distNames)
	}
	*f = DistForm(i)
	return nil
}

// Dist is a non-negative distribution. Its unit is the unit of the field
// holding it (days for delays, minutes for handling times, currency for
// amounts). Only the parameters of its Form are used:
//
//	fixed:       Value
//	exponential: Mean                   (rate 1/Mean)
//	lognormal:   Median, Sigma          (log X ~ N(log Median, Sigma²))
//	weibull:     Shape k, Scale λ       (S(x) = exp(-(x/λ)^k))
//	gamma:       Shape α, Mean          (rate α/Mean)
//	empirical:   Values                 (each value equally likely)
type Dist struct {
	Form   DistForm  `yaml:"dist" json:"dist"`
	Value  float64   `yaml:"value,omitempty" json:"value,omitempty"`
	Mean   float64   `yaml:"mean,omitempty" json:"mean,omitempty"`
	Median float64   `yaml:"median,omitempty" json:"median,omitempty"`
	Sigma  float64   `yaml:"sigma,omitempty" json:"sigma,omitempty"`
	Shape  float64   `yaml:"shape,omitempty" json:"shape,omitempty"`
	Scale  float64   `yaml:"scale,omitempty" json:"scale,omitempty"`
	Values []float64 `yaml:"values,omitempty,flow" json:"values,omitempty"`
}

// validate checks d's parameters, those carrying d's unit against limit
// (MaxDays in days for delays, MaxAmount for amounts) in unit, as named in
// the messages.
func (d *Dist) validate(path string, limit float64, unit string) error {
	pos := func(name string, v float64) error {
		if !(v > 0) || math.IsInf(v, 0) {
			return fieldErr(path+"."+name, v, "a positive finite number")
		}
		return nil
	}
	atMost := func(name string, v float64) error {
		if v > limit {
			return fieldErr(path+"."+name, v, fmt.Sprintf("at most %g%s", limit, unit))
		}
		return nil
	}
	shape := func() error {
		if err := pos("shape", d.Shape); err != nil {
			return err
		}
		if !(d.Shape >= MinShape && d.Shape <= MaxShape) {
			return fieldErr(path+".shape", d.Shape, fmt.Sprintf("a shape in [%g,%g]", float64(MinShape), float64(MaxShape)))
		}
		return nil
	}
	first := func(errs ...error) error {
		for _, err := range errs {
			if err != nil {
				return err
			}
		}
		return nil
	}
	switch d.Form {
	case Fixed:
		if !(d.Value >= 0) || math.IsInf(d.Value, 0) {
			return fieldErr(path+".value", d.Value, "a non-negative finite number")
		}
		return atMost("value", d.Value)
	case Exponential:
		return first(pos("mean", d.Mean), atMost("mean", d.Mean))
	case LogNormal:
		if err := first(pos("median", d.Median), atMost("median", d.Median), pos("sigma", d.Sigma)); err != nil {
			return err
		}
		if d.Sigma > MaxSigma {
			return fieldErr(path+".sigma", d.Sigma, fmt.Sprintf("at most %d (draws span e^(±8.5·sigma) times the median)", MaxSigma))
		}
	case Weibull:
		return first(shape(), pos("scale", d.Scale), atMost("scale", d.Scale))
	case Gamma:
		return first(shape(), pos("mean", d.Mean), atMost("mean", d.Mean))
	case Empirical:
		if len(d.Values) == 0 {
			return fieldErr(path+".values", "[]", "at least one value")
		}
		if len(d.Values) > MaxEmpiricalValues {
			return fieldErr(path+".values", fmt.Sprintf("%d values", len(d.Values)), fmt.Sprintf("at most %d values", MaxEmpiricalValues))
		}
		for i, v := range d.Values {
			if !(v >= 0) || math.IsInf(v, 0) {
				return fieldErr(fmt.Sprintf("%s.values[%d]", path, i), v, "a non-negative finite number")
			}
			if err := atMost(fmt.Sprintf("values[%d]", i), v); err != nil {
				return err
			}
		}
	default:
		return fieldErr(path+".dist", d.Form, fmt.Sprintf("one of %v", distNames))
	}
	return nil
}

// ExpectedValue returns the mean of d.
func (d *Dist) ExpectedValue() float64 {
	switch d.Form {
	case Fixed:
		return d.Value
	case Exponential, Gamma:
		return d.Mean
	case LogNormal:
		return d.Median * math.Exp(d.Sigma*d.Sigma/2)
	case Weibull:
		return d.Scale * math.Gamma(1+1/d.Shape)
	case Empirical:
		s := 0.0
		for _, v := range d.Values {
			s += v
		}
		return s / float64(len(d.Values))
	}
	panic("model: invalid DistForm " + d.Form.String())
}

// CDF returns P(X ≤ x).
func (d *Dist) CDF(x float64) float64 {
	if x < 0 {
		return 0
	}
	switch d.Form {
	case Fixed:
		if x >= d.Value {
			return 1
		}
		return 0
	case Exponential:
		return -math.Expm1(-x / d.Mean)
	case LogNormal:
		if x == 0 {
			return 0
		}
		return 0.5 * math.Erfc(-(math.Log(x/d.Median))/(d.Sigma*math.Sqrt2))
	case Weibull:
		return -math.Expm1(-math.Pow(x/d.Scale, d.Shape))
	case Gamma:
		return mathext.GammaIncReg(d.Shape, x*d.Shape/d.Mean)
	case Empirical:
		n := 0
		for _, v := range d.Values {
			if v <= x {
				n++
			}
		}
		return float64(n) / float64(len(d.Values))
	}
	panic("model: invalid DistForm " + d.Form.String())
}

// Quantile returns the p-quantile of d, the smallest x with CDF(x) ≥ p, for
// p in [0,1]. It panics for p outside [0,1].
func (d *Dist) Quantile(p float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("model: quantile probability %v outside [0,1]", p))
	}
	switch d.Form {
	case Fixed:
		return d.Value
	case Exponential:
		return -d.Mean * math.Log1p(-p)
	case LogNormal:
		return d.Median * math.Exp(d.Sigma*math.Sqrt2*math.Erfinv(2*p-1))
	case Weibull:
		return d.Scale * math.Pow(-math.Log1p(-p), 1/d.Shape)
	case Gamma:
		return distuv.Gamma{Alpha: d.Shape, Beta: d.Shape / d.Mean}.Quantile(p)
	case Empirical:
		v := slices.Clone(d.Values)
		slices.Sort(v)
		i := int(math.Ceil(p*float64(len(v)))) - 1
		return v[max(i, 0)]
	}
	panic("model: invalid DistForm " + d.Form.String())
}
