package analytic

import (
	"context"
	"testing"

	"github.com/slasim/slasim/sim/queueing"
)

// The searches for the fewest agents stop at the next number of agents
// tried once the context is done.
func TestSearchesStop(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	tried := 0
	if n := fewest(ctx, func(c int) bool {
		tried++
		if tried == 3 {
			cancel()
		}
		return c >= 1000
	}); n != 0 || tried != 3 {
		t.Errorf("fewest: %d after %d tries, want 0 after 3 (cancelled at the third)", n, tried)
	}
	if n := fewest(t.Context(), func(c int) bool { return c >= 1000 }); n != 1000 {
		t.Errorf("fewest: %d, want 1000", n)
	}
	// 10^5 agents at 99.99% load: the search for resolution's agents
	// starts at the load and would step up one agent at a time.
	q := queueing.MMc{Servers: 100_000, ArrivalRate: 99_990, ServiceRate: 1}
	done, cancelDone := context.WithCancel(t.Context())
	cancelDone()
	if n := agentsForSojourn(done, q, 4, 0.95); n != 0 {
		t.Errorf("agentsForSojourn, context done: %d, want 0", n)
	}
	if n := agentsForSojourn(t.Context(), q, 4, 0.95); n <= 99_990 {
		t.Errorf("agentsForSojourn: %d, want above the load", n)
	}
}
