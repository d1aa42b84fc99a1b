// Package shard splits a run or a sweep across machines and joins the
// parts, exactly: the merged statistics are, bit for bit, those of the
// single run, so the merged reports are the same bytes whatever the number
// of shards.
//
// Shard K of N (K from 0, as Slurm's array task IDs and Kubernetes'
// completion indexes count) runs a contiguous range of the replications
// (Shard.Spans): a sweep's points are laid end to end, so shards may cover
// parts of several points, and more shards than replications leave some
// with nothing to run. Run simulates a shard into a Partial, which Write
// saves; Merge reads the partials of every shard, checks that they belong
// together, and returns the run as a single run would have: each point's
// sim.Result, its summary and its collectors (contract credits, each
// replication's counts) merged exactly.
//
// # Partial results
//
// A partial result file is text, one JSON value a line: the format's name
// (Format), a Header saying what run it is a shard of (the slasim that ran
// it, the scenario's text and digest, seed, replications, horizon, a
// sweep's axes, the shard), one line per span with its statistics, and
// the SHA-256 of all of that. A file cut short or damaged is refused for
// what it is. The statistics are read as hostile input: the file's size
// is checked before it is read, arrays are counted against the model
// before they are allocated, and no count may be negative.
//
// A run with a precision target cannot be split: how many replications it
// needs is decided from all of them as they finish.
package shard
