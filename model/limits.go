package model

// Limits of a valid model. Validate refuses a model past any of them, with
// a *FieldError naming the field: inside them every quantity the engine
// computes (times in hours, amounts, sums of them over a quarter) is a
// finite float64 and the work of a simulated quarter is bounded by the
// model's size. They are far beyond any funnel a company runs; a model
// near them is a typo or a failed fit.
// MaxNotFitted and MaxNotFittedBytes bound Model.NotFitted: its entries
// and the length of each.
const (
	MaxNotFitted      = 1000
	MaxNotFittedBytes = 2000
)

// MaxLabelBytes is the longest Stage.Label: a name for a chart's axis.
const MaxLabelBytes = 100

const (
	// MaxModelBytes is the largest model or scenario document, in bytes,
	// that Parse and ParseScenario read (4 MiB; the default model is 7 KiB).
	MaxModelBytes = 4 << 20

	// MaxRatePerWeek is the largest Source.RatePerWeek, leads a week: a
	// million leads a week from one source is 13 million in a quarter,
	// seconds of simulation for each simulated quarter.
	MaxRatePerWeek = 1e6

	// MaxHeadcount is the largest SDRTeam.Headcount.
	MaxHeadcount = 10000

	// MaxRecycleCap is the largest Model.MaxRecycles. The stationary
	// opening state propagates the leads once for each recycle count, so
	// preparing a model costs time and memory in proportion to it.
	MaxRecycleCap = 20

	// MaxStartCount is the largest OpenLead.Count of one group of open
	// leads in the starting state.
	MaxStartCount = 10_000_000

	// MaxDays bounds times in days: the parameters of a delay that carry
	// its unit (Value, Mean, Median, Scale, Values), a handling time's
	// (converted from minutes) and the ages of the starting state, 36,500
	// days (100 years).
	MaxDays = 36500

	// MaxAmount bounds amounts, in the model's currency: the quota, the
	// amounts of open opportunities and the parameters of a deal-size
	// distribution that carry its unit (1e15: a million billion).
	MaxAmount = 1e15

	// MaxSigma is the largest Sigma of a lognormal distribution: its
	// draws span e^(±8.5·Sigma) times its median, 1e37 at Sigma = 10.
	MaxSigma = 10

	// MinShape and MaxShape bound the Shape of a Weibull or gamma
	// distribution. A Weibull draw is Scale·E^(1/Shape), E exponential, so
	// a smaller shape would overflow.
	MinShape, MaxShape = 0.01, 1e6

	// MaxEmpiricalValues is the largest number of Values of an empirical
	// distribution.
	MaxEmpiricalValues = 100_000

	// MinProfileSum and MaxProfileSum bound the sum of a profile's
	// explicit weights: only their ratios matter, and the weights are
	// normalised by HoursPerWeek/sum, which must be a finite number.
	MinProfileSum, MaxProfileSum = 1e-300, 1e300
)
