// Package plural writes a figure with its noun, singular when the figure
// reads 1: "1 agent", "0.952 agents". The engine's messages, the
// scenarios' warnings and the reports use it alike.
package plural
