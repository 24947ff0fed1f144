package montecarlo

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/funnelsim/funnel/model"
)

// The stationary opening state.
//
// Without a starting state a run must open on a funnel in steady state: an
// open pipeline, leads in flight between stages, MQLs waiting for an SDR.
// Simulating a warm-up long enough for the slowest delays (41 weeks for the
// default model) costs three times the measured quarter. Instead, the leads
// that arrived before the near window [-T_w, 0) are drawn directly in the
// state they are in at -T_w: by the marking theorem, leads arriving as a
// Poisson process and moving independently are, at any moment, a Poisson
// process over (stage, recycles, time in stage). Its intensity is computed
// once per model by propagating the arrival rates through the funnel on an
// hourly grid (delays as kernels, convolved by FFT; actions by the sources'
// weekday-by-hour activity; the SDR queue as below), one past block at a
// time so that each block keeps its own rate multiplier. Each run then
// draws Poisson counts and walks the drawn leads on, conditional on the
// time they have spent in their stage, exactly as a calibrated starting
// state is walked.
//
// Without an SDR queue leads do not interact, T_w is 0 and the state is
// exact up to the hourly grid. With one, a lead's contact depends on the
// queue it met, so the far past uses the queue's stationary law — response
// offset and contact by hour of the week of arrival — measured once per
// model by a pilot simulation of the queue alone over pilotWeeks weeks, fed
// by the MQL flow the propagation computes (twice, so that recycled MQLs
// feed back into the load). The last week before the quarter is simulated
// in full, the queue included, so the queue at the quarter's start and the
// MQLs entering just before it are exact.

const (
	loadStep       = 0.3                    // the queue law is linearised in its load between 1 and 1+loadStep
	pilotWeeks     = 1000                   // weeks of the pilot queue simulation
	pilotBurn      = 2                      // weeks of it discarded while the queue fills
	respBins       = 2 * model.HoursPerWeek // response offsets the queue law keeps, hours
	stationaryPast = 3                      // the past propagated, in warm-ups derived from the delays (whose 5% tails the opening pipeline needs; see TestStationaryPast)
	nearWeeks      = 1                      // weeks simulated in full before the quarter, with a queue
	// negligible is the expected number of leads a run (at a rate
	// multiplier of 1) that the oldest cells of a class may hold and
	// still be left out of the stationary state: over the few hundred
	// classes and blocks of a model, less than one lead in ten million
	// runs.
	negligible = 1e-10
)

type cellKind uint8

const (
	cellAged    cellKind = iota // in the stage since t (on the handoff stage: touched at t)
	cellWaiting                 // on the handoff stage since t, not yet touched
	cellReady                   // its delay on edge done, acting at its next active moment
)

type statClass struct {
	kind  cellKind
	stage int32
	rec   int16
	edge  int16 // cellReady: index of the edge among the stage's
}

// statTable holds the intensity of the leads from one source that arrived
// in one past block, over cells (class, hourly bin of t): a with the queue
// at the average load, b at loadStep more (equal where the queue does not
// matter), per unit of the block's rate multiplier, as their cumulative
// sums within each class.
type statTable struct {
	src, block int
	cumA, cumB []float64
	guideA     []int32 // of each class, its guide table for cumA (see seek)
	guideB     []int32
	bin        []int32   // the cells' hourly bins, of the segments whose bins are not consecutive (see statSeg.binAt)
	segs       []statSeg // the cells of each class, drawn apart so that a scenario changing one class leaves the others' leads as they were
}

// binOf returns the hourly bin of cell k (of the table) of segment sg.
func (tb *statTable) binOf(sg *statSeg, k int) int32 {
	if sg.binAt < 0 {
		return sg.bin0 + int32(k) - sg.lo
	}
	return tb.bin[int(sg.binAt)+k-int(sg.lo)]
}

type statSeg struct {
	class  int16
	lo, hi int32 // cells
	glo    int32 // its guide tables start at guideA[glo], guideB[glo]
	// fixed: the class's intensity is the same at both loads of the
	// queue (as it is for every class whose leads have not met the
	// queue), so its leads are drawn from a alone, whatever the load: a
	// scenario changing only the queue draws the same ones.
	fixed bool
	close int32 // its closing summary in stationary.closing, or -1
	// Its cells' bins: bin0 to bin0+hi-lo-1 when binAt is -1 (most
	// segments: a bin left out is one without leads, found only in the
	// oldest cells); else from statTable.bin[binAt] on.
	bin0, binAt int32
}

// closing summarises a class whose leads can only close (see
// compiled.closes): its expected leads by edge and period of the close,
// per unit of the block's rate multiplier, at each load (part a, b), so
// that a run draws their counts instead of walking each lead.
type closing struct {
	mu       [2][]float64 // [part][e·(H+2)+k]: k 0 before the horizon, 1..H its periods, H+1 after it; they add up to the cells' intensity
	xlo, xhi float64      // the load weights x at which no cell's intensity g·((1-x)·a + x·b) is negative
}

// guideCells is the number of cells a guide table has a bucket for: a
// seek walks about half as many cells from its bucket's first, in a
// cache line or two, and the tables take 4/guideCells bytes a cell.
const guideCells = 8

// guideLen returns the buckets of the guide table of n cells.
func guideLen(n int) int { return n/guideCells + 1 }

// guide appends to dst the guide table of the cumulative sums cum: for
// each of its m = guideLen(len(cum)) buckets b, the first index whose sum
// reaches b/m of the total.
func guide(dst []int32, cum []float64) []int32 {
	m := guideLen(len(cum))
	total := cum[len(cum)-1]
	k := 0
	for b := range m {
		for k < len(cum)-1 && cum[k] < float64(b)/float64(m)*total {
			k++
		}
		dst = append(dst, int32(k))
	}
	return dst
}

// seek returns the first index k with cum[k] >= x (the last if none),
// as slices.BinarySearch would, starting from the guide table gd.
func seek(cum []float64, gd []int32, x float64) int {
	m := len(gd)
	b := min(int(x/cum[len(cum)-1]*float64(m)), m-1)
	k := int(gd[max(b, 0)])
	for k > 0 && cum[k-1] >= x {
		k--
	}
	for k < len(cum)-1 && cum[k] < x {
		k++
	}
	return k
}

type stationary struct {
	tw      float64 // near window, hours: the state is drawn at -tw
	t0      float64 // start of bin 0, hours (bins are one hour)
	classes []statClass
	tables  []statTable
	share   []float64 // each source's share of the MQLs, for the queue's load
	blocks  []int     // the past blocks, oldest first
	H       int       // the horizon the closing summaries are for, quarters
	closing []closing
}

// queueLaw is the SDR queue's stationary law: for an MQL arriving in hour
// h of the week, the probability that it is touched d whole hours of bins
// later and contacted (c) or not (n).
type queueLaw struct {
	c, n [model.HoursPerWeek][respBins]float64
	tail [model.HoursPerWeek][respBins + 1]float64 // P(offset >= d)
	span [model.HoursPerWeek]int32                 // the offsets with P(offset >= d) > 0: beyond them c and n are 0
}

// stationaryOK reports whether the stationary opening state can represent
// m: every non-terminal pipeline stage must be left for good (a lead that
// could stay in the pipeline forever makes the open pipeline grow without
// bound, which only a finite warm-up can express).
func (c *compiled) stationaryOK() bool {
	for i := range c.stages {
		st := &c.stages[i]
		if !st.postOpp || st.terminal {
			continue
		}
		if st.handoff {
			return false
		}
		p := 0.0
		for _, e := range st.edges {
			if e.recycle {
				return false
			}
			p += e.p
		}
		if p < 1-1e-9 {
			return false
		}
	}
	return true
}

// prop propagates arrival rates through the funnel on the hourly grid.
type prop struct {
	c    *compiled
	ctx  context.Context // when done, run returns early (its output then unused)
	n    int             // bins
	fft  *fourier.FFT
	ker  [][]float64    // by transition id: the delay kernel, bin-to-bin transfer
	kern [][]complex128 // by transition id: its transform
	pad  []float64
	coef []complex128
	out  []float64
	surv [][]float64 // by transition id: survival of the delay at the age of each bin at the end
	law  *queueLaw
	topo []int // stages, each after every stage with a non-recycle edge into it
	// reach: the stage leads to the handoff stage (or is it); dead: it has
	// no edge to leave by, nor a role at the handoff, so that its entries
	// make no cell of the state.
	reach, dead []bool
}

// newProp returns a propagator over n bins whose transforms have length N
// (at least 2n, so that the circular convolution does not wrap).
func newProp(c *compiled, n, N int) *prop {
	p := &prop{c: c, ctx: context.Background(), n: n, fft: fourier.NewFFT(N), pad: make([]float64, N), out: make([]float64, N)}
	p.ker = hourKernels(c, n)
	p.kern = make([][]complex128, len(p.ker))
	p.surv = make([][]float64, len(p.ker))
	for id, k := range p.ker {
		if k != nil {
			clear(p.pad)
			copy(p.pad, k)
			p.kern[id] = p.fft.Coefficients(nil, p.pad)
		}
	}
	// Topological order of the non-recycle graph (acyclic, validated).
	seen := make([]bool, len(c.stages))
	var visit func(s int)
	visit = func(s int) {
		if seen[s] {
			return
		}
		seen[s] = true
		for _, e := range c.stages[s].edges {
			if !e.recycle {
				visit(e.to)
			}
		}
		if s == c.handoff && c.noContact >= 0 && !c.ncRecycle {
			visit(c.noContact)
		}
		p.topo = append(p.topo, s)
	}
	for s := range c.stages {
		visit(s)
	}
	slices.Reverse(p.topo)
	p.reach = make([]bool, len(c.stages))
	p.dead = make([]bool, len(c.stages))
	if c.handoff >= 0 {
		p.reach[c.handoff] = true
	}
	for changed := true; changed; {
		changed = false
		for s := range c.stages {
			for _, e := range c.stages[s].edges {
				if p.reach[e.to] && !p.reach[s] {
					p.reach[s], changed = true, true
				}
			}
		}
	}
	for s := range c.stages {
		st := &c.stages[s]
		p.dead[s] = !st.handoff && !st.active && !slices.ContainsFunc(st.edges, func(e edge) bool { return e.p > 0 })
	}
	return p
}

// fftLen is the transform length prop uses for n bins: a power of two at
// least 2n, so that the circular convolution does not wrap.
func fftLen(n int) int {
	N := 1
	for N < 2*n {
		N *= 2
	}
	return N
}

// clone returns a copy of p with its own transform and buffers, for
// another goroutine; the kernels are shared, read only.
func (p *prop) clone() *prop {
	q := *p
	q.fft = fourier.NewFFT(len(p.pad))
	q.pad, q.out, q.coef = make([]float64, len(p.pad)), make([]float64, len(p.pad)), nil
	return &q
}

// runJob is one call of prop.run: source src's week of arrivals with the
// queue's law law; mql, when not nil, receives the handoff entries.
type runJob struct {
	src int
	law *queueLaw
	mql []float64
}

// runAll makes the calls of jobs concurrently and returns their outputs
// by class, indexed into *classes, which it extends as the calls made in
// order would.
func (p *prop) runAll(jobs []runJob, weekOf func(int) []float64, classes *[]statClass) [][][]float64 {
	outs := make([][][]float64, len(jobs))
	locals := make([][]statClass, len(jobs))
	var wg sync.WaitGroup
	for i, jb := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := p.clone()
			q.law = jb.law
			outs[i] = q.run(jb.src, weekOf(jb.src), &locals[i], jb.mql)
		}()
	}
	wg.Wait()
	for i, out := range outs {
		global := make([][]float64, len(*classes))
		for k, v := range out {
			g := slices.Index(*classes, locals[i][k])
			if g < 0 {
				g = len(*classes)
				*classes = append(*classes, locals[i][k])
				global = append(global, nil)
			}
			global[g] = v
		}
		outs[i] = global
	}
	return outs
}

// hourKernels returns, by transition id, the delay kernels over n hourly
// bins: the probability that a lead entering a stage uniformly within bin
// 0 ends the delay in bin d. The kernels are independent: one goroutine
// each.
func hourKernels(c *compiled, n int) [][]float64 {
	ker := make([][]float64, len(c.m.Transitions))
	// Gauss-Legendre nodes on [0,1] for the entry within its hour.
	nodes := [3]float64{0.5 - math.Sqrt(0.15), 0.5, 0.5 + math.Sqrt(0.15)}
	weights := [3]float64{5.0 / 18, 8.0 / 18, 5.0 / 18}
	var wg sync.WaitGroup
	for i := range c.stages {
		for _, e := range c.stages[i].edges {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cdf := func(x float64) float64 {
					if x <= 0 {
						return 0
					}
					return 1 - e.delay.survival(x)
				}
				k := make([]float64, n)
				var lo [3]float64 // cdf(d-u) at the nodes, carried from bin to bin
				for d := range n {
					v := 0.0
					for q, u := range nodes {
						hi := cdf(float64(d+1) - u)
						v += weights[q] * (hi - lo[q])
						lo[q] = hi
					}
					k[d] = v
				}
				ker[e.id] = k
			}()
		}
	}
	wg.Wait()
	return ker
}

// conv returns p·(x ⊛ kernel of edge id), truncated to n bins, into dst.
func (p *prop) conv(dst, x []float64, id int, prob float64) {
	clear(p.pad)
	copy(p.pad, x)
	p.coef = p.fft.Coefficients(p.coef, p.pad)
	for i, k := range p.kern[id] {
		p.coef[i] *= k
	}
	p.out = p.fft.Sequence(p.out, p.coef)
	scale := prob / float64(len(p.pad))
	for i := range dst {
		dst[i] = max(0, p.out[i]*scale)
	}
}

// run propagates one week of arrivals x (expected leads a bin, bins 0 to
// 167) of source j entering its entry stage, and returns by class the rate
// of the class's clock over the bins: entries (or, on the handoff stage,
// contacted touches) for cellAged, handoff entries for cellWaiting, leads
// becoming ready to act for cellReady. classes maps a class to its index,
// adding new ones. mql, when not nil, receives the handoff entries, and
// only they are wanted: what cannot lead back to the handoff is left out.
// Entries into dead stages are left at zero: they make no cell.
func (p *prop) run(j int, x []float64, classes *[]statClass, mql []float64) [][]float64 {
	c, n := p.c, p.n
	R := c.maxRecyc + 1
	entries := make([][]float64, len(c.stages)*R)
	at := func(s, r int) []float64 {
		i := s*R + r
		if entries[i] == nil {
			entries[i] = make([]float64, n)
		}
		return entries[i]
	}
	copy(at(c.sources[j].entry, 0), x)
	var out [][]float64
	put := func(cl statClass, v []float64) {
		i := slices.Index(*classes, cl)
		if i < 0 {
			i = len(*classes)
			*classes = append(*classes, cl)
		}
		for len(out) <= i {
			out = append(out, nil)
		}
		out[i] = v
	}
	act := &c.sources[j].act
	for r := range R {
		for _, s := range p.topo {
			e := entries[s*R+r]
			if e == nil {
				continue
			}
			if p.ctx.Err() != nil {
				return out
			}
			st := &c.stages[s]
			clock := e // when the stage's delays start
			if st.handoff {
				if mql != nil {
					addTo(mql, e)
				}
				put(statClass{kind: cellWaiting, stage: int32(s), rec: int16(r)}, e)
				touched, missed := make([]float64, n), make([]float64, n)
				for i, v := range e {
					if v == 0 {
						continue
					}
					h := i % model.HoursPerWeek
					lc, ln := &p.law.c[h], &p.law.n[h]
					m := min(int(p.law.span[h]), n-i)
					tc, tm := touched[i:i+m], missed[i:i+m]
					for d := range m {
						tc[d] += v * lc[d]
						tm[d] += v * ln[d]
					}
				}
				clock = touched
				if c.noContact >= 0 {
					switch {
					case !c.ncRecycle:
						addTo(at(c.noContact, r), missed)
					case r+1 < R:
						addTo(at(c.noContact, r+1), missed)
					}
				}
			}
			put(statClass{kind: cellAged, stage: int32(s), rec: int16(r)}, clock)
			for ei := range st.edges {
				ed := &st.edges[ei]
				if ed.p == 0 || (ed.recycle && r >= c.maxRecyc) {
					continue
				}
				if mql != nil && !p.reach[ed.to] {
					continue
				}
				y := make([]float64, n)
				if !p.dead[ed.to] {
					p.conv(y, clock, ed.id, ed.p)
				}
				r2 := r
				if ed.recycle {
					r2++
				}
				if c.stages[ed.to].active {
					put(statClass{kind: cellReady, stage: int32(s), rec: int16(r), edge: int16(ei)}, slices.Clone(y))
					activate(act, y)
				}
				addTo(at(ed.to, r2), y)
			}
		}
	}
	return out
}

func addTo(dst, x []float64) {
	for i, v := range x {
		dst[i] += v
	}
}

// activate turns x, leads ready to act by bin, into the leads acting by bin
// (in place), at intensity w(h)/actionHours. Leads become ready uniformly
// within their bin; those still waiting at the end are the cellReady
// class, whose share factor gives.
func activate(a *activity, x []float64) {
	w := 0.0
	for i, v := range x {
		l := a.w[i%model.HoursPerWeek] / actionHours
		if l <= 0 {
			w += v
			x[i] = 0
			continue
		}
		q := math.Exp(-l)
		in := (1 - q) / l // share of a bin's new arrivals still waiting at its end
		x[i] = w*(1-q) + v*(1-in)
		w = w*q + v*in
	}
}

// survival returns, for each bin i, the survival of e's delay at the age
// from the middle of bin i to the end of the n bins.
func (p *prop) survival(e *edge) []float64 {
	if p.surv[e.id] == nil {
		sv := make([]float64, p.n)
		for i := range sv {
			sv[i] = e.delay.survival(float64(p.n-i) - 0.5)
		}
		p.surv[e.id] = sv
	}
	return p.surv[e.id]
}

// factor returns, for each bin i, the probability that a lead whose class
// clock fell in bin i is still in the class at the end of the n bins.
func (p *prop) factor(cl statClass, j int, law *queueLaw) []float64 {
	c, n := p.c, p.n
	f := make([]float64, n)
	switch cl.kind {
	case cellAged:
		for _, e := range c.stages[cl.stage].edges {
			if e.p == 0 || (e.recycle && int(cl.rec) >= c.maxRecyc) {
				continue
			}
			for i, v := range p.survival(&e) {
				f[i] += e.p * v
			}
		}
	case cellWaiting:
		for i := max(0, n-respBins); i < n; i++ {
			f[i] = law.tail[i%model.HoursPerWeek][n-i]
		}
	case cellReady: // ready in bin i and not acted by the end
		a := &c.sources[j].act
		rest := 0.0 // intensity from the end of bin i to the end
		for i := n - 1; i >= 0; i-- {
			l := a.w[i%model.HoursPerWeek] / actionHours
			in := 1.0
			if l > 0 {
				in = (1 - math.Exp(-l)) / l
			}
			f[i] = in * math.Exp(-rest)
			rest += l
		}
	}
	return f
}

// buildStationary computes the stationary opening state of c for runs of
// H quarters: tw is the near window, n the bins of the past propagated.
// When ctx is cancelled it returns nil promptly.
func (c *compiled) buildStationary(ctx context.Context, tw float64, n, H int) *stationary {
	const week = model.HoursPerWeek
	n = (n + week - 1) / week * week
	st := &stationary{tw: tw, t0: -tw - float64(n), H: H}
	p := newProp(c, n, fftLen(n))
	p.ctx = ctx
	weekOf := func(j int) []float64 { // a week of arrivals, in bins 0 to 167
		src := &c.sources[j]
		x := make([]float64, n)
		for h := range week {
			x[h] = src.rate * src.act.w[h] // w has mean 1
		}
		return x
	}
	// The queue's law at the average load and at 1+loadStep times it.
	var lawB *queueLaw
	if c.handoff >= 0 {
		p.law = &queueLaw{}
		for h := range week { // first guess: touched at once
			p.law.immediate(c, h)
		}
		p.law.fillTail()
		var rates [][week]float64
		for it := range 2 {
			rates = rates[:0]
			var scratch []statClass
			jobs := make([]runJob, len(c.sources))
			for j := range jobs {
				jobs[j] = runJob{src: j, law: p.law, mql: make([]float64, n)}
			}
			p.runAll(jobs, weekOf, &scratch)
			for _, jb := range jobs {
				mql := jb.mql
				var w [week]float64
				for i, v := range mql {
					w[i%week] += v
				}
				rates = append(rates, w)
			}
			if ctx.Err() != nil {
				return nil
			}
			if it == 0 {
				p.law = c.pilotQueue(ctx, rates, 1)
				continue
			}
			// The final law and the one at the higher load, concurrently.
			done := make(chan struct{})
			go func() {
				defer close(done)
				lawB = c.pilotQueue(ctx, rates, 1+loadStep)
			}()
			p.law = c.pilotQueue(ctx, rates, 1)
			<-done
		}
		if ctx.Err() != nil {
			return nil
		}
		total := 0.0
		for _, w := range rates {
			for _, v := range w {
				total += v
			}
		}
		for _, w := range rates {
			sum := 0.0
			for _, v := range w {
				sum += v
			}
			st.share = append(st.share, sum/max(total, 1e-300))
		}
	}
	q := c.quarter
	for b := int(math.Floor(st.t0 / q)); float64(b)*q < -tw; b++ {
		st.blocks = append(st.blocks, b)
	}
	// Each source's responses at both laws, computed concurrently.
	lawA := p.law
	var jobs []runJob
	for j := range c.sources {
		jobs = append(jobs, runJob{src: j, law: lawA})
		if lawB != nil {
			jobs = append(jobs, runJob{src: j, law: lawB})
		}
	}
	resp := p.runAll(jobs, weekOf, &st.classes)
	if ctx.Err() != nil {
		return nil
	}
	// Each source's tables, built concurrently (the survival arrays the
	// factors share are filled first) and kept in source order.
	for i := range c.stages {
		for e := range c.stages[i].edges {
			p.survival(&c.stages[i].edges[e])
		}
	}
	// The closing stages' probabilities by bin, shared by their classes.
	closeP := make([][]float64, len(c.stages))
	for s := range c.stages {
		if !noClosing && c.closes(statClass{kind: cellAged, stage: int32(s)}) {
			closeP[s] = p.closeProbs(st, s, n)
		}
	}
	tabs := make([][]statTable, len(c.sources))
	closings := make([][]closing, len(c.sources))
	var wg sync.WaitGroup
	for j := range c.sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tabs[j], closings[j] = p.tables(st, j, resp, lawA, lawB, n, closeP)
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	for j, ts := range tabs {
		for _, t := range ts {
			for i := range t.segs {
				if t.segs[i].close >= 0 {
					t.segs[i].close += int32(len(st.closing))
				}
			}
			st.tables = append(st.tables, t)
		}
		st.closing = append(st.closing, closings[j]...)
	}
	return st
}

// closes reports whether the leads of class cl can only close: they sit
// in an open pipeline stage (not the handoff) whose every edge ends in a
// terminal stage that is not active and has no edge out. Such a lead's
// walk from the stationary state is one draw of its close (edge and
// time), which counts only through the period it falls in.
func (c *compiled) closes(cl statClass) bool {
	st := &c.stages[cl.stage]
	if cl.kind != cellAged || !st.postOpp || st.terminal || st.handoff || len(st.edges) == 0 {
		return false
	}
	for _, e := range st.edges {
		to := &c.stages[e.to]
		if e.recycle || !to.terminal || to.active || to.postOpp || len(to.edges) > 0 {
			return false
		}
	}
	return true
}

// closeProbs returns, for a lead that entered closing stage stage at t
// in each of the n hourly bins of the past and is still there at -tw, the
// probability of each (edge, period of close) as walkAged draws them, at
// [bin·len(edges)·(H+2) + e·(H+2) + k] (k as in closing), averaged over
// the hour by Gauss-Legendre. They depend on the bin only, not on the
// class's block, recycles or source.
func (p *prop) closeProbs(st *stationary, stage, n int) []float64 {
	c := p.c
	H := st.H
	edges := c.stages[stage].edges
	K := H + 2
	out := make([]float64, n*len(edges)*K)
	nodes := [3]float64{0.5 - math.Sqrt(0.15), 0.5, 0.5 + math.Sqrt(0.15)}
	weights := [3]float64{5.0 / 18, 8.0 / 18, 5.0 / 18}
	now := -st.tw
	for bin := range n {
		prob := out[bin*len(edges)*K : (bin+1)*len(edges)*K]
		for q, u := range nodes {
			t := st.t0 + float64(bin) + u
			W := 0.0
			for _, e := range edges {
				W += e.p * (1 - e.delay.cdf(now-t))
			}
			if !(W > 0) {
				prob[0] += weights[q] // every close falls before the horizon
				continue
			}
			for ei, e := range edges {
				w := weights[q] * e.p / W
				lo := e.delay.cdf(-t) // a close before 0 counts nowhere
				prob[ei*K] += w * (lo - e.delay.cdf(now-t))
				for j := 1; j <= H; j++ {
					hi := e.delay.cdf(float64(j)*c.quarter - t)
					prob[ei*K+j] += w * (hi - lo)
					lo = hi
				}
				prob[ei*K+H+1] += w * (1 - lo)
			}
		}
	}
	return out
}

// closingOf returns the closing summary of the cells at bins bins of a
// class in a closing stage, w values a bin in its closeProbs probs, the
// cells' intensities at the two loads being the differences of cumA and
// cumB.
func closingOf(probs []float64, w int, cumA, cumB []float64, bins []int32) closing {
	out := closing{xlo: math.Inf(-1), xhi: math.Inf(1)}
	out.mu[0] = make([]float64, w)
	out.mu[1] = make([]float64, w)
	for k := range cumA {
		a, b := cumA[k], cumB[k]
		if k > 0 {
			a, b = a-cumA[k-1], b-cumB[k-1]
		}
		switch {
		case b > a:
			out.xlo = max(out.xlo, -a/(b-a))
		case a > b:
			out.xhi = min(out.xhi, a/(a-b))
		}
		for i, v := range probs[int(bins[k])*w : int(bins[k]+1)*w] {
			out.mu[0][i] += a * v
			out.mu[1][i] += b * v
		}
	}
	return out
}

// tables returns the tables of source j of st from the responses resp of
// runAll (with lawB: j's at lawA, then at lawB), which it overwrites.
func (p *prop) tables(st *stationary, j int, resp [][][]float64, lawA, lawB *queueLaw, n int, closeP [][]float64) ([]statTable, []closing) {
	const week = model.HoursPerWeek
	q := p.c.quarter
	var out []statTable
	var closings []closing
	ea, eb := resp[j], resp[j]
	if lawB != nil {
		ea, eb = resp[2*j], resp[2*j+1]
	}
	fa := make([][]float64, len(st.classes))
	fb := make([][]float64, len(st.classes))
	for k := range ea {
		if ea[k] != nil {
			fa[k] = p.factor(st.classes[k], j, lawA)
			fb[k] = fa[k]
			if lawB != nil && st.classes[k].kind == cellWaiting {
				fb[k] = p.factor(st.classes[k], j, lawB)
			}
		}
	}
	// Which classes have the same responses at both loads, before the
	// responses become their strided prefix sums, pre[i] = v[i] +
	// pre[i-168], in place (resp[j] is this source's alone).
	same := make([]bool, len(ea))
	for k := range ea {
		same[k] = lawB == nil || slices.Equal(ea[k], eb[k])
	}
	prefix := func(v []float64) []float64 {
		for i := week; i < len(v); i++ {
			v[i] += v[i-week]
		}
		return v
	}
	pa, pb := make([][]float64, len(ea)), make([][]float64, len(eb))
	for k := range ea {
		pa[k] = prefix(ea[k])
		pb[k] = pa[k]
		if lawB != nil {
			pb[k] = prefix(eb[k])
		}
	}
	// Each table is built in these buffers, then copied at its size.
	var cumA, cumB []float64
	var bins, guideA, guideB []int32
	for _, b := range st.blocks {
		if p.ctx.Err() != nil {
			return out, closings
		}
		// Arrival weeks k (bins 168k to 168k+167) inside block b.
		var weeks []int
		for k := 0; k*week < n; k++ {
			t := st.t0 + float64(k*week)
			if t >= float64(b)*q && t < float64(b+1)*q {
				weeks = append(weeks, k)
			}
		}
		t := statTable{src: j, block: b}
		cumA, cumB, bins, guideA, guideB = cumA[:0], cumB[:0], bins[:0], guideA[:0], guideB[:0]
		// The arrivals of weeks k0..k1 reach bin i as the response to
		// one week read at i-168k: a difference of strided prefix sums.
		k0, k1 := 0, -1
		if len(weeks) > 0 {
			k0, k1 = weeks[0], weeks[len(weeks)-1]
		}
		fold := func(pre []float64, i int) float64 {
			at := func(j int) float64 {
				if j < 0 {
					return 0
				}
				return pre[j]
			}
			return max(0, at(i-k0*week)-at(i-(k1+1)*week))
		}
		for k := range ea {
			if ea[k] == nil {
				continue
			}
			ta, tb := 0.0, 0.0
			lo := len(cumA)
			for i := range n {
				a := fold(pa[k], i) * fa[k][i]
				bb := a
				if lawB != nil {
					bb = fold(pb[k], i) * fb[k][i]
				}
				if a > 0 || bb > 0 {
					ta += a
					tb += bb
					cumA = append(cumA, ta)
					if lawB != nil {
						cumB = append(cumB, tb)
					}
					bins = append(bins, int32(i))
				}
			}
			// The oldest cells whose leads add up to less than
			// negligible are left out (most of a fast stage's cells:
			// their leads have long left it).
			d := lo // the first cell kept
			for d < len(cumA) && cumA[d] < negligible && (lawB == nil || cumB[d] < negligible) {
				d++
			}
			if d > lo {
				da := cumA[d-1]
				for i := d; i < len(cumA); i++ {
					cumA[lo+i-d], bins[lo+i-d] = cumA[i]-da, bins[i]
				}
				cumA, bins = cumA[:len(cumA)-(d-lo)], bins[:len(bins)-(d-lo)]
				if lawB != nil {
					db := cumB[d-1]
					for i := d; i < len(cumB); i++ {
						cumB[lo+i-d] = cumB[i] - db
					}
					cumB = cumB[:len(cumB)-(d-lo)]
				}
			}
			if len(cumA) > lo {
				fixed := lawB == nil || (st.classes[k].kind != cellWaiting && same[k])
				sg := statSeg{class: int16(k), lo: int32(lo), hi: int32(len(cumA)), glo: int32(len(guideA)), fixed: fixed, close: -1}
				if cl := st.classes[k]; closeP[cl.stage] != nil && p.c.closes(cl) {
					cb := cumA[lo:]
					if lawB != nil {
						cb = cumB[lo:]
					}
					w := len(closeP[cl.stage]) / n
					sg.close = int32(len(closings))
					closings = append(closings, closingOf(closeP[cl.stage], w, cumA[lo:], cb, bins[lo:]))
				}
				guideA = guide(guideA, cumA[lo:])
				if lawB != nil {
					guideB = guide(guideB, cumB[lo:])
				}
				t.segs = append(t.segs, sg)
			}
		}
		if len(t.segs) > 0 {
			t.cumA, t.guideA = slices.Clone(cumA), slices.Clone(guideA)
			// Only the bins that are not consecutive are kept.
			var sparse []int32
			for i := range t.segs {
				sg := &t.segs[i]
				b := bins[sg.lo:sg.hi]
				sg.bin0, sg.binAt = b[0], -1
				if int(b[len(b)-1]-b[0]) != len(b)-1 { // bins increase: consecutive iff they span len(b)
					sg.binAt = int32(len(sparse))
					sparse = append(sparse, b...)
				}
			}
			t.bin = slices.Clip(sparse)
			t.cumB, t.guideB = t.cumA, t.guideA // without lawB, b is a: so are its sums and guides
			if lawB != nil {
				t.cumB, t.guideB = slices.Clone(cumB), slices.Clone(guideB)
			}
			out = append(out, t)
		}
	}
	return out, closings
}

// immediate sets the law of hour h to a touch at once, contacted with
// probability contact·m(0).
func (l *queueLaw) immediate(c *compiled, h int) {
	l.c[h][0] = c.contact * c.decayAt(0)
	l.n[h][0] = 1 - l.c[h][0]
}

func (l *queueLaw) fillTail() {
	for h := range l.c {
		l.span[h] = 0
		for d := respBins - 1; d >= 0; d-- {
			l.tail[h][d] = l.tail[h][d+1] + l.c[h][d] + l.n[h][d]
			if l.span[h] == 0 && l.tail[h][d] > 0 {
				l.span[h] = int32(d + 1)
			}
		}
	}
}

// pilotQueue simulates the SDR queue alone for pilotWeeks weeks, fed by
// Poisson MQL arrivals at load·rates[j][h] an hour from each source j in
// hour h of the week, and returns its law. When ctx is cancelled it
// returns promptly, a law of the weeks simulated so far.
func (c *compiled) pilotQueue(ctx context.Context, rates [][model.HoursPerWeek]float64, load float64) *queueLaw {
	var g stream
	g.s = key(0x70696c6f74, purposePilot) // fixed: the law is part of the model
	r := rand.New(&g)
	law := &queueLaw{}
	free := newServers(c.servers)
	free.reset(math.Inf(-1))
	var times []float64
	for wk := range pilotWeeks + pilotBurn {
		if ctx.Err() != nil {
			break
		}
		for h := range model.HoursPerWeek {
			lam := 0.0
			for j := range rates {
				lam += load * rates[j][h]
			}
			k := poisson(r, lam)
			t0 := float64(wk*model.HoursPerWeek + h)
			times = times[:0]
			for range k {
				times = append(times, t0+g.float64())
			}
			slices.Sort(times)
			for _, a := range times {
				touch, _ := c.assign(&free, a, c.handle.sample(&g, r))
				u := g.float64()
				if wk < pilotBurn {
					continue
				}
				d := min(int(math.Floor(touch))-int(t0), respBins-1)
				if c.contacted(u, (touch-a)*60) {
					law.c[h][d]++
				} else {
					law.n[h][d]++
				}
			}
		}
	}
	for h := range law.c {
		sum := 0.0
		for d := range respBins {
			sum += law.c[h][d] + law.n[h][d]
		}
		if sum == 0 { // no MQL ever arrives in this hour: any law will do
			law.immediate(c, h)
			continue
		}
		for d := range respBins {
			law.c[h][d] /= sum
			law.n[h][d] /= sum
		}
	}
	law.fillTail()
	return law
}

// stationaryStart draws the leads that arrived before -tw in the state
// they are in at -tw and walks them on: those of the fixed cells (see
// statSeg), or the others.
func (s *sim) stationaryStart(qkey uint64, fixed bool) {
	c := s.c
	st := c.stat
	// The past blocks' rate multipliers and the queue's load in each.
	nb := len(st.blocks)
	mult := s.blockMults(qkey, st.blocks)
	for ti := range st.tables {
		tb := &st.tables[ti]
		bi := slices.Index(st.blocks, tb.block)
		g := mult[tb.src*nb+bi]
		x := 0.0 // the load's interpolation weight
		if st.share != nil {
			load := 0.0
			for j, sh := range st.share {
				load += sh * mult[j*nb+bi]
			}
			x = (load - 1) / loadStep
		}
		tkey := key(key(key(qkey, purposeStationary), uint64(tb.src)), uint64(tb.block+1<<20))
		if s.cancelled() {
			return
		}
		for _, sg := range tb.segs {
			if sg.fixed != fixed {
				continue
			}
			ckey := key(tkey, uint64(sg.class))
			if sg.close >= 0 && s.H == st.H {
				if cl := &st.closing[sg.close]; sg.fixed || (x >= cl.xlo && x <= cl.xhi) {
					s.drawClosing(tb, sg, cl, ckey, g, x)
					continue
				}
			}
			s.drawSeg(tb, sg, ckey, g, x, uint64(ti)<<44|uint64(sg.class)<<32)
		}
	}
}

// noClosing turns the closing summaries off (tests: to compare with the
// leads walked one by one).
var noClosing = false

// drawClosing draws the leads of a closing class (see closing) of table
// tb, whose intensity is g·((1-x)·a + x·b): their number (Poisson), then
// each lead's edge and period of close from its own stream, so that a
// scenario changing the load slightly gives the same leads the same
// closes; a lead that closes before the horizon counts nowhere and is
// dropped, the others are counted as walkAged would count them.
func (s *sim) drawClosing(tb *statTable, sg statSeg, cl *closing, ckey uint64, g, x float64) {
	c := s.c
	st := c.stat
	class := st.classes[sg.class]
	if sg.fixed {
		x = 0
	}
	cum := s.cats[:0]
	total := 0.0
	for i := range cl.mu[0] {
		total += max(0, (1-x)*cl.mu[0][i]+x*cl.mu[1][i])
		cum = append(cum, total)
	}
	s.cats = cum
	s.gen.s = ckey
	n := poisson(s.r, g*total)
	src := &c.sources[tb.src]
	edges := c.stages[class.stage].edges
	K := s.H + 2
	lkey := key(ckey, purposeLead)
	for i := range n {
		s.gen.s = key(lkey, uint64(i))
		u := s.gen.float64() * total
		j := 0
		for j < len(cum)-1 && cum[j] <= u {
			j++
		}
		k := j % K
		if k == 0 {
			continue // closed before the horizon
		}
		l := lead{src: int16(tb.src), stage: class.stage, recycles: class.rec, t: -st.tw,
			inPipe: true, oppStart: -st.tw, amount: src.deal.sample(&s.gen, s.r)}
		s.leads++
		if k == K-1 {
			s.stop(&l) // still open at the end
			continue
		}
		s.take(&l, &edges[j/K], (float64(k-1)+0.5)*c.quarter) // closes in period k-1
	}
}

// drawSeg draws the leads of one class of table tb, whose intensity is
// g·((1-x)·a + x·b): as the superposition of its two parts when x is in
// [0, 1], else from its larger part, thinned.
func (s *sim) drawSeg(tb *statTable, sg statSeg, ckey uint64, g, x float64, id uint64) {
	ca, cb := tb.cumA[sg.lo:sg.hi], tb.cumB[sg.lo:sg.hi]
	cell := func(cum []float64, k int) float64 { // the intensity of cell k
		if k == 0 {
			return cum[0]
		}
		return cum[k] - cum[k-1]
	}
	m := guideLen(int(sg.hi - sg.lo))
	ga, gb := tb.guideA[sg.glo:int(sg.glo)+m], tb.guideB[sg.glo:int(sg.glo)+m]
	ta, tbt := ca[len(ca)-1], cb[len(cb)-1]
	draw := func(part uint64, mean float64, cum []float64, gd []int32, accept func(k int) float64) {
		s.gen.s = key(ckey, part)
		n := poisson(s.r, mean)
		if n == 0 {
			return
		}
		lkey := key(ckey, part+purposeLead<<8)
		total := cum[len(cum)-1]
		for i := range n {
			s.gen.s = key(lkey, uint64(i))
			k := seek(cum, gd, s.gen.float64()*total)
			if accept != nil && !(s.gen.float64() < accept(k)) {
				continue
			}
			s.startLead(tb, sg, int(sg.lo)+k, id|part<<28|uint64(i))
		}
	}
	switch {
	case x == 0 || sg.fixed:
		draw(0, g*ta, ca, ga, nil)
	case x > 0 && x < 1:
		draw(0, g*(1-x)*ta, ca, ga, nil)
		draw(1, g*x*tbt, cb, gb, nil)
	case x < 0:
		draw(0, g*(1-x)*ta, ca, ga, func(k int) float64 {
			a := cell(ca, k)
			return ((1-x)*a + x*cell(cb, k)) / ((1 - x) * a)
		})
	default:
		draw(1, g*x*tbt, cb, gb, func(k int) float64 {
			b := cell(cb, k)
			return ((1-x)*cell(ca, k) + x*b) / (x * b)
		})
	}
}

// startLead walks on the lead of cell k of table tb, with the worker's
// stream already on the lead's.
func (s *sim) startLead(tb *statTable, sg statSeg, k int, id uint64) {
	c := s.c
	st := c.stat
	src := &c.sources[tb.src]
	cl := st.classes[sg.class]
	t := st.t0 + float64(tb.binOf(&sg, k)) + s.gen.float64()
	l := lead{id: 1<<61 | id, src: int16(tb.src), stage: cl.stage, recycles: cl.rec, t: t}
	s.leads++
	switch cl.kind {
	case cellWaiting:
		s.queue(&l, 0)
	case cellReady:
		e := &c.stages[cl.stage].edges[cl.edge]
		l.t = -st.tw
		next := src.act.next(-st.tw, s.gen.expFloat64())
		if s.take(&l, e, next) {
			s.walk(&l, next, 1, false)
		}
	default:
		if c.stages[cl.stage].postOpp {
			l.inPipe, l.oppStart = true, t
			l.amount = src.deal.sample(&s.gen, s.r)
		}
		s.walkAged(&l, true)
	}
}

// blockMults returns the rate multipliers of run qkey for each source j
// and block blocks[i], at j·len(blocks)+i, in the sim's buffer.
func (s *sim) blockMults(qkey uint64, blocks []int) []float64 {
	c := s.c
	nb := len(blocks)
	if cap(s.mult) < nb*len(c.sources) {
		s.mult = make([]float64, nb*len(c.sources))
	}
	mult := s.mult[:nb*len(c.sources)]
	for j := range c.sources {
		for bi, b := range blocks {
			mult[j*nb+bi] = 1
			if c.sources[j].disp > 0 {
				mult[j*nb+bi] = s.blockMult(qkey, j, b)
			}
		}
	}
	return mult
}

// blockMult returns the rate multiplier of source j in block b of run
// qkey: the first draw of the block's arrival stream.
func (s *sim) blockMult(qkey uint64, j, b int) float64 {
	src := &s.c.sources[j]
	s.gen.s = key(key(key(qkey, purposeArrivals), uint64(j)), uint64(b+1<<20))
	return gamma(s.r, src.disp) / src.disp
}

// useStationary makes runs of c open on the stationary state instead of a
// warm-up: the past the warm-up would simulate is propagated instead, and
// only the near window (a week with an SDR queue, else nothing) is
// simulated before the quarter. When ctx is cancelled it returns
// promptly, leaving c to warm up.
func (c *compiled) useStationary(ctx context.Context, H int) {
	tw := 0.0
	if c.handoff >= 0 {
		tw = nearWeeks * model.HoursPerWeek
	}
	if st := c.buildStationary(ctx, tw, int(stationaryPast*c.warmup), H); st != nil {
		c.stat = st
		c.warmup = tw
	}
}
