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

	roundMagic = 0x1.8p52
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
	// k = math.Round(y): adding and subtracting 1.5·2^52 rounds |y| < 2^51
	// to the nearest integer, ties to even, which differs from Round's
	// ties away from zero only at exact halves (rare, and sent to Round).
	// The sum's low bits hold k as an integer. (A zero k may lose its sign,
	// which changes nothing below.)
	y := x * invLn2N
	big := y + roundMagic
	k := big - roundMagic
	ki := int64(math.Float64bits(big) - math.Float64bits(roundMagic))
	if d := y - k; d == 0.5 || d == -0.5 {
		k = math.Round(y)
		ki = int64(k)
	}
	r := (x - k*ln2HiN) - k*ln2LoN
	j := ki & (expN - 1)
	e := ki >> expTableBits
	p := 1 + r*(1+r*(0.5+r*(1.0/6+r*(1.0/24+r*(1.0/120)))))
	scale := math.Float64frombits(uint64(e+1023) << 52)
	return exp2Table[j] * p * scale
}

// later returns the larger of two times, x or y: max(x, y) for the
// numbers the engine compares, without the handling of NaN and of signed
// zeros that makes the built-in max several times slower in hot loops.
// (It returns y when x and y are zeros of opposite signs, which no time
// it compares distinguishes.)
func later(x, y float64) float64 {
	if x > y {
		return x
	}
	return y
}
