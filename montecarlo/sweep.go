package montecarlo

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/funnelsim/funnel/model"
)

// RunSweep simulates each of the models ms as Run(ctx, ms[i], cfg) would,
// and returns exactly the results Run would return, bit for bit, in less
// time when models differ only in their SDR queue.
//
// A lead walks the same way in two models until it first reaches the
// handoff if the models differ only in what acts from there on: the SDR
// team (headcount, hours, handling time), the handoff's contact
// probability and decay curve, and the first-touch SLAs measured at the
// handoff (see upstreamOf). Such models form a group, and each quarter's
// upstream part (the opening state of the leads that have not met the
// queue, the arrivals, and their walks up to the handoff) is simulated
// once for the whole group; each model then serves its own queue. What a
// lead draws from the handoff on (its handling time, its contact's
// uniform, its walk after the touch) does not depend on when it is
// served: the group's first model records it and the others replay it
// (see memo). The models are taken ten at a time, to bound the memory
// their preparations hold, and each batch simulates its own groups'
// upstream parts. Every random draw is the one Run makes, so the sweep
// changes nothing but the time: a sweep over SDR headcounts, hours or
// first-touch targets pays for the upstream part once instead of once per
// scenario, and for each lead's draws after the handoff once.
//
// cfg.Progress, when not nil, is called with the quarters done so far,
// each model's counted: up to len(ms)·cfg.Quarters. Models drawing their
// parameters per run (cfg.DrawParams) share nothing. RunSweep refuses what
// CheckSize(cfg, ms...) refuses, and stops promptly when ctx is cancelled,
// as Run does.
//
// RunSweep panics if a model is not valid (see model.Model.Validate).
func RunSweep(ctx context.Context, ms []*model.Model, cfg Config) ([]*Results, error) {
	out, _, err := runSweep(ctx, ms, cfg)
	return out, err
}

// runSweep is RunSweep, also returning the groups of models it simulated
// together, in the order of their first models.
func runSweep(ctx context.Context, ms []*model.Model, cfg Config) ([]*Results, [][]int, error) {
	for i, m := range ms {
		if err := m.Validate(); err != nil {
			panic(fmt.Sprintf("montecarlo: invalid model %d: %v", i, err))
		}
	}
	if err := cfg.fill(ms...); err != nil {
		return nil, nil, err
	}
	out := make([]*Results, len(ms))
	for i, m := range ms {
		out[i] = newResults(m, cfg)
	}
	workers := cfg.workers()
	// The models are taken in batches, the models that may share their
	// upstream part one after the other, and each batch is prepared,
	// simulated and let go before the next: the preparations held at a
	// time stay within sweepMemory.
	order := sweepOrder(ms, cfg)
	var groups [][]int
	per := 0 // the most bytes one model's preparation took so far
	for lo := 0; lo < len(order); {
		cs, err := prepareBatch(ctx, ms, order[lo:], cfg, workers, &per)
		if err != nil {
			return nil, nil, err
		}
		idx := order[lo : lo+len(cs)]
		bms, bout := make([]*model.Model, len(idx)), make([]*Results, len(idx))
		for k, i := range idx {
			bms[k], bout[k] = ms[i], out[i]
			out[i].Opening, out[i].Method = cs[k].strategy()
		}
		gs, err := runBatch(ctx, bms, bout, cs, cfg, workers, lo*cfg.Quarters, nil)
		if err != nil {
			return nil, nil, err
		}
		for _, g := range gs {
			for k := range g {
				g[k] = idx[g[k]]
			}
			groups = append(groups, g)
		}
		lo += len(cs)
	}
	slices.SortFunc(groups, func(a, b []int) int { return a[0] - b[0] })
	return out, groups, nil
}

// quarterBlock is the number of quarters a worker takes at a time.
const quarterBlock = 8

// sweepMemory bounds the bytes of the preparations (stationary states,
// marks; see compiled.prepBytes) RunSweep holds at a time, a preparation
// in progress counted twice (its work arrays take about as much as what
// it keeps). The stationary state of the default model takes about 51
// MB: a batch holds three, prepared one at a time, and the process
// stays under 400 MB. A batch holds at least one model.
var sweepMemory = 224 << 20

// sweepOrder returns the indices of ms in the order RunSweep simulates
// them: the models that may share their upstream part (equal upstreamOf,
// without drawn parameters), one after the other, in the order of their
// first models.
func sweepOrder(ms []*model.Model, cfg Config) []int {
	var cands [][]int
	up := make([]*model.Model, len(ms))
	for i, m := range ms {
		up[i] = upstreamOf(m)
	}
	for i := range ms {
		g := -1
		if !cfg.DrawParams {
			g = slices.IndexFunc(cands, func(c []int) bool { return reflect.DeepEqual(up[c[0]], up[i]) })
		}
		if g < 0 {
			cands = append(cands, []int{i})
		} else {
			cands[g] = append(cands[g], i)
		}
	}
	return slices.Concat(cands...)
}

// prepareBatch prepares models ms[order[0]], ms[order[1]], ..., up to
// workers at a time, as many as sweepMemory holds (at least one), and
// returns them. *per is the most bytes one preparation kept so far,
// which it updates: each round prepares as many models as sweepMemory
// holds, with what the batch holds, at twice that each; the first,
// before any is known, prepares one model. A model whose stationary
// state is another's of the batch (see statKey) shares it. It returns
// ctx's error when ctx is cancelled.
func prepareBatch(ctx context.Context, ms []*model.Model, order []int, cfg Config, workers int, per *int) ([]*compiled, error) {
	var cs []*compiled
	var keys []*model.Model
	held := 0 // bytes the batch holds
	for len(cs) < len(order) {
		k := min(workers, len(order)-len(cs))
		switch {
		case *per > 0:
			k = min(k, (sweepMemory-held)/(2*(*per)))
		case len(cs) == 0:
			k = 1
		}
		if k <= 0 && len(cs) == 0 {
			k = 1
		}
		if k <= 0 {
			break
		}
		// The round's models, and for each the model of the batch whose
		// stationary state it shares (-1: none).
		lo := len(cs)
		from := make([]int, k)
		for j := range k {
			keys = append(keys, statKey(ms[order[lo+j]]))
			from[j] = slices.IndexFunc(keys[:lo+j], func(x *model.Model) bool { return reflect.DeepEqual(x, keys[lo+j]) })
		}
		cs = append(cs, make([]*compiled, k)...)
		var wg sync.WaitGroup
		for j := range k {
			if from[j] >= 0 {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				cs[lo+j] = prepare(ctx, ms[order[lo+j]], cfg, nil)
			}()
		}
		wg.Wait()
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for j := range k {
			if from[j] >= 0 {
				cs[lo+j] = prepareLike(ctx, ms[order[lo+j]], cfg, cs[from[j]])
				continue
			}
			b := cs[lo+j].prepBytes()
			held += b
			*per = max(*per, b)
		}
	}
	return cs, nil
}

// statKey returns a copy of m without what its stationary state does not
// depend on: its name, quota and SLAs.
func statKey(m *model.Model) *model.Model {
	k := m.Clone()
	k.Name, k.Quota, k.SLAs = "", 0, nil
	return k
}

// prepareLike is prepare for m, whose statKey is that of the model from
// was prepared for: when prepare would build m a stationary state, m
// shares from's instead.
func prepareLike(ctx context.Context, m *model.Model, cfg Config, from *compiled) *compiled {
	c := compile(m)
	if from.stat == nil || cfg.DrawParams || m.Start != nil || m.WarmupDays != 0 || !c.stationaryOK() ||
		(cfg.engine != engineWalk && c.markable()) {
		return prepare(ctx, m, cfg, nil)
	}
	c.stat, c.warmup = from.stat, from.warmup
	return c
}

// prepBytes returns about the bytes c's preparation holds: its
// stationary state's tables and its marks.
func (c *compiled) prepBytes() int {
	n := 0
	if st := c.stat; st != nil {
		for _, tb := range st.tables {
			n += 8*len(tb.cumA) + 4*(len(tb.guideA)+len(tb.bin))
			if len(tb.cumB) > 0 && &tb.cumB[0] != &tb.cumA[0] {
				n += 8*len(tb.cumB) + 4*len(tb.guideB)
			}
		}
		for _, cl := range st.closing {
			n += 8 * (len(cl.mu[0]) + len(cl.mu[1]))
		}
	}
	if mk := c.marks; mk != nil {
		for _, x := range mk.marks {
			n += 8*len(x.mu) + 4*(len(x.entries)+len(x.moves)+len(x.episodes)) + 128
		}
	}
	return n
}

// runBatch simulates models ms, prepared as cs, into their results out;
// the counts it reports to cfg.Progress start at offset. A tracer tr,
// when not nil, receives the events of the one model ms holds (workers
// must then be 1). Models drawing their parameters per run, or traced,
// are not grouped. It returns the groups of the indices of ms it
// simulated together.
func runBatch(ctx context.Context, ms []*model.Model, out []*Results, cs []*compiled, cfg Config, workers, offset int, tr Tracer) ([][]int, error) {
	var wg sync.WaitGroup
	var groups [][]int
	if cfg.DrawParams || tr != nil {
		for i := range ms {
			groups = append(groups, []int{i})
		}
	} else {
		groups = sweepGroups(ms, cs)
	}
	const block = quarterBlock
	nblocks := (cfg.Quarters + block - 1) / block
	var next, done atomic.Int64
	var mu sync.Mutex
	leads := make([][]int64, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sims := make([]*sim, len(ms))
			for i := range ms {
				c := cs[i]
				if cfg.DrawParams {
					c = compile(ms[i]) // parameters are drawn into the worker's own copy
				}
				sims[i] = newSim(c, out[i], cfg.Horizon, tr)
				sims[i].params = cfg.DrawParams
				sims[i].first = cfg.First
				sims[i].ctx = ctx
			}
			// A group's upstream parts of a block of quarters are
			// simulated first, each into its own sim, and then each
			// model runs the block's quarters in a row, its own data
			// still in cache.
			ups := make([][]*sim, len(groups))
			for g, grp := range groups {
				if len(grp) > 1 {
					lead := grp[0]
					for range block {
						u := newSim(cs[lead], newResults(ms[lead], Config{Quarters: 1, Horizon: cfg.Horizon}), cfg.Horizon, nil)
						u.ctx = ctx
						u.first = cfg.First
						ups[g] = append(ups[g], u)
					}
				}
			}
			for {
				b := int(next.Add(1) - 1)
				if b >= nblocks || ctx.Err() != nil {
					break
				}
				lo, hi := b*block, min((b+1)*block, cfg.Quarters)
				for g, grp := range groups {
					if len(grp) == 1 {
						for q := lo; q < hi; q++ {
							sims[grp[0]].runQuarter(q, cfg.Seed)
						}
						continue
					}
					for q := lo; q < hi; q++ {
						ups[g][q-lo].upstreamRun(q, cfg.Seed)
					}
					for _, i := range grp {
						for q := lo; q < hi; q++ {
							sims[i].runAfter(ups[g][q-lo], q, cfg.Seed)
						}
					}
				}
				// Counted and reported under the lock, so that the counts
				// reported only grow.
				mu.Lock()
				d := done.Add(int64((hi - b*block) * len(ms)))
				if cfg.Progress != nil {
					cfg.Progress(offset + int(d))
				}
				mu.Unlock()
			}
			leads[w] = make([]int64, len(ms))
			for i, s := range sims {
				leads[w][i] = s.leads
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	for _, ls := range leads {
		for i, n := range ls {
			out[i].Leads += n
		}
	}
	return groups, nil
}

// upstreamRun simulates the upstream part of run q into the first run of
// its own results (which it clears first), for runAfter.
func (s *sim) upstreamRun(q int, seed uint64) {
	qkey := s.begin(q, seed)
	for _, x := range s.res.series() {
		clear(*x)
	}
	s.q = 0 // its rows: the first
	s.upstream(qkey)
	s.q = q
	s.resetMemos()
}

// strategy names how runs of c open and are simulated (Results.Opening
// and Method), as prepare chose: see the package doc.
func (c *compiled) strategy() (opening, method string) {
	switch {
	case c.marks != nil:
		return "stationary", "marks"
	case c.stat != nil:
		return "stationary", "walk"
	case c.m.Start != nil:
		return "start", "walk"
	}
	return "warm-up", "walk"
}

// prepare compiles m for a run with cfg and tr, building its marks or its
// stationary opening state where the run can use them. When ctx is
// cancelled it returns promptly, with a compiled model not fit to run.
func prepare(ctx context.Context, m *model.Model, cfg Config, tr Tracer) *compiled {
	c := compile(m)
	if tr == nil && !cfg.DrawParams && m.Start == nil && m.WarmupDays == 0 && c.stationaryOK() {
		if cfg.engine != engineWalk {
			c.marks = c.buildMarks(ctx, cfg.Horizon, cfg.engine == engineMarks)
		}
		if c.marks == nil && ctx.Err() == nil {
			c.useStationary(ctx, cfg.Horizon)
		}
	}
	return c
}

// sweepGroups partitions the models' indices into groups that share their
// upstream part, each in index order; a model that shares it with no
// earlier group leader starts a group of its own.
func sweepGroups(ms []*model.Model, cs []*compiled) [][]int {
	var groups [][]int
	up := make([]*model.Model, len(ms))
	for i, m := range ms {
		up[i] = upstreamOf(m)
	}
	for i := range ms {
		placed := false
		for g, grp := range groups {
			l := grp[0]
			if cs[i].marks == nil && cs[l].marks == nil && reflect.DeepEqual(up[i], up[l]) && sameFixed(cs[i], cs[l]) {
				groups[g] = append(grp, i)
				placed = true
				break
			}
		}
		if !placed {
			groups = append(groups, []int{i})
		}
	}
	return groups
}

// upstreamOf returns a copy of m without what acts only from a lead's
// first handoff on: two models whose copies are equal walk every lead
// alike up to it. The SDR team, the contact probability and the decay
// curve act at the handoff; the first-touch SLAs (from the handoff stage,
// without target stages) are measured there; names, targets and the
// quota change no draw.
func upstreamOf(m *model.Model) *model.Model {
	u := m.Clone()
	u.Name, u.Quota = "", 0
	if h := u.Handoff; h != nil {
		h.SDR = model.SDRTeam{}
		h.Contact = 0
		h.Decay = model.Decay{}
	}
	for i := range u.SLAs {
		a := &u.SLAs[i]
		a.Name, a.Target = "", 0
		if u.Handoff != nil && a.From == u.Handoff.Stage && len(a.To) == 0 {
			a.Hours, a.Business = 0, false
		}
	}
	return u
}

// sameFixed reports whether a and b, compiled from models with the same
// upstream part, also open on the same upstream state: the same warm-up,
// and the same fixed cells of the stationary state, drawn in the same
// order.
func sameFixed(a, b *compiled) bool {
	if a.warmup != b.warmup || (a.stat == nil) != (b.stat == nil) {
		return false
	}
	if a.stat == nil {
		return true
	}
	sa, sb := a.stat, b.stat
	if sa.tw != sb.tw || sa.t0 != sb.t0 || sa.H != sb.H || !slices.Equal(sa.blocks, sb.blocks) {
		return false
	}
	type cell struct {
		src, block int
		class      int16
		cl         statClass
		cum        []float64
		guide      []int32
		bin        []int32
		close      *closing
	}
	bins := func(tb *statTable, sg *statSeg) []int32 {
		b := make([]int32, sg.hi-sg.lo)
		for k := range b {
			b[k] = tb.binOf(sg, int(sg.lo)+k)
		}
		return b
	}
	fixed := func(st *stationary) []cell {
		var out []cell
		for _, tb := range st.tables {
			for _, sg := range tb.segs {
				if sg.fixed {
					m := guideLen(int(sg.hi - sg.lo))
					var cl *closing
					if sg.close >= 0 {
						cl = &st.closing[sg.close]
					}
					out = append(out, cell{tb.src, tb.block, sg.class, st.classes[sg.class],
						tb.cumA[sg.lo:sg.hi], tb.guideA[sg.glo : int(sg.glo)+m], bins(&tb, &sg), cl})
				}
			}
		}
		return out
	}
	return reflect.DeepEqual(fixed(sa), fixed(sb))
}
