package equiv

import (
	"hash/fnv"
	"math"
	"math/big"
)

// Budgets of evaluation. Exceeding one ends it with errBudget.
const (
	maxBits      = 40000   // bit length of any exact numerator or denominator (~12,000 digits)
	maxWork      = 800     // work units (about half a microsecond each) for all evaluations of one answer
	maxFactorial = 3000    // n! is computed exactly up to this n
	maxExponent  = 1 << 20 // |n| of an integer power computed by repeated squaring
	maxRootIndex = 64      // n of an exact n-th root
)

type evalErr uint8

const (
	evalOK         evalErr = iota
	errInexact             // no exact rational value: use the high-precision path
	errBudget              // a budget was exceeded
	errUndefined           // division by zero, log of zero, ...
	errUnsupported         // something the engine does not evaluate (infinity in arithmetic, ...)
)

// cq is an exact complex rational; im == nil means a real number.
type cq struct{ re, im *big.Rat }

// cf is a high-precision complex number; im == nil means a real number.
type cf struct{ re, im *big.Float }

// Work costs of the expensive operations, in work units (measured: exp 7.5 µs,
// log 15 µs, sin/cos 14 µs, atan 18 µs at 288 bits; 3000! 150 µs).
const (
	costExp  = 15
	costLog  = 30
	costTrig = 28
	costAtan = 36
)

// evaluator evaluates one expression at one sample point. It holds the point
// index and a pointer to the work budget of the answer being prepared; nothing
// is shared between answers.
type evaluator struct {
	point int
	work  *int
}

// substitute replaces the free variable name in e by v (the term k of a sum),
// sharing every part that does not contain it.
func substitute(e *ex, name string, v *ex) *ex {
	switch e.op {
	case eVar:
		if e.name == name {
			return v
		}
		return e
	case eSum, eProd, eInt, eLim:
		if e.name == name { // the body rebinds name: only the limits see v
			out := &ex{op: e.op, name: e.name, args: append([]*ex{e.args[0]}, e.args[1:]...)}
			for i := 1; i < len(out.args); i++ {
				out.args[i] = substitute(out.args[i], name, v)
			}
			return out
		}
	}
	var args []*ex
	for i, a := range e.args {
		r := substitute(a, name, v)
		if r != a && args == nil {
			args = append(make([]*ex, 0, len(e.args)), e.args[:i]...)
		}
		if args != nil {
			args = append(args, r)
		}
	}
	if args == nil {
		return e
	}
	return &ex{op: e.op, r: e.r, name: e.name, args: args}
}

// maxTerms bounds the terms of an evaluated sum or product (the work budget
// usually ends it sooner).
const maxTerms = 10000

// bounds evaluates the integer limits of a sum or product.
func (ev *evaluator) bounds(e *ex) (lo, hi int64, err evalErr) {
	l, err := ev.exactNatOrInt(e.args[1])
	if err != evalOK {
		return 0, 0, err
	}
	h, err := ev.exactNatOrInt(e.args[2])
	if err != evalOK {
		return 0, 0, err
	}
	if h-l+1 > maxTerms {
		return 0, 0, errBudget
	}
	return l, h, evalOK
}

func (ev *evaluator) exactNatOrInt(e *ex) (int64, evalErr) {
	v, err := ev.exact(e)
	if err == errInexact {
		return 0, errUnsupported
	}
	if err != evalOK {
		return 0, err
	}
	if !v.real() || !v.re.IsInt() {
		return 0, errUnsupported
	}
	if !v.re.Num().IsInt64() || v.re.Num().Int64() > 1<<40 || v.re.Num().Int64() < -(1<<40) {
		return 0, errBudget
	}
	return v.re.Num().Int64(), evalOK
}

// pointValue returns the value of variable name at sample k: a rational in
// (1.5, 4.5) with denominator 997 — negated at the last sample, so that |x|
// and x differ — derived deterministically from the name and k (a seeded hash;
// no global random state). Both sides of a comparison see the same value for
// the same name.
func pointValue(name string, k int) *big.Rat {
	h := fnv.New64a()
	h.Write([]byte(name))
	x := h.Sum64() + uint64(k+1)*0x9E3779B97F4A7C15
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	switch {
	case k >= altSmall && k < altSmall+samples: // 0.05..0.949: inside arcsin's domain
		return big.NewRat(int64(x%900)+50, 1000)
	case k >= altLarge && k < altLarge+samples: // 5.5..12.499: past the zeros of small shifts
		return big.NewRat(int64(x%7000)+5500, 1000)
	}
	n := int64(x%2991) + 1496 // 1496..4486
	if k == negative {
		n = -n
	}
	return big.NewRat(n, 997)
}

// The alternative sample sets, used only when an expression is undefined at
// every regular sample point (\log(x - 5), \arcsin x): their point indices.
const (
	altSmall = 100
	altLarge = 200
)

// altSamplesEqual compares two expressions that are undefined at every
// regular sample point at the alternative points: equal when, in the first
// set where either is defined at two points or more, both are defined at the
// same points and agree there. Each side gets a fresh work budget.
func altSamplesEqual(a, b *ex) bool {
	if a == nil || b == nil {
		return false
	}
	for _, base := range []int{altSmall, altLarge} {
		wa, wb := maxWork, maxWork
		defined := 0
		for k := base; k < base+samples; k++ {
			va, oka := sampleAt(a, k, &wa)
			vb, okb := sampleAt(b, k, &wb)
			if oka == errBudget || okb == errBudget {
				return false
			}
			if oka != okb {
				if defined > 0 {
					return false
				}
				defined = -1 // defined on one side only: try the next set
				break
			}
			if oka != evalOK {
				continue
			}
			if !cfClose(va, vb) {
				return false
			}
			defined++
		}
		if defined >= 2 {
			return true
		}
	}
	return false
}

// sampleAt evaluates e at sample point k, exactly when possible.
func sampleAt(e *ex, k int, work *int) (cf, evalErr) {
	ev := evaluator{point: k, work: work}
	v, err := ev.exact(e)
	if err == evalOK {
		c := cf{re: newF().SetRat(v.re)}
		if v.im != nil {
			c.im = newF().SetRat(v.im)
		}
		return c, evalOK
	}
	if err == errInexact {
		return ev.approx(e)
	}
	return cf{}, err
}

// spend takes n work units from the answer's budget.
func (ev *evaluator) spend(n int) evalErr {
	*ev.work -= n
	if *ev.work < 0 {
		return errBudget
	}
	return evalOK
}

func (ev *evaluator) step() evalErr { return ev.spend(1) }

func tooBig(r *big.Rat) bool {
	return r.Num().BitLen() > maxBits || r.Denom().BitLen() > maxBits
}

func isZero(r *big.Rat) bool { return r == nil || r.Sign() == 0 }

func (z cq) real() bool { return isZero(z.im) }

// exact evaluates e exactly.
func (ev *evaluator) exact(e *ex) (cq, evalErr) {
	if err := ev.step(); err != evalOK {
		return cq{}, err
	}
	switch e.op {
	case eNum:
		return cq{re: e.r}, evalOK
	case eVar:
		return cq{re: pointValue(e.name, ev.point)}, evalOK
	case eSum, eProd:
		return ev.exactBig(e)
	case eI:
		return cq{re: new(big.Rat), im: ratOne}, evalOK
	case ePi, eE, eFunc:
		return cq{}, errInexact
	case eAdd:
		re, im := new(big.Rat), new(big.Rat)
		for _, a := range e.args {
			v, err := ev.exact(a)
			if err != evalOK {
				return cq{}, err
			}
			re.Add(re, v.re)
			if v.im != nil {
				im.Add(im, v.im)
			}
			if tooBig(re) || tooBig(im) {
				return cq{}, errBudget
			}
		}
		return norm(re, im), evalOK
	case eMul:
		acc := cq{re: ratOne}
		for _, a := range e.args {
			v, err := ev.exact(a)
			if err != evalOK {
				return cq{}, err
			}
			acc = cqMul(acc, v)
			if tooBig(acc.re) || acc.im != nil && tooBig(acc.im) {
				return cq{}, errBudget
			}
		}
		return acc, evalOK
	case ePow:
		b, err := ev.exact(e.args[0])
		if err != evalOK {
			return cq{}, err
		}
		x, err := ev.exact(e.args[1])
		if err != evalOK {
			return cq{}, err
		}
		return ev.exactPow(b, x)
	case eRoot:
		b, err := ev.exact(e.args[0])
		if err != evalOK {
			return cq{}, err
		}
		return exactRoot(b, e.args[1].r)
	case eFact:
		n, err := ev.exactNat(e.args[0], maxFactorial)
		if err != evalOK {
			return cq{}, err
		}
		if err := ev.charge(int(n)); err != evalOK {
			return cq{}, err
		}
		f := new(big.Int).MulRange(1, n)
		if n == 0 {
			f.SetInt64(1)
		}
		return cq{re: new(big.Rat).SetInt(f)}, evalOK
	case eBinom:
		k, err := ev.exactNat(e.args[1], 100000)
		if err != evalOK {
			return cq{}, err
		}
		n, err := ev.exactNat(e.args[0], 100000)
		if err == errUnsupported && k <= 64 {
			// \binom{x}{k} = x (x-1) ... (x-k+1) / k! for any x
			x, err := ev.exact(e.args[0])
			if err != evalOK {
				return cq{}, err
			}
			acc := cq{re: ratOne}
			for j := int64(0); j < k; j++ {
				acc = cqMul(acc, cq{re: new(big.Rat).Sub(x.re, big.NewRat(j, 1)), im: x.im})
				acc = cqMul(acc, cq{re: big.NewRat(1, j+1)})
			}
			return acc, evalOK
		}
		if err != evalOK {
			return cq{}, err
		}
		if k > n {
			return cq{re: new(big.Rat)}, evalOK
		}
		if err := ev.charge(int(min(k, n-k))); err != evalOK {
			return cq{}, err
		}
		return cq{re: new(big.Rat).SetInt(new(big.Int).Binomial(n, k))}, evalOK
	case eAbs:
		v, err := ev.exact(e.args[0])
		if err != evalOK {
			return cq{}, err
		}
		if !v.real() {
			return cq{}, errInexact
		}
		return cq{re: new(big.Rat).Abs(v.re)}, evalOK
	case eFloor, eCeil:
		v, err := ev.exact(e.args[0])
		if err != evalOK {
			return cq{}, err
		}
		if !v.real() {
			return cq{}, errUnsupported
		}
		q, m := new(big.Int).DivMod(v.re.Num(), v.re.Denom(), new(big.Int))
		if e.op == eCeil && m.Sign() != 0 {
			q.Add(q, big.NewInt(1))
		}
		return cq{re: new(big.Rat).SetInt(q)}, evalOK
	}
	return cq{}, errUnsupported
}

// exactBig evaluates a sum or product with integer limits exactly.
func (ev *evaluator) exactBig(e *ex) (cq, evalErr) {
	lo, hi, err := ev.bounds(e)
	if err != evalOK {
		return cq{}, err
	}
	acc := cq{re: new(big.Rat)}
	if e.op == eProd {
		acc = cq{re: ratOne}
	}
	return ev.exactTerms(e, lo, hi, acc)
}

func (ev *evaluator) exactTerms(e *ex, lo, hi int64, acc cq) (cq, evalErr) {
	for k := lo; k <= hi; k++ {
		v, err := ev.exact(substitute(e.args[0], e.name, num(big.NewRat(k, 1))))
		if err != evalOK {
			return cq{}, err
		}
		if e.op == eSum {
			re, im := new(big.Rat).Add(acc.re, v.re), new(big.Rat)
			if acc.im != nil {
				im.Add(im, acc.im)
			}
			if v.im != nil {
				im.Add(im, v.im)
			}
			acc = norm(re, im)
		} else {
			acc = cqMul(acc, v)
		}
		if tooBig(acc.re) || acc.im != nil && tooBig(acc.im) {
			return cq{}, errBudget
		}
	}
	return acc, evalOK
}

// charge spends the work of a loop of n growing big-integer multiplications.
func (ev *evaluator) charge(n int) evalErr { return ev.spend(n / 10) }

// exactNat evaluates e to a natural number <= limit.
func (ev *evaluator) exactNat(e *ex, limit int64) (int64, evalErr) {
	v, err := ev.exact(e)
	if err == errInexact {
		return 0, errUnsupported
	}
	if err != evalOK {
		return 0, err
	}
	if !v.real() || !v.re.IsInt() || v.re.Sign() < 0 {
		return 0, errUnsupported
	}
	if !v.re.Num().IsInt64() || v.re.Num().Int64() > limit {
		return 0, errBudget
	}
	return v.re.Num().Int64(), evalOK
}

func norm(re, im *big.Rat) cq {
	if im.Sign() == 0 {
		return cq{re: re}
	}
	return cq{re: re, im: im}
}

func cqMul(a, b cq) cq {
	if a.real() && b.real() {
		return cq{re: new(big.Rat).Mul(a.re, b.re)}
	}
	ai, bi := a.im, b.im
	if ai == nil {
		ai = new(big.Rat)
	}
	if bi == nil {
		bi = new(big.Rat)
	}
	re := new(big.Rat).Sub(new(big.Rat).Mul(a.re, b.re), new(big.Rat).Mul(ai, bi))
	im := new(big.Rat).Add(new(big.Rat).Mul(a.re, bi), new(big.Rat).Mul(ai, b.re))
	return norm(re, im)
}

func cqInv(a cq) (cq, evalErr) {
	if a.real() {
		if a.re.Sign() == 0 {
			return cq{}, errUndefined
		}
		return cq{re: new(big.Rat).Inv(a.re)}, evalOK
	}
	d := new(big.Rat).Add(new(big.Rat).Mul(a.re, a.re), new(big.Rat).Mul(a.im, a.im))
	return cq{re: new(big.Rat).Quo(a.re, d), im: new(big.Rat).Neg(new(big.Rat).Quo(a.im, d))}, evalOK
}

func cqBits(a cq) int {
	n := max(a.re.Num().BitLen(), a.re.Denom().BitLen())
	if a.im != nil {
		n = max(n, a.im.Num().BitLen(), a.im.Denom().BitLen())
	}
	return max(n, 1)
}

func (ev *evaluator) exactPow(b, x cq) (cq, evalErr) {
	if !x.real() {
		return cq{}, errUnsupported
	}
	if x.re.IsInt() {
		if !x.re.Num().IsInt64() {
			return cq{}, errBudget
		}
		n := x.re.Num().Int64()
		if n > maxExponent || n < -maxExponent {
			return cq{}, errBudget
		}
		if b.real() && b.re.Sign() == 0 {
			if n < 0 {
				return cq{}, errUndefined
			}
			if n == 0 {
				return cq{re: ratOne}, evalOK
			}
			return cq{re: new(big.Rat)}, evalOK
		}
		absN := n
		if absN < 0 {
			absN = -absN
		}
		if int64(cqBits(b))*absN > maxBits {
			if b.real() && b.re.Num().CmpAbs(b.re.Denom()) == 0 { // ±1
				absN %= 2
			} else {
				return cq{}, errBudget
			}
		}
		var r cq
		if b.real() {
			e := big.NewInt(absN)
			num := new(big.Int).Exp(b.re.Num(), e, nil)
			den := new(big.Int).Exp(b.re.Denom(), e, nil)
			r = cq{re: new(big.Rat).SetFrac(num, den)}
		} else {
			r = cq{re: ratOne}
			base := b
			for k := absN; k > 0; k >>= 1 {
				if k&1 == 1 {
					r = cqMul(r, base)
				}
				if k > 1 {
					base = cqMul(base, base)
				}
			}
		}
		if n < 0 {
			return cqInv(r)
		}
		return r, evalOK
	}
	// A rational exponent p/q: exact only for a perfect q-th power. A negative
	// base with an odd q takes the real root, as \sqrt[q]{} does:
	// (-8)^{2/3} = (\sqrt[3]{-8})^2 = 4.
	den := x.re.Denom()
	if !den.IsInt64() || den.Int64() > maxRootIndex {
		return cq{}, errInexact
	}
	if !b.real() || b.re.Sign() < 0 && den.Bit(0) == 0 {
		return cq{}, errInexact
	}
	r, err := exactRoot(b, new(big.Rat).SetInt(den))
	if err != evalOK {
		return cq{}, err
	}
	return ev.exactPow(r, cq{re: new(big.Rat).SetInt(x.re.Num())})
}

// exactRoot returns the real n-th root of b when it is rational (odd roots of
// negative numbers are negative; the square root of a negative number is i
// times a root).
func exactRoot(b cq, nr *big.Rat) (cq, evalErr) {
	if !b.real() || !nr.IsInt() || !nr.Num().IsInt64() {
		return cq{}, errInexact
	}
	n := nr.Num().Int64()
	if n < 1 || n > maxRootIndex {
		return cq{}, errInexact
	}
	if n == 1 {
		return b, evalOK
	}
	v := b.re
	negative := v.Sign() < 0
	if negative && n%2 == 0 && n != 2 {
		return cq{}, errInexact
	}
	a := new(big.Rat).Abs(v)
	rn, ok1 := intRoot(a.Num(), n)
	rd, ok2 := intRoot(a.Denom(), n)
	if !ok1 || !ok2 {
		return cq{}, errInexact
	}
	r := new(big.Rat).SetFrac(rn, rd)
	if negative {
		if n == 2 {
			return cq{re: new(big.Rat), im: r}, evalOK
		}
		r.Neg(r)
	}
	return cq{re: r}, evalOK
}

// intRoot returns the integer n-th root of x >= 0 and whether it is exact.
func intRoot(x *big.Int, n int64) (*big.Int, bool) {
	if x.Sign() == 0 || x.Cmp(big.NewInt(1)) == 0 {
		return new(big.Int).Set(x), true
	}
	if x.BitLen() > 8000 {
		return nil, false
	}
	if n == 2 {
		r := new(big.Int).Sqrt(x)
		return r, new(big.Int).Mul(r, r).Cmp(x) == 0
	}
	// Newton's iteration from above: r = ((n-1) r + x / r^(n-1)) / n.
	bn := big.NewInt(n)
	bn1 := big.NewInt(n - 1)
	r := new(big.Int).Lsh(big.NewInt(1), uint(x.BitLen()/int(n)+1))
	for i := 0; i < 200; i++ {
		p := new(big.Int).Exp(r, bn1, nil)
		t := new(big.Int).Quo(x, p)
		t.Add(t, new(big.Int).Mul(bn1, r))
		t.Quo(t, bn)
		if t.Cmp(r) >= 0 {
			break
		}
		r = t
	}
	return r, new(big.Int).Exp(r, bn, nil).Cmp(x) == 0
}

// maxFloatExp bounds the binary exponent of any high-precision value (about
// 5 million decimal digits), far inside big.Float's range, so no operation can
// overflow to infinity and then produce a NaN (which big.Float panics on).
const maxFloatExp = 1 << 24

func hugeF(x *big.Float) bool {
	if x == nil || x.Sign() == 0 {
		return false
	}
	if x.IsInf() {
		return true
	}
	e := x.MantExp(nil)
	return e > maxFloatExp || e < -maxFloatExp
}

// approx evaluates e with prec-bit floating point.
func (ev *evaluator) approx(e *ex) (cf, evalErr) {
	v, err := ev.approxNode(e)
	if err == evalOK && (hugeF(v.re) || hugeF(v.im)) {
		return cf{}, errBudget
	}
	return v, err
}

func (ev *evaluator) approxNode(e *ex) (cf, evalErr) {
	if err := ev.step(); err != evalOK {
		return cf{}, err
	}
	switch e.op {
	case eNum:
		return cf{re: newF().SetRat(e.r)}, evalOK
	case eVar:
		return cf{re: newF().SetRat(pointValue(e.name, ev.point))}, evalOK
	case eSum, eProd:
		return ev.approxBig(e)
	case ePi:
		return cf{re: newF().Set(bigPi)}, evalOK
	case eE:
		return cf{re: newF().Set(bigE)}, evalOK
	case eI:
		return cf{re: fInt(0), im: fInt(1)}, evalOK
	case eAdd:
		re, im := fInt(0), fInt(0)
		for _, a := range e.args {
			v, err := ev.approx(a)
			if err != evalOK {
				return cf{}, err
			}
			re = fAdd(re, v.re)
			if v.im != nil {
				im = fAdd(im, v.im)
			}
		}
		return cf{re: re, im: im}, evalOK
	case eMul:
		acc := cf{re: fInt(1)}
		for _, a := range e.args {
			v, err := ev.approx(a)
			if err != evalOK {
				return cf{}, err
			}
			acc = cfMul(acc, v)
		}
		return acc, evalOK
	case ePow:
		// An exactly known integer exponent keeps the power exact in structure.
		if x, err := ev.exact(e.args[1]); err == evalOK && x.real() && x.re.IsInt() {
			b, err := ev.approx(e.args[0])
			if err != evalOK {
				return cf{}, err
			}
			if !x.re.Num().IsInt64() || x.re.Num().Int64() > maxExponent || x.re.Num().Int64() < -maxExponent {
				return cf{}, errBudget
			}
			return cfPowInt(b, x.re.Num().Int64())
		} else if err == errBudget {
			return cf{}, errBudget
		} else if err == evalOK && x.real() && x.re.Denom().Bit(0) == 1 {
			// p/q with q odd: a negative real base takes the real q-th root, so
			// x^{2/3}, \sqrt[3]{x^2}, \sqrt[3]{x}^2 and (x^{1/3})^2 are one value
			// for every real x.
			b, err := ev.approx(e.args[0])
			if err != evalOK {
				return cf{}, err
			}
			if cfReal(b) && b.re.Sign() < 0 {
				r, err := ev.cfPow(cf{re: newF().Neg(b.re)}, cf{re: newF().SetRat(x.re)})
				if err != evalOK {
					return cf{}, err
				}
				if x.re.Num().Bit(0) == 1 {
					r.re.Neg(r.re)
				}
				return cf{re: r.re}, evalOK
			}
			return ev.cfPow(b, cf{re: newF().SetRat(x.re)})
		}
		b, err := ev.approx(e.args[0])
		if err != evalOK {
			return cf{}, err
		}
		x, err := ev.approx(e.args[1])
		if err != evalOK {
			return cf{}, err
		}
		return ev.cfPow(b, x)
	case eRoot:
		b, err := ev.approx(e.args[0])
		if err != evalOK {
			return cf{}, err
		}
		n := e.args[1].r.Num().Int64()
		if !cfReal(b) {
			return ev.cfPow(b, cf{re: newF().SetRat(big.NewRat(1, n))})
		}
		if b.re.Sign() < 0 {
			r, err := ev.cfPow(cf{re: newF().Neg(b.re)}, cf{re: newF().SetRat(big.NewRat(1, n))})
			if err != evalOK {
				return cf{}, err
			}
			if n%2 == 1 {
				return cf{re: r.re.Neg(r.re)}, evalOK
			}
			if n == 2 {
				return cf{re: fInt(0), im: r.re}, evalOK
			}
			return ev.cfPow(b, cf{re: newF().SetRat(big.NewRat(1, n))})
		}
		if n == 2 {
			return cf{re: newF().Sqrt(b.re)}, evalOK
		}
		return ev.cfPow(b, cf{re: newF().SetRat(big.NewRat(1, n))})
	case eFact, eBinom, eFloor, eCeil:
		v, err := ev.exact(e)
		if err == errInexact {
			return cf{}, errUnsupported
		}
		if err != evalOK {
			return cf{}, err
		}
		return cf{re: newF().SetRat(v.re)}, evalOK
	case eAbs:
		v, err := ev.approx(e.args[0])
		if err != evalOK {
			return cf{}, err
		}
		return cf{re: cfAbs(v)}, evalOK
	case eFunc:
		return ev.approxFunc(e)
	}
	return cf{}, errUnsupported
}

// approxBig evaluates a sum or product with integer limits in high precision.
func (ev *evaluator) approxBig(e *ex) (cf, evalErr) {
	lo, hi, err := ev.bounds(e)
	if err != evalOK {
		return cf{}, err
	}
	acc := cf{re: fInt(0)}
	if e.op == eProd {
		acc = cf{re: fInt(1)}
	}
	return ev.approxTerms(e, lo, hi, acc)
}

func (ev *evaluator) approxTerms(e *ex, lo, hi int64, acc cf) (cf, evalErr) {
	for k := lo; k <= hi; k++ {
		v, err := ev.approx(substitute(e.args[0], e.name, num(big.NewRat(k, 1))))
		if err != evalOK {
			return cf{}, err
		}
		if e.op == eSum {
			im := acc.im
			if v.im != nil {
				if im == nil {
					im = fInt(0)
				}
				im = fAdd(im, v.im)
			}
			acc = cf{re: fAdd(acc.re, v.re), im: im}
		} else {
			acc = cfMul(acc, v)
		}
		if hugeF(acc.re) || hugeF(acc.im) {
			return cf{}, errBudget
		}
	}
	return acc, evalOK
}

func cfReal(a cf) bool { return a.im == nil || a.im.Sign() == 0 || tiny(a.im) && !tiny(a.re) }

func cfMul(a, b cf) cf {
	if a.im == nil && b.im == nil {
		return cf{re: fMul(a.re, b.re)}
	}
	ai, bi := a.im, b.im
	if ai == nil {
		ai = fInt(0)
	}
	if bi == nil {
		bi = fInt(0)
	}
	return cf{re: fSub(fMul(a.re, b.re), fMul(ai, bi)), im: fAdd(fMul(a.re, bi), fMul(ai, b.re))}
}

func cfAbs(a cf) *big.Float {
	if a.im == nil || a.im.Sign() == 0 {
		return newF().Abs(a.re)
	}
	return newF().Sqrt(fAdd(fMul(a.re, a.re), fMul(a.im, a.im)))
}

func cfInv(a cf) (cf, evalErr) {
	if a.im == nil || a.im.Sign() == 0 {
		if a.re.Sign() == 0 {
			return cf{}, errUndefined
		}
		return cf{re: fQuo(fInt(1), a.re)}, evalOK
	}
	d := fAdd(fMul(a.re, a.re), fMul(a.im, a.im))
	return cf{re: fQuo(a.re, d), im: newF().Neg(fQuo(a.im, d))}, evalOK
}

func cfPowInt(b cf, n int64) (cf, evalErr) {
	if n == 0 {
		return cf{re: fInt(1)}, evalOK
	}
	absN := n
	if absN < 0 {
		absN = -absN
	}
	r := cf{re: fInt(1)}
	base := b
	for k := absN; k > 0; k >>= 1 {
		if k&1 == 1 {
			r = cfMul(r, base)
		}
		if k > 1 {
			base = cfMul(base, base)
		}
		if hugeF(r.re) || hugeF(r.im) || hugeF(base.re) || hugeF(base.im) {
			return cf{}, errBudget
		}
	}
	if n < 0 {
		return cfInv(r)
	}
	return r, evalOK
}

// cfPow is the principal value of b^x: exp(x Log b).
func (ev *evaluator) cfPow(b, x cf) (cf, evalErr) {
	cost := costLog + costExp
	if !cfReal(x) || !cfReal(b) || b.re.Sign() <= 0 {
		cost += costTrig + costAtan
	}
	if err := ev.spend(cost); err != evalOK {
		return cf{}, err
	}
	if !cfReal(x) {
		// exp(x Log b) with Log b = ln|b| + i arg b.
		r := cfAbs(b)
		if r.Sign() == 0 {
			return cf{}, errUndefined
		}
		im := b.im
		if im == nil {
			im = fInt(0)
		}
		l, ok := fLog(r)
		if !ok {
			return cf{}, errUndefined
		}
		w := cfMul(x, cf{re: l, im: fAtan2(im, b.re)})
		m, ok := fExp(w.re)
		if !ok {
			return cf{}, errBudget
		}
		wi := w.im
		if wi == nil {
			wi = fInt(0)
		}
		s, c, ok := fSinCos(wi)
		if !ok {
			return cf{}, errBudget
		}
		return cf{re: fMul(m, c), im: fMul(m, s)}, evalOK
	}
	if cfReal(b) && b.re.Sign() > 0 {
		l, ok := fLog(b.re)
		if !ok {
			return cf{}, errUndefined
		}
		r, ok := fExp(fMul(l, x.re))
		if !ok {
			return cf{}, errBudget
		}
		return cf{re: r}, evalOK
	}
	r := cfAbs(b)
	if r.Sign() == 0 {
		if x.re.Sign() > 0 {
			return cf{re: fInt(0)}, evalOK
		}
		return cf{}, errUndefined
	}
	im := b.im
	if im == nil {
		im = fInt(0)
	}
	theta := fAtan2(im, b.re)
	l, ok := fLog(r)
	if !ok {
		return cf{}, errUndefined
	}
	m, ok := fExp(fMul(l, x.re))
	if !ok {
		return cf{}, errBudget
	}
	s, c, ok := fSinCos(fMul(theta, x.re))
	if !ok {
		return cf{}, errBudget
	}
	return cf{re: fMul(m, c), im: fMul(m, s)}, evalOK
}

func (ev *evaluator) approxFunc(e *ex) (cf, evalErr) {
	v, err := ev.approx(e.args[0])
	if err != evalOK {
		return cf{}, err
	}
	if !cfReal(v) {
		return cf{}, errUnsupported
	}
	x := v.re
	xf, _ := x.Float64()
	one := fInt(1)
	cost := costTrig
	switch e.name {
	case "arctan", "arcsin", "arccos":
		cost = costAtan
	case "exp", "sinh", "cosh", "tanh":
		cost = costExp
	case "ln", "log":
		cost = costLog
	}
	if err := ev.spend(cost); err != evalOK {
		return cf{}, err
	}
	switch e.name {
	case "sin", "cos", "tan", "cot", "sec", "csc":
		s, c, ok := fSinCos(x)
		if !ok {
			return cf{}, errBudget
		}
		var num, den *big.Float
		switch e.name {
		case "sin":
			return cf{re: s}, evalOK
		case "cos":
			return cf{re: c}, evalOK
		case "tan":
			num, den = s, c
		case "cot":
			num, den = c, s
		case "sec":
			num, den = one, c
		case "csc":
			num, den = one, s
		}
		if tiny(den) {
			return cf{}, errUndefined
		}
		return cf{re: fQuo(num, den)}, evalOK
	case "arctan":
		return cf{re: fAtan(x)}, evalOK
	case "arcsin", "arccos":
		if math.Abs(xf) > 1 {
			return cf{}, errUndefined
		}
		d := newF().Sqrt(fSub(one, fMul(x, x)))
		var a *big.Float
		if d.Sign() == 0 {
			a = fQuo(bigPi, fInt(2))
			if x.Sign() < 0 {
				a.Neg(a)
			}
		} else {
			a = fAtan(fQuo(x, d))
		}
		if e.name == "arccos" {
			a = fSub(fQuo(bigPi, fInt(2)), a)
		}
		return cf{re: a}, evalOK
	case "exp", "sinh", "cosh", "tanh":
		p, ok := fExp(x)
		if !ok {
			return cf{}, errBudget
		}
		if e.name == "exp" {
			return cf{re: p}, evalOK
		}
		m := fQuo(one, p)
		switch e.name {
		case "sinh":
			return cf{re: fQuo(fSub(p, m), fInt(2))}, evalOK
		case "cosh":
			return cf{re: fQuo(fAdd(p, m), fInt(2))}, evalOK
		}
		return cf{re: fQuo(fSub(p, m), fAdd(p, m))}, evalOK
	case "ln", "log":
		l, ok := fLog(x)
		if !ok {
			return cf{}, errUndefined
		}
		if len(e.args) > 1 {
			bv, err := ev.approx(e.args[1])
			if err != evalOK {
				return cf{}, err
			}
			if !cfReal(bv) {
				return cf{}, errUnsupported
			}
			lb, ok := fLog(bv.re)
			if !ok || lb.Sign() == 0 {
				return cf{}, errUndefined
			}
			l = fQuo(l, lb)
		}
		return cf{re: l}, evalOK
	}
	return cf{}, errUnsupported
}
