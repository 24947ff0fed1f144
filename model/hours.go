package model

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// HoursPerWeek is the length of the simulation's week in hours.
const HoursPerWeek = 168

// WorkHours is a weekly working schedule in the model's time zone: the team
// works from Start to End (hours after midnight, 0 ≤ Start < End ≤ 24) on
// each of Days. An empty Days means every day; Start = End = 0 means around
// the clock.
type WorkHours struct {
	Days  []Weekday `yaml:"days,omitempty,flow" json:"days,omitempty"`
	Start float64   `yaml:"start" json:"start"`
	End   float64   `yaml:"end" json:"end"`
}

// Weekday is a day of the week, written mon, tue, ... sun.
type Weekday time.Weekday

var dayNames = [...]string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

func (d Weekday) String() string { return dayNames[int(d)%7] }

// MarshalText implements encoding.TextMarshaler.
func (d Weekday) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Weekday) UnmarshalText(b []byte) error {
	i := slices.Index(dayNames[:], strings.ToLower(string(b)))
	if i < 0 {
		return fmt.Errorf("unknown weekday %q (want one of %v)", b, dayNames)
	}
	*d = Weekday(i)
	return nil
}

// AroundTheClock reports whether h covers every hour of the week.
func (h *WorkHours) AroundTheClock() bool {
	return h.Start == 0 && (h.End == 0 || h.End == 24) && (len(h.Days) == 0 || len(h.Days) == 7)
}

// Open returns the share of hour-of-week w (0 = Monday 00:00-01:00) during
// which the team works, in [0,1].
func (h *WorkHours) Open(w int) float64 {
	if h.AroundTheClock() {
		return 1
	}
	day := Weekday((w/24 + 1) % 7) // the week starts on Monday
	if len(h.Days) > 0 && !slices.Contains(h.Days, day) {
		return 0
	}
	lo, hi := float64(w%24), float64(w%24+1)
	end := h.End
	if end == 0 {
		end = 24
	}
	return max(0, min(hi, end)-max(lo, h.Start))
}

func (h *WorkHours) validate(path string) error {
	if !(h.Start >= 0 && h.Start < 24) {
		return fieldErr(path+".start", h.Start, "an hour in [0,24)")
	}
	if !(h.End >= 0 && h.End <= 24) || (h.End != 0 && h.End <= h.Start) {
		return fieldErr(path+".end", h.End, fmt.Sprintf("an hour in (start=%v, 24], or 0 for around the clock", h.Start))
	}
	open := 0.0
	for w := range HoursPerWeek {
		open += h.Open(w)
	}
	if open == 0 {
		return fieldErr(path, "no working hours", "at least one working hour a week")
	}
	return nil
}

// Profile is a weekday-by-hour arrival profile: relative arrival intensity
// for each hour of the week, Monday 00:00 first, in the model's time zone.
// Shape names a built-in profile ("flat", or "business": most arrivals on
// weekdays between 8:00 and 18:00); Weights, when given, are 168 (7 rows of
// 24) non-negative weights and override Shape. Only ratios matter.
type Profile struct {
	Shape   string      `yaml:"shape,omitempty" json:"shape,omitempty"`
	Weights [][]float64 `yaml:"weights,omitempty,flow" json:"weights,omitempty"`
}

// HourWeights returns the 168 hour-of-week weights of p, normalised to mean 1.
func (p *Profile) HourWeights() [HoursPerWeek]float64 {
	var w [HoursPerWeek]float64
	switch {
	case len(p.Weights) > 0:
		for d, row := range p.Weights {
			for h, v := range row {
				w[d*24+h] = v
			}
		}
	case p.Shape == "business":
		for i := range w {
			day, hour := i/24, i%24
			switch {
			case day >= 5:
				w[i] = 0.15
			case hour >= 8 && hour < 18:
				w[i] = 1
			case hour >= 6 && hour < 22:
				w[i] = 0.3
			default:
				w[i] = 0.08
			}
		}
	default:
		for i := range w {
			w[i] = 1
		}
	}
	s := 0.0
	for _, v := range w {
		s += v
	}
	for i := range w {
		w[i] *= HoursPerWeek / s
	}
	return w
}

func (p *Profile) validate(path string) error {
	if len(p.Weights) > 0 {
		if len(p.Weights) != 7 {
			return fieldErr(path+".weights", fmt.Sprintf("%d rows", len(p.Weights)), "7 rows (Monday first) of 24 hourly weights")
		}
		sum := 0.0
		for d, row := range p.Weights {
			if len(row) != 24 {
				return fieldErr(fmt.Sprintf("%s.weights[%d]", path, d), fmt.Sprintf("%d values", len(row)), "24 hourly weights")
			}
			for h, v := range row {
				if !(v >= 0) {
					return fieldErr(fmt.Sprintf("%s.weights[%d][%d]", path, d, h), v, "a non-negative weight")
				}
				if math.IsInf(v, 0) {
					return fieldErr(fmt.Sprintf("%s.weights[%d][%d]", path, d, h), v, "a finite weight")
				}
				sum += v
			}
		}
		if sum == 0 {
			return fieldErr(path+".weights", "all zero", "at least one positive weight")
		}
		if !(sum >= MinProfileSum && sum <= MaxProfileSum) {
			return fieldErr(path+".weights", fmt.Sprintf("weights summing to %g", sum),
				fmt.Sprintf("a sum in [%g,%g] (only ratios matter: scale them)", float64(MinProfileSum), float64(MaxProfileSum)))
		}
		return nil
	}
	switch p.Shape {
	case "", "flat", "business":
		return nil
	}
	return fieldErr(path+".shape", p.Shape, `"flat" or "business", or explicit weights`)
}
