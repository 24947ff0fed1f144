package calibrate

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/stat/distuv"
)

// fourSigmaP is the one-sided normal tail beyond 4σ: a test that rejects at
// this level has a false-positive rate of 3.2e-5.
const fourSigmaP = 3.167124183311992e-05

// simulateArrivals draws Poisson counts for every hour-cell of every week,
// with mean weekly[w]·shape[d][h]/Σshape, and places arrivals uniformly
// within the hour. The origin is a Monday.
func simulateArrivals(r *rand.Rand, weekly []float64, shape *[7][24]float64) []float64 {
	var sum float64
	for d := range shape {
		for h := range shape[d] {
			sum += shape[d][h]
		}
	}
	var hours []float64
	for w, m := range weekly {
		for c := 0; c < 168; c++ {
			day := (int(time.Monday) + c/24) % 7
			lam := m * shape[day][c%24] / sum
			k := int(distuv.Poisson{Lambda: lam, Src: r}.Rand())
			for range k {
				hours = append(hours, float64(168*w+c)+r.Float64())
			}
		}
	}
	return hours
}

func businessShape() *[7][24]float64 {
	var s [7][24]float64
	for d := range s {
		for h := range s[d] {
			day := 1.3
			if d == int(time.Saturday) || d == int(time.Sunday) {
				day = 0.25
			}
			hour := 0.4
			if h >= 8 && h < 18 {
				hour = 3
			}
			s[d][h] = day * hour
		}
	}
	return &s
}

// TestFitArrivalsPoisson: stationary Poisson arrivals, 500 a week for 52
// weeks with a business-hours profile. The rate, every profile cell and a
// zero trend are recovered within 4 standard errors, and overdispersion is
// not reported at the 4σ level.
func TestFitArrivalsPoisson(t *testing.T) {
	shape := businessShape()
	var sum float64
	for d := range shape {
		for h := range shape[d] {
			sum += shape[d][h]
		}
	}
	seeds := []uint64{51, 52, 53}
	if testing.Short() {
		seeds = seeds[:1]
	}
	for _, seed := range seeds {
		r := rand.New(rand.NewPCG(seed, 5))
		weekly := make([]float64, 52)
		for i := range weekly {
			weekly[i] = 500
		}
		a, err := FitArrivals(simulateArrivals(r, weekly, shape), 52, time.Monday)
		if err != nil {
			t.Fatal(err)
		}
		if se := math.Sqrt(500.0 / 52); math.Abs(a.WeeklyRate-500) > 4*se {
			t.Errorf("seed %d: rate %v, truth 500 ± %v", seed, a.WeeklyRate, se)
		}
		for d := range shape {
			for h := range shape[d] {
				want := 168 * shape[d][h] / sum
				got := a.Profile[d][h]
				// Poisson SE of a cell count, scaled like the profile.
				se := 168 * math.Sqrt(want/168*float64(a.Total)) / float64(a.Total)
				if math.Abs(got-want) > 4*se {
					t.Errorf("seed %d: profile[%v][%d]=%.3f, truth %.3f ± %.3f", seed, time.Weekday(d), h, got, want, se)
				}
			}
		}
		if math.Abs(a.Trend) > 4*a.TrendSE {
			t.Errorf("seed %d: trend %v ± %v, truth 0", seed, a.Trend, a.TrendSE)
		}
		if a.PValue < fourSigmaP {
			t.Errorf("seed %d: overdispersion falsely detected: LR %v p %v r %v", seed, a.LR, a.PValue, a.Dispersion)
		}
	}
}

// TestFitArrivalsOverdispersed: weekly means drawn from Gamma(shape 5, mean
// 400) make weekly counts negative binomial with size r = 5. The LR test
// detects it at the 4σ level and log r is within 4 SE of log 5.
func TestFitArrivalsOverdispersed(t *testing.T) {
	var flat [7][24]float64
	for d := range flat {
		for h := range flat[d] {
			flat[d][h] = 1
		}
	}
	for _, seed := range []uint64{61, 62} {
		r := rand.New(rand.NewPCG(seed, 6))
		g := distuv.Gamma{Alpha: 5, Beta: 5.0 / 400, Src: r}
		weekly := make([]float64, 104)
		for i := range weekly {
			weekly[i] = g.Rand()
		}
		a, err := FitArrivals(simulateArrivals(r, weekly, &flat), 104, time.Monday)
		if err != nil {
			t.Fatal(err)
		}
		if a.PValue > fourSigmaP {
			t.Errorf("seed %d: overdispersion missed: LR %v p %v", seed, a.LR, a.PValue)
		}
		if math.Abs(math.Log(a.Dispersion)-math.Log(5)) > 4*a.DispersionLogSE {
			t.Errorf("seed %d: r=%v (log SE %v), truth 5", seed, a.Dispersion, a.DispersionLogSE)
		}
		// Under NB, SE of the weekly rate is sqrt((μ+μ²/r)/W) ≈ 18 at r=5.
		if math.Abs(a.WeeklyRate-400) > 4*a.WeeklyRateSE {
			t.Errorf("seed %d: rate %v ± %v, truth 400", seed, a.WeeklyRate, a.WeeklyRateSE)
		}
	}
}

// TestFitArrivalsTrend: Poisson weekly means 300 + 5w over 40 weeks; the
// OLS slope is within 4 SE of 5 and a warning flags the trend.
func TestFitArrivalsTrend(t *testing.T) {
	r := rand.New(rand.NewPCG(71, 7))
	weekly := make([]float64, 40)
	for i := range weekly {
		weekly[i] = 300 + 5*float64(i)
	}
	a, err := FitArrivals(simulateArrivals(r, weekly, businessShape()), 40, time.Monday)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(a.Trend-5) > 4*a.TrendSE {
		t.Errorf("trend %v ± %v, truth 5", a.Trend, a.TrendSE)
	}
	if len(a.Warnings) != 1 {
		t.Errorf("warnings %v, want the trend warning", a.Warnings)
	}
}

func TestFitArrivalsHand(t *testing.T) {
	// Origin Saturday. Hour 0 is Saturday 00:xx, hour 49.5 is Monday 01:xx,
	// hour 170 is Saturday 02:xx of week 1.
	a, err := FitArrivals([]float64{0, 0.5, 49.5, 170, 400}, 3, time.Saturday)
	if err != nil {
		t.Fatal(err)
	}
	if a.WeeklyCounts[0] != 3 || a.WeeklyCounts[1] != 1 || a.WeeklyCounts[2] != 1 {
		t.Errorf("weekly counts %v", a.WeeklyCounts)
	}
	// 400 h = 16 days + 16 h: Saturday + 16 days = Monday, 16:00.
	cells := []struct {
		d    time.Weekday
		h    int
		want float64
	}{
		{time.Saturday, 0, 168 * 2.0 / 5}, {time.Monday, 1, 168 / 5.0},
		{time.Saturday, 2, 168 / 5.0}, {time.Monday, 16, 168 / 5.0}, {time.Sunday, 0, 0},
	}
	for _, c := range cells {
		if got := a.Profile[c.d][c.h]; !close12(got, c.want) {
			t.Errorf("Profile[%v][%d]=%v want %v", c.d, c.h, got, c.want)
		}
	}
	// Slope of (3,1,1) on (0,1,2) is -1; residuals (1/3,-2/3,1/3), RSS 2/3,
	// SE = sqrt(2/3 / 1 / 2).
	if !close12(a.Trend, -1) || !close12(a.TrendSE, math.Sqrt(1.0/3)) {
		t.Errorf("trend %v ± %v", a.Trend, a.TrendSE)
	}
	errs := []struct {
		name  string
		hours []float64
		weeks int
		want  string
	}{
		{"too few weeks", nil, 2, "calibrate: FitArrivals: 2 weeks, need at least 3"},
		{"outside window", []float64{1, 504}, 3, "calibrate: FitArrivals: arrival 1 at hour 504 is outside [0, 504)"},
		{"negative", []float64{-1}, 3, "calibrate: FitArrivals: arrival 0 at hour -1 is outside [0, 504)"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := FitArrivals(tt.hours, tt.weeks, time.Monday)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err=%v want %q", err, tt.want)
			}
		})
	}
}
