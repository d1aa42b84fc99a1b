package fit

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// generated is an export written as it is read: a header, then n rows
// from row (appending row i to b), so that a test can read a large or
// endless export without holding it. n < 0 goes on forever.
type generated struct {
	pending []byte
	i, n    int
	row     func(i int, b []byte) []byte
}

func newGenerated(header string, n int, row func(i int, b []byte) []byte) *generated {
	return &generated{pending: []byte(header), n: n, row: row}
}

func (g *generated) Read(p []byte) (int, error) {
	for len(g.pending) < len(p) && (g.n < 0 || g.i < g.n) {
		g.pending = g.row(g.i, g.pending)
		g.i++
	}
	if len(g.pending) == 0 {
		return 0, io.EOF
	}
	n := copy(p, g.pending)
	g.pending = g.pending[:copy(g.pending, g.pending[n:])]
	return n, nil
}

// endless is an io.Reader of c bytes that never ends.
type endless byte

func (c endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}

// genericRow appends a good generic row of ticket i, opened i minutes
// after 2024-01-01.
func genericRow(i int, b []byte) []byte {
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)
	b = append(b, 'T')
	b = strconv.AppendInt(b, int64(i), 10)
	b = append(b, ',')
	b = at.AppendFormat(b, "2006-01-02 15:04")
	b = append(b, ",P"...)
	b = strconv.AppendInt(b, int64(1+i%3), 10)
	b = append(b, ',', ',')
	b = at.Add(time.Duration(1+i%7)*time.Hour).AppendFormat(b, "2006-01-02 15:04")
	return append(b, ",phone\n"...)
}

// gzipped compresses what r yields, as it is read.
func gzipped(r io.Reader) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		zw, _ := gzip.NewWriterLevel(pw, gzip.BestCompression)
		_, err := io.Copy(zw, r)
		if err == nil {
			err = zw.Close()
		}
		pw.CloseWithError(err)
	}()
	return pr
}

// peakHeap runs f with the garbage collector held to limit bytes, and
// returns the most heap its objects took meanwhile, sampled every
// millisecond.
func peakHeap(limit int64, f func()) uint64 {
	runtime.GC()
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(sample)
			mu.Lock()
			peak = max(peak, sample[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return peak
}

// TestHostileExports reads exports built to hurt, each under a memory
// limit far below what holding it would take: each must be read, or fail
// with its error, with the heap bounded by the tickets kept, not by the
// rows or bytes read.
func TestHostileExports(t *testing.T) {
	const header = "id,opened_at,priority,first_response_at,resolved_at,channel\n"
	repeat := func(row string) func(int, []byte) []byte {
		return func(_ int, b []byte) []byte { return append(b, row...) }
	}
	for _, tt := range []struct {
		name string
		r    func() io.Reader
		// want is in the error, or "" for an export that is read;
		// check, if set, checks one that is read.
		want  string
		check func(t *testing.T, ex *Export)
	}{
		{
			name: "gzip bomb of one row a million times over",
			r: func() io.Reader {
				return gzipped(newGenerated(header, -1, repeat("T1,2024-01-01 10:00,P1,,2024-01-01 11:00,phone\n")))
			},
			want: fmt.Sprintf("the gzip stream expands more than %d times", MaxGzipRatio),
		},
		{
			name: "gzip bomb of one endless line",
			r:    func() io.Reader { return gzipped(io.MultiReader(strings.NewReader(header+"T1,"), endless('a'))) },
			want: "hostile.csv:2: a line longer than 4 MiB",
		},
		{
			name: "endless zeros",
			r:    func() io.Reader { return endless(0) },
			want: "hostile.csv:1: header: a line longer than 4 MiB",
		},
		{
			name: "endless line after the header",
			r:    func() io.Reader { return io.MultiReader(strings.NewReader(header+genericRowsText(3)), endless('x')) },
			want: "hostile.csv:5: a line longer than 4 MiB",
		},
		{
			name: "a million distinct priorities",
			r: func() io.Reader {
				return newGenerated(header, 1_000_000, func(i int, b []byte) []byte {
					return fmt.Appendf(b, "T%d,2024-01-01 10:00,X%d,,2024-01-01 11:00,phone\n", i, i)
				})
			},
			want: `hostile.csv:66: column priority: a 65th priority, "X64", beyond the limit of 64`,
		},
		{
			name: "20,000 distinct channels",
			r: func() io.Reader {
				return newGenerated(header, 20_000, func(i int, b []byte) []byte {
					b = genericRow(i, b)
					return fmt.Appendf(b[:len(b)-len("phone\n")], "channel %d\n", i)
				})
			},
			check: func(t *testing.T, ex *Export) {
				if len(ex.channels) != MaxChannels+1 || ex.OtherChannel != 20_000-MaxChannels {
					t.Errorf("%d channels, %d tickets of other channels", len(ex.channels), ex.OtherChannel)
				}
			},
		},
		{
			name: "50,000 updates of one ticket",
			r: func() io.Reader {
				return newGenerated(header, 50_000, repeat("T1,2024-01-01 10:00,P1,,2024-01-01 11:00,phone\n"))
			},
			check: func(t *testing.T, ex *Export) {
				if ex.Len() != 1 || ex.Superseded != 50_000-1 {
					t.Errorf("%d tickets, %d superseded rows", ex.Len(), ex.Superseded)
				}
			},
		},
		{
			name: "ids longer than the limit",
			r: func() io.Reader {
				return newGenerated(header, 100, func(i int, b []byte) []byte {
					if i%10 == 0 {
						return fmt.Appendf(b, "%s,2024-01-01 10:00,P1,,,\n", strings.Repeat("x", MaxValueBytes+1))
					}
					return genericRow(i, b)
				})
			},
			check: func(t *testing.T, ex *Export) {
				if ex.BadRows != 10 || !strings.Contains(ex.Bad[0].Error(), "an id longer than 128 bytes") {
					t.Errorf("%d bad rows: %v", ex.BadRows, ex.Bad)
				}
			},
		},
		{
			name: "a quote never closed, then 100,000 rows",
			r: func() io.Reader {
				return newGenerated(header, 100_000, func(i int, b []byte) []byte {
					from := len(b)
					b = genericRow(i, b)
					if i == 0 {
						b[from+bytes.IndexByte(b[from:], ',')+1] = '"'
					}
					return b
				})
			},
			check: func(t *testing.T, ex *Export) {
				if ex.Rows != 100_000 || ex.BadRows != 1 || ex.Len() != 99_999 || ex.Bad[0].Line != 2 {
					t.Errorf("%d rows, %d bad, %d tickets: %v", ex.Rows, ex.BadRows, ex.Len(), ex.Bad)
				}
			},
		},
		{
			name: "a stray quote on every other row",
			r: func() io.Reader {
				return newGenerated(header, 20_000, func(i int, b []byte) []byte {
					if i%2 == 1 {
						return fmt.Appendf(b, "T%d,\"2024-01-01 10:00,P1,,,\n", i)
					}
					return genericRow(i, b)
				})
			},
			check: func(t *testing.T, ex *Export) {
				if ex.BadRows != 10_000 || ex.Len() != 10_000 {
					t.Errorf("%d bad rows, %d tickets", ex.BadRows, ex.Len())
				}
			},
		},
		{
			name: "a header of four million columns",
			r:    func() io.Reader { return strings.NewReader(strings.Repeat(",", MaxRowBytes-1) + "\n") },
			want: "hostile.csv:1: header: 4194304 columns, more than the limit of 10000",
		},
		{
			name: "rows of a million fields",
			r: func() io.Reader {
				return newGenerated(header+genericRowsText(20), 20, func(_ int, b []byte) []byte {
					return append(append(b, strings.Repeat(",", 1<<20)...), '\n')
				})
			},
			check: func(t *testing.T, ex *Export) {
				if ex.BadRows != 20 || ex.Bad[0].Error() != "hostile.csv:22: 1048577 fields, the header has 6" {
					t.Errorf("%d bad rows: %v", ex.BadRows, ex.Bad)
				}
			},
		},
		{
			name: "a million empty lines",
			r: func() io.Reader {
				return io.MultiReader(strings.NewReader(header), bytes.NewReader(make([]byte, 0)), newGenerated("", 1_000_000, repeat("\n")))
			},
			want: "hostile.csv: no data rows after the header",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var ex *Export
			var err error
			start := time.Now()
			peak := peakHeap(32<<20, func() {
				ex, err = Read(context.Background(), tt.r(), "hostile.csv", Options{})
			})
			t.Logf("%v, heap at most %.1f MiB", time.Since(start).Round(time.Millisecond), float64(peak)/(1<<20))
			if limit := uint64(64 << 20); peak > limit {
				t.Errorf("heap reached %.1f MiB, more than %d MiB", float64(peak)/(1<<20), limit>>20)
			}
			switch {
			case tt.want != "":
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error %v, want one saying %q", err, tt.want)
				}
			case err != nil:
				t.Fatal(err)
			case tt.check != nil:
				tt.check(t, ex)
			}
		})
	}
}

// genericRowsText is n good generic rows.
func genericRowsText(n int) string {
	var b []byte
	for i := range n {
		b = genericRow(i, b)
	}
	return string(b)
}

// TestReadCancelled stops reading an endless export within a second of
// its context being cancelled.
func TestReadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := Read(ctx, newGenerated(genericHeader, -1, genericRow), "endless.csv", Options{})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > time.Second+100*time.Millisecond {
		t.Errorf("stopped %v after the cancel", d-100*time.Millisecond)
	}
}

func BenchmarkRead(b *testing.B) {
	data := []byte(genericHeader + genericRowsText(100_000))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(context.Background(), bytes.NewReader(data), "bench.csv", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFitCancelled stops a fit within a second of its context being
// cancelled, however many tickets it has to fit.
func TestFitCancelled(t *testing.T) {
	s := &synth{start: monday(), weeks: 26, rate: weeklyRate(), tiers: threeTiers(), seed: 8}
	ex := s.export(t)
	for _, after := range []time.Duration{0, 10 * time.Millisecond, 50 * time.Millisecond} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(after, cancel)
		start := time.Now()
		res, err := Fit(ctx, ex, FitOptions{})
		if err == nil {
			t.Logf("done in %v, before the cancel after %v", time.Since(start), after)
			continue
		}
		if !errors.Is(err, context.Canceled) || res != nil {
			t.Errorf("error %v, want context.Canceled", err)
		}
		if d := time.Since(start) - after; d > time.Second {
			t.Errorf("stopped %v after the cancel", d)
		}
	}
}

// TestReadAllocatesPerTicket reads twice as many rows of the same tickets
// with hardly more allocations: reading allocates for tickets, not rows.
func TestReadAllocatesPerTicket(t *testing.T) {
	export := func(rows int) []byte {
		b := []byte(genericHeader)
		for i := range rows {
			b = genericRow(i%100, b)
		}
		return b
	}
	o := Options{Overrides: Overrides{DateLayout: "2006-01-02 15:04"}}
	allocs := func(data []byte) float64 {
		return testing.AllocsPerRun(3, func() {
			if _, err := Read(context.Background(), bytes.NewReader(data), "t.csv", o); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(export(20_000)), allocs(export(40_000))
	if large-small > 10 {
		t.Errorf("%.0f allocations for 20,000 rows, %.0f for 40,000 of the same 100 tickets", small, large)
	}
	t.Logf("%.0f allocations for 20,000 rows, %.0f for 40,000", small, large)
}
