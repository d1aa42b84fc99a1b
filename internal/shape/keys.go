package shape

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on the objects UniqueKeys reads, far above what slasim writes or
// its desk's page sends (objects of a few dozen keys, nested about ten
// deep), so that checking their keys takes little memory whatever a
// document holds.
const (
	MaxKeys  = 1024 // keys of one object
	MaxDepth = 64   // objects and arrays, one inside another
)

// UniqueKeys checks that no object of the JSON value data names a key
// twice, as encoding/json matches keys to a struct's fields: without
// regard to case. encoding/json keeps the last value of a repeated key,
// silently; slasim never writes one, and a document holding one was not
// written by it. The error names the object by its path from the top and
// the key as written.
func UniqueKeys(data []byte) error {
	if !json.Valid(data) {
		return errors.New("not JSON")
	}
	type frame struct {
		object  bool
		wantKey bool   // an object's next string is a key
		key     string // an object's last key, as written
		index   int    // an array's element being read
		first   int    // where the object's keys begin in open
	}
	var (
		stack []frame
		open  []string // the folded keys of the open objects, innermost last
		seen  = make(map[depthKey]bool)
	)
	// path names the object or array open at depth n.
	path := func(n int) string {
		var b strings.Builder
		for _, f := range stack[:n-1] {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				fmt.Fprintf(&b, "[%d]", f.index)
			}
		}
		if b.Len() == 0 {
			return "top level"
		}
		return b.String()
	}
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '{', '[':
			if len(stack) == MaxDepth {
				return fmt.Errorf("%s: objects and arrays nested more than %d deep", path(len(stack)+1), MaxDepth)
			}
			stack = append(stack, frame{object: c == '{', wantKey: true, first: len(open)})
		case '}', ']':
			f := stack[len(stack)-1]
			for _, k := range open[f.first:] {
				delete(seen, depthKey{len(stack), k})
			}
			open = open[:f.first]
			stack = stack[:len(stack)-1]
		case ',':
			f := &stack[len(stack)-1]
			f.wantKey = f.object
			f.index++
		case '"':
			start, escaped := i, false
			for i++; data[i] != '"'; i++ {
				if data[i] == '\\' {
					escaped = true
					i++
				}
			}
			if len(stack) == 0 {
				break // the line is a string
			}
			f := &stack[len(stack)-1]
			if f.object && f.wantKey {
				key := string(data[start+1 : i])
				if escaped {
					if err := json.Unmarshal(data[start:i+1], &key); err != nil {
						return err
					}
				}
				f.key, f.wantKey = key, false
				folded := fold(key)
				if seen[depthKey{len(stack), folded}] {
					return fmt.Errorf("%s: key %s given twice", path(len(stack)), strconv.Quote(key))
				}
				if len(open)-f.first == MaxKeys {
					return fmt.Errorf("%s: an object of more than %d keys", path(len(stack)), MaxKeys)
				}
				seen[depthKey{len(stack), folded}] = true
				open = append(open, folded)
			}
		}
	}
	return nil
}

// depthKey is a folded key of the object open at a depth.
type depthKey struct {
	depth int
	key   string
}

// fold is key folded as encoding/json compares keys with a struct's
// fields (bytes.EqualFold): two keys match if and only if their folds are
// equal. A rune folds to the smallest of its case-folding orbit
// (unicode.SimpleFold): upper case of lower case would also join the
// dotless ı and the dotted İ to I, which encoding/json keeps apart.
func fold(key string) string {
	ascii := true
	for i := 0; i < len(key); i++ {
		if key[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToUpper(key)
	}
	var b strings.Builder
	for _, r := range key {
		for {
			next := unicode.SimpleFold(r)
			if next <= r {
				r = next
				break
			}
			r = next
		}
		b.WriteRune(r)
	}
	return b.String()
}
