package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// A Setting is one field of a scenario file and the value to give it, as in
// a what-if sweep: Path names the field the way messages do (agents,
// arrivals.scale, tiers[2].targets.response; list items count from 0) and
// Value is written as in the file (12, 1.1, 5%, 30m, 150/day).
type Setting struct {
	Path, Value string
}

func (s Setting) String() string { return s.Path + "=" + s.Value }

// A SettingsError lists the problems of a scenario changed by settings, by
// field path and reason: line numbers would point into the rewritten text,
// not the file, so Line and Column are 0.
type SettingsError struct {
	Problems []Diagnostic
}

func (e *SettingsError) Error() string {
	reasons := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		reasons[i] = p.Reason
		if p.Path != "" {
			reasons[i] = p.Path + ": " + p.Reason
		}
	}
	return strings.Join(reasons, "; ")
}

// Vary returns the scenario in data, read from file, with each setting
// applied in turn (see Set) and the whole validated afresh, so that a
// change is held to every rule a file is. Problems are reported as a
// *SettingsError, by field path and reason only. The scenario's File is
// file, and its warnings carry no line numbers either.
func Vary(file string, data []byte, settings ...Setting) (*Scenario, error) {
	return vary(file, data, false, settings)
}

// vary is Vary, for a scenario without its directory when alone is set
// (see ParseAlone).
func vary(file string, data []byte, alone bool, settings []Setting) (*Scenario, error) {
	for _, st := range settings {
		var err error
		if data, err = Set(data, st.Path, st.Value); err != nil {
			return nil, err
		}
	}
	// Expanding aliases can make the text longer than the file was
	// allowed to be; the limit on nodes still holds.
	s, err := parse(file, data, alone)
	if ve := (*ValidationError)(nil); errors.As(err, &ve) {
		problems := slices.Clone(ve.Problems)
		for i := range problems {
			problems[i].Line, problems[i].Column = 0, 0
		}
		return nil, &SettingsError{Problems: problems}
	}
	if err != nil {
		return nil, err
	}
	for i := range s.Warnings {
		s.Warnings[i].Line, s.Warnings[i].Column = 0, 0
	}
	if at := s.maxReplicationsAt; at != nil {
		at.Line, at.Column = 0, 0
	}
	return s, nil
}

// Set returns the YAML text data with the field at path set to the single
// value v, written as in a file. A field absent from the text is added, with
// the sections leading to it; a list item must exist. Comments are kept,
// aliases are expanded so that the change reaches only the field named, and
// the text is otherwise re-encoded, so its layout may change. Set checks
// only the path: whether the field exists in the schema and the value suits
// it is for Parse to say.
func Set(data []byte, path, v string) ([]byte, error) {
	if !utf8.ValidString(v) {
		return nil, fmt.Errorf("%s: the value %q is not text (UTF-8)", path, v)
	}
	return editNode(data, path, func(slot **yaml.Node) error {
		if (*slot).Kind != yaml.ScalarNode {
			return fmt.Errorf("%s: is %s in the scenario, not a single value", path, describe(*slot))
		}
		old := *slot
		*slot = &yaml.Node{Kind: yaml.ScalarNode, Value: v,
			HeadComment: old.HeadComment, LineComment: old.LineComment, FootComment: old.FootComment}
		if strings.ContainsAny(v, "\n\r\t") {
			// The YAML encoder would write a block of lines, which does not
			// read back when a line holds only a tab ("\t\n", found by
			// FuzzSet); quoted, any text does.
			(*slot).Style = yaml.DoubleQuotedStyle
		}
		return nil
	})
}

// editNode returns the YAML text data with change applied to the node at path
// (added, as null, if absent), as Set describes.
func editNode(data []byte, path string, change func(slot **yaml.Node) error) ([]byte, error) {
	steps, err := parsePath(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%s: the scenario is not valid YAML: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, fmt.Errorf("%s: the scenario is empty", path)
	}
	// A file that parses has at most maxNodes once its aliases are
	// expanded; count them before expanding any.
	c := &nodeCounter{limit: maxNodes, sizes: make(map[*yaml.Node]int)}
	if c.passes(doc.Content[0]) != nil {
		return nil, fmt.Errorf("%s: the scenario's aliases expand to more than %d values, fields and list items (see docs/limits.md)", path, maxNodes)
	}
	if err := expandAliases(&doc.Content[0], false); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	slot := &doc.Content[0]
	for i := range steps {
		if slot, err = descend(slot, steps, i); err != nil {
			return nil, err
		}
	}
	if err := change(slot); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b.Bytes(), nil
}

// A step is one element of a path: a field name, or an index into a list
// when key is empty.
type step struct {
	key   string
	index int
}

func pathString(steps []step) string {
	var b strings.Builder
	for _, st := range steps {
		if st.key == "" {
			fmt.Fprintf(&b, "[%d]", st.index)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(st.key)
	}
	return b.String()
}

// parsePath splits a path such as tiers[2].targets.response into steps.
func parsePath(path string) ([]step, error) {
	bad := func(why string) error {
		return fmt.Errorf("%q is not a field path (%s); write it as in messages, such as agents, arrivals.scale or tiers[0].targets.response", path, why)
	}
	if path == "" {
		return nil, bad("empty")
	}
	var steps []step
	dotted := false // the previous character was a dot
	for rest := path; rest != ""; {
		switch {
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, bad("unclosed [")
			}
			n, err := strconv.Atoi(rest[1:end])
			if err != nil || n < 0 || rest[1] == '+' {
				return nil, bad(fmt.Sprintf("%s is not a list index >= 0", rest[:end+1]))
			}
			if len(steps) == 0 || dotted {
				return nil, bad("an index follows a field name, as in tiers[0]")
			}
			steps = append(steps, step{index: n})
			rest = rest[end+1:]
		case rest[0] == '.':
			if len(steps) == 0 || dotted || len(rest) == 1 {
				return nil, bad("a dot must join two field names")
			}
			dotted = true
			rest = rest[1:]
			continue
		default:
			if len(steps) > 0 && !dotted {
				return nil, bad("a field after an index needs a dot, as in tiers[0].share")
			}
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			key := rest[:end]
			for _, r := range key {
				if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
					return nil, bad(fmt.Sprintf("%q is not a field name", key))
				}
			}
			steps = append(steps, step{key: key})
			rest = rest[end:]
		}
		dotted = false
	}
	return steps, nil
}

// descend returns the slot of the node of steps[i] inside the node in
// slot, which steps[:i] lead to; a missing field is added, as a section
// unless it is the last. A missing list is not: its items would need
// fields of their own (a team's name, say) that a single value cannot
// give.
func descend(slot **yaml.Node, steps []step, i int) (**yaml.Node, error) {
	n, st, last := *slot, steps[i], i == len(steps)-1
	at := pathString(steps[:i])
	if st.key == "" {
		if n.Kind != yaml.SequenceNode {
			return nil, fmt.Errorf("%s: is %s in the scenario, not a list", at, describe(n))
		}
		if st.index >= len(n.Content) {
			return nil, fmt.Errorf("%s[%d]: no such item; %s has %d", at, st.index, at, len(n.Content))
		}
		return &n.Content[st.index], nil
	}
	if isNull(n) {
		// An empty section (simulation: with nothing after it).
		*n = yaml.Node{Kind: yaml.MappingNode, HeadComment: n.HeadComment, LineComment: n.LineComment, FootComment: n.FootComment}
	}
	if n.Kind != yaml.MappingNode {
		where := at
		if where == "" {
			where = "the scenario"
		}
		return nil, fmt.Errorf("%s: is %s, not a section with fields", where, describe(n))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == st.key {
			return &n.Content[i+1], nil
		}
	}
	if !last && steps[i+1].key == "" {
		return nil, fmt.Errorf("%s: not in the scenario, so it has no item %s: a setting changes a value or adds a field, not a list; add the list to the file first", pathString(steps[:i+1]), pathString(steps[:i+2]))
	}
	child := &yaml.Node{Kind: yaml.MappingNode}
	if last {
		child = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: st.key}, child)
	return &n.Content[len(n.Content)-1], nil
}

// expandAliases replaces every alias below the node in slot with a copy of
// the node it names, and drops the anchors, so that no node is shared and a
// change reaches only the field it names. The document is walked in order,
// so an anchored node is expanded before any alias copies it.
func expandAliases(slot **yaml.Node, copying bool) error {
	n := *slot
	if n.Kind == yaml.AliasNode {
		if n = resolve(n); n == nil || n.Kind == yaml.AliasNode {
			return errors.New("the scenario has an alias to nothing")
		}
		copying = true
	}
	if copying {
		c := *n
		c.Content = append([]*yaml.Node(nil), n.Content...)
		n = &c
		*slot = n
	}
	n.Anchor = ""
	for i := range n.Content {
		if err := expandAliases(&n.Content[i], copying); err != nil {
			return err
		}
	}
	return nil
}
