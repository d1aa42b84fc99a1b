package shard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/slasim/slasim/sim"
)

// save writes the state of a run's collectors: a JSON array for
// sim.Collectors, each member as it marshals itself. Every collector a
// scenario's run uses can; one that cannot is an error, not a silent {}.
func save(c sim.Collector) (json.RawMessage, error) {
	switch c := c.(type) {
	case nil:
		return json.RawMessage("null"), nil
	case sim.Collectors:
		members := make([]json.RawMessage, len(c))
		for i, m := range c {
			var err error
			if members[i], err = save(m); err != nil {
				return nil, err
			}
		}
		return json.Marshal(members)
	case json.Marshaler:
		return c.MarshalJSON()
	}
	return nil, fmt.Errorf("collector %T cannot be saved in a partial result", c)
}

// restore reads what save wrote into a collector made by the same factory.
func restore(c sim.Collector, data json.RawMessage) error {
	switch c := c.(type) {
	case sim.Collectors:
		members, err := array(data, len(c))
		if err != nil {
			return fmt.Errorf("collectors: %w", err)
		}
		for i, m := range c {
			if err := restore(m, members[i]); err != nil {
				return err
			}
		}
		return nil
	case json.Unmarshaler:
		return c.UnmarshalJSON(data)
	}
	return fmt.Errorf("collector %T cannot be read from a partial result", c)
}

// array reads a JSON array of n values, and nothing else.
func array(data []byte, n int) ([]json.RawMessage, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		return nil, fmt.Errorf("not an array of %d", n)
	}
	values := make([]json.RawMessage, n)
	for i := range values {
		if !dec.More() {
			return nil, fmt.Errorf("%d values where the scenario has %d", i, n)
		}
		if err := dec.Decode(&values[i]); err != nil {
			return nil, err
		}
	}
	if dec.More() {
		return nil, fmt.Errorf("more values than the scenario's %d", n)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the array")
	}
	return values, nil
}
