package scenarios

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// Text returns the scenario's YAML as it was read.
func (s *Scenario) Text() []byte { return s.text }

// Example returns the name of the embedded example the scenario is, or ""
// for a scenario read from a file.
func (s *Scenario) Example() string { return s.example }

// Digest identifies what the scenario simulates: the SHA-256 of its text
// and of the head counts it read from staffing files (intervals.file),
// which the text only names. Two scenarios with the same digest, run with
// the same settings, give the same results.
func (s *Scenario) Digest() string {
	h := sha256.New()
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s.text)))
	h.Write(n[:])
	h.Write(s.text)
	for _, t := range s.Teams {
		for _, iv := range t.Schedule.Intervals {
			binary.LittleEndian.PutUint64(n[:], uint64(len(iv.Agents)))
			h.Write(n[:])
			for _, a := range iv.Agents {
				binary.LittleEndian.PutUint64(n[:], uint64(a))
				h.Write(n[:])
			}
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Restore parses a scenario's text again, as read from file or as the
// embedded example named (file then empty), so that it reports as the
// original did; a staffing file it names is read anew, beside file.
func Restore(file, example string, text []byte) (*Scenario, error) {
	name := file
	if example != "" {
		name = examplePath(example)
	}
	s, err := Parse(name, text)
	if err != nil {
		return nil, err
	}
	if example != "" {
		s.File, s.example = "", example
	}
	return s, nil
}
