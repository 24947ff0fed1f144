package data

import (
	"strings"
	"testing"
	"time"
)

func TestParseTime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(y int, m time.Month, d, hh, mm, ss int) time.Time {
		return time.Date(y, m, d, hh, mm, ss, 0, time.UTC)
	}
	tests := []struct {
		name    string
		in      string
		opts    *Options
		want    time.Time
		wantErr string
	}{
		{name: "RFC3339", in: "2024-03-01T09:30:00Z", want: utc(2024, 3, 1, 9, 30, 0)},
		{name: "RFC3339Offset", in: "2024-03-01T09:30:00+02:00", want: utc(2024, 3, 1, 7, 30, 0)},
		{name: "RFC3339Fraction", in: "2024-03-01T09:30:00.250Z", want: utc(2024, 3, 1, 9, 30, 0).Add(250 * time.Millisecond)},
		{name: "SalesforceOffset", in: "2024-03-01T09:30:00.000+0000", want: utc(2024, 3, 1, 9, 30, 0)},
		{name: "ISODate", in: "2024-03-01", want: utc(2024, 3, 1, 0, 0, 0)},
		{name: "ISODateTimeSpace", in: "2024-03-01 09:30:05", want: utc(2024, 3, 1, 9, 30, 5)},
		{name: "ISODateTimeT", in: "2024-03-01T09:30:05", want: utc(2024, 3, 1, 9, 30, 5)},
		{name: "ISOMinutes", in: "2024-03-01 09:30", want: utc(2024, 3, 1, 9, 30, 0)},
		{name: "ISO12Hour", in: "2024-03-01 9:30 PM", want: utc(2024, 3, 1, 21, 30, 0)},
		{name: "ISO12HourNoon", in: "2024-03-01 12:05:09 pm", want: utc(2024, 3, 1, 12, 5, 9)},
		{name: "ISO12HourMidnight", in: "2024-03-01 12:00 AM", opts: &Options{TZ: ny}, want: utc(2024, 3, 1, 5, 0, 0)},
		{name: "ZonelessInTZ", in: "2024-03-01 09:30:00", opts: &Options{TZ: ny}, want: utc(2024, 3, 1, 14, 30, 0)},
		{name: "USUnambiguous", in: "1/20/2024", want: utc(2024, 1, 20, 0, 0, 0)},
		{name: "DayFirstUnambiguous", in: "20/01/2024 15:04", want: utc(2024, 1, 20, 15, 4, 0)},
		{name: "SameDayMonth", in: "05/05/2024", want: utc(2024, 5, 5, 0, 0, 0)},
		{name: "USPM", in: "1/2/2024 3:04 PM", opts: &Options{DateOrder: MDY}, want: utc(2024, 1, 2, 15, 4, 0)},
		{name: "USpmLower", in: "1/2/2024 3:04 pm", opts: &Options{DateOrder: MDY}, want: utc(2024, 1, 2, 15, 4, 0)},
		{name: "US24h", in: "1/2/2024 15:04", opts: &Options{DateOrder: MDY}, want: utc(2024, 1, 2, 15, 4, 0)},
		{name: "DMY", in: "02/01/2024 15:04", opts: &Options{DateOrder: DMY}, want: utc(2024, 1, 2, 15, 4, 0)},
		{name: "DMYDots", in: "02.01.2024", opts: &Options{DateOrder: DMY}, want: utc(2024, 1, 2, 0, 0, 0)},
		{name: "Ambiguous", in: "01/02/2024", wantErr: `ambiguous date "01/02/2024": day and month are both 12 or less; pass --date-order mdy or dmy`},
		{name: "BadMonthDay", in: "31/31/2024", wantErr: `cannot parse "31/31/2024" as a date`},
		{name: "BadDayOfMonth", in: "2/30/2024", wantErr: `cannot parse "2/30/2024" as a date`},
		{name: "MDYWithDayFirstValue", in: "20/01/2024", opts: &Options{DateOrder: MDY}, wantErr: `cannot parse "20/01/2024" as a date`},
		{name: "Garbage", in: "yesterday", wantErr: `cannot parse "yesterday" as a date`},
		{name: "BadISO", in: "2024-13-01", wantErr: `cannot parse "2024-13-01" as a date`},
		{name: "Empty", in: " ", wantErr: `empty date`},
		{name: "Placeholder", in: "0001-01-01", wantErr: `date "0001-01-01" is outside the years 1900 to 9999`},
		{name: "TwoDigitYear", in: "1/2/24", wantErr: `cannot parse "1/2/24" as a date`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseTime(tt.in, tt.opts)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseTime(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseTime(%q): %v", tt.in, err)
			}
			if !got.Equal(tt.want) {
				t.Errorf("ParseTime(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseAmount(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    float64
		wantCur string
		wantErr string
	}{
		{name: "Plain", in: "1200", want: 1200},
		{name: "Decimal", in: "1200.5", want: 1200.5},
		{name: "Dollar", in: "$1,234.50", want: 1234.5, wantCur: "USD"},
		{name: "EuroComma", in: "€ 1.234,50", want: 1234.5, wantCur: "EUR"},
		{name: "EuroSuffix", in: "1.234,50 €", want: 1234.5, wantCur: "EUR"},
		{name: "Pound", in: "£99", want: 99, wantCur: "GBP"},
		{name: "Yen", in: "¥1,000,000", want: 1e6, wantCur: "JPY"},
		{name: "ISOPrefix", in: "USD 1200", want: 1200, wantCur: "USD"},
		{name: "ISOSuffix", in: "1200 EUR", want: 1200, wantCur: "EUR"},
		{name: "CommaThousands", in: "1,234", want: 1234},
		{name: "CommaDecimal", in: "1234,5", want: 1234.5},
		{name: "CommaDecimalTwo", in: "12,50", want: 12.5},
		{name: "LoneDotDecimal", in: "1.234", want: 1.234},
		{name: "DotThousands", in: "1.234.567", want: 1234567},
		{name: "SpaceThousands", in: "1 234", want: 1234},
		{name: "NBSPThousands", in: "1\u00a0234,50", want: 1234.5},
		{name: "Parentheses", in: "(1,200)", want: -1200},
		{name: "Minus", in: "-1200", want: -1200},
		{name: "MinusDollar", in: "-$1,200", want: -1200, wantCur: "USD"},
		{name: "DollarMinus", in: "$-1,200", want: -1200, wantCur: "USD"},
		{name: "Zero", in: "0", want: 0},
		{name: "Empty", in: "", wantErr: "empty amount"},
		{name: "Letters", in: "abc", wantErr: `cannot parse "abc" as an amount`},
		{name: "BadGroup", in: "1,23,4", wantErr: `cannot parse "1,23,4" as an amount`},
		{name: "TwoDecimals", in: "1.2,3.4", wantErr: `cannot parse "1.2,3.4" as an amount`},
		{name: "Exponent", in: "1e6", wantErr: `cannot parse "1e6" as an amount`},
		{name: "NaN", in: "NaN", wantErr: `cannot parse "NaN" as an amount`},
		{name: "TrailingSep", in: "12.", wantErr: `cannot parse "12." as an amount`},
		{name: "DoubleMinus", in: "(-5)", wantErr: `cannot parse "(-5)" as an amount`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, cur, err := parseMoney(tt.in)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("ParseAmount(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseAmount(%q): %v", tt.in, err)
			}
			if got != tt.want || cur != tt.wantCur {
				t.Errorf("ParseAmount(%q) = %v %q, want %v %q", tt.in, got, cur, tt.want, tt.wantCur)
			}
			if v, err := ParseAmount(tt.in); err != nil || v != got {
				t.Errorf("ParseAmount(%q) = %v, %v; parseMoney gave %v", tt.in, v, err, got)
			}
		})
	}
}

func TestParseMapping(t *testing.T) {
	const doc = `columns:
  leads.csv:
    lead_id: Lead Number
stages:
  Handraiser: mql
  Sales Rejected: rejected
sources:
  Web Form: web
`
	m, err := parseMappingString(doc)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.stage("handraiser", nil); got != "mql" {
		t.Errorf("stage(handraiser) = %q, want mql", got)
	}
	if got := m.source("Web Form"); got != "web" {
		t.Errorf("source = %q, want web", got)
	}
	if c, _ := m.column("leads.csv", "lead_id", ""); c != "Lead Number" {
		t.Errorf("column = %q", c)
	}
	_, err = parseMappingString("stage:\n  Handraiser: mql\n")
	const want = "data: mapping: yaml: unmarshal errors:\n  line 1: field stage not found in type data.Mapping"
	if err == nil || err.Error() != want {
		t.Errorf("unknown key: error = %v, want %q", err, want)
	}
	if m, err := parseMappingString(""); err != nil || m == nil {
		t.Errorf("empty mapping: %v, %v", m, err)
	}
}

func TestEnums(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    DateOrder
		wantErr string
	}{
		{"", DateAuto, ""}, {"auto", DateAuto, ""}, {"MDY", MDY, ""}, {"dmy", DMY, ""},
		{"ymd", DateAuto, `data: unknown date order "ymd" (want auto, mdy or dmy)`},
	} {
		got, err := ParseDateOrder(tt.in)
		if tt.wantErr != "" {
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseDateOrder(%q) error = %v, want %q", tt.in, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want || got.String() != strings.ToLower(tt.want.String()) {
			t.Errorf("ParseDateOrder(%q) = %v, %v", tt.in, got, err)
		}
	}
	for o, want := range map[Outcome]string{OutcomeOpen: "open", OutcomeWon: "won", OutcomeLost: "lost", Outcome(7): "Outcome(7)"} {
		if o.String() != want {
			t.Errorf("Outcome(%d).String() = %q, want %q", int(o), o.String(), want)
		}
		if back, err := ParseOutcome(" " + strings.ToUpper(want) + " "); o <= OutcomeLost && (err != nil || back != o) {
			t.Errorf("ParseOutcome(%q) = %v, %v", want, back, err)
		}
	}
}
