package main

import (
	"math"
	"strconv"
	"testing"
	"time"
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

func TestProgressETA(t *testing.T) {
	p := &progress{total: 1000}
	if got := p.eta(0); got != "" {
		t.Errorf("eta before any quarter = %q, want none", got)
	}
	if got := p.eta(10); got != "" {
		t.Errorf("eta at the first quarter = %q, want none (it starts the clock)", got)
	}
	p.first = p.first.Add(-2 * time.Second) // 2 s since quarter 10
	if got := p.eta(40); got != "" {
		t.Errorf("eta after 3%% of the quarters = %q, want none until 5%%", got)
	}
	if got, want := p.eta(210), ", about 8s left"; got != want {
		t.Errorf("eta = %q, want %q (200 quarters in 2 s, 790 left)", got, want)
	}
}
