package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// A Diagnostic is one thing wrong with a scenario file, or worth a warning.
type Diagnostic struct {
	File string
	// Line and Column locate the offending value, counting from 1; both are
	// 0 for a problem with the file as a whole.
	Line, Column int
	// Path names the field, as in tiers[1].targets.response (tiers count
	// from 0); empty for the whole file.
	Path   string
	Reason string
}

// String formats p as file:line: path: reason, the form editors and
// terminals recognise as a link to the line.
func (p Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Reason)
	return b.String()
}

// ValidationError lists every problem found in a scenario file, in the
// order they appear in the file.
type ValidationError struct {
	Problems []Diagnostic
}

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// sortProblems orders problems by position, keeping the order of problems
// at the same place.
func sortProblems(ps []Diagnostic) {
	slices.SortStableFunc(ps, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
}
