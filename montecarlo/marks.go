package montecarlo

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/funnelsim/funnel/model"
)

// Marks: exact aggregation of a funnel without an SDR queue.
//
// Without a handoff no lead waits for another: each source's leads arrive
// as a Poisson process (given each block's rate multiplier) and move on
// independently. Mark every lead with its path through the funnel and the
// period in which it enters each stage of that path: before the horizon,
// one of its quarters, or after it. By the marking theorem the numbers of
// leads carrying each mark are independent Poisson variates, and every
// per-quarter result is a sum over marks: the count times the mark's
// entries and moves, plus, for each of its leads and each of its spells in
// the pipeline, one deal amount added to the quarters the mark says
// (created, won, open at a quarter's start). A run then draws a few hundred
// Poisson counts and the deal amounts instead of walking every lead.
//
// The marks' means are computed once per model on the hourly grid of the
// stationary state (the same window of the past, the same delay kernels),
// backwards along each path: the probability that a lead entering stage i
// in bin t goes on to enter the later stages in the given periods is the
// kernel's correlation with that probability one stage on, restricted to
// the next entry's period. A lead's arrival rate in each bin, times that
// probability, summed over a block's bins, is the mark's mean per unit of
// the block's multiplier. Active stages (entered at the lead's next active
// moment), SLAs (whose clocks need each lead's times) and funnels with
// more paths or periods than the limits below are walked lead by lead.

const (
	maxMarkPaths = 512 // paths from the sources' entry stages to where leads stop
	maxMarkDepth = 32  // stages on a path
	// maxMarkDays bounds the past the marks propagate, days: a path whose
	// delays' 1-markTail quantiles sum to more is walked instead.
	maxMarkDays = 36500
	// marksWork bounds the precomputation: its correlations times their
	// transform length, per lead arriving in a run. A correlation of
	// length N costs about 1e-7·N s of CPU and walking a lead about 150
	// ns, so marks are used when preparing them costs less than walking
	// 10,000 runs (the default forecast) would.
	marksWork = 15000
)

// markPath is one path of a source's leads: the stages entered, the edges
// taken between them, and its probability (including that of stopping).
type markPath struct {
	src    int
	stages []int
	edges  []*edge
	prob   float64
	key    uint64
}

// mark is the leads of one path entering its stages in given periods.
type mark struct {
	src      int
	key      uint64    // its stream: a hash of its path and periods
	mu       []float64 // mean count per unit of the rate multiplier, by block
	entries  []int32   // period·stages + stage of each entry inside the horizon
	moves    []int32   // period·transitions + id of each move inside the horizon
	episodes []episode // its spells in the pipeline that count somewhere
}

// episode is a spell in the pipeline: one deal amount, counted as created
// in period created, won in period won (-1: not in the horizon) and open at
// the start of periods openLo to openHi-1.
type episode struct {
	created, won, lost int8
	openLo, openHi     int8 // open at the start of periods [openLo, openHi)
	closeLo, closeHi   int8 // open at the end of periods [closeLo, closeHi)
}

type marks struct {
	blocks []int // arrival blocks, from the first past one to the horizon's last
	marks  []mark
}

// markPaths enumerates the paths of each source's new leads, or returns
// nil when there are more than maxMarkPaths or one is longer than
// maxMarkDepth (a cycle without the recycle cap).
func (c *compiled) markPaths() []markPath {
	var paths []markPath
	var stages []int
	var edges []*edge
	ok := true
	var dfs func(j, st, rec int, prob float64)
	dfs = func(j, st, rec int, prob float64) {
		if !ok || len(stages) >= maxMarkDepth || len(paths) > maxMarkPaths {
			ok = false
			return
		}
		stages = append(stages, st)
		stg := &c.stages[st]
		stay := 1.0
		if n := len(stg.edges); n > 0 {
			stay = 1 - stg.edges[n-1].cum
		}
		for i := range stg.edges {
			e := &stg.edges[i]
			if e.p <= 0 {
				continue
			}
			if e.recycle && rec >= c.maxRecyc { // taken at the cap: the lead stays
				stay += e.p
				continue
			}
			r := rec
			if e.recycle {
				r++
			}
			edges = append(edges, e)
			dfs(j, e.to, r, prob*e.p)
			edges = edges[:len(edges)-1]
		}
		if stay > 1e-12 {
			k := key(uint64(j), uint64(len(stages)))
			for i, s := range stages {
				k = key(k, uint64(s))
				if i > 0 {
					k = key(k, uint64(edges[i-1].id))
				}
			}
			paths = append(paths, markPath{src: j, stages: slices.Clone(stages), edges: slices.Clone(edges), prob: prob * stay, key: k})
		}
		stages = stages[:len(stages)-1]
	}
	for j := range c.sources {
		dfs(j, c.sources[j].entry, 0, 1)
	}
	if !ok || len(paths) > maxMarkPaths {
		return nil
	}
	return paths
}

// markable reports whether runs of c can be drawn by marks: no SDR queue,
// no SLA, no active stage.
func (c *compiled) markable() bool {
	if c.handoff >= 0 || len(c.slas) > 0 || c.quarter != math.Trunc(c.quarter) {
		return false
	}
	for i := range c.stages {
		if c.stages[i].active {
			return false
		}
	}
	return true
}

// markTail is the probability, per path, beyond the past the marks
// propagate: a lead older than the window is still in flight with
// probability below markTail.
const markTail = 1e-6

// markPast returns the past the marks of paths need, in hours: the longest
// path's 1-markTail quantile of its total delay. The total is bounded on a
// daily grid (each delay rounded up to whole days, so the bound is
// conservative), its distribution the product of the delays' transforms.
// Paths whose delays are among another's are skipped. It returns +Inf
// when the bound exceeds maxMarkDays (the marks would not pay), or when
// ctx is cancelled.
func markPast(ctx context.Context, paths []markPath) float64 {
	days := 0 // a bound on every path's quantile: the sum of its delays' quantiles
	for _, pa := range paths {
		sum := 0.0
		for _, e := range pa.edges {
			sum += e.delay.dist.Quantile(1-markTail) * e.delay.scale / 24
		}
		if !(sum <= maxMarkDays) { // also NaN, and sums too large for an int
			return math.Inf(1)
		}
		days = max(days, int(math.Ceil(sum))+len(pa.edges)+1)
	}
	// A path whose delays are among another's (as a multiset) has the
	// smaller total, stochastically: only the others are computed.
	count := func(pa markPath) map[int]int {
		m := make(map[int]int)
		for _, e := range pa.edges {
			m[e.id]++
		}
		return m
	}
	counts := make([]map[int]int, len(paths))
	for i, pa := range paths {
		counts[i] = count(pa)
	}
	within := func(a, b int) bool { // a's delays among b's
		for id, n := range counts[a] {
			if counts[b][id] < n {
				return false
			}
		}
		return true
	}
	var top []markPath
	for i, pa := range paths {
		if len(pa.edges) == 0 {
			continue
		}
		dominated := false
		for j := range paths {
			if j != i && within(i, j) && (!within(j, i) || j < i) {
				dominated = true
				break
			}
		}
		if !dominated {
			top = append(top, pa)
		}
	}
	pmf := make(map[int][]float64) // by transition id: mass at each whole day, rounded up
	for _, pa := range top {
		for _, e := range pa.edges {
			if _, ok := pmf[e.id]; ok {
				continue
			}
			f := make([]float64, days+1)
			prev := 0.0
			for d := range days {
				cdf := 1 - e.delay.survival(float64(d+1)*24)
				f[d+1], prev = cdf-prev, cdf
			}
			pmf[e.id] = f
		}
	}
	quantile := make([]int, len(top)) // the paths' quantiles, computed in parallel
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(top)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(top) || ctx.Err() != nil {
					return
				}
				pa := top[i]
				N := fftLen(len(pa.edges) * (days + 1))
				fft := fourier.NewFFT(N)
				pad := make([]float64, N)
				var prod []complex128
				for _, e := range pa.edges {
					clear(pad)
					copy(pad, pmf[e.id])
					c := fft.Coefficients(nil, pad)
					if prod == nil {
						prod = c
						continue
					}
					for f := range prod {
						prod[f] *= c[f]
					}
				}
				tot := fft.Sequence(nil, prod)
				tail := 0.0
				d := len(tot) - 1
				for ; d > 0; d-- {
					if tail += tot[d] / float64(N); tail >= markTail {
						break
					}
				}
				quantile[i] = d + 1
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return math.Inf(1)
	}
	past := 0
	for _, q := range quantile {
		past = max(past, q)
	}
	return float64(past) * 24
}

func binomial(n, k int) int {
	r := 1
	for i := 1; i <= k; i++ {
		r = r * (n - k + i) / i
	}
	return r
}

// buildMarks computes the marks of runs of H quarters, or returns nil when
// the funnel exceeds the limits or, unless force, when walking its leads
// is cheaper (see marksWork).
func (c *compiled) buildMarks(ctx context.Context, H int, force bool) *marks {
	return c.buildMarksFine(ctx, H, force, -1)
}

// buildMarksFine is buildMarks keeping fine weeks of the past by the hour;
// -1: as many as the transform that fineWeeks needs holds.
//
// When ctx is cancelled it returns nil promptly.
func (c *compiled) buildMarksFine(ctx context.Context, H int, force bool, fine int) *marks {
	if !c.markable() {
		return nil
	}
	paths := c.markPaths()
	if paths == nil {
		return nil
	}
	const week = model.HoursPerWeek
	past := markPast(ctx, paths)
	if math.IsInf(past, 1) {
		return nil
	}
	n := int(math.Ceil(past/week)) * week // bin 0 is a Monday, 00:00
	tq := int(c.quarter)
	L := n + H*tq
	if fine < 0 {
		fine = (fftLen(fineWeeks*week+H*tq)/2 - H*tq) / week
	}
	F := max(0, n-fine*week) // the first fine bin; quarters are whole weeks
	// The correlations, at most: a suffix of l edges has a value for each
	// non-decreasing sequence of its entries' periods (H+2 values) not
	// starting after the horizon.
	sfx := suffixTree(paths)
	corr, leads := 0.0, 0.0
	for _, x := range sfx[1:] {
		corr += float64(binomial(x.depth+H+1, x.depth) - 1)
	}
	for j := range c.sources {
		leads += c.sources[j].rate * float64(H*tq)
	}
	cost := fftLen(L - F)
	if F > 0 {
		cost += fftLen(L / 24)
	}
	if !force && corr*float64(cost) > marksWork*leads || ctx.Err() != nil {
		return nil
	}
	g := newGrid(c, L, F)
	if ctx.Err() != nil {
		return nil
	}
	mk := &marks{}
	for b := int(math.Floor(float64(-n) / c.quarter)); b < H; b++ {
		mk.blocks = append(mk.blocks, b)
	}
	// Paths that end alike share the values of their common suffix: each
	// suffix is computed from the one an edge shorter, depth first over
	// the cores (each worker with its own transforms, taking the suffix
	// most recently made ready), and a suffix's values are dropped once
	// the suffixes that extend it have theirs, so only a few branches of
	// the tree are held at a time. The marks are kept in path order.
	out := make([][]mark, len(paths))
	kids := make([][]int, len(sfx))
	for i := 1; i < len(sfx); i++ {
		kids[sfx[i].parent] = append(kids[sfx[i].parent], i)
	}
	pending := make([]atomic.Int32, len(sfx)) // extensions still to compute
	for i := range sfx {
		pending[i].Store(int32(len(kids[i])))
	}
	one := make([]float64, max(L-F, g.days))
	for i := range one {
		one[i] = 1
	}
	sfx[0].level = []markNode{{v: value{h: one[:L-F], d: one[:g.days]}}}
	var (
		mu    sync.Mutex
		ready = sync.NewCond(&mu)
		stack = []int{0} // suffixes whose parents' values are there
		left  = len(sfx)
	)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(sfx)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := g.clone()
			for {
				mu.Lock()
				for len(stack) == 0 && left > 0 {
					ready.Wait()
				}
				if left == 0 {
					mu.Unlock()
					return
				}
				i := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				mu.Unlock()
				x := &sfx[i]
				if ctx.Err() != nil { // cancelled: the rest is only counted down
					x.paths = nil
				} else if i > 0 {
					x.level = w.extend(sfx[x.parent].level, x.edge, H, n)
					if pending[x.parent].Add(-1) == 0 {
						sfx[x.parent].level = nil
					}
				}
				for _, p := range x.paths {
					out[p] = w.pathMarks(paths[p], x.level, H, n, mk.blocks)
				}
				if len(kids[i]) == 0 {
					x.level = nil
				}
				mu.Lock()
				stack = append(stack, kids[i]...)
				left--
				ready.Broadcast()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return nil
	}
	for _, ms := range out {
		mk.marks = append(mk.marks, ms...)
	}
	return mk
}

// fineWeeks is the least past the marks keep hour by hour before the
// horizon (35 weeks for one quarter, 71 for two: what the transform holds);
// the older past is kept by the day. A lead enters a stage there at least
// that long before the horizon, so whatever it does in the horizon comes
// after delays of that length, whose densities change by a few percent a
// day: within a day the probabilities are close to linear, which the
// daily kernels and the arrival sum below treat exactly.
const fineWeeks = 26

// grid holds the marks' probabilities over the hourly bins [0, L) (bin n
// is the horizon's start) at two resolutions: by the hour over the fine
// bins [F, L), by the day over all of them (a fine day the mean of its
// hours). Without a coarse part F is 0 and the days are unused.
type grid struct {
	fine  *prop // over the L-F fine bins
	F, L  int
	days  int
	tails []value // by transition id: see newGrid
	dfft  *fourier.FFT
	dkern [][]complex128 // by transition id: the daily kernel's transform
	dpad  []float64
	dout  []float64
	dcoef []complex128
}

// value is a function of the entry bin on the grid.
type value struct {
	h []float64 // by fine bin
	d []float64 // by day
}

func newGrid(c *compiled, L, F int) *grid {
	ker := hourKernels(c, L)
	Lf := L - F
	short := make([][]float64, len(ker))
	for id, k := range ker {
		if k != nil {
			short[id] = k[:Lf]
		}
	}
	g := &grid{F: F, L: L, tails: make([]value, len(ker))}
	g.fine = &prop{c: c, n: Lf, ker: short, kern: make([][]complex128, len(ker))}
	N := fftLen(Lf)
	g.fine.fft, g.fine.pad, g.fine.out = fourier.NewFFT(N), make([]float64, N), make([]float64, N)
	if F > 0 {
		g.days = L / 24
		N := fftLen(g.days)
		g.dfft, g.dpad, g.dout = fourier.NewFFT(N), make([]float64, N), make([]float64, N)
		g.dkern = make([][]complex128, len(ker))
	}
	for id, k := range ker {
		if k == nil {
			continue
		}
		clear(g.fine.pad)
		copy(g.fine.pad, short[id])
		g.fine.kern[id] = g.fine.fft.Coefficients(nil, g.fine.pad)
		// After the horizon: the probability that the delay from bin i
		// ends at or after bin L.
		t := make([]float64, L)
		cum := 0.0 // kernel mass of offsets below L-i
		for i := L - 1; i >= 0; i-- {
			cum += k[L-1-i]
			t[i] = max(0, 1-cum)
		}
		g.tails[id] = value{h: t[F:], d: g.daily(t, nil)}
		if F == 0 {
			continue
		}
		// The daily kernel: a delay of 24q+r hours moves the leads of a
		// day's first 24-r hours to day q, the others to day q+1. Mapping
		// the day's mean value to the means of those two days is exact
		// for a value linear across them (and for a step at a day's end).
		clear(g.dpad)
		for s, v := range k {
			q, r := s/24, float64(s%24)
			if q < g.days {
				g.dpad[q] += v * (24 - r) / 24
			}
			if q+1 < g.days {
				g.dpad[q+1] += v * r / 24
			}
		}
		g.dkern[id] = g.dfft.Coefficients(nil, g.dpad)
	}
	return g
}

// clone returns a copy of g with its own transforms and buffers, for
// another goroutine.
func (g *grid) clone() *grid {
	w := *g
	w.fine = g.fine.clone()
	if g.days > 0 {
		w.dfft = fourier.NewFFT(len(g.dpad))
		w.dpad, w.dout, w.dcoef = make([]float64, len(g.dpad)), make([]float64, len(g.dpad)), nil
	}
	return &w
}

// daily sets dst (nil: a new slice) to the daily means of the hourly x,
// which ends at bin L, over the whole days x covers, and returns it: nil
// without days.
func (g *grid) daily(x []float64, dst []float64) []float64 {
	if g.days == 0 {
		return nil
	}
	off := g.L - len(x) // the first bin of x, a multiple of 24
	if dst == nil {
		dst = make([]float64, g.days)
	}
	for D := off / 24; D < g.days; D++ {
		s := 0.0
		for _, v := range x[24*D-off : 24*D-off+24] {
			s += v
		}
		dst[D] = s / 24
	}
	return dst
}

// positive reports whether x is positive anywhere in bins [lo, hi).
func (g *grid) positive(x value, lo, hi int) bool {
	pos := func(x float64) bool { return x > 0 }
	if hi > g.F && slices.ContainsFunc(x.h[max(lo, g.F)-g.F:hi-g.F], pos) {
		return true
	}
	return g.days > 0 && lo < g.F && slices.ContainsFunc(x.d[lo/24:min(hi, g.F)/24], pos)
}

// correlate returns, for each bin i, Σ_d ker(d)·x(i+d) over x restricted
// to bins [lo, hi), at both resolutions.
func (g *grid) correlate(x value, lo, hi, id int) value {
	var v value
	if hi > g.F {
		v.h = g.fine.correlate(x.h, max(lo, g.F)-g.F, hi-g.F, id)
	} else {
		v.h = make([]float64, g.L-g.F)
	}
	if g.days == 0 {
		return v
	}
	clear(g.dpad)
	copy(g.dpad[lo/24:hi/24], x.d[lo/24:hi/24])
	g.dcoef = g.dfft.Coefficients(g.dcoef, g.dpad)
	for i, k := range g.dkern[id] {
		g.dcoef[i] *= complex(real(k), -imag(k))
	}
	g.dout = g.dfft.Sequence(g.dout, g.dcoef)
	v.d = make([]float64, g.days)
	scale := 1 / float64(len(g.dpad))
	for i := range g.F / 24 {
		v.d[i] = max(0, g.dout[i]*scale)
	}
	g.daily(v.h, v.d)
	return v
}

// suffix is the common end of some paths: its edges are edge followed by
// those of suffix parent. level holds its values: for each sequence of
// periods of the later entries, the probability, from each bin of entry
// into edge's stage, of taking the suffix's edges into those periods.
type suffix struct {
	edge   *edge
	parent int
	depth  int   // edges
	paths  []int // the paths whose edges are exactly these
	level  []markNode
}

type markNode struct {
	per []int8 // periods of the later entries
	v   value
}

// suffixTree returns the suffixes of paths, the empty one first, each
// after its parent.
func suffixTree(paths []markPath) []suffix {
	sfx := []suffix{{parent: -1}}
	child := make(map[[2]int]int)
	for i, pa := range paths {
		cur := 0
		for l := len(pa.edges) - 1; l >= 0; l-- {
			e := pa.edges[l]
			k, ok := child[[2]int{cur, e.id}]
			if !ok {
				k = len(sfx)
				sfx = append(sfx, suffix{edge: e, parent: cur, depth: sfx[cur].depth + 1})
				child[[2]int{cur, e.id}] = k
			}
			cur = k
		}
		sfx[cur].paths = append(sfx[cur].paths, i)
	}
	return sfx
}

// bins returns the bins of period k over H quarters after n bins of past:
// -1 before the horizon, else the horizon's quarter k.
func (g *grid) bins(k int8, n int) (lo, hi int) {
	if k < 0 {
		return 0, n
	}
	tq := int(g.fine.c.quarter)
	return n + int(k)*tq, n + (int(k)+1)*tq
}

// extend returns the level of the suffix that prepends edge e to the one
// whose level is level.
func (g *grid) extend(level []markNode, e *edge, H, n int) []markNode {
	after := int8(H)
	var next []markNode
	for _, nd := range level {
		first := after
		if len(nd.per) > 0 {
			first = nd.per[0]
		}
		for k := int8(-1); k <= first; k++ {
			per := append([]int8{k}, nd.per...)
			if k == after {
				next = append(next, markNode{per, g.tails[e.id]})
				continue
			}
			lo, hi := g.bins(k, n)
			if !g.positive(nd.v, lo, hi) {
				continue
			}
			next = append(next, markNode{per, g.correlate(nd.v, lo, hi, e.id)})
		}
	}
	return next
}

// pathMarks returns the marks of path pa, whose edges' level is level,
// over H quarters after n hours of past, with means by block of blocks.
func (g *grid) pathMarks(pa markPath, level []markNode, H, n int, blocks []int) []mark {
	c, F := g.fine.c, g.F
	const week = model.HoursPerWeek
	after := int8(H)
	src := &c.sources[pa.src]
	// A coarse day adds its arrivals λ_h times the value at hour h, which
	// is the day's mean ḡ plus its slope g' times x = h minus the day's
	// middle: Σλ·ḡ + Σλx·g', the slope taken from the days around it.
	// (The arrivals' profile puts them at set hours of the day, so the
	// slope matters; their curvature term changes the means by far less.)
	var dayW, dayM [7]float64
	for h := range week {
		w, x := src.act.w[h], float64(h%24)+0.5-12
		dayW[h/24] += w
		dayM[h/24] += w * x
	}
	b0 := blocks[0]
	block := func(i int) int { return int(math.Floor(float64(i-n)/c.quarter)) - b0 }
	var ms []mark
	for _, nd := range level {
		first := after
		if len(nd.per) > 0 {
			first = nd.per[0]
		}
		for k := int8(-1); k <= first && k < after; k++ {
			m := c.newMark(pa, append([]int8{k}, nd.per...), H)
			if m == nil {
				continue
			}
			m.mu = make([]float64, len(blocks))
			lo, hi := g.bins(k, n)
			for i := max(lo, F); i < hi; i++ {
				m.mu[block(i)] += src.rate * src.act.w[i%week] * nd.v.h[i-F]
			}
			d := nd.v.d
			for D := lo / 24; D < min(hi, F)/24; D++ {
				slope := (d[D+1] - d[max(D-1, 0)]) / float64(24*(1+min(D, 1))) // one-sided at D = 0
				m.mu[block(24*D)] += src.rate * (dayW[D%7]*d[D] + dayM[D%7]*slope)
			}
			for i := range m.mu {
				m.mu[i] *= pa.prob
			}
			if slices.Max(m.mu) > 0 {
				ms = append(ms, *m)
			}
		}
	}
	return ms
}

// correlate returns, for each bin i, Σ_d ker(d)·x(i+d) over x restricted
// to bins [lo, hi): the probability, from bin i, of the next entry in
// that range weighted by x there.
func (p *prop) correlate(x []float64, lo, hi, id int) []float64 {
	clear(p.pad)
	copy(p.pad[lo:hi], x[lo:hi])
	p.coef = p.fft.Coefficients(p.coef, p.pad)
	for i, k := range p.kern[id] {
		p.coef[i] *= complex(real(k), -imag(k))
	}
	p.out = p.fft.Sequence(p.out, p.coef)
	v := make([]float64, p.n)
	scale := 1 / float64(len(p.pad))
	for i := range v {
		v[i] = max(0, p.out[i]*scale)
	}
	return v
}

// newMark returns the mark of path pa with entry periods per (-1 before
// the horizon of H quarters, H after it), or nil if it counts nowhere.
func (c *compiled) newMark(pa markPath, per []int8, H int) *mark {
	m := &mark{src: pa.src, key: pa.key}
	S, E := len(c.stages), len(c.m.Transitions)
	in := func(k int8) bool { return k >= 0 && int(k) < H }
	var ep episode
	inPipe := false
	for i, st := range pa.stages {
		k := per[i]
		m.key = key(m.key, uint64(k+1))
		if in(k) {
			m.entries = append(m.entries, int32(int(k)*S+st))
			if i > 0 {
				m.moves = append(m.moves, int32(int(k)*E+pa.edges[i-1].id))
			}
		}
		stg := &c.stages[st]
		switch {
		case stg.postOpp && !inPipe:
			inPipe, ep = true, episode{created: k, won: -1, lost: -1}
		case inPipe && !stg.postOpp:
			if in(k) {
				if stg.outcome == model.Won {
					ep.won = k
				} else {
					ep.lost = k
				}
			}
			m.addEpisode(ep, k, H)
			inPipe = false
		}
	}
	if inPipe {
		m.addEpisode(ep, int8(H), H)
	}
	if len(m.entries) == 0 && len(m.moves) == 0 && len(m.episodes) == 0 {
		return nil
	}
	return m
}

// addEpisode adds ep, closed in period end, if it counts in the horizon.
func (m *mark) addEpisode(ep episode, end int8, H int) {
	ep.openLo, ep.openHi = ep.created+1, min(end+1, int8(H))
	ep.closeLo, ep.closeHi = max(ep.created, 0), min(end, int8(H))
	if !(ep.created >= 0 && int(ep.created) < H) {
		ep.created = -1
	}
	if ep.created >= 0 || ep.won >= 0 || ep.lost >= 0 || ep.openLo < ep.openHi || ep.closeLo < ep.closeHi {
		m.episodes = append(m.episodes, ep)
	}
}

// markedRun draws run q of a funnel without a queue from its marks.
func (s *sim) markedRun(qkey uint64) {
	c := s.c
	mk := c.marks
	nb := len(mk.blocks)
	mult := s.blockMults(qkey, mk.blocks)
	res := s.res
	S, E := len(c.stages), len(c.m.Transitions)
	base := s.idx(0)
	eOff, mOff := base*S, base*E
	mkey := key(qkey, purposeMarks)
	for i := range mk.marks {
		m := &mk.marks[i]
		mean := 0.0
		for bi, v := range m.mu {
			mean += v * mult[m.src*nb+bi]
		}
		s.gen.s = key(mkey, m.key)
		n := poisson(s.r, mean)
		if n == 0 {
			continue
		}
		s.leads += int64(n)
		x := float64(n)
		for _, o := range m.entries {
			res.Entries[eOff+int(o)] += x
		}
		for _, o := range m.moves {
			res.Moves[mOff+int(o)] += x
		}
		if len(m.episodes) == 0 {
			continue
		}
		src := &c.sources[m.src]
		J := len(c.sources)
		for range n {
			for _, ep := range m.episodes {
				a := src.deal.sample(&s.gen, s.r)
				if ep.created >= 0 {
					i := base + int(ep.created)
					if src.sales {
						res.SalesCreated[i]++
						res.SalesValue[i] += a
					} else {
						res.MktCreated[i]++
						res.MktValue[i] += a
					}
					res.SrcCreated[i*J+m.src]++
					res.SrcCreatedV[i*J+m.src] += a
				}
				if ep.won >= 0 {
					i := base + int(ep.won)
					res.Revenue[i] += a
					res.Won[i]++
					res.SrcRevenue[i*J+m.src] += a
					res.SrcWon[i*J+m.src]++
				}
				if ep.lost >= 0 {
					i := base + int(ep.lost)
					res.LostValue[i] += a
					res.LostDeals[i]++
				}
				for k := ep.openLo; k < ep.openHi; k++ {
					res.OpenPipeline[base+int(k)] += a
					res.OpenDeals[base+int(k)]++
				}
				for k := ep.closeLo; k < ep.closeHi; k++ {
					res.ClosingPipeline[base+int(k)] += a
					res.ClosingDeals[base+int(k)]++
					if k >= ep.openLo && k < ep.openHi {
						res.SlippedValue[base+int(k)] += a
					}
				}
			}
		}
	}
}
