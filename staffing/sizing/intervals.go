package sizing

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/slasim/slasim/sim"
	"github.com/slasim/slasim/staffing"
)

// Intervals is a team's staffing given per interval of the week, the call
// centre's way (a head count per 15 or 30 minutes, from Monday 00:00),
// for sizing to choose.
//
// The analytic start sizes each interval on its own: one post per
// interval, whose needs are Erlang C's (or A's) for the quarter hours it
// spans, at the rates of those quarter hours. The simulation search then
// moves the intervals block by block (Block intervals at a time, keeping
// the analytic shape within a block), as one post per block whose head
// count is the block's peak: a week of half hours is 336 head counts, too
// many to tune one by one by simulation.
type Intervals struct {
	// Name says whose intervals they are, such as "service desk:
	// intervals"; Path names the scenario field holding them, such as
	// teams[0].intervals.
	Name string `json:"name"`
	Path string `json:"path"`
	// Team is the index of the team in the problem's model.
	Team int `json:"team"`
	// Length is an interval's length: a week over len(Units).
	Length time.Duration `json:"-"`
	// Units is, per interval of the week, the timeline of one agent at
	// work in it (staffing.Intervals.Units).
	Units []sim.Steps `json:"-"`
	// Min and Max bound every interval's head count; Max 0 is no bound.
	Min int `json:"min"`
	Max int `json:"max,omitempty"`
	// Cost is the cost of an agent-hour.
	Cost float64 `json:"cost_per_hour"`
	// Agents are the head counts as the scenario gives them.
	Agents []int `json:"agents"`
	// Block is the number of consecutive intervals the simulation search
	// moves together; 0 is four hours' worth.
	Block int `json:"block"`
}

// defaultBlock is the time the simulation search moves interval staffing
// by, when Intervals.Block does not say.
const defaultBlock = 4 * time.Hour

// A Block marks a post standing for a block of interval staffing: its
// head count is the block's peak, and every interval of the block has the
// analytic start's head count plus the block's change from its start.
type Block struct {
	// Intervals is the index of the interval staffing in
	// Problem.Intervals (and Result.Intervals); First and Count are the
	// intervals of the week the block spans.
	Intervals int `json:"intervals"`
	First     int `json:"first"`
	Count     int `json:"count"`
}

// IntervalResult is the sizing of one interval staffing: head counts per
// interval of the week, as given, as the analytic start has them, and as
// sized.
type IntervalResult struct {
	Name    string `json:"name"`
	Path    string `json:"path"`
	Team    int    `json:"team"`
	Minutes int    `json:"minutes"`
	Given   []int  `json:"given"`
	// Analytic is the analytic start's head counts; Sized the result's.
	Analytic []int `json:"analytic"`
	Sized    []int `json:"sized"`
	// HoursPerAgent is the agent-hours a week of one agent in each
	// interval (less than its length where holidays fall); Hours is the
	// agent-hours a week of the sized head counts, and Cost their cost a
	// week.
	HoursPerAgent []float64 `json:"hours_per_agent"`
	Hours         float64   `json:"agent_hours"`
	Cost          float64   `json:"cost"`
}

// validateIntervals reports the first reason an interval staffing cannot
// be sized.
func (p *Problem) validateIntervals() error {
	for i, iv := range p.Intervals {
		switch n := len(iv.Units); {
		case iv.Team < 0 || iv.Team >= len(p.Model.Teams):
			return fmt.Errorf("sizing: interval staffing %d (%s): no team %d", i, iv.Name, iv.Team)
		case n == 0 || len(iv.Agents) != n:
			return fmt.Errorf("sizing: interval staffing %d (%s): %d head counts for %d intervals", i, iv.Name, len(iv.Agents), n)
		case iv.Length <= 0 || time.Duration(n)*iv.Length != sim.Week:
			return fmt.Errorf("sizing: interval staffing %d (%s): %d intervals of %v do not make a week", i, iv.Name, n, iv.Length)
		case iv.Min < 0 || iv.Max < 0 || iv.Max > 0 && iv.Max < iv.Min:
			return fmt.Errorf("sizing: interval staffing %d (%s): bounds must satisfy 0 <= min <= max, got min %d, max %d", i, iv.Name, iv.Min, iv.Max)
		case !(iv.Cost >= 0) || math.IsInf(iv.Cost, 1):
			return fmt.Errorf("sizing: interval staffing %d (%s): the cost of an agent-hour must be a number >= 0, got %v", i, iv.Name, iv.Cost)
		case iv.Block < 0 || iv.Block > n:
			return fmt.Errorf("sizing: interval staffing %d (%s): blocks of %d intervals in a week of %d", i, iv.Name, iv.Block, n)
		}
	}
	return nil
}

// perInterval returns the problem with a post for each interval of each
// interval staffing after its own posts: the problem the analytic start
// solves, and the one the given staffing is simulated on.
func (p *Problem) perInterval() *Problem {
	q := *p
	q.Intervals = nil
	q.Posts = slices.Clip(slices.Clone(p.Posts))
	for _, iv := range p.Intervals {
		for k, u := range iv.Units {
			q.Posts = append(q.Posts, Post{
				Name: fmt.Sprintf("%s %s", iv.Name, intervalName(k, iv.Length)), Team: iv.Team, Unit: u,
				Min: iv.Min, Max: iv.Max, Cost: iv.Cost, Agents: iv.Agents[k],
			})
		}
	}
	return &q
}

// blocked returns the problem the simulation search works on, with the
// interval staffing p.Intervals moved block by block from the head counts
// per interval a (those of the analytic start, all staffings after one
// another), and the blocks' starting head counts: the problem's own posts,
// then a post per block whose head count is the block's peak. Every
// interval of a block is at its analytic head count less the block's
// peak, as fixed staffing of the model (so at or below 0), plus the
// block's head count.
func (p *Problem) blocked(a []int) (*Problem, []int) {
	q := *p
	q.Posts = slices.Clip(slices.Clone(p.Posts))
	m := *p.Model
	m.Teams = slices.Clone(m.Teams)
	q.Model = &m
	var start []int
	base := make([][]sim.Steps, len(m.Teams))
	for k, iv := range p.Intervals {
		counts := a[:len(iv.Units)]
		a = a[len(iv.Units):]
		for _, span := range blocksOf(&iv) {
			first, n := span.first, span.count
			block := counts[first : first+n]
			peak, low := slices.Max(block), slices.Min(block)
			for i, c := range block {
				if c < peak {
					u := iv.Units[first+i]
					base[iv.Team] = append(base[iv.Team], scale(u, c-peak))
					q.FixedCost += float64(c-peak) * WeeklyHours(u, p.Model) * iv.Cost
				}
			}
			q.Posts = append(q.Posts, Post{
				Name: fmt.Sprintf("%s %s", iv.Name, blockName(first, n, iv.Length)), Team: iv.Team,
				Unit: staffing.Sum(iv.Units[first : first+n]...), Min: peak - low + iv.Min, Max: iv.Max,
				Cost: iv.Cost, Agents: slices.Max(iv.Agents[first : first+n]),
				Block: &Block{Intervals: k, First: first, Count: n},
			})
			start = append(start, peak)
		}
	}
	for t := range m.Teams {
		if len(base[t]) > 0 {
			m.Teams[t].OnSite = staffing.Sum(append(base[t], m.Teams[t].OnSite)...)
		}
	}
	q.Intervals = nil
	return &q, start
}

// intervalResults returns the sizing of each interval staffing: its head
// counts per interval given by the search's head counts x on posts, the
// analytic start's being a (all staffings after one another).
func (p *Problem) intervalResults(posts []Post, x, a []int) []IntervalResult {
	out := make([]IntervalResult, len(p.Intervals))
	for k, iv := range p.Intervals {
		analytic := a[:len(iv.Units)]
		a = a[len(iv.Units):]
		sized := slices.Clone(analytic)
		for j, q := range posts {
			if b := q.Block; b != nil && b.Intervals == k {
				block := analytic[b.First : b.First+b.Count]
				change := x[j] - slices.Max(block)
				for i := range block {
					sized[b.First+i] += change
				}
			}
		}
		r := IntervalResult{Name: iv.Name, Path: iv.Path, Team: iv.Team, Minutes: int(iv.Length / time.Minute),
			Given: iv.Agents, Analytic: slices.Clone(analytic), Sized: sized}
		r.HoursPerAgent = make([]float64, len(sized))
		for i, n := range sized {
			r.HoursPerAgent[i] = WeeklyHours(iv.Units[i], p.Model)
			r.Hours += float64(n) * r.HoursPerAgent[i]
		}
		r.Cost = r.Hours * iv.Cost
		out[k] = r
	}
	return out
}

// intervalName names interval k of the week for intervals of length l:
// "Mon 08:30".
func intervalName(k int, l time.Duration) string {
	return clockOfWeek(time.Duration(k) * l)
}

// blockName names n intervals from interval first: "Mon 08:00-12:00".
func blockName(first, n int, l time.Duration) string {
	from, to := time.Duration(first)*l, time.Duration(first+n)*l
	end := clockOfWeek(to)[4:]
	if to%(24*time.Hour) == 0 {
		end = "24:00"
	}
	return clockOfWeek(from) + "-" + end
}

// clockOfWeek writes an offset from Monday 00:00 as "Mon 08:30".
func clockOfWeek(d time.Duration) string {
	days := [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	d %= sim.Week
	day := int(d / (24 * time.Hour))
	d -= time.Duration(day) * 24 * time.Hour
	return fmt.Sprintf("%s %02d:%02d", days[day], int(d/time.Hour), int(d%time.Hour/time.Minute))
}
