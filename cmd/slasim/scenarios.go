package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/internal/plural"
	"github.com/slasim/slasim/scenarios"
)

const validateExamples = `  slasim validate desk.yaml
  slasim validate scenarios/*.yaml
`

// validateTask is slasim validate: check scenario files.
type validateTask struct{ files []string }

func validateFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	return func(args []string) (task, error) {
		if len(args) == 0 {
			return nil, usagef("validate needs at least one scenario file")
		}
		return &validateTask{files: args}, nil
	}
}

func (t *validateTask) stopping() string { return "stopping: files not yet checked are left unchecked" }

func (t *validateTask) run(e *env) error {
	var bad []string
	for _, path := range t.files {
		sc, err := interruptible(e.ctx, func() (*scenarios.Scenario, error) { return scenarios.Load(path) })
		if errors.As(err, new(interruption)) {
			return err
		}
		if err != nil {
			e.say("%v\n", err)
			bad = append(bad, path)
			continue
		}
		e.warn(sc)
		fmt.Fprintf(e.stdout, "%s: valid\n", path)
	}
	if len(bad) > 0 {
		return usageError{fmt.Errorf("%d of %d %s invalid: %s", len(bad), len(t.files), plural.Of(len(t.files), "file", "files"), strings.Join(bad, ", "))}
	}
	return nil
}

// warn prints a scenario's warnings: doubts that do not stop a run, such
// as hours with nobody on duty.
func (e *env) warn(sc *scenarios.Scenario) {
	for _, w := range sc.Warnings {
		e.say("warning: %s\n", w)
	}
}

const scenariosExamples = `  # List the embedded examples; start your own from one
  slasim scenarios
  slasim scenarios show default > desk.yaml
`

// scenariosTask is slasim scenarios: list the embedded examples, or print
// one.
type scenariosTask struct {
	// show names the example to print; empty to list them.
	show string
}

func scenariosFlags(fs *pflag.FlagSet) func([]string) (task, error) {
	return func(args []string) (task, error) {
		switch {
		case len(args) == 0:
			return &scenariosTask{}, nil
		case args[0] == "show" && len(args) == 2:
			return &scenariosTask{show: args[1]}, nil
		case args[0] == "show":
			return nil, usagef("usage: slasim scenarios show NAME")
		}
		return nil, usageError{errors.New("usage: slasim scenarios [show NAME]")}
	}
}

func (t *scenariosTask) stopping() string { return "stopping" }

func (t *scenariosTask) run(e *env) error {
	if t.show == "" {
		for _, name := range scenarios.Names() {
			fmt.Fprintf(e.stdout, "%-16s %s\n", name, scenarios.Describe(name))
		}
		return nil
	}
	src, ok := scenarios.Source(t.show)
	if !ok {
		return usagef("no embedded scenario %q; embedded: %s", t.show, strings.Join(scenarios.Names(), ", "))
	}
	_, err := e.stdout.Write(src)
	return err
}
