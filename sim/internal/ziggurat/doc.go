// Package ziggurat draws exponential and standard normal numbers from a
// PCG generator by Marsaglia and Tsang's ziggurat method ("The Ziggurat
// Method for Generating Random Variables", Journal of Statistical
// Software 5(8), 2000), the same numbers as math/rand/v2's
// Rand.ExpFloat64 and Rand.NormFloat64 over the same PCG, bit for bit,
// where Go does not fuse a product and a sum into one rounding (amd64).
// Where it may (arm64, ppc64le, s390x, riscv64; amd64 with GOAMD64=v3),
// math/rand/v2's acceptance tests and normal tail do, and about 1 draw in
// 10^5 comes out otherwise than on amd64; here the products are converted
// explicitly, which rounds them, so that only math.Log's own differences
// between machines remain (3 draws in 2·10^7 on arm64, in the tails).
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
