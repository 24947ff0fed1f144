package montecarlo

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/funnelsim/funnel/model"
)

// sampler draws from a model.Dist, scaled to the engine's unit (hours for
// times, currency for amounts).
type sampler struct {
	form   model.DistForm
	a, b   float64 // fixed: a; exp: mean a; lognormal: mu a, sigma b; weibull: scale a, 1/k b; gamma: shape a, scale b
	values []float64
	dist   model.Dist // the source, for conditional draws
	scale  float64
}

func newSampler(d model.Dist, scale float64) sampler {
	s := sampler{form: d.Form, dist: d, scale: scale}
	switch d.Form {
	case model.Fixed:
		s.a = d.Value * scale
	case model.Exponential:
		s.a = d.Mean * scale
	case model.LogNormal:
		s.a, s.b = math.Log(d.Median*scale), d.Sigma
	case model.Weibull:
		s.a, s.b = d.Scale*scale, 1/d.Shape
	case model.Gamma:
		s.a, s.b = d.Shape, d.Mean*scale/d.Shape
	case model.Empirical:
		s.values = make([]float64, len(d.Values))
		for i, v := range d.Values {
			s.values[i] = v * scale
		}
	}
	return s
}

// sample draws from s with the worker's stream g; r must be rand.New(g)
// (gamma variates still take it). The values equal those a rand.Rand-based
// sampler would draw from the same stream (tested against a reference).
func (s *sampler) sample(g *stream, r *rand.Rand) float64 {
	switch s.form {
	case model.Fixed:
		return s.a
	case model.Exponential:
		return s.a * g.expFloat64()
	case model.LogNormal:
		return exp(s.a + s.b*g.normFloat64())
	case model.Weibull:
		return s.a * math.Pow(g.expFloat64(), s.b)
	case model.Gamma:
		return s.b * gamma(r, s.a)
	default:
		return s.values[g.intN(len(s.values))]
	}
}

// cdf returns P(X <= x) for x in the engine's unit.
func (s *sampler) cdf(x float64) float64 { return s.dist.CDF(x / s.scale) }

// survival returns P(X > x) for x in the engine's unit.
func (s *sampler) survival(x float64) float64 { return 1 - s.cdf(x) }

// drawGiven draws X conditional on X > age (engine units), by inversion,
// with the worker's stream g and r = rand.New(g).
func (s *sampler) drawGiven(g *stream, r *rand.Rand, age float64) float64 {
	if age <= 0 || s.form == model.Exponential {
		return s.drawAbove(g, r, age, 0)
	}
	return s.drawAbove(g, r, age, s.cdf(age))
}

// drawAbove is drawGiven given f = s.cdf(age), which it needs only for a
// positive age and a form other than exponential.
func (s *sampler) drawAbove(g *stream, r *rand.Rand, age, f float64) float64 {
	if age <= 0 {
		return s.sample(g, r)
	}
	if s.form == model.Exponential {
		return age + s.sample(g, r) // memoryless
	}
	if f >= 1 {
		return age
	}
	u := f + r.Float64()*(1-f)
	if u >= 1 {
		u = math.Nextafter(1, 0)
	}
	return max(age, s.dist.Quantile(u)*s.scale)
}

type edge struct {
	id      int // index in the model's transitions
	to      int
	p       float64 // probability, drawn per run when the stage is uncertain
	p0      float64 // the model's probability
	cum     float64 // cumulative probability over the stage's edges
	delay   sampler // hours
	recycle bool
}

type stage struct {
	active   bool // entered at the lead's next active moment
	edges    []edge
	obs      float64 // observations behind the edges' probabilities; 0: known
	outcome  model.Outcome
	opp      bool  // the opportunity stage
	postOpp  bool  // reachable from the opportunity stage without a recycle: still pipeline
	slas     []int // SLAs measured from this stage
	handoff  bool
	terminal bool
}

type source struct {
	entry     int
	rate      float64 // leads an hour, before the profile; drawn per run when uncertain
	rate0     float64 // the model's rate, leads an hour
	rateWeeks float64 // weeks of history behind rate0; 0: known
	dealMu0   float64 // the model's log-median deal size (lognormal deal sizes)
	dealObs   float64 // deals behind the deal size; 0: known
	thinP     float64 // probability a new lead ever leaves its entry stage
	disp      float64
	alias     aliasTable // hour of week
	act       activity   // when its leads act
	deal      sampler
	sales     bool
	stayCount bool // count leads that never leave the entry stage without walking them
}

type sla struct {
	from     int
	to       []bool // by stage; nil: first touch
	hours    float64
	business bool
}

// compiled is a model prepared for simulation. It is read-only and shared
// by the workers.
type compiled struct {
	m        *model.Model
	stages   []stage
	sources  []source
	slas     []sla
	quarter  float64 // hours
	warmup   float64 // hours
	leadIn   float64 // hours simulated from the starting state before the first quarter (model.Model.LeadInDays)
	maxRecyc int

	handoff   int // stage index, -1 without a handoff
	contact   float64
	decay     model.Decay
	logT50    float64 // ln t50 of a Hill decay
	contactB  *contactBounds
	noContact int // stage index, -1: stays
	ncRecycle bool
	servers   int
	handle    sampler  // hours of working time
	cal       calendar // the SDR team's working hours: the queue
	biz       calendar // the company's business hours: business-hours SLAs
	oppStage  int

	stat  *stationary // the stationary opening state; nil: a warm-up
	marks *marks      // runs drawn from marks (no SDR queue); nil: walked lead by lead
}

func compile(m *model.Model) *compiled {
	c := &compiled{m: m, quarter: m.QuarterHours(), maxRecyc: m.MaxRecycles, handoff: -1, noContact: -1, biz: newCalendar(m.Business())}
	if m.Start == nil {
		c.warmup = model.HoursPerWeek * math.Ceil(m.WarmupDaysNeeded()/7)
	}
	c.leadIn = 24 * m.LeadInDays()
	c.stages = make([]stage, len(m.Stages))
	for i, s := range m.Stages {
		c.stages[i] = stage{outcome: s.Outcome, opp: s.Opportunity, terminal: s.Outcome != model.Open, obs: s.Observations, active: s.Active}
	}
	for id, t := range m.Transitions {
		f := m.StageIndex(t.From)
		c.stages[f].edges = append(c.stages[f].edges, edge{id: id, to: m.StageIndex(t.To), p: t.P, p0: t.P, delay: newSampler(t.Delay, 24), recycle: t.Recycle})
	}
	for i := range c.stages {
		cum := 0.0
		for j := range c.stages[i].edges {
			cum += c.stages[i].edges[j].p
			c.stages[i].edges[j].cum = cum
		}
	}
	c.oppStage = m.OpportunityStage()
	var mark func(int)
	mark = func(s int) {
		if c.stages[s].postOpp {
			return
		}
		c.stages[s].postOpp = true
		for _, e := range c.stages[s].edges {
			if !e.recycle && !c.stages[e.to].terminal {
				mark(e.to)
			}
		}
	}
	mark(c.oppStage)

	if h := m.Handoff; h != nil {
		c.handoff = m.StageIndex(h.Stage)
		c.stages[c.handoff].handoff = true
		c.contact = h.Contact
		c.decay = h.Decay
		c.logT50 = math.Log(h.Decay.T50)
		c.contactB = c.newContactBounds()
		if h.NoContact != "" {
			c.noContact = m.StageIndex(h.NoContact)
			c.ncRecycle = !c.stages[c.noContact].terminal
		}
		c.servers = h.SDR.Headcount
		c.handle = newSampler(h.SDR.Handle, 1.0/60)
		c.cal = newCalendar(&h.SDR.Hours)
	} else {
		c.cal = newCalendar(&model.WorkHours{})
	}
	for i, s := range m.SLAs {
		x := sla{from: m.StageIndex(s.From), hours: s.Hours, business: s.Business}
		if len(s.To) > 0 {
			x.to = make([]bool, len(m.Stages))
			for _, t := range s.To {
				x.to[m.StageIndex(t)] = true
			}
		}
		c.slas = append(c.slas, x)
		c.stages[x.from].slas = append(c.stages[x.from].slas, i)
	}
	for _, s := range m.Sources {
		w := s.Profile.HourWeights()
		e := m.StageIndex(s.Entry)
		src := source{
			entry: e, rate: s.RatePerWeek / model.HoursPerWeek, disp: s.Dispersion,
			alias: newAlias(w[:]), act: newActivity(w), deal: newSampler(s.DealSize, 1), sales: s.SalesSourced, thinP: 1,
			rateWeeks: s.RateWeeks, dealObs: s.DealObservations,
		}
		src.rate0, src.dealMu0 = src.rate, src.deal.a
		// Thinning: a lead that never leaves its entry stage does nothing
		// but count as an entry, so only leads that leave are walked and
		// the others are counted with one Poisson draw. The entry stage
		// must not be the handoff (whose exits depend on the queue), nor
		// measured by an SLA, nor in the pipeline (a lead staying there is
		// an open opportunity with an amount).
		st := &c.stages[e]
		if !st.handoff && len(st.slas) == 0 && !st.postOpp && len(st.edges) > 0 {
			src.thinP = st.edges[len(st.edges)-1].cum
			src.stayCount = src.thinP < 1
		}
		c.sources = append(c.sources, src)
	}
	return c
}

// aliasTable samples an index with probability proportional to its weight
// in O(1) (Walker 1977, Vose 1991).
type aliasTable struct {
	prob  []float64
	alias []int
}

func newAlias(w []float64) aliasTable {
	n := len(w)
	sum := 0.0
	for _, v := range w {
		sum += v
	}
	t := aliasTable{prob: make([]float64, n), alias: make([]int, n)}
	scaled := make([]float64, n)
	var small, large []int
	for i, v := range w {
		scaled[i] = v * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t.prob[s], t.alias[s] = scaled[s], l
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	for _, i := range slices.Concat(small, large) {
		t.prob[i], t.alias[i] = 1, i
	}
	return t
}

// sample draws an index with the worker's stream g.
func (t *aliasTable) sample(g *stream) int {
	i := g.intN(len(t.prob))
	if g.float64() < t.prob[i] {
		return i
	}
	return t.alias[i]
}

// calendar maps wall-clock hours (0 = Monday 00:00 of the quarter's first
// week, in the model's time zone) to working hours of a schedule (the SDR
// team's, or the company's business hours) and back. Outside working hours, working time stands still. In working-time
// coordinates the SDR queue is a plain first-come-first-served queue.
type calendar struct {
	always bool
	lo, hi [model.HoursPerWeek]float64     // open interval within each hour of the week
	cum    [model.HoursPerWeek + 1]float64 // working hours before each hour of the week
	week   float64                         // working hours a week
	index  hourIndex                       // of cum
}

func newCalendar(h *model.WorkHours) calendar {
	c := calendar{always: h.AroundTheClock()}
	for w := range model.HoursPerWeek {
		hour := float64(w % 24)
		end := h.End
		if end == 0 {
			end = 24
		}
		open := h.Open(w)
		if open > 0 {
			c.lo[w] = max(0, h.Start-hour)
			c.hi[w] = min(1, end-hour)
			if c.always {
				c.lo[w], c.hi[w] = 0, 1
			}
		}
		c.cum[w+1] = c.cum[w] + open
	}
	c.week = c.cum[model.HoursPerWeek]
	c.index = newHourIndex(&c.cum)
	return c
}

// work returns the working hours elapsed from the origin to wall-clock t.
func (c *calendar) work(t float64) float64 {
	if c.always {
		return t
	}
	wk := math.Floor(t / model.HoursPerWeek)
	r := t - wk*model.HoursPerWeek
	h := int(r)
	if h >= model.HoursPerWeek {
		h = model.HoursPerWeek - 1
	} else if h < 0 { // r past float64's precision (a huge t), or NaN
		h = 0
	}
	// The working part of the hour: x clamped to [lo, hi], minus lo
	// (zero for a closed hour, whose lo = hi = 0). Plain comparisons, not
	// min and max, whose care for NaN and signed zeros costs more here.
	x := r - float64(h)
	lo, hi := c.lo[h], c.hi[h]
	if x > hi {
		x = hi
	}
	in := 0.0
	if x > lo {
		in = x - lo
	}
	return wk*c.week + c.cum[h] + in
}

// wall returns the earliest wall-clock time at which w working hours have
// elapsed.
func (c *calendar) wall(w float64) float64 {
	if c.always {
		return w
	}
	wk := math.Floor(w / c.week)
	r := w - wk*c.week
	lo := c.index.find(&c.cum, r)
	return wk*model.HoursPerWeek + float64(lo) + c.lo[lo] + (r - c.cum[lo])
}

// decayAt returns the decay curve m(t) at t minutes: model.Decay.At, with
// the Hill power computed as exp(k·(ln t − ln t50)), which is several times
// faster than math.Pow.
func (c *compiled) decayAt(t float64) float64 {
	d := &c.decay
	if d.Form != model.Hill {
		return d.At(t)
	}
	if t <= 0 {
		return 1
	}
	return d.Floor + (1-d.Floor)/(1+exp(d.K*(math.Log(t)-c.logT50)))
}

// contacted reports whether u < contact·m(resp), m the decay curve at resp
// minutes: exactly the comparison u < c.contact*c.decayAt(resp), decided
// from a table of bounds when they settle it.
func (c *compiled) contacted(u, resp float64) bool {
	if b := c.contactB; b != nil {
		if f := resp * b.inv; f >= 0 { // not NaN
			lh := &b.tail // past the cells
			if f < contactCells {
				lh = &b.lohi[int(f)]
			}
			if u < lh[0] {
				return true
			}
			if u >= lh[1] {
				return false
			}
		}
	}
	return u < c.contact*c.decayAt(resp)
}

// contactCells is the number of response-time cells of contactBounds.
const contactCells = 2048

// contactBounds brackets contact·m(t) over cells of response time, for a
// decay curve m that decreases in t: lohi[i] holds a value below and a
// value above c.contact*c.decayAt(t) for every t with int(t·inv) = i. The
// bounds are the cell's ends with a relative margin of 1e-9, far wider
// than the rounding errors of decayAt and than m's change over the
// rounding error of t·inv (a t just past a cell's end may fall in it).
// tail brackets it alike for every t past the cells (m's floor and its
// value at their end): off-hours leads wait that long.
type contactBounds struct {
	inv  float64 // cells a minute
	lohi [contactCells][2]float64
	tail [2]float64
}

func (c *compiled) newContactBounds() *contactBounds {
	d := &c.decay
	var span float64 // minutes the cells cover
	switch d.Form {
	case model.Hill:
		span = 64 * d.T50
	case model.ExpFloor:
		span = 20 * d.Tau
	default:
		return nil
	}
	if !(span > 0) || math.IsInf(span, 0) || !(d.Floor >= 0 && d.Floor <= 1) {
		return nil
	}
	b := &contactBounds{inv: contactCells / span}
	if math.IsInf(b.inv, 0) { // a span so small that every response would fall past it
		return nil
	}
	width := span / contactCells
	at := func(i int) float64 { return c.contact * c.decayAt(max(0, float64(i)*width)) }
	for i := range b.lohi {
		b.lohi[i] = [2]float64{at(i+1) * (1 - 1e-9), at(i) * (1 + 1e-9)}
	}
	b.tail = [2]float64{c.contact * d.Floor * (1 - 1e-9), at(contactCells) * (1 + 1e-9)}
	return b
}

// drawParams draws the uncertain parameters of c for one run from their
// posteriors (see model.Stage.Observations, model.Source.RateWeeks and
// model.Source.DealObservations), with r. c must be the worker's own copy.
func (c *compiled) drawParams(r *rand.Rand) {
	for i := range c.stages {
		st := &c.stages[i]
		if st.obs <= 0 || len(st.edges) == 0 {
			continue
		}
		total, stay := 0.0, 1.0
		for j := range st.edges {
			e := &st.edges[j]
			stay -= e.p0
			e.p = 0
			if a := st.obs * e.p0; a > 0 {
				e.p = gamma(r, a)
			}
			total += e.p
		}
		if a := st.obs * stay; a > 1e-12 {
			total += gamma(r, a)
		}
		cum := 0.0
		for j := range st.edges {
			e := &st.edges[j]
			e.p /= total
			cum += e.p
			e.cum = cum
		}
	}
	for j := range c.sources {
		src := &c.sources[j]
		if src.rateWeeks > 0 {
			k := src.rate0 * model.HoursPerWeek * src.rateWeeks
			src.rate = src.rate0 * gamma(r, k) / k
		}
		if src.dealObs > 0 && src.deal.form == model.LogNormal {
			src.deal.a = src.dealMu0 + src.deal.b/math.Sqrt(src.dealObs)*r.NormFloat64()
		}
		if src.stayCount {
			edges := c.stages[src.entry].edges
			src.thinP = edges[len(edges)-1].cum
		}
	}
}

// activity is a source's weekday-by-hour profile as the intensity of a
// lead's actions: w(h) an hour, w normalised to mean 1.
type activity struct {
	w     [model.HoursPerWeek]float64
	cum   [model.HoursPerWeek + 1]float64 // ∫w before each hour of the week
	index hourIndex                       // of cum
}

func newActivity(w [model.HoursPerWeek]float64) activity {
	a := activity{w: w}
	for h := range model.HoursPerWeek {
		a.cum[h+1] = a.cum[h] + w[h]
	}
	a.index = newHourIndex(&a.cum)
	return a
}

// actionHours is the mean time between a lead's actions at the profile's
// average intensity: a lead acts at rate w(h)/actionHours an hour, about
// three times a day, most of them in the profile's busy hours.
const actionHours = 8

// next returns the first moment after t at which the lead acts, given an
// Exp(1) variate e: the time where ∫_t w = actionHours·e. A t so large
// that its hour of the week is lost to rounding (past 2^53 hours) is
// taken as in the week's first hour.
func (a *activity) next(t, e float64) float64 {
	e *= actionHours
	week := a.cum[model.HoursPerWeek]
	wk := math.Floor(t / model.HoursPerWeek)
	r := t - wk*model.HoursPerWeek
	h := max(0, min(int(r), model.HoursPerWeek-1)) // int(r) of a NaN or huge r is negative
	target := wk*week + a.cum[h] + a.w[h]*(r-float64(h)) + e
	wk = math.Floor(target / week)
	r = target - wk*week
	lo := a.index.find(&a.cum, r) // the hour whose cumulative end exceeds r
	return later(t, wk*model.HoursPerWeek+float64(lo)+(r-a.cum[lo])/a.w[lo])
}

// hourBuckets is the number of equal slices of a week's cumulative total
// that hourIndex keeps a starting hour for.
const hourBuckets = 1024

// hourIndex finds, in a week's non-decreasing cumulative totals cum (cum[h]
// before hour h), the first hour h whose end cum[h+1] exceeds r, or the
// last hour if none does: what a binary search over the hours finds, but
// from a table of starting hours and a short forward scan.
type hourIndex struct {
	inv   float64                // buckets per unit of cum
	first [hourBuckets + 1]uint8 // no later than the answer for any r in the bucket
}

func newHourIndex(cum *[model.HoursPerWeek + 1]float64) hourIndex {
	var x hourIndex
	total := cum[model.HoursPerWeek]
	if !(total > 0) || math.IsInf(total, 1) {
		return x // every r in bucket 0, which starts at hour 0
	}
	x.inv = hourBuckets / total
	for b := 1; b <= hourBuckets; b++ {
		// r in bucket b has r·inv ≥ b, so r is well above the start of
		// bucket b-1, whose answer is therefore no later than r's.
		x.first[b] = uint8(searchHour(cum, float64(b-1)/x.inv))
	}
	return x
}

// find returns the first hour h with cum[h+1] > r, or the last hour.
func (x *hourIndex) find(cum *[model.HoursPerWeek + 1]float64, r float64) int {
	b := 0
	if f := r * x.inv; f > 0 { // NaN: bucket 0
		if f > hourBuckets {
			f = hourBuckets
		}
		b = int(f)
	}
	h := int(x.first[b])
	for h < model.HoursPerWeek-1 && !(cum[h+1] > r) {
		h++
	}
	return h
}

// searchHour is hourIndex.find by binary search.
func searchHour(cum *[model.HoursPerWeek + 1]float64, r float64) int {
	lo, hi := 0, model.HoursPerWeek-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid+1] > r {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}
