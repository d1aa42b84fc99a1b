package ziggurat

import (
	"math"
	"math/rand/v2"
)

const (
	// The exponential's ziggurat: 256 strips of area ve each, the base's
	// edge at re.
	re = 7.69711747013104972
	ve = 3.949659822581572e-3

	// The normal's (its right half): 128 strips of area vn, base edge rn.
	rn = 3.442619855899
	vn = 9.91256303526217e-3
)

// A strip of a ziggurat: a draw j (an integer) gives x = j·w; it is
// accepted at once when j < k (x under the next strip up, so inside the
// density), else by comparing a uniform height between f of this strip
// and the one below with the density at x. f is the density at the
// strip's outer edge.
type strip struct {
	k    uint32
	w, f float32
}

var expStrips [256]strip
var normStrips [128]strip

func init() {
	// As in the paper's zigset: from the base up, each strip's edge x
	// from the area below it; k is the ratio of the edges in 32 (31 for
	// the normal's signed draw) bits, w the edge over that scale.
	const m2 = 1 << 32
	x, prev := re, re
	q := ve / math.Exp(-x)
	expStrips[0] = strip{k: uint32(x / q * m2), w: float32(q / m2), f: 1}
	expStrips[255].w, expStrips[255].f = float32(x/m2), float32(math.Exp(-x))
	for i := 254; i >= 1; i-- {
		x = -math.Log(ve/x + math.Exp(-x))
		expStrips[i+1].k = uint32(x / prev * m2)
		prev = x
		expStrips[i].w, expStrips[i].f = float32(x/m2), float32(math.Exp(-x))
	}

	const m1 = 1 << 31
	x, prev = rn, rn
	q = vn / math.Exp(-.5*x*x)
	normStrips[0] = strip{k: uint32(x / q * m1), w: float32(q / m1), f: 1}
	normStrips[127].w, normStrips[127].f = float32(x/m1), float32(math.Exp(-.5*x*x))
	for i := 126; i >= 1; i-- {
		x = math.Sqrt(-2 * math.Log(vn/x+math.Exp(-.5*x*x)))
		normStrips[i+1].k = uint32(x / prev * m1)
		prev = x
		normStrips[i].w, normStrips[i].f = float32(x/m1), float32(math.Exp(-.5*x*x))
	}
	// Strip 1's k stays 0, as in the paper and math/rand/v2: its draws
	// all take the comparison.
}

// Exp returns an exponentially distributed number with rate 1, the one
// rand.New(g).ExpFloat64() would.
func Exp(g *rand.PCG) float64 {
	u := g.Uint64()
	if s := &expStrips[uint8(u>>32)]; uint32(u) < s.k {
		return float64(uint32(u)) * float64(s.w)
	}
	return expEdge(g, u)
}

// expEdge is Exp past the fast path for the generator's output u.
func expEdge(g *rand.PCG, u uint64) float64 {
	for {
		j, i := uint32(u), uint8(u>>32)
		x := float64(j) * float64(expStrips[i].w)
		if j < expStrips[i].k {
			return x
		}
		if i == 0 {
			return re - math.Log(uniform(g))
		}
		if f, below := expStrips[i].f, expStrips[i-1].f; f+float32(float32(uniform(g))*(below-f)) < float32(math.Exp(-x)) {
			return x
		}
		u = g.Uint64()
	}
}

// Normal returns a standard normal number, the one rand.New(g).NormFloat64()
// would.
func Normal(g *rand.PCG) float64 {
	u := g.Uint64()
	j := int32(u)
	if s := &normStrips[u>>32&0x7f]; abs(j) < s.k {
		return float64(j) * float64(s.w)
	}
	return normalEdge(g, u)
}

// normalEdge is Normal past the fast path for the generator's output u.
func normalEdge(g *rand.PCG, u uint64) float64 {
	for {
		j, i := int32(u), u>>32&0x7f
		x := float64(j) * float64(normStrips[i].w)
		if abs(j) < normStrips[i].k {
			return x
		}
		if i == 0 {
			// The tail beyond rn, by Marsaglia's method.
			for {
				x = float64(-math.Log(uniform(g)) * (1.0 / rn))
				y := -math.Log(uniform(g))
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return rn + x
			}
			return -rn - x
		}
		if f, below := normStrips[i].f, normStrips[i-1].f; f+float32(float32(uniform(g))*(below-f)) < float32(math.Exp(-.5*x*x)) {
			return x
		}
		u = g.Uint64()
	}
}

// uniform is rand.Rand.Float64's number: 53 bits in [0, 1).
func uniform(g *rand.PCG) float64 { return float64(g.Uint64()<<11>>11) / (1 << 53) }

func abs(i int32) uint32 {
	if i < 0 {
		return uint32(-i)
	}
	return uint32(i)
}
