package data

import (
	"io"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func FuzzParseTime(f *testing.F) {
	for _, s := range []string{
		"2024-03-01T09:30:00Z", "2024-03-01T09:30:00.123+02:00", "2024-03-01T09:30:00.000+0000",
		"2024-03-01", "2024-03-01 09:30:05", "2024-03-01T09:30", "1/20/2024", "20/01/2024 15:04",
		"01/02/2024", "1/2/2024 3:04 PM", "31.12.2024", "2/30/2024", "", "yesterday", "99/99/9999 99:99",
	} {
		f.Add(s, uint8(0))
		f.Add(s, uint8(2))
	}
	f.Fuzz(func(t *testing.T, s string, order uint8) {
		o := &Options{DateOrder: DateOrder(order % 3)}
		got, err := ParseTime(s, o)
		if err != nil {
			return
		}
		// A parsed time written RFC 3339 parses back to the same instant.
		back, err := ParseTime(got.Format(time.RFC3339Nano), o)
		if err != nil {
			if got.Year() < 0 || got.Year() > 9999 {
				return // RFC 3339 cannot hold it
			}
			t.Fatalf("ParseTime(%q) = %v, which does not parse back: %v", s, got, err)
		}
		if !back.Equal(got) {
			t.Fatalf("ParseTime(%q) = %v, round trip gives %v", s, got, back)
		}
	})
}

func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{
		"1200", "$1,234.50", "€ 1.234,50", "1.234,50 €", "USD 1200", "1200 EUR", "1,234", "1234,5",
		"1.234", "1.234.567", "1 234", "(1,200)", "-$1,200", "$-1,200", "abc", "1,23,4", "1e6", "NaN", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseAmount(s)
		if err != nil {
			return
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("ParseAmount(%q) = %v", s, v)
		}
		// The writer's format parses back to the same value.
		w := formatAmount(v)
		back, err := ParseAmount(w)
		if err != nil || back != v {
			t.Fatalf("ParseAmount(%q) = %v, written %q parses to %v, %v", s, v, w, back, err)
		}
	})
}

func FuzzReadLeads(f *testing.F) {
	f.Add([]byte(baseLeads))
	f.Add([]byte("\ufeff" + strings.ReplaceAll(baseLeads, "\n", "\r\n")))
	f.Add([]byte(strings.ReplaceAll(baseLeads, ",", ";")))
	f.Add([]byte(strings.ReplaceAll(baseLeads, ",", "\t")))
	f.Add([]byte("lead_id,created_at,source,notes\nL1,2024-01-01,web,\"a\nb\"\nL2,bad,web,x\n"))
	f.Add([]byte("lead_id,created_at,source\nL1,2024-01-01,we\"b\nL2,2024-01-02,\xff\n"))
	f.Add([]byte(""))
	f.Add([]byte("\"unterminated\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		lr := NewLeadReader(strings.NewReader(string(b)), "leads.csv", nil)
		n := 0
		for {
			l, err := lr.Read()
			if err != nil {
				if err == io.EOF {
					break
				}
				return // header errors are fine
			}
			n++
			if l.ID == "" || l.CreatedAt.IsZero() || !utf8.ValidString(l.ID) {
				t.Fatalf("bad lead %+v", l)
			}
		}
		if got := lr.Report.Rows["leads.csv"]; got != n+len(lr.Report.Rejected) {
			t.Fatalf("rows read %d != %d loaded + %d rejected", got, n, len(lr.Report.Rejected))
		}
	})
}
