// Package ziggurat draws exponential and standard normal numbers from a
// PCG generator by Marsaglia and Tsang's ziggurat method ("The Ziggurat
// Method for Generating Random Variables", Journal of Statistical
// Software 5(8), 2000), the same numbers as math/rand/v2's
// Rand.ExpFloat64 and Rand.NormFloat64 over the same PCG, bit for bit.
//
// A rand.Rand reaches its generator through the rand.Source interface: a
// call that cannot be inlined for every draw. Here the generator is the
// concrete *rand.PCG, and the common case (about 99% of draws: one
// output of the generator, one comparison, one product) is small.
//
// The tables are computed at start-up by the paper's recurrences, with
// its constants; TestTablesAsMathRand checks that they are math/rand/v2's
// to the bit, TestSameAsMathRand that the draws are its.
package ziggurat
