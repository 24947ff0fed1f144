package data

import "testing"

func TestBecameStage(t *testing.T) {
	tests := []struct {
		header, want string
		ok           bool
	}{
		{"Became a Lead Date", "Lead", true},
		{"Became an Opportunity Date", "Opportunity", true},
		{"  became a marketing qualified lead date ", "marketing qualified lead", true},
		{"Became a Date", "", false}, // prefix and suffix overlap (a fuzz crasher)
		{"Became an Date", "", false},
		{"Became a  Date", "", false},
		{"İBecame a Lead Date", "", false},
		{"Became a İ Date", "İ", true},
		{"Create Date", "", false},
		{"date", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := becameStage(tt.header)
		if got != tt.want || ok != tt.ok {
			t.Errorf("becameStage(%q) = %q, %v; want %q, %v", tt.header, got, ok, tt.want, tt.ok)
		}
	}
}
