// Package model holds the funnel model: the lead taxonomy (stages owned by
// teams and the transitions between them), the lead sources and their
// arrivals, the SDR team that answers marketing-qualified leads, the
// response-time decay of contact rates, the service-level agreements, deal
// sizes, the quota and an optional starting state.
//
// The types are plain data. Parse reads a model from YAML or JSON (strict:
// unknown keys are errors), Validate checks it and names the offending field
// by its path, and Default returns the embedded default model documented
// field by field in default.yaml. Scenarios (named overrides on a model)
// are applied with Scenario.Apply. Calendar names the fiscal quarters
// (fiscal_year_start, forecast_start) that simulated quarters stand for.
//
// Units are part of the field names and comments: times in the taxonomy are
// days, response times and SLA targets are minutes or hours as named, rates
// are per week, amounts are in the model's currency.
package model
