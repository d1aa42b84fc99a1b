package reports

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/slasim/slasim/scenarios/fit"
)

// testFit fits a small synthetic export of four weeks: a busy tier P1
// with office hours, a quieter P2 and a tier P3 of five tickets, too few
// for a fit of its own.
func testFit(t *testing.T, o fit.FitOptions) *fit.Result {
	t.Helper()
	r := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	b.WriteString("id,opened_at,priority,first_response_at,resolved_at,channel\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	id := 0
	row := func(prio string, opened time.Time, mean time.Duration) {
		response := opened.Add(time.Duration(r.ExpFloat64() * float64(10*time.Minute)))
		resolved := response.Add(time.Duration(r.ExpFloat64() * r.ExpFloat64() * float64(mean)))
		fmt.Fprintf(&b, "T%d,%s,%s,%s,%s,email\n", id, opened.Format(time.DateTime), prio, response.Format(time.DateTime), resolved.Format(time.DateTime))
		id++
	}
	for h := range 4 * 168 {
		hour := start.Add(time.Duration(h) * time.Hour)
		n := 0
		if wd := hour.Weekday(); wd != time.Saturday && wd != time.Sunday && hour.Hour() >= 8 && hour.Hour() < 18 {
			n = 4 + r.IntN(5)
		} else if r.IntN(4) == 0 {
			n = 1
		}
		for range n {
			opened := hour.Add(time.Duration(r.IntN(3600)) * time.Second)
			prio := "P1"
			if r.IntN(4) == 0 {
				prio = "P2"
			}
			row(prio, opened, 3*time.Hour)
		}
	}
	for i := range 5 {
		row("P3", start.Add(time.Duration(24*i+10)*time.Hour), time.Hour)
	}
	ex, err := fit.Read(context.Background(), strings.NewReader(b.String()), "synthetic.csv", fit.Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	res, err := fit.Fit(context.Background(), ex, o)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func figureNames(figs []*Figure) []string {
	var names []string
	for _, f := range figs {
		names = append(names, f.Name)
	}
	return names
}

func svgOf(t *testing.T, f *Figure) string {
	t.Helper()
	var b bytes.Buffer
	if err := f.WriteSVG(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestFitFigures(t *testing.T) {
	res := testFit(t, fit.FitOptions{})
	if len(res.Tiers) != 3 || !res.Tiers[2].HandlingPooled || res.Tiers[0].HandlingPooled {
		t.Fatalf("synthetic fit: %d tiers, pooled %v; want P3 alone pooled", len(res.Tiers), res.Tiers[len(res.Tiers)-1].HandlingPooled)
	}
	figs, err := (&Fit{Result: res}).Figures()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"arrivals-by-hour-all", "arrivals-by-hour-p1", "arrivals-by-hour-p2", "arrivals-by-hour-p3",
		"handling-times-p1", "handling-times-p2", "handling-times-pooled"}
	if got := figureNames(figs); !slices.Equal(got, want) {
		t.Fatalf("figures %v, want %v", got, want)
	}
	for _, f := range figs {
		checkFigure(t, f)
		svg := svgOf(t, f)
		if strings.HasPrefix(f.Name, "arrivals") {
			for _, want := range []string{"Mon", "Sun", "tickets an hour", "UTC time", "observed: mean of 3-4 weeks", "95% interval", "fitted rate"} {
				if !strings.Contains(svg, want) {
					t.Errorf("%s: SVG lacks %q", f.Name, want)
				}
			}
			continue
		}
		d := res.Tiers[0].Handling
		switch f.Name {
		case "handling-times-p2":
			d = res.Tiers[1].Handling
		case "handling-times-pooled":
			d = res.Pooled
			if !strings.Contains(f.Title, "used by P3") || !strings.Contains(f.Caption, "P3 has fewer than 20 times") {
				t.Errorf("pooled figure: title %q, caption %q", f.Title, f.Caption)
			}
		}
		c := d.Chosen()
		for _, want := range []string{"log scale", "share of tickets", "observed: ", fmt.Sprintf("%s: KS %.3f, chosen", c.Family, c.KS), "largest gap"} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s: SVG lacks %q", f.Name, want)
			}
		}
		for _, cand := range d.Fits {
			if cand.OK && !strings.Contains(svg, fmt.Sprintf("%s: KS %.3f", cand.Family, cand.KS)) {
				t.Errorf("%s: legend lacks %s's KS %.3f", f.Name, cand.Family, cand.KS)
			}
		}
	}
	// P1 has hundreds of tickets: a bar per hour; P3's five get a bar a day.
	if !strings.Contains(svgOf(t, figs[1]), "each hour") || !strings.Contains(svgOf(t, figs[3]), "24-hour blocks") {
		t.Error("bar widths not in the legends")
	}
}

func TestFitFiguresOptions(t *testing.T) {
	// One tier: no figure of all tiers. Empirical: the observed times are
	// the choice, and no fit is marked.
	res := testFit(t, fit.FitOptions{Empirical: true, HandlingFrom: fit.HandlingResponse, Since: time.Date(2024, 1, 8, 0, 0, 0, 0, time.UTC)})
	res.Tiers = res.Tiers[:1]
	figs, err := (&Fit{Result: res}).Figures()
	if err != nil {
		t.Fatal(err)
	}
	if got := figureNames(figs); !slices.Equal(got, []string{"arrivals-by-hour-p1", "handling-times-p1"}) {
		t.Fatalf("figures %v", got)
	}
	svg := svgOf(t, figs[1])
	if !strings.Contains(svg, "chosen (--empirical)") || strings.Contains(svg, ", chosen</text>") || strings.Contains(svg, "largest gap") {
		t.Error("empirical: the observed times are not marked chosen, or a fit is")
	}
	if !strings.Contains(figs[1].Title, "Handling times") || !strings.Contains(svg, "first response to resolved") {
		t.Errorf("handling from response: title %q", figs[1].Title)
	}
	if !strings.Contains(svgOf(t, figs[0]), "observed: mean of 2-3 weeks") {
		t.Error("--since: the arrivals do not cover 3 weeks")
	}
}

func TestPoissonInterval(t *testing.T) {
	// Garwood's interval: 0 to 3.689 for no events, 0.0253 to 5.572 for one.
	for _, tt := range []struct {
		k      int
		lo, hi float64
	}{{0, 0, 3.6889}, {1, 0.02532, 5.5716}, {10, 4.7954, 18.3904}} {
		lo, hi := poissonInterval(tt.k)
		if math.Abs(lo-tt.lo) > 1e-3 || math.Abs(hi-tt.hi) > 1e-3 {
			t.Errorf("k = %d: %.4f-%.4f, want %.4f-%.4f", tt.k, lo, hi, tt.lo, tt.hi)
		}
	}
}

func TestBlockHours(t *testing.T) {
	for n, want := range map[int]int{20000: 1, 840: 1, 658: 2, 337: 3, 220: 4, 150: 6, 5: 24} {
		if got := blockHours(n); got != want {
			t.Errorf("blockHours(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestWeekdayTicks(t *testing.T) {
	var labels []string
	for _, tk := range (weekdayTicks{}).Ticks(0, 168) {
		if tk.Label != "" {
			labels = append(labels, fmt.Sprintf("%s@%g", tk.Label, tk.Value))
		}
	}
	if got := strings.Join(labels, " "); got != "Mon@12 Tue@36 Wed@60 Thu@84 Fri@108 Sat@132 Sun@156" {
		t.Errorf("labels %s", got)
	}
}
