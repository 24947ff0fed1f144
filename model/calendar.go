package model

import (
	"fmt"
	"time"
)

// DateLayout is the layout of a date in a model, "2006-01-02".
const DateLayout = time.DateOnly

// Period is the stretch of the calendar a simulated quarter stands for.
type Period struct {
	// Name is its short name: "Q3 FY2026" for a fiscal quarter, else its
	// dates ("Aug 14 - Nov 12, 2026").
	Name string `json:"name"`
	// Start and End are its first and last days, End inclusive.
	Start time.Time `json:"-"`
	End   time.Time `json:"-"`
	// Fiscal tells that it is a fiscal quarter: Name is "Q3 FY2026" and
	// FiscalYear, Quarter say so.
	Fiscal     bool `json:"fiscal"`
	FiscalYear int  `json:"fiscal_year,omitempty"` // named by the calendar year it ends in
	Quarter    int  `json:"fiscal_quarter,omitempty"`
}

// Dates returns p's first and last days, "Jul 1 - Sep 30, 2026", the year
// given once when both days are in it.
func (p Period) Dates() string {
	if p.Start.Year() == p.End.Year() {
		return p.Start.Format("Jan 2") + " - " + p.End.Format("Jan 2, 2006")
	}
	return p.Start.Format("Jan 2, 2006") + " - " + p.End.Format("Jan 2, 2006")
}

// String returns p for people: "Q3 FY2026, Jul 1 - Sep 30, 2026" for a
// fiscal quarter, else its dates.
func (p Period) String() string {
	if p.Fiscal {
		return p.Name + ", " + p.Dates()
	}
	return p.Dates()
}

// FiscalStart returns the month the model's fiscal year starts in:
// FiscalYearStart, or January when it is 0.
func (m *Model) FiscalStart() time.Month {
	if m.FiscalYearStart == 0 {
		return time.January
	}
	return time.Month(m.FiscalYearStart)
}

// ParseDate parses a date of a model, "2026-07-01", as midnight UTC.
func ParseDate(s string) (time.Time, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	if t.Year() < 1900 || t.Year() > 9000 {
		return time.Time{}, fmt.Errorf("%q: want a year in [1900,9000]", s)
	}
	return t, nil
}

// day returns t's date as midnight UTC.
func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// StartAfter returns the first day of a forecast from data up to asOf:
// asOf's date when asOf is at midnight, else the next day (an export as of
// Dec 31, 23:59 forecasts from Jan 1).
func StartAfter(asOf time.Time) time.Time {
	d := day(asOf)
	if asOf.Hour() != 0 || asOf.Minute() != 0 || asOf.Second() != 0 || asOf.Nanosecond() != 0 {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// MaxLeadInDays is the longest lead-in (see LeadInDays): a year.
const MaxLeadInDays = 366

// LeadInDays returns the days from the starting state's Date to
// ForecastStart, which the engine simulates before the first quarter; 0
// without a starting state, without either date, or when they are the
// same day. Validate refuses a Date after ForecastStart or more than
// MaxLeadInDays before it.
func (m *Model) LeadInDays() float64 {
	if m.Start == nil || m.Start.Date == "" || m.ForecastStart == "" {
		return 0
	}
	a, err1 := ParseDate(m.Start.Date)
	b, err2 := ParseDate(m.ForecastStart)
	if err1 != nil || err2 != nil || !a.Before(b) {
		return 0
	}
	return b.Sub(a).Hours() / 24
}

// IsFiscalQuarterStart reports whether t's date is the first day of a
// fiscal quarter of a year starting in month fy.
func IsFiscalQuarterStart(t time.Time, fy time.Month) bool {
	return t.Day() == 1 && (int(t.Month())-int(fy)+12)%3 == 0
}

// NextFiscalQuarter returns the first day of the first fiscal quarter
// (of a year starting in month fy) that starts on or after t's date.
func NextFiscalQuarter(t time.Time, fy time.Month) time.Time {
	d := day(t)
	for i := 0; ; i++ { // at most 3 months ahead
		c := time.Date(d.Year(), d.Month()+time.Month(i), 1, 0, 0, 0, 0, time.UTC)
		if !c.Before(d) && IsFiscalQuarterStart(c, fy) {
			return c
		}
	}
}

// Calendar returns the periods that n consecutive simulated quarters of m
// stand for when the first begins on start's date. When start is the first
// day of a fiscal quarter (see FiscalYearStart) and m's quarter is 13 weeks,
// they are the fiscal quarters from it on ("Q3 FY2026", "Q4 FY2026", ...),
// each named by its calendar dates although the simulation gives each 13
// weeks (91 days; calendar quarters have 90 to 92). Otherwise they are
// consecutive windows of QuarterWeeks weeks from start.
func (m *Model) Calendar(start time.Time, n int) []Period {
	start = day(start)
	fy := m.FiscalStart()
	out := make([]Period, n)
	if m.QuarterWeeks == 13 && IsFiscalQuarterStart(start, fy) {
		for k := range out {
			s := start.AddDate(0, 3*k, 0)
			e := s.AddDate(0, 3, -1)
			// Months since the fiscal year's first month; the fiscal year
			// is named by the calendar year it ends in.
			off := (int(s.Month()) - int(fy) + 12) % 12
			year := s.Year()
			if fy != time.January && int(s.Month()) >= int(fy) {
				year++
			}
			q := off/3 + 1
			out[k] = Period{Name: fmt.Sprintf("Q%d FY%d", q, year), Start: s, End: e, Fiscal: true, FiscalYear: year, Quarter: q}
		}
		return out
	}
	days := 7 * m.QuarterWeeks
	for k := range out {
		s := start.AddDate(0, 0, k*days)
		p := Period{Start: s, End: s.AddDate(0, 0, days-1)}
		p.Name = p.Dates()
		out[k] = p
	}
	return out
}
