package equiv

import (
	"math/big"
	"slices"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/latex"
)

// Reasons of a verdict (spec/grading.md section 4).
const (
	ReasonExact      = "exact"
	ReasonNumeric    = "numeric"
	ReasonSymbolic   = "symbolic"
	ReasonSet        = "set"
	ReasonInterval   = "interval"
	ReasonText       = "text"
	ReasonUnparsable = "unparsable"
	ReasonMismatch   = "mismatch"
	ReasonBudget     = "budget"
)

// Compare decides whether pred is the gold answer. It returns the verdict, its
// reason (exact, numeric, symbolic, set, interval, text, unparsable, mismatch,
// budget) and a short description of the rule that decided. Compare is
// symmetric except for equations, where the gold decides what is asked: a
// label gold (x = 5) accepts the value alone, a real equation gold (2x+4y=6)
// requires an equation with the same solutions, and a value gold judges a
// predicted equation or chain by its last side. Safe for concurrent use; it
// only compares what Prepare evaluated.
func Compare(gold, pred *Answer) (correct bool, reason string, rule string) {
	if gold == nil || pred == nil {
		return false, ReasonUnparsable, "missing answer"
	}
	if pred.text == "" || gold.text == "" {
		return false, ReasonUnparsable, "empty answer"
	}
	if gold.text == pred.text {
		return true, ReasonExact, "identical normalized text"
	}
	if gold.printed != "" && gold.printed == pred.printed {
		return true, ReasonExact, "identical parse"
	}
	if (wholeProse(gold.text) || wholeProse(pred.text)) && proseKey(gold.text) == proseKey(pred.text) {
		return true, ReasonText, "the same prose, one side wrapped in \\text{} (compared as text, case-insensitive)"
	}
	return decide(gold, pred)
}

// wholeProse reports whether s is one \text{…} (or \mbox{…}, \textbf{…},
// \mathrm{…}) group holding prose: at least two words of two or more letters.
// Such an answer is a statement, whatever its words would parse as (a list at
// "and" or a comma, a product of letters), so it equals the same statement
// written without the wrapper. It reads s once.
func wholeProse(s string) bool {
	for _, w := range []string{`\text{`, `\mbox{`, `\textbf{`, `\mathrm{`} {
		if !strings.HasPrefix(s, w) || !strings.HasSuffix(s, "}") {
			continue
		}
		depth, words, run := 0, 0, 0
		body := s[len(w)-1:]
		for i := 0; i < len(body); i++ {
			c := body[i]
			switch {
			case c == '{':
				depth++
			case c == '}':
				depth--
				if depth == 0 && i != len(body)-1 {
					return false // the group closes before the end: not one group
				}
			}
			if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				if run == 0 && i > 0 && body[i-1] == '\\' {
					run = -1 << 30 // a command name is not a word
				}
				run++
				continue
			}
			if run >= 2 {
				words++
			}
			run = 0
		}
		return words >= 2
	}
	return false
}

// proseKey is textKey without a closing period, which a sentence may or may not have.
func proseKey(s string) string { return strings.TrimRight(textKey(s), ".") }

// decide is Compare without the text fast paths.
func decide(gold, pred *Answer) (correct bool, reason string, rule string) {
	if gold.status == statusBudget || pred.status == statusBudget {
		return false, ReasonBudget, "answer over the size or evaluation budget"
	}
	if gold.val == nil || pred.val == nil {
		if textKey(gold.text) == textKey(pred.text) {
			return true, ReasonText, "equal as text"
		}
		return false, ReasonUnparsable, "not parsed as mathematics; texts differ"
	}
	g, p := gold.val, pred.val
	if g.kind == kEquation {
		if g.label == nil {
			if p.kind != kEquation {
				return false, ReasonMismatch, "gold is an equation; the prediction is not"
			}
			if equationEqual(g, p) {
				return true, ReasonSymbolic, "equations with proportional sides (same solutions)"
			}
			return false, ReasonMismatch, "equations with different solutions"
		}
		if p.kind == kEquation && p.label == nil && equationEqual(g, p) {
			return true, ReasonSymbolic, "equations with proportional sides (same solutions)"
		}
		g = g.label
	}
	if p.kind == kEquation {
		p = lastSide(p)
		if p == nil {
			return false, ReasonMismatch, "the last side of the predicted equation is not a value"
		}
	}
	ok, reason, rule := eqValues(g, p)
	if ok {
		return true, reason, rule
	}
	return false, ReasonMismatch, "not equal: " + rule
}

// Equivalent is the symmetric equivalence used to group predicted answers
// (maj@k): each answer, taken as the gold, accepts the other.
func Equivalent(a, b *Answer) bool {
	ok1, _, _ := Compare(a, b)
	if !ok1 {
		return false
	}
	ok2, _, _ := Compare(b, a)
	return ok2
}

func lastSide(v *value) *value {
	if v.label != nil {
		return v.label
	}
	if len(v.sides) == 0 {
		return nil
	}
	return &value{kind: kScalar, sc: v.sides[len(v.sides)-1]}
}

// eqValues compares two values structurally; it is symmetric.
func eqValues(a, b *value) (bool, string, string) {
	if a.kind > b.kind {
		a, b = b, a
	}
	switch {
	case a.kind == kScalar && b.kind == kScalar:
		ok, rule := scalarEqual(a.sc, b.sc)
		reason := ReasonNumeric
		if a.sc.vars || b.sc.vars {
			reason = ReasonSymbolic
		}
		if a.sc.inf != 0 || b.sc.inf != 0 {
			reason = ReasonInterval
		}
		return ok, reason, rule
	case a.kind == kScalar && b.kind == kSet:
		if b.decComma != nil {
			if ok, rule := scalarEqual(a.sc, b.decComma); ok {
				return true, ReasonNumeric, rule + " (decimal comma)"
			}
		}
		if len(b.elems) == 1 {
			return eqValues(a, b.elems[0])
		}
		// A list whose elements are all one value is that value as a set
		// ({15\frac{39}{40}, \frac{639}{40}} is {\frac{639}{40}}).
		if len(b.elems) > 1 && setEqual([]*value{a}, b.elems) {
			return true, ReasonSet, "equal as sets (equal elements collapse)"
		}
	case a.kind == kScalar && b.kind == kText:
		if b.choice && a.sc.word == "" && a.sc.e != nil && a.sc.e.op == eVar && len(a.sc.e.name) == 1 {
			return lower(a.sc.e.name) == b.text, ReasonText, "multiple-choice letters compared"
		}
		if b.choice && a.sc.e != nil && a.sc.e.op == eE {
			return b.text == "e", ReasonText, "multiple-choice letters compared"
		}
		ok := a.sc.word != "" && a.sc.word == b.text
		return ok, ReasonText, pick(ok, "equal as text (case-insensitive)", "a word and a text compared case-insensitively")
	case a.kind == kScalar && b.kind == kBased:
		ok := a.sc.intLit != "" && a.sc.intLit == b.text
		return ok, ReasonNumeric, pick(ok, "same digits (base subscript omitted)", "digits compared with a based number (base subscript omitted)")
	case a.kind == kTuple && b.kind == kTuple:
		if a.open != b.open || a.close != b.close || len(a.elems) != len(b.elems) {
			return false, ReasonMismatch, "different brackets or lengths"
		}
		reason := ReasonSet
		if a.interval || b.interval {
			reason = ReasonInterval
		}
		ok := elementwise(a.elems, b.elems)
		return ok, reason, pick(ok, "equal element-wise, in order", "tuples compared element-wise, in order")
	case a.kind == kTuple && b.kind == kSet:
		if b.bare && len(b.elems) == len(a.elems) && !a.interval {
			ok := elementwise(a.elems, b.elems)
			return ok, ReasonSet, pick(ok, "bare list read as the tuple, in order", "bare list compared with the tuple element-wise, in order")
		}
		if len(b.elems) == 1 {
			return eqValues(a, b.elems[0])
		}
	case a.kind == kTuple && b.kind == kMatrix:
		if (b.rows == 1 || b.cols == 1) && !a.interval && a.open == latex.LPAREN {
			ok := elementwise(a.elems, b.elems)
			return ok, ReasonSet, pick(ok, "vector written as a tuple, element-wise", "vector compared with a tuple element-wise")
		}
	case a.kind == kSet && b.kind == kSet && a.labels != nil && b.labels != nil:
		ok := assignmentEqual(a, b)
		return ok, ReasonSet, pick(ok, "equal name by name (labelled values)", "labelled values compared name by name")
	case a.kind == kSet && b.kind == kSet:
		reason := ReasonSet
		if hasInterval(a) || hasInterval(b) {
			reason = ReasonInterval
		}
		ok := setEqual(a.elems, b.elems)
		return ok, reason, pick(ok, "equal as sets (order-free)", "sets compared order-free: an element of one side has no equal in the other")
	case a.kind == kMatrix && b.kind == kMatrix:
		if a.rows != b.rows || a.cols != b.cols {
			return false, ReasonSet, "matrices of different shapes"
		}
		ok := elementwise(a.elems, b.elems)
		return ok, ReasonSet, pick(ok, "matrices equal entry by entry", "matrices compared entry by entry")
	case a.kind == kEquation && b.kind == kEquation:
		ok := equationEqual(a, b)
		return ok, ReasonSymbolic, pick(ok, "equations with proportional sides", "equations compared by the proportionality of their sides")
	case a.kind == kRelation && b.kind == kRelation:
		ok := relationEqual(a, b)
		return ok, ReasonSymbolic, pick(ok, "equivalent relations (terms moved across, scaled by a positive factor)", "relations compared by their differences of sides")
	case a.kind == kText && b.kind == kText:
		ok := a.text == b.text
		return ok, ReasonText, pick(ok, "equal as text (case-insensitive)", "texts compared case-insensitively")
	case a.kind == kBased && b.kind == kBased:
		ok := a.text == b.text && a.base == b.base
		return ok, ReasonNumeric, pick(ok, "same digits and base", "based numbers compared by digits and base")
	}
	return false, ReasonMismatch, "different kinds of answer"
}

// pick returns the rule text for a verdict: what held when ok, otherwise what
// was compared (so a failure never reads "not equal: equal as sets").
func pick(ok bool, held, compared string) string {
	if ok {
		return held
	}
	return compared
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func hasInterval(v *value) bool {
	for _, e := range v.elems {
		if e.kind == kTuple && e.interval {
			return true
		}
	}
	return false
}

func elementwise(a, b []*value) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if ok, _, _ := eqValues(a[i], b[i]); !ok {
			return false
		}
	}
	return true
}

// setEqual: every element of a is in b and every element of b is in a
// (duplicates collapse; a subset is never equal).
func setEqual(a, b []*value) bool {
	contains := func(s []*value, x *value) bool {
		for _, y := range s {
			if ok, _, _ := eqValues(x, y); ok {
				return true
			}
		}
		return false
	}
	for _, x := range a {
		if !contains(b, x) {
			return false
		}
	}
	for _, y := range b {
		if !contains(a, y) {
			return false
		}
	}
	return len(a) > 0 && len(b) > 0 || len(a) == 0 && len(b) == 0
}

// relationEqual: one relation a < b (after > is turned into <) matches c < d
// when a - b is a positive multiple of c - d at every sample point (terms moved
// across, both sides scaled by a positive number; for \ne any nonzero
// multiple). Chains compare side by side.
// assignmentEqual: the same names, each with an equal value.
func assignmentEqual(a, b *value) bool {
	if len(a.labels) != len(b.labels) {
		return false
	}
	for i, l := range a.labels {
		j := slices.Index(b.labels, l)
		if j < 0 {
			return false
		}
		if ok, _, _ := eqValues(a.elems[i], b.elems[j]); !ok {
			return false
		}
	}
	return true
}

func relationEqual(a, b *value) bool {
	if len(a.ops) != len(b.ops) {
		return false
	}
	if len(a.ops) == 1 && a.diff != nil && b.diff != nil {
		if a.ops[0] == b.ops[0] && proportional(a.diff, b.diff) &&
			(a.ops[0] == latex.NE || sameSign(a.diff, b.diff)) {
			return true
		}
		if a.ops[0] == latex.NE && b.ops[0] == latex.NE {
			return false
		}
	}
	for i := range a.ops {
		if a.ops[i] != b.ops[i] {
			return false
		}
	}
	for i := range a.sides {
		if ok, _ := scalarEqual(a.sides[i], b.sides[i]); !ok {
			return false
		}
	}
	return true
}

// equationEqual: the differences of the first and last sides are nonzero
// multiples of each other at every sample point (x+2y=3 and 2x+4y=6).
func equationEqual(a, b *value) bool {
	fa, fb := equationDiff(a), equationDiff(b)
	if fa == nil || fb == nil {
		return false
	}
	if !fa.vars && !fb.vars {
		ok, _ := scalarEqual(a.sides[len(a.sides)-1], b.sides[len(b.sides)-1])
		return ok
	}
	return proportional(fa, fb)
}

// equationDiff returns first side minus last side, evaluated by Prepare.
func equationDiff(v *value) *scalar { return v.diff }

// proportional reports whether g = c f for one nonzero constant c at all samples.
func proportional(f, g *scalar) bool {
	n := max(len(f.status), len(g.status))
	ref, zeros := -1, 0
	for k := 0; k < n; k++ {
		kf, kg := min(k, len(f.status)-1), min(k, len(g.status)-1)
		if f.status[kf] != evalOK || g.status[kg] != evalOK {
			if f.status[kf] != g.status[kg] && k != negative {
				return false
			}
			continue
		}
		fz, gz := sampleZero(f, kf), sampleZero(g, kg)
		if fz != gz {
			return false
		}
		if fz {
			zeros++
			continue
		}
		if ref < 0 {
			ref = k
			continue
		}
		// g_k f_ref == f_k g_ref
		rf, rg := min(ref, len(f.status)-1), min(ref, len(g.status)-1)
		if !sampleProductsEqual(g, kg, f, rf, f, kf, g, rg) {
			return false
		}
	}
	return ref >= 0 || zeros > 0 // or both are identities (0 = 0 at every sample)
}

// sameSign reports that f and g, already proportional, have the same sign at
// their first sample where both are nonzero (so the constant is positive).
func sameSign(f, g *scalar) bool {
	n := min(len(f.status), len(g.status))
	for k := 0; k < n; k++ {
		if f.status[k] != evalOK || g.status[k] != evalOK || sampleZero(f, k) || sampleZero(g, k) {
			continue
		}
		return sampleSign(f, k) == sampleSign(g, k)
	}
	return false
}

func sampleZero(s *scalar, k int) bool {
	if s.approx != nil && s.approx[k].re != nil {
		return cfClose(s.approx[k], cf{re: fInt(0)})
	}
	return s.exact[k].re.Sign() == 0 && isZero(s.exact[k].im)
}

func sampleF(s *scalar, k int) cf {
	if s.approx != nil && s.approx[k].re != nil {
		return s.approx[k]
	}
	v := s.exact[k]
	c := cf{re: newF().SetRat(v.re)}
	if v.im != nil {
		c.im = newF().SetRat(v.im)
	}
	return c
}

func isExact(s *scalar, k int) bool { return s.approx == nil || s.approx[k].re == nil }

func sampleProductsEqual(a *scalar, ka int, b *scalar, kb int, c *scalar, kc int, d *scalar, kd int) bool {
	if isExact(a, ka) && isExact(b, kb) && isExact(c, kc) && isExact(d, kd) {
		return cqEqual(cqMul(a.exact[ka], b.exact[kb]), cqMul(c.exact[kc], d.exact[kd]))
	}
	return cfClose(cfMul(sampleF(a, ka), sampleF(b, kb)), cfMul(sampleF(c, kc), sampleF(d, kd)))
}

func ratEqual(a, b *big.Rat) bool {
	if a.IsInt() && b.IsInt() { // no allocation for the common case
		return a.Num().Cmp(b.Num()) == 0
	}
	return a.Cmp(b) == 0
}

func cqEqual(a, b cq) bool {
	if !ratEqual(a.re, b.re) {
		return false
	}
	ai, bi := a.im, b.im
	if isZero(ai) || isZero(bi) {
		return isZero(ai) && isZero(bi)
	}
	return ratEqual(ai, bi)
}

// Tolerances of the high-precision path: relative 2^-166 (about 1e-50); when
// one side is exactly zero, an absolute 2^-200 (about 6e-61), the noise of a
// computation that cancels to zero. Two tiny nonzero values compare relatively,
// so pi/10^80 and pi/10^81 differ.
const (
	relTolBits = 166
	absTolBits = 200
)

func fClose(x, y *big.Float) bool {
	if x == nil {
		x = fInt(0)
	}
	if y == nil {
		y = fInt(0)
	}
	d := fSub(x, y)
	if d.Sign() == 0 {
		return true
	}
	de := d.MantExp(nil)
	if x.Sign() == 0 || y.Sign() == 0 {
		// A value that cancels to (nearly) zero against an exact zero.
		return de < -absTolBits
	}
	m := newF().Abs(x)
	if ay := newF().Abs(y); ay.Cmp(m) > 0 {
		m = ay
	}
	return de < m.MantExp(nil)-relTolBits
}

func cfClose(a, b cf) bool { return fClose(a.re, b.re) && fClose(a.im, b.im) }

// scalarEqual compares two scalars: exactly when both are rational at every
// sample, with the high-precision path otherwise; then the percent reading
// (25\% is 25 or 0.25) and the decimal-approximation rule.
func scalarEqual(a, b *scalar) (bool, string) {
	if a.inf != 0 || b.inf != 0 {
		return a.inf == b.inf, "infinity"
	}
	if ok, rule := samplesEqual(a, b); ok {
		return true, rule
	}
	if (a.pct != nil) != (b.pct != nil) {
		if a.pct != nil {
			if ok, _ := samplesEqual(a.pct, b); ok {
				return true, "percent read as a fraction of 100"
			}
		} else if ok, _ := samplesEqual(a, b.pct); ok {
			return true, "percent read as a fraction of 100"
		}
	}
	if !a.vars && !b.vars {
		if a.dec != nil && b.dec == nil && approxMatches(a.dec, b) ||
			b.dec != nil && a.dec == nil && approxMatches(b.dec, a) {
			return true, "decimal approximation (>= 6 significant digits, rounded or truncated)"
		}
	}
	return false, "values differ"
}

func samplesEqual(a, b *scalar) (bool, string) {
	if len(a.status) == 0 || len(b.status) == 0 {
		return false, ""
	}
	n := max(len(a.status), len(b.status))
	defined, approx := 0, false
	for k := 0; k < n; k++ {
		ka, kb := min(k, len(a.status)-1), min(k, len(b.status)-1)
		sa, sb := a.status[ka], b.status[kb]
		if sa != evalOK || sb != evalOK {
			if sa != sb && k != negative {
				return false, ""
			}
			// Both undefined, or one undefined at the negative sample (ln(x^2)
			// and 2 ln x agree where both are defined): inconclusive.
			continue
		}
		if k != negative {
			defined++
		}
		if isExact(a, ka) && isExact(b, kb) {
			if !cqEqual(a.exact[ka], b.exact[kb]) {
				return false, ""
			}
			continue
		}
		approx = true
		if !cfClose(sampleF(a, ka), sampleF(b, kb)) {
			return false, ""
		}
	}
	if defined == 0 {
		if (a.vars || b.vars) && altSamplesEqual(a.e, b.e) {
			return true, "identity at alternative sample points (undefined at the regular ones)"
		}
		return false, ""
	}
	switch {
	case a.vars || b.vars:
		if approx {
			return true, "identity at sample points (high precision)"
		}
		return true, "identity at sample points (exact rationals)"
	case approx:
		return true, "high-precision evaluation (relative 1e-50)"
	}
	return true, "exact rational arithmetic"
}

// approxMatches applies the decimal-approximation rule: the literal d has at
// least 6 significant digits and equals the exact value of s (which must not
// be a terminating decimal itself) rounded or truncated at d's last digit.
func approxMatches(d *decInfo, s *scalar) bool {
	if d.sig < 6 || d.scale > 60 || s.dec != nil || len(s.status) != 1 || s.status[0] != evalOK {
		return false
	}
	var t *big.Float
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(d.scale)), nil)
	if isExact(s, 0) {
		v := s.exact[0]
		if !isZero(v.im) || terminating(v.re) {
			return false
		}
		t = newF().SetRat(new(big.Rat).Mul(v.re, new(big.Rat).SetInt(scale)))
	} else {
		v := s.approx[0]
		if v.im != nil && !fClose(v.im, nil) {
			return false
		}
		t = fMul(v.re, newF().SetInt(scale))
	}
	trunc, _ := t.Int(nil)
	if trunc.Cmp(d.scaled) == 0 {
		return true
	}
	half := newF().SetFloat64(0.5)
	if t.Sign() < 0 {
		half.Neg(half)
	}
	round, _ := fAdd(t, half).Int(nil)
	return round.Cmp(d.scaled) == 0
}

// terminating reports whether r has a finite decimal expansion.
func terminating(r *big.Rat) bool {
	d := new(big.Int).Set(r.Denom())
	for _, p := range []int64{2, 5} {
		bp := big.NewInt(p)
		m := new(big.Int)
		for {
			q, rem := new(big.Int).QuoRem(d, bp, m)
			if rem.Sign() != 0 {
				break
			}
			d = q
		}
	}
	return d.Cmp(big.NewInt(1)) == 0
}
