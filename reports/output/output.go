package output

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
)

// WriteFile writes the file at path with write (see the package comment
// for how). On error the old file, if any, is left as it was.
func WriteFile(path string, write func(io.Writer) error) error {
	target, st, err := inspect(path)
	if err == nil {
		if st != nil && !st.Mode().IsRegular() {
			err = writeInPlace(target, write)
		} else {
			err = replace(target, st, write)
		}
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// Check reports whether path can be written, before anything is computed
// for it, so that a mistyped path does not cost a run: it must not be a
// directory, and its directory must exist and take new files. A device or
// a named pipe passes unopened: opening a pipe waits for its reader.
func Check(path string) error {
	target, st, err := inspect(path)
	if err == nil && (st == nil || st.Mode().IsRegular()) {
		var f *os.File
		if f, err = createTemp(target); err == nil {
			f.Close()
			os.Remove(f.Name())
		}
	}
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// inspect returns the file path leads to, following symbolic links, and
// its information; nil information if it does not exist yet.
func inspect(path string) (string, fs.FileInfo, error) {
	target, err := follow(path)
	if err != nil {
		return "", nil, err
	}
	st, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if dir, err := os.Stat(filepath.Dir(target)); err != nil || !dir.IsDir() {
			return "", nil, fmt.Errorf("no directory %s", filepath.Dir(target))
		}
		return target, nil, nil
	case err != nil:
		return "", nil, err
	case st.IsDir():
		return "", nil, errors.New("is a directory")
	}
	return target, st, nil
}

// follow returns the path a chain of symbolic links leads to, which need
// not exist: a dangling link's target is created.
func follow(path string) (string, error) {
	for range 40 { // as Linux allows
		st, err := os.Lstat(path)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		link, err := os.Readlink(path)
		if err != nil {
			return "", err
		}
		if !filepath.IsAbs(link) {
			link = filepath.Join(filepath.Dir(path), link)
		}
		path = link
	}
	return "", errors.New("too many symbolic links")
}

// writeInPlace writes to a device or a named pipe.
func writeInPlace(target string, write func(io.Writer) error) error {
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// replace writes a new regular file at target, whose current information
// is st (nil if none), through a temporary file.
func replace(target string, st fs.FileInfo, write func(io.Writer) error) (err error) {
	removeStale(target)
	f, err := createTemp(target)
	if err != nil {
		return err
	}
	inFlight.Store(f.Name(), true)
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
		inFlight.Delete(f.Name())
	}()
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if st != nil {
		if err := f.Chmod(st.Mode().Perm()); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), target); err != nil {
		return err
	}
	// Make the rename itself durable; not every file system can.
	if d, err := os.Open(filepath.Dir(target)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// tempPrefix starts the name of every temporary file for target.
func tempPrefix(target string) string {
	return "." + filepath.Base(target) + ".slasim-"
}

// createTemp creates a new temporary file beside target. Its permissions
// are those a new file gets (0666 less the umask).
func createTemp(target string) (*os.File, error) {
	prefix := filepath.Join(filepath.Dir(target), tempPrefix(target)+strconv.Itoa(os.Getpid())+"-")
	for {
		f, err := os.OpenFile(prefix+strconv.FormatUint(rand.Uint64()%1e9, 10)+".tmp", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
}

// removeStale removes the temporary files for target that processes no
// longer running left behind.
func removeStale(target string) {
	dir := filepath.Dir(target)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	prefix := tempPrefix(target)
	for _, e := range entries {
		rest, ok := strings.CutPrefix(e.Name(), prefix)
		if !ok || !strings.HasSuffix(rest, ".tmp") {
			continue
		}
		pid, _, _ := strings.Cut(rest, "-")
		if n, err := strconv.Atoi(pid); err == nil && n != os.Getpid() && !running(n) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// running reports whether the process pid runs, or may: only a process
// known to be gone is not.
func running(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	err = p.Signal(syscall.Signal(0))
	return !errors.Is(err, os.ErrProcessDone) && !errors.Is(err, syscall.ESRCH)
}

// inFlight holds the names of the temporary files being written.
var inFlight sync.Map

// Abandon removes the temporary files of the writes under way, for a
// program about to exit at once (a second Ctrl-C): their targets keep
// their old content.
func Abandon() {
	inFlight.Range(func(name, _ any) bool {
		os.Remove(name.(string))
		return true
	})
}
