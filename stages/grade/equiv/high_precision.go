package equiv

import (
	"math"
	"math/big"
)

// prec is the working precision (bits) of the high-precision path: about 77
// significant decimal digits, far beyond the 1e-50 relative tolerance used to
// compare irrational values.
const prec = 256

// Constants, parsed once at start-up from their decimal expansions and never
// modified afterwards (they are only ever read as operands).
var (
	bigPi  = mustFloat("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651")
	bigLn2 = mustFloat("0.69314718055994530941723212145817656807550013436025525412068000949339362196969471560586332699641868754200148102")
	bigE   = mustFloat("2.71828182845904523536028747135266249775724709369995957496696762772407663035354759457138217852516642742746639193")
)

func mustFloat(s string) *big.Float {
	f, _, err := big.ParseFloat(s, 10, prec+64, big.ToNearestEven)
	if err != nil {
		panic(err)
	}
	return f
}

func newF() *big.Float { return new(big.Float).SetPrec(prec + 32) }

func fInt(n int64) *big.Float { return newF().SetInt64(n) }

func fAdd(a, b *big.Float) *big.Float { return newF().Add(a, b) }
func fSub(a, b *big.Float) *big.Float { return newF().Sub(a, b) }
func fMul(a, b *big.Float) *big.Float { return newF().Mul(a, b) }
func fQuo(a, b *big.Float) *big.Float { return newF().Quo(a, b) }

// tiny reports whether |x| < 2^-(prec+40): the point where a series stops.
func tiny(x *big.Float) bool { return x.Sign() == 0 || x.MantExp(nil) < -(prec+40) }

// fExp returns e^x, or ok false when the result is out of the exponent budget.
func fExp(x *big.Float) (*big.Float, bool) {
	if x.Sign() == 0 {
		return fInt(1), true
	}
	xf, _ := x.Float64()
	if math.Abs(xf) > 1e6 || math.IsInf(xf, 0) {
		return nil, false
	}
	// x = n ln2 + r, |r| <= ln2/2; then e^r by halving r 16 times.
	n := math.Round(xf / math.Ln2)
	r := fSub(x, fMul(fInt(int64(n)), bigLn2))
	const halvings = 16
	r.SetMantExp(r, -halvings)
	sum, term := fInt(1), fInt(1)
	for k := int64(1); k < 200; k++ {
		term = fQuo(fMul(term, r), fInt(k))
		sum = fAdd(sum, term)
		if tiny(term) {
			break
		}
	}
	for i := 0; i < halvings; i++ {
		sum = fMul(sum, sum)
	}
	return sum.SetMantExp(sum, int(n)), true
}

// fLog returns ln x for x > 0.
func fLog(x *big.Float) (*big.Float, bool) {
	if x.Sign() <= 0 {
		return nil, false
	}
	m := newF()
	k := x.MantExp(m) // x = m 2^k, m in [0.5, 1)
	mf, _ := m.Float64()
	y := newF().SetFloat64(math.Log(mf))
	two := fInt(2)
	for i := 0; i < 6; i++ { // Halley's iteration triples the correct bits
		ey, ok := fExp(y)
		if !ok {
			return nil, false
		}
		d := fQuo(fMul(two, fSub(m, ey)), fAdd(m, ey))
		y = fAdd(y, d)
		// Convergence is cubic: once the step is below 2^-(prec+40)/3 the
		// remaining error is below 2^-(prec+40).
		if d.Sign() == 0 || d.MantExp(nil) < -(prec+40)/3 {
			break
		}
	}
	return fAdd(y, fMul(fInt(int64(k)), bigLn2)), true
}

// fSinCos returns sin x and cos x.
func fSinCos(x *big.Float) (s, c *big.Float, ok bool) {
	xf, _ := x.Float64()
	if math.Abs(xf) > 1e9 || math.IsInf(xf, 0) || math.IsNaN(xf) {
		return nil, nil, false
	}
	twoPi := fMul(fInt(2), bigPi)
	k := math.Round(xf / (2 * math.Pi))
	r := fSub(x, fMul(fInt(int64(k)), twoPi))
	// Halve r so the series converges fast, then double back.
	const halvings = 8
	r.SetMantExp(r, -halvings)
	r2 := fMul(r, r)
	s, c = newF().Set(r), fInt(1)
	ts, tc := newF().Set(r), fInt(1)
	for n := int64(1); n < 200; n++ {
		ts = fQuo(fMul(ts, r2), fInt(-(2*n)*(2*n+1)))
		tc = fQuo(fMul(tc, r2), fInt(-(2*n-1)*(2*n)))
		s = fAdd(s, ts)
		c = fAdd(c, tc)
		if tiny(ts) && tiny(tc) {
			break
		}
	}
	two := fInt(2)
	for i := 0; i < halvings; i++ { // sin 2a = 2 sin a cos a, cos 2a = 2cos^2 a - 1
		s, c = fMul(two, fMul(s, c)), fSub(fMul(two, fMul(c, c)), fInt(1))
	}
	return s, c, true
}

// fAtan returns arctan x.
func fAtan(x *big.Float) *big.Float {
	neg := x.Sign() < 0
	a := newF().Abs(x)
	one := fInt(1)
	inv := a.Cmp(one) > 0
	if inv {
		a = fQuo(one, a)
	}
	// arctan a = 2 arctan(a / (1 + sqrt(1 + a^2))), four times.
	const halvings = 4
	for i := 0; i < halvings; i++ {
		a = fQuo(a, fAdd(one, newF().Sqrt(fAdd(one, fMul(a, a)))))
	}
	a2 := fMul(a, a)
	sum, term := newF().Set(a), newF().Set(a)
	for n := int64(1); n < 400; n++ {
		term = fMul(term, a2)
		t := fQuo(term, fInt(2*n+1))
		if n%2 == 1 {
			sum = fSub(sum, t)
		} else {
			sum = fAdd(sum, t)
		}
		if tiny(t) {
			break
		}
	}
	sum.SetMantExp(sum, halvings)
	if inv {
		sum = fSub(fQuo(bigPi, fInt(2)), sum)
	}
	if neg {
		sum.Neg(sum)
	}
	return sum
}

// fAtan2 returns the argument of x + iy in (-pi, pi].
func fAtan2(y, x *big.Float) *big.Float {
	switch {
	case x.Sign() > 0:
		return fAtan(fQuo(y, x))
	case x.Sign() < 0 && y.Sign() >= 0:
		return fAdd(fAtan(fQuo(y, x)), bigPi)
	case x.Sign() < 0:
		return fSub(fAtan(fQuo(y, x)), bigPi)
	case y.Sign() > 0:
		return fQuo(bigPi, fInt(2))
	case y.Sign() < 0:
		return newF().Neg(fQuo(bigPi, fInt(2)))
	}
	return fInt(0)
}
