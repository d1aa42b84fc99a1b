package fit

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Field is one piece of a ticket that Fit uses.
type Field int

// The fields of a ticket. Only Opened and Resolved are indispensable; a
// field left unmapped is simply not fitted (without Priority, every ticket
// is in one tier; without ID, every row is a ticket).
const (
	ID            Field = iota // ticket number; rows with the same one are updates of one ticket
	Opened                     // when the ticket arrived
	Priority                   // its tier
	Response                   // first response
	Resolved                   // resolution
	Updated                    // when the row was written: the latest row of a ticket wins
	Channel                    // phone, email, ...
	MadeSLA                    // whether the ticket met its SLA
	Reassignments              // times the ticket was passed to another group
	Reopens                    // times the ticket was reopened
	NumFields
)

var fieldNames = [NumFields]string{"id", "opened", "priority", "response", "resolved", "updated", "channel", "made-sla", "reassignments", "reopens"}

// String is the field's name, which is also its command-line flag and its
// key in a mapping file.
func (f Field) String() string {
	if f < 0 || f >= NumFields {
		return fmt.Sprintf("Field(%d)", int(f))
	}
	return fieldNames[f]
}

// ParseField returns the field of the given name (as String writes it; an
// underscore may stand for the hyphen).
func ParseField(name string) (Field, bool) {
	i := slices.Index(fieldNames[:], strings.ReplaceAll(name, "_", "-"))
	return Field(i), i >= 0
}

// isTime reports whether the field holds a date and time.
func (f Field) isTime() bool {
	return f == Opened || f == Response || f == Resolved || f == Updated
}

// A Mapping says which column of an export holds each field, and how to
// read its values.
type Mapping struct {
	// Name is the preset the mapping started from, or "custom".
	Name string
	// Columns[f] is the header of the column holding field f, matched
	// ignoring case and surrounding space; "" leaves the field out.
	Columns [NumFields]string
	// Optional[f] lets column Columns[f] be absent from the export: a preset
	// maps columns that some exports of its tool lack. A missing column
	// that is not optional is an error.
	Optional [NumFields]bool
	// Missing lists the values, besides the empty string, that mean
	// unknown, such as "?" or "NULL".
	Missing []string
	// DateLayout is the layout of every date, in Go's reference-time form
	// (2/1/2006 15:04); empty to detect it column by column.
	DateLayout string
}

// Presets are the built-in mappings, by name.
var presets = map[string]Mapping{
	// The ServiceNow incident export (incident table with its audit
	// columns), as in the event log of Amaral et al. (2018).
	"servicenow": {
		Name: "servicenow",
		Columns: [NumFields]string{
			ID: "number", Opened: "opened_at", Priority: "priority", Resolved: "resolved_at",
			Updated: "sys_updated_at", Channel: "contact_type", MadeSLA: "made_sla",
			Reassignments: "reassignment_count", Reopens: "reopen_count",
		},
		Optional: [NumFields]bool{
			Updated: true, Channel: true, MadeSLA: true, Reassignments: true, Reopens: true,
		},
		Missing:    []string{"?"},
		DateLayout: "2/1/2006 15:04",
	},
	// One row per ticket: id,opened_at,priority,first_response_at,resolved_at,channel.
	"generic": {
		Name: "generic",
		Columns: [NumFields]string{
			ID: "id", Opened: "opened_at", Priority: "priority", Response: "first_response_at",
			Resolved: "resolved_at", Channel: "channel",
		},
		Optional: [NumFields]bool{ID: true, Response: true, Channel: true},
	},
}

// PresetNames lists the built-in mappings, and "auto", which picks one from
// the export's header.
func PresetNames() []string { return []string{"auto", "generic", "servicenow"} }

// Preset returns the built-in mapping of the given name.
func Preset(name string) (Mapping, bool) {
	m, ok := presets[name]
	m.Missing = slices.Clone(m.Missing)
	return m, ok
}

// detectPreset picks the preset for an export from its header: ServiceNow's
// audit columns name it, anything else is read as generic.
func detectPreset(header []string) string {
	has := func(name string) bool {
		return slices.ContainsFunc(header, func(h string) bool { return normHeader(h) == name })
	}
	if has("number") && has("opened_at") && has("sys_updated_at") {
		return "servicenow"
	}
	return "generic"
}

// Overrides are the changes a user makes to a preset, from flags or a
// mapping file. A column named explicitly is required to exist.
type Overrides struct {
	// Preset names the mapping to start from: a name of PresetNames, or ""
	// for auto.
	Preset string
	// Columns maps a field to its column; "" leaves the field out.
	Columns map[Field]string
	// Missing, when not nil, replaces the preset's values meaning unknown.
	Missing []string
	// DateLayout, when not empty, replaces the preset's.
	DateLayout string
}

// apply returns m with o's changes.
func (o *Overrides) apply(m Mapping) Mapping {
	for f, col := range o.Columns {
		m.Columns[f] = col
		m.Optional[f] = false
	}
	if len(o.Columns) > 0 {
		m.Name += " with custom columns"
	}
	if o.Missing != nil {
		m.Missing = o.Missing
	}
	if o.DateLayout != "" {
		m.DateLayout = o.DateLayout
	}
	return m
}

// Merge returns o with the settings of p laid over it: p wins where both
// say something (flags over a mapping file).
func (o Overrides) Merge(p Overrides) Overrides {
	cols := make(map[Field]string, len(o.Columns)+len(p.Columns))
	for f, c := range o.Columns {
		cols[f] = c
	}
	for f, c := range p.Columns {
		cols[f] = c
	}
	o.Columns = cols
	if p.Preset != "" {
		o.Preset = p.Preset
	}
	if p.Missing != nil {
		o.Missing = p.Missing
	}
	if p.DateLayout != "" {
		o.DateLayout = p.DateLayout
	}
	return o
}

// mappingFile is the schema of a mapping file.
type mappingFile struct {
	Preset     string            `yaml:"preset"`
	Columns    map[string]string `yaml:"columns"`
	Missing    []string          `yaml:"missing"`
	DateFormat string            `yaml:"date_format"`
}

// ParseMappingFile reads a mapping file, a small YAML document such as
//
//	preset: generic            # optional: the mapping to start from
//	columns:                   # field: column header; "" leaves a field out
//	  id: Key
//	  opened: Created
//	  priority: Priority
//	  resolved: Resolved
//	missing: ["", "NULL"]      # values meaning unknown
//	date_format: yyyy-mm-dd HH:MM
//
// The fields are those of Field.String; date_format is as for
// ParseDateFormat.
func ParseMappingFile(file string, data []byte) (Overrides, error) {
	var mf mappingFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&mf); err != nil {
		return Overrides{}, fmt.Errorf("mapping file %s: %w", file, err)
	}
	o := Overrides{Preset: mf.Preset, Missing: mf.Missing, Columns: make(map[Field]string)}
	if mf.Preset != "" && !slices.Contains(PresetNames(), mf.Preset) {
		return Overrides{}, fmt.Errorf("mapping file %s: preset: unknown preset %q; the presets are %s", file, mf.Preset, strings.Join(PresetNames(), ", "))
	}
	for name, col := range mf.Columns {
		f, ok := ParseField(name)
		if !ok {
			return Overrides{}, fmt.Errorf("mapping file %s: columns: unknown field %q; the fields are %s", file, name, strings.Join(fieldNames[:], ", "))
		}
		o.Columns[f] = col
	}
	if mf.DateFormat != "" {
		layout, err := ParseDateFormat(mf.DateFormat)
		if err != nil {
			return Overrides{}, fmt.Errorf("mapping file %s: date_format: %w", file, err)
		}
		o.DateLayout = layout
	}
	return o, nil
}

// normHeader is a header as matched: lower case, without surrounding space
// or a byte-order mark.
func normHeader(h string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
}
