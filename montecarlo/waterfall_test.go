package montecarlo

import (
	"math"
	"runtime"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// TestWaterfallBalances checks the pipeline's movement of every simulated
// quarter, on the walk and on marks, with and without a horizon: opening
// + created - won - lost = closing, up to rounding; a quarter's closing
// pipeline is the next one's opening; slipped is within closing; and the
// per-source series add up to their totals.
func TestWaterfallBalances(t *testing.T) {
	start := model.Default()
	start.Start = &model.Start{Opportunities: []model.OpenOpportunity{{Source: "web", Amount: 30000, AgeDays: 10}, {Source: "events", Amount: 50000, AgeDays: 80}}}
	for _, tc := range []struct {
		name string
		m    *model.Model
		h    int
		eng  engine
	}{
		{"default", model.Default(), 1, engineAuto},
		{"default horizon 3", model.Default(), 3, engineAuto},
		{"start", start, 2, engineAuto},
		{"marks horizon 3", mixedQueueFree(), 3, engineMarks},
		{"walk horizon 3", mixedQueueFree(), 3, engineWalk},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := mustRun(t, tc.m, Config{Quarters: 40, Horizon: tc.h, Seed: 5, engine: tc.eng})
			J := len(tc.m.Sources)
			if len(r.SrcRevenue) != J*r.Quarters*r.Horizon {
				t.Fatalf("%d source revenues, want %d", len(r.SrcRevenue), J*r.Quarters*r.Horizon)
			}
			near := func(what string, i int, got, want float64) {
				t.Helper()
				if math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
					t.Errorf("quarter %d: %s %.6f, want %.6f", i, what, got, want)
				}
			}
			lost, won := 0.0, 0.0
			for i := range r.Quarters * r.Horizon {
				created := r.MktValue[i] + r.SalesValue[i]
				near("closing", i, r.ClosingPipeline[i], r.OpenPipeline[i]+created-r.Revenue[i]-r.LostValue[i])
				near("closing deals", i, r.ClosingDeals[i], r.OpenDeals[i]+r.MktCreated[i]+r.SalesCreated[i]-r.Won[i]-r.LostDeals[i])
				if k := i % r.Horizon; k+1 < r.Horizon {
					near("next opening", i, r.OpenPipeline[i+1], r.ClosingPipeline[i])
				}
				if r.SlippedValue[i] > r.ClosingPipeline[i]+1e-6 || r.SlippedValue[i] > r.OpenPipeline[i]+1e-6 {
					t.Errorf("quarter %d: slipped %g above closing %g or opening %g", i, r.SlippedValue[i], r.ClosingPipeline[i], r.OpenPipeline[i])
				}
				var rev, w, c, cv float64
				for j := range J {
					rev += r.SrcRevenue[i*J+j]
					w += r.SrcWon[i*J+j]
					c += r.SrcCreated[i*J+j]
					cv += r.SrcCreatedV[i*J+j]
				}
				near("source revenue", i, rev, r.Revenue[i])
				near("source won", i, w, r.Won[i])
				near("source created", i, c, r.MktCreated[i]+r.SalesCreated[i])
				near("source created value", i, cv, created)
				lost += r.LostValue[i]
				won += r.Revenue[i]
			}
			if lost == 0 || won == 0 {
				t.Errorf("no deal lost (%g) or won (%g) in %d quarters", lost, won, r.Quarters*r.Horizon)
			}
		})
	}
}

// TestRunPinnedExtra pins the series added after TestRunPinned's hashes
// (the waterfall's and the per-source ones), as TestRunPinned does.
func TestRunPinnedExtra(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("results pinned on amd64")
	}
	for _, tt := range []struct {
		name string
		m    *model.Model
		H    int
		want uint64
	}{
		{"default horizon 2", model.Default(), 2, 0xa044bc6a41a386a2},
		{"marks", mixedQueueFree(), 2, 0x69b10a550de9966a},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := mustRun(t, tt.m, Config{Quarters: 8, Seed: 77, Horizon: tt.H})
			h := uint64(14695981039346656037)
			for _, x := range r.series()[pinnedSeries:] {
				for _, v := range *x {
					h = (h ^ math.Float64bits(v)) * 1099511628211
				}
			}
			if h != tt.want {
				t.Errorf("extra series hash %#016x, want %#016x", h, tt.want)
			}
		})
	}
}

// TestReportBreakdowns checks the report's breakdowns, movement and total
// against the series they summarise: the sources' mean revenue and
// pipeline created add up to the totals, teams alike, the movement's means
// balance, and the year total's mean is the sum of the quarters' means.
func TestReportBreakdowns(t *testing.T) {
	m := model.Default()
	m.Sources[0].Segment, m.Sources[1].Segment = "smb", "enterprise"
	r := mustRun(t, m, Config{Quarters: 60, Horizon: 4, Seed: 3})
	rep := NewReport(m, r)
	by := map[string][2]float64{}
	for _, b := range rep.Breakdowns {
		v := by[b.By]
		v[0] += float64(b.Revenue.Mean)
		v[1] += float64(b.Created.Mean)
		by[b.By] = v
	}
	created := float64(rep.PipelineCreated.MarketingValue.Mean + rep.PipelineCreated.SalesValue.Mean)
	for _, k := range []string{"source", "segment", "team"} {
		v, ok := by[k]
		if !ok {
			t.Fatalf("no breakdown by %s in %+v", k, rep.Breakdowns)
		}
		if math.Abs(v[0]-float64(rep.Revenue.Mean)) > 1e-6*v[0] || math.Abs(v[1]-created) > 1e-6*v[1] {
			t.Errorf("by %s: revenue %g, created %g; want %g, %g", k, v[0], v[1], float64(rep.Revenue.Mean), created)
		}
	}
	mv := rep.PipelineMovement
	if d := float64(mv.Opening.Mean + mv.Created.Mean - mv.Won.Mean - mv.Lost.Mean - mv.Closing.Mean); math.Abs(d) > 1e-6*float64(mv.Opening.Mean) {
		t.Errorf("movement does not balance: off by %g", d)
	}
	tot := rep.RevenueTotal
	if tot == nil || tot.Quarters != 4 || tot.QuotaChance == nil {
		t.Fatalf("total %+v", tot)
	}
	want := 0.0
	for _, q := range rep.PerQuarter {
		want += float64(q.Mean)
	}
	if math.Abs(float64(tot.Revenue.Mean)-want) > 1e-9*want {
		t.Errorf("year total mean %g, want %g", float64(tot.Revenue.Mean), want)
	}
}
