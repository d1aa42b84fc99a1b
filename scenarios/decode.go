package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.yaml.in/yaml/v3"
)

// A value is one field of the schema as found in the file.
type value struct {
	// node is the field's value, with aliases resolved; nil when the field
	// is absent and has no default. A default is a node without a position.
	node *yaml.Node
	// path names the field in messages, as in tiers[1].targets.response.
	path string
	// parent is the nearest enclosing node present in the file, where an
	// absent field is reported missing.
	parent *yaml.Node
}

// given reports whether the field was written in the file rather than
// defaulted or left out.
func (v value) given() bool { return v.node != nil && v.node.Line > 0 }

// decoder collects the problems of one file while its fields are read, so
// that Parse can report them all at once.
type decoder struct {
	file     string
	problems []Diagnostic
	warnings []Diagnostic
	// schedules are the staffing files read so far, by name.
	schedules map[string]schedule
	// overLimit is set once a limit is passed; decoding stops there.
	overLimit bool
	// alone forbids reading files beside the scenario (see ParseAlone).
	alone bool
	// serviceCount is the number of services read, for the contract's
	// outage rule.
	serviceCount int
	// clockNames are the scenario's named clocks (sim.Model.ClockNames),
	// which the contract's rules may read.
	clockNames []string
	// unresolved says, by tier, which tiers promise no resolution, for the
	// contract's rules on that clock.
	unresolved []bool
}

func (d *decoder) at(n *yaml.Node, path, format string, args ...any) Diagnostic {
	p := Diagnostic{File: d.file, Path: path, Reason: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	return p
}

// errorf reports a problem with v, at its value if it was written in the
// file, else where it is missing.
func (d *decoder) errorf(v value, format string, args ...any) {
	d.problems = append(d.problems, d.at(v.where(), v.path, format, args...))
}

func (d *decoder) warnf(v value, format string, args ...any) {
	d.warnings = append(d.warnings, d.at(v.where(), v.path, format, args...))
}

// key is the field's name, the last element of its path.
func (v value) key() string { return v.path[strings.LastIndexByte(v.path, '.')+1:] }

func (v value) where() *yaml.Node {
	if v.given() {
		return v.node
	}
	return v.parent
}

// required reports v missing unless it is present. A field of a section that
// is itself malformed has already been reported with its section, so it is
// not reported again; an empty section (simulation: with nothing after it)
// counts as a mapping without fields.
func (d *decoder) required(v value, hint string) bool {
	if v.node != nil {
		return true
	}
	if p := v.parent; p == nil || p.Kind == yaml.MappingNode || isNull(p) {
		d.errorf(v, "missing; %s", hint)
	}
	return false
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// document reads the file's single YAML document and returns its root, or
// nil after reporting why there is none.
func (d *decoder) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) || err == nil && (len(doc.Content) == 0 || isNull(resolve(doc.Content[0]))) {
		d.problems = append(d.problems, d.at(nil, "", "file is empty; a scenario needs at least tiers and agents"))
		return nil
	}
	if err != nil {
		d.syntaxError(err)
		return nil
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		d.problems = append(d.problems, d.at(&extra, "", "a scenario file holds a single YAML document; remove the --- and what follows"))
	case !errors.Is(err, io.EOF):
		d.syntaxError(err)
	}
	if !d.checkNodes(doc.Content[0]) {
		return nil
	}
	return resolve(doc.Content[0])
}

func (d *decoder) syntaxError(err error) {
	p := Diagnostic{File: d.file, Reason: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Reason = "invalid YAML: " + m[2]
	}
	d.problems = append(d.problems, p)
}

// resolve follows aliases (*name) to the anchored node.
func resolve(n *yaml.Node) *yaml.Node {
	// An anchored node is never itself an alias, so one step should do; the
	// bound keeps a malformed tree from looping.
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 10; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n != nil && n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

var valueType = reflect.TypeFor[value]()

// fill stores the node n (nil when absent) of the field at path into the
// schema field rv, whose nearest present ancestor is parent.
func (d *decoder) fill(rv reflect.Value, n *yaml.Node, path string, parent *yaml.Node, def string) {
	n = resolve(n)
	t := rv.Type()
	switch {
	case t == valueType:
		if n == nil && def != "" {
			n = defaultNode(def)
		}
		rv.Set(reflect.ValueOf(value{n, path, parent}))
	case isList(t):
		rv.Field(0).Set(reflect.ValueOf(value{n, path, parent}))
		if n == nil || isNull(n) {
			return
		}
		if n.Kind != yaml.SequenceNode {
			d.problems = append(d.problems, d.at(n, path, "must be a list (lines starting with -), got %s", describe(n)))
			return
		}
		if l, ok := listLimits[t.Field(1).Type.Elem()]; ok && len(n.Content) > l.max {
			d.limitf(n, path, "has %d %s, at most %d", len(n.Content), l.what, l.max)
			return
		}
		items := reflect.MakeSlice(t.Field(1).Type, len(n.Content), len(n.Content))
		for i, e := range n.Content {
			d.fill(items.Index(i), e, fmt.Sprintf("%s[%d]", path, i), n, "")
		}
		rv.Field(1).Set(items)
	default:
		d.section(rv, n, path, parent)
	}
}

// section fills the schema struct rv from the mapping n, reporting unknown
// and repeated fields.
func (d *decoder) section(rv reflect.Value, n *yaml.Node, path string, parent *yaml.Node) {
	t := rv.Type()
	rv.Field(0).Set(reflect.ValueOf(value{n, path, parent}))
	if n != nil {
		// Absent fields are missing from this node; if it is malformed (a
		// list where a mapping belongs) they are not reported again.
		parent = n
	}
	if n != nil && n.Kind != yaml.MappingNode {
		if !isNull(n) {
			d.problems = append(d.problems, d.at(n, path, "must be a mapping (field: value, one per line or in {}), got %s", describe(n)))
		}
		n = nil
	}
	seen := make(map[string]*yaml.Node)
	if n != nil {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := k.Value
			f, ok := fieldByKey(t, key)
			switch {
			case k.ShortTag() == "!!merge":
				d.problems = append(d.problems, d.at(k, path, "merge keys (<<) are not supported; use an alias for the whole section instead (handling: *name)"))
				continue
			case k.Kind != yaml.ScalarNode:
				d.problems = append(d.problems, d.at(k, path, "field names must be plain words, got %s", describe(k)))
				continue
			case !ok && key == "":
				d.problems = append(d.problems, d.at(k, path, "a field without a name; expected one of %s", strings.Join(keys(t), ", ")))
				continue
			case !ok:
				d.problems = append(d.problems, d.at(k, join(path, key), "unknown field%s", suggestion(key, keys(t))))
				continue
			case seen[key] != nil:
				d.problems = append(d.problems, d.at(k, join(path, key), "repeated; first given on line %d", seen[key].Line))
				continue
			}
			seen[key] = k
			d.fill(rv.FieldByIndex(f.Index), v, join(path, key), n, f.Tag.Get("default"))
		}
	}
	for _, f := range fileFields(t) {
		if seen[f.key] == nil {
			d.fill(rv.FieldByIndex(f.Index), nil, join(path, f.key), parent, f.Tag.Get("default"))
		}
	}
}

func isList(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 2 && t.Field(1).Name == "Items"
}

// A fileField is a field of a schema struct that the file may name, and
// its name there.
type fileField struct {
	reflect.StructField
	key string
}

// fileFieldsOf holds the []fileField of each schema struct.
var fileFieldsOf sync.Map

// fileFields lists the fields of a schema struct that the file may name,
// in schema order. They are looked up for every field of every file:
// listing them afresh each time took a quarter of Parse's time.
func fileFields(t reflect.Type) []fileField {
	if fs, ok := fileFieldsOf.Load(t); ok {
		return fs.([]fileField)
	}
	var fs []fileField
	for _, f := range reflect.VisibleFields(t) {
		if k := f.Tag.Get("yaml"); k != "" && k != "-" {
			fs = append(fs, fileField{f, k})
		}
	}
	fileFieldsOf.Store(t, fs)
	return fs
}

// fieldByKey finds the field the file names key; "" names none.
func fieldByKey(t reflect.Type, key string) (fileField, bool) {
	for _, f := range fileFields(t) {
		if f.key == key {
			return f, true
		}
	}
	return fileField{}, false
}

// keys lists the field names of a schema struct, in schema order.
func keys(t reflect.Type) []string {
	var ks []string
	for _, f := range fileFields(t) {
		ks = append(ks, f.key)
	}
	return ks
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// defaultNode is the node of a default value: a plain scalar without a tag
// or a position, which YAML resolves as if it had been written in the file.
func defaultNode(def string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: def}
}

// describe names what a node holds, for "got ..." in messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.ScalarNode:
		if n.Value == "" {
			return `""`
		}
		// Quote enough of a long text to find it.
		if r := []rune(n.Value); len(r) > 40 {
			return string(r[:37]) + "…"
		}
		return n.Value
	case yaml.AliasNode: // only a key: values are resolved before they are read
		return "an alias, *" + n.Value
	}
	return "nothing"
}

// suggestion is "; did you mean X?" for the known word closest to s, or a
// list of the known words when none is close.
func suggestion(s string, known []string) string {
	s = strings.ToLower(s)
	best, bestDist := "", math.MaxInt
	for _, k := range known {
		if dist := editDistance(s, k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	// A third of the word may be mistyped: warmup, replication, reponse.
	if best != "" && bestDist <= max(1, len(best)/3) {
		return fmt.Sprintf("; did you mean %s?", best)
	}
	// Or it may be spelled out or cut short: sunday, max_reps.
	var prefixed []string
	for _, k := range known {
		if len(s) >= 3 && (strings.HasPrefix(s, k) || strings.HasPrefix(k, s[:max(3, len(s)/2)])) {
			prefixed = append(prefixed, k)
		}
	}
	if len(prefixed) == 1 {
		return fmt.Sprintf("; did you mean %s?", prefixed[0])
	}
	return fmt.Sprintf("; expected one of %s", strings.Join(known, ", "))
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// scalar returns v's node if it holds a single value, reporting it
// otherwise; an absent field gives false without a report.
func (d *decoder) scalar(v value, what string) (*yaml.Node, bool) {
	switch n := v.node; {
	case n == nil:
		return nil, false
	case isNull(n):
		d.errorf(v, "has no value; give %s, or remove the field", what)
		return nil, false
	case n.Kind != yaml.ScalarNode:
		d.errorf(v, "must be %s, got %s", what, describe(n))
		return nil, false
	default:
		return n, true
	}
}

func (d *decoder) text(v value) (string, bool) {
	n, ok := d.scalar(v, "some text")
	if !ok {
		return "", false
	}
	return n.Value, true
}

func (d *decoder) boolean(v value) (bool, bool) {
	n, ok := d.scalar(v, "true or false")
	if !ok {
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		d.errorf(v, "must be true or false, got %s", n.Value)
		return false, false
	}
	return b, true
}

// integer reads a whole number in [lo, hi].
func (d *decoder) integer(v value, lo, hi int64) (int64, bool) {
	n, ok := d.scalar(v, "a whole number")
	if !ok {
		return 0, false
	}
	var i int64
	if err := n.Decode(&i); err != nil || !whole(n) {
		// A whole number too large for 64 bits is read as a float.
		if f := 0.0; whole(n) && n.Decode(&f) == nil && (f > float64(hi) || f < float64(lo)) {
			d.errorf(v, "must be from %d to %d, got %s", lo, hi, n.Value)
			return 0, false
		}
		d.errorf(v, "must be a whole number, got %s%s", n.Value, quoted(n))
		return 0, false
	}
	switch {
	case i < lo:
		d.errorf(v, "must be >= %d, got %s", lo, n.Value)
		return 0, false
	case i > hi:
		d.errorf(v, "must be at most %d, got %s", hi, n.Value)
		return 0, false
	}
	return i, true
}

// quoted explains why a number in quotes is not a number.
func quoted(n *yaml.Node) string {
	if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		return " in quotes, which make it text"
	}
	return ""
}

// whole reports whether a number node has no fractional part. YAML decodes
// 12.5 into an integer as 12; a scenario must not lose the half silently.
func whole(n *yaml.Node) bool {
	var f float64
	return n.ShortTag() != "!!float" || n.Decode(&f) == nil && f == math.Trunc(f)
}

// seed reads a whole number >= 0 up to the largest uint64.
func (d *decoder) seed(v value) (uint64, bool) {
	n, ok := d.scalar(v, "a whole number")
	if !ok {
		return 0, false
	}
	// YAML reads a number beyond the largest uint64 as a float, which
	// would decode to another seed: 2^64 rounds to itself, then wraps.
	var u uint64
	var f float64
	if err := n.Decode(&u); err != nil || !whole(n) || n.ShortTag() == "!!float" && !(n.Decode(&f) == nil && f < 1<<64) {
		d.errorf(v, "must be a whole number from 0 to %d, got %s", uint64(math.MaxUint64), n.Value)
		return 0, false
	}
	return u, true
}

// number reads a finite number.
func (d *decoder) number(v value) (float64, bool) {
	n, ok := d.scalar(v, "a number")
	if !ok {
		return 0, false
	}
	var f float64
	if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		d.errorf(v, "must be a number, got %s%s", n.Value, quoted(n))
		return 0, false
	}
	return f, true
}

// fraction reads a number or a percentage: 0.05 and 5% are the same.
func (d *decoder) fraction(v value) (float64, bool) {
	n, ok := d.scalar(v, "a number or a percentage")
	if !ok {
		return 0, false
	}
	if s, isPct := strings.CutSuffix(n.Value, "%"); isPct && n.ShortTag() == "!!str" {
		f, err := ParsePercent(strings.TrimSpace(s))
		if err != nil {
			d.errorf(v, "must be a number or a percentage such as 5%%, got %s", n.Value)
			return 0, false
		}
		return f, true
	}
	var f float64
	if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		d.errorf(v, "must be a number or a percentage such as 5%%, got %s%s", n.Value, quoted(n))
		return 0, false
	}
	return f, true
}

// duration reads a duration > 0, or >= 0 if zeroOK.
func (d *decoder) duration(v value, zeroOK bool) (time.Duration, bool) {
	n, ok := d.scalar(v, "a duration such as 15m, 4h or 1d")
	if !ok {
		return 0, false
	}
	dur, err := ParseDuration(n.Value)
	if err != nil {
		if n.ShortTag() == "!!int" || n.ShortTag() == "!!float" {
			d.errorf(v, "must be a duration with a unit (s, m, h, d or w), such as 15m, 4h or 1d, got %s", n.Value)
		} else {
			d.errorf(v, "%v", err)
		}
		return 0, false
	}
	switch {
	case zeroOK && dur < 0:
		d.errorf(v, "must be >= 0, got %s", n.Value)
		return 0, false
	case !zeroOK && dur <= 0:
		d.errorf(v, "must be > 0, got %s", n.Value)
		return 0, false
	}
	return dur, true
}

// rateUnits are the periods a volume may be given per, in hours.
var rateUnits = map[string]float64{
	"h":     1,
	"hour":  1,
	"d":     24,
	"day":   24,
	"w":     168,
	"week":  168,
	"month": month / float64(time.Hour),
}

// maxRate bounds a volume, in tickets per hour: a million an hour is more
// than any service desk sees, and four weeks of it is already 672 million
// simulated tickets per replication.
const maxRate = 1_000_000

// rate reads a volume such as 150/day and returns it in tickets per hour.
func (d *decoder) rate(v value) (float64, bool) {
	n, ok := d.scalar(v, "a volume such as 150/day")
	if !ok {
		return 0, false
	}
	num, unit, found := strings.Cut(n.Value, "/")
	per, known := rateUnits[strings.TrimSpace(unit)]
	f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if !found || !known || err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		d.errorf(v, "must be a number of tickets per h, day, week or month, such as 150/day, got %s", n.Value)
		return 0, false
	}
	switch perHour := f / per; {
	case f <= 0:
		d.errorf(v, "must be > 0, got %s", n.Value)
		return 0, false
	case perHour > maxRate:
		d.errorf(v, "must be at most %d/h, got %s", maxRate, n.Value)
		return 0, false
	default:
		return perHour, true
	}
}

// An entry is a field of a mapping read by hand, whose keys are data
// (days, clock names) rather than the schema's fields: its key, and its
// value with the path the key gives it.
type entry struct {
	key *yaml.Node
	value
}

// at is the entry's key, for problems with the key itself.
func (e entry) at() value { return value{e.key, e.path, e.parent} }

// entries returns the fields of the mapping v in the file's order. As
// section does for the schema's fields, it reports and leaves out a key
// given twice, a merge key (<<) and a key that is not a plain word (ok is
// then false): the readers check only what their keys mean.
func (d *decoder) entries(v value) (es []entry, ok bool) {
	n := v.node
	es = make([]entry, 0, len(n.Content)/2)
	seen := make(map[string]*yaml.Node)
	ok = true
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		e := entry{k, value{resolve(n.Content[i+1]), join(v.path, k.Value), n}}
		switch {
		case k.ShortTag() == "!!merge":
			d.errorf(value{k, v.path, n}, "merge keys (<<) are not supported; write the mapping out in full")
		case k.Kind != yaml.ScalarNode:
			d.errorf(value{k, v.path, n}, "keys must be plain words, got %s", describe(k))
		case seen[k.Value] != nil:
			d.errorf(e.at(), "repeated; first given on line %d", seen[k.Value].Line)
		default:
			seen[k.Value] = k
			es = append(es, e)
			continue
		}
		ok = false
	}
	return es, ok
}

// items returns the elements of the list v, each as a value with its own
// path, reporting v if it is not a list of what, such as example.
func (d *decoder) items(v value, what, example string) ([]value, bool) {
	n := v.node
	if n == nil {
		return nil, false
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(v, "must be a list of %s, such as %s, got %s", what, example, describe(n))
		return nil, false
	}
	vs := make([]value, len(n.Content))
	for i, e := range n.Content {
		vs[i] = value{resolve(e), fmt.Sprintf("%s[%d]", v.path, i), n}
	}
	return vs, true
}
