package shape

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestUniqueKeys(t *testing.T) {
	for _, tt := range []struct{ doc, want string }{
		{`{"a":1,"b":{"a":2},"c":[{"a":1},{"a":2}]}`, ""},
		{`{"a":1,"b":2,"a":3}`, `top level: key "a" given twice`},
		{`{"a":{"x":1},"b":{"x":1,"y":{"z":1},"X":2}}`, `b: key "X" given twice`},
		{`{"c":[{"a":1},{"a":2,"b":{},"a":3}]}`, `c[1]: key "a" given twice`},
		{`{"a\"b":1,"a\u0022b":2}`, `top level: key "a\"b" given twice`},
		{`{"a":"{\"a\":1,\"a\":2}","b":"}]"}`, ""}, // braces and keys in strings are text
		{`{"s":1,"ſ":2}`, `top level: key "ſ" given twice`},
		{`{"i":1,"ı":2,"İ":3}`, ""}, // dotless and dotted: each its own fold
		{`[[{"a":1,"a":1}]]`, `[0][0]: key "a" given twice`},
		{`"a"`, ""},
		{`12`, ""},
	} {
		err := UniqueKeys([]byte(tt.doc))
		if tt.want == "" && err != nil || tt.want != "" && (err == nil || err.Error() != tt.want) {
			t.Errorf("%s: got %v, want %q", tt.doc, err, tt.want)
		}
	}
}

// FuzzUniqueKeys compares UniqueKeys with a walk of encoding/json's
// tokens that compares every two keys of an object with bytes.EqualFold,
// as encoding/json matches them to a struct's fields.
func FuzzUniqueKeys(f *testing.F) {
	for _, s := range []string{`{"a":1,"A":2}`, `{"a":[{"b":"}","B":{}}]}`, `{"\u212a":1,"k":2}`, `{"\u0131":1,"i":2}`, `[1,"x",{"y":null}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) {
			return
		}
		got := UniqueKeys(data)
		if got != nil && (strings.Contains(got.Error(), "more than")) {
			return
		}
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber() // numbers of any size
		want := repeatsByTokens(dec)
		if (got == nil) != (want == nil) {
			t.Fatalf("%q: UniqueKeys says %v, the tokens %v", data, got, want)
		}
	})
}

// repeatsByTokens reads one value from dec and reports a repeated key.
func repeatsByTokens(dec *json.Decoder) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		var keys []string
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return err
			}
			for _, seen := range keys {
				if bytes.EqualFold([]byte(seen), []byte(k.(string))) {
					return errors.New("repeated " + seen)
				}
			}
			keys = append(keys, k.(string))
			if err := repeatsByTokens(dec); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	case json.Delim('['):
		for dec.More() {
			if err := repeatsByTokens(dec); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	}
	return nil
}
