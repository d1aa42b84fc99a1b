//go:build unix

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for slasim: run with
// SLASIM_AS_MAIN=1 it is the command, signals and all; with
// SLASIM_MEMORY_LEFT=N too, it may map only N MiB more than it has at the
// start.
func TestMain(m *testing.M) {
	if os.Getenv("SLASIM_AS_MAIN") == "1" {
		if left := os.Getenv("SLASIM_MEMORY_LEFT"); left != "" {
			limitAddressSpace(left)
		}
		main()
	}
	os.Exit(m.Run())
}

// limitAddressSpace limits the process's address space to what it has
// mapped now plus left MiB.
func limitAddressSpace(left string) {
	status, err := os.ReadFile("/proc/self/status")
	_, size, _ := strings.Cut(string(status), "VmSize:")
	kb, err2 := strconv.ParseUint(strings.TrimSuffix(strings.Fields(size + " ?")[0], "kB"), 10, 64)
	mib, err3 := strconv.ParseUint(left, 10, 64)
	if err := errors.Join(err, err2, err3); err != nil {
		panic(err)
	}
	limit := kb<<10 + mib<<20
	if err := syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit}); err != nil {
		panic(err)
	}
}

// A process is slasim running as a child, with what it has written.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr lockedBuffer
}

// A lockedBuffer is written by the child's copying goroutine while the
// test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func start(t *testing.T, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(os.Args[0], args...)}
	p.cmd.Env = append(os.Environ(), "SLASIM_AS_MAIN=1")
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	return p
}

// procfs is set where /proc shows a process's CPU time (Linux): the tests
// then wait for the state a case is about (a run under way, a named pipe
// being opened) and bound the work done after a signal, not the time,
// which a loaded machine stretches. Elsewhere they wait and bound by the
// clock. (A Go program's signal mask says nothing: the runtime catches
// every signal from its start, before slasim asks for SIGINT and SIGTERM.)
var procfs = func() bool {
	_, err := os.Stat("/proc/self/stat")
	return err == nil
}()

// wchans is set where /proc names the kernel function each thread waits
// in, as it does for this process's idle threads.
var wchans = func() bool {
	tasks, _ := os.ReadDir("/proc/self/task")
	for _, task := range tasks {
		if w, _ := os.ReadFile("/proc/self/task/" + task.Name() + "/wchan"); len(w) > 0 && string(w) != "0" {
			return true
		}
	}
	return false
}()

// proc reads the child's file name under /proc.
func (p *process) proc(name string) string {
	b, _ := os.ReadFile(fmt.Sprintf("/proc/%d/%s", p.cmd.Process.Pid, name))
	return string(b)
}

// cpu is the CPU time the child has used, its threads' user and system
// time, and whether it has exited (a zombie until waited for).
func (p *process) cpu() (time.Duration, bool) {
	_, stat, _ := strings.Cut(p.proc("stat"), ") ")
	f := strings.Fields(stat) // from the third field, state
	if len(f) < 13 {
		return 0, true
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return time.Duration(utime+stime) * tick, f[0] == "Z"
}

// openingFIFO reports whether a thread of the child waits in the kernel
// for the other end of a named pipe to be opened.
func (p *process) openingFIFO() bool {
	tasks, _ := os.ReadDir(fmt.Sprintf("/proc/%d/task", p.cmd.Process.Pid))
	for _, task := range tasks {
		if p.proc("task/"+task.Name()+"/wchan") == "wait_for_partner" {
			return true
		}
	}
	return false
}

// A stage is what a case waits for before its signal; slasim handles
// signals from its first instruction on, so either means it does.
type stage int

const (
	busy        stage = iota // 300 ms of CPU used: the work under way
	openingFIFO              // blocked opening a named pipe
)

// reach waits until the child has reached stage s (for a minute at most),
// or, where /proc cannot tell, for wait.
func (p *process) reach(t *testing.T, s stage, wait time.Duration) {
	t.Helper()
	if !procfs || s == openingFIFO && !wchans {
		time.Sleep(wait)
		return
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		used, exited := p.cpu()
		if exited {
			t.Fatalf("the command ended before its signal: %s", p.stderr.String())
		}
		if time.Now().After(deadline) {
			t.Fatalf("the command did not reach stage %d within a minute (CPU %v): %s", s, used, p.stderr.String())
		}
		if s == busy && used >= 300*time.Millisecond || s == openingFIFO && p.openingFIFO() {
			return
		}
	}
}

// signal sends sigs, each after slasim has said it took the one before
// (the runtime merges a signal sent while the same one is still pending),
// and returns how long the process took to exit after the last, the CPU
// time it used meanwhile (0 without procfs), and its status.
func (p *process) signal(t *testing.T, sigs ...syscall.Signal) (took, cpu time.Duration, status int) {
	t.Helper()
	var sent time.Time
	var before time.Duration
	for i, s := range sigs {
		if i > 0 {
			for deadline := time.Now().Add(time.Minute); !strings.Contains(p.stderr.String(), "again") && time.Now().Before(deadline); {
				time.Sleep(10 * time.Millisecond)
			}
		}
		if procfs {
			before, _ = p.cpu()
		}
		sent = time.Now()
		if err := p.cmd.Process.Signal(s); err != nil {
			t.Fatalf("%v: %v (the command ended too early: %s)", s, err, p.stderr.String())
		}
	}
	exited := make(chan struct{})
	go func() { p.cmd.Wait(); close(exited) }()
	select {
	case <-exited:
	case <-time.After(stopLimit):
		p.cmd.Process.Kill()
		<-exited
		t.Errorf("still running %v after %v", stopLimit, sigs)
	}
	took = time.Since(sent)
	if procfs {
		cpu = p.cmd.ProcessState.UserTime() + p.cmd.ProcessState.SystemTime() - before
	}
	return took, cpu, p.cmd.ProcessState.ExitCode()
}

// stopLimit is how long a command may take to exit after its signal at
// most, on a loaded machine; stopWork how much CPU time it may use meanwhile
// (with procfs), the measure of "stops within a second" that load does not
// stretch.
const (
	stopLimit = 20 * time.Second
	stopWork  = time.Second
)

// stoppedPromptly reports whether a command took, and used, little enough
// after its signal.
func stoppedPromptly(took, cpu time.Duration) bool {
	if !procfs {
		return took <= stopWork
	}
	return cpu <= stopWork && took < stopLimit
}

// TestSignals checks that SIGINT and SIGTERM stop slasim within a second
// (of CPU time, with procfs) at any stage, with status 130 or 143, doing
// what slasim says on the first signal the command does (writing what is
// done marked partial, or nothing), and that a second signal stops it at
// once even where the first cannot (opening a named pipe nobody reads).
// Each signal comes once the command has reached the stage its case is
// about.
func TestSignals(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	long := []string{"-r", "100000", "--horizon", "52w"}
	// A team of 3,000 shifts a day over two years: rostering takes a minute.
	valid := filepath.Join(dir, "valid.yaml")
	if err := os.WriteFile(valid, []byte("tiers: [{name: all, rate: 1/h, targets: {response: 1h}, handling: {mean: 30m}}]\nagents: 2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	trace := filepath.Join(dir, "trace.csv")
	roster := filepath.Join(dir, "roster.yaml")
	if err := os.WriteFile(roster, []byte(`name: big roster
simulation: {start: 2024-01-01, horizon: 2w}
arrivals: {volume: 20/day}
tiers: [{name: all, share: 100%, targets: {response: 1h, resolution: 8h}, handling: {mean: 30m}}]
teams: [{name: desk, shifts: [{days: all, hours: "08:00-16:00", agents: 3000}]}]
roster: {weeks: 104}
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		args  []string
		stage stage
		// wait is how long to wait instead of for the stage, without
		// procfs.
		wait   time.Duration
		sigs   []syscall.Signal
		status int
		// says is what slasim says the command does on the first signal;
		// stdout is part of what it prints (the partial result), or with
		// whole all of it.
		says, stdout string
		whole        bool
	}{
		{"reading a named pipe with no writer", []string{"validate", valid, fifo}, openingFIFO, 300 * time.Millisecond, []syscall.Signal{syscall.SIGINT}, 130,
			"stopping: files not yet checked are left unchecked", valid + ": valid\n", true},
		{"simulating", append([]string{"run", "erlang-c"}, long...), busy, time.Second, []syscall.Signal{syscall.SIGINT}, 130, runStopping, "interrupted", false},
		{"simulating, terminated", append([]string{"run", "erlang-c", "--json"}, long...), busy, time.Second, []syscall.Signal{syscall.SIGTERM}, 143, runStopping, `"partial": true`, false},
		{"simulating a trace's run", append([]string{"run", "erlang-c", "--trace", trace}, long...), busy, time.Second, []syscall.Signal{syscall.SIGINT}, 130,
			runStopping + "; the trace is not written", "interrupted", false},
		{"the sweep loop", []string{"sweep", "erlang-c", "--vary", "agents=10..29", "-r", "100", "--horizon", "13w"}, busy, 2 * time.Second, []syscall.Signal{syscall.SIGINT}, 130,
			"stopping, then writing the points done, the last perhaps partly, marked partial", "interrupted", false},
		// 100,000 agents are sized in half a second on a week: 20 years
		// keep the search busy when the signal comes.
		{"sizing 100,000 agents", []string{"size", "erlang-c", "--min", "99990", "--max", "100000", "--set", "simulation.horizon=1000w"}, busy, time.Second, []syscall.Signal{syscall.SIGINT}, 130,
			"stopping: a sizing cut short writes nothing", "", true},
		{"rostering", []string{"roster", roster}, busy, time.Second, []syscall.Signal{syscall.SIGINT}, 130, "stopping: no roster is written", "", true},
		{"promising", append([]string{"promise", "erlang-c"}, long...), busy, time.Second, []syscall.Signal{syscall.SIGINT}, 130,
			"stopping: nothing is promised on a partial run, and nothing written", "", true},
		{"fitting a named pipe with no writer", []string{"fit", fifo}, openingFIFO, 300 * time.Millisecond, []syscall.Signal{syscall.SIGINT}, 130, "stopping: no scenario is written", "", true},
		// merge went on reading, and wrote the whole report after a
		// first signal.
		{"merging a named pipe with no writer", []string{"merge", fifo}, openingFIFO, 300 * time.Millisecond, []syscall.Signal{syscall.SIGINT}, 130, "stopping: no merged report is written", "", true},
		// Opening a FIFO for writing waits for a reader: only the second
		// signal can stop that. The work is done by then: the first says
		// the report is written whole, not partial.
		{"writing to a named pipe nobody reads", []string{"run", "erlang-c", "-r", "2", "--horizon", "1w", "--report", fifo}, openingFIFO, time.Second, []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, 130, writingWhole, "", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := start(t, tt.args...)
			p.reach(t, tt.stage, tt.wait)
			took, cpu, status := p.signal(t, tt.sigs...)
			t.Logf("stopped %v after the signal, using %v of CPU", took.Round(time.Millisecond), cpu)
			if !stoppedPromptly(took, cpu) {
				t.Errorf("took %v and %v of CPU to stop", took, cpu)
			}
			if status != tt.status {
				t.Errorf("exit status %d, want %d; stderr:\n%s", status, tt.status, p.stderr.String())
			}
			if out := p.stdout.String(); !strings.Contains(out, tt.stdout) || tt.whole && out != tt.stdout {
				t.Errorf("stdout is not %q:\n%.2000s", tt.stdout, out)
			}
			name := "Ctrl-C"
			if tt.sigs[0] == syscall.SIGTERM {
				name = "SIGTERM"
			}
			if says := fmt.Sprintf("slasim: %s: %s (%s again to stop at once)\n", name, tt.says, name); !strings.Contains(p.stderr.String(), says) {
				t.Errorf("stderr does not say %q:\n%s", says, p.stderr.String())
			}
			// slasim roster said 'interrupted: interrupted', slasim size
			// 'interrupted: sizing: interrupted while simulating …:
			// interrupted'.
			if lines := strings.Split(strings.TrimSpace(p.stderr.String()), "\n"); strings.Count(lines[len(lines)-1], "interrupted") > 1 {
				t.Errorf("the last line says interrupted more than once:\n%s", p.stderr.String())
			}
		})
	}
	if _, err := os.Stat(trace); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a trace of an interrupted run was written (%v)", err)
	}
}

// TestOutOfMemory runs slasim with too little memory for what it is asked
// (the largest staffing the limits let through, 125 MB, with 32 MiB to
// spare): the Go runtime's fatal error ends it with SIGABRT, status 134,
// never with status 2, which means bad usage.
func TestOutOfMemory(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc/self/status to limit the address space from:", err)
	}
	var b strings.Builder
	b.WriteString("simulation: {horizon: 1000w, drain: 8w, warm_up: 0d}\nteams:\n")
	for i := range 68 {
		fmt.Fprintf(&b, "- {name: team %d, shifts: [{hours: \"%02d:00-%02d:30\", agents: 1}]}\n", i, i%24, (i+1)%24)
	}
	b.WriteString("arrivals: {volume: 100/day}\ntiers:\n")
	for i := range 64 {
		fmt.Fprintf(&b, "- {name: t%d, rate: 1/day, targets: {response: 1h, resolution: 1d}, handling: {mean: 1h}}\n", i)
	}
	path := filepath.Join(t.TempDir(), "limits.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "validate", path)
	cmd.Env = append(os.Environ(), "SLASIM_AS_MAIN=1", "SLASIM_MEMORY_LEFT=32")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	ws, _ := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if err == nil || !ws.Signaled() || ws.Signal() != syscall.SIGABRT {
		t.Errorf("%v (%v), want SIGABRT; stderr:\n%.3000s", err, ws, stderr.String())
	}
	if !strings.Contains(stderr.String(), "out of memory") {
		t.Errorf("stderr does not say out of memory:\n%.3000s", stderr.String())
	}
}

// Ctrl-C stops slasim serve at once (see stoppedPromptly), a run under way
// included.
func TestServeStopsOnCtrlC(t *testing.T) {
	p := start(t, "serve", "--addr", "127.0.0.1:0")
	var url string
	for deadline := time.Now().Add(10 * time.Second); url == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, u, ok := strings.Cut(p.stderr.String(), "is at "); ok {
			url, _, _ = strings.Cut(u, "/ ")
		}
	}
	if url == "" {
		t.Fatalf("serve did not say where: %s", p.stderr.String())
	}
	// A long run, under way when Ctrl-C comes: it has sent its first
	// progress.
	got, underWay := make(chan string, 1), make(chan struct{})
	go func() {
		b, _ := json.Marshal(map[string]any{"example": "erlang-c", "settings": []deskSetting{{"simulation.replications", "5000"}}})
		req, _ := http.NewRequest("POST", url+"/api/run", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", url)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- err.Error()
			return
		}
		defer resp.Body.Close()
		var last string
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 64<<20)
		for sc.Scan() {
			if last == "" {
				close(underWay)
			}
			last = sc.Text()
		}
		got <- last
	}()
	select {
	case <-underWay:
	case last := <-got:
		t.Fatalf("the run ended before Ctrl-C: %.200q", last)
	}
	took, cpu, status := p.signal(t, syscall.SIGINT)
	if status != 130 || !stoppedPromptly(took, cpu) {
		t.Errorf("exit %d after %v, %v of CPU, want 130 at once; stderr:\n%s", status, took, cpu, p.stderr.String())
	}
	if last := <-got; !strings.Contains(last, `"partial":true`) {
		t.Errorf("the page under way got %.200q, want the partial result", last)
	}
	if !strings.Contains(p.stderr.String(), "slasim: Ctrl-C: stopping the desk; a page's run under way gets what is done, marked partial") || !strings.Contains(p.stderr.String(), "slasim serve: stopped") {
		t.Errorf("stderr: %s", p.stderr.String())
	}
}

// TestShardTerminated: a shard stopped by SIGTERM (a Slurm job preempted,
// a pod evicted) exits 143 and leaves no file, whole or in part.
func TestShardTerminated(t *testing.T) {
	dir := t.TempDir()
	part := filepath.Join(dir, "0.part")
	p := start(t, "run", "erlang-c", "-r", "100000", "--horizon", "52w", "--shard", "0/2", "--partial", part)
	p.reach(t, busy, time.Second)
	if _, _, status := p.signal(t, syscall.SIGTERM); status != 143 {
		t.Errorf("exit status %d, want 143; stderr:\n%s", status, p.stderr.String())
	}
	if !strings.Contains(p.stderr.String(), "slasim: SIGTERM: "+shardStopping) || !strings.Contains(p.stderr.String(), "writes no partial result") {
		t.Errorf("stderr lacks the reason:\n%s", p.stderr.String())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a terminated shard left %v", entries)
	}
}
