package scenarios

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

var updateSchema = flag.Bool("update-schema", false, "rewrite docs/schema/scenario.schema.json")

const schemaFile = "../docs/schema/scenario.schema.json"

// docRows are docs/scenarios.md's field rows by path: type and meaning.
func docRows(t *testing.T) map[string][2]string {
	t.Helper()
	rows := map[string][2]string{}
	row := regexp.MustCompile("^\\| `([^`]+)` \\| (.*?) \\| (.*?) \\| (.*?) \\|")
	for _, line := range strings.Split(readDoc(t), "\n") {
		if m := row.FindStringSubmatch(line); m != nil {
			rows[m[1]] = [2]string{m[2], m[4]}
		}
	}
	return rows
}

// plain turns a Markdown cell into text for an editor's tooltip.
func plain(s string) string {
	s = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`).ReplaceAllString(s, "$1")
	return strings.NewReplacer("`", "", "**", "", "\\|", "|").Replace(s)
}

var (
	enumType  = regexp.MustCompile("^`[^`]+`(?:, `[^`]+`)*(?: or `[^`]+`)?$")
	enumValue = regexp.MustCompile("`([^`]+)`")
	bounds    = regexp.MustCompile(`(≥|>) (\d+)|(\d+) to (\d+)`)
)

// scalarSchema is the schema of a value documented as being of type typ,
// as strict as the documentation is plain: a type it cannot read lets
// anything through, leaving the check to slasim validate.
func scalarSchema(typ string) map[string]any {
	numeric := func(kind string) map[string]any {
		s := map[string]any{"type": kind}
		if m := bounds.FindStringSubmatch(typ); m != nil {
			switch {
			case m[1] == "≥":
				s["minimum"], _ = strconv.Atoi(m[2])
			case m[1] == ">":
				s["exclusiveMinimum"], _ = strconv.Atoi(m[2])
			default:
				s["minimum"], _ = strconv.Atoi(m[3])
				s["maximum"], _ = strconv.Atoi(m[4])
			}
		}
		return s
	}
	textual := map[string]any{"type": []any{"string", "number"}} // 15m, 0; 85%, 0.85; 200/day
	switch {
	case typ == "`true` or `false`":
		return map[string]any{"type": "boolean"}
	case enumType.MatchString(typ):
		var values []any
		for _, m := range enumValue.FindAllStringSubmatch(typ, -1) {
			values = append(values, m[1])
		}
		return map[string]any{"enum": values}
	case strings.Contains(typ, ", or") || strings.Contains(typ, "→"):
		return map[string]any{}
	case strings.HasPrefix(typ, "whole number"):
		return numeric("integer")
	case strings.HasPrefix(typ, "number or percentage"):
		return textual
	case strings.HasPrefix(typ, "number"):
		return numeric("number")
	case strings.HasPrefix(typ, "duration"), strings.HasPrefix(typ, "share"), strings.HasPrefix(typ, "volume"):
		return textual
	case slices.Contains([]string{"text", "time zone", "tier name", "team name", "calendar name", "date", "time range", "name, see below"}, typ):
		return map[string]any{"type": "string"}
	case strings.HasPrefix(typ, "list of "):
		item := strings.TrimPrefix(typ, "list of ")
		var items map[string]any
		switch {
		case strings.HasPrefix(item, "`"):
			items = scalarSchema(item)
		case strings.Contains(item, "whole numbers"):
			items = map[string]any{"type": "integer", "minimum": 0}
		case strings.HasPrefix(item, "durations"), strings.HasPrefix(item, "shares"):
			items = textual
		case item == "dates", item == "tier names":
			items = map[string]any{"type": "string"}
		default:
			items = map[string]any{}
		}
		return map[string]any{"type": []any{"array", "null"}, "items": items}
	}
	return map[string]any{}
}

// sectionSchema is the schema of the section type t at path, its fields
// described by the documentation's rows. A section used in several places
// is described once, in $defs, where it first appears.
func sectionSchema(t reflect.Type, path string, rows map[string][2]string, defs map[string]any) map[string]any {
	name := strings.TrimPrefix(t.Name(), "raw")
	if _, ok := defs[name]; ok {
		return map[string]any{"$ref": "#/$defs/" + name}
	}
	defs[name] = nil
	props := map[string]any{}
	for _, f := range fileFields(t) {
		key := f.key
		p := join(path, key)
		var s map[string]any
		switch ft := f.Type; {
		case isList(ft):
			elem := ft.Field(1).Type.Elem()
			s = map[string]any{"type": []any{"array", "null"}, "items": sectionSchema(elem, p+"[]", rows, defs)}
		case ft == valueType:
			s = scalarSchema(rows[p][0])
		default:
			s = sectionSchema(ft, p, rows, defs)
		}
		if r, ok := rows[p]; ok {
			s["description"] = plain(r[1])
		}
		if d := f.Tag.Get("default"); d != "" {
			if n, err := strconv.ParseFloat(d, 64); err == nil {
				s["default"] = n
			} else {
				s["default"] = d
			}
		}
		props[key] = s
	}
	defs[name] = map[string]any{"type": []any{"object", "null"}, "properties": props, "additionalProperties": false}
	return map[string]any{"$ref": "#/$defs/" + name}
}

// scenarioSchema is the JSON Schema of a scenario file, made from the
// types the decoder walks and docs/scenarios.md.
func scenarioSchema(t *testing.T) []byte {
	defs := map[string]any{}
	root := sectionSchema(reflect.TypeFor[rawScenario](), "", docRows(t), defs)
	doc := map[string]any{
		"$schema":     "https://json-schema.org/draft/2020-12/schema",
		"$id":         "https://slasim.github.io/schema/scenario.json",
		"title":       "slasim scenario file",
		"description": "A service desk for slasim to simulate: tiers and targets, arrivals, teams and shifts, automation, sizing and contract. See docs/scenarios.md.",
		"$ref":        root["$ref"],
		"$defs":       defs,
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// yamlValue converts a YAML document to the values JSON Schema checks:
// scalars as YAML resolves them, dates as the text written.
func yamlValue(n *yaml.Node) any {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil
		}
		return yamlValue(n.Content[0])
	case yaml.AliasNode:
		return yamlValue(n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = yamlValue(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, yamlValue(c))
		}
		return l
	}
	switch n.ShortTag() {
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		n.Decode(&b)
		return b
	case "!!int", "!!float":
		return json.Number(strings.ReplaceAll(n.Value, "_", ""))
	}
	return n.Value
}

// scenarioValidator compiles docs/schema/scenario.schema.json.
func scenarioValidator(t *testing.T) *jsonschema.Schema {
	t.Helper()
	path, err := filepath.Abs(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := jsonschema.NewCompiler().Compile(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validateYAML(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		t.Fatal(err)
	}
	return s.Validate(yamlValue(&n))
}

// TestScenarioSchema checks docs/schema/scenario.schema.json is the schema
// the decoder's types and docs/scenarios.md give (rewrite it with go test
// ./scenarios -run TestScenarioSchema -update-schema), that every embedded
// example and every scenario of the documentation follows it, and that a
// misspelt field or an unknown choice does not.
func TestScenarioSchema(t *testing.T) {
	want := scenarioSchema(t)
	if *updateSchema {
		if err := os.WriteFile(schemaFile, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("docs/schema/scenario.schema.json is not the schema of the scenario types and docs/scenarios.md: rewrite it with go test ./scenarios -run TestScenarioSchema -update-schema")
	}
	s := scenarioValidator(t)
	for _, name := range Names() {
		src, _ := Source(name)
		if err := validateYAML(t, s, src); err != nil {
			t.Errorf("example %s does not follow the schema: %v", name, err)
		}
	}
	blocks := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(readDoc(t), -1)
	for i, b := range blocks {
		if err := validateYAML(t, s, []byte(b[1])); err != nil {
			t.Errorf("docs/scenarios.md example %d does not follow the schema: %v", i+1, err)
		}
	}
	base, _ := Source("default")
	for _, bad := range []struct{ from, to string }{
		{"  - name: urgent\n", "  - name: urgent\n    targetz: {response: 1h}\n"},
		{"simulation:\n", "simulation:\n  horizn: 2w\n"},
		{"name: ", "nmae: "},
	} {
		if !bytes.Contains(base, []byte(bad.from)) {
			t.Fatalf("the default example has no %q", bad.from)
		}
		data := bytes.Replace(base, []byte(bad.from), []byte(bad.to), 1)
		if err := validateYAML(t, s, data); err == nil {
			t.Errorf("the default example with %q follows the schema", bad.to)
		}
	}
}
