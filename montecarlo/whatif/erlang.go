package whatif

import "math"

// ErlangB returns the Erlang B blocking probability of c servers offered a
// Erlangs (a = λ/μ), by the stable recursion
//
//	B(0) = 1,  B(k) = a·B(k−1) / (k + a·B(k−1)),
//
// which never forms a^c or c! and so neither overflows nor cancels. It
// panics if c < 1 or a < 0.
func ErlangB(c int, a float64) float64 {
	if c < 1 || !(a >= 0) {
		panic("whatif: ErlangB: want c ≥ 1 and a ≥ 0")
	}
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// ErlangC returns the probability that an arrival waits, P(W > 0), in an
// M/M/c queue with c servers offered a = λ/μ Erlangs:
//
//	C(c, a) = B / (1 − ρ(1 − B)),  ρ = a/c,  B = ErlangB(c, a).
//
// It returns 1 when a ≥ c (the queue grows without bound). It panics if
// c < 1 or a < 0.
func ErlangC(c int, a float64) float64 {
	if a >= float64(c) {
		return 1
	}
	b := ErlangB(c, a)
	return b / (1 - a/float64(c)*(1-b))
}

// ErlangMeanWait returns the mean wait in queue of an M/M/c queue, in the
// unit of meanService (1/μ):
//
//	E[W] = C(c, a) · meanService / (c − a).
//
// It returns +Inf when a ≥ c.
func ErlangMeanWait(c int, a, meanService float64) float64 {
	if a >= float64(c) {
		return math.Inf(1)
	}
	return ErlangC(c, a) * meanService / (float64(c) - a)
}

// ErlangWaitWithin returns P(W ≤ t) of an M/M/c queue, t and meanService
// in the same unit:
//
//	P(W ≤ t) = 1 − C(c, a) · exp(−(c − a)·t / meanService).
//
// It returns 0 when a ≥ c.
func ErlangWaitWithin(c int, a, meanService, t float64) float64 {
	if a >= float64(c) {
		return 0
	}
	return 1 - ErlangC(c, a)*math.Exp(-(float64(c)-a)*t/meanService)
}

// ErlangWaitQuantile returns the p-quantile of the wait of an M/M/c queue
// in the unit of meanService: 0 when P(W > 0) ≤ 1 − p, else
// meanService · ln(C/(1−p)) / (c − a). It returns +Inf when a ≥ c.
func ErlangWaitQuantile(c int, a, meanService, p float64) float64 {
	if a >= float64(c) {
		return math.Inf(1)
	}
	C := ErlangC(c, a)
	if C <= 1-p {
		return 0
	}
	return meanService * math.Log(C/(1-p)) / (float64(c) - a)
}
