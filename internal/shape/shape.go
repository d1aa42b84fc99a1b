package shape

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// Strict decodes the JSON value data into v, refusing fields v does not
// have and anything after the value.
func Strict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the value") // More would miss a '}' or ']'
	}
	return nil
}

// Lengths checks that each array named in want, a field of the JSON object
// data, has the length given, counting its elements without keeping them.
// Field names match as encoding/json matches them to a struct's, without
// regard to case, so that no spelling escapes the check; a missing field
// passes, as it decodes to nothing.
func Lengths(data []byte, want map[string]int) error {
	var fields map[string]count
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	for name, n := range fields {
		for field, w := range want {
			if strings.EqualFold(name, field) && n.array && n.n != w {
				return fmt.Errorf("%s has %d entries, the model %d", field, n.n, w)
			}
		}
	}
	return nil
}

// count is the number of elements of a JSON array, read without keeping
// them; array is false for any other value.
type count struct {
	n     int
	array bool
}

func (c *count) UnmarshalJSON(b []byte) error {
	if len(b) == 0 || b[0] != '[' {
		return nil
	}
	var elems []skip // zero-sized: no memory however many
	if err := json.Unmarshal(b, &elems); err != nil {
		return err
	}
	c.n, c.array = len(elems), true
	return nil
}

type skip struct{}

func (*skip) UnmarshalJSON([]byte) error { return nil }

// NonNegative reports the first negative integer among the exported
// fields of v, walking through structs, arrays, slices and pointers: the
// counts, durations and indexes of statistics are never negative.
func NonNegative(v any) error {
	return nonNegative(reflect.ValueOf(v), "")
}

func nonNegative(v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Int() < 0 {
			return fmt.Errorf("%s is negative (%d)", strings.TrimPrefix(path, "."), v.Int())
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return nonNegative(v.Elem(), path)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				if err := nonNegative(v.Field(i), path+"."+f.Name); err != nil {
					return err
				}
			}
		}
	case reflect.Array, reflect.Slice:
		if k := v.Type().Elem().Kind(); k == reflect.Float64 || k == reflect.String || k == reflect.Bool {
			return nil
		}
		for i := range v.Len() {
			if err := nonNegative(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}
