package stats

// Two-sided quantiles of the standard normal distribution: the interval
// mean ± Z·SE of an asymptotically normal estimate holds its true value
// with the named probability. Z95 = Φ⁻¹(0.975), Z90 = Φ⁻¹(0.95) and
// Z99 = Φ⁻¹(0.995), to float64 precision.
const (
	Z90 = 1.6448536269514722
	Z95 = 1.959963984540054
	Z99 = 2.5758293035489004
)
