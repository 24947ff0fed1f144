package data

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultMaxRejectShare is the reject share above which loading fails when
// Options.MaxRejectShare is 0.
const DefaultMaxRejectShare = 0.05

// DateOrder says how to read slash dates such as 03/04/2024.
type DateOrder int

// Date orders.
const (
	// DateAuto reads a slash date only when its order is clear from the
	// value itself (13/04/2024 is day first, 04/13/2024 month first);
	// 03/04/2024 is an error.
	DateAuto DateOrder = iota
	MDY                // month/day/year, as US exports
	DMY                // day/month/year, as European exports
)

// String returns "auto", "mdy" or "dmy".
func (d DateOrder) String() string {
	switch d {
	case DateAuto:
		return "auto"
	case MDY:
		return "mdy"
	case DMY:
		return "dmy"
	}
	return fmt.Sprintf("DateOrder(%d)", int(d))
}

// ParseDateOrder parses "auto", "mdy" or "dmy" (any case), for a
// --date-order flag.
func ParseDateOrder(s string) (DateOrder, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return DateAuto, nil
	case "mdy":
		return MDY, nil
	case "dmy":
		return DMY, nil
	}
	return DateAuto, fmt.Errorf("data: unknown date order %q (want auto, mdy or dmy)", s)
}

// Options configures loading. The zero value, and a nil *Options, are
// the defaults.
type Options struct {
	// TZ is the zone of timestamps written without one. nil means UTC.
	TZ *time.Location

	// DateOrder says how to read slash dates; the default DateAuto
	// rejects ambiguous ones.
	DateOrder DateOrder

	// AsOf is the time the export describes. Rows dated later are
	// rejected. The zero value means the newest creation, history
	// (stage event, activity) or won time in the export; see
	// Export.AsOf.
	AsOf time.Time

	// MaxRejectShare is the largest share of rejected rows, in [0,1],
	// that loading tolerates. 0 means DefaultMaxRejectShare; 1 never
	// fails. Loading panics if it is negative.
	MaxRejectShare float64

	// Mapping renames columns and translates CRM stage and source
	// values. nil means no mapping.
	Mapping *Mapping

	// Now is the time of reading, which bounds plausible dates: a date
	// before 1990-01-01 (placeholders such as 1900-01-01 and the Unix
	// epoch 1970-01-01) or more than a year after Now (9999-12-31, typos
	// in the year) is implausible. A row whose date is implausible is
	// rejected as ReasonImplausibleDate, except an open deal's expected
	// close date, which is cleared and counted in a warning; so such a
	// date never sets the as-of time. The zero value means the wall
	// clock, time.Now().
	Now time.Time

	// Limits bounds lines, fields and names; zero fields mean their
	// value in DefaultLimits.
	Limits Limits
}

// plausibleFrom is the earliest plausible date (see Options.Now).
var plausibleFrom = time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)

// plausible returns the range of plausible dates under o: 1990-01-01
// to a year after o.Now (the wall clock when zero).
func (o *Options) plausible() (from, to time.Time) {
	return plausibleFrom, o.now().AddDate(1, 0, 0)
}

// now returns o.Now, or the wall clock when it is zero, in UTC.
func (o *Options) now() time.Time {
	var now time.Time
	if o != nil {
		now = o.Now
	}
	if now.IsZero() {
		now = time.Now()
	}
	return now.UTC()
}

// implausible returns an error if ts is outside [from, to], the range of
// Options.plausible.
func implausible(ts, from, to time.Time) error {
	if ts.Before(from) {
		return fmt.Errorf("date %s is implausible: before %s (a placeholder?)", ts.UTC().Format(time.RFC3339), from.Format(time.DateOnly))
	}
	if ts.After(to) {
		return fmt.Errorf("date %s is implausible: after %s, a year past the time of reading (a placeholder?)", ts.UTC().Format(time.RFC3339), to.Format(time.DateOnly))
	}
	return nil
}

func (o *Options) limits() Limits {
	if o == nil {
		return DefaultLimits
	}
	return o.Limits.or()
}

func (o *Options) tz() *time.Location {
	if o == nil || o.TZ == nil {
		return time.UTC
	}
	return o.TZ
}

func (o *Options) order() DateOrder {
	if o == nil {
		return DateAuto
	}
	return o.DateOrder
}

func (o *Options) asOf() time.Time {
	if o == nil {
		return time.Time{}
	}
	return o.AsOf
}

func (o *Options) mapping() *Mapping {
	if o == nil {
		return nil
	}
	return o.Mapping
}

func (o *Options) maxShare() float64 {
	if o == nil {
		return 0
	}
	return o.MaxRejectShare
}

// zoned layouts carry their own offset.
var zonedLayouts = []string{
	time.RFC3339, // also accepts fractional seconds
	"2006-01-02T15:04:05-0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05-0700",
	"2006-01-02T15:04Z07:00",
}

// localLayouts are read in Options.TZ. Parsing accepts fractional seconds
// after the seconds field even where the layout has none.
var localLayouts = []string{
	"2006-01-02",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
}

// slashTimeLayouts are the accepted time-of-day parts after a slash date.
var slashTimeLayouts = []string{
	"15:04",
	"15:04:05",
	"3:04 PM",
	"3:04:05 PM",
	"3:04PM",
	"3:04:05PM",
}

// ParseTime parses a timestamp as CRM exports write them:
//
//   - RFC 3339, with or without fractional seconds (2024-03-01T09:30:00Z),
//     and ISO variants with a numeric offset (2024-03-01T09:30:00.000+0000);
//   - zone-less ISO: 2006-01-02, 2006-01-02 15:04[:05], 2006-01-02T15:04[:05],
//     2006-01-02 3:04[:05] PM;
//   - slash dates with a four-digit year, optionally followed by a time
//     (15:04, 15:04:05, 3:04 PM, 3:04:05 PM): 1/2/2006 is 2 January under
//     MDY and 1 February under DMY. Dots and hyphens also separate the
//     fields (31.12.2024). Under DateAuto a date with hyphens and the
//     year last whose order the value does not tell is day first
//     (05-03-2024 is 5 March), as report exports in the Indian, British
//     and Dutch locales write them; the US writes slashes.
//
// Zone-less values are read in o.TZ (UTC when nil). Under DateAuto a slash
// date whose first two fields are both at most 12 (and differ) is an
// error asking for a date order; if one field exceeds 12 the order is
// clear for that value. Years outside 1900 to 9999 are rejected (they are
// placeholders such as 0001-01-01). The result keeps the zone it was read
// in.
func ParseTime(s string, o *Options) (time.Time, error) {
	t, err := parseTime(s, o)
	if err == nil && (t.Year() < 1900 || t.Year() > 9999) {
		return time.Time{}, fmt.Errorf("date %q is outside the years 1900 to 9999", strings.TrimSpace(s))
	}
	return t, err
}

func parseTime(s string, o *Options) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, errors.New("empty date")
	}
	bad := func() (time.Time, error) {
		return time.Time{}, fmt.Errorf("cannot parse %q as a date", s)
	}
	if len(s) > 64 {
		return bad()
	}
	if len(s) >= 10 && s[4] == '-' {
		for _, l := range zonedLayouts {
			if t, err := time.Parse(l, s); err == nil {
				return t, nil
			}
		}
		for _, l := range localLayouts {
			if t, err := time.ParseInLocation(l, s, o.tz()); err == nil {
				return t, nil
			}
		}
		// An ISO date with a 12-hour time (2026-02-25 10:36 PM).
		if d, tp, ok := strings.Cut(s, " "); ok {
			if day, err := time.ParseInLocation("2006-01-02", d, o.tz()); err == nil {
				tp = strings.ToUpper(strings.TrimSpace(tp))
				for _, l := range slashTimeLayouts {
					if c, err := time.Parse(l, tp); err == nil && strings.HasSuffix(l, "PM") {
						return time.Date(day.Year(), day.Month(), day.Day(), c.Hour(), c.Minute(), c.Second(), 0, o.tz()), nil
					}
				}
			}
		}
		return bad()
	}
	// Slash (or dot) dates: a sep b sep yyyy [time].
	datePart, timePart, _ := strings.Cut(s, " ")
	timePart = strings.ToUpper(strings.TrimSpace(timePart))
	f := strings.FieldsFunc(datePart, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	if len(f) != 3 || len(f[0]) > 2 || len(f[1]) > 2 || len(f[2]) != 4 {
		return bad()
	}
	var n [3]int
	for i, x := range f {
		v, err := strconv.Atoi(x)
		if err != nil || v < 0 || x[0] == '+' {
			return bad()
		}
		n[i] = v
	}
	a, b, y := n[0], n[1], n[2]
	var month, day int
	switch o.order() {
	case MDY:
		month, day = a, b
	case DMY:
		day, month = a, b
	default:
		switch {
		case a > 12 && b <= 12:
			day, month = a, b
		case b > 12 && a <= 12:
			month, day = a, b
		case a == b:
			month, day = a, b
		case a <= 12 && b <= 12 && strings.Count(datePart, "-") == 2:
			day, month = a, b // 05-03-2024: hyphens with the year last are day first
		case a <= 12 && b <= 12:
			return time.Time{}, fmt.Errorf("ambiguous date %q: day and month are both 12 or less; pass --date-order mdy or dmy", s)
		default:
			return bad()
		}
	}
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return bad()
	}
	var hh, mm, ss, ns int
	if timePart != "" {
		ok := false
		for _, l := range slashTimeLayouts {
			if t, err := time.Parse(l, timePart); err == nil {
				hh, mm, ss, ns = t.Hour(), t.Minute(), t.Second(), t.Nanosecond()
				ok = true
				break
			}
		}
		if !ok {
			return bad()
		}
	}
	t := time.Date(y, time.Month(month), day, hh, mm, ss, ns, o.tz())
	if t.Day() != day || int(t.Month()) != month {
		return bad() // 31/04, 29/02 in a common year
	}
	return t, nil
}

// currencySymbols maps symbols to ISO 4217 codes.
var currencySymbols = map[rune]string{'$': "USD", '€': "EUR", '£': "GBP", '¥': "JPY", '₹': "INR"}

// ParseAmount parses a money amount as CRM exports write it and returns
// its value in currency units. It accepts:
//
//   - a currency symbol ($ € £ ¥ ₹) or a three-letter ISO code (USD 1200,
//     1200 EUR) before or after the number;
//   - a leading minus (-1200, -$1,200, $-1,200) or parentheses ((1,200))
//     for negative values;
//   - spaces (including no-break spaces) as thousands separators: 1 234;
//   - commas and dots by this rule: when both appear, the last one is the
//     decimal separator and the other groups thousands ($1,234.50 and
//     € 1.234,50 are both 1234.5); a single comma followed by exactly
//     three digits groups thousands (1,234 is 1234), otherwise it is the
//     decimal separator (1234,5 is 1234.5); a single dot is always the
//     decimal separator (1.234 is 1.234); a separator that appears more
//     than once groups thousands (1.234.567).
//
// Thousands groups must have three digits, except in the Indian
// grouping by lakh and crore, with commas: $1,40,000.00 is 140000 and
// 1,23,45,678 is 12345678. Exponents, NaN and infinities
// are rejected. ParseAmount does not reject negative values; loaders do.
func ParseAmount(s string) (float64, error) {
	v, _, err := parseMoney(s)
	return v, err
}

// parseMoney is ParseAmount that also returns the currency code found in s,
// if any.
func parseMoney(s string) (float64, string, error) {
	orig := s
	bad := func() (float64, string, error) {
		return 0, "", fmt.Errorf("cannot parse %q as an amount", orig)
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "", errors.New("empty amount")
	}
	if len(s) > 100 || !utf8.ValidString(s) {
		return bad()
	}
	neg := false
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		neg = true
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	cur := ""
	// ISO code prefix or suffix.
	if len(s) > 3 && isUpperCode(s[:3]) {
		cur, s = s[:3], strings.TrimSpace(s[3:])
	} else if len(s) > 3 && isUpperCode(s[len(s)-3:]) {
		cur, s = s[len(s)-3:], strings.TrimSpace(s[:len(s)-3])
	}
	if strings.HasPrefix(s, "-") {
		if neg {
			return bad()
		}
		neg, s = true, strings.TrimSpace(s[1:])
	}
	// Symbol prefix or suffix.
	if r, size := utf8.DecodeRuneInString(s); currencySymbols[r] != "" {
		if cur == "" {
			cur = currencySymbols[r]
		}
		s = strings.TrimSpace(s[size:])
	} else if r, size := utf8.DecodeLastRuneInString(s); currencySymbols[r] != "" {
		if cur == "" {
			cur = currencySymbols[r]
		}
		s = strings.TrimSpace(s[:len(s)-size])
	}
	if strings.HasPrefix(s, "-") {
		if neg {
			return bad()
		}
		neg, s = true, s[1:]
	}
	// Drop space thousands separators, only between digits.
	var b strings.Builder
	for i, r := range s {
		if r == ' ' || r == '\u00a0' || r == '\u202f' {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(strings.TrimLeft(s[i:], " \u00a0\u202f"))
			if !isDigit(prev) || !isDigit(next) {
				return bad()
			}
			continue
		}
		if !isDigit(r) && r != ',' && r != '.' {
			return bad()
		}
		b.WriteRune(r)
	}
	s = b.String()
	if s == "" || !isDigit(rune(s[0])) {
		return bad()
	}
	lastComma, lastDot := strings.LastIndexByte(s, ','), strings.LastIndexByte(s, '.')
	nComma, nDot := strings.Count(s, ","), strings.Count(s, ".")
	var thousands, decimal byte
	switch {
	case nComma > 0 && nDot > 0:
		if lastComma > lastDot {
			thousands, decimal = '.', ','
		} else {
			thousands, decimal = ',', '.'
		}
		if strings.Count(s, string(decimal)) != 1 {
			return bad()
		}
	case nComma == 1:
		if len(s)-lastComma-1 == 3 {
			thousands = ','
		} else {
			decimal = ','
		}
	case nComma > 1:
		thousands = ','
	case nDot == 1:
		decimal = '.'
	case nDot > 1:
		thousands = '.'
	}
	intPart, frac := s, ""
	if decimal != 0 {
		i := strings.LastIndexByte(s, decimal)
		intPart, frac = s[:i], s[i+1:]
		if frac == "" || strings.ContainsAny(frac, ",.") {
			return bad()
		}
	}
	if thousands != 0 && strings.IndexByte(intPart, thousands) >= 0 {
		groups := strings.Split(intPart, string(thousands))
		if !thousandsGroups(groups) && !(thousands == ',' && lakhGroups(groups)) {
			return bad()
		}
		intPart = strings.Join(groups, "")
	}
	if intPart == "" || strings.ContainsAny(intPart, ",.") {
		return bad()
	}
	num := intPart
	if frac != "" {
		num += "." + frac
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil || math.IsInf(v, 0) {
		return bad()
	}
	if neg {
		v = -v
	}
	return v, cur, nil
}

// thousandsGroups reports whether groups, the digits of a number split at
// its thousands separator, are 1 to 3 digits then groups of 3 (1,234,567).
func thousandsGroups(groups []string) bool {
	if len(groups[0]) < 1 || len(groups[0]) > 3 {
		return false
	}
	for _, g := range groups[1:] {
		if len(g) != 3 {
			return false
		}
	}
	return true
}

// lakhGroups reports whether groups follow the Indian grouping, 1 or 2
// digits, groups of 2, then a last group of 3 (1,40,000 and 12,34,567).
func lakhGroups(groups []string) bool {
	n := len(groups)
	if n < 3 || len(groups[0]) < 1 || len(groups[0]) > 2 || len(groups[n-1]) != 3 {
		return false
	}
	for _, g := range groups[1 : n-1] {
		if len(g) != 2 {
			return false
		}
	}
	return true
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isUpperCode(s string) bool {
	for _, r := range s {
		if !unicode.IsUpper(r) || r > unicode.MaxASCII {
			return false
		}
	}
	return len(s) == 3
}
