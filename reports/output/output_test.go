//go:build unix

package output

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

func text(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

// failing writes half its text, then fails, as an interrupted report does.
func failing(w io.Writer) error {
	io.WriteString(w, "half of the second")
	return errors.New("interrupted")
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// names lists dir's entries.
func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var ns []string
	for _, e := range entries {
		ns = append(ns, e.Name())
	}
	return ns
}

func TestReplaceAtomically(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.txt")
	if err := WriteFile(path, text("first")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, failing); err == nil {
		t.Fatal("WriteFile returned nil for a failing writer")
	}
	if got := read(t, path); got != "first" {
		t.Errorf("after a failed write the file holds %q, want the old content", got)
	}
	if got := names(t, dir); len(got) != 1 {
		t.Errorf("temporary files left behind: %v", got)
	}
	if err := WriteFile(path, text("second")); err != nil || read(t, path) != "second" {
		t.Errorf("second write: %v, file holds %q", err, read(t, path))
	}
}

// TestMode checks that a new file gets the permissions any new file gets
// (0666 less the umask) and a replaced one keeps its own.
func TestMode(t *testing.T) {
	umask := syscall.Umask(0o022)
	syscall.Umask(umask)
	dir := t.TempDir()
	fresh := filepath.Join(dir, "new.txt")
	if err := WriteFile(fresh, text("x")); err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(fresh); st.Mode().Perm() != fs.FileMode(0o666&^umask) {
		t.Errorf("new file has mode %v, want %v", st.Mode().Perm(), fs.FileMode(0o666&^umask))
	}
	for _, mode := range []fs.FileMode{0o600, 0o640, 0o755, 0o444} {
		path := filepath.Join(dir, "old-"+mode.String())
		if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, mode); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(path, text("new")); err != nil {
			t.Fatal(err)
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != mode || read(t, path) != "new" {
			t.Errorf("replaced file has mode %v and holds %q, want %v and new", st.Mode().Perm(), read(t, path), mode)
		}
	}
}

// TestSymlink checks that a link is followed, through relative and chained
// links, and stays a link; a dangling link's target is created.
func TestSymlink(t *testing.T) {
	dir := t.TempDir()
	other := t.TempDir()
	target := filepath.Join(other, "real.txt")
	if err := os.WriteFile(target, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	chained := filepath.Join(dir, "chained.txt")
	if err := os.Symlink("link.txt", chained); err != nil { // relative to dir
		t.Fatal(err)
	}
	if err := WriteFile(chained, text("new")); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{link, chained} {
		if st, err := os.Lstat(l); err != nil || st.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a link: %v %v", l, st.Mode(), err)
		}
	}
	if st, _ := os.Stat(target); read(t, target) != "new" || st.Mode().Perm() != 0o640 {
		t.Errorf("target holds %q with mode %v, want new with 0640", read(t, target), st.Mode().Perm())
	}
	if got := names(t, other); len(got) != 1 {
		t.Errorf("left beside the target: %v", got)
	}
	dangling := filepath.Join(dir, "dangling.txt")
	if err := os.Symlink(filepath.Join(other, "later.txt"), dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(dangling, text("created")); err != nil || read(t, filepath.Join(other, "later.txt")) != "created" {
		t.Errorf("through a dangling link: %v", err)
	}
	loop := filepath.Join(dir, "loop")
	if err := os.Symlink("loop", loop); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(loop, text("x")); err == nil || !strings.Contains(err.Error(), "too many symbolic links") {
		t.Errorf("a link to itself: got %v", err)
	}
}

// TestNamedPipe checks that a FIFO is written to, not replaced: its
// reader gets the content and it stays a FIFO.
func TestNamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Check(fifo); err != nil { // and does not wait for a reader
		t.Errorf("Check: %v", err)
	}
	got := make(chan string)
	go func() {
		data, _ := os.ReadFile(fifo)
		got <- string(data)
	}()
	if err := WriteFile(fifo, text("through the pipe")); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "through the pipe" {
		t.Errorf("the reader got %q", s)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", st.Mode(), err)
	}
}

// TestDevice checks that a device is written to in place, and its errors
// reported: /dev/full is always full.
func TestDevice(t *testing.T) {
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skip("no /dev/full")
	}
	if os.Geteuid() == 0 {
		// A regression would replace the machine's /dev/full, as it once
		// did; TestNamedPipe covers the same path.
		t.Skip("not as root")
	}
	err := WriteFile("/dev/full", text("nowhere to go"))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Errorf("got %v, want no space left on device", err)
	}
	if st, err := os.Stat("/dev/full"); err != nil || st.Mode()&fs.ModeCharDevice == 0 {
		t.Fatalf("/dev/full is no longer a device: %v %v", st.Mode(), err)
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		path, want string
	}{
		{filepath.Join(dir, "new.html"), ""},
		{dir, "is a directory"},
		{filepath.Join(dir, "missing", "x.html"), "no directory " + filepath.Join(dir, "missing")},
		{"/dev/null", ""},
	} {
		err := Check(tt.path)
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
			t.Errorf("Check(%s) = %v, want %q", tt.path, err, tt.want)
		}
	}
	if got := names(t, dir); len(got) != 0 {
		t.Errorf("Check left %v", got)
	}
	if err := WriteFile(dir, text("x")); err == nil || !strings.Contains(err.Error(), "is a directory") {
		t.Errorf("WriteFile onto a directory: %v", err)
	}
}

// TestStale checks that the temporary file of a process killed mid-write
// is removed by the next write to the same target, and that of a running
// process is left alone.
func TestStale(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip(err)
	}
	dead := cmd.Process.Pid // gone, and its PID not yet reused
	dir := t.TempDir()
	path := filepath.Join(dir, "replications.csv")
	stale := filepath.Join(dir, ".replications.csv.slasim-"+strconv.Itoa(dead)+"-1.tmp")
	live := filepath.Join(dir, ".replications.csv.slasim-"+strconv.Itoa(os.Getppid())+"-2.tmp")
	other := filepath.Join(dir, ".other.csv.slasim-"+strconv.Itoa(dead)+"-3.tmp")
	for _, f := range []string{stale, live, other} {
		if err := os.WriteFile(f, []byte("59 MB of half a report"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFile(path, text("new")); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{stale: false, live: true, other: true} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(f), err == nil, want)
		}
	}
}

// TestAbandon checks that a forced exit mid-write leaves no temporary
// file and the old content.
func TestAbandon(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		if got := names(t, dir); len(got) != 2 {
			t.Errorf("mid-write: %v, want the file and its temporary", got)
		}
		Abandon()
		return errors.New("exiting")
	})
	if err == nil {
		t.Fatal("no error")
	}
	if got := names(t, dir); len(got) != 1 || read(t, path) != "old" {
		t.Errorf("after Abandon: %v holding %q", got, read(t, path))
	}
}
