package sizing_test

import (
	"context"
	"testing"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/staffing/sizing"
)

func TestDbgOffered(t *testing.T) {
	sc, _ := scenarios.ParseAlone("nightless.yaml", []byte(nightless))
	p, _ := sc.SizingProblem()
	res, err := sizing.Size(context.Background(), p, sizing.Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("analytic %v search %v cost %.0f best %v cost %.0f; %d staffings %d reps", res.Analytic, res.Search.Agents, res.Search.Cost(), res.Best.Agents, res.Best.Cost(), res.Candidates, res.Replications)
	for i, q := range res.Posts {
		t.Logf("%s", q.Name)
		_ = i
	}
}
