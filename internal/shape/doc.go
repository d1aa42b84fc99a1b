// Package shape checks statistics read back from JSON (the partial results
// of a run split across machines) before and after decoding them: that the
// arrays of a document have the lengths its model gives them, before any
// element is allocated, that it names no field its structures lack, and
// that no count in it is negative.
//
// A JSON array of empty objects costs three bytes an element and decodes
// into structures of kilobytes each; checking lengths first bounds the
// memory a decoder takes by the model, whatever the document says.
package shape
