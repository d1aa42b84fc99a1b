package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

// examples are the scenarios built into slasim, one file per example.
//
//go:embed examples/*.yaml
var examples embed.FS

// Names returns the names of the embedded example scenarios, sorted.
func Names() []string {
	entries, _ := examples.ReadDir("examples") // the directory is embedded, it cannot be missing
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".yaml"); ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// Source returns the YAML text of the embedded example name, comments
// included, and whether there is such an example.
func Source(name string) ([]byte, bool) {
	if !slices.Contains(Names(), name) {
		return nil, false
	}
	data, err := examples.ReadFile(examplePath(name))
	return data, err == nil
}

// Describe returns the one-line description of the embedded example name,
// or "" if there is no such example.
func Describe(name string) string {
	s, err := example(name)
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(strings.TrimSpace(s.Description), "\n")
	return first
}

func examplePath(name string) string { return path.Join("examples", name+".yaml") }

// Embedded returns the embedded example of that name, and never a file:
// for a name that comes from someone else, such as a web page.
func Embedded(name string) (*Scenario, error) { return example(name) }

// example parses the embedded example name. Its File is empty: there is no
// file to point a user at, only the example's name.
func example(name string) (*Scenario, error) {
	data, ok := Source(name)
	if !ok {
		return nil, fmt.Errorf("no example scenario %q; the examples are %s", name, strings.Join(Names(), ", "))
	}
	s, err := Parse(examplePath(name), data)
	if err != nil {
		return nil, err
	}
	s.File, s.example = "", name
	return s, nil
}

// Open loads the scenario arg names: the file at that path if there is one,
// else the embedded example of that name (with or without .yaml).
func Open(arg string) (*Scenario, error) {
	st, err := os.Stat(arg)
	switch {
	case err == nil && !st.IsDir():
		return Load(arg)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("open scenario: %w", err)
	}
	name := strings.TrimSuffix(arg, ".yaml")
	if _, ok := Source(name); ok {
		return example(name)
	}
	if err == nil {
		return nil, fmt.Errorf("open scenario %s: is a directory", arg)
	}
	return nil, fmt.Errorf("open scenario %q: no such file, and no example of that name; the examples are %s", arg, strings.Join(Names(), ", "))
}
