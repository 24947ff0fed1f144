package model

import (
	"errors"
	"math"
	"testing"
)

// validModel returns a small valid model using every part of the schema:
// each delay form, a handoff with an SLA, a profile and a starting state.
func validModel() *Model {
	return &Model{
		Name: "test", Currency: "USD", TimeZone: "Europe/Paris", QuarterWeeks: 13, Quota: 1e6, MaxRecycles: 1,
		Stages: []Stage{
			{Name: "lead", Team: Marketing},                          // 0
			{Name: "mql", Team: Marketing},                           // 1
			{Name: "sal", Team: Sales},                               // 2
			{Name: "opp", Team: Sales, Opportunity: true},            // 3
			{Name: "won", Team: Sales, Outcome: Won},                 // 4
			{Name: "lost", Team: Sales, Outcome: Lost},               // 5
			{Name: "disqualified", Team: SDR, Outcome: Disqualified}, // 6
		},
		Transitions: []Transition{
			{From: "lead", To: "mql", P: 0.5, Delay: Dist{Form: Exponential, Mean: 3}},                       // 0
			{From: "mql", To: "sal", P: 0.6, Delay: Dist{Form: LogNormal, Median: 1, Sigma: 0.5}},            // 1
			{From: "mql", To: "disqualified", P: 0.4, Delay: Dist{Form: Empirical, Values: []float64{1, 2}}}, // 2
			{From: "sal", To: "opp", P: 0.7, Delay: Dist{Form: Fixed, Value: 2}},                             // 3
			{From: "opp", To: "won", P: 0.3, Delay: Dist{Form: Weibull, Shape: 2, Scale: 40}},                // 4
			{From: "opp", To: "lost", P: 0.7, Delay: Dist{Form: Gamma, Shape: 2, Mean: 30}},                  // 5
		},
		Sources: []Source{{
			Name: "web", Entry: "lead", RatePerWeek: 100, Dispersion: 20, Profile: Profile{Shape: "business"},
			DealSize: Dist{Form: LogNormal, Median: 2e4, Sigma: 0.7},
		}},
		Handoff: &Handoff{
			Stage: "mql", Contact: 0.8, Decay: Decay{Form: Hill, T50: 15, K: 1.5, Floor: 0.1}, NoContact: "lead",
			SDR: SDRTeam{Headcount: 2, Hours: WorkHours{Days: []Weekday{1, 2, 3, 4, 5}, Start: 9, End: 17},
				Handle: Dist{Form: Fixed, Value: 10}},
		},
		SLAs: []SLA{
			{Name: "touch", From: "mql", Hours: 1, Business: true, Target: 0.9},
			{Name: "accept", From: "sal", To: []string{"opp"}, Hours: 48},
		},
		Start: &Start{
			Leads:         []OpenLead{{Stage: "sal", Source: "web", Count: 3, AgeDays: 1}},
			Opportunities: []OpenOpportunity{{Source: "web", Amount: 5e4, AgeDays: 10}},
		},
	}
}

func TestValidate(t *testing.T) {
	fill := func(w [][]float64, v float64) [][]float64 {
		for _, r := range w {
			for j := range r {
				r[j] = v
			}
		}
		return w
	}
	rows := func(n, width int) [][]float64 {
		w := make([][]float64, n)
		for i := range w {
			w[i] = make([]float64, width)
			for j := range w[i] {
				w[i][j] = 1
			}
		}
		return w
	}
	for _, tt := range []struct {
		name string
		edit func(m *Model)
		want string // "" for valid
	}{
		{"valid", func(m *Model) {}, ""},
		{"valid-no-start-no-handoff", func(m *Model) { m.Start, m.Handoff, m.SLAs = nil, nil, m.SLAs[1:] }, ""},
		{"valid-cycle-through-recycle", func(m *Model) {
			m.Transitions = append(m.Transitions, Transition{From: "sal", To: "mql", P: 0.1, Recycle: true, Delay: Dist{Form: Fixed, Value: 1}})
		}, ""},

		// Top-level fields.
		{"currency-empty", func(m *Model) { m.Currency = "" }, `currency: got "", want an ISO 4217 code such as USD`},
		{"time-zone-unknown", func(m *Model) { m.TimeZone = "Mars/Olympus_Mons" },
			`time_zone: got "Mars/Olympus_Mons", want an IANA time zone such as America/New_York`},
		{"quarter-weeks-zero", func(m *Model) { m.QuarterWeeks = 0 }, `quarter_weeks: got 0, want a number of weeks in [1,53]`},
		{"quarter-weeks-54", func(m *Model) { m.QuarterWeeks = 54 }, `quarter_weeks: got 54, want a number of weeks in [1,53]`},
		{"quota-negative", func(m *Model) { m.Quota = -1 }, `quota: got -1, want a non-negative amount`},
		{"quota-inf", func(m *Model) { m.Quota = math.Inf(1) }, `quota: got +Inf, want a non-negative amount`},
		{"warmup-too-long", func(m *Model) { m.WarmupDays = 4000 }, `warmup_days: got 4000, want days in [0,3650]; 0 derives it from the delays`},
		{"max-recycles-negative", func(m *Model) { m.MaxRecycles = -1 }, `max_recycles: got -1, want a non-negative count`},

		// Stages.
		{"no-stages", func(m *Model) {
			m.Stages = nil
			m.Transitions = nil
			m.Sources = nil
			m.Handoff = nil
			m.SLAs = nil
			m.Start = nil
		},
			"stages: got \"[]\", want at least one stage\nsources: got \"[]\", want at least one lead source"},
		{"duplicate-stage-name", func(m *Model) { m.Stages = append(m.Stages, Stage{Name: "sal", Team: Sales}) },
			`stages[7].name: got "sal", want a name not already used by stages[2]`},
		{"stage-name-empty", func(m *Model) { m.Stages = append(m.Stages, Stage{Name: ""}) }, `stages[7].name: got "", want a non-empty name`},
		{"stage-name-space", func(m *Model) { m.Stages = append(m.Stages, Stage{Name: "closed won", Outcome: Won}) },
			`stages[7].name: got "closed won", want a name without spaces or commas`},
		{"stage-team-unknown", func(m *Model) { m.Stages[0].Team = 7 }, `stages[0].team: got Team(7), want marketing, sdr or sales`},
		{"no-opportunity-stage", func(m *Model) { m.Stages[3].Opportunity = false },
			`stages: got "0 stages with opportunity: true", want exactly one opportunity stage`},
		{"two-opportunity-stages", func(m *Model) { m.Stages[2].Opportunity = true },
			`stages: got "2 stages with opportunity: true", want exactly one opportunity stage`},
		{"terminal-opportunity-stage", func(m *Model) { m.Stages[3].Opportunity = false; m.Stages[4].Opportunity = true },
			`stages[4].opportunity: got true, want an open (non-terminal) stage`},
		{"no-won-stage", func(m *Model) { m.Stages[4].Outcome = Lost },
			`stages: got "no stage with outcome: won", want at least one won stage`},
		{"unreachable-stage", func(m *Model) { m.Stages = append(m.Stages, Stage{Name: "orphan", Team: Sales}) },
			`stages[7]: got "orphan", want a stage reachable from a source's entry stage`},
		{"unreachable-through-zero-p", func(m *Model) { m.Transitions[3].P = 0; m.Start = nil },
			"stages[3]: got \"opp\", want a stage reachable from a source's entry stage\n" +
				"stages[4]: got \"won\", want a stage reachable from a source's entry stage\n" +
				"stages[5]: got \"lost\", want a stage reachable from a source's entry stage"},
		{"cycle-without-recycle", func(m *Model) {
			m.Transitions = append(m.Transitions, Transition{From: "sal", To: "mql", P: 0.1, Delay: Dist{Form: Fixed, Value: 1}})
		}, `transitions: got "the cycle mql -> sal -> mql", want every cycle to contain a recycle edge (recycle: true), whose cap lets leads out`},

		// Transitions.
		{"p-above-one", func(m *Model) { m.Transitions[1].P = 1.2 }, `transitions[1].p: got 1.2, want a probability in [0,1]`},
		{"p-negative", func(m *Model) { m.Transitions[0].P = -0.1 }, `transitions[0].p: got -0.1, want a probability in [0,1]`},
		{"p-nan", func(m *Model) { m.Transitions[0].P = math.NaN() }, `transitions[0].p: got NaN, want a probability in [0,1]`},
		{"outgoing-sum-above-one", func(m *Model) { m.Transitions[5].P = 0.75 },
			`transitions from "opp": got "probabilities summing to 1.05", want a sum of at most 1`},
		{"unknown-to-stage", func(m *Model) { m.Transitions[1].To = "sql" }, `transitions[1].to: got "sql", want the name of a stage`},
		{"unknown-from-stage", func(m *Model) { m.Transitions[0].From = "leed" },
			`transitions[0].from: got "leed", want the name of a stage`},
		{"from-terminal-stage", func(m *Model) {
			m.Transitions = append(m.Transitions, Transition{From: "lost", To: "opp", P: 0.1, Recycle: true, Delay: Dist{Form: Fixed, Value: 1}})
		}, `transitions[6].from: got "lost", want a non-terminal stage`},
		{"duplicate-edge", func(m *Model) {
			m.Transitions = append(m.Transitions, Transition{From: "lead", To: "mql", P: 0.1, Delay: Dist{Form: Fixed, Value: 1}})
		}, `transitions[6]: got "lead -> mql", want one edge per pair of stages (already transitions[0])`},
		{"self-loop", func(m *Model) {
			m.Transitions = append(m.Transitions, Transition{From: "sal", To: "sal", P: 0.1, Delay: Dist{Form: Fixed, Value: 1}})
		}, `transitions[6].to: got "sal", want a stage other than from`},

		// Delays, one case per form and parameter.
		{"delay-form-unknown", func(m *Model) { m.Transitions[0].Delay.Form = 9 },
			`transitions[0].delay_days.dist: got DistForm(9), want one of [fixed exponential lognormal weibull gamma empirical]`},
		{"delay-fixed-negative", func(m *Model) { m.Transitions[3].Delay.Value = -1 },
			`transitions[3].delay_days.value: got -1, want a non-negative finite number`},
		{"delay-fixed-inf", func(m *Model) { m.Transitions[3].Delay.Value = math.Inf(1) },
			`transitions[3].delay_days.value: got +Inf, want a non-negative finite number`},
		{"delay-exponential-mean-zero", func(m *Model) { m.Transitions[0].Delay.Mean = 0 },
			`transitions[0].delay_days.mean: got 0, want a positive finite number`},
		{"delay-lognormal-median-negative", func(m *Model) { m.Transitions[1].Delay.Median = -1 },
			`transitions[1].delay_days.median: got -1, want a positive finite number`},
		{"delay-lognormal-sigma-zero", func(m *Model) { m.Transitions[1].Delay.Sigma = 0 },
			`transitions[1].delay_days.sigma: got 0, want a positive finite number`},
		{"delay-weibull-shape-zero", func(m *Model) { m.Transitions[4].Delay.Shape = 0 },
			`transitions[4].delay_days.shape: got 0, want a positive finite number`},
		{"delay-weibull-scale-inf", func(m *Model) { m.Transitions[4].Delay.Scale = math.Inf(1) },
			`transitions[4].delay_days.scale: got +Inf, want a positive finite number`},
		{"delay-gamma-shape-nan", func(m *Model) { m.Transitions[5].Delay.Shape = math.NaN() },
			`transitions[5].delay_days.shape: got NaN, want a positive finite number`},
		{"delay-gamma-mean-negative", func(m *Model) { m.Transitions[5].Delay.Mean = -30 },
			`transitions[5].delay_days.mean: got -30, want a positive finite number`},
		{"delay-empirical-empty", func(m *Model) { m.Transitions[2].Delay.Values = nil },
			`transitions[2].delay_days.values: got "[]", want at least one value`},
		{"delay-empirical-negative-value", func(m *Model) { m.Transitions[2].Delay.Values = []float64{1, -2} },
			`transitions[2].delay_days.values[1]: got -2, want a non-negative finite number`},

		// Sources.
		{"no-sources", func(m *Model) { m.Sources = nil; m.Start = nil },
			`sources: got "[]", want at least one lead source`},
		{"rate-zero", func(m *Model) { m.Sources[0].RatePerWeek = 0 }, `sources[0].rate_per_week: got 0, want a positive rate of leads a week`},
		{"rate-negative", func(m *Model) { m.Sources[0].RatePerWeek = -5 }, `sources[0].rate_per_week: got -5, want a positive rate of leads a week`},
		{"rate-nan", func(m *Model) { m.Sources[0].RatePerWeek = math.NaN() }, `sources[0].rate_per_week: got NaN, want a positive rate of leads a week`},
		{"dispersion-negative", func(m *Model) { m.Sources[0].Dispersion = -1 },
			`sources[0].dispersion: got -1, want a non-negative gamma shape (0 = Poisson)`},
		{"source-name-duplicate", func(m *Model) { m.Sources = append(m.Sources, m.Sources[0]) },
			`sources[1].name: got "web", want a name not already used by sources[0]`},
		{"source-entry-unknown", func(m *Model) { m.Sources[0].Entry = "nowhere" },
			`sources[0].entry: got "nowhere", want the name of a stage`},
		{"source-entry-terminal", func(m *Model) { m.Sources[0].Entry = "won" },
			`sources[0].entry: got "won", want a non-terminal stage`},
		{"deal-size-bad", func(m *Model) { m.Sources[0].DealSize.Sigma = -0.7 },
			`sources[0].deal_size.sigma: got -0.7, want a positive finite number`},

		// Profiles.
		{"profile-shape-unknown", func(m *Model) { m.Sources[0].Profile.Shape = "weekend" },
			`sources[0].profile.shape: got "weekend", want "flat" or "business", or explicit weights`},
		{"profile-six-rows", func(m *Model) { m.Sources[0].Profile.Weights = rows(6, 24) },
			`sources[0].profile.weights: got "6 rows", want 7 rows (Monday first) of 24 hourly weights`},
		{"profile-short-row", func(m *Model) { w := rows(7, 24); w[3] = w[3][:23]; m.Sources[0].Profile.Weights = w },
			`sources[0].profile.weights[3]: got "23 values", want 24 hourly weights`},
		{"profile-negative-weight", func(m *Model) { w := rows(7, 24); w[6][23] = -1; m.Sources[0].Profile.Weights = w },
			`sources[0].profile.weights[6][23]: got -1, want a non-negative weight`},
		{"profile-all-zero", func(m *Model) {
			w := rows(7, 24)
			for _, r := range w {
				clear(r)
			}
			m.Sources[0].Profile.Weights = w
		}, `sources[0].profile.weights: got "all zero", want at least one positive weight`},

		// Handoff.
		{"handoff-stage-unknown", func(m *Model) { m.Handoff.Stage = "sql" },
			"handoff.stage: got \"sql\", want the name of a stage\n" +
				`slas[0].to: got "[]", want target stages, or from: the handoff stage to measure the first touch`},
		{"handoff-contact-zero", func(m *Model) { m.Handoff.Contact = 0 }, `handoff.contact: got 0, want a probability in (0,1]`},
		{"handoff-contact-above-one", func(m *Model) { m.Handoff.Contact = 1.1 }, `handoff.contact: got 1.1, want a probability in (0,1]`},
		{"handoff-no-contact-same-stage", func(m *Model) { m.Handoff.NoContact = "mql" },
			`handoff.no_contact: got "mql", want a stage other than the handoff stage`},
		{"handoff-no-contact-unknown", func(m *Model) { m.Handoff.NoContact = "nurture" },
			`handoff.no_contact: got "nurture", want the name of a stage`},
		{"handoff-headcount-zero", func(m *Model) { m.Handoff.SDR.Headcount = 0 },
			`handoff.sdr.headcount: got 0, want a number of SDRs in [1,10000]`},
		{"handoff-hours-start-24", func(m *Model) { m.Handoff.SDR.Hours.Start = 24 },
			`handoff.sdr.hours.start: got 24, want an hour in [0,24)`},
		{"handoff-hours-end-before-start", func(m *Model) { m.Handoff.SDR.Hours.End = 8 },
			`handoff.sdr.hours.end: got 8, want an hour in (start=9, 24], or 0 for around the clock`},
		{"handoff-hours-end-25", func(m *Model) { m.Handoff.SDR.Hours.End = 25 },
			`handoff.sdr.hours.end: got 25, want an hour in (start=9, 24], or 0 for around the clock`},
		{"handoff-handle-bad", func(m *Model) { m.Handoff.SDR.Handle = Dist{Form: Exponential} },
			`handoff.sdr.handle_minutes.mean: got 0, want a positive finite number`},
		{"decay-floor-above-one", func(m *Model) { m.Handoff.Decay.Floor = 1.5 },
			`handoff.decay.floor: got 1.5, want a probability in [0,1]`},
		{"decay-hill-t50-zero", func(m *Model) { m.Handoff.Decay.T50 = 0 },
			`handoff.decay.t50_minutes: got 0, want a positive number of minutes`},
		{"decay-hill-k-zero", func(m *Model) { m.Handoff.Decay.K = 0 }, `handoff.decay.k: got 0, want a positive exponent`},
		{"decay-exponential-tau-zero", func(m *Model) { m.Handoff.Decay = Decay{Form: ExpFloor, Floor: 0.1} },
			`handoff.decay.tau_minutes: got 0, want a positive number of minutes`},
		{"decay-form-unknown", func(m *Model) { m.Handoff.Decay.Form = 5 },
			`handoff.decay.form: got DecayForm(5), want one of [none exponential hill]`},

		// SLAs.
		{"sla-name-empty", func(m *Model) { m.SLAs[0].Name = "" }, `slas[0].name: got "", want a non-empty name`},
		{"sla-hours-zero", func(m *Model) { m.SLAs[0].Hours = 0 }, `slas[0].hours: got 0, want a positive number of hours`},
		{"sla-target-above-one", func(m *Model) { m.SLAs[0].Target = 90 }, `slas[0].target: got 90, want a share in [0,1]`},
		{"sla-from-unknown", func(m *Model) { m.SLAs[1].From = "sql" }, `slas[1].from: got "sql", want the name of a stage`},
		{"sla-to-unknown", func(m *Model) { m.SLAs[1].To = []string{"opp", "closed"} },
			`slas[1].to[1]: got "closed", want the name of a stage`},
		{"sla-no-to-off-handoff", func(m *Model) { m.SLAs[1].To = nil },
			`slas[1].to: got "[]", want target stages, or from: the handoff stage to measure the first touch`},
		{"business-hours-end", func(m *Model) { m.BusinessHours = &WorkHours{Start: 9, End: 8} },
			`business_hours.end: got 8, want an hour in (start=9, 24], or 0 for around the clock`},

		// Starting state.
		{"start-lead-stage-unknown", func(m *Model) { m.Start.Leads[0].Stage = "sql" },
			`start.leads[0].stage: got "sql", want the name of a stage`},
		{"start-lead-stage-terminal", func(m *Model) { m.Start.Leads[0].Stage = "won" },
			`start.leads[0].stage: got "won", want a non-terminal stage`},
		{"start-lead-source-unknown", func(m *Model) { m.Start.Leads[0].Source = "ads" },
			`start.leads[0].source: got "ads", want the name of a source`},
		{"start-lead-count-zero", func(m *Model) { m.Start.Leads[0].Count = 0 }, `start.leads[0].count: got 0, want a count ≥ 1`},
		{"start-lead-age-negative", func(m *Model) { m.Start.Leads[0].AgeDays = -1 },
			`start.leads[0].age_days: got -1, want a non-negative age in days`},
		{"start-opportunity-source-unknown", func(m *Model) { m.Start.Opportunities[0].Source = "ads" },
			`start.opportunities[0].source: got "ads", want the name of a source`},
		{"start-opportunity-amount-negative", func(m *Model) { m.Start.Opportunities[0].Amount = -5 },
			`start.opportunities[0].amount: got -5, want a non-negative amount`},
		{"start-opportunity-age-inf", func(m *Model) { m.Start.Opportunities[0].AgeDays = math.Inf(1) },
			`start.opportunities[0].age_days: got +Inf, want a non-negative age in days`},

		// Limits (limits.go): each refuses what the engine cannot run.
		{"quota-above-max", func(m *Model) { m.Quota = 1e300 }, `quota: got 1e+300, want at most 1e+15`},
		{"max-recycles-above-cap", func(m *Model) { m.MaxRecycles = 1000000 }, `max_recycles: got 1000000, want at most 20 recycles`},
		{"delay-lognormal-sigma-40", func(m *Model) { m.Transitions[1].Delay.Sigma = 40 },
			`transitions[1].delay_days.sigma: got 40, want at most 10 (draws span e^(±8.5·sigma) times the median)`},
		{"delay-lognormal-median-above-max", func(m *Model) { m.Transitions[1].Delay.Median = 1e6 },
			`transitions[1].delay_days.median: got 1e+06, want at most 36500 days`},
		{"delay-exponential-mean-above-max", func(m *Model) { m.Transitions[0].Delay.Mean = 1e300 },
			`transitions[0].delay_days.mean: got 1e+300, want at most 36500 days`},
		{"delay-fixed-above-max", func(m *Model) { m.Transitions[3].Delay.Value = 36501 },
			`transitions[3].delay_days.value: got 36501, want at most 36500 days`},
		{"delay-weibull-shape-tiny", func(m *Model) { m.Transitions[4].Delay.Shape = 0.001 },
			`transitions[4].delay_days.shape: got 0.001, want a shape in [0.01,1e+06]`},
		{"delay-gamma-shape-huge", func(m *Model) { m.Transitions[5].Delay.Shape = 1e7 },
			`transitions[5].delay_days.shape: got 1e+07, want a shape in [0.01,1e+06]`},
		{"delay-empirical-value-above-max", func(m *Model) { m.Transitions[2].Delay.Values = []float64{1, 1e9} },
			`transitions[2].delay_days.values[1]: got 1e+09, want at most 36500 days`},
		{"delay-empirical-too-many", func(m *Model) { m.Transitions[2].Delay.Values = make([]float64, MaxEmpiricalValues+1) },
			`transitions[2].delay_days.values: got "100001 values", want at most 100000 values`},
		{"rate-above-max", func(m *Model) { m.Sources[0].RatePerWeek = 1e12 },
			`sources[0].rate_per_week: got 1e+12, want at most 1e+06 leads a week`},
		{"headcount-1e9", func(m *Model) { m.Handoff.SDR.Headcount = 1e9 },
			`handoff.sdr.headcount: got 1000000000, want a number of SDRs in [1,10000]`},
		{"handle-above-max", func(m *Model) { m.Handoff.SDR.Handle = Dist{Form: Exponential, Mean: 1e11} },
			`handoff.sdr.handle_minutes.mean: got 1e+11, want at most 5.256e+07 minutes`},
		{"deal-size-overflowing", func(m *Model) { m.Sources[0].DealSize = Dist{Form: LogNormal, Median: 1e300, Sigma: 5} },
			`sources[0].deal_size.median: got 1e+300, want at most 1e+15`},
		{"deal-size-sigma-75", func(m *Model) { m.Sources[0].DealSize.Sigma = 75 },
			`sources[0].deal_size.sigma: got 75, want at most 10 (draws span e^(±8.5·sigma) times the median)`},
		{"profile-denormal-weights", func(m *Model) { m.Sources[0].Profile.Weights = fill(rows(7, 24), 5e-324) },
			`sources[0].profile.weights: got "weights summing to 8.3e-322", want a sum in [1e-300,1e+300] (only ratios matter: scale them)`},
		{"profile-huge-weights", func(m *Model) { m.Sources[0].Profile.Weights = fill(rows(7, 24), 1e308) },
			`sources[0].profile.weights: got "weights summing to +Inf", want a sum in [1e-300,1e+300] (only ratios matter: scale them)`},
		{"profile-inf-weight", func(m *Model) { w := rows(7, 24); w[0][0] = math.Inf(1); m.Sources[0].Profile.Weights = w },
			`sources[0].profile.weights[0][0]: got +Inf, want a finite weight`},
		{"start-lead-count-above-max", func(m *Model) { m.Start.Leads[0].Count = 1e9 },
			`start.leads[0].count: got 1000000000, want at most 10000000 leads`},
		{"start-lead-age-above-max", func(m *Model) { m.Start.Leads[0].AgeDays = 1e30 },
			`start.leads[0].age_days: got 1e+30, want at most 36500 days`},
		{"start-opportunity-amount-above-max", func(m *Model) { m.Start.Opportunities[0].Amount = 1e300 },
			`start.opportunities[0].amount: got 1e+300, want at most 1e+15`},
		{"start-opportunity-age-above-max", func(m *Model) { m.Start.Opportunities[0].AgeDays = 4e4 },
			`start.opportunities[0].age_days: got 40000, want at most 36500 days`},
		{"valid-at-limits", func(m *Model) {
			m.Quota, m.MaxRecycles = MaxAmount, MaxRecycleCap
			m.Transitions[1].Delay = Dist{Form: LogNormal, Median: MaxDays, Sigma: MaxSigma}
			m.Transitions[4].Delay.Shape = MinShape
			m.Transitions[5].Delay.Shape = MaxShape
			m.Sources[0].RatePerWeek = MaxRatePerWeek
			m.Sources[0].DealSize = Dist{Form: LogNormal, Median: MaxAmount, Sigma: MaxSigma}
			m.Sources[0].Profile.Weights = fill(rows(7, 24), MaxProfileSum/HoursPerWeek/2)
			m.Handoff.SDR.Headcount = MaxHeadcount
			m.Start.Leads[0].Count, m.Start.Leads[0].AgeDays = MaxStartCount, MaxDays
		}, ""},

		// Several problems are all reported, in field order.
		{"several", func(m *Model) { m.Currency = ""; m.Transitions[0].P = 2; m.Sources[0].RatePerWeek = 0 },
			"currency: got \"\", want an ISO 4217 code such as USD\n" +
				"transitions[0].p: got 2, want a probability in [0,1]\n" +
				"sources[0].rate_per_week: got 0, want a positive rate of leads a week"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := validModel()
			tt.edit(m)
			err := m.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate() = %q, want nil", err)
			case tt.want == "":
				return
			case err == nil:
				t.Fatalf("Validate() = nil, want %q", tt.want)
			case err.Error() != tt.want:
				t.Fatalf("Validate():\n got %q\nwant %q", err, tt.want)
			}
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Errorf("Validate() = %T, want errors wrapping *FieldError", err)
			}
		})
	}
}

// TestValidateStartOpportunitiesReach: open opportunities in the starting
// state put leads in the opportunity stage, so a model whose only way into
// that stage is its starting state (a pipeline run-off forecast) is valid.
func TestValidateStartOpportunitiesReach(t *testing.T) {
	m := &Model{
		Name: "run-off", Currency: "USD", QuarterWeeks: 13,
		Stages:      []Stage{{Name: "idle"}, {Name: "opp", Team: Sales, Opportunity: true}, {Name: "won", Team: Sales, Outcome: Won}},
		Transitions: []Transition{{From: "opp", To: "won", P: 0.3, Delay: Dist{Form: Exponential, Mean: 30}}},
		Sources:     []Source{{Name: "src", Entry: "idle", RatePerWeek: 1, DealSize: Dist{Form: Fixed, Value: 1}}},
		Start:       &Start{Opportunities: []OpenOpportunity{{Source: "src", Amount: 1e5, AgeDays: 10}}},
	}
	if err := m.Validate(); err != nil {
		t.Errorf("Validate() = %v, want nil", err)
	}
}
