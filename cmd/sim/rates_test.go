package main

import (
	"reflect"
	"testing"
)

func TestParseRates(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want map[string]float64
		err  bool
	}{
		{"", nil, false},
		{"EUR=1.08", map[string]float64{"EUR": 1.08}, false},
		{" eur = 1.08 , GBP=1.27", map[string]float64{"EUR": 1.08, "GBP": 1.27}, false},
		{"EUR", nil, true},
		{"EUR=0", nil, true},
		{"EUR=-1", nil, true},
		{"EUR=NaN", nil, true},
		{"EURO=1", nil, true},
		{"EUR=1e12", nil, true},
	} {
		got, err := parseRates(tt.in)
		if (err != nil) != tt.err || !tt.err && !reflect.DeepEqual(got, tt.want) {
			t.Errorf("parseRates(%q) = %v, %v; want %v (error %v)", tt.in, got, err, tt.want, tt.err)
		}
	}
}
