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
func (o *outputs) writeRun(r *reports.Report) error {
	var files []outFile
	if o.out != "" {
		files = append(files,
			outFile{filepath.Join(o.out, "report.txt"), r.WriteText},
			outFile{filepath.Join(o.out, "report.json"), r.WriteJSON})
	}
	if o.csv != "" {
		files = append(files,
			outFile{filepath.Join(o.csv, "tiers.csv"), r.WriteTiersCSV},
			outFile{filepath.Join(o.csv, "replications.csv"), r.WriteReplicationsCSV})
	}
	if o.report != "" {
		files = append(files, outFile{o.report, r.WriteHTML})
	}
	return o.write(files, r.Figures)
}

// writeSweep writes the files the output flags ask for a sweep.
func (o *outputs) writeSweep(sw *reports.Sweep) error {
	var files []outFile
	if o.out != "" {
		files = append(files,
			outFile{filepath.Join(o.out, "sweep.txt"), sw.WriteText},
			outFile{filepath.Join(o.out, "sweep.json"), sw.WriteJSON})
	}
	if o.csv != "" {
		files = append(files,
			outFile{filepath.Join(o.csv, "sweep.csv"), sw.WriteCSV},
			outFile{filepath.Join(o.csv, "replications.csv"), sw.WriteReplicationsCSV})
	}
	if o.report != "" {
		files = append(files, outFile{o.report, sw.WriteHTML})
	}
	return o.write(files, sw.Figures)
}

// write writes the files, then with --plots each figure as PNG and SVG;
// each file atomically, so an interruption leaves none half-written.
func (o *outputs) write(files []outFile, figures func() ([]*reports.Figure, error)) error {
	if o.plots != "" {
		figs, err := figures()
		if err != nil {
			return err
		}
		for _, fig := range figs {
			base := filepath.Join(o.plots, fig.Name)
			files = append(files, outFile{base + ".png", fig.WritePNG}, outFile{base + ".svg", fig.WriteSVG})
		}
	}
	for _, f := range files {
		if err := reports.WriteFile(f.path, f.write); err != nil {
			return err
		}
	}
	return nil
}
