package whatif

import "testing"

func TestThousands(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {999.4, "999"}, {999.5, "1,000"}, {34731.4, "34,731"}, {1234567, "1,234,567"}, {-1234.6, "-1,235"}, {-0.2, "0"},
	} {
		if got := thousands(tt.v); got != tt.want {
			t.Errorf("thousands(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}
