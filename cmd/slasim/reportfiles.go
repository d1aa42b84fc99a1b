package main

import (
	"io"
	"path/filepath"

	"github.com/slasim/slasim/reports"
)

// An outFile is a file an output flag asks for, and how to fill it.
type outFile struct {
	path  string
	write func(io.Writer) error
}

// writeRun writes the files the output flags ask for a run.
func (f *runFlags) writeRun(r *reports.Report) error {
	var files []outFile
	if *f.out != "" {
		files = append(files,
			outFile{filepath.Join(*f.out, "report.txt"), r.WriteText},
			outFile{filepath.Join(*f.out, "report.json"), r.WriteJSON})
	}
	if *f.csv != "" {
		files = append(files,
			outFile{filepath.Join(*f.csv, "tiers.csv"), r.WriteTiersCSV},
			outFile{filepath.Join(*f.csv, "replications.csv"), r.WriteReplicationsCSV})
	}
	if *f.report != "" {
		files = append(files, outFile{*f.report, r.WriteHTML})
	}
	return f.write(files, r.Figures)
}

// writeSweep writes the files the output flags ask for a sweep.
func (f *runFlags) writeSweep(sw *reports.Sweep) error {
	var files []outFile
	if *f.out != "" {
		files = append(files,
			outFile{filepath.Join(*f.out, "sweep.txt"), sw.WriteText},
			outFile{filepath.Join(*f.out, "sweep.json"), sw.WriteJSON})
	}
	if *f.csv != "" {
		files = append(files,
			outFile{filepath.Join(*f.csv, "sweep.csv"), sw.WriteCSV},
			outFile{filepath.Join(*f.csv, "replications.csv"), sw.WriteReplicationsCSV})
	}
	if *f.report != "" {
		files = append(files, outFile{*f.report, sw.WriteHTML})
	}
	return f.write(files, sw.Figures)
}

// write writes the files, then with --plots each figure as PNG and SVG;
// each file atomically, so an interruption leaves none half-written.
func (f *runFlags) write(files []outFile, figures func() ([]*reports.Figure, error)) error {
	if *f.plots != "" {
		figs, err := figures()
		if err != nil {
			return err
		}
		for _, fig := range figs {
			base := filepath.Join(*f.plots, fig.Name)
			files = append(files, outFile{base + ".png", fig.WritePNG}, outFile{base + ".svg", fig.WriteSVG})
		}
	}
	for _, o := range files {
		if err := reports.WriteFile(o.path, o.write); err != nil {
			return err
		}
	}
	return nil
}
