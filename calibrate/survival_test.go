package calibrate

import (
	"math"
	"slices"
	"testing"
)

// kmFixture has ties between events, between an event and a censoring (at
// t=2 and t=5), and a last observation that is an event (S drops to 0).
var kmFixture = []Obs{
	{T: 7, Event: true}, {T: 2, Event: true}, {T: 1, Event: true}, {T: 2, Event: false}, {T: 2, Event: true}, {T: 3, Event: false},
	{T: 4, Event: true}, {T: 5, Event: false}, {T: 5, Event: true}, {T: 6, Event: false},
}

func close12(a, b float64) bool {
	if a == b {
		return true
	}
	return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b))
}

func TestKaplanMeierHand(t *testing.T) {
	s := KaplanMeier(kmFixture)
	// Hand computation (events before censorings at equal times):
	//  t=1: n=10 d=1  S=9/10          Σ=1/90
	//  t=2: n=9  d=2  S=9/10·7/9=7/10 Σ+=2/63
	//  t=4: n=5  d=1  S=7/10·4/5=0.56 Σ+=1/20
	//  t=5: n=4  d=1  S=0.56·3/4=0.42 Σ+=1/12
	//  t=7: n=1  d=1  S=0
	wantT := []float64{1, 2, 4, 5, 7}
	wantN := []int{10, 9, 5, 4, 1}
	wantD := []int{1, 2, 1, 1, 1}
	wantS := []float64{9.0 / 10, 7.0 / 10, 0.56, 0.42, 0}
	gw := []float64{1.0 / 90, 1.0/90 + 2.0/63, 1.0/90 + 2.0/63 + 1.0/20, 1.0/90 + 2.0/63 + 1.0/20 + 1.0/12}
	if !slices.Equal(s.Time, wantT) || !slices.Equal(s.AtRisk, wantN) || !slices.Equal(s.Events, wantD) {
		t.Fatalf("got times %v at risk %v events %v", s.Time, s.AtRisk, s.Events)
	}
	if s.N != 10 || s.NEvents != 6 || s.MaxT != 7 {
		t.Errorf("N=%d NEvents=%d MaxT=%v, want 10 6 7", s.N, s.NEvents, s.MaxT)
	}
	for i := range wantS {
		if !close12(s.S[i], wantS[i]) {
			t.Errorf("S[%d]=%.17g want %.17g", i, s.S[i], wantS[i])
		}
		if i == 4 {
			if s.Var[i] != 0 || s.Lower[i] != 0 || s.Upper[i] != 0 {
				t.Errorf("S=0 step: var %v ci [%v,%v], want 0 [0,0]", s.Var[i], s.Lower[i], s.Upper[i])
			}
			continue
		}
		if v := wantS[i] * wantS[i] * gw[i]; !close12(s.Var[i], v) {
			t.Errorf("Var[%d]=%.17g want %.17g", i, s.Var[i], v)
		}
		// log-log: log(-log S) ± z·sqrt(Σ)/(-log S), mapped back by exp(-exp(.)).
		c := math.Log(-math.Log(wantS[i]))
		h := 1.959963984540054 * math.Sqrt(gw[i]) / -math.Log(wantS[i])
		lo, hi := math.Exp(-math.Exp(c+h)), math.Exp(-math.Exp(c-h))
		if !close12(s.Lower[i], lo) || !close12(s.Upper[i], hi) {
			t.Errorf("CI[%d]=[%.17g,%.17g] want [%.17g,%.17g]", i, s.Lower[i], s.Upper[i], lo, hi)
		}
	}
}

func TestSurvivalAtQuantile(t *testing.T) {
	s := KaplanMeier(kmFixture)
	at := []struct {
		name string
		t    float64
		want float64
	}{
		{"before first event", 0.5, 1},
		{"at first event", 1, 0.9},
		{"at tie", 2, 0.7},
		{"between steps", 3.5, 0.7},
		{"at censoring only", 6, 0.42},
		{"after last", 100, 0},
	}
	for _, tt := range at {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.At(tt.t); !close12(got, tt.want) {
				t.Errorf("At(%v)=%v want %v", tt.t, got, tt.want)
			}
		})
	}
	q := []struct {
		name string
		p    float64
		want float64
	}{
		{"p=0.3 hits S=0.7 exactly", 0.3, 2},
		{"median", 0.5, 5},
		{"p=0.44 hits S=0.56 exactly", 0.44, 4},
		{"p=0.9", 0.9, 7},
	}
	for _, tt := range q {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.Quantile(tt.p); got != tt.want {
				t.Errorf("Quantile(%v)=%v want %v", tt.p, got, tt.want)
			}
		})
	}
	if s.Median() != 5 {
		t.Errorf("Median=%v want 5", s.Median())
	}
	// Heavy censoring: the median is never reached.
	c := KaplanMeier([]Obs{{T: 1, Event: true}, {T: 2, Event: false}, {T: 3, Event: false}, {T: 4, Event: false}})
	if m := c.Median(); !math.IsInf(m, 1) {
		t.Errorf("censored median=%v want +Inf", m)
	}
}

func TestKaplanMeierEdge(t *testing.T) {
	tests := []struct {
		name  string
		obs   []Obs
		wantS []float64
	}{
		{"empty", nil, nil},
		{"all censored", []Obs{{T: 1, Event: false}, {T: 2, Event: false}}, nil},
		{"no censoring equals empirical", []Obs{{T: 3, Event: true}, {T: 1, Event: true}, {T: 2, Event: true}, {T: 2, Event: true}}, []float64{0.75, 0.25, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := KaplanMeier(tt.obs)
			if len(s.S) != len(tt.wantS) {
				t.Fatalf("S=%v want %v", s.S, tt.wantS)
			}
			for i := range s.S {
				if !close12(s.S[i], tt.wantS[i]) {
					t.Errorf("S=%v want %v", s.S, tt.wantS)
				}
			}
		})
	}
	// The input is not reordered.
	in := slices.Clone(kmFixture)
	KaplanMeier(in)
	if !slices.Equal(in, kmFixture) {
		t.Error("KaplanMeier modified its input")
	}
}
