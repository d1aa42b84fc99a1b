package shard

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxCount bounds the number of shards a run is split into: as many as a
// Kubernetes Indexed Job may have, and a hundred times Slurm's default
// largest job array.
const MaxCount = 100_000

// A Shard is one of Count parts of a run: Index counts from 0 to Count-1,
// as Slurm's array task IDs and Kubernetes' completion indexes do.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Parse reads a shard written K/N, such as 0/4 for the first of four.
func Parse(s string) (Shard, error) {
	k, n, ok := strings.Cut(s, "/")
	index, err1 := strconv.Atoi(strings.TrimSpace(k))
	count, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("%q is not a shard; write K/N, such as 0/4 for the first of four shards", s)
	}
	sh := Shard{Index: index, Count: count}
	return sh, sh.check()
}

func (s Shard) check() error {
	switch {
	case s.Count < 1 || s.Count > MaxCount:
		return fmt.Errorf("shard %s: the number of shards must be from 1 to %d", s, MaxCount)
	case s.Index < 0 || s.Index >= s.Count:
		return fmt.Errorf("shard %s: K counts from 0 to N-1 (%d), as Slurm's SLURM_ARRAY_TASK_ID and Kubernetes' JOB_COMPLETION_INDEX do", s, s.Count-1)
	}
	return nil
}

func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// A Span is a contiguous range of replications of one point of a sweep
// (point 0 of a run).
type Span struct {
	Point        int `json:"point"`
	First        int `json:"first"`
	Replications int `json:"replications"`
}

// Spans returns the replications shard s runs of a sweep of points, each
// point of replications. The points' replications are laid end to end and
// cut into Count contiguous ranges whose sizes differ by one at most, so
// that the shards together run each replication of each point exactly
// once, whatever the number of shards: more shards than replications
// leaves some with nothing to run.
func (s Shard) Spans(points, replications int) []Span {
	// At most MaxCount × sweep.MaxPoints × 2^31: well within an int64.
	total := int64(points) * int64(replications)
	lo := total * int64(s.Index) / int64(s.Count)
	hi := total * int64(s.Index+1) / int64(s.Count)
	var spans []Span
	for i := lo; i < hi; {
		point, first := i/int64(replications), i%int64(replications)
		n := min(hi-i, int64(replications)-first)
		spans = append(spans, Span{Point: int(point), First: int(first), Replications: int(n)})
		i += n
	}
	return spans
}
