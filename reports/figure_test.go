package reports

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image/png"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/plot/vg"

	"github.com/slasim/slasim/scenarios"
	"github.com/slasim/slasim/sim"
)

// testScenario is two tiers on three agents, small enough to run in a
// blink.
const testScenario = `name: figures
simulation: {horizon: 1w, warm_up: 1d, replications: 4, seed: 42}
arrivals: {volume: 48/day}
tiers:
  - {name: urgent, share: 25%, targets: {response: 15m, resolution: 2h}, handling: {mean: 40m}}
  - {name: routine, share: 75%, targets: {response: 1h, resolution: 8h}, handling: {distribution: lognormal, mean: 50m, cv: 1.5}}
agents: 3
`

// testReport runs the test scenario, with settings applied.
func testReport(t *testing.T, settings ...scenarios.Setting) *Report {
	t.Helper()
	sc, err := scenarios.Vary("figures.yaml", []byte(testScenario), settings...)
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model()
	res, err := sim.Run(context.Background(), m, sc.Options())
	if err != nil {
		t.Fatal(err)
	}
	return New(t.Context(), res, Meta{Version: "test", Scenario: sc.Name, Description: "a test", File: "figures.yaml", Model: m, Level: 0.95})
}

// checkFigure writes f both ways and checks the results decode.
func checkFigure(t *testing.T, f *Figure) {
	t.Helper()
	if f.Name == "" || f.Title == "" || f.Caption == "" {
		t.Errorf("figure %+v lacks a name, title or caption", f)
	}
	var b bytes.Buffer
	if err := f.WritePNG(&b); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	img, err := png.Decode(&b)
	if err != nil {
		t.Fatalf("%s: PNG does not decode: %v", f.Name, err)
	}
	if r := img.Bounds(); r.Dx() != int(figureWidth/vg.Inch*pngDPI) || r.Dy() != int(figureHeight/vg.Inch*pngDPI) {
		t.Errorf("%s: PNG is %v", f.Name, r)
	}
	b.Reset()
	if err := f.WriteSVG(&b); err != nil {
		t.Fatalf("%s: %v", f.Name, err)
	}
	svg := b.String()
	checkXML(t, f.Name+".svg", svg)
	for _, want := range []string{"<svg", f.Title, svgFontFallback} {
		if !strings.Contains(svg, want) {
			t.Errorf("%s: SVG lacks %q", f.Name, want)
		}
	}
}

// checkXML fails unless s is well-formed XML.
func checkXML(t *testing.T, name, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}

func TestRunFigures(t *testing.T) {
	figs, err := testReport(t).Figures()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range figs {
		checkFigure(t, f)
	}
	names := figureNames(figs)
	for _, want := range []string{"response-times", "resolution-times", "response-attainment-by-hour", "resolution-attainment-by-hour", "utilisation-by-hour", "waiting-by-hour"} {
		if !strings.Contains(strings.Join(names, " "), want) {
			t.Errorf("figures %v lack %s", names, want)
		}
	}
}

func TestUnstableRunHasNoFigures(t *testing.T) {
	r := testReport(t, scenarios.Setting{Path: "arrivals.volume", Value: "200/day"})
	if r.Unstable == nil {
		t.Fatal("the overloaded scenario was not unstable")
	}
	figs, err := r.Figures()
	if err != nil || len(figs) != 0 {
		t.Errorf("unstable run: figures %v, error %v; want none", figs, err)
	}
}

func TestDurationTicks(t *testing.T) {
	log := func(d time.Duration) float64 { return math.Log10(d.Seconds()) }
	var labels []string
	for _, tk := range (durationTicks{}).Ticks(log(9*time.Second), log(4*time.Hour)) {
		if tk.Label != "" {
			labels = append(labels, tk.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "15s 1m 5m 15m 1h 4h" {
		t.Errorf("labels %q", got)
	}
	// A short axis labels every step.
	labels = nil
	for _, tk := range (durationTicks{}).Ticks(log(50*time.Second), log(20*time.Minute)) {
		labels = append(labels, tk.Label)
	}
	if got := strings.Join(labels, " "); got != "1m 2m 5m 10m 15m" {
		t.Errorf("short axis labels %q", got)
	}
}

func TestLegendCorner(t *testing.T) {
	l := &legend{}
	// Rising curves leave the bottom right empty ...
	for x := 0.0; x <= 1; x += 0.05 {
		l.avoid(x, x)
	}
	if left, top := l.corner(); left || top {
		t.Errorf("rising data: legend at left %v, top %v; want bottom right", left, top)
	}
	// ... falling ones the top right.
	l = &legend{}
	for x := 0.0; x <= 1; x += 0.05 {
		l.avoid(x, 0.9-0.8*x)
		l.avoid(x, 0.1)
	}
	if left, top := l.corner(); left || !top {
		t.Errorf("falling data: legend at left %v, top %v; want top right", left, top)
	}
}

func TestNiceSteps(t *testing.T) {
	for top, want := range map[float64]string{1: "[0 0.2 0.4 0.6 0.8 1]", 13: "[0 2.5 5 7.5 10 12.5]", 0.03: "[0 0.005 0.01 0.015 0.02 0.025 0.03]"} {
		if got := fmt.Sprint(niceSteps(top)); got != want {
			t.Errorf("niceSteps(%v) = %s, want %s", top, got, want)
		}
	}
}
