package sizing

import (
	"cmp"
	"slices"
	"time"
)

// A Shape is a shift's geometry when it works one span, the same on each
// of its days: the days, the span's start and length, and whether it
// works on holidays. The search moves agents between shifts of one team
// whose shapes are neighbours (see neighbours).
type Shape struct {
	Days          [7]bool
	Start, Length time.Duration
	Holidays      bool
}

// neighbours returns, for each post, the posts whose shifts it may be moved
// to: of the same team, on site or on call alike, on the same days, with
// the next start earlier and the next later among those of the same
// length (round the clock), and the next length shorter and the next
// longer among those of the same start. Posts without a Shape have none.
func neighbours(posts []Post) [][]int {
	near := make([][]int, len(posts))
	for i, a := range posts {
		if a.Shape == nil {
			continue
		}
		// The best candidate so far in each direction, by its distance.
		best := [4]int{-1, -1, -1, -1}
		dist := [4]time.Duration{}
		consider := func(dir, j int, d time.Duration) {
			if best[dir] < 0 || d < dist[dir] {
				best[dir], dist[dir] = j, d
			}
		}
		const day = 24 * time.Hour
		for j, b := range posts {
			if j == i || b.Shape == nil || b.Team != a.Team || b.OnCall != a.OnCall ||
				b.Shape.Days != a.Shape.Days || b.Shape.Holidays != a.Shape.Holidays {
				continue
			}
			switch {
			case b.Shape.Length == a.Shape.Length && b.Shape.Start != a.Shape.Start:
				later := ((b.Shape.Start-a.Shape.Start)%day + day) % day
				consider(0, j, later)
				consider(1, j, day-later)
			case b.Shape.Start == a.Shape.Start && b.Shape.Length > a.Shape.Length:
				consider(2, j, b.Shape.Length-a.Shape.Length)
			case b.Shape.Start == a.Shape.Start && b.Shape.Length < a.Shape.Length:
				consider(3, j, a.Shape.Length-b.Shape.Length)
			}
		}
		for _, j := range best {
			if j >= 0 && !slices.Contains(near[i], j) {
				near[i] = append(near[i], j)
			}
		}
		slices.SortFunc(near[i], cmp.Compare)
	}
	return near
}

// active reports whether post i takes part in the search's usual moves at
// head counts x: a shift of the scenario's, or an offered one staffed.
// The others join only as neighbours of a staffed shift.
func (s *search) active(x []int, i int) bool { return !s.p.Posts[i].Offered || x[i] > 0 }

// moveShift returns x with the agents of post i moved to post j, less
// fewer of them (0 or 1), and whether that is within the bounds: a shift
// moved to a neighbouring start or length.
func (s *search) moveShift(x []int, i, j, fewer int) ([]int, bool) {
	n := x[i]
	y, ok := s.step(x, i, -n)
	if !ok || n-fewer <= 0 {
		return nil, false
	}
	return s.step(y, j, n-fewer)
}
