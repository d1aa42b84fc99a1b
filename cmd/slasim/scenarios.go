package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/slasim/slasim/scenarios"
)

const validateExamples = `  slasim validate desk.yaml
  slasim validate scenarios/*.yaml
`

func validateCommand(e *env, fs *pflag.FlagSet) func([]string) error {
	return func(args []string) error {
		if len(args) == 0 {
			return usagef("validate needs at least one scenario file")
		}
		var bad []string
		for _, path := range args {
			sc, err := scenarios.Load(path)
			if err != nil {
				fmt.Fprintln(e.stderr, err)
				bad = append(bad, path)
				continue
			}
			e.warn(sc)
			fmt.Fprintf(e.stdout, "%s: valid\n", path)
		}
		if len(bad) > 0 {
			return usageError{fmt.Errorf("%d of %d files invalid: %s", len(bad), len(args), strings.Join(bad, ", "))}
		}
		return nil
	}
}

// warn prints a scenario's warnings: doubts that do not stop a run, such
// as hours with nobody on duty.
func (e *env) warn(sc *scenarios.Scenario) {
	for _, w := range sc.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
}

const scenariosExamples = `  slasim scenarios                          # list the embedded examples
  slasim scenarios show default > desk.yaml  # start your own from one
`

func scenariosCommand(e *env, fs *pflag.FlagSet) func([]string) error {
	return func(args []string) error {
		switch {
		case len(args) == 0:
			for _, name := range scenarios.Names() {
				fmt.Fprintf(e.stdout, "%-16s %s\n", name, scenarios.Describe(name))
			}
			return nil
		case args[0] == "show" && len(args) == 2:
			src, ok := scenarios.Source(args[1])
			if !ok {
				return usagef("no embedded scenario %q; embedded: %s", args[1], strings.Join(scenarios.Names(), ", "))
			}
			_, err := e.stdout.Write(src)
			return err
		case args[0] == "show":
			return usagef("usage: slasim scenarios show NAME")
		}
		return usageError{errors.New("usage: slasim scenarios [show NAME]")}
	}
}
