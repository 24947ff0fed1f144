package montecarlo

import "github.com/funnelsim/funnel/model"

// SetCalendar records periods, those of every quarter of the horizon of
// m (model.Model.ForecastCalendar), in rep: its forecast start, fiscal
// year start, Periods and Period (the first); nothing when periods is empty.
func (rep *Report) SetCalendar(m *model.Model, periods []model.Period) {
	if len(periods) == 0 {
		return
	}
	rep.ForecastStart = periods[0].Start.Format(model.DateLayout)
	rep.FiscalYearStart = int(m.FiscalStart())
	for _, p := range periods {
		rep.Periods = append(rep.Periods, NewPeriodReport(p))
	}
	rep.Period = &rep.Periods[0]
}
