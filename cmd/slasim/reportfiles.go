package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"

	"github.com/slasim/slasim/reports"
	"github.com/slasim/slasim/reports/output"
)

// stdoutPath is the name of standard output in an output flag.
const stdoutPath = "-"

// An outPath is what an output flag names: a file, or a directory created
// if needed for the files named (none listed: names known only later, such
// as plots').
type outPath struct {
	flag, path string
	dir        bool
	files      []string
}

// checkOutputs checks that every file the output flags name can be
// written, before anything is simulated or read, so that a mistyped path
// does not cost a run: a directory that does not exist yet must be one
// that can be created. At most one file may be -, standard output.
func checkOutputs(outs ...outPath) error {
	stdout := ""
	for _, o := range outs {
		switch {
		case o.path == "":
			continue
		case o.path == stdoutPath && o.dir:
			return usagef("--%s names a directory; - (standard output) is for a single file", o.flag)
		case o.path == stdoutPath && stdout != "":
			return usagef("--%s and --%s both ask for standard output (-)", stdout, o.flag)
		case o.path == stdoutPath:
			stdout = o.flag
			continue
		}
		paths := []string{o.path}
		if o.dir {
			dir, err := existing(o.path)
			if err != nil {
				return usagef("--%s: %v", o.flag, err)
			}
			paths = []string{filepath.Join(dir, ".slasim-check")}
			for _, f := range o.files {
				if dir == o.path {
					paths = append(paths, filepath.Join(o.path, f))
				}
			}
		}
		for _, p := range paths {
			if err := output.Check(p); err != nil {
				return usagef("--%s: %v", o.flag, err)
			}
		}
	}
	return nil
}

// existing returns dir, if it is a directory, or else the nearest of its
// parents that exists, where it will be created; an error if that is not
// a directory.
func existing(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		st, err := os.Stat(d)
		switch {
		case err == nil && st.IsDir():
			return d, nil
		case err == nil:
			return "", fmt.Errorf("%s is not a directory", d)
		case !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR):
			return "", err
		case d == filepath.Dir(d):
			return "", err
		}
	}
}

// makeDirs creates the directories outputs are written in, once there is
// something to write.
func makeDirs(dirs ...string) error {
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	return nil
}

// An outFile is a file an output flag asks for, and how to fill it.
type outFile struct {
	path  string
	write func(io.Writer) error
}

// writeFiles writes the files, each atomically (see package output), or
// to standard output for -.
func (e *env) writeFiles(files ...outFile) error {
	for _, f := range files {
		var err error
		if f.path == stdoutPath {
			err = f.write(e.stdout)
		} else {
			err = output.WriteFile(f.path, f.write)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// plotFiles lists a PNG and an SVG file in dir for each figure.
func plotFiles(dir string, figs []*reports.Figure) []outFile {
	var files []outFile
	for _, fig := range figs {
		base := filepath.Join(dir, fig.Name)
		files = append(files, outFile{base + ".png", fig.WritePNG}, outFile{base + ".svg", fig.WriteSVG})
	}
	return files
}

// check checks the outputs of a run or a sweep, whose text and JSON files
// are base.txt and base.json, and CSV files csvFiles.
func (o *outputs) check(base string, csvFiles ...string) error {
	return checkOutputs(
		outPath{flag: "out", path: o.out, dir: true, files: []string{base + ".txt", base + ".json"}},
		outPath{flag: "csv", path: o.csv, dir: true, files: csvFiles},
		outPath{flag: "plots", path: o.plots, dir: true},
		outPath{flag: "report", path: o.report})
}

// printed writes the text or JSON report to standard output, unless an
// output flag has taken it (--report -).
func (o *outputs) printed(e *env, text, json func(io.Writer) error) error {
	switch {
	case o.report == stdoutPath:
		return nil
	case o.json:
		return json(e.stdout)
	}
	return e.fitted(text)(e.stdout)
}

// Files a run and a sweep write with --csv; a run by date also writes
// periods.csv and dates.csv, a run with services services.csv.
var (
	runCSV   = []string{"tiers.csv", "replications.csv", "periods.csv", "dates.csv", "services.csv"}
	sweepCSV = []string{"sweep.csv", "replications.csv"}
)

// writeRun writes the files the output flags ask for a run.
func (o *outputs) writeRun(e *env, r *reports.Report) error {
	var files []outFile
	if o.out != "" {
		files = append(files,
			outFile{filepath.Join(o.out, "report.txt"), fitted(r.WriteText, 0)},
			outFile{filepath.Join(o.out, "report.json"), r.WriteJSON})
	}
	if o.csv != "" {
		files = append(files,
			outFile{filepath.Join(o.csv, runCSV[0]), r.WriteTiersCSV},
			outFile{filepath.Join(o.csv, runCSV[1]), r.WriteReplicationsCSV})
		if len(r.Dates) > 0 {
			files = append(files,
				outFile{filepath.Join(o.csv, runCSV[2]), r.WritePeriodsCSV},
				outFile{filepath.Join(o.csv, runCSV[3]), r.WriteDatesCSV})
		}
		if len(r.Services) > 0 {
			files = append(files, outFile{filepath.Join(o.csv, runCSV[4]), r.WriteServicesCSV})
		}
	}
	if o.report != "" {
		files = append(files, outFile{o.report, r.WriteHTML})
	}
	return o.write(e, files, r.Figures)
}

// writeSweep writes the files the output flags ask for a sweep.
func (o *outputs) writeSweep(e *env, sw *reports.Sweep) error {
	var files []outFile
	if o.out != "" {
		files = append(files,
			outFile{filepath.Join(o.out, "sweep.txt"), fitted(sw.WriteText, 0)},
			outFile{filepath.Join(o.out, "sweep.json"), sw.WriteJSON})
	}
	if o.csv != "" {
		files = append(files,
			outFile{filepath.Join(o.csv, sweepCSV[0]), sw.WriteCSV},
			outFile{filepath.Join(o.csv, sweepCSV[1]), sw.WriteReplicationsCSV})
	}
	if o.report != "" {
		files = append(files, outFile{o.report, sw.WriteHTML})
	}
	return o.write(e, files, sw.Figures)
}

// write writes the files, then with --plots each figure as PNG and SVG.
func (o *outputs) write(e *env, files []outFile, figures func() ([]*reports.Figure, error)) error {
	if err := makeDirs(o.out, o.csv, o.plots); err != nil {
		return err
	}
	if o.plots != "" {
		figs, err := figures()
		if err != nil {
			return fmt.Errorf("plots: %w", err)
		}
		files = append(files, plotFiles(o.plots, figs)...)
	}
	return e.writeFiles(files...)
}
