package montecarlo

import "slices"

// A sweep's group of models (see RunSweep) serves the same upstream
// handoff entries, each lead with the same stream. What a lead draws from
// the handoff on does not depend on when the SDRs reach it: its handling
// time, the uniform that decides its contact, and then, contacted or not,
// the edges, delays and deal amount of its walk. Only what those draws
// mean depends on the times: which period a move falls in, whether an SLA
// is met, where the horizon stops the walk. The first model of the group
// to serve a lead records the draws in the lead's memo; the others replay
// them and make no draw, so every model sees exactly the draws Run would
// make.

// A lead that a recorded walk sends back to the handoff stage (a recycle)
// re-enters it with the same stream in every model, though at other
// times: it gets a memo of its own, made by the queue step that sends it.
//
// A memo's parts are recorded by the first model to need them that can:
// the handling time and contact uniform by a model whose handling time is
// drawn as the group's first model's (see sameSampler), the calendar
// conversions of the arrival by one whose SDRs work the first model's
// hours, and each walk by any model whose draws leave the lead's stream
// where the first model's left it (m.after). A model that cannot use a
// part computes it itself; the calendar conversions are reused only at
// the same arrival time.

// memo holds what a handoff entry draws from its first touch on.
type memo struct {
	h, u  float64 // handling time (working hours), contact uniform
	after uint64  // the lead's stream after drawing them
	// from is no later than the lead's entry into the handoff stage in
	// any model (its entry itself for an upstream lead).
	from float64
	// The arrival at, in the SDRs' working time, the first touch if an SDR
	// is free then, and both in business hours.
	at, wa, touch0, ba, bt float64
	// walks[0] and walks[1] are 1 + the index in the upstream sim's steps
	// of the skeleton of the lead's walk when contacted and when not; 0:
	// not recorded yet.
	walks [2]int32
	ok    bool // h, u and after are set
	cal   bool // at, wa, touch0, ba and bt are set
}

// A step is one move of a recorded walk, or its end.
type step struct {
	e      *edge
	d      float64 // the edge's delay; stepQueue: the recording's bound then
	x      float64 // the Exp(1) variate of the wait for an active moment
	amount float64 // the deal amount drawn on entering the pipeline
	rng    uint64  // stepQueue: the lead's stream when it queued
	child  int32   // stepQueue: 1 + the index of the queued lead's memo, or 0
	kind   uint8
}

const (
	stepMove  = iota // move along e
	stepLast         // move along e, past the horizon in every model
	stepStop         // the walk stops where it is
	stepQueue        // the lead queues for the SDRs again
)

// resetMemos gives each of the upstream part's handoff entries an empty
// memo, and drops the recorded walks.
func (s *sim) resetMemos() {
	s.memo = slices.Grow(s.memo[:0], len(s.up))[:len(s.up)]
	for i := range s.memo {
		s.memo[i] = memo{from: s.up[i].t}
	}
	s.steps = s.steps[:0]
}

// skeleton returns the steps of l's walk of kind k (0: contacted, from the
// handoff stage, served; 1: not contacted, from the no-contact stage),
// recording them first if no model has. l is the lead as the walk starts,
// at its first touch, which is no earlier than m.from.
func (s *sim) skeleton(m *memo, k int, l lead, served bool) []step {
	up := s.upSim
	if m.walks[k] == 0 {
		m.walks[k] = int32(len(up.steps)) + 1
		s.gen.s = m.after
		up.steps = s.record(up.steps, l, served, m.from)
	}
	return up.steps[m.walks[k]-1:]
}

// record appends to steps the draws of l's walk from its stage, made with
// the worker's stream (which must hold l's) exactly as walk makes them,
// until the walk stops or queues, or its delays alone, counted from a,
// take it past the horizon: a walk that starts no earlier than a is past
// the horizon by then whatever its waits for active moments.
func (s *sim) record(steps []step, l lead, served bool, a float64) []step {
	c := s.c
	bound := a
	for ; ; served = false {
		stg := &c.stages[l.stage]
		if stg.handoff && !served {
			return append(steps, step{d: bound, rng: s.gen.s, kind: stepQueue})
		}
		e := stg.pick(s.gen.float64(), &l, c.maxRecyc)
		if e == nil {
			return append(steps, step{kind: stepStop})
		}
		st := step{e: e, d: e.delay.sample(&s.gen, s.r)}
		to := &c.stages[e.to]
		if to.active {
			st.x = s.gen.expFloat64()
		}
		if e.recycle {
			l.recycles++
		}
		if bound += st.d; bound >= s.end {
			st.kind = stepLast
			return append(steps, st)
		}
		switch {
		case to.postOpp && !l.inPipe:
			l.inPipe = true
			st.amount = c.sources[l.src].deal.sample(&s.gen, s.r)
		case l.inPipe && !to.postOpp:
			l.inPipe = false
		}
		steps = append(steps, st)
		l.stage = int32(e.to)
	}
}

// replay walks l from clock along steps, as walk would with the draws
// they hold.
func (s *sim) replay(l *lead, clock float64, steps []step) {
	c := s.c
	for i := range steps {
		st := &steps[i]
		switch st.kind {
		case stepQueue:
			// The queued lead's memo, made by the first model to get
			// here; every model's lead re-enters no earlier than the
			// recording's bound.
			if st.child == 0 {
				up := s.upSim
				up.memo = append(up.memo, memo{from: st.d})
				st.child = int32(len(up.memo))
			}
			s.gen.s = st.rng
			s.queue(l, st.child)
			return
		case stepStop:
			s.stop(l)
			return
		}
		e := st.e
		stg := &c.stages[l.stage]
		next := clock + st.d
		if c.stages[e.to].active {
			next = c.sources[l.src].act.next(next, st.x)
		}
		if len(stg.slas) > 0 {
			s.measureSLA(l, stg, e.to, next)
		}
		if e.recycle {
			l.recycles++
		}
		if next >= s.end {
			s.stop(l)
			return
		}
		if st.kind == stepLast {
			panic("montecarlo: a replayed walk outlives its recording")
		}
		s.move(e, next)
		s.enterWith(l, e.to, next, st.amount)
		clock = next
	}
	panic("montecarlo: a recorded walk without an end")
}

// sameSampler reports whether a and b draw the same values from the same
// stream.
func sameSampler(a, b *sampler) bool {
	return a.form == b.form && a.a == b.a && a.b == b.b && slices.Equal(a.values, b.values)
}
