package model

import (
	"cmp"
	"fmt"
	"time"
)

// ForecastCalendar returns the periods h simulated quarters of m stand
// for, and, when their start was not stated, a note saying where it came
// from and how to fix it. start is the --start flag ("" when not given);
// it overrides the model's forecast_start. On a model whose opening state
// (start:) is dated (start.date, or forecast_start for a state without
// one), a later start is simulated from the state's day (a lead-in of at
// most MaxLeadInDays), and an earlier one is refused: ForecastCalendar
// then sets m.ForecastStart and m.Start.Date for the engine. Without any
// start, the forecast is of the next fiscal quarter from the state's day,
// or, without a dated state, from today (the caller's clock: time.Now()
// in a command, a fixed day in tests).
func (m *Model) ForecastCalendar(start string, h int, today time.Time) ([]Period, string, error) {
	stateDay := ""
	if m.Start != nil {
		stateDay = cmp.Or(m.Start.Date, m.ForecastStart)
	}
	var t time.Time
	note := ""
	switch {
	case start != "":
		var err error
		if t, err = ParseDate(start); err != nil {
			return nil, "", fmt.Errorf("--start: %v", err)
		}
	case m.ForecastStart != "":
		var err error
		if t, err = ParseDate(m.ForecastStart); err != nil {
			return nil, "", fmt.Errorf("forecast_start: %v", err)
		}
	case stateDay != "":
		d, err := ParseDate(stateDay)
		if err != nil {
			return nil, "", fmt.Errorf("start.date: %v", err)
		}
		t = NextFiscalQuarter(d, m.FiscalStart())
		note = fmt.Sprintf("The model sets no forecast_start: this forecasts the next fiscal quarter from its opening state's day (%s); pass --start to choose another.", stateDay)
	default:
		now := today
		t = NextFiscalQuarter(now, m.FiscalStart())
		note = fmt.Sprintf("The model sets no forecast_start: this forecasts the next fiscal quarter from today (%s); pass --start %s (or set forecast_start:) to name it the same tomorrow.",
			now.Format(DateLayout), t.Format(DateLayout))
	}
	if stateDay != "" {
		d, err := ParseDate(stateDay)
		if err != nil {
			return nil, "", fmt.Errorf("start.date: %v", err)
		}
		days := t.Sub(d).Hours() / 24
		switch {
		case days < 0:
			return nil, "", fmt.Errorf("--start %s: before the model's opening state (start:), its funnel on %s; a forecast from an earlier day needs a model calibrated as of it (sim calibrate --as-of %s)",
				t.Format(DateLayout), stateDay, t.Format(DateLayout))
		case days > MaxLeadInDays:
			return nil, "", fmt.Errorf("--start %s: %.0f days after the model's opening state (start:) of %s, over the %d days the engine simulates before a quarter; calibrate on newer data",
				t.Format(DateLayout), days, stateDay, MaxLeadInDays)
		}
		m.Start.Date = stateDay
	}
	if m.Start != nil { // the engine's lead-in; a model without a state simulates alike on any day
		m.ForecastStart = t.Format(DateLayout)
	}
	return m.Calendar(t, h), note, nil
}
