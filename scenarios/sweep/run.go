package sweep

import (
	"context"
	"fmt"

	"github.com/slasim/slasim/scenarios"
)

// A Point is one combination of the axes' values, and the scenario with
// them.
type Point struct {
	Settings []scenarios.Setting
	Scenario *scenarios.Scenario
}

// Values lists the point's values, in the order of the axes.
func (p *Point) Values() []string {
	vs := make([]string, len(p.Settings))
	for i, s := range p.Settings {
		vs[i] = s.Value
	}
	return vs
}

// Points builds the scenario at every point of the axes' grid, each held to
// every rule a file is, so that a bad value is found before anything runs.
func Points(sc *scenarios.Scenario, axes []Axis) ([]Point, error) {
	grid, err := Grid(axes)
	if err != nil {
		return nil, err
	}
	points := make([]Point, len(grid))
	for i, settings := range grid {
		s, err := sc.With(settings...)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", Label(settings), err)
		}
		points[i] = Point{Settings: settings, Scenario: s}
	}
	return points, nil
}

// A Result is one point's run.
type Result struct {
	Point
	*scenarios.Run
}

// Run simulates each point in turn with the same run settings, so every
// point has the same seed (common random numbers). It stops after a point
// whose run was cut short, and returns the points run. progress, when not
// nil, is told each point's replications done and planned as they go.
func Run(ctx context.Context, points []Point, rs scenarios.RunSettings, progress func(point, done, planned int)) ([]Result, error) {
	var done []Result
	for i, p := range points {
		if progress != nil {
			rs.Progress = func(d, n int) { progress(i, d, n) }
		}
		run, err := p.Scenario.Run(ctx, rs)
		if err != nil {
			return done, fmt.Errorf("%s: %w", Label(p.Settings), err)
		}
		done = append(done, Result{p, run})
		if run.Result.Partial {
			break
		}
	}
	return done, nil
}
