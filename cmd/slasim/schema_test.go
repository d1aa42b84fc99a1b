package main

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/slasim/slasim/reports"
)

// resultSchemas are the JSON documents slasim writes, each with its JSON
// Schema under docs/schema, made from the Go types that are encoded: a
// field the code adds, drops or retypes changes the schema, and this test
// fails until docs/schema is rewritten (go test ./cmd/slasim -run
// TestResultSchemas -update).
var resultSchemas = []struct {
	file, id, title string
	typ             reflect.Type
}{
	{"run.schema.json", reports.SchemaVersion, "slasim run --json: a run's results", reflect.TypeFor[reports.Report]()},
	{"sweep.schema.json", reports.SweepSchemaVersion, "slasim sweep --json: a sweep's results, point by point", reflect.TypeFor[reports.Sweep]()},
	{"size.schema.json", reports.SizingSchemaVersion, "slasim size --json: the cheapest staffing found and the search", reflect.TypeFor[reports.Sizing]()},
	{"erlang.schema.json", reports.ErlangSchemaVersion, "slasim erlang --json: the Erlang C (or A) calculator's figures", reflect.TypeFor[reports.Erlang]()},
}

// typeSchema builds a JSON Schema (draft 2020-12) of what encoding/json
// writes for a value of type t: objects list their fields, every one
// required unless omitempty, and no others; a pointer, slice or map may be
// null.
func typeSchema(t reflect.Type, defs map[string]any) map[string]any {
	if t.Implements(reflect.TypeFor[json.Marshaler]()) || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Marshaler]()) {
		return map[string]any{} // its own encoding: anything
	}
	if t.Implements(reflect.TypeFor[encoding.TextMarshaler]()) || reflect.PointerTo(t).Implements(reflect.TypeFor[encoding.TextMarshaler]()) {
		return map[string]any{"type": "string"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return nullable(typeSchema(t.Elem(), defs))
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return map[string]any{"type": "integer"}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Slice:
		return nullable(map[string]any{"type": "array", "items": typeSchema(t.Elem(), defs)})
	case reflect.Array:
		return map[string]any{"type": "array", "items": typeSchema(t.Elem(), defs), "minItems": t.Len(), "maxItems": t.Len()}
	case reflect.Map:
		return nullable(map[string]any{"type": "object", "additionalProperties": typeSchema(t.Elem(), defs)})
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := strings.ReplaceAll(t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]+"."+t.Name(), "/", ".")
		if _, ok := defs[name]; !ok {
			defs[name] = nil // being built: a recursive reference finds it
			props, required := map[string]any{}, []string{}
			for _, f := range reflect.VisibleFields(t) {
				if !f.IsExported() || f.Anonymous {
					continue
				}
				tag := f.Tag.Get("json")
				key, opts, _ := strings.Cut(tag, ",")
				if key == "-" && opts == "" {
					continue
				}
				if key == "" {
					key = f.Name
				}
				props[key] = typeSchema(f.Type, defs)
				if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
					required = append(required, key)
				}
			}
			defs[name] = map[string]any{"type": "object", "properties": props, "required": required, "additionalProperties": false}
		}
		return map[string]any{"$ref": "#/$defs/" + name}
	}
	panic(fmt.Sprintf("no JSON Schema for %v", t))
}

func nullable(s map[string]any) map[string]any {
	if ref, ok := s["$ref"]; ok {
		return map[string]any{"anyOf": []any{map[string]any{"$ref": ref}, map[string]any{"type": "null"}}}
	}
	if typ, ok := s["type"].(string); ok {
		s["type"] = []any{typ, "null"}
	}
	return s
}

// resultSchema is the schema document of a result type.
func resultSchema(id, title string, t reflect.Type) []byte {
	defs := map[string]any{}
	root := typeSchema(t, defs)
	// The document names its layout: that one.
	name := strings.TrimPrefix(root["$ref"].(string), "#/$defs/")
	defs[name].(map[string]any)["properties"].(map[string]any)["schema"] = map[string]any{"const": id}
	doc := map[string]any{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$id":     "https://slasim.github.io/schema/" + strings.ReplaceAll(id, "/", "-") + ".json",
		"title":   title,
		"$ref":    root["$ref"],
		"$defs":   defs,
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(err)
	}
	return append(b, '\n')
}

// compileSchema compiles a schema file of docs/schema.
func compileSchema(t *testing.T, file string) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	path, err := filepath.Abs(filepath.Join("../../docs/schema", file))
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(path)
	if err != nil {
		t.Fatalf("docs/schema/%s: %v", file, err)
	}
	return s
}

// validate checks a JSON document against a schema.
func validate(t *testing.T, s *jsonschema.Schema, what string, doc []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := s.Validate(v); err != nil {
		t.Errorf("%s does not follow its schema: %v", what, err)
	}
}

// TestResultSchemas checks docs/schema's result schemas are those of the
// types written, and that real results of run, sweep, size and erlang
// follow them.
func TestResultSchemas(t *testing.T) {
	for _, r := range resultSchemas {
		want := resultSchema(r.id, r.title, r.typ)
		path := filepath.Join("../../docs/schema", r.file)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("docs/schema/%s is not the schema of %v: rewrite it with go test ./cmd/slasim -run TestResultSchemas -update", r.file, r.typ)
		}
	}
	// An unstable run, whose figures are left out.
	overloaded := filepath.Join(t.TempDir(), "overloaded.yaml")
	if err := os.WriteFile(overloaded, []byte(`name: overloaded
simulation: {horizon: 1w, warm_up: 1d}
arrivals: {volume: 100/day}
tiers: [{name: all, share: 100%, targets: {response: 1h, resolution: 4h}, handling: {mean: 1h}}]
agents: 2
`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		schema string
		args   []string
	}{
		{"run.schema.json", []string{"run", "default", "-r", "3", "--horizon", "1w"}},
		{"run.schema.json", []string{"run", "contract", "-r", "3", "--horizon", "5w"}},
		{"run.schema.json", []string{"run", "erlang-c", "-r", "3", "--horizon", "1w"}},
		{"run.schema.json", []string{"run", overloaded, "-r", "2"}},
		{"sweep.schema.json", []string{"sweep", "contract", "-r", "2", "--horizon", "5w", "--vary", "agents=10,12"}},
		{"size.schema.json", []string{"size", "erlang-c", "-r", "10", "--max-replications", "20", "--set", "simulation.horizon=2w"}},
		{"erlang.schema.json", []string{"erlang", "--calls", "100", "--interval", "30m", "--aht", "3m", "--target", "20s", "--agents", "12..14"}},
	} {
		var out, errs bytes.Buffer
		e := &env{ctx: context.Background(), stdout: &out, stderr: &errs}
		if code := e.main(append(c.args, "--json")); code != exitOK && code != exitFailed {
			t.Fatalf("slasim %v: exit %d: %s", c.args, code, errs.String())
		}
		schema := compileSchema(t, c.schema)
		validate(t, schema, fmt.Sprintf("slasim %s --json", strings.Join(c.args, " ")), out.Bytes())
		// A field it does not know, or a document of another kind, fails.
		for _, bad := range [][2]string{{`{`, `{"bogus": 1, `}, {`"schema": "slasim.`, `"schema": "other.`}} {
			doc := bytes.Replace(out.Bytes(), []byte(bad[0]), []byte(bad[1]), 1)
			if v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc)); err != nil || schema.Validate(v) == nil {
				t.Errorf("%s: a result with %s passes (%v)", c.schema, bad[1], err)
			}
		}
	}
}
