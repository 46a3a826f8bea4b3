package equiv

import (
	"strings"
	"testing"
)

// FuzzPrepareCompare checks that Prepare and Compare never panic (Prepare's
// safety net would record "internal error"), that an interpreted answer equals
// itself through the full comparison (not only the text fast path), that
// Compare is deterministic, that Equivalent is symmetric, and that normalizing
// an answer twice does not change what it equals.
func FuzzPrepareCompare(f *testing.F) {
	seeds := [][2]string{
		{"\\frac{1}{2}", "0.5"}, {"x^2+2x+1", "(x+1)^2"}, {"1,-2", "1,-3"}, {"1331 and 1728", "1728"},
		{"3x-y+13=0", "3x+4y+14=0"}, {"x \\in [-2,7]", "[-2,7]"}, {"4\\sqrt(2)", "4"},
		{"1-\\frac1{\\mathrm e}", "1+\\frac1{\\mathrm e}"}, {"\\frac{1}{2004!}", "\\frac{1}{2006!}"},
		{"25\\%", "0.25"}, {"1011_2", "1011"}, {"\\text{(C)}", "C"}, {"x \\le 3", "(-\\infty,3]"},
		{"3 \\pm 2\\sqrt2", "3+2\\sqrt2, 3-2\\sqrt2"}, {"\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}", "\\begin{bmatrix}1&2\\\\3&4\\end{bmatrix}"},
		{"\\sqrt{17}", "4.123105625617661"}, {"k=m-1", "-1"}, {"2x+4y-3=0", "y=-\\frac{1}{2}x+\\frac{3}{4}"},
		{"\\sin^2 x+\\cos^2 x", "1"}, {"e^{i\\pi}", "-1"}, {"2^{2^{2^{100}}}", "2"}, {"\\boxed{5}", "5"},
		{"$\\boxed{1}\\boxed{2}$", "1,2"}, {"1,22", "1.22"}, {"(2,12)\\cup(12,102)", "x\\in(2,12)\\cup(12,102)"},
		{"\\sqrt[3]{-8}", "-2"}, {"0.0833333333", "\\frac1{12}"}, {"\\log_2 0", "1"}, {"\\tan\\frac{\\pi}{2}", "0"},
		{"0^0", "1"}, {"(-8)^{1/3}", "2"}, {"\\frac{0}{0}", "1"}, {"e^{e^{e^{10}}}", "1"}, {"\\arcsin 2", "1"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if len(a) > 3000 || len(b) > 3000 {
			return
		}
		x, y := Prepare(a), Prepare(b)
		for _, p := range []*Answer{x, y} {
			if strings.HasPrefix(p.Describe(), "unparsable: internal error") {
				t.Fatalf("Prepare: %s", p.Describe())
			}
		}
		ok1, r1, _ := Compare(x, y)
		ok2, r2, _ := Compare(x, y)
		if ok1 != ok2 || r1 != r2 {
			t.Fatalf("Compare not deterministic on %q, %q", a, b)
		}
		if r1 == "" {
			t.Fatalf("empty reason for %q, %q", a, b)
		}
		if Equivalent(x, y) != Equivalent(y, x) {
			t.Fatalf("Equivalent not symmetric on %q, %q", a, b)
		}
		if x.val != nil && !hasUndefined(x.val) {
			if ok, reason, rule := decide(x, x); !ok {
				t.Fatalf("%q (%s) does not equal itself: %s (%s)", a, x.Describe(), reason, rule)
			}
			// Normalizing twice must not change the verdict (section 6).
			again := Prepare(x.Text())
			if ok, reason, rule := decide(x, again); !ok && again.val != nil && !hasUndefined(again.val) {
				t.Fatalf("%q (%s) does not equal its normalized text %q (%s): %s (%s)",
					a, x.Describe(), x.Text(), again.Describe(), reason, rule)
			}
		}
	})
}

// hasUndefined reports a value with an undefined sample (1/0): not a number, so
// not equal to anything, itself included.
func hasUndefined(v *value) bool {
	check := func(s *scalar) bool {
		if s == nil {
			return false
		}
		for _, st := range s.status {
			if st != evalOK {
				return true
			}
		}
		return false
	}
	if check(v.sc) {
		return true
	}
	for _, s := range v.sides {
		if check(s) {
			return true
		}
	}
	for _, e := range v.elems {
		if hasUndefined(e) {
			return true
		}
	}
	return v.label != nil && hasUndefined(v.label)
}
