package scenarios

import (
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// A schemaField is one field of the scenario schema, found by walking the
// schema types the decoder walks, so the list cannot drift from the code.
type schemaField struct {
	path string // as in the documentation: tiers[].targets.response
	def  string // the default tag, if any
}

func schemaFields(t reflect.Type, prefix string, seen map[reflect.Type]bool) []schemaField {
	var fs []schemaField
	for _, f := range fileFields(t) {
		key := f.key
		path := join(prefix, key)
		fs = append(fs, schemaField{path, f.Tag.Get("default")})
		ft := f.Type
		if isList(ft) {
			path += "[]"
			ft = ft.Field(1).Type.Elem()
		}
		// A section type used in several places (profile) is documented
		// once, where it first appears.
		if ft != valueType && !seen[ft] {
			seen[ft] = true
			fs = append(fs, schemaFields(ft, path, seen)...)
		}
	}
	return fs
}

func readDoc(t *testing.T) string {
	t.Helper()
	doc, err := os.ReadFile("../docs/scenarios.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(doc)
}

// TestDocumentedFields checks that docs/scenarios.md has a table row for
// every field of the schema, showing its default if it has one, and a row
// for every distribution.
func TestDocumentedFields(t *testing.T) {
	doc := readDoc(t)
	fields := schemaFields(reflect.TypeFor[rawScenario](), "", map[reflect.Type]bool{})
	if len(fields) < 30 {
		t.Fatalf("found only %d schema fields", len(fields))
	}
	rows := make(map[string]string)
	for _, line := range strings.Split(doc, "\n") {
		if m := regexp.MustCompile("^\\| `([^`]+)` \\|").FindStringSubmatch(line); m != nil {
			rows[m[1]] = line
		}
	}
	for _, f := range fields {
		row, ok := rows[f.path]
		if !ok {
			t.Errorf("docs/scenarios.md has no table row for field %s", f.path)
			continue
		}
		if cols := strings.Split(row, " | "); len(cols) < 5 {
			t.Errorf("row for %s has %d columns, want field, type, default, meaning, example", f.path, len(cols))
		} else if f.def != "" && cols[2] != "`"+f.def+"`" {
			t.Errorf("row for %s gives default %s, the code %q", f.path, cols[2], f.def)
		}
	}
	for _, d := range distributions {
		row, ok := rows[d.name]
		if !ok {
			t.Errorf("docs/scenarios.md has no row for distribution %s", d.name)
			continue
		}
		want := "`" + strings.Join(d.params, "`, `") + "`"
		if cols := strings.Split(row, " | "); len(cols) < 2 || cols[1] != want {
			t.Errorf("row for distribution %s gives fields %q, the code %s", d.name, cols[1], want)
		}
	}
	for _, name := range Names() {
		if _, ok := rows[name]; !ok {
			t.Errorf("docs/scenarios.md has no row for example %s", name)
		}
	}
}

// TestDocumentedExamples checks that every YAML block in docs/scenarios.md
// is a valid scenario, without warnings.
func TestDocumentedExamples(t *testing.T) {
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(readDoc(t), -1)
	if len(blocks) == 0 {
		t.Fatal("no YAML examples in docs/scenarios.md")
	}
	for i, b := range blocks {
		s, err := Parse("docs/scenarios.md example", []byte(b[1]))
		if err != nil {
			t.Errorf("example %d: %v", i+1, err)
			continue
		}
		if len(s.Warnings) > 0 {
			t.Errorf("example %d: warnings %v", i+1, s.Warnings)
		}
		if err := s.Model().Validate(); err != nil {
			t.Errorf("example %d: %v", i+1, err)
		}
	}
}
