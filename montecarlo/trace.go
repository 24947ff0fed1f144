package montecarlo

import (
	"context"
	"errors"

	"github.com/funnelsim/funnel/model"
)

// Trace simulates one history of the given number of consecutive quarters
// of m, starting from an empty funnel (m's starting state and warm-up are
// ignored), and reports every event to tr in the order the engine makes
// them, which is not time order. It is how synthetic CRM exports are made:
// the same seed gives the same events.
func Trace(ctx context.Context, m *model.Model, quarters int, seed uint64, tr Tracer) error {
	if tr == nil {
		panic("montecarlo: Trace with a nil Tracer")
	}
	if quarters < 1 {
		return errors.New("montecarlo: Trace needs at least one quarter")
	}
	mm := *m
	mm.Start = &model.Start{}
	_, err := run(ctx, &mm, Config{Quarters: 1, Horizon: quarters, Seed: seed, Workers: 1}, tr)
	return err
}
