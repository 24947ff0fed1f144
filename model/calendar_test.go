package model

import (
	"testing"
	"time"
)

func TestCalendar(t *testing.T) {
	date := func(s string) time.Time {
		d, err := ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, tt := range []struct {
		name  string
		fy    int
		weeks int
		start string
		want  []string
	}{
		{"calendar year", 0, 13, "2026-07-01", []string{"Q3 FY2026, Jul 1 - Sep 30, 2026", "Q4 FY2026, Oct 1 - Dec 31, 2026", "Q1 FY2027, Jan 1 - Mar 31, 2027"}},
		{"february", 2, 13, "2025-11-01", []string{"Q4 FY2026, Nov 1, 2025 - Jan 31, 2026", "Q1 FY2027, Feb 1 - Apr 30, 2026"}},
		{"july", 7, 13, "2026-07-01", []string{"Q1 FY2027, Jul 1 - Sep 30, 2026"}},
		{"july, last quarter", 7, 13, "2026-04-01", []string{"Q4 FY2026, Apr 1 - Jun 30, 2026"}},
		{"mid quarter", 0, 13, "2026-08-14", []string{"Aug 14 - Nov 12, 2026", "Nov 13, 2026 - Feb 11, 2027"}},
		{"not 13 weeks", 0, 4, "2026-07-01", []string{"Jul 1 - Jul 28, 2026"}},
		{"not a fiscal boundary", 2, 13, "2026-01-01", []string{"Jan 1 - Apr 1, 2026"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := &Model{QuarterWeeks: tt.weeks, FiscalYearStart: tt.fy}
			got := m.Calendar(date(tt.start), len(tt.want))
			for k, p := range got {
				if p.String() != tt.want[k] {
					t.Errorf("quarter %d: %q, want %q", k, p.String(), tt.want[k])
				}
			}
		})
	}
}

func TestNextFiscalQuarter(t *testing.T) {
	for _, tt := range []struct {
		now  time.Time
		fy   time.Month
		want string
	}{
		{time.Date(2026, 12, 4, 18, 0, 0, 0, time.UTC), time.January, "2027-01-01"},
		{time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), time.January, "2026-07-01"},
		{time.Date(2026, 7, 2, 0, 0, 0, 0, time.UTC), time.February, "2026-08-01"},
		{time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC), time.March, "2027-03-01"},
	} {
		if got := NextFiscalQuarter(tt.now, tt.fy).Format(DateLayout); got != tt.want {
			t.Errorf("NextFiscalQuarter(%v, %v) = %s, want %s", tt.now, tt.fy, got, tt.want)
		}
	}
}

func TestCalendarFields(t *testing.T) {
	m := Default()
	m.FiscalYearStart, m.ForecastStart = 13, "2026-13-01"
	err := m.Validate()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, want := range []string{`fiscal_year_start: got 13`, `forecast_start: got "2026-13-01"`} {
		if !contains(err.Error(), want) {
			t.Errorf("%v: want %q", err, want)
		}
	}
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}
