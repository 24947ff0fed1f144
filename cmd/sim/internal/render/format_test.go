package render

import (
	"math"
	"testing"
)

var (
	nan = math.NaN()
	inf = math.Inf(1)
)

func TestMoney(t *testing.T) {
	tests := []struct {
		name     string
		v        float64
		currency string
		want     string
	}{
		{"zero", 0, "USD", "$0"},
		{"negative zero", math.Copysign(0, -1), "USD", "$0"},
		{"small", 850, "USD", "$850"},
		{"below one", 0.4, "USD", "$0"},
		{"tiny negative", -0.4, "USD", "$0"},
		{"rounds to thousand", 999.6, "USD", "$1.0K"},
		{"just below thousand", 999.4, "USD", "$999"},
		{"thousand", 1000, "USD", "$1.0K"},
		{"thousands", 12_300, "EUR", "€12.3K"},
		{"hundreds of thousands", 850_000, "USD", "$850K"},
		{"millions", 4_200_000, "USD", "$4.2M"},
		{"millions three digits", 4_234_000, "USD", "$4.23M"},
		{"exact million", 5_000_000, "USD", "$5.0M"},
		{"boundary K to M", 999_950, "USD", "$1.0M"},
		{"boundary below", 999_400, "USD", "$999K"},
		{"boundary ten", 9_995_001, "USD", "$10.0M"},
		{"below boundary ten", 9_994_999, "USD", "$9.99M"},
		{"boundary hundred", 99_950_001, "USD", "$100M"},
		{"billions", 1_250_000_000, "USD", "$1.25B"},
		{"trillions", 3.4e12, "USD", "$3.4T"},
		{"beyond trillions", 4.5e15, "USD", "$4,500T"},
		{"negative", -1_200_000, "USD", "−$1.2M"},
		{"pound", 2_500, "GBP", "£2.5K"},
		{"yen", 130_000_000, "JPY", "¥130M"},
		{"lower case code", 1_000, "usd", "$1.0K"},
		{"other code", 1_200_000, "CHF", "CHF 1.2M"},
		{"other code negative", -1_200_000, "CHF", "−CHF 1.2M"},
		{"no currency", 1_200_000, "", "1.2M"},
		{"NaN", nan, "USD", "n/a"},
		{"Inf", inf, "USD", "n/a"},
		{"-Inf", -inf, "USD", "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Money(tt.v, tt.currency); got != tt.want {
				t.Errorf("Money(%v, %q) = %q, want %q", tt.v, tt.currency, got, tt.want)
			}
		})
	}
}

func TestRatio(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		want string
	}{
		{"zero", 0, "0.0x"},
		{"typical", 3.14, "3.1x"},
		{"rounds up", 2.96, "3.0x"},
		{"exact", 4, "4.0x"},
		{"tens", 12.34, "12.3x"},
		{"boundary hundred", 99.96, "100x"},
		{"hundreds", 1234.5, "1,235x"},
		{"negative", -0.54, "−0.5x"},
		{"tiny negative", -0.04, "0.0x"},
		{"NaN", nan, "n/a"},
		{"Inf", inf, "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Ratio(tt.v); got != tt.want {
				t.Errorf("Ratio(%v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

func TestPercent(t *testing.T) {
	tests := []struct {
		name string
		p    float64
		want string
	}{
		{"zero", 0, "0.0%"},
		{"one", 1, "100.0%"},
		{"typical", 0.8241, "82.4%"},
		{"rounds up", 0.99996, "100.0%"},
		{"small", 0.0004, "0.0%"},
		{"rounding boundary up", 0.12351, "12.4%"},
		{"rounding boundary down", 0.12349, "12.3%"},
		{"negative", -0.035, "−3.5%"},
		{"tiny negative", -0.0004, "0.0%"},
		{"above one", 1.2, "120.0%"},
		{"NaN", nan, "n/a"},
		{"Inf", -inf, "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percent(tt.p); got != tt.want {
				t.Errorf("Percent(%v) = %q, want %q", tt.p, got, tt.want)
			}
		})
	}
}

func TestChance(t *testing.T) {
	tests := []struct {
		name string
		p    float64
		want string
	}{
		{"zero", 0, "0%"},
		{"one", 1, "100%"},
		{"typical", 0.624, "62%"},
		{"tiny", 0.001, "<1%"},
		{"almost sure", 0.999, ">99%"},
		{"NaN", nan, "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chance(tt.p); got != tt.want {
				t.Errorf("chance(%v) = %q, want %q", tt.p, got, tt.want)
			}
		})
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		name    string
		minutes float64
		want    string
	}{
		{"zero", 0, "0s"},
		{"seconds", 0.75, "45s"},
		{"rounds to minute", 59.6 / 60, "1m"},
		{"minutes", 12.5, "12m 30s"},
		{"whole minutes", 45, "45m"},
		{"rounds to hour", 59.999, "1h"},
		{"hours", 135, "2h 15m"},
		{"whole hours", 240, "4h"},
		{"rounds to day", 1439.7, "1d"},
		{"days", 3*1440 + 4*60 + 10, "3d 4h"},
		{"whole days", 2 * 1440, "2d"},
		{"many days", 400 * 1440, "400d"},
		{"negative", -135, "−2h 15m"},
		{"tiny negative", -0.001, "0s"},
		{"NaN", nan, "n/a"},
		{"Inf", inf, "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Duration(tt.minutes); got != tt.want {
				t.Errorf("Duration(%v) = %q, want %q", tt.minutes, got, tt.want)
			}
		})
	}
}

func TestCount(t *testing.T) {
	tests := []struct {
		name string
		n    float64
		want string
	}{
		{"zero", 0, "0"},
		{"small", 7, "7"},
		{"hundreds", 999, "999"},
		{"thousand", 1000, "1,000"},
		{"typical", 12_345, "12,345"},
		{"rounds", 12_344.5, "12,345"},
		{"millions", 1_234_567, "1,234,567"},
		{"negative", -1_200, "−1,200"},
		{"tiny negative", -0.2, "0"},
		{"NaN", nan, "n/a"},
		{"Inf", inf, "n/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Count(tt.n); got != tt.want {
				t.Errorf("Count(%v) = %q, want %q", tt.n, got, tt.want)
			}
		})
	}
}

func TestCurrencyPrefix(t *testing.T) {
	for code, want := range map[string]string{
		"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "chf": "CHF ", "": "",
	} {
		if got := CurrencyPrefix(code); got != want {
			t.Errorf("CurrencyPrefix(%q) = %q, want %q", code, got, want)
		}
	}
}
