package render

import (
	"math"
	"strconv"
	"strings"
)

// minus is the typographic minus sign (U+2212) used for negative numbers
// shown to people; it is as wide as a digit, unlike the hyphen.
const minus = "\u2212"

// na is shown in place of a number that is not available (NaN, ±Inf).
const na = "n/a"

// scales are the suffixes Money uses, each 1000 times the previous one.
var scales = []string{"", "K", "M", "B", "T"}

// currencySymbols maps ISO 4217 codes to the symbols written before amounts.
var currencySymbols = map[string]string{
	"USD": "$",
	"EUR": "€",
	"GBP": "£",
	"JPY": "¥",
}

// CurrencyPrefix returns what Money writes before an amount in the given
// ISO 4217 currency code: "$" for USD, "€" for EUR, "£" for GBP, "¥" for JPY,
// the code and a space for any other code ("CHF "), and "" for the empty
// code. The code is matched case-insensitively.
func CurrencyPrefix(currency string) string {
	code := strings.ToUpper(strings.TrimSpace(currency))
	if s, ok := currencySymbols[code]; ok {
		return s
	}
	if code == "" {
		return ""
	}
	return code + " "
}

// Money formats an amount v in the given currency for people, scaled to
// thousands (K), millions (M), billions (B) or trillions (T) and rounded to
// three significant digits, with trailing zeros dropped down to one decimal:
// "$4.2M", "$4.25M", "$850K", "$1.25B", "€12.3K", "CHF 1.2M". Amounts below
// one thousand are rounded to whole units ("$850"). An amount that rounds up
// to the next scale moves to it: 999,950 is "$1.0M", never "$1000K".
// Negative amounts take a leading minus sign (U+2212): "−$1.2M". NaN and
// ±Inf give "n/a". See CurrencyPrefix for the currency codes.
func Money(v float64, currency string) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return na
	}
	sign := ""
	if v < 0 {
		sign = minus
	}
	num := scaled(math.Abs(v))
	if num == "0" {
		sign = ""
	}
	return sign + CurrencyPrefix(currency) + num
}

// scaled formats v ≥ 0 with three significant digits and a scale suffix.
// It rounds the exact decimal value of v (half to even), not v divided by a
// power of 1000, so that 9,995,001 is "10.0M" and never "9.99M".
func scaled(v float64) string {
	if math.Round(v) < 1000 {
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	}
	s := strconv.FormatFloat(v, 'e', 2, 64) // "d.dde+XX"
	digits := s[:1] + s[2:4]
	exp, _ := strconv.Atoi(s[5:])
	unit := min(exp/3, len(scales)-1)
	whole := exp - 3*unit + 1 // digits before the decimal point
	if whole >= len(digits) {
		n, _ := strconv.ParseFloat(digits+strings.Repeat("0", whole-len(digits)), 64)
		return Count(n) + scales[unit]
	}
	return trimZeros(digits[:whole]+"."+digits[whole:]) + scales[unit]
}

// trimZeros drops trailing zeros after the decimal point of s but keeps at
// least one decimal if s has any: "4.20" → "4.2", "1.00" → "1.0", "850" →
// "850".
func trimZeros(s string) string {
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return s
	}
	s = strings.TrimRight(s, "0")
	if len(s) == dot+1 {
		s += "0"
	}
	return s
}

// Ratio formats a ratio v for people with one decimal and an "x" suffix:
// "3.1x", "12.0x". Ratios of 100 and more are rounded to whole numbers with
// thousands separators ("150x"). Negative ratios take a minus sign (U+2212).
// NaN and ±Inf give "n/a".
func Ratio(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return na
	}
	s := strconv.FormatFloat(math.Abs(v), 'f', 1, 64)
	if r, _ := strconv.ParseFloat(s, 64); r >= 100 {
		s = Count(math.Abs(v))
	}
	if v < 0 && s != "0.0" {
		s = minus + s
	}
	return s + "x"
}

// Percent formats a proportion p (0.824 is 82.4%) as a percentage with one
// decimal: "82.4%", "0.0%", "100.0%". p is normally in [0,1]; values outside
// are formatted the same way ("−3.5%", "120.0%"). NaN and ±Inf give "n/a".
func Percent(p float64) string {
	return percent(p, 1)
}

// percent formats p as a percentage with the given number of decimals.
func percent(p float64, decimals int) string {
	if math.IsNaN(p) || math.IsInf(p, 0) {
		return na
	}
	s := strconv.FormatFloat(math.Abs(p*100), 'f', decimals, 64)
	if p < 0 && strings.Trim(s, "0.") != "" {
		s = minus + s
	}
	return s + "%"
}

// chance formats a probability p in [0,1] as a whole percentage for a
// headline, never claiming certainty a sample cannot support: values that
// round to 0% or 100% but are not exactly 0 or 1 give "<1%" and ">99%".
func chance(p float64) string {
	switch {
	case math.IsNaN(p):
		return na
	case p > 0 && p < 0.005:
		return "<1%"
	case p < 1 && p >= 0.995:
		return ">99%"
	}
	return percent(p, 0)
}

// Duration formats a duration given in minutes for people, in its two
// largest units after rounding: "45s", "12m 30s", "2h 15m", "3d 4h", and a
// single unit when the second is zero ("2h", "3d"). Durations under an hour
// are rounded to the second, under a day to the minute, longer ones to the
// hour. Negative durations take a minus sign (U+2212). NaN and ±Inf give
// "n/a".
func Duration(minutes float64) string {
	if math.IsNaN(minutes) || math.IsInf(minutes, 0) {
		return na
	}
	sign := ""
	if minutes < 0 {
		sign = minus
		minutes = -minutes
	}
	var s string
	secs := math.Round(minutes * 60)
	switch {
	case secs < 60:
		if secs == 0 {
			sign = ""
		}
		s = units(secs, "s", 0, "")
	case secs < 3600:
		s = units(math.Floor(secs/60), "m", math.Mod(secs, 60), "s")
	case math.Round(minutes) < 24*60:
		m := math.Round(minutes)
		s = units(math.Floor(m/60), "h", math.Mod(m, 60), "m")
	default:
		h := math.Round(minutes / 60)
		s = units(math.Floor(h/24), "d", math.Mod(h, 24), "h")
	}
	return sign + s
}

// units writes "<a><ua> <b><ub>", leaving out the second part when b is 0.
func units(a float64, ua string, b float64, ub string) string {
	s := strconv.FormatFloat(a, 'f', 0, 64) + ua
	if b != 0 {
		s += " " + strconv.FormatFloat(b, 'f', 0, 64) + ub
	}
	return s
}

// Count formats n rounded to a whole number with comma thousands
// separators: "12,345", "0", "−1,200". NaN and ±Inf give "n/a".
func Count(n float64) string {
	if math.IsNaN(n) || math.IsInf(n, 0) {
		return na
	}
	digits := strconv.FormatFloat(math.Abs(math.Round(n)), 'f', 0, 64)
	var b strings.Builder
	if math.Round(n) < 0 {
		b.WriteString(minus)
	}
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}
