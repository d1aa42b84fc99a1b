package shard

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
	"time"

	"github.com/slasim/slasim/internal/shape"
	"github.com/slasim/slasim/scenarios/sweep"
	"github.com/slasim/slasim/sim"
)

// Format names the layout of a partial result file; it changes whenever
// the layout does, and a slasim reads only its own.
const Format = "slasim.partial/v1"

// Limits on a partial result file, checked before it is read.
const (
	// MaxFileSize bounds a file: room for about 1.5 million
	// replication-tiers' own counts (160 bytes each), or a sweep's 400
	// points with their contracts.
	MaxFileSize = 256 << 20
	// maxHeader bounds the header line, which holds the scenario's text
	// (at most 1 MiB, escaped).
	maxHeader = 8 << 20
)

// A Header says what run a partial result is a shard of: every shard of a
// run has the same header but for Shard.
type Header struct {
	// Version is the slasim that wrote it, Build its source revision when
	// known: the merge must render as the shards' slasim would.
	Version string `json:"slasim_version"`
	Build   string `json:"build,omitempty"`
	// Kind is "run" or "sweep".
	Kind string `json:"kind"`
	// File is the scenario's file as given, Example the embedded example's
	// name (one of them is set), Text its YAML and Digest what
	// Scenario.Digest says of it.
	File    string `json:"file,omitempty"`
	Example string `json:"example,omitempty"`
	Digest  string `json:"digest"`
	Text    string `json:"scenario"`
	// Seed and Replications are the whole run's; Horizon the measured
	// window asked for in place of the scenario's (0: the scenario's).
	Seed         uint64        `json:"seed"`
	Replications int           `json:"replications"`
	Horizon      time.Duration `json:"horizon_ns,omitempty"`
	// Vary lists a sweep's axes, each as PATH=VALUES with its values
	// listed.
	Vary  []string `json:"vary,omitempty"`
	Shard Shard    `json:"shard"`
}

const (
	kindRun   = "run"
	kindSweep = "sweep"
)

// A Part is one span's statistics: its summary and its collectors' state,
// as JSON for the model to read them back (sim.DecodeSummary), or the
// instability that stopped it.
type Part struct {
	Span
	Summary   json.RawMessage  `json:"summary"`
	Collected json.RawMessage  `json:"collected"`
	Unstable  *sim.Instability `json:"unstable,omitempty"`
	// WarmUp and Detection are the warm-up the span's replications ran
	// and what the pilot replications found: the same in every span of a
	// point, since they depend on its model and seed only.
	WarmUp    time.Duration        `json:"warm_up_ns"`
	Detection *sim.WarmUpDetection `json:"warm_up_detection,omitempty"`
}

// A Partial is a shard's result: what run it belongs to, and the
// statistics of each span it ran.
type Partial struct {
	Header
	Parts []Part
}

// Write writes the partial: a line naming the format, the header, a line
// for each part, each line JSON, and last the SHA-256 of all that, so that
// a file cut short or damaged is known for what it is.
func (p *Partial) Write(w io.Writer) error {
	h := sha256.New()
	bw := bufio.NewWriter(io.MultiWriter(w, h))
	bw.WriteString(Format + "\n")
	enc := json.NewEncoder(bw) // one line each, newline-terminated
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&p.Header); err != nil {
		return err
	}
	for i := range p.Parts {
		if err := enc.Encode(&p.Parts[i]); err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "sha256 %s\n", hex.EncodeToString(h.Sum(nil)))
	return err
}

// ReadFile reads the partial result at path, whose size is checked before
// anything is read.
func ReadFile(path string) (*Partial, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	switch {
	case err != nil:
		return nil, err
	case st.IsDir():
		return nil, errors.New("is a directory; name the partial files in it (dir/*.part)")
	case st.Mode().IsRegular() && st.Size() > MaxFileSize:
		return nil, fmt.Errorf("is %d bytes; a partial result is at most %d (see docs/limits.md)", st.Size(), MaxFileSize)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("is over %d bytes, the most a partial result holds (see docs/limits.md)", MaxFileSize)
	}
	return Decode(data)
}

// Decode reads a partial result from data, checking that it is whole and
// undamaged and that its header describes a run it could belong to; its
// statistics are checked against the model when merged.
func Decode(data []byte) (*Partial, error) {
	magic, _, _ := bytes.Cut(data, []byte("\n"))
	if string(magic) != Format {
		if v, ok := strings.CutPrefix(string(magic), "slasim.partial/"); ok {
			return nil, fmt.Errorf("is a partial result in format %q; this slasim reads %s: merge with the slasim that ran the shards", quote(v), Format)
		}
		return nil, fmt.Errorf("is not a slasim partial result (it begins %q, not %s)", quote(string(magic)), Format)
	}
	body, err := checkSum(data)
	if err != nil {
		return nil, err
	}
	header, rest, _ := bytes.Cut(body[len(magic)+1:], []byte("\n"))
	if len(header) > maxHeader {
		return nil, fmt.Errorf("damaged: a header of %d bytes, over %d", len(header), maxHeader)
	}
	p := new(Partial)
	if err := shape.Strict(header, &p.Header); err != nil {
		return nil, fmt.Errorf("damaged header: %w", err)
	}
	if err := shape.UniqueKeys(header); err != nil {
		return nil, fmt.Errorf("damaged header: %w", err)
	}
	axes, err := p.Header.check()
	if err != nil {
		return nil, fmt.Errorf("damaged header: %w", err)
	}
	spans := p.Shard.Spans(points(axes), p.Replications)
	for i := 0; len(rest) > 0; i++ {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		if i == len(spans) {
			return nil, fmt.Errorf("damaged: more parts than the %d of shard %s", len(spans), p.Shard)
		}
		var part Part
		if err := shape.Strict(line, &part); err != nil {
			return nil, fmt.Errorf("damaged part %d: %w", i, err)
		}
		if err := shape.UniqueKeys(line); err != nil {
			return nil, fmt.Errorf("damaged part %d: %w", i, err)
		}
		if part.Span != spans[i] {
			return nil, fmt.Errorf("damaged: part %d holds %s where shard %s holds %s", i, part.Span, p.Shard, spans[i])
		}
		if u := part.Unstable; u != nil && (u.Replication < 0 || u.InSystem < 0 || u.At < 0 ||
			u.InSystem > 0 && (u.Replication < part.First || u.Replication >= part.First+part.Replications)) {
			return nil, fmt.Errorf("damaged part %d: instability of replication %d, outside it", i, u.Replication)
		}
		p.Parts = append(p.Parts, part)
	}
	if len(p.Parts) != len(spans) {
		return nil, fmt.Errorf("damaged: %d parts where shard %s has %d", len(p.Parts), p.Shard, len(spans))
	}
	return p, nil
}

// checkSum checks the last line, the SHA-256 of what precedes it, and
// returns what precedes it.
func checkSum(data []byte) ([]byte, error) {
	const prefix = "sha256 "
	const line = len(prefix) + 2*sha256.Size + 1
	truncated := errors.New("truncated: it has no checksum at its end (the shard writing it was stopped, or the copy was cut short)")
	if len(data) < line || data[len(data)-1] != '\n' {
		return nil, truncated
	}
	body, trailer := data[:len(data)-line], data[len(data)-line:len(data)-1]
	sum, ok := bytes.CutPrefix(trailer, []byte(prefix))
	if !ok || len(body) == 0 || body[len(body)-1] != '\n' {
		return nil, truncated
	}
	want := sha256.Sum256(body)
	if got, err := hex.DecodeString(string(sum)); err != nil || !bytes.Equal(got, want[:]) {
		return nil, errors.New("damaged: its content does not match its checksum")
	}
	return body, nil
}

// check checks the header and returns a sweep's axes.
func (h *Header) check() ([]sweep.Axis, error) {
	switch {
	case h.Kind != kindRun && h.Kind != kindSweep:
		return nil, fmt.Errorf("kind %q is neither run nor sweep", quote(h.Kind))
	case h.Kind == kindRun && len(h.Vary) > 0 || h.Kind == kindSweep && (len(h.Vary) == 0 || len(h.Vary) > 2):
		return nil, fmt.Errorf("a %s varying %d settings", h.Kind, len(h.Vary))
	case (h.File == "") == (h.Example == ""):
		return nil, errors.New("names both a file and an example, or neither")
	case h.Replications < 1 || h.Replications > math.MaxInt32:
		return nil, fmt.Errorf("%d replications, not from 1 to %d", h.Replications, math.MaxInt32)
	case h.Horizon < 0:
		return nil, errors.New("a negative horizon")
	}
	if err := h.Shard.check(); err != nil {
		return nil, err
	}
	var axes []sweep.Axis
	for _, v := range h.Vary {
		a, err := sweep.ParseAxis(v)
		if err != nil {
			return nil, fmt.Errorf("--vary %q: %w", quote(v), err)
		}
		axes = append(axes, a)
	}
	if _, err := sweep.Grid(axes); err != nil {
		return nil, err
	}
	return axes, nil
}

// points is the number of points of a sweep with the axes, 1 for a run.
func points(axes []sweep.Axis) int {
	n := 1
	for _, a := range axes {
		n *= len(a.Values)
	}
	return n
}

// spec writes an axis as ParseAxis reads it, its values listed.
func spec(a sweep.Axis) string { return a.Path + "=" + strings.Join(a.Texts(), ",") }

func (s Span) String() string {
	return fmt.Sprintf("point %d, replications %d to %d", s.Point, s.First, s.First+s.Replications-1)
}

// quote shortens s for a message, which quotes it.
func quote(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}
