package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/slasim/slasim/reports/format"
	"github.com/slasim/slasim/reports/output"
	"github.com/slasim/slasim/scenarios"
)

// version is set at build time with -ldflags "-X main.version=..."; a
// development build reports the module version or "devel".
var version = ""

func slasimVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

const (
	exitOK     = 0
	exitFailed = 1
	exitUsage  = 2
)

// usageError is bad usage or an invalid scenario: exit status 2.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// env is what a command sees of the outside world, so tests can run the
// whole program in-process.
type env struct {
	ctx            context.Context
	stdout, stderr io.Writer
	// interactive tells whether stderr is a terminal, for the progress bar.
	interactive bool
	// width is the width in columns of the terminal standard error is,
	// outWidth of standard output's: 0 when it is not a terminal (and
	// $COLUMNS is not set).
	width, outWidth int
	// stopping is what the command under way does on the first signal
	// (task.stopping), once its flags are read.
	stopping atomic.Pointer[string]
}

// helpWidth is the width to wrap help in: the terminal's, at most 100
// (longer lines read badly), else 80.
func (e *env) helpWidth() int {
	if e.outWidth > 0 {
		return min(e.outWidth, 100)
	}
	return 80
}

// fitted writes what write writes laid out within the terminal's width,
// or 80 columns when standard output is no terminal: the text reports
// printed.
func (e *env) fitted(write func(io.Writer) error) func(io.Writer) error {
	return fitted(write, e.outWidth)
}

// fitted writes what write writes laid out within width columns, 80 when
// width is 0 (format.Fit): text for a terminal, or for a file or page
// read as one.
func fitted(write func(io.Writer) error, width int) func(io.Writer) error {
	if width <= 0 {
		width = 80
	}
	return func(w io.Writer) error {
		var b strings.Builder
		if err := write(&b); err != nil {
			return err
		}
		_, err := io.WriteString(w, format.Fit(b.String(), width))
		return err
	}
}

// columns is the width to draw progress in: the terminal's, else 80.
func (e *env) columns() int {
	if e.width > 0 {
		return e.width
	}
	return 80
}

// terminalWidth is the width of the terminal f is, or $COLUMNS when set,
// else 0.
func terminalWidth(f *os.File) int {
	if n, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
		return w
	}
	return 0
}

func main() {
	// A fatal error of the Go runtime, which no recover catches (out of
	// memory, a panic in a worker goroutine), ends slasim with SIGABRT,
	// status 134, instead of the runtime's status 2, which means bad usage.
	debug.SetTraceback("crash")
	os.Exit(runMain(os.Args[1:]))
}

// runMain runs the command args name until it ends or a signal stops it.
// The first SIGINT (Ctrl-C) or SIGTERM cancels the work, which stops
// within a second and does what the command says it does then (a run
// writes what is done, marked partial; a sizing writes nothing); a second
// one exits at once, removing the temporary files of writes under way. Either
// way the exit status is 128 plus the signal's number: 130 for SIGINT,
// 143 for SIGTERM. A panic, a bug in slasim, exits 1, never 2, which means
// bad usage (see main for those no recover catches).
func runMain(args []string) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	e := &env{ctx: ctx, stdout: os.Stdout, stderr: os.Stderr, interactive: isTerminal(os.Stderr),
		width: terminalWidth(os.Stderr), outWidth: terminalWidth(os.Stdout)}
	done := make(chan int, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				fmt.Fprintf(os.Stderr, "slasim: internal error, a bug in slasim (please report it): %v\n%s", r, debug.Stack())
				done <- exitFailed
			}
		}()
		done <- e.main(args)
	}()
	stopping := false
	for {
		select {
		case code := <-done:
			return code
		case s := <-sigs:
			sig := interruption{s.(syscall.Signal)}
			if stopping {
				output.Abandon()
				fmt.Fprintf(os.Stderr, "\nslasim: %s again: stopped at once\n", sig.name())
				return sig.status()
			}
			stopping = true
			cancel(sig)
			what := "stopping"
			if s := e.stopping.Load(); s != nil {
				what = *s
			}
			fmt.Fprintf(os.Stderr, "\nslasim: %s: %s (%s again to stop at once)\n", sig.name(), what, sig.name())
		}
	}
}

// An interruption is the cause of a context cancelled by a signal.
type interruption struct{ sig syscall.Signal }

func (i interruption) Error() string { return "interrupted" }

// status is the exit status after the signal, as shells report it.
func (i interruption) status() int { return 128 + int(i.sig) }

func (i interruption) name() string {
	if i.sig == syscall.SIGINT {
		return "Ctrl-C"
	}
	return "SIGTERM"
}

// interruptible returns what f returns, or the context's cause as soon as
// it is cancelled: f may be blocked opening or reading a named pipe, and
// nothing it returns is wanted any more. f goes on until the process ends.
func interruptible[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := f()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// A command defines its flags; what the flags and arguments ask for is
// read into the command's options, a task, apart from running it, so that
// parsing is tested without running anything.
type command struct {
	name, summary, usage, examples string
	// flags defines the command's flags on fs and returns the function that
	// reads them, once parsed, and the arguments into the task.
	flags func(fs *pflag.FlagSet) func(args []string) (task, error)
}

// A task is a command's options, parsed and checked: what it will do.
type task interface {
	run(e *env) error
	// stopping says what the task does when a first signal cancels it,
	// as slasim tells the user then: "stopping, then writing ...".
	stopping() string
}

var commands = []command{
	{"run", "simulate a scenario and report SLA attainment", "slasim run [FILE|NAME] [flags]", runExamples, runFlags},
	{"sweep", "run a scenario at each value of one or two settings (what-if)", "slasim sweep [FILE|NAME] --vary PATH=VALUES [--vary PATH=VALUES] [flags]", sweepExamples, sweepFlags},
	{"merge", "join the partial results of shards into the whole run's report", "slasim merge PART|DIR... [flags]", mergeExamples, mergeFlags},
	{"fit", "calibrate a scenario from a ticket export (CSV, plain or gzip)", "slasim fit EXPORT.csv[.gz] [flags]", fitExamples, fitFlags},
	{"size", "find the cheapest staffing that meets every target with confidence", "slasim size [FILE|NAME] [flags]", sizeExamples, sizeFlags},
	{"roster", "give the teams' shifts to named people over weeks, by labour rules", "slasim roster [FILE|NAME] [flags]", rosterExamples, rosterFlags},
	{"promise", "the tightest targets the staffing can promise, and their credits", "slasim promise [FILE|NAME] [flags]", promiseExamples, promiseFlags},
	{"serve", "the planner's desk: a what-if web page on this machine", "slasim serve [--addr HOST:PORT] [flags]", serveExamples, serveFlags},
	{"erlang", "the Erlang C (or A) calculator: service level, ASA, agents needed", "slasim erlang --calls N --aht DURATION --target DURATION [flags]", erlangExamples, erlangFlags},
	{"validate", "check scenario files, reporting every problem", "slasim validate FILE...", validateExamples, validateFlags},
	{"scenarios", "list the embedded example scenarios, or print one", "slasim scenarios [show NAME]", scenariosExamples, scenariosFlags},
	{"version", "print slasim's version", "slasim version", "  slasim version\n", versionFlags},
}

func (e *env) main(args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" && len(args) == 1 {
		e.topUsage(e.stdout)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	name := args[0]
	if name == "help" {
		name, args = args[1], []string{args[1], "--help"}
	}
	for _, c := range commands {
		if c.name != name {
			continue
		}
		fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
		fs.SetOutput(io.Discard)
		fs.SortFlags = false
		parse := c.flags(fs)
		fs.Usage = func() {
			fmt.Fprintf(e.stdout, "%s: %s\n\nUsage:\n  %s\n", c.name, c.summary, c.usage)
			if fs.HasFlags() {
				fmt.Fprintf(e.stdout, "\nFlags:\n%s", fs.FlagUsagesWrapped(e.helpWidth()))
			}
			fmt.Fprintf(e.stdout, "\nExamples:\n%s", c.examples)
		}
		if err := fs.Parse(args[1:]); err != nil {
			if errors.Is(err, pflag.ErrHelp) {
				return exitOK // pflag has printed the usage
			}
			e.say("slasim %s: %v\nRun 'slasim %s --help' for usage.\n", c.name, err, c.name)
			return exitUsage
		}
		t, err := parse(fs.Args())
		if err != nil {
			return e.exit(c.name, err)
		}
		stopping := t.stopping()
		e.stopping.Store(&stopping)
		return e.exit(c.name, t.run(e))
	}
	fmt.Fprintf(e.stderr, "slasim: unknown command %q\n\n", name)
	e.topUsage(e.stderr)
	return exitUsage
}

// say writes a message on standard error. Messages quote names from
// files and flags: what a terminal would act on in them is escaped.
func (e *env) say(f string, args ...any) {
	format.Text(e.stderr, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, f, args...)
		return err
	})
}

func (e *env) exit(cmd string, err error) int {
	if err != nil {
		e.say("slasim %s: %v\n", cmd, err)
	}
	var sig interruption
	switch {
	case errors.As(context.Cause(e.ctx), &sig):
		return sig.status()
	case err == nil:
		return exitOK
	case errors.As(err, new(usageError)):
		return exitUsage
	}
	return exitFailed
}

func (e *env) topUsage(w io.Writer) {
	fmt.Fprintf(w, "slasim simulates a service desk and tells, with confidence intervals,\nwhether its SLA targets are met.\n\nUsage:\n  slasim COMMAND [ARGS] [flags]\n\nCommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'slasim COMMAND --help' for a command's flags and examples.\n\nExit status: 0 success, 1 the run failed, 2 bad usage or an invalid scenario,\n130 interrupted (Ctrl-C), 143 terminated (SIGTERM), 134 crashed (out of memory).\n")
}

// versionTask prints the version.
type versionTask struct{}

func versionFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	return func(args []string) (task, error) {
		if len(args) > 0 {
			return nil, usagef("version takes no arguments")
		}
		return versionTask{}, nil
	}
}

func (versionTask) stopping() string { return "stopping" }

func (versionTask) run(e *env) error {
	_, err := fmt.Fprintf(e.stdout, "slasim %s\n", slasimVersion())
	return err
}

// scenarioArg returns the one scenario a command takes, by default the
// embedded default.
func scenarioArg(cmd string, args []string) (string, error) {
	switch len(args) {
	case 0:
		return "default", nil
	case 1:
		return args[0], nil
	}
	return "", usagef("%s takes one scenario, got %d: %s", cmd, len(args), strings.Join(args, " "))
}

// parseShare reads a share as a fraction (0.005) or a percentage (0.5%).
func parseShare(s string) (float64, error) {
	v, isPct := strings.CutSuffix(strings.TrimSpace(s), "%")
	if isPct {
		f, err := scenarios.ParsePercent(v)
		if err != nil {
			return 0, fmt.Errorf("%q is not a number or percentage", s)
		}
		return f, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("%q is not a number or percentage", s)
	}
	return f, nil
}
