// Package shape checks JSON read from outside before and after decoding
// it: the statistics read back from the partial results of a run split
// across machines, and the requests of the desk's page. It checks that the
// arrays of a document have the lengths its model gives them, before any
// element is allocated, that it names no field its structures lack and no
// key twice in one object, and that no count in it is negative.
//
// A JSON array of empty objects costs three bytes an element and decodes
// into structures of kilobytes each; checking lengths first bounds the
// memory a decoder takes by the model, whatever the document says.
package shape
