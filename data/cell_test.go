package data

import (
	"slices"
	"testing"
)

func TestSafeCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"web", "web"},
		{"=1+1", "'=1+1"},
		{`=HYPERLINK("http://x","y")`, `'=HYPERLINK("http://x","y")`},
		{"+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"-12.5", "-12.5"},
		{"+3", "+3"},
		{"-1e+06", "-1e+06"},
		{"-Inf", "'-Inf"},
		{"a=b", "a=b"},
		{"'=x", "'=x"},
	}
	for _, tt := range tests {
		if got := SafeCell(tt.in); got != tt.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	row := []string{"a", "1", "=x", "-y"}
	got := SafeRow(row)
	if want := []string{"a", "1", "'=x", "'-y"}; !slices.Equal(got, want) {
		t.Errorf("SafeRow = %q, want %q", got, want)
	}
	if row[2] != "=x" {
		t.Errorf("SafeRow changed its argument: %q", row)
	}
}
