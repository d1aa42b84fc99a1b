package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slasim/slasim/reports"
)

// post sends a JSON request to the desk as its page does, and returns the
// response's status and body.
func post(t *testing.T, url, path string, body any) (int, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(pageRequest(t, t.Context(), url, path, body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, out
}

// pageRequest is a JSON request to the desk as its page sends it.
func pageRequest(t *testing.T, ctx context.Context, url, path string, body any) *http.Request {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequestWithContext(ctx, "POST", url+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", url)
	return req
}

// streamed posts to a streamed endpoint and returns its last line, decoded
// into v, and how many progress lines came before it.
func streamed(t *testing.T, url, path string, body, v any) (progress int) {
	t.Helper()
	code, out := post(t, url, path, body)
	if code != http.StatusOK {
		t.Fatalf("%s: status %d: %s", path, code, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for _, l := range lines[:len(lines)-1] {
		if strings.HasPrefix(l, `{"progress"`) {
			progress++
		}
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), v); err != nil {
		t.Fatalf("%s: %v: %s", path, err, lines[len(lines)-1])
	}
	return progress
}

// streamLines starts a streamed request and returns its lines as they
// come.
func streamLines(t *testing.T, url, path string, body any) *bufio.Scanner {
	t.Helper()
	resp, err := http.DefaultClient.Do(pageRequest(t, t.Context(), url, path, body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	lines := bufio.NewScanner(resp.Body)
	lines.Buffer(nil, 16<<20)
	return lines
}

// underWay is streamLines once the first line, its progress, has come:
// the request runs on the desk.
func underWay(t *testing.T, url, path string, body any) *bufio.Scanner {
	t.Helper()
	lines := streamLines(t, url, path, body)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), `{"progress"`) {
		t.Fatalf("%s: the first line %q, want its progress", path, lines.Text())
	}
	return lines
}

// cancelRun stops the request the page named run, as its Cancel does.
func cancelRun(t *testing.T, url, run string) {
	t.Helper()
	if code, out := post(t, url, "/api/cancel", map[string]string{"run": run}); code != http.StatusNoContent {
		t.Fatalf("cancel %s: %d %s", run, code, out)
	}
}

// The page's downloads are what the command line writes for the same
// scenario and settings, byte for byte: the scenario, the JSON result and
// the HTML report of a run; a sweep's; a sizing's.
func TestDeskDownloadsAreTheCommandLines(t *testing.T) {
	url := startDesk(t, deskOptions{})
	dir := t.TempDir()
	settings := []deskSetting{{"simulation.horizon", "1w"}, {"simulation.replications", "4"}, {"teams[0].shifts[0].agents", "9"}}

	// The scenario as the page has it, then the command line on it.
	code, yaml := post(t, url, "/api/download", map[string]any{"example": "default", "settings": settings, "kind": "scenario.yaml"})
	if code != http.StatusOK {
		t.Fatalf("scenario.yaml: %d %s", code, yaml)
	}
	file := filepath.Join(dir, "desk.yaml")
	if err := os.WriteFile(file, yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	report := filepath.Join(dir, "report.html")
	if code, _, errs := slasim(t, context.Background(), "run", file, "--out", dir, "--report", report); code != exitOK {
		t.Fatalf("slasim run: %s", errs)
	}
	for _, c := range []struct{ kind, file string }{{"report.json", "report.json"}, {"report.html", "report.html"}} {
		// The page runs the example with settings; the command line, the
		// file it downloaded: their reports differ only in the source named.
		code, got := post(t, url, "/api/download", map[string]any{"example": "default", "settings": settings, "kind": c.kind})
		if code != http.StatusOK {
			t.Fatalf("%s: %d %s", c.kind, code, got)
		}
		want, err := os.ReadFile(filepath.Join(dir, c.file))
		if err != nil {
			t.Fatal(err)
		}
		want = bytes.ReplaceAll(want, []byte(file), []byte("embedded default"))
		if !bytes.Equal(got, want) {
			t.Errorf("%s from the page differs from slasim run's", c.kind)
		}
	}

	// A sweep, and a sizing, of the scenario file uploaded.
	sweepDir := filepath.Join(dir, "sweep")
	if err := os.Mkdir(sweepDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := slasim(t, context.Background(), "sweep", file, "--vary", "arrivals.scale=1,1.2", "--out", sweepDir, "--report", filepath.Join(sweepDir, "sweep.html")); code != exitOK {
		t.Fatalf("slasim sweep: %s", errs)
	}
	for _, kind := range []string{"sweep.json", "sweep.html"} {
		q := map[string]any{"file": "desk.yaml", "text": string(yaml), "vary": []string{"arrivals.scale=1,1.2"}, "kind": kind}
		code, got := post(t, url, "/api/download", q)
		want, _ := os.ReadFile(filepath.Join(sweepDir, kind))
		if code != http.StatusOK || !bytes.Equal(got, bytes.ReplaceAll(want, []byte(file), []byte("desk.yaml"))) {
			t.Errorf("%s from the page differs from slasim sweep's (status %d)", kind, code)
		}
	}
	sizeDir := filepath.Join(dir, "size")
	if err := os.Mkdir(sizeDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := slasim(t, context.Background(), "size", file, "--level", "90%", "--out", sizeDir, "--write", filepath.Join(sizeDir, "sized.yaml")); code != exitOK && code != exitFailed {
		t.Fatalf("slasim size: %s", errs)
	}
	for _, kind := range []string{"sizing.json", "sizing.txt", "sized.yaml"} {
		q := map[string]any{"file": "desk.yaml", "text": string(yaml), "level": "90%", "kind": kind}
		code, got := post(t, url, "/api/download", q)
		want, _ := os.ReadFile(filepath.Join(sizeDir, kind))
		want = bytes.ReplaceAll(want, []byte(file), []byte("desk.yaml"))
		if kind == "sizing.txt" {
			// Laid out for 80 columns: the file's longer name wraps
			// its line elsewhere.
			got, want = []byte(words(string(got))), []byte(words(string(want)))
		}
		if code != http.StatusOK || !bytes.Equal(got, want) {
			t.Errorf("%s from the page differs from slasim size's (status %d)", kind, code)
		}
	}
}

// A promise from the page is slasim promise's on the same file and
// question, byte for byte: its text, JSON and HTML page.
func TestDeskPromiseIsTheCommandLines(t *testing.T) {
	url := startDesk(t, deskOptions{})
	dir := t.TempDir()
	settings := []deskSetting{{"simulation.horizon", "2w"}, {"simulation.replications", "4"}}
	// The front door: named clocks (on site, remote fix), tiers without a
	// resolution target, updates not judged.
	code, yaml := post(t, url, "/api/download", map[string]any{"example": "front-door", "settings": settings, "kind": "scenario.yaml"})
	if code != http.StatusOK {
		t.Fatalf("scenario.yaml: %d %s", code, yaml)
	}
	file := filepath.Join(dir, "desk.yaml")
	if err := os.WriteFile(file, yaml, 0o644); err != nil {
		t.Fatal(err)
	}
	ask := map[string]string{"period": "day", "share": "80%", "ladder": "30m,1h,2h,4h"}
	args := []string{"promise", file, "--period", "day", "--share", "80%", "--ladder", "30m,1h,2h,4h"}
	want := map[string]string{}
	for kind, flags := range map[string][]string{"promise.txt": nil, "promise.json": {"--json"}, "promise.html": {"--html", "-"}} {
		code, out, errs := slasim(t, context.Background(), append(args, flags...)...)
		if code != exitOK {
			t.Fatalf("slasim %v: exit %d: %s", append(args, flags...), code, errs)
		}
		want[kind] = strings.ReplaceAll(out, file, "desk.yaml")
	}
	var streamedDoc struct {
		Result struct {
			Promise reports.Promise `json:"promise"`
			Text    string          `json:"text"`
		} `json:"result"`
	}
	q := map[string]any{"file": "desk.yaml", "text": string(yaml), "promise": ask}
	if n := streamed(t, url, "/api/promise", q, &streamedDoc); n == 0 {
		t.Error("no progress was streamed")
	}
	if got := streamedDoc.Result.Text; words(got) != words(want["promise.txt"]) {
		t.Errorf("the page's promise reads\n%s\nslasim promise's\n%s", got, want["promise.txt"])
	}
	var clocks []string
	for _, r := range streamedDoc.Result.Promise.Rows {
		clocks = append(clocks, r.Tier+" "+r.Clock)
	}
	if want := []string{"fault-1 response", "fault-1 resolution", "fault-1 on site", "fault-1 updates", "fault-2 response", "fault-2 remote fix", "fault-2 on site",
		"fault-3 response", "fault-3 resolution", "hotline response", "chat response"}; !slices.Equal(clocks, want) {
		t.Errorf("the page's promise has rows %q, want %q", clocks, want)
	}
	if got := streamedDoc.Result.Promise.NotJudged; got != nil {
		t.Errorf("not judged: %q, want nothing (fault-1's updates have their row)", got)
	}
	for kind, w := range want {
		q["kind"] = kind
		code, got := post(t, url, "/api/download", q)
		if kind == "promise.txt" {
			// Laid out for 80 columns: the file's longer name wraps its
			// line elsewhere.
			got, w = []byte(words(string(got))), words(w)
		}
		if code != http.StatusOK || string(got) != w {
			t.Errorf("%s from the page differs from slasim promise's (status %d):\n%.400s", kind, code, got)
		}
	}
	// A question the command line refuses is refused on the promise
	// form's field at fault, as the command line names its flag.
	delete(q, "kind")
	for _, tc := range []struct{ field, value, path, reason string }{
		{"share", "x", "promise.share", `--share: "x" is not a number`},
		{"confidence", "40%", "promise.confidence", "--confidence: the confidence must be at least 50%"},
		{"ladder", "1h,30m", "promise.ladder", "--ladder must increase"},
		{"level", "0", "promise.level", "--level: must be a share above 0"},
		{"period", "year", "promise.period", "--period: the period must be day, week or month"},
	} {
		q["promise"] = map[string]string{tc.field: tc.value}
		var bad struct{ Error deskError }
		streamed(t, url, "/api/promise", q, &bad)
		if p := bad.Error.Problems; len(p) != 1 || p[0].Path != tc.path || !strings.Contains(p[0].Reason, tc.reason) {
			t.Errorf("%s %s: %+v, want %q at %s", tc.field, tc.value, bad.Error, tc.reason, tc.path)
		}
		if bad.Error.Message != "the form has problems: see each field" {
			t.Errorf("%s %s: the message %q blames something other than the form", tc.field, tc.value, bad.Error.Message)
		}
	}
}

// Two what-ifs on common random numbers: one more agent on the day shift
// cannot make any clock worse, replication by replication, and the
// difference's interval is narrower than either attainment's.
func TestDeskCompare(t *testing.T) {
	url := startDesk(t, deskOptions{})
	base := []deskSetting{{"simulation.horizon", "2w"}, {"simulation.replications", "6"}}
	more := append(base[:2:2], deskSetting{"teams[0].shifts[0].agents", "10"})
	var out struct {
		Result compareResult `json:"result"`
	}
	if n := streamed(t, url, "/api/compare", map[string]any{"example": "default", "pinned": base, "settings": more}, &out); n == 0 {
		t.Error("no progress was streamed")
	}
	c := out.Result
	if !c.SameSeed || c.Comparison == nil || len(c.Comparison.Clocks) != 6 {
		t.Fatalf("comparison %+v", c)
	}
	routine := c.Comparison.Clocks[4] // routine response
	d := routine.Difference
	if routine.Tier != "routine" || routine.Clock != "response" || d == nil || d.Lo == nil {
		t.Fatalf("routine response: %+v", routine)
	}
	if *d.Lo <= 0 || *d.HalfWidth >= *routine.A.HalfWidth {
		t.Errorf("routine response: difference %.4f [%.4f, %.4f], A's half-width %.4f: want a positive difference measured more precisely", d.Mean, *d.Lo, *d.Hi, *routine.A.HalfWidth)
	}
	if got := c.B.Tiers[2].Response.Attainment.Mean - c.A.Tiers[2].Response.Attainment.Mean; fmt.Sprintf("%.12f", got) != fmt.Sprintf("%.12f", d.Mean) {
		t.Errorf("mean difference %.6f, difference of means %.6f", d.Mean, got)
	}
}

// A sweep and a sizing from the page stream their progress and return the
// reports the command line makes.
func TestDeskSweepAndSize(t *testing.T) {
	url := startDesk(t, deskOptions{})
	base := []deskSetting{{"simulation.horizon", "1w"}, {"simulation.replications", "3"}}
	var sw struct {
		Result struct {
			Sweep   reports.Sweep `json:"sweep"`
			Figures []deskFigure  `json:"figures"`
		} `json:"result"`
	}
	streamed(t, url, "/api/sweep", map[string]any{"example": "default", "settings": base, "vary": []string{"teams[1].shifts[0].agents=2..4"}}, &sw)
	if got := sw.Result.Sweep; len(got.Points) != 3 || got.Vary[0] != "teams[1].shifts[0].agents" || len(sw.Result.Figures) == 0 {
		t.Errorf("sweep: %d points of %v, %d figures", len(got.Points), got.Vary, len(sw.Result.Figures))
	}
	var sz struct {
		Result struct {
			Text, Sized string
		} `json:"result"`
	}
	streamed(t, url, "/api/size", map[string]any{"example": "erlang-c", "settings": base, "level": "80%"}, &sz)
	if !strings.Contains(sz.Result.Text, "agents") || !strings.Contains(sz.Result.Sized, "agents:") {
		t.Errorf("size: %q\n%q", sz.Result.Text, sz.Result.Sized)
	}
}

// A scenario from the page goes through the same validation as a file:
// each problem names its field, by path, or its line for an uploaded text.
func TestDeskProblemsNameTheirField(t *testing.T) {
	url := startDesk(t, deskOptions{})
	var out struct {
		Error deskError `json:"error"`
	}
	streamed(t, url, "/api/run", map[string]any{"example": "erlang-c", "settings": []deskSetting{{"agents", "0"}, {"tiers[0].targets.response", "-5m"}}}, &out)
	var paths []string
	for _, p := range out.Error.Problems {
		paths = append(paths, p.Path+": "+p.Reason)
	}
	if got := strings.Join(paths, "\n"); !strings.Contains(got, "agents: must be >= 1") || !strings.Contains(got, "tiers[0].targets.response: must be > 0") {
		t.Errorf("problems:\n%s", got)
	}
	if out.Error.Message != "the form has problems: see each field" {
		t.Errorf("settings' problems: message %q", out.Error.Message)
	}
	streamed(t, url, "/api/run", map[string]any{"example": "erlang-c", "settings": []deskSetting{{"tiers[3].share", "1"}}}, &out)
	if p := out.Error.Problems; len(p) != 1 || p[0].Path != "tiers[3].share" || !strings.Contains(p[0].Reason, "no such item") {
		t.Errorf("a setting of a missing item: %+v", out.Error)
	}
	code, body := post(t, url, "/api/open", map[string]any{"file": "bad.yaml", "text": "name: bad\nagents: 3\ntiers:\n  - name: only\n    share: 100%\n    targets: {response: -5m, resolution: 4h}\n    handling: {mean: 1h}\n"})
	if code != http.StatusUnprocessableEntity || !strings.Contains(string(body), `"path":"tiers[0].targets.response","line":6`) || !strings.Contains(string(body), `"message":"the scenario has problems: see each field"`) {
		t.Errorf("an invalid upload: %d %s", code, body)
	}
}

// Hostile requests are refused before anything is read or run: another
// host or origin (DNS rebinding, cross-site forms), another content type,
// a body too large, unknown fields, a file of this machine.
func TestDeskRefusesHostileRequests(t *testing.T) {
	url := startDesk(t, deskOptions{})
	send := func(method, path, host, origin, ctype string, body io.Reader) (int, string) {
		req, err := http.NewRequest(method, url+path, body)
		if err != nil {
			t.Fatal(err)
		}
		if host != "" {
			req.Host = host
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	ok := `{"example":"erlang-c"}`
	for _, c := range []struct {
		name, method, path, host, origin, ctype, body string
		status                                        int
		says                                          string
	}{
		{"the page", "GET", "/", "", "", "", "", 200, "planner's desk"},
		{"another host name (DNS rebinding)", "GET", "/", "evil.example:80", "", "", "", 421, "answers to"},
		{"another origin", "POST", "/api/open", "", "http://evil.example", "application/json", ok, 403, "not from the desk's own page"},
		{"no origin", "POST", "/api/open", "", "-", "application/json", ok, 403, "not from the desk's own page"},
		{"a form post", "POST", "/api/open", "", "=", "application/x-www-form-urlencoded", ok, 415, "takes JSON"},
		{"unknown fields", "POST", "/api/open", "", "=", "application/json", `{"example":"erlang-c","x":1}`, 400, "unknown field"},
		{"two values", "POST", "/api/open", "", "=", "application/json", ok + ok, 400, "data after the value"},
		{"a brace after the value", "POST", "/api/open", "", "=", "application/json", ok + "}", 400, "data after the value"},
		{"a repeated key", "POST", "/api/open", "", "=", "application/json", `{"example":"erlang-c","example":"default"}`, 400, `top level: key \"example\" given twice`},
		{"a repeated key in any case", "POST", "/api/run", "", "=", "application/json", `{"example":"erlang-c","settings":[{"path":"agents","value":"9","VALUE":"1"}]}`, 400, `settings[0]: key \"VALUE\" given twice`},
		{"an example that is a path", "POST", "/api/open", "", "=", "application/json", `{"example":"../../etc/passwd"}`, 400, "no embedded example"},
		{"too large", "POST", "/api/open", "", "=", "application/json", `{"file":"x.yaml","text":"` + strings.Repeat("a", maxRequestBody) + `"}`, 400, "too large"},
		{"a file beside an upload", "POST", "/api/open", "", "=", "application/json", `{"file":"../x.yaml","text":"name: x\narrivals: {volume: 1/h}\ntiers:\n  - {name: a, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {mean: 1h}}\nteams:\n  - {name: t, intervals: {file: /etc/passwd}}\n"}`, 422, "cannot read files"},
		{"too many settings", "POST", "/api/run", "", "=", "application/json", `{"example":"erlang-c","settings":[` + strings.Repeat(`{"path":"agents","value":"1"},`, maxDeskSettings) + `{"path":"agents","value":"1"}]}`, 400, "more than 1000 settings"},
		{"a path into the files", "GET", "/web/desk.js", "", "", "", "", 404, ""},
		{"a path out of the files", "GET", "/../../etc/passwd", "", "", "", "", 404, ""},
		{"an unknown download", "POST", "/api/download", "", "=", "application/json", `{"example":"erlang-c","kind":"../../etc/passwd"}`, 400, "no download"},
	} {
		origin := c.origin
		switch origin {
		case "=":
			origin = url
		case "-":
			origin = ""
		}
		status, body := send(c.method, c.path, c.host, origin, c.ctype, strings.NewReader(c.body))
		if status != c.status || !strings.Contains(body, c.says) {
			t.Errorf("%s: status %d, %.200q; want %d saying %q", c.name, status, body, c.status, c.says)
		}
	}
}

// Tabs at once: runs of different what-ifs, sent together, each get their
// own figures, the same as alone.
func TestDeskTabsDoNotMeet(t *testing.T) {
	url := startDesk(t, deskOptions{jobs: 2})
	alone := map[string]float64{}
	agents := []string{"10", "11", "12", "13"}
	query := func(a string) map[string]any {
		return map[string]any{"example": "erlang-c", "settings": []deskSetting{{"simulation.horizon", "1w"}, {"simulation.replications", "3"}, {"agents", a}}}
	}
	type result struct {
		Result struct {
			Report reports.Report `json:"report"`
		} `json:"result"`
	}
	for _, a := range agents {
		var r result
		streamed(t, url, "/api/run", query(a), &r)
		alone[a] = r.Result.Report.Tiers[0].Response.Attainment.Mean
	}
	// The same again, all at once (and no longer from the cache: a new
	// desk).
	url = startDesk(t, deskOptions{jobs: 2})
	var wg sync.WaitGroup
	got := make([]float64, len(agents))
	for i, a := range agents {
		wg.Go(func() {
			var r result
			streamed(t, url, "/api/run", query(a), &r)
			got[i] = r.Result.Report.Tiers[0].Response.Attainment.Mean
		})
	}
	wg.Wait()
	for i, a := range agents {
		if got[i] != alone[a] {
			t.Errorf("%s agents: %.6f at once, %.6f alone", a, got[i], alone[a])
		}
	}
}

// A run longer than the desk's limit stops there, and says so with what
// it did.
func TestDeskRunTimeLimit(t *testing.T) {
	url := startDesk(t, deskOptions{maxRunTime: 300 * time.Millisecond})
	code, out := post(t, url, "/api/run", map[string]any{"example": "erlang-c", "settings": []deskSetting{{"simulation.replications", "2000"}}})
	if code != http.StatusOK || !strings.Contains(string(out), `"stopped":"stopped after 0.3s, the desk's limit on a run`) || !strings.Contains(string(out), `"partial":true`) {
		t.Errorf("status %d: %.400s", code, out)
	}
	if !strings.Contains(string(out), `"analytic":{"formula":"Erlang C"`) || strings.Contains(string(out), "no_closed_form") {
		t.Errorf("the run stopped by the limit has no closed form beside its figures: %.400s", out[bytes.Index(out, []byte(`"result"`)):])
	}
}

// A sweep cancelled keeps the closed form of each point it ran, as a run
// does.
func TestDeskSweepCancelledKeepsItsClosedForms(t *testing.T) {
	_, url := serveDesk(t, deskOptions{})
	// Each point some 10 minutes of simulation.
	q := map[string]any{"example": "erlang-c", "settings": []deskSetting{{"simulation.replications", "100000"}}, "vary": []string{"agents=10,11"}, "run": "sweep"}
	lines := underWay(t, url, "/api/sweep", q)
	cancelRun(t, url, "sweep")
	var last struct {
		Result struct {
			Sweep reports.Sweep `json:"sweep"`
		} `json:"result"`
	}
	for lines.Scan() {
		if err := json.Unmarshal(lines.Bytes(), &last); err != nil {
			t.Fatal(err)
		}
	}
	sw := last.Result.Sweep
	if !sw.Partial || len(sw.Points) != 1 {
		t.Fatalf("the sweep cancelled: partial %v, %d points, want the first point's figures", sw.Partial, len(sw.Points))
	}
	if r := sw.Points[0].Report; r.Analytic == nil {
		t.Error("the sweep cancelled: its point has no closed form")
	}
}

// A report's context outlives the run's stop by reportGrace, no more.
func TestReportContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	rctx, done := reportContext(ctx)
	defer done()
	cancel()
	stopped := time.Now()
	select {
	case <-rctx.Done():
		t.Fatal("the report's context ended with the run's")
	case <-time.After(reportGrace / 2):
	}
	<-rctx.Done()
	if late := time.Since(stopped); late < reportGrace || late > reportGrace+time.Second {
		t.Errorf("the report's context ended %v after the run's, want %v", late, reportGrace)
	}
	// Released, a context ends at once.
	rctx, done = reportContext(t.Context())
	done()
	if rctx.Err() == nil {
		t.Error("a report's context released is not done")
	}
}

// FuzzDeskRequest feeds the request decoder anything: it must refuse or
// accept without panicking, and what it accepts keeps its limits.
func FuzzDeskRequest(f *testing.F) {
	f.Add([]byte(`{"example":"default","settings":[{"path":"agents","value":"3"}]}`))
	f.Add([]byte(`{"file":"x.yaml","text":"name: x","vary":["agents=1..3"],"level":"90%","kind":"report.json"}`))
	f.Add([]byte(`{"example":"../../etc/passwd"}`))
	f.Add([]byte(`{"example":"default","pinned":[{"path":"` + strings.Repeat("a", 300) + `","value":""}]}`))
	f.Add([]byte(`{"example":"default"}{"example":"default"}`))
	f.Add([]byte(`{"text":"a","example":"default"}`))
	f.Add([]byte(`{"example":"erlang-c","promise":{"period":"week","share":"90%","level":"80%","ladder":"15m,1h"},"kind":"promise.json"}`))
	f.Add([]byte(`{"example":"default","Example":"erlang-c"}`))
	f.Add([]byte(`{"example":"default","settings":[{"path":"agents","value":"1","\u0056alue":"2"}]}`))
	f.Add([]byte(`{"example":"default"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		q, err := decodeDeskRequest(bytes.NewReader(data))
		if err != nil {
			return
		}
		if (q.Example == "") == (q.Text == "") || len(q.Settings) > maxDeskSettings || len(q.Vary) > 2 || len(q.File) > maxDeskFileName ||
			q.Promise != nil && (len(q.Promise.Ladder) > maxDeskLadder || len(q.Promise.Share) > 32) {
			t.Fatalf("accepted %+v", q)
		}
		for _, s := range append(q.Settings, q.Pinned...) {
			if len(s.Path) > maxDeskPath || len(s.Value) > maxDeskValue {
				t.Fatalf("accepted a setting of %d and %d bytes", len(s.Path), len(s.Value))
			}
		}
		if name := q.fileName(); strings.ContainsAny(name, "/\\") || name == ".." {
			t.Fatalf("file name %q", name)
		}
		if q.Example != "" {
			if _, err := q.scenario(nil); err != nil {
				t.Fatalf("example %q: %v", q.Example, err)
			}
		}
	})
}

// A page that leaves a run under way (another scenario opened, the tab
// closed) ends the run on the desk: it stops simulating and gives its turn
// back at once, not when the run would have ended.
func TestDeskStopsWhenThePageLeaves(t *testing.T) {
	// Some 10 minutes of simulation (at about 5 ms a replication), cut to
	// 40 s: a desk that went on would end the test by then.
	d, url := serveDesk(t, deskOptions{maxRunTime: 40 * time.Second})
	q := map[string]any{"example": "erlang-c", "settings": []deskSetting{{"simulation.replications", "100000"}}}
	resp, err := http.DefaultClient.Do(pageRequest(t, t.Context(), url, "/api/run", q))
	if err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || !strings.HasPrefix(line, `{"progress"`) {
		t.Fatalf("the run's first line %q (%v), want its progress", line, err)
	}
	resp.Body.Close()
	if !idleWithin(d, 20*time.Second) {
		t.Error("the desk still runs 20 s after the page left")
	}
}

// What the page has just shown downloads at once while runs hold every
// turn (a sweep of ten minutes, another tab's), as does the scenario's
// text, which simulates nothing; only a result the desk does not keep
// waits for a turn.
func TestDeskKeptResultsNeedNoTurn(t *testing.T) {
	d, url := serveDesk(t, deskOptions{})
	short := []deskSetting{{"simulation.horizon", "1w"}, {"simulation.replications", "3"}}
	for _, c := range []struct {
		path  string
		ask   map[string]any
		kinds []string
	}{
		{"", nil, []string{"scenario.yaml"}},
		{"/api/run", nil, []string{"report.json", "report.html"}},
		{"/api/compare", map[string]any{"pinned": append(short[:2:2], deskSetting{"agents", "12"})}, []string{"comparison.json"}},
		{"/api/sweep", map[string]any{"vary": []string{"agents=10,11"}}, []string{"sweep.json", "sweep.html"}},
		{"/api/size", map[string]any{"level": "80%"}, []string{"sizing.json", "sizing.txt", "sized.yaml"}},
		{"/api/promise", map[string]any{"promise": map[string]string{"period": "day"}}, []string{"promise.txt", "promise.json", "promise.html"}},
	} {
		q := map[string]any{"example": "erlang-c", "settings": short}
		maps.Copy(q, c.ask)
		if c.path != "" {
			var shown struct{ Result any }
			streamed(t, url, c.path, q, &shown)
			if shown.Result == nil {
				t.Fatalf("%s: no result", c.path)
			}
		}
		d.turns <- struct{}{}
		for _, kind := range c.kinds {
			q["kind"] = kind
			ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
			resp, err := http.DefaultClient.Do(pageRequest(t, ctx, url, "/api/download", q))
			if err != nil {
				t.Errorf("%s just shown, while a run holds the turn: %v", kind, err)
				cancel()
				continue
			}
			body, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			cancel()
			if err != nil || resp.StatusCode != http.StatusOK || len(body) == 0 {
				t.Errorf("%s: status %d (%v): %.200s", kind, resp.StatusCode, err, body)
			}
		}
		<-d.turns
	}
	// A run the desk does not keep waits for the turn.
	d.turns <- struct{}{}
	defer func() { <-d.turns }()
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	q := map[string]any{"example": "erlang-c", "settings": append(short[:2:2], deskSetting{"agents", "13"}), "kind": "report.json"}
	if resp, err := http.DefaultClient.Do(pageRequest(t, ctx, url, "/api/download", q)); err == nil {
		resp.Body.Close()
		t.Errorf("a report not kept downloads (status %d) while a run holds the turn", resp.StatusCode)
	}
}

// The page's Cancel stops a run on the desk, and the page still receives
// what was done: the figures of the replications run, marked stopped. A
// request waiting for its turn stops too, saying so.
func TestDeskCancelKeepsWhatWasDone(t *testing.T) {
	_, url := serveDesk(t, deskOptions{})
	// Some 10 minutes of simulation, at about 5 ms a replication.
	long := func(run string) map[string]any {
		return map[string]any{"example": "erlang-c", "settings": []deskSetting{{"simulation.replications", "100000"}}, "run": run}
	}
	lines := underWay(t, url, "/api/run", long("first"))
	// A second run, waiting for the first's turn.
	second := streamLines(t, url, "/api/run", long("second"))
	if !second.Scan() || second.Text() != `{"waiting":true}` {
		t.Fatalf("the second run's first line %q, want it waiting", second.Text())
	}
	cancelRun(t, url, "second")
	cancelRun(t, url, "first")
	if !second.Scan() || second.Text() != `{"stopped":"cancelled"}` || second.Scan() {
		t.Errorf("the waiting run cancelled ends with %q", second.Text())
	}
	var stopped string
	var last struct {
		Result *runResult `json:"result"`
	}
	for lines.Scan() {
		if s, ok := strings.CutPrefix(lines.Text(), `{"stopped":`); ok {
			stopped = s
		}
		if err := json.Unmarshal(lines.Bytes(), &last); err != nil {
			t.Fatal(err)
		}
	}
	if r := last.Result; stopped != `"cancelled"}` || r == nil || !r.Report.Partial || r.Report.Replications == 0 {
		t.Errorf("the run cancelled ends stopped %q with %+v, want what was done", stopped, r)
	} else if r.Report.Analytic == nil || r.Analytic != "" {
		t.Errorf("the run cancelled has no closed form beside its figures: %q", r.Analytic)
	}
	if code, out := post(t, url, "/api/cancel", map[string]string{"run": "first"}); code != http.StatusNotFound {
		t.Errorf("cancelling a run that has ended: %d %s, want 404", code, out)
	}
}

// A sizing or a promise stopped before its end has nothing to show: its
// stream ends saying why, as a run's does, and that it had begun; not
// with the job's error about being stopped.
func TestDeskStoppedWithNothingToShow(t *testing.T) {
	// A year's sizing, some 10 minutes of promise.
	long := []deskSetting{{"simulation.horizon", "52w"}, {"simulation.replications", "100000"}}
	for _, c := range []struct {
		name, path string
		limit      time.Duration
		last       string
	}{
		{"a sizing cancelled", "/api/size", 0, `{"began":true,"stopped":"cancelled"}`},
		{"a promise cancelled", "/api/promise", 0, `{"began":true,"stopped":"cancelled"}`},
		{"a sizing at the time limit", "/api/size", 300 * time.Millisecond, `{"began":true,"stopped":"stopped after 0.3s, the desk's limit on a run (slasim serve --max-run-time)"}`},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, url := serveDesk(t, deskOptions{maxRunTime: c.limit})
			q := map[string]any{"example": "default", "settings": long, "run": "long"}
			var lines *bufio.Scanner
			if c.limit == 0 {
				lines = underWay(t, url, c.path, q)
				cancelRun(t, url, "long")
			} else {
				lines = streamLines(t, url, c.path, q)
			}
			last := ""
			for lines.Scan() {
				last = lines.Text()
			}
			if last != c.last {
				t.Errorf("the stream ends with %.300s, want %s", last, c.last)
			}
		})
	}
}

// A request named as one under way is refused: it would take over the
// name, and Cancel could stop neither the first nor, once the first
// ended, the second.
func TestDeskRunNamesAreUnique(t *testing.T) {
	_, url := serveDesk(t, deskOptions{})
	// Some 10 minutes of simulation.
	q := map[string]any{"example": "erlang-c", "settings": []deskSetting{{"simulation.replications", "100000"}}, "run": "same"}
	lines := underWay(t, url, "/api/run", q)
	second, err := http.DefaultClient.Do(pageRequest(t, t.Context(), url, "/api/compare", q))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(io.LimitReader(second.Body, 1<<10))
	second.Body.Close()
	if second.StatusCode != http.StatusConflict || !strings.Contains(string(body), `a request named \"same\" is under way`) {
		t.Errorf("a second request named as the first: %d %s, want 409", second.StatusCode, body)
	}
	cancelRun(t, url, "same")
	stopped := false
	for lines.Scan() {
		stopped = stopped || lines.Text() == `{"stopped":"cancelled"}`
	}
	if !stopped {
		t.Error("Cancel did not stop the run first given the name")
	}
}
