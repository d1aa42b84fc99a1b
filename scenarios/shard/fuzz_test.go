package shard

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"testing"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
)

// seal ends body with the checksum a partial result carries, so that the
// fuzzer's changes reach the decoder beyond it.
func seal(body []byte) []byte {
	if len(body) == 0 || body[len(body)-1] != '\n' {
		body = append(bytes.Clone(body), '\n')
	}
	sum := sha256.Sum256(body)
	return append(bytes.Clone(body), "sha256 "+hex.EncodeToString(sum[:])+"\n"...)
}

// FuzzDecode feeds partial results, as written and as a writer meaning
// harm could seal them, to the decoder, the merge and the report: none may
// panic, and what is accepted must report. The seeds are partial results
// of small runs and sweeps, with and without a contract or callers who
// hang up, without their checksums.
func FuzzDecode(f *testing.F) {
	ax, _ := sweep.ParseAxis("agents=9,10")
	for _, j := range []Job{
		{Scenario: mustOpen(f, "erlang-c"), Settings: scenarios.RunSettings{Replications: 2, Horizon: 24 * 3600e9}, Shard: Shard{0, 1}},
		{Scenario: mustOpen(f, "erlang-c"), Axes: []sweep.Axis{ax}, Settings: scenarios.RunSettings{Replications: 3, Horizon: 24 * 3600e9}, Shard: Shard{1, 2}},
		{Scenario: mustOpen(f, "contract"), Settings: scenarios.RunSettings{Replications: 1, Horizon: 5 * 7 * 24 * 3600e9}, Shard: Shard{0, 3}},
		// Callers who hang up (its hotline): the abandoned share and the
		// answered tickets' shares, beside named clocks and teams.
		{Scenario: mustOpen(f, "front-door"), Settings: scenarios.RunSettings{Replications: 2, Horizon: 24 * 3600e9}, Shard: Shard{0, 2}},
	} {
		j.Version = "v1"
		p, err := Run(context.Background(), j)
		if err != nil {
			f.Fatal(err)
		}
		var b bytes.Buffer
		if err := p.Write(&b); err != nil {
			f.Fatal(err)
		}
		data := b.Bytes()
		f.Add(data[:bytes.LastIndex(data[:len(data)-1], []byte("\n"))+1])
	}
	// Rebuilding a scenario takes far longer than decoding: keep each
	// header's merger.
	mergers := map[string]*merger{}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, data := range [][]byte{body, seal(body)} {
			p, err := Decode(data)
			if err != nil {
				continue
			}
			key := p.Header
			key.Shard = Shard{}
			k := fmt.Sprintf("%+v", key)
			m, ok := mergers[k]
			if !ok {
				if m, err = newMerger(&p.Header); err != nil {
					continue
				}
				if len(mergers) < 100 {
					mergers[k] = m
				}
			}
			m = m.empty()
			if err := m.add(p); err != nil {
				continue
			}
			for _, pt := range m.merged().Points {
				rep := reports.New(t.Context(), pt.Result, reports.Meta{Version: "v1", Model: pt.Model, Level: reports.DefaultLevel})
				if err := rep.WriteText(io.Discard); err != nil {
					t.Fatal(err)
				}
				if err := rep.WriteJSON(io.Discard); err != nil {
					t.Fatal(err)
				}
			}
		}
	})
}

func mustOpen(f *testing.F, name string) *scenarios.Scenario {
	sc, err := scenarios.Open(name)
	if err != nil {
		f.Fatal(err)
	}
	return sc
}
