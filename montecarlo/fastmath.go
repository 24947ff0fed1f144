package montecarlo

import "math"

// expTableBits sets the size of the table of 2^(j/N) used by exp.
const (
	expTableBits = 7
	expN         = 1 << expTableBits
)

var exp2Table = func() (t [expN]float64) {
	for j := range t {
		t[j] = math.Exp2(float64(j) / expN)
	}
	return t
}()

const (
	invLn2N = expN / math.Ln2
	// ln2/N split (fdlibm's ln2hi, ln2lo) in a high part with 21 trailing
	// zero bits and a low part, so that k·ln2HiN is exact for the |k| < 2^17
	// that |x| < 700 gives (Cody and Waite).
	ln2HiN = 6.93147180369123816490e-01 / expN
	ln2LoN = 1.90821492927058770002e-10 / expN
)

// exp returns e^x to within about 1 ulp, several times faster than
// math.Exp: x = (k/N)·ln2 + r with |r| ≤ ln2/(2N), e^x = 2^(k/N)·e^r,
// 2^(j/N) from a table and e^r from its degree-5 Taylor polynomial, whose
// truncation error r^6/720 < 1e-18 is below half an ulp. Outside
// |x| < 700 it defers to math.Exp.
func exp(x float64) float64 {
	if !(x > -700 && x < 700) {
		return math.Exp(x)
	}
	k := math.Round(x * invLn2N)
	r := (x - k*ln2HiN) - k*ln2LoN
	ki := int64(k)
	j := ki & (expN - 1)
	e := ki >> expTableBits
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120)))))
	scale := math.Float64frombits(uint64(e+1023) << 52)
	return exp2Table[j] * p * scale
}
