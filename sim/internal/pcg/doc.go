// Package pcg is the generator of math/rand/v2's PCG, a 128-bit linear
// congruential step followed by the DXSM output function (O'Neill's
// "double xorshift multiply"), with its steps written as affine maps of
// the state. Any number of steps composes into one map, applied at the
// cost of one step, so that a stream jumps over outputs nobody reads
// without computing them: the outputs it does compute are rand.PCG's, bit
// for bit (TestSameAsMathRand), and so is the state it leaves.
package pcg
