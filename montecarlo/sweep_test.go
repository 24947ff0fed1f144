package montecarlo

import (
	"context"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/funnelsim/funnel/model"
)

// sweepModels returns variants of base that change each thing upstreamOf
// leaves out, one at a time, plus one that changes an arrival rate (which
// the upstream part depends on).
func sweepModels(base *model.Model) (ms []*model.Model, names []string) {
	add := func(name string, f func(m *model.Model)) {
		m := base.Clone()
		f(m)
		ms, names = append(ms, m), append(names, name)
	}
	add("base", func(*model.Model) {})
	add("3 SDRs", func(m *model.Model) { m.Handoff.SDR.Headcount = 3 })
	add("24x7", func(m *model.Model) { m.Handoff.SDR.Hours = model.WorkHours{Start: 0, End: 24} })
	add("handling", func(m *model.Model) { m.Handoff.SDR.Handle.Median *= 2 })
	add("contact and decay", func(m *model.Model) {
		m.Handoff.Contact = 0.7
		m.Handoff.Decay.T50 = 10
	})
	add("first-touch SLA", func(m *model.Model) {
		for i := range m.SLAs {
			if m.SLAs[i].From == m.Handoff.Stage && len(m.SLAs[i].To) == 0 {
				m.SLAs[i].Hours, m.SLAs[i].Business, m.SLAs[i].Target = 0.1, false, 0.5
			}
		}
		m.Name, m.Quota = "renamed", 2*m.Quota
	})
	add("more events", func(m *model.Model) { m.Sources[1].RatePerWeek *= 1.5 })
	return ms, names
}

// TestRunSweepEqualsRun: RunSweep returns, bit for bit, what Run returns
// for each model, whichever way the models group: on the stationary
// opening state (the default), on a calibrated starting state, on a
// warm-up, over a horizon of two quarters, and with a model drawn from
// marks among them. It also checks the grouping, so that the comparison
// covers the shared path.
func TestRunSweepEqualsRun(t *testing.T) {
	withStart := model.Default()
	withStart.Start = &model.Start{
		Leads: []model.OpenLead{
			{Stage: "engaged", Source: "web", Count: 800, AgeDays: 5},
			{Stage: "mql", Source: "web", Count: 40, AgeDays: 0.5, Waiting: true},
			{Stage: "tql", Source: "events", Count: 30, AgeDays: 0.1},
		},
		Opportunities: []model.OpenOpportunity{{Source: "web", Amount: 30000, AgeDays: 20}, {Source: "outbound", Amount: 50000, AgeDays: 70}},
	}
	warm := model.Default()
	warm.WarmupDays = 70
	for _, tt := range []struct {
		name  string
		base  *model.Model
		cfg   Config
		pick  []int // of sweepModels
		group []int // of the models picked, those grouped
	}{
		{"stationary", model.Default(), Config{Quarters: size(24, 10), Seed: 3}, []int{0, 1, 2, 3, 4, 5, 6}, []int{0, 1, 2, 3, 4, 5}},
		{"start", withStart, Config{Quarters: size(24, 10), Seed: 4}, []int{0, 1, 2, 3, 4, 5, 6}, []int{0, 1, 2, 3, 4, 5}},
		{"warm-up", warm, Config{Quarters: size(12, 6), Seed: 5}, []int{0, 1, 2, 3, 4, 5, 6}, []int{0, 1, 2, 3, 4, 5}},
		{"horizon-2", model.Default(), Config{Quarters: size(12, 6), Seed: 6, Horizon: 2}, []int{0, 1, 6}, []int{0, 1}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			all, allNames := sweepModels(tt.base)
			var ms []*model.Model
			var names []string
			for _, i := range tt.pick {
				ms, names = append(ms, all[i]), append(names, allNames[i])
			}
			ms, names = append(ms, plain5Stage()), append(names, "marks")
			// Those grouped share their upstream part; the others not.
			want := [][]int{tt.group}
			for i := len(tt.group); i < len(ms); i++ {
				want = append(want, []int{i})
			}
			defer func(n int) { sweepMemory = n }(sweepMemory)
			sweepMemory = 1 << 40 // one batch
			var done []int
			cfg := tt.cfg
			cfg.Workers = 3
			cfg.Progress = func(d int) { done = append(done, d) }
			got, groups, err := runSweep(context.Background(), ms, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(groups, want) {
				t.Fatalf("groups %v, want %v", groups, want)
			}
			if n := len(ms) * cfg.Quarters; len(done) == 0 || slices.Max(done) != n || !slices.IsSorted(done) {
				t.Errorf("progress %v, want increasing to %d", done, n)
			}
			for i, m := range ms {
				r := mustRun(t, m, Config{Quarters: tt.cfg.Quarters, Seed: tt.cfg.Seed, Horizon: tt.cfg.Horizon, Workers: 2})
				if sumOf(r.Revenue) == 0 || (m.Handoff != nil && sumOf(r.MQLs) == 0) {
					t.Fatalf("%s: no revenue or no MQLs: the comparison would be vacuous", names[i])
				}
				if d := sameResults(r, got[i]); d != "" {
					t.Errorf("%s: RunSweep differs from Run: %s", names[i], d)
				}
			}
			// The scenarios differ: the sweep did not hand one model's
			// queue to another.
			if sameFloats(got[0].RespP50, got[1].RespP50) == "" {
				t.Error("3 SDRs respond exactly as 6 do")
			}
		})
	}
}

// TestRunSweepBatches: models taken a few at a time, as many as
// sweepMemory holds, group within their batch only, share a stationary
// state with the models of their batch that have the same, and still
// give what Run gives.
func TestRunSweepBatches(t *testing.T) {
	ms, names := sweepModels(model.Default())
	cfg := Config{Quarters: size(8, 4), Seed: 9, Workers: 2}
	if err := cfg.fill(); err != nil {
		t.Fatal(err)
	}
	b := prepare(context.Background(), ms[0], cfg, nil).prepBytes()
	defer func(n int) { sweepMemory = n }(sweepMemory)
	sweepMemory = 3*b + b/2 // two models a batch: one held, one in progress counted twice
	got, groups, err := runSweep(context.Background(), ms, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]int{{0, 1}, {2, 3}, {4, 5}, {6}}; !reflect.DeepEqual(groups, want) {
		t.Fatalf("groups %v, want %v", groups, want)
	}
	for i, m := range ms {
		if d := sameResults(mustRun(t, m, cfg), got[i]); d != "" {
			t.Errorf("%s: %s", names[i], d)
		}
	}
}

// TestRunSweepKeepsApart: models that differ in something the walk before
// the handoff reads do not share it, and still give what Run gives: an
// SLA measured before the handoff, business hours (which such an SLA
// counts in), the recycle cap, a delay before the handoff.
func TestRunSweepKeepsApart(t *testing.T) {
	base := model.Default()
	base.WarmupDays = 70
	base.SLAs = append(base.SLAs, model.SLA{Name: "nurture", From: "engaged", To: []string{"mql"}, Hours: 200, Business: true})
	variant := func(f func(m *model.Model)) *model.Model {
		m := base.Clone()
		m.Handoff.SDR.Headcount = 3 // alone, this would be grouped
		f(m)
		return m
	}
	ms := []*model.Model{base,
		variant(func(m *model.Model) { m.SLAs[2].Hours = 20 }),
		variant(func(m *model.Model) { m.BusinessHours = &model.WorkHours{Start: 9, End: 17} }),
		variant(func(m *model.Model) { m.MaxRecycles = 1 }),
		variant(func(m *model.Model) { m.Transitions[1].Delay.Median = 10 }),
		variant(func(*model.Model) {}),
	}
	cfg := Config{Quarters: size(8, 4), Seed: 10}
	got, groups, err := runSweep(context.Background(), ms, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]int{{0, 5}, {1}, {2}, {3}, {4}}; !reflect.DeepEqual(groups, want) {
		t.Fatalf("groups %v, want %v", groups, want)
	}
	for i, m := range ms {
		if d := sameResults(mustRun(t, m, cfg), got[i]); d != "" {
			t.Errorf("model %d: %s", i, d)
		}
	}
}

// TestRunSweepDegenerateQueue: a queue that never makes anyone wait and
// always contacts has the same law at both loads, so that even the cells
// of leads past the queue are fixed; a model with a real queue, otherwise
// alike, must not share their upstream part (sameFixed tells them apart).
func TestRunSweepDegenerateQueue(t *testing.T) {
	a := model.Default()
	a.Handoff.Contact = 1
	a.Handoff.Decay = model.Decay{}
	a.Handoff.SDR = model.SDRTeam{Headcount: 50, Hours: model.WorkHours{Start: 0, End: 24}, Handle: model.Dist{Form: model.Fixed, Value: 1e-6}}
	b := a.Clone()
	b.Handoff.SDR.Headcount = 40
	c := model.Default()
	c.Handoff.Contact = 1
	c.Handoff.Decay = model.Decay{}
	ms := []*model.Model{a, b, c}
	cfg := Config{Quarters: size(8, 4), Seed: 11}
	got, groups, err := runSweep(context.Background(), ms, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]int{{0, 1}, {2}}; !reflect.DeepEqual(groups, want) {
		t.Fatalf("groups %v, want %v", groups, want)
	}
	for i, m := range ms {
		if d := sameResults(mustRun(t, m, cfg), got[i]); d != "" {
			t.Errorf("model %d: %s", i, d)
		}
	}
}

// TestRunSweepCancel: a cancelled sweep returns the context's error.
func TestRunSweepCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ms, _ := sweepModels(model.Default())
	if _, err := RunSweep(ctx, ms, Config{Quarters: 100}); err != context.Canceled {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestRunSweepDrawParams: with parameters drawn per run the models share
// nothing, and still give what Run gives.
func TestRunSweepDrawParams(t *testing.T) {
	ms, _ := sweepModels(model.Default())
	ms = ms[:2]
	for _, m := range ms {
		for i := range m.Stages {
			m.Stages[i].Observations = 400
		}
	}
	cfg := Config{Quarters: size(10, 4), Seed: 8, DrawParams: true}
	got, err := RunSweep(context.Background(), ms, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		if d := sameResults(mustRun(t, m, cfg), got[i]); d != "" {
			t.Errorf("model %d: %s", i, d)
		}
	}
}

// TestCopyRun: copyRun copies every per-run series, and only the run it
// is asked for.
func TestCopyRun(t *testing.T) {
	m := model.Default()
	cfg := Config{Quarters: 3, Horizon: 2}
	from, to := newResults(m, Config{Quarters: 1, Horizon: 2}), newResults(m, cfg)
	v := reflect.ValueOf(from).Elem()
	series := 0
	for i := range v.NumField() {
		if x, ok := v.Field(i).Interface().([]float64); ok {
			for j := range x {
				x[j] = float64(1000*i + j + 1)
			}
			series++
		}
	}
	to.copyRun(from, 0, 1)
	w := reflect.ValueOf(to).Elem()
	for i := range w.NumField() {
		x, ok := w.Field(i).Interface().([]float64)
		if !ok {
			continue
		}
		f := v.Field(i).Interface().([]float64)
		per := len(x) / (cfg.Quarters * cfg.Horizon)
		for j := range x {
			run := j / per / cfg.Horizon
			want := 0.0
			if run == 1 {
				want = f[j-per*cfg.Horizon]
			}
			if x[j] != want {
				t.Errorf("%s[%d] = %v, want %v", w.Type().Field(i).Name, j, x[j], want)
				break
			}
		}
	}
	if series < 17 {
		t.Errorf("only %d series checked", series)
	}
}

// TestFixedCells: in the default model the cells of leads that have not
// met the queue are drawn alike whatever its load, the others not; and a
// change of headcount leaves the fixed cells as they were.
func TestFixedCells(t *testing.T) {
	m := model.Default()
	c := prepare(context.Background(), m, Config{}, nil)
	handoff := int32(m.StageIndex(m.Handoff.Stage))
	fixed, other := 0, 0
	for _, tb := range c.stat.tables {
		for _, sg := range tb.segs {
			cl := c.stat.classes[sg.class]
			outbound := m.Sources[tb.src].Name == "outbound"
			upstream := cl.rec == 0 && (cl.stage < handoff || (cl.stage == handoff && cl.kind == cellReady)) || outbound
			if sg.fixed != upstream {
				t.Errorf("source %d block %d class %+v: fixed %v, want %v", tb.src, tb.block, cl, sg.fixed, upstream)
			}
			if sg.fixed {
				fixed++
			} else {
				other++
			}
		}
	}
	if fixed == 0 || other == 0 {
		t.Fatalf("%d fixed cells, %d others", fixed, other)
	}
	m3 := m.Clone()
	m3.Handoff.SDR.Headcount = 3
	if !sameFixed(c, prepare(context.Background(), m3, Config{}, nil)) {
		t.Error("3 SDRs change the fixed cells")
	}
	if math.IsNaN(c.stat.t0) {
		t.Fatal("no past")
	}
}

// TestRunSweepMemoEdges checks the memos' guards against Run: a group's
// first model drawing its handling time otherwise than the others (gamma
// against empirical, fixed and lognormal, which take other numbers of
// draws), SDRs around the clock first, a no-contact stage in the pipeline
// (entering it draws a deal amount), none or a terminal one, no recycles,
// and a starting state with leads waiting since the quarter's start.
func TestRunSweepMemoEdges(t *testing.T) {
	defer func(n int) { sweepMemory = n }(sweepMemory)
	sweepMemory = 1 << 40 // one batch
	type variant func(m *model.Model)
	sdrs := func(n int) variant { return func(m *model.Model) { m.Handoff.SDR.Headcount = n } }
	same := func(*model.Model) {}
	allDay := func(m *model.Model) { m.Handoff.SDR.Hours = model.WorkHours{Start: 0, End: 24} }
	gammaH := func(m *model.Model) { m.Handoff.SDR.Handle = model.Dist{Form: model.Gamma, Shape: 1.7, Mean: 9} }
	empH := func(m *model.Model) {
		m.Handoff.SDR.Handle = model.Dist{Form: model.Empirical, Values: []float64{3, 9, 30}}
	}
	fixedH := func(m *model.Model) { m.Handoff.SDR.Handle = model.Dist{Form: model.Fixed, Value: 9} }
	warm := func(m *model.Model) { m.WarmupDays = 60 }
	for _, tt := range []struct {
		name string
		base func(m *model.Model)
		vs   []variant
		H    int
	}{
		{"gamma first", warm, []variant{gammaH, sdrs(3), func(m *model.Model) { gammaH(m); sdrs(2)(m) }, empH, fixedH}, 1},
		{"around the clock first", warm, []variant{allDay, sdrs(2), same, sdrs(12)}, 2},
		{"no contact to pipeline", func(m *model.Model) { warm(m); m.Handoff.NoContact = "opportunity" }, []variant{same, sdrs(2), allDay, gammaH}, 1},
		{"no contact stays", func(m *model.Model) { m.Handoff.NoContact = "" }, []variant{same, sdrs(2), allDay}, 1},
		{"no contact ends", func(m *model.Model) { m.Handoff.NoContact = "disqualified" }, []variant{same, sdrs(1), allDay}, 3},
		{"no recycles", func(m *model.Model) { m.MaxRecycles = 0 }, []variant{same, sdrs(1), allDay}, 2},
		{"start", func(m *model.Model) {
			m.Start = &model.Start{Leads: []model.OpenLead{
				{Stage: "engaged", Source: "web", Count: 300, AgeDays: 5},
				{Stage: "mql", Source: "web", Count: 200, AgeDays: 0, Waiting: true},
				{Stage: "mql", Source: "events", Count: 40, AgeDays: 3, Waiting: true},
			}}
		}, []variant{sdrs(1), same, allDay, fixedH}, 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ms []*model.Model
			for _, v := range tt.vs {
				m := model.Default()
				tt.base(m)
				v(m)
				ms = append(ms, m)
			}
			cfg := Config{Quarters: 10, Seed: 31, Workers: 2, Horizon: tt.H}
			got, groups, err := runSweep(context.Background(), ms, cfg)
			if err != nil {
				t.Fatal(err)
			}
			if len(groups) != 1 {
				t.Fatalf("groups %v, want one", groups)
			}
			for i, m := range ms {
				if d := sameResults(mustRun(t, m, cfg), got[i]); d != "" {
					t.Errorf("model %d: %s", i, d)
				}
			}
		})
	}
}

// TestMemoReplays checks that a group's models do go through the memos:
// the first model records walks, and the leads they send back to the
// queue get memos of their own, which a second model extends.
func TestMemoReplays(t *testing.T) {
	m := model.Default()
	m2 := m.Clone()
	m2.Handoff.SDR.Headcount = 2
	cfg := Config{Quarters: 1, Horizon: 1}
	if err := cfg.fill(); err != nil {
		t.Fatal(err)
	}
	c := prepare(context.Background(), m, cfg, nil)
	up := newSim(c, newResults(m, cfg), 1, nil)
	up.upstreamRun(0, 1)
	newSim(c, newResults(m, cfg), 1, nil).runAfter(up, 0, 1)
	memos, steps := len(up.memo), len(up.steps)
	t.Logf("%d upstream entries; first model: %d memos, %d steps", len(up.up), memos, steps)
	if steps < len(up.up) || memos <= len(up.up) {
		t.Fatalf("first model recorded %d steps and %d memos for %d upstream entries, want walks and requeued leads recorded", steps, memos, len(up.up))
	}
	newSim(prepare(context.Background(), m2, cfg, nil), newResults(m2, cfg), 1, nil).runAfter(up, 0, 1)
	t.Logf("second model: %d memos, %d steps", len(up.memo), len(up.steps))
	if len(up.steps) < steps || len(up.steps) > 2*steps {
		t.Errorf("second model left %d steps after the first's %d, want some more and far fewer than a recording of its own", len(up.steps), steps)
	}
}
