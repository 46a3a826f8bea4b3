package equiv

import (
	"math/big"
	"testing"
)

// closeBits reports |a-b| <= 2^-bits * max(1, |a|).
func closeBits(a, b *big.Float, bits int) bool {
	d := fSub(a, b)
	if d.Sign() == 0 {
		return true
	}
	scale := 0
	if a.Sign() != 0 && a.MantExp(nil) > 0 {
		scale = a.MantExp(nil)
	}
	return d.MantExp(nil) < scale-bits
}

// The high-precision functions must be accurate far beyond the comparison
// tolerance (2^-166 relative): check them to 2^-230 against known values and
// identities.
func TestBigMathAccuracy(t *testing.T) {
	const bits = 230
	half := newF().SetFloat64(0.5)
	e, _ := fExp(fInt(1))
	if !closeBits(e, bigE, bits) {
		t.Errorf("exp(1) = %s", e.Text('g', 60))
	}
	l2, _ := fLog(fInt(2))
	if !closeBits(l2, bigLn2, bits) {
		t.Errorf("log(2) = %s", l2.Text('g', 60))
	}
	s, c, _ := fSinCos(fQuo(bigPi, fInt(6)))
	if !closeBits(s, half, bits) {
		t.Errorf("sin(pi/6) = %s", s.Text('g', 60))
	}
	if !closeBits(fMul(c, c), newF().SetFloat64(0.75), bits) {
		t.Errorf("cos(pi/6)^2 = %s", fMul(c, c).Text('g', 60))
	}
	if a := fAtan(fInt(1)); !closeBits(a, fQuo(bigPi, fInt(4)), bits) {
		t.Errorf("atan(1) = %s", a.Text('g', 60))
	}
	if a := fAtan(fInt(-3)); !closeBits(fSub(a, fAtan(fQuo(fInt(1), fInt(3)))), fQuo(newF().Neg(bigPi), fInt(2)), bits) {
		t.Errorf("atan(-3) - atan(1/3) != -pi/2")
	}
	for _, x := range []float64{1e-30, 0.001, 0.5, 1.5, 7, 123.456, 1e20, 1e200} {
		v := newF().SetFloat64(x)
		l, ok := fLog(v)
		if !ok {
			t.Fatalf("log(%g) failed", x)
		}
		back, ok := fExp(l)
		if !ok || !closeBits(fQuo(back, v), fInt(1), bits) {
			t.Errorf("exp(log(%g)) = %s", x, back.Text('g', 40))
		}
	}
	for _, x := range []float64{-1000, -3, 0.1, 1, 2.5, 10, 100000} {
		s, c, ok := fSinCos(newF().SetFloat64(x))
		if !ok {
			t.Fatalf("sincos(%g) failed", x)
		}
		if !closeBits(fAdd(fMul(s, s), fMul(c, c)), fInt(1), bits) {
			t.Errorf("sin^2+cos^2 (%g) = %s", x, fAdd(fMul(s, s), fMul(c, c)).Text('g', 40))
		}
	}
}

// The fast path of parseLiteral agrees with big.Rat.SetString on every shape
// it accepts and declines the rest.
func TestSmallLiteral(t *testing.T) {
	for _, lit := range []string{"0", "7", "24", "3.5", ".25", "10.", "0.000001", "123456789012345678",
		"12345678901234567.8", "1234567890123456789", "1.2.3", "", ".", "1e5", "0.\\overline{3}", "007", "100.00"} {
		want, okWant := new(big.Rat).SetString(lit)
		got, ok := smallLiteral(lit)
		if !ok {
			continue // the general path reads it
		}
		if !okWant || got.Cmp(want) != 0 {
			t.Errorf("smallLiteral(%q) = %v, SetString gives %v (%v)", lit, got, want, okWant)
		}
	}
	if _, ok := smallLiteral("1234567890123456789"); ok {
		t.Error("19 digits must take the general path")
	}
}
