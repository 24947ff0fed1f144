package montecarlo

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Shard returns the runs [first, first+n) that shard i of k takes of a
// simulation of quarters runs: the runs are cut into k contiguous parts
// whose sizes differ by at most one, the larger first. It panics unless
// 0 <= i < k and quarters >= 0.
func Shard(quarters, i, k int) (first, n int) {
	if i < 0 || i >= k || quarters < 0 {
		panic(fmt.Sprintf("montecarlo: shard %d of %d of %d quarters", i, k, quarters))
	}
	n = quarters / k
	rem := quarters % k
	first = i*n + min(i, rem)
	if i < rem {
		n++
	}
	return first, n
}

// Merge joins the results of shards of one simulation (the same models,
// seed and horizon, each run with its own Config.First and Quarters) into
// the results one Run of all their runs returns, bit for bit. The shards
// may come in any order; their runs must tile [0, total) without gaps or
// overlaps. Merge does not modify the shards.
func Merge(shards ...*Results) (*Results, error) {
	if len(shards) == 0 {
		return nil, errors.New("montecarlo: no results to merge")
	}
	ps := slices.Clone(shards)
	slices.SortFunc(ps, func(a, b *Results) int { return a.First - b.First })
	first := ps[0]
	total := 0
	for i, p := range ps {
		if p.First != total {
			if p.First < total {
				return nil, fmt.Errorf("montecarlo: shards overlap: runs from %d are in two shards", p.First)
			}
			return nil, fmt.Errorf("montecarlo: runs %d to %d are in no shard", total, p.First-1)
		}
		if err := sameShape(first, p); err != nil {
			return nil, fmt.Errorf("montecarlo: shard %d (runs from %d): %w", i, p.First, err)
		}
		total += p.Quarters
	}
	out := &Results{Quarters: total, Horizon: first.Horizon, Seed: first.Seed,
		Stages: slices.Clone(first.Stages), SLAs: slices.Clone(first.SLAs),
		Quota: first.Quota, Currency: first.Currency, Opening: first.Opening, Method: first.Method}
	os := out.series()
	for i := range os {
		w := width(first, i)
		*os[i] = make([]float64, 0, total*first.Horizon*w)
	}
	for _, p := range ps {
		out.Leads += p.Leads
		for i, s := range p.series() {
			*os[i] = append(*os[i], *s...)
		}
		for _, v := range p.RespSample {
			if len(out.RespSample) < RespSampleRuns {
				out.RespSample = append(out.RespSample, slices.Clone(v))
			}
		}
	}
	return out, nil
}

// width returns the values a period of r's series i holds.
func width(r *Results, i int) int {
	n := r.Quarters * r.Horizon
	if n == 0 {
		return 0
	}
	return len(*r.series()[i]) / n
}

// sameShape reports why p cannot be merged with r.
func sameShape(r, p *Results) error {
	switch {
	case p.Horizon != r.Horizon:
		return fmt.Errorf("horizon %d, not %d", p.Horizon, r.Horizon)
	case p.Seed != r.Seed:
		return fmt.Errorf("seed %d, not %d", p.Seed, r.Seed)
	case !slices.Equal(p.Stages, r.Stages) || !slices.Equal(p.SLAs, r.SLAs):
		return errors.New("other stages or SLAs: another model")
	case math.Float64bits(p.Quota) != math.Float64bits(r.Quota) || p.Currency != r.Currency:
		return errors.New("another quota or currency: another model")
	case p.Opening != r.Opening || p.Method != r.Method:
		return fmt.Errorf("simulated by %s/%s, not %s/%s", p.Opening, p.Method, r.Opening, r.Method)
	}
	for i := range r.series() {
		if p.Quarters > 0 && r.Quarters > 0 && width(p, i) != width(r, i) {
			return errors.New("series of another width: another model")
		}
	}
	return nil
}

// resultsMagic opens the binary form of Results, version 1.
const resultsMagic = "funnelsim results 1\n"

// header is the JSON part of the binary form: everything but the series.
type header struct {
	Quarters, Horizon, First int
	Seed                     uint64
	Stages, SLAs             []string
	Quota                    float64
	Currency                 string
	Leads                    int64
	Opening, Method          string
	Series                   []int // values in each series, in series() order
	Sample                   []int // values in each RespSample run
}

// MarshalBinary returns r's exact binary form (every float bit for bit),
// which UnmarshalBinary reads back: a shard's results written on one
// machine to be merged on another (see Merge).
func (r *Results) MarshalBinary() ([]byte, error) {
	h := header{Quarters: r.Quarters, Horizon: r.Horizon, First: r.First, Seed: r.Seed,
		Stages: r.Stages, SLAs: r.SLAs, Quota: r.Quota, Currency: r.Currency, Leads: r.Leads,
		Opening: r.Opening, Method: r.Method}
	n := 0
	for _, s := range r.series() {
		h.Series = append(h.Series, len(*s))
		n += len(*s)
	}
	for _, v := range r.RespSample {
		h.Sample = append(h.Sample, len(v))
		n += len(v)
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 0, len(resultsMagic)+binary.MaxVarintLen64+len(hj)+8*n)
	b = append(b, resultsMagic...)
	b = binary.AppendUvarint(b, uint64(len(hj)))
	b = append(b, hj...)
	put := func(v []float64) {
		for _, x := range v {
			b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
		}
	}
	for _, s := range r.series() {
		put(*s)
	}
	for _, v := range r.RespSample {
		put(v)
	}
	return b, nil
}

// UnmarshalBinary sets r to the results MarshalBinary wrote into b. It
// checks the form against its own declared sizes before allocating, so a
// truncated or forged input is an error, never a huge allocation: what it
// allocates is at most about b's length.
func (r *Results) UnmarshalBinary(b []byte) error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("montecarlo: not simulation results: "+format, a...)
	}
	if !bytes.HasPrefix(b, []byte(resultsMagic)) {
		return bad("no %q header", resultsMagic[:len(resultsMagic)-1])
	}
	b = b[len(resultsMagic):]
	hl, k := binary.Uvarint(b)
	if k <= 0 || hl > uint64(len(b)-k) {
		return bad("truncated header")
	}
	var h header
	if err := json.Unmarshal(b[k:k+int(hl)], &h); err != nil {
		return bad("header: %v", err)
	}
	b = b[k+int(hl):]
	if h.Quarters < 0 || h.Horizon < 1 || h.Horizon > MaxHorizon || h.First < 0 {
		return bad("%d runs of %d quarters from run %d", h.Quarters, h.Horizon, h.First)
	}
	var x Results
	if len(h.Series) != len(x.series()) {
		return bad("%d series, want %d", len(h.Series), len(x.series()))
	}
	if len(h.Sample) > min(h.Quarters, RespSampleRuns) {
		return bad("%d sampled runs", len(h.Sample))
	}
	per := h.Quarters * h.Horizon
	total := 0
	for i, n := range h.Series {
		if n < 0 || n > len(b)/8 || (per == 0 && n != 0) || (per > 0 && n%per != 0) {
			return bad("series %d of %d values for %d periods", i, n, per)
		}
		total += n
	}
	for _, n := range h.Sample {
		if n < 0 || n > len(b)/8 {
			return bad("a response sample of %d values", n)
		}
		total += n
	}
	if total != len(b)/8 || len(b)%8 != 0 {
		return bad("%d bytes of values, want %d", len(b), 8*total)
	}
	get := func(n int) []float64 {
		v := make([]float64, n)
		for i := range v {
			v[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
		b = b[8*n:]
		return v
	}
	x = Results{Quarters: h.Quarters, Horizon: h.Horizon, First: h.First, Seed: h.Seed,
		Stages: h.Stages, SLAs: h.SLAs, Quota: h.Quota, Currency: h.Currency, Leads: h.Leads,
		Opening: h.Opening, Method: h.Method}
	for i, s := range x.series() {
		*s = get(h.Series[i])
	}
	for _, n := range h.Sample {
		x.RespSample = append(x.RespSample, get(n))
	}
	*r = x
	return nil
}
