package main

import (
	"math"
	"strconv"
	"testing"
)

func TestCSVNum(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{8.708422869598372e+06, "8708422.869598372"},
		{0, "0"},
		{-12.5, "-12.5"},
		{1e20, "100000000000000000000"},
		{1e21, "1e+21"},
		{2.5e-7, "2.5e-07"},
		{0.000123, "0.000123"},
		{math.NaN(), ""},
		{math.Inf(1), "+Inf"},
		{math.Inf(-1), "-Inf"},
	}
	for _, tt := range tests {
		got := csvNum(tt.v)
		if got != tt.want {
			t.Errorf("csvNum(%g) = %q, want %q", tt.v, got, tt.want)
		}
		if back, err := strconv.ParseFloat(got, 64); got != "" && (err != nil || back != tt.v) {
			t.Errorf("csvNum(%g) = %q reads back as %g, %v", tt.v, got, back, err)
		}
	}
}

func TestMDCode(t *testing.T) {
	tests := []struct{ in, want string }{
		{"stages[2].p", "`stages[2].p`"},
		{"a|b", "`a\\|b`"},
		{"<script>", "`<script>`"},
		{"a`b", "a\\`b"},
	}
	for _, tt := range tests {
		if got := mdCode(tt.in); got != tt.want {
			t.Errorf("mdCode(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
