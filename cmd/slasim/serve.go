package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/spf13/pflag"
)

const serveExamples = `  # The desk at http://127.0.0.1:7777/, for this machine only
  slasim serve
  # On a free port, printed when it starts
  slasim serve --addr 127.0.0.1:0
  # Stop any run of the page after two minutes
  slasim serve --max-run-time 2m
`

// Limits of the desk, documented in docs/limits.md.
const (
	defaultServeAddr = "127.0.0.1:7777"
	// maxRequestBody bounds a request: a scenario (1 MiB, as a file) and
	// its settings, as JSON.
	maxRequestBody = 3 << 20
	// shutdownGrace is how long Ctrl-C lets requests under way finish.
	shutdownGrace = 5 * time.Second
)

// serveTask is slasim serve: the planner's desk, a what-if web page.
type serveTask struct {
	addr       string
	maxRunTime time.Duration
	jobs       int
}

func serveFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	t := &serveTask{}
	fs.StringVar(&t.addr, "addr", defaultServeAddr, "the `HOST:PORT` to listen on; anything but a loopback address lets other machines use the desk (and run simulations on this one)")
	fs.DurationVar(&t.maxRunTime, "max-run-time", 10*time.Minute, "the longest a run, sweep, sizing or comparison of the page may take before it is stopped and shown as partial")
	fs.IntVar(&t.jobs, "jobs", 1, "runs simulated at once, each on every CPU; the pages' other runs wait their turn")
	return func(args []string) (task, error) {
		if len(args) > 0 {
			return nil, usagef("serve takes no arguments, got %q", args)
		}
		if _, _, err := net.SplitHostPort(t.addr); err != nil {
			return nil, usagef("--addr must be HOST:PORT, such as 127.0.0.1:7777: %v", err)
		}
		if t.maxRunTime <= 0 {
			return nil, usagef("--max-run-time must be > 0, got %v", t.maxRunTime)
		}
		if t.jobs < 1 || t.jobs > 64 {
			return nil, usagef("--jobs must be from 1 to 64, got %d", t.jobs)
		}
		return t, nil
	}
}

func (t *serveTask) stopping() string {
	return "stopping the desk; a page's run under way gets what is done, marked partial"
}

func (t *serveTask) run(e *env) error {
	ln, err := net.Listen("tcp", t.addr)
	if err != nil {
		return usagef("--addr %s: %v", t.addr, err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	if !addr.IP.IsLoopback() {
		fmt.Fprintf(e.stderr, "warning: --addr %s is not a loopback address: anyone who can reach this machine can use the desk and run simulations on it\n", t.addr)
	}
	d := newDesk(deskOptions{maxRunTime: t.maxRunTime, jobs: t.jobs, loopback: addr.IP.IsLoopback(), port: addr.Port})
	srv := &http.Server{
		Handler:           d.handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		// No WriteTimeout: results stream for as long as a run may take,
		// which --max-run-time bounds.
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		BaseContext:    func(net.Listener) context.Context { return e.ctx },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(e.stderr, "slasim serve: the planner's desk is at http://%s/ (Ctrl-C stops it)\n", deskHost(addr))
	select {
	case err := <-served:
		return err
	case <-e.ctx.Done():
	}
	// Runs under way see the cancelled context and stop; give their
	// pages a moment to receive what was done.
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	fmt.Fprintf(e.stderr, "slasim serve: stopped\n")
	return nil
}

// deskHost is the host and port to show for the listening address: a name
// a browser opens, localhost's numeric form for a wildcard address.
func deskHost(addr *net.TCPAddr) string {
	if addr.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", fmt.Sprint(addr.Port))
	}
	return addr.String()
}
