package sim

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDrawsNotFused compiles the engine for arm64, where Go may fuse
// x*y + z into one instruction that rounds once (as on ppc64le, s390x,
// riscv64, and amd64 built for GOAMD64=v3), and checks that the arithmetic
// of the draws is not fused: fused, a lognormal's time or an arrival's
// differs in its last bit from amd64's, and so from its output, and a
// ziggurat's acceptance can go the other way and shift every later draw.
// Each product that meets an addition is converted explicitly, which the
// language defines to round. It fails when one such conversion goes
// (LogNormal.Sample's fuses, as did the ziggurat's acceptances and tail
// and the arrivals' steps before these conversions).
func TestDrawsNotFused(t *testing.T) {
	if testing.Short() {
		t.Skip("compiles the engine for arm64")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	// go test caches a result by the test binary and the files the test
	// opens: a conversion taken out compiles to the same amd64 binary, so
	// the sources compiled for arm64 are opened here.
	for _, dir := range []string{".", "internal/fastexp", "internal/ziggurat"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if _, err := os.ReadFile(f); err != nil {
				t.Fatal(err)
			}
		}
	}
	const module = "github.com/slasim/slasim/"
	cmd := exec.Command(goTool, "build", "-o", "/dev/null", "-gcflags="+module+"sim/...=-S", "./")
	cmd.Env = append(cmd.Environ(), "GOARCH=arm64", "GOOS=linux", "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build for arm64: %v\n%s", err, out)
	}
	// Every function of the two packages that make the draws, and the
	// engine's functions that use them.
	checked := regexp.MustCompile(`^` + regexp.QuoteMeta(module) + `sim(/internal/(fastexp|ziggurat)\.|\.(\(\*sampler\)\.draw|\(\*intake\)\.draw|LogNormal\.Sample|\(\*arrivals\)\.spend)$)`)
	fused := regexp.MustCompile(`\bFN?M(ADD|SUB)[SD]\b`)
	fn, seen := "", map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if f := strings.Fields(line); len(f) > 1 && f[1] == "STEXT" {
			fn = f[0]
			seen[strings.TrimPrefix(fn, module)] = true
			continue
		}
		if checked.MatchString(fn) && fused.MatchString(line) {
			t.Errorf("%s fuses a multiply and an add on arm64:\n%s", fn, line)
		}
	}
	for _, f := range []string{"sim/internal/fastexp.Exp", "sim/internal/ziggurat.expEdge", "sim/internal/ziggurat.normalEdge",
		"sim.(*sampler).draw", "sim.(*intake).draw", "sim.LogNormal.Sample", "sim.(*arrivals).spend"} {
		if !seen[f] {
			t.Errorf("%s is not in the listing: renamed, or inlined everywhere?", f)
		}
	}
}
