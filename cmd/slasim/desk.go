package main

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/slasim/slasim/internal/shape"
	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/scenarios/sweep"
	"github.com/slasim/slasim/staffing/sizing"
)

// The desk is slasim serve's web page: the scenario as a form, and runs,
// comparisons, sweeps and sizings of it, each the library call the command
// line makes, with the same reports. The page is plain HTML, CSS and
// JavaScript embedded here: nothing to build, nothing fetched from
// elsewhere.
//
//go:embed web
var deskFiles embed.FS

// Limits on a request, documented in docs/limits.md.
const (
	maxDeskSettings   = 1000
	maxDeskPath       = 256
	maxDeskValue      = 4096
	maxDeskFileName   = 255
	maxDeskFormFields = 5000
	maxDeskLadder     = 512
	maxDeskRunID      = 64
	deskCacheSize     = 32
)

type deskOptions struct {
	maxRunTime time.Duration
	jobs       int
	// loopback is set when the desk listens on a loopback address: only
	// requests naming it as their host are then served (a web page
	// elsewhere cannot reach it by a name of its own, DNS rebinding).
	loopback bool
	port     int
}

// A desk serves the page and its API. It keeps no state of any page: each
// request carries the whole of what it asks about, so that tabs do not
// meet. Finished results are kept, by what was asked, for downloads.
type desk struct {
	deskOptions
	// turns holds a token per run allowed at once.
	turns chan struct{}
	cache deskCache
	// running ends a streamed request by the name its page gave it, so
	// that the page's Cancel stops the simulation and still receives what
	// was done.
	mu      sync.Mutex
	running map[string]context.CancelCauseFunc
}

func newDesk(o deskOptions) *desk {
	return &desk{deskOptions: o, turns: make(chan struct{}, o.jobs), cache: deskCache{byKey: map[string]*list.Element{}, order: list.New()},
		running: map[string]context.CancelCauseFunc{}}
}

func (d *desk) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", d.file("index.html"))
	mux.HandleFunc("GET /desk.js", d.file("desk.js"))
	mux.HandleFunc("GET /desk.css", d.file("desk.css"))
	mux.HandleFunc("GET /api/examples", d.examples)
	mux.HandleFunc("POST /api/open", d.open)
	mux.HandleFunc("POST /api/run", d.stream(d.runJob))
	mux.HandleFunc("POST /api/compare", d.stream(d.compareJob))
	mux.HandleFunc("POST /api/sweep", d.stream(d.sweepJob))
	mux.HandleFunc("POST /api/size", d.stream(d.sizeJob))
	mux.HandleFunc("POST /api/promise", d.stream(d.promiseJob))
	mux.HandleFunc("POST /api/download", d.download)
	mux.HandleFunc("POST /api/cancel", d.cancel)
	return d.guard(mux)
}

// guard refuses what a page of another site could send: a request naming
// another host (to a loopback desk), and a POST from another origin or not
// of JSON, which a cross-site form can send without asking. It sets the
// headers that keep the page to itself.
func (d *desk) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cache-Control", "no-store")
		if d.loopback && !d.loopbackHost(r.Host) {
			deskFail(w, http.StatusMisdirectedRequest, fmt.Errorf("this desk answers to 127.0.0.1:%d or localhost:%d, not %q", d.port, d.port, r.Host))
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			if o := r.Header.Get("Origin"); o != "http://"+r.Host {
				deskFail(w, http.StatusForbidden, fmt.Errorf("a request from %q, not from the desk's own page", o))
				return
			}
			if ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";"); strings.TrimSpace(ct) != "application/json" {
				deskFail(w, http.StatusUnsupportedMediaType, errors.New("the desk takes JSON"))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// loopbackHost reports whether host names this desk on the loopback
// interface.
func (d *desk) loopbackHost(host string) bool {
	name, port, err := net.SplitHostPort(host)
	if err != nil || port != strconv.Itoa(d.port) {
		return false
	}
	if name == "localhost" {
		return true
	}
	ip := net.ParseIP(name)
	return ip != nil && ip.IsLoopback()
}

func (d *desk) file(name string) http.HandlerFunc {
	data, err := deskFiles.ReadFile(path.Join("web", name))
	if err != nil {
		panic(err) // embedded at build time
	}
	types := map[string]string{".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", types[path.Ext(name)])
		w.Write(data)
	}
}

// A deskRequest is what the page asks about: a scenario, an embedded
// example or a file's text, with the page's settings, and what each kind
// of request needs besides.
type deskRequest struct {
	Example string `json:"example,omitempty"`
	// File names an uploaded scenario, Text holds it.
	File     string        `json:"file,omitempty"`
	Text     string        `json:"text,omitempty"`
	Settings []deskSetting `json:"settings,omitempty"`
	// Pinned are the settings of the what-if a comparison sets the page's
	// against.
	Pinned []deskSetting `json:"pinned,omitempty"`
	// Vary are a sweep's axes, PATH=VALUES, as --vary takes them.
	Vary []string `json:"vary,omitempty"`
	// Level is the level a sizing asks for, as --level takes it; empty for
	// the scenario's.
	Level string `json:"level,omitempty"`
	// Promise is what a promise asks, as slasim promise's flags take it.
	Promise *deskPromise `json:"promise,omitempty"`
	// Kind is what a download asks for.
	Kind string `json:"kind,omitempty"`
	// Run names a streamed request, for /api/cancel: a random name the
	// page gives it.
	Run string `json:"run,omitempty"`
}

// deskPromise is a promise's question as the page's form has it: each
// value as slasim promise's flag of the same name takes it, empty for its
// default (the level: the scenario's).
type deskPromise struct {
	Period     string `json:"period,omitempty"`
	Share      string `json:"share,omitempty"`
	Confidence string `json:"confidence,omitempty"`
	Level      string `json:"level,omitempty"`
	Ladder     string `json:"ladder,omitempty"`
}

// ask is the promise's question with the command line's defaults.
func (p *deskPromise) ask() promiseAsk {
	or := func(s, def string) string {
		if s = strings.TrimSpace(s); s == "" {
			return def
		}
		return s
	}
	if p == nil {
		p = &deskPromise{}
	}
	d := promiseDefaults
	a := promiseAsk{period: or(p.Period, d.period), share: or(p.Share, d.share), confidence: or(p.Confidence, d.confidence), ladder: or(p.Ladder, d.ladder)}
	if l := strings.TrimSpace(p.Level); l != "" {
		a.level = &l
	}
	return a
}

type deskSetting struct {
	Path  string `json:"path"`
	Value string `json:"value"`
}

// decodeDeskRequest reads a request, checking every limit before the
// scenario is looked at. A key given twice is refused, as in a shard's
// partial result: encoding/json would keep the last value, and the page
// never sends one.
func decodeDeskRequest(r io.Reader) (*deskRequest, error) {
	var q deskRequest
	data, err := io.ReadAll(r)
	if err == nil {
		err = shape.Strict(data, &q)
	}
	if err == nil {
		err = shape.UniqueKeys(data)
	}
	if err != nil {
		return nil, fmt.Errorf("the request is not what the desk takes: %w", err)
	}
	switch {
	case (q.Example == "") == (q.Text == ""):
		return nil, errors.New("give an example or a scenario's text")
	case q.Example != "" && !slices.Contains(scenarios.Names(), q.Example):
		return nil, fmt.Errorf("no embedded example %q; the examples are %s", q.Example, strings.Join(scenarios.Names(), ", "))
	case len(q.File) > maxDeskFileName:
		return nil, fmt.Errorf("a file name of %d bytes, at most %d", len(q.File), maxDeskFileName)
	case len(q.Settings) > maxDeskSettings || len(q.Pinned) > maxDeskSettings:
		return nil, fmt.Errorf("more than %d settings", maxDeskSettings)
	case len(q.Vary) > 2:
		return nil, fmt.Errorf("a sweep varies one or two settings, not %d", len(q.Vary))
	case len(q.Level) > 32 || len(q.Kind) > 32:
		return nil, errors.New("a level or kind of more than 32 bytes")
	case len(q.Run) > maxDeskRunID:
		return nil, fmt.Errorf("a run's name of more than %d bytes", maxDeskRunID)
	case q.Promise != nil && (len(q.Promise.Period) > 32 || len(q.Promise.Share) > 32 || len(q.Promise.Confidence) > 32 || len(q.Promise.Level) > 32 || len(q.Promise.Ladder) > maxDeskLadder):
		return nil, fmt.Errorf("a promise's period, share, confidence or level of more than 32 bytes, or a ladder of more than %d", maxDeskLadder)
	}
	for _, s := range slices.Concat(q.Settings, q.Pinned) {
		if len(s.Path) > maxDeskPath || len(s.Value) > maxDeskValue {
			return nil, fmt.Errorf("a setting of %d and %d bytes: a path has at most %d, a value %d", len(s.Path), len(s.Value), maxDeskPath, maxDeskValue)
		}
	}
	for _, v := range q.Vary {
		if len(v) > maxDeskValue {
			return nil, fmt.Errorf("a --vary of %d bytes, at most %d", len(v), maxDeskValue)
		}
	}
	return &q, nil
}

// readDeskRequest reads the body of r as a deskRequest, at most
// maxRequestBody bytes of it.
func readDeskRequest(w http.ResponseWriter, r *http.Request) (*deskRequest, error) {
	return decodeDeskRequest(http.MaxBytesReader(w, r.Body, maxRequestBody))
}

// scenario opens the request's scenario with the settings applied. An
// uploaded scenario is parsed alone: it may not read files of this machine.
func (q *deskRequest) scenario(settings []deskSetting) (*scenarios.Scenario, error) {
	var sc *scenarios.Scenario
	var err error
	if q.Example != "" {
		sc, err = scenarios.Embedded(q.Example)
	} else {
		sc, err = scenarios.ParseAlone(q.fileName(), []byte(q.Text))
	}
	if err != nil || len(settings) == 0 {
		return sc, err
	}
	all := make([]scenarios.Setting, len(settings))
	for i, s := range settings {
		all[i] = scenarios.Setting{Path: strings.TrimSpace(s.Path), Value: strings.TrimSpace(s.Value)}
	}
	v, err := sc.With(all...)
	if err == nil || errors.As(err, new(*scenarios.SettingsError)) {
		return v, err
	}
	// A setting the text cannot take: name it.
	text := sc.Text()
	for _, s := range all {
		if text, err = scenarios.Set(text, s.Path, s.Value); err != nil {
			return nil, &scenarios.SettingsError{Problems: []scenarios.Diagnostic{{Path: s.Path, Reason: err.Error()}}}
		}
	}
	return nil, err
}

// fileName is the uploaded file's name as messages give it: its base name,
// without anything that would make it a path.
func (q *deskRequest) fileName() string {
	name := path.Base(strings.ReplaceAll(q.File, "\\", "/"))
	if name == "." || name == "/" || name == "" {
		return "scenario.yaml"
	}
	return name
}

// key identifies what the request asks about, whatever it asks for: the
// same key gives the same results, byte for byte.
func (q *deskRequest) key(op string) string {
	k := *q
	k.Kind, k.Run = "", ""
	b, _ := json.Marshal(k)
	return fmt.Sprintf("%s %x", op, sha256.Sum256(b))
}

// A deskError is a failure as the page shows it: a message, and each
// problem at the field it is about.
type deskError struct {
	Message  string        `json:"message"`
	Problems []deskProblem `json:"problems,omitempty"`
}

type deskProblem struct {
	Path   string `json:"path,omitempty"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

func problemsOf(err error) *deskError {
	e := &deskError{Message: err.Error()}
	var ve *scenarios.ValidationError
	var se *scenarios.SettingsError
	var ds []scenarios.Diagnostic
	var message string
	switch {
	case errors.As(err, &ve):
		ds, message = ve.Problems, "the scenario has problems: see each field"
	case errors.As(err, &se):
		// A form's values: the scenario's settings, a sweep's axes or a
		// promise's question, each shown under its field.
		ds, message = se.Problems, "the form has problems: see each field"
	}
	for _, p := range ds {
		e.Problems = append(e.Problems, deskProblem{Path: p.Path, Line: p.Line, Reason: p.Reason})
	}
	if len(ds) > 0 {
		e.Message = message
	}
	return e
}

func deskFail(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]*deskError{"error": problemsOf(err)})
}

func deskJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// examples lists the embedded examples.
func (d *desk) examples(w http.ResponseWriter, r *http.Request) {
	type example struct {
		Name        string `json:"name"`
		Description string `json:"description"`
	}
	var list []example
	for _, name := range scenarios.Names() {
		list = append(list, example{name, scenarios.Describe(name)})
	}
	deskJSON(w, map[string]any{"examples": list, "version": slasimVersion()})
}

// A formField is one value of the scenario's text, as the page's form
// shows it.
type formField struct {
	Path  string `json:"path"`
	Value string `json:"value"`
	Line  int    `json:"line"`
	// Note is the value's comment in the file.
	Note string `json:"note,omitempty"`
}

// open reads the scenario and returns it as a form: its fields, in the
// order of its text, and its warnings.
func (d *desk) open(w http.ResponseWriter, r *http.Request) {
	q, err := readDeskRequest(w, r)
	if err != nil {
		deskFail(w, http.StatusBadRequest, err)
		return
	}
	sc, err := q.scenario(q.Settings)
	if err != nil {
		deskFail(w, http.StatusUnprocessableEntity, err)
		return
	}
	fields, err := formFields(sc.Text())
	if err != nil {
		deskFail(w, http.StatusUnprocessableEntity, err)
		return
	}
	var warnings []deskProblem
	for _, p := range sc.Warnings {
		warnings = append(warnings, deskProblem{Path: p.Path, Line: p.Line, Reason: p.Reason})
	}
	deskJSON(w, map[string]any{
		"name": sc.Name, "description": sc.Description, "source": sc.Source(),
		"text": string(sc.Text()), "fields": fields, "warnings": warnings,
	})
}

// A job is what a streamed request does: it tells progress as it goes and
// returns its result, or the error to show.
type job func(ctx context.Context, q *deskRequest, progress func(any)) (any, error)

// stream runs a job for a request, one job per turn, within the run-time
// limit, writing a JSON line for each progress report (at most ten a
// second), then one with the result or the error. Cancelling the request
// (the page's Cancel, a closed tab) stops the job: a line says why before
// the result of what was done, or ends the stream, marked began when the
// job had its turn but nothing to show.
func (d *desk) stream(j job) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := readDeskRequest(w, r)
		if err != nil {
			deskFail(w, http.StatusBadRequest, err)
			return
		}
		ctx, cancel := context.WithCancelCause(r.Context())
		defer cancel(nil)
		if q.Run != "" {
			// A name already in use is refused: taken over, its
			// request could no longer be cancelled, and the first to
			// end would forget the other's.
			d.mu.Lock()
			_, taken := d.running[q.Run]
			if !taken {
				d.running[q.Run] = cancel
			}
			d.mu.Unlock()
			if taken {
				deskFail(w, http.StatusConflict, fmt.Errorf("a request named %q is under way: a page names each of its requests afresh", q.Run))
				return
			}
			defer func() {
				d.mu.Lock()
				delete(d.running, q.Run)
				d.mu.Unlock()
			}()
		}
		w.Header().Set("Content-Type", "application/x-ndjson")
		flusher, _ := w.(http.Flusher)
		var mu sync.Mutex
		enc := json.NewEncoder(w)
		var last time.Time
		send := func(v any, always bool) {
			mu.Lock()
			defer mu.Unlock()
			if !always && time.Since(last) < 100*time.Millisecond {
				return
			}
			last = time.Now()
			enc.Encode(v)
			if flusher != nil {
				flusher.Flush()
			}
		}
		select {
		case d.turns <- struct{}{}:
		default:
			send(map[string]any{"waiting": true}, true)
			select {
			case d.turns <- struct{}{}:
			case <-ctx.Done():
				send(map[string]any{"stopped": context.Cause(ctx).Error()}, true)
				return
			}
		}
		defer func() { <-d.turns }()
		ctx, cancelTimeout := context.WithTimeoutCause(ctx, d.maxRunTime, fmt.Errorf("stopped after %s, the desk's limit on a run (slasim serve --max-run-time)", scenarios.FormatDuration(d.maxRunTime)))
		defer cancelTimeout()
		res, err := j(ctx, q, func(v any) { send(map[string]any{"progress": v}, false) })
		if ctx.Err() != nil {
			stopped := map[string]any{"stopped": context.Cause(ctx).Error()}
			if err != nil {
				// A sizing or a promise, which has nothing to show
				// until it ends: its error only restates the stop.
				stopped["began"] = true
				send(stopped, true)
				return
			}
			send(stopped, true)
		}
		if err != nil {
			send(map[string]any{"error": problemsOf(err)}, true)
			return
		}
		send(map[string]any{"result": res}, true)
	}
}

// errCancelled is why a request the page cancelled stopped.
var errCancelled = errors.New("cancelled")

// cancel stops the streamed request the page names: its stream then ends
// with what was done, marked stopped. 404 when no such request runs (it
// has ended, or has not reached the desk): the page then stops reading.
func (d *desk) cancel(w http.ResponseWriter, r *http.Request) {
	var q struct {
		Run string `json:"run"`
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<10))
	if err == nil {
		err = shape.Strict(data, &q)
	}
	if err != nil {
		deskFail(w, http.StatusBadRequest, fmt.Errorf("the request is not what the desk takes: %w", err))
		return
	}
	d.mu.Lock()
	stop, ok := d.running[q.Run]
	d.mu.Unlock()
	if !ok {
		deskFail(w, http.StatusNotFound, errors.New("no such request runs"))
		return
	}
	stop(errCancelled)
	w.WriteHeader(http.StatusNoContent)
}

// deskFigure is a figure of a report, inline.
type deskFigure struct {
	Name    string `json:"name"`
	Title   string `json:"title"`
	Caption string `json:"caption"`
	SVG     string `json:"svg"`
}

func inlineFigures(figures func() ([]*reports.Figure, error)) ([]deskFigure, error) {
	figs, err := figures()
	if err != nil {
		return nil, err
	}
	out := make([]deskFigure, 0, len(figs))
	for _, f := range figs {
		svg, err := f.Inline()
		if err != nil {
			return nil, err
		}
		out = append(out, deskFigure{f.Name, f.Title, f.Caption, string(svg)})
	}
	return out, nil
}

// reportGrace is how long the closed form of a report may still take once
// its run has stopped (the page's Cancel, the run-time limit, the page
// gone). At the scenarios' limits it takes a quarter of a second (an
// M/M/c/K of 100,000 agents); a sweep has one a point, all within the
// same grace.
const reportGrace = 2 * time.Second

// reportContext is the context a report is built on once its work is done,
// or stopped with what was done kept: a stop does not drop the closed form
// from the figures, as it would if it reached it at once, but ends it
// reportGrace later, so that the turn is soon free. done releases it.
func reportContext(ctx context.Context) (rctx context.Context, done func()) {
	rctx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		select {
		case <-time.After(reportGrace):
			cancel(fmt.Errorf("the run was stopped, and the closed form took longer than the %s it then has", scenarios.FormatDuration(reportGrace)))
		case <-rctx.Done():
		}
	})
	return rctx, func() {
		stop()
		cancel(nil)
	}
}

// runReport runs the request's scenario with the given settings, or takes
// the report from the cache.
func (d *desk) runReport(ctx context.Context, q *deskRequest, settings []deskSetting, byReplication bool, progress func(any)) (*reports.Report, error) {
	k := *q
	k.Settings, k.Pinned, k.Vary, k.Level = settings, nil, nil, ""
	key := k.key(fmt.Sprintf("run%v", byReplication))
	if r, ok, err := kept[*reports.Report](ctx, &d.cache, key); ok || err != nil {
		return r, err
	}
	sc, err := q.scenario(settings)
	if err != nil {
		return nil, err
	}
	run, err := sc.Run(ctx, scenarios.RunSettings{ByReplication: byReplication, Progress: func(done, planned int) {
		progress(map[string]int{"done": done, "planned": planned})
	}})
	if err != nil {
		return nil, err
	}
	rctx, done := reportContext(ctx)
	defer done()
	rep := runReport(rctx, sc, run)
	if !run.Result.Partial {
		d.cache.put(key, rep)
	}
	return rep, nil
}

// runResult is what the page shows of a run.
type runResult struct {
	Report   *reports.Report `json:"report"`
	Figures  []deskFigure    `json:"figures"`
	Analytic string          `json:"no_closed_form,omitempty"`
	// Unstable is why an unstable run has no figures, as the report says
	// it: the report's load and capacity are the desk's, not those of the
	// tiers or the automation that overflow.
	Unstable string `json:"unstable,omitempty"`
}

func (d *desk) runJob(ctx context.Context, q *deskRequest, progress func(any)) (any, error) {
	rep, err := d.runReport(ctx, q, q.Settings, false, progress)
	if err != nil {
		return nil, err
	}
	figs, err := inlineFigures(rep.Figures)
	if err != nil {
		return nil, err
	}
	return &runResult{Report: rep, Figures: figs, Analytic: rep.NoClosedForm(), Unstable: rep.UnstableNote()}, nil
}

// compareResult sets the pinned what-if (A) beside the page's (B).
type compareResult struct {
	A          *reports.Report     `json:"a"`
	B          *reports.Report     `json:"b"`
	Comparison *reports.Comparison `json:"comparison"`
	// SameSeed is false when the what-ifs' seeds differ: their difference
	// then has noise of its own.
	SameSeed bool `json:"same_seed"`
}

func (d *desk) compareJob(ctx context.Context, q *deskRequest, progress func(any)) (any, error) {
	var reps [2]*reports.Report
	for i, settings := range [][]deskSetting{q.Pinned, q.Settings} {
		what := "AB"[i : i+1]
		rep, err := d.runReport(ctx, q, settings, true, func(v any) { progress(map[string]any{"what": what, "run": v}) })
		if err != nil {
			return nil, fmt.Errorf("what-if %s: %w", what, err)
		}
		reps[i] = rep
		if ctx.Err() != nil {
			break
		}
	}
	if reps[1] == nil {
		return &compareResult{A: reps[0]}, nil
	}
	return &compareResult{A: reps[0], B: reps[1], Comparison: reports.Compare(reps[0], reps[1]), SameSeed: reps[0].Seed == reps[1].Seed}, nil
}

// sweepReport runs the request's sweep, or takes its report from the
// cache.
func (d *desk) sweepReport(ctx context.Context, q *deskRequest, progress func(any)) (*reports.Sweep, error) {
	k := *q
	k.Pinned, k.Level = nil, ""
	key := k.key("sweep")
	if r, ok, err := kept[*reports.Sweep](ctx, &d.cache, key); ok || err != nil {
		return r, err
	}
	if len(q.Vary) == 0 {
		return nil, errors.New("a sweep needs one or two settings to vary, such as arrivals.scale=0.8..1.2:0.1")
	}
	var axes []sweep.Axis
	for _, v := range q.Vary {
		a, err := sweep.ParseAxis(v)
		if err != nil {
			return nil, &scenarios.SettingsError{Problems: []scenarios.Diagnostic{{Path: "vary", Reason: fmt.Sprintf("%s: %v", v, err)}}}
		}
		axes = append(axes, a)
	}
	sc, err := q.scenario(q.Settings)
	if err != nil {
		return nil, err
	}
	points, err := sweep.Points(sc, axes)
	if err != nil {
		return nil, err
	}
	base, opts, err := sc.Prepare(scenarios.RunSettings{})
	if err != nil {
		return nil, err
	}
	results, err := sweep.Run(ctx, points, scenarios.RunSettings{}, func(point, done, planned int) {
		progress(map[string]any{"point": point + 1, "points": len(points), "label": sweep.Label(points[point].Settings), "done": done, "planned": planned})
	})
	if err != nil {
		return nil, err
	}
	rctx, done := reportContext(ctx)
	defer done()
	sw := sweepReport(rctx, sc, axes, base, opts.Seed, len(points), results)
	if !sw.Partial {
		d.cache.put(key, sw)
	}
	return sw, nil
}

func (d *desk) sweepJob(ctx context.Context, q *deskRequest, progress func(any)) (any, error) {
	sw, err := d.sweepReport(ctx, q, progress)
	if err != nil {
		return nil, err
	}
	figs, err := inlineFigures(sw.Figures)
	if err != nil {
		return nil, err
	}
	return map[string]any{"sweep": sw, "figures": figs}, nil
}

// sizeOutcome is a sizing's report and the scenario with its head counts.
type sizeOutcome struct {
	doc   *reports.Sizing
	sized []byte
}

// sizeReport sizes the request's scenario at its level, or takes the
// sizing from the cache.
func (d *desk) sizeReport(ctx context.Context, q *deskRequest, progress func(any)) (*sizeOutcome, error) {
	k := *q
	k.Pinned, k.Vary = nil, nil
	key := k.key("size")
	if r, ok, err := kept[*sizeOutcome](ctx, &d.cache, key); ok || err != nil {
		return r, err
	}
	settings := q.Settings
	if q.Level != "" {
		settings = append(slices.Clone(settings), deskSetting{Path: "sizing.level", Value: q.Level})
	}
	sc, err := q.scenario(settings)
	if err != nil {
		return nil, err
	}
	n := 0
	o := sizing.Options{Replications: 10, MaxReplications: 80, Seed: sc.Simulation.Seed, Progress: func(ev *sizing.Evaluation) {
		n++
		progress(map[string]any{"simulations": n, "agents": ev.Agents})
	}}
	doc, res, err := sizeScenario(ctx, sc, o)
	if err != nil {
		return nil, err
	}
	sized, err := sc.Sized(res)
	if err != nil {
		return nil, err
	}
	out := &sizeOutcome{doc, sized}
	if ctx.Err() == nil {
		d.cache.put(key, out)
	}
	return out, nil
}

func (d *desk) sizeJob(ctx context.Context, q *deskRequest, progress func(any)) (any, error) {
	out, err := d.sizeReport(ctx, q, progress)
	if err != nil {
		return nil, err
	}
	var text bytes.Buffer
	if err := fitted(out.doc.WriteText, 0)(&text); err != nil {
		return nil, err
	}
	return map[string]any{"sizing": out.doc, "text": text.String(), "sized": string(out.sized)}, nil
}

// promiseReport finds what the request's scenario can promise, or takes
// the report from the cache.
func (d *desk) promiseReport(ctx context.Context, q *deskRequest, progress func(any)) (*reports.Promise, error) {
	k := *q
	k.Pinned, k.Vary, k.Level = nil, nil, ""
	key := k.key("promise")
	if r, ok, err := kept[*reports.Promise](ctx, &d.cache, key); ok || err != nil {
		return r, err
	}
	question, level, err := q.Promise.ask().read()
	if err != nil {
		// On the form's field, named as the flag is.
		path := "promise"
		if ae := (*askError)(nil); errors.As(err, &ae) {
			path += "." + ae.flag
		}
		return nil, &scenarios.SettingsError{Problems: []scenarios.Diagnostic{{Path: path, Reason: err.Error()}}}
	}
	sc, err := q.scenario(q.Settings)
	if err != nil {
		return nil, err
	}
	doc, err := promiseScenario(ctx, sc, question, level, scenarios.RunSettings{Progress: func(done, planned int) {
		progress(map[string]int{"done": done, "planned": planned})
	}})
	if err != nil {
		return nil, err
	}
	d.cache.put(key, doc)
	return doc, nil
}

func (d *desk) promiseJob(ctx context.Context, q *deskRequest, progress func(any)) (any, error) {
	doc, err := d.promiseReport(ctx, q, progress)
	if err != nil {
		return nil, err
	}
	var text bytes.Buffer
	if err := fitted(doc.WriteText, 0)(&text); err != nil {
		return nil, err
	}
	return map[string]any{"promise": doc, "text": text.String()}, nil
}

// downloads are the files the page offers, by kind: each what the command
// line writes for the same scenario and settings.
var downloads = map[string]struct {
	name, contentType string
}{
	"scenario.yaml":   {"scenario.yaml", "application/yaml"},
	"report.json":     {"report.json", "application/json"},
	"report.html":     {"report.html", "text/html; charset=utf-8"},
	"sweep.json":      {"sweep.json", "application/json"},
	"sweep.html":      {"sweep.html", "text/html; charset=utf-8"},
	"sizing.json":     {"sizing.json", "application/json"},
	"sizing.txt":      {"sizing.txt", "text/plain; charset=utf-8"},
	"sized.yaml":      {"sized.yaml", "application/yaml"},
	"comparison.json": {"comparison.json", "application/json"},
	"promise.txt":     {"promise.txt", "text/plain; charset=utf-8"},
	"promise.json":    {"promise.json", "application/json"},
	"promise.html":    {"promise.html", "text/html; charset=utf-8"},
}

// download writes a file of the page's state: a run, sweep or sizing is
// taken from the cache when the page has just shown it, else run again
// (the same request gives the same result, byte for byte).
func (d *desk) download(w http.ResponseWriter, r *http.Request) {
	q, err := readDeskRequest(w, r)
	if err != nil {
		deskFail(w, http.StatusBadRequest, err)
		return
	}
	dl, ok := downloads[q.Kind]
	if !ok {
		deskFail(w, http.StatusBadRequest, fmt.Errorf("no download %q", q.Kind))
		return
	}
	// What the desk keeps (the page has just shown it), or what simulates
	// nothing (the scenario's text), is written at once; only what must
	// run waits for a turn, behind runs of any length.
	ctx := r.Context()
	var b bytes.Buffer
	err = d.write(keptOnly(ctx), q, &b)
	if errors.Is(err, errNotKept) {
		select {
		case d.turns <- struct{}{}:
			defer func() { <-d.turns }()
		case <-ctx.Done():
			return
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d.maxRunTime)
		defer cancel()
		b.Reset()
		err = d.write(ctx, q, &b)
	}
	if err != nil {
		deskFail(w, http.StatusUnprocessableEntity, err)
		return
	}
	if ctx.Err() != nil {
		deskFail(w, http.StatusServiceUnavailable, fmt.Errorf("stopped after %s, the desk's limit on a run", scenarios.FormatDuration(d.maxRunTime)))
		return
	}
	base := strings.TrimSuffix(q.fileName(), ".yaml")
	if q.Example != "" {
		base = q.Example
	}
	w.Header().Set("Content-Type", dl.contentType)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", base+"-"+dl.name))
	w.Write(b.Bytes())
}

func (d *desk) write(ctx context.Context, q *deskRequest, w io.Writer) error {
	none := func(any) {}
	switch q.Kind {
	case "scenario.yaml":
		sc, err := q.scenario(q.Settings)
		if err != nil {
			return err
		}
		_, err = w.Write(sc.Text())
		return err
	case "report.json", "report.html":
		rep, err := d.runReport(ctx, q, q.Settings, false, none)
		if err != nil {
			return err
		}
		if q.Kind == "report.json" {
			return rep.WriteJSON(w)
		}
		return rep.WriteHTML(w)
	case "sweep.json", "sweep.html":
		sw, err := d.sweepReport(ctx, q, none)
		if err != nil {
			return err
		}
		if q.Kind == "sweep.json" {
			return sw.WriteJSON(w)
		}
		return sw.WriteHTML(w)
	case "sizing.json", "sizing.txt", "sized.yaml":
		out, err := d.sizeReport(ctx, q, none)
		switch {
		case err != nil:
			return err
		case q.Kind == "sizing.json":
			return out.doc.WriteJSON(w)
		case q.Kind == "sizing.txt":
			return fitted(out.doc.WriteText, 0)(w)
		}
		_, err = w.Write(out.sized)
		return err
	case "promise.txt", "promise.json", "promise.html":
		doc, err := d.promiseReport(ctx, q, none)
		switch {
		case err != nil:
			return err
		case q.Kind == "promise.json":
			return doc.WriteJSON(w)
		case q.Kind == "promise.html":
			return doc.WriteHTML(w)
		}
		return fitted(doc.WriteText, 0)(w)
	case "comparison.json":
		res, err := d.compareJob(ctx, q, none)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	return fmt.Errorf("no download %q", q.Kind)
}

// errNotKept is why a report asked for under keptOnly is not given.
var errNotKept = errors.New("not among the results the desk keeps")

type keptOnlyKey struct{}

// keptOnly is ctx for a request that takes only the results the desk
// keeps: a report that would have to run fails with errNotKept instead,
// before anything is simulated.
func keptOnly(ctx context.Context) context.Context {
	return context.WithValue(ctx, keptOnlyKey{}, true)
}

// kept returns the result the desk keeps under key, and whether it keeps
// one; errNotKept when it keeps none and ctx takes kept results only.
func kept[T any](ctx context.Context, c *deskCache, key string) (v T, ok bool, err error) {
	if r, ok := c.get(key); ok {
		return r.(T), true, nil
	}
	if ctx.Value(keptOnlyKey{}) != nil {
		return v, false, errNotKept
	}
	return v, false, nil
}

// deskCache keeps the last finished results, by request key.
type deskCache struct {
	mu    sync.Mutex
	byKey map[string]*list.Element
	order *list.List // of deskCacheEntry, most recent first
}

type deskCacheEntry struct {
	key   string
	value any
}

func (c *deskCache) get(key string) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(deskCacheEntry).value, true
}

func (c *deskCache) put(key string, v any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		return
	}
	c.byKey[key] = c.order.PushFront(deskCacheEntry{key, v})
	if c.order.Len() > deskCacheSize {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(deskCacheEntry).key)
	}
}

// formFields lists the values of a scenario's text, each with its path as
// settings name it (tiers[0].targets.response, arrivals.profile.by_hour[3]),
// in the order of the text. Aliases are read through.
func formFields(text []byte) ([]formField, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(text, &doc); err != nil {
		return nil, err
	}
	var fields []formField
	var walk func(n *yaml.Node, path string, depth int) error
	walk = func(n *yaml.Node, path string, depth int) error {
		for n.Kind == yaml.AliasNode && n.Alias != nil && depth < 100 {
			n, depth = n.Alias, depth+1
		}
		switch {
		case depth >= 100:
			return errors.New("the scenario nests too deep for a form")
		case len(fields) > maxDeskFormFields:
			return fmt.Errorf("the scenario has more than %d values, too many for a form: edit its text", maxDeskFormFields)
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				if err := walk(c, path, depth+1); err != nil {
					return err
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				key := n.Content[i].Value
				if path != "" {
					key = path + "." + key
				}
				if err := walk(n.Content[i+1], key, depth+1); err != nil {
					return err
				}
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				if err := walk(c, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
					return err
				}
			}
		case yaml.ScalarNode:
			note := strings.TrimSpace(strings.TrimPrefix(n.LineComment, "#"))
			fields = append(fields, formField{Path: path, Value: n.Value, Line: n.Line, Note: note})
		}
		return nil
	}
	if err := walk(&doc, "", 0); err != nil {
		return nil, err
	}
	return fields, nil
}
