package montecarlo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"

	"github.com/funnelsim/funnel/model"
	"github.com/funnelsim/funnel/model/stats"
)

// Config configures Run. The zero value of each field means its default.
type Config struct {
	Quarters int    // independent quarters to simulate; 0 means 10,000
	Seed     uint64 // the seed; quarter i uses streams derived from (Seed, i)
	Workers  int    // goroutines; 0 means runtime.GOMAXPROCS(0); at most that or Quarters/8, whichever is more
	// Horizon is the number of consecutive quarters simulated in each run,
	// the pipeline carried over from one to the next; 0 means 1.
	Horizon int
	// DrawParams draws, for each run, the model's uncertain parameters
	// (transition probabilities, arrival rates, deal sizes) from the
	// posteriors its observation counts define, so that the spread of the
	// results includes what the data leave unknown about the rates, not
	// only chance. It has no effect on a model without observation counts
	// (see model.Model.Uncertain).
	DrawParams bool
	// Progress, when not nil, is called with the number of quarters done
	// so far, from the workers' goroutines but never concurrently.
	Progress func(done int)
	// MaxLeads bounds the work: Run and RunSweep refuse, with a
	// *SizeError and before allocating anything, a simulation whose
	// estimated leads (Size.Leads, see EstimateSize) exceed it. 0 means
	// DefaultConfig.MaxLeads; a negative value means no bound.
	MaxLeads float64
	// MaxBytes bounds the memory of the results alike (Size.Bytes). 0
	// means DefaultConfig.MaxBytes; a negative value means no bound.
	MaxBytes float64
	// First is the index of the first run: run q of the results draws
	// from the streams of run First+q, so that the runs [First,
	// First+Quarters) of a larger simulation can be simulated apart, on
	// other machines, and joined with Merge into exactly the results of
	// one run of them all.
	First int

	engine engine // tests: force an engine
}

type engine uint8

const (
	engineAuto  engine = iota
	engineWalk         // walk every lead, even where marks would do
	engineMarks        // draw from marks wherever they are possible
)

// DefaultConfig is the configuration used for zero fields. Its MaxLeads,
// 1e11, is about an hour of simulation of the default model on a
// two-core machine (whose leads EstimateSize overestimates about
// threefold); its MaxBytes, 2 GiB, holds the results of 5 million
// quarters of the default model.
var DefaultConfig = Config{Quarters: 10000, Horizon: 1, MaxLeads: 1e11, MaxBytes: 2 << 30}

// Tracer receives every event of a simulated quarter, for writing a
// synthetic CRM export. Times are hours from the start of the first
// measured quarter (Monday 00:00 in the model's time zone). Lead ids are
// unique within a run.
type Tracer interface {
	Lead(id uint64, source int, at float64)
	Stage(id uint64, stage int, at float64)
	Touch(id uint64, at float64, sdr int, connected bool)
	// Opportunity reports an opportunity once it closes or the run ends:
	// closed is +Inf and outcome model.Open when it is still open.
	Opportunity(id uint64, source int, created, closed float64, outcome model.Outcome, amount float64)
}

// lead is a lead being walked through the funnel.
type lead struct {
	t        float64 // when it entered its current stage, hours
	rng      uint64  // its stream's state
	amount   float64 // deal amount once an opportunity
	oppStart float64 // when it entered the pipeline
	id       uint64
	stage    int32
	memo     int32 // queued: 1 + the index of its memo in upSim.memo; 0: none
	src      int16
	recycles int16
	inPipe   bool
}

type pend struct {
	t float64 // entered the handoff stage
	l lead
}

// sim is one worker's state; it is reused from quarter to quarter so that
// the hot loop allocates nothing once the buffers have grown.
type sim struct {
	c   *compiled
	gen stream
	r   *rand.Rand
	tr  Tracer

	res     *Results
	q       int     // the run being simulated
	first   int     // Config.First: run q's streams are run first+q's
	H       int     // periods
	end     float64 // end of the measured horizon, hours
	queuing bool    // handoff entries go to the heap, not to pending
	params  bool    // draw parameters per run (c is then this worker's own)

	pending []pend // handoff entries made before serving
	up      []pend // upstream's, sorted
	own     []pend // downstream's, sorted
	upLeads int64  // leads the last upstream part simulated
	memo    []memo // up's memos, for the models that run after it
	steps   []step // the memos' recorded walks
	upSim   *sim   // the upstream part the current run runs after
	// sameHandle: the handling time of sameFor's model is drawn as this
	// model's; sameCal: its SDRs work the same hours (see memo).
	sameFor             *compiled
	sameHandle, sameCal bool
	counts              []int32
	heap                []pend
	free                servers // the SDRs' next free working times
	resp                [][]float64
	mult                []float64 // past blocks' rate multipliers (stationary start)
	weights             []float64 // walkAged's edge weights
	cats                []float64 // drawClosing's cumulative category intensities
	cdfs                []float64 // and the delays' CDFs at the age
	leads               int64
	// ctx, when not nil, is the run's: a long quarter checks it now and
	// then (see cancelled) and stops early, its results then unused.
	ctx context.Context
}

// cancelCheck is the number of leads (arrivals, handoff entries served)
// a quarter walks between two looks at its context: about a millisecond.
const cancelCheck = 1 << 14

// cancelled reports whether the run's context is done.
func (s *sim) cancelled() bool { return s.ctx != nil && s.ctx.Err() != nil }

func newSim(c *compiled, res *Results, h int, tr Tracer) *sim {
	s := &sim{c: c, res: res, H: h, end: float64(h) * c.quarter, tr: tr}
	s.r = rand.New(&s.gen)
	s.resp = make([][]float64, h)
	s.free = newServers(c.servers)
	return s
}

func (s *sim) period(t float64) int {
	if !(t >= 0 && t < s.end) { // also NaN
		return -1
	}
	if s.H == 1 {
		// end = quarter, and t < quarter makes t/quarter round below 1
		// (the gap below 1 is at least twice the rounding error).
		return 0
	}
	return int(t / s.c.quarter)
}

func (s *sim) idx(k int) int { return s.q*s.H + k }

// runQuarter simulates run q: the warm-up (or the starting state) and H
// measured quarters.
func (s *sim) runQuarter(q int, seed uint64) {
	qkey := s.begin(q, seed)
	if s.c.marks != nil {
		s.markedRun(qkey)
	} else {
		s.upstream(qkey)
		s.downstream(qkey, s.up)
	}
	s.finish(q)
}

// runAfter simulates run q downstream of the upstream part u simulated
// for it (see RunSweep): u's model differs from s's only downstream.
func (s *sim) runAfter(u *sim, q int, seed uint64) {
	qkey := s.begin(q, seed)
	s.res.copyRun(u.res, 0, q)
	s.leads += u.upLeads
	s.upSim = u
	if s.sameFor != u.c { // compared once per upstream model, not per run
		s.sameFor, s.sameHandle, s.sameCal = u.c, sameSampler(&s.c.handle, &u.c.handle), s.c.cal == u.c.cal
	}
	s.downstream(qkey, u.up)
	s.upSim = nil
	s.finish(q)
}

// begin readies s for run q and returns the run's key.
func (s *sim) begin(q int, seed uint64) uint64 {
	s.q = q
	s.queuing = false
	s.pending = s.pending[:0]
	s.heap = s.heap[:0]
	for k := range s.resp {
		s.resp[k] = s.resp[k][:0]
	}
	qkey := key(seed, uint64(s.first+q))
	if s.params {
		s.gen.s = key(qkey, purposeParams)
		s.c.drawParams(s.r)
	}
	return qkey
}

// finish computes run q's statistics of its response times and coverage.
func (s *sim) finish(q int) {
	c := s.c
	if q < len(s.res.RespSample) {
		s.res.RespSample[q] = slices.Clone(s.resp[0])
	}
	for k := range s.H {
		i := s.idx(k)
		s.res.RespP50[i], s.res.RespP90[i] = math.NaN(), math.NaN()
		if v := s.resp[k]; len(v) > 0 {
			s.res.RespP50[i] = stats.QuantileSelect(0.5, v)
			s.res.RespP90[i] = stats.QuantileSelect(0.9, v)
		}
		s.res.Coverage[i] = math.NaN()
		if quota := c.m.Quota; quota > 0 {
			s.res.Coverage[i] = s.res.OpenPipeline[i] / quota
		}
	}
}

// upstream simulates the part of run qkey that the SDR queue cannot
// change: the opening state (the stationary state's cells whose leads have
// not met the queue), the arrivals, and every lead's walk up to its first
// handoff, whose entries it leaves in s.up, sorted by time. Models that
// differ only downstream of it (see upstreamOf) simulate it alike.
func (s *sim) upstream(qkey uint64) {
	c := s.c
	leads := s.leads
	first := 0.0
	switch {
	case c.m.Start != nil:
		first = -c.leadIn
		s.startState(qkey)
	case c.stat != nil:
		first = -c.warmup
		s.stationaryStart(qkey, true)
	default:
		first = -c.warmup
	}
	// Arrivals, block by block (a block is a quarter, or the part of the
	// warm-up inside one).
	for j := range c.sources {
		src := &c.sources[j]
		skey := key(key(qkey, purposeArrivals), uint64(j))
		for b := int(math.Floor(first / c.quarter)); b < s.H; b++ {
			lo, hi := max(first, float64(b)*c.quarter), float64(b+1)*c.quarter
			bkey := key(skey, uint64(b+1<<20))
			s.gen.s = bkey
			g := 1.0
			if src.disp > 0 {
				g = gamma(s.r, src.disp) / src.disp
			}
			// A block that is not whole weeks from a week's start (a
			// lead-in of days) draws its arrivals over the whole weeks
			// around it and keeps those inside it: the weekly profile
			// stays on its weekdays.
			cut, keepLo := false, lo
			if lo != math.Floor(lo/model.HoursPerWeek)*model.HoursPerWeek || math.Mod(hi-lo, model.HoursPerWeek) != 0 {
				cut = true
				lo = math.Floor(lo/model.HoursPerWeek) * model.HoursPerWeek
			}
			mean := src.rate * g * (hi - lo)
			thin := src.thinP
			if s.tr != nil {
				thin = 1
			} else if src.stayCount && b >= 0 {
				stay := poisson(s.r, mean*(1-thin))
				s.res.Entries[s.idx(b)*len(c.stages)+src.entry] += float64(stay)
				s.leads += int64(stay)
			}
			n := poisson(s.r, mean*thin)
			weeks := int((hi - lo) / model.HoursPerWeek)
			lkey := key(bkey, purposeLead)
			for i := range n {
				if i%cancelCheck == cancelCheck-1 && s.cancelled() {
					break
				}
				s.gen.s = key(lkey, uint64(i))
				t := lo + float64(s.gen.intN(weeks))*model.HoursPerWeek + float64(src.alias.sample(&s.gen)) + s.gen.float64()
				if cut && !(t >= keepLo && t < hi) {
					continue
				}
				l := lead{id: uint64(j)<<48 | uint64(b+1<<15)<<32 | uint64(i), src: int16(j), stage: int32(src.entry)}
				if s.tr != nil {
					s.tr.Lead(l.id, j, t)
				}
				s.enter(&l, src.entry, t)
				s.walk(&l, t, thin, false)
			}
			s.leads += int64(n)
		}
	}
	s.up = s.sortPending(s.up)
	s.pending = s.pending[:0]
	s.upLeads = s.leads - leads
}

// downstream simulates the rest of run qkey: the stationary state's cells
// whose leads have met the queue, and the SDR queue fed by up (the
// upstream part's handoff entries, sorted) and by those cells. When it
// runs after a sweep's upstream part (s.upSim is set), the up entries,
// and the entries their replayed walks make, draw from their memos (see
// memo).
func (s *sim) downstream(qkey uint64, up []pend) {
	if s.c.stat != nil {
		s.stationaryStart(qkey, false)
	}
	s.own = s.sortPending(s.own)
	s.serveQueue(up, s.own)
}

// move counts a lead taking edge e at time t.
func (s *sim) move(e *edge, t float64) {
	if k := s.period(t); k >= 0 {
		s.res.Moves[s.idx(k)*len(s.c.m.Transitions)+e.id]++
	}
}

// enter moves l into stage st at time t and records what that means.
func (s *sim) enter(l *lead, st int, t float64) {
	amount := 0.0
	if c := s.c; c.stages[st].postOpp && !l.inPipe {
		amount = c.sources[l.src].deal.sample(&s.gen, s.r)
	}
	s.enterWith(l, st, t, amount)
}

// enterWith is enter with the deal amount of a lead entering the
// pipeline already drawn.
func (s *sim) enterWith(l *lead, st int, t, amount float64) {
	c := s.c
	l.stage, l.t = int32(st), t
	stg := &c.stages[st]
	k := s.period(t)
	if k >= 0 {
		i := s.idx(k)
		s.res.Entries[i*len(c.stages)+st]++
		for _, a := range stg.slas {
			s.res.SLAN[i*len(c.slas)+a]++
		}
	}
	if s.tr != nil {
		s.tr.Stage(l.id, st, t)
	}
	switch {
	case stg.postOpp && !l.inPipe: // entering the pipeline, at or after the opportunity stage
		l.inPipe, l.oppStart, l.amount = true, t, amount
		if k >= 0 {
			i := s.idx(k)
			if c.sources[l.src].sales {
				s.res.SalesCreated[i]++
				s.res.SalesValue[i] += l.amount
			} else {
				s.res.MktCreated[i]++
				s.res.MktValue[i] += l.amount
			}
			j := i*len(c.sources) + int(l.src)
			s.res.SrcCreated[j]++
			s.res.SrcCreatedV[j] += l.amount
		}
	case l.inPipe && !stg.postOpp:
		if k >= 0 {
			i := s.idx(k)
			if stg.outcome == model.Won {
				s.res.Revenue[i] += l.amount
				s.res.Won[i]++
				j := i*len(c.sources) + int(l.src)
				s.res.SrcRevenue[j] += l.amount
				s.res.SrcWon[j]++
			} else {
				s.res.LostValue[i] += l.amount
				s.res.LostDeals[i]++
			}
		}
		s.closeOpp(l, t, stg.outcome)
	}
}

// closeOpp ends l's time in the pipeline at end (+Inf: still open when the
// simulation stops) and adds it to the open pipeline of every period that
// began while it was open, to the closing pipeline of every period that
// ended while it was open, and to the slipped value of those in both.
func (s *sim) closeOpp(l *lead, end float64, outcome model.Outcome) {
	for k := range s.H {
		b, e := float64(k)*s.c.quarter, float64(k+1)*s.c.quarter
		opening := l.oppStart <= b && b < end
		if opening {
			i := s.idx(k)
			s.res.OpenPipeline[i] += l.amount
			s.res.OpenDeals[i]++
		}
		if l.oppStart <= e && e < end {
			i := s.idx(k)
			s.res.ClosingPipeline[i] += l.amount
			s.res.ClosingDeals[i]++
			if opening {
				s.res.SlippedValue[i] += l.amount
			}
		}
	}
	if s.tr != nil {
		if math.IsInf(end, 1) {
			outcome = model.Open
		}
		s.tr.Opportunity(l.id, int(l.src), l.oppStart, end, outcome, l.amount)
	}
	l.inPipe = false
}

// stop ends l's walk: it stays where it is for good, or the horizon ended.
func (s *sim) stop(l *lead) {
	if l.inPipe {
		s.closeOpp(l, math.Inf(1), model.Open)
	}
}

// walk moves l from its current stage until it stops, leaves the horizon
// or enters the handoff stage. Delays count from clock (the first touch on
// the handoff stage, else the time it entered). thin, when below 1, is the
// probability l leaves its stage, on which its first choice is conditioned.
// served tells that l is on the handoff stage and has had its first touch.
// The worker's generator must hold l's stream.
func (s *sim) walk(l *lead, clock, thin float64, served bool) {
	c := s.c
	for ; ; served = false {
		stg := &c.stages[l.stage]
		if stg.handoff && !served {
			s.queue(l, 0)
			return
		}
		e := stg.pick(s.gen.float64()*thin, l, c.maxRecyc)
		thin = 1
		if e == nil {
			s.stop(l)
			return
		}
		next := clock + e.delay.sample(&s.gen, s.r)
		if c.stages[e.to].active {
			next = c.sources[l.src].act.next(next, s.gen.expFloat64())
		}
		if len(stg.slas) > 0 {
			s.measureSLA(l, stg, e.to, next)
		}
		if !s.take(l, e, next) {
			return
		}
		clock = next
	}
}

// pick returns the edge a lead l leaving stg takes for the uniform u, or
// nil if it stays for good (no edge, or a recycle past maxRecyc).
func (stg *stage) pick(u float64, l *lead, maxRecyc int) *edge {
	for j := range stg.edges {
		if e := &stg.edges[j]; u < e.cum {
			if e.recycle && int(l.recycles) >= maxRecyc {
				return nil
			}
			return e
		}
	}
	return nil
}

// take moves l along edge e into e.to at time next and reports whether
// its walk goes on (false: next is past the horizon).
func (s *sim) take(l *lead, e *edge, next float64) bool {
	if e.recycle {
		l.recycles++
	}
	if next >= s.end {
		s.stop(l)
		return false
	}
	s.move(e, next)
	s.enter(l, e.to, next)
	return true
}

// measureSLA records the SLAs from l's stage met by moving to stage to at
// time next.
func (s *sim) measureSLA(l *lead, stg *stage, to int, next float64) {
	k := s.period(l.t)
	if k < 0 {
		return
	}
	for _, a := range stg.slas {
		x := &s.c.slas[a]
		if x.to == nil || !x.to[to] {
			continue
		}
		if s.elapsed(x, l.t, next) <= x.hours {
			s.res.SLAMet[s.idx(k)*len(s.c.slas)+a]++
		}
	}
}

func (s *sim) elapsed(x *sla, from, to float64) float64 {
	if x.business {
		return s.c.biz.work(to) - s.c.biz.work(from)
	}
	return to - from
}

// queue puts l, which just entered the handoff stage, in line for the
// SDRs; m is 1 + the index of its memo in upSim.memo, or 0.
func (s *sim) queue(l *lead, m int32) {
	p := pend{t: l.t, l: *l}
	p.l.memo = m
	p.l.rng = s.gen.s
	if !s.queuing {
		s.pending = append(s.pending, p)
		return
	}
	// Push onto the min-heap of handoff entries made while serving.
	h := append(s.heap, p)
	i := len(h) - 1
	for i > 0 {
		parent := (i - 1) / 2
		if h[parent].t <= h[i].t {
			break
		}
		h[parent], h[i] = h[i], h[parent]
		i = parent
	}
	s.heap = h
}

func (s *sim) popHeap() pend {
	h := s.heap
	top := h[0]
	n := len(h) - 1
	last := h[n]
	h = h[:n]
	// Sift the last entry down from the root, moving the smaller child
	// up into the hole instead of swapping.
	i := 0
	for {
		m := 2*i + 1
		if m >= n {
			break
		}
		if r := m + 1; r < n && h[r].t < h[m].t {
			m = r
		}
		if !(h[m].t < last.t) {
			break
		}
		h[i] = h[m]
		i = m
	}
	if n > 0 {
		h[i] = last
	}
	s.heap = h
	return top
}

// serveQueue serves the handoff entries of a and b (each sorted by time,
// a's first among equal times) and those made while serving, in time
// order, first come first served, and walks each lead on from its first
// touch. With s.upSim set, a's entries are upSim.up, whose memos are
// upSim.memo's first.
func (s *sim) serveQueue(a, b []pend) {
	c := s.c
	if c.handoff < 0 {
		return
	}
	s.queuing = true
	// With a warm-up the SDRs are free from the start of time; from a
	// starting state they can serve no one before the quarter (or its
	// lead-in) starts (the leads waiting in it were not touched by then).
	free := math.Inf(-1)
	switch {
	case c.leadIn > 0:
		free = c.cal.work(-c.leadIn)
	case c.m.Start != nil:
		free = c.cal.work(0)
	}
	s.free.reset(free)
	i, j := 0, 0
	for k := 1; ; k++ {
		if k%cancelCheck == 0 && s.cancelled() {
			return
		}
		var p pend
		fromA := i < len(a) && (j == len(b) || a[i].t <= b[j].t)
		next := math.Inf(1)
		switch {
		case fromA:
			next = a[i].t
		case j < len(b):
			next = b[j].t
		}
		switch {
		case len(s.heap) > 0 && s.heap[0].t < next:
			p = s.popHeap()
		case fromA:
			p = a[i]
			if s.upSim != nil {
				p.l.memo = int32(i) + 1
			}
			i++
		case j < len(b):
			p = b[j]
			j++
		default:
			return
		}
		var m *memo
		if p.l.memo > 0 {
			m = &s.upSim.memo[p.l.memo-1]
		}
		s.serve(&p.l, m)
	}
}

// serve gives l, an entry of the handoff stage, its first touch and walks
// it on. m, when not nil, is l's memo.
func (s *sim) serve(l *lead, m *memo) {
	c := s.c
	a := l.t
	// The handling time and the uniform that decides the contact.
	var h, u float64
	walks := m // the memo whose recorded walks l's are
	if m != nil && m.ok && s.sameHandle {
		h, u, s.gen.s = m.h, m.u, m.after
	} else {
		s.gen.s = l.rng
		h = c.handle.sample(&s.gen, s.r)
		u = s.gen.float64()
		switch {
		case m == nil:
		case !m.ok && s.sameHandle:
			m.h, m.u, m.after, m.ok = h, u, s.gen.s, true
		case !m.ok || s.gen.s != m.after:
			walks = nil // another handling time took other draws
		}
	}
	// The arrival in the SDRs' working time, and the first touch if an
	// SDR is free then.
	var wa, touch0 float64
	switch {
	case m != nil && m.cal && m.at == a && s.sameCal:
		wa, touch0 = m.wa, m.touch0
	default:
		wa = c.cal.work(a)
		touch0 = later(a, c.cal.wall(wa))
		if m != nil && !m.cal && s.sameCal {
			m.at, m.wa, m.touch0, m.ba, m.bt, m.cal = a, wa, touch0, c.biz.work(a), c.biz.work(touch0), true
		}
	}
	startW, j := s.free.take(wa, h)
	touch := touch0
	if startW != wa {
		touch = later(a, c.cal.wall(startW))
	}
	resp := (touch - a) * 60 // minutes
	// Contacted with probability contact·m(resp): decide without computing
	// m when u alone settles it (m lies in [floor, 1]).
	contacted := u < c.contact*c.decay.Floor || (u < c.contact && c.contacted(u, resp))
	if k := s.period(a); k >= 0 {
		i := s.idx(k)
		s.res.MQLs[i]++
		s.resp[k] = append(s.resp[k], resp)
		if contacted {
			s.res.Contacted[i]++
		}
		for _, x := range c.stages[c.handoff].slas {
			sl := &c.slas[x]
			if sl.to != nil {
				continue
			}
			el := touch - a
			if sl.business {
				// The business hours of a and touch, from the memo when
				// it holds them.
				ba, bt := 0.0, 0.0
				memoed := m != nil && m.cal && m.at == a
				if memoed {
					ba, bt = m.ba, m.bt
				} else {
					ba = c.biz.work(a)
				}
				if !memoed || touch != m.touch0 {
					bt = c.biz.work(touch)
				}
				el = bt - ba
			}
			if el <= sl.hours {
				s.res.SLAMet[i*len(c.slas)+x]++
			}
		}
	}
	if s.tr != nil {
		s.tr.Touch(l.id, touch, j, contacted)
	}
	switch {
	case contacted && walks != nil:
		s.replay(l, touch, s.skeleton(walks, 0, *l, true))
	case contacted:
		s.walk(l, touch, 1, true)
	case c.noContact < 0:
		s.stop(l)
	case c.ncRecycle && int(l.recycles) >= c.maxRecyc:
		s.stop(l)
	default:
		if c.ncRecycle {
			l.recycles++
		}
		if touch >= s.end {
			s.stop(l)
			return
		}
		s.enter(l, c.noContact, touch)
		if walks != nil && !c.stages[c.noContact].postOpp { // (entering a postOpp stage would draw)
			s.replay(l, touch, s.skeleton(walks, 1, *l, false))
			return
		}
		s.walk(l, touch, 1, false)
	}
}

// assign gives a lead arriving at wall-clock a, whose handling takes h
// working hours, to the SDR free first (ties to the lowest index), and
// returns the first touch and the SDR: the queue's rule, which serve
// follows too, with the calendar conversions of a from its memo.
func (c *compiled) assign(sv *servers, a, h float64) (touch float64, sdr int) {
	startW, sdr := sv.take(c.cal.work(a), h)
	return later(a, c.cal.wall(startW)), sdr
}

// servers holds the SDRs' next free working times in a binary min-heap
// ordered by (time, index), so that its top is the SDR a scan for the
// earliest time would find first, in O(log n) instead of O(n).
type servers struct {
	t  []float64
	id []int32
}

func newServers(n int) servers {
	return servers{t: make([]float64, n), id: make([]int32, n)}
}

// take gives a lead arriving at working time wa, whose handling takes h
// working hours, to the SDR free first (ties to the lowest index), and
// returns the working time its handling starts and the SDR.
func (sv *servers) take(wa, h float64) (start float64, sdr int) {
	start, sdr = later(wa, sv.t[0]), int(sv.id[0])
	sv.replaceTop(start + h)
	return start, sdr
}

// reset makes every SDR free from working time t.
func (sv *servers) reset(t float64) {
	for i := range sv.t {
		sv.t[i], sv.id[i] = t, int32(i) // in index order: a heap
	}
}

// replaceTop sets the top SDR's next free time to t and restores the heap.
func (sv *servers) replaceTop(t float64) {
	ts, ids := sv.t, sv.id
	n := len(ts)
	id := ids[0]
	i := 0
	for {
		k := 2*i + 1
		if k >= n {
			break
		}
		if r := k + 1; r < n && (ts[r] < ts[k] || ts[r] == ts[k] && ids[r] < ids[k]) {
			k = r
		}
		if t < ts[k] || t == ts[k] && id < ids[k] {
			break
		}
		ts[i], ids[i] = ts[k], ids[k]
		i = k
	}
	ts[i], ids[i] = t, id
}

// sortPending returns the handoff entries pending, sorted stably by time,
// in dst's storage: a counting sort into as many equal buckets of time
// as there are entries, then insertion sort inside each bucket, in O(n)
// for times spread as evenly as handoff entries are.
func (s *sim) sortPending(dst []pend) []pend {
	p := s.pending
	dst = dst[:0]
	if len(p) == 0 {
		return dst
	}
	lo, hi := p[0].t, p[0].t
	for i := range p {
		lo, hi = min(lo, p[i].t), max(hi, p[i].t)
	}
	nb := len(p)
	inv := float64(nb) / (hi - lo)
	if math.IsInf(inv, 0) || math.IsNaN(inv) { // all at one time, or nearly
		inv = 0
	}
	if cap(s.counts) < nb+1 {
		s.counts = make([]int32, nb+1)
	}
	counts := s.counts[:nb+1]
	clear(counts)
	// Monotone in t, so the buckets are in time order.
	bucket := func(t float64) int { return max(0, min(int((t-lo)*inv), nb-1)) }
	for i := range p {
		counts[bucket(p[i].t)+1]++
	}
	for i := 1; i <= nb; i++ {
		counts[i] += counts[i-1]
	}
	out := slices.Grow(dst, len(p))[:len(p)]
	for i := range p {
		b := bucket(p[i].t)
		out[counts[b]] = p[i]
		counts[b]++
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j].t < out[j-1].t; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// startState walks the model's starting state: open leads and
// opportunities with their ages at the start of the quarter, or at the
// start of the lead-in before it.
func (s *sim) startState(qkey uint64) {
	c := s.c
	st := c.m.Start
	lkey := key(qkey, purposeStartLead)
	for g, ol := range st.Leads {
		stg := c.m.StageIndex(ol.Stage)
		src := c.m.SourceIndex(ol.Source)
		for i := range ol.Count {
			s.gen.s = key(key(lkey, uint64(g)), uint64(i))
			l := lead{id: 1<<63 | uint64(g)<<32 | uint64(i), src: int16(src), stage: int32(stg), t: -ol.AgeDays*24 - c.leadIn}
			s.leads++
			if ol.Waiting { // in the SDR queue since -age, served first come first served
				s.queue(&l, 0)
				continue
			}
			if c.stages[stg].postOpp {
				l.inPipe, l.oppStart = true, l.t
				l.amount = c.sources[src].deal.sample(&s.gen, s.r)
			}
			s.walkAged(&l, false)
		}
	}
	okey := key(qkey, purposeStartOpp)
	for i, o := range st.Opportunities {
		s.gen.s = key(okey, uint64(i))
		src := c.m.SourceIndex(o.Source)
		l := lead{id: 1<<62 | uint64(i), src: int16(src), stage: int32(c.oppStage), t: -o.AgeDays*24 - c.leadIn,
			inPipe: true, oppStart: -o.AgeDays*24 - c.leadIn, amount: o.Amount}
		s.walkAged(&l, false)
		s.leads++
	}
}

// walkAged continues a lead that has been in its stage since l.t < 0 and
// is still there at 0 (a stationary start: at -c.warmup; a starting state
// with a lead-in: at -c.leadIn): its exit is drawn
// conditional on that. movers tells that the lead is known to leave its
// stage: it does not stay for good, nor take a recycle edge past the cap.
func (s *sim) walkAged(l *lead, movers bool) {
	c := s.c
	stg := &c.stages[l.stage]
	now := 0.0
	switch {
	case movers:
		now = -c.warmup
	case c.leadIn > 0:
		now = -c.leadIn // a starting state's lead, at the start of the lead-in
	}
	age := now - l.t
	stay := 1.0
	for _, e := range stg.edges {
		stay -= e.p
	}
	stay = max(stay, 0)
	moving := func(e *edge) bool { return !movers || !(e.recycle && int(l.recycles) >= c.maxRecyc) }
	total := 0.0
	if !movers {
		total = stay
	}
	w := s.weights[:0] // p·S(age) of each edge, 0 for those not taken
	f := s.cdfs[:0]    // and F(age), for the delay's draw
	for j := range stg.edges {
		x, y := 0.0, 0.0
		if moving(&stg.edges[j]) {
			y = stg.edges[j].delay.cdf(age)
			x = stg.edges[j].p * (1 - y)
			total += x
		}
		w, f = append(w, x), append(f, y)
	}
	s.weights, s.cdfs = w, f
	u := s.gen.float64() * total
	var e *edge
	je := -1
	for j := range stg.edges {
		if !moving(&stg.edges[j]) {
			continue
		}
		u -= w[j]
		if u < 0 {
			e, je = &stg.edges[j], j
			break
		}
	}
	if e == nil && movers { // rounding left u just above 0: the last mover
		for j := len(stg.edges) - 1; j >= 0 && e == nil; j-- {
			if moving(&stg.edges[j]) && stg.edges[j].p > 0 {
				e, je = &stg.edges[j], j
			}
		}
	}
	if e == nil || (e.recycle && int(l.recycles) >= c.maxRecyc) {
		s.stop(l)
		return
	}
	next := l.t + e.delay.drawAbove(&s.gen, s.r, age, f[je])
	if c.stages[e.to].active {
		next = c.sources[l.src].act.next(next, s.gen.expFloat64())
	}
	if s.take(l, e, next) {
		s.walk(l, next, 1, false)
	}
}

// Run simulates cfg.Quarters independent runs of the model m, each of
// cfg.Horizon consecutive quarters, in parallel, and returns the results.
// Run q uses random streams derived from (cfg.Seed, q) only, so the results
// are identical for any number of workers. When ctx is cancelled, Run stops
// promptly, in any phase (preparing the model or simulating), and returns
// ctx's error and no results. A configuration CheckSize refuses is
// refused with its error, before anything is allocated.
//
// Run panics if m is not valid (see model.Model.Validate).
func Run(ctx context.Context, m *model.Model, cfg Config) (*Results, error) {
	return run(ctx, m, cfg, nil)
}

func run(ctx context.Context, m *model.Model, cfg Config, tr Tracer) (*Results, error) {
	if err := m.Validate(); err != nil {
		panic(fmt.Sprintf("montecarlo: invalid model: %v", err))
	}
	if err := cfg.fill(m); err != nil {
		return nil, err
	}
	workers := cfg.workers()
	if tr != nil {
		workers = 1
	}
	res := newResults(m, cfg)
	c := prepare(ctx, m, cfg, tr)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Opening, res.Method = c.strategy()
	if _, err := runBatch(ctx, []*model.Model{m}, []*Results{res}, []*compiled{c}, cfg, workers, 0, tr); err != nil {
		return nil, err
	}
	return res, nil
}

// fill checks cfg for simulating ms (see CheckSize) and sets its zero
// Quarters and Horizon to their defaults.
func (cfg *Config) fill(ms ...*model.Model) error {
	if err := CheckSize(*cfg, ms...); err != nil {
		return err
	}
	if cfg.Quarters == 0 {
		cfg.Quarters = DefaultConfig.Quarters
	}
	if cfg.Horizon == 0 {
		cfg.Horizon = DefaultConfig.Horizon
	}
	return nil
}

// workers returns the number of workers a run of cfg (filled) starts:
// cfg.Workers, or one a CPU, but no more than its blocks of quarters or
// the CPUs, whichever is more (each worker takes a block at a time).
func (cfg *Config) workers() int {
	procs := runtime.GOMAXPROCS(0)
	w := cfg.Workers
	if w <= 0 {
		w = procs
	}
	return min(w, max(procs, (cfg.Quarters+quarterBlock-1)/quarterBlock))
}
