package equiv

import (
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/latex"
)

// kind is what an answer is, as the equivalence engine reads it.
type kind uint8

const (
	kScalar   kind = iota // a number or an expression
	kTuple                // (a, b), [a, b), (a, b]: an ordered group; intervals are tuples with brackets
	kSet                  // a bare list (bare true), \{...\}, a union of intervals, a ± expansion
	kMatrix               // pmatrix, bmatrix, ...
	kEquation             // a = b (= c ...)
	kRelation             // an inequality that is not one variable against constants: x \le y
	kText                 // \text{Evelyn}, a multiple-choice letter (choice true)
	kBased                // 1011_2
)

var kindNames = [...]string{"scalar", "tuple", "set", "matrix", "equation", "relation", "text", "based"}

// value is the meaning of an answer or of a part of one.
type value struct {
	kind kind

	sc *scalar // kScalar

	elems       []*value    // kTuple, kSet, kMatrix (row-major)
	open, close latex.Token // kTuple brackets
	interval    bool        // kTuple written or derived as an interval
	bare        bool        // kSet written as a bare list (1, 2 or "1 and 2")
	rows, cols  int         // kMatrix
	decComma    *scalar     // kSet "1,22": also readable as the decimal 1.22

	ops       []latex.Token // kEquation, kRelation
	sides     []*scalar
	diff      *scalar  // kEquation, and kRelation with one relation: first side minus last side
	label     *value   // kEquation whose left side is a name: the value it labels
	labelName string   // kEquation with a label: the canonical print of the name
	labels    []string // kSet of label equations with distinct names: the names, by element

	text   string // kText: normalized text; kBased: digits
	choice bool   // kText that is a multiple-choice letter
	base   string // kBased
}

// scalar is an evaluated expression: its value at each sample point.
type scalar struct {
	e      *ex
	vars   bool
	exact  []cq      // per sample; nil entries where the exact path failed
	approx []cf      // per sample, filled when the exact value is not rational
	status []evalErr // per sample: evalOK, errUndefined
	pct    *scalar   // written with \%: the value divided by 100
	dec    *decInfo  // written as a bare decimal literal
	inf    int       // +1 / -1 for ±infinity
	word   string    // a bare word (Evelyn): its lower-case text
	intLit string    // written as a bare integer literal: its digits
}

// decInfo describes a decimal literal: its value is digits * 10^-scale.
type decInfo struct {
	scaled *big.Int // the literal without its point, with its sign
	scale  int      // digits after the point
	sig    int      // significant digits
}

const (
	samples  = 4 // sample points for expressions with variables; the last is negative
	negative = samples - 1
	maxElems = 64 // elements of a list or set
)

// interp interprets syntax trees. It counts ± expansions to bound them.
type interp struct {
	pmCount int
	pmMask  int
	nodes   int
	work    int  // remaining evaluation work units (maxWork per answer)
	big     bool // a big operator was read: expressions go through resolve first
}

func interpret(x latex.Expr) (v *value, err error) {
	in := interp{work: maxWork}
	return in.value(x, true)
}

// semicolonTuples reads "p=5, q=2; p=7, q=2" — groups of label equations
// separated by semicolons — as the set of tuples {(5, 2), (7, 2)}.
func (in *interp) semicolonTuples(l *latex.List) (*value, bool) {
	hasSemi := false
	for _, s := range l.Seps {
		if s == ";" {
			hasSemi = true
		}
	}
	if !hasSemi {
		return nil, false
	}
	set := &value{kind: kSet}
	tuple := &value{kind: kTuple, open: latex.LPAREN, close: latex.RPAREN}
	for i, e := range l.Elems {
		r, ok := e.(*latex.Rel)
		if !ok || len(r.Ops) != 1 || r.Ops[0] != latex.EQ || !isName(r.Args[0]) {
			return nil, false
		}
		v, err := in.value(r.Args[1], false)
		if err != nil {
			return nil, false
		}
		tuple.elems = append(tuple.elems, v)
		if i == len(l.Elems)-1 || l.Seps[i] == ";" {
			if len(tuple.elems) == 1 {
				set.elems = append(set.elems, tuple.elems[0])
			} else {
				set.elems = append(set.elems, tuple)
			}
			tuple = &value{kind: kTuple, open: latex.LPAREN, close: latex.RPAREN}
		}
	}
	return set, true
}

func (in *interp) value(x latex.Expr, top bool) (*value, error) {
	in.nodes++
	if in.nodes > 2000 {
		return nil, errOverBudget
	}
	if top {
		x = stripUnits(x)
	}
	switch x := x.(type) {
	case *latex.List:
		if v, ok := in.semicolonTuples(x); ok {
			return v, nil
		}
		return in.list(x.Elems, true)
	case *latex.Rel:
		return in.relation(x)
	case *latex.Binary:
		if hasMatrix(x) {
			return in.matrixValue(x)
		}
		if v, ok := in.optionChoice(x); ok && top {
			return v, nil
		}
		if t := proseText(x); t != "" && top {
			return &value{kind: kText, text: t}, nil // No solution
		}
		switch x.Op {
		case latex.CUP:
			return in.union(x)
		case latex.PM, latex.MP:
			return in.pmSet(x)
		}
	case *latex.Unary:
		if x.Op == latex.PM || x.Op == latex.MP {
			return in.pmSet(x)
		}
		if hasMatrix(x) {
			return in.matrixValue(x)
		}
	case *latex.Postfix:
		if x.Op == latex.DEGREE {
			return in.value(x.X, top) // 90^\circ is the number 90
		}
	case *latex.Group:
		return in.group(x)
	case *latex.Matrix:
		return in.matrix(x)
	case *latex.Text:
		return in.text(x.Content)
	case *latex.Sub:
		if n, ok := x.X.(*latex.Number); ok && !strings.Contains(n.Lit, ".") {
			if b, ok := x.Sub.(*latex.Number); ok {
				return &value{kind: kBased, text: strings.TrimLeft(n.Lit, "0"), base: b.Lit}, nil
			}
		}
	case *latex.Ident:
		if x.Cmd && (x.Name == "emptyset" || x.Name == "varnothing") {
			return &value{kind: kSet}, nil
		}
		if !x.Cmd && !x.Word && len(x.Name) == 1 && x.Name[0] >= 'A' && x.Name[0] <= 'E' {
			return &value{kind: kText, text: strings.ToLower(x.Name), choice: true}, nil
		}
	case *latex.Styled:
		if id, ok := x.X.(*latex.Ident); ok && x.Cmd == "mathbb" && id.Name == "R" {
			// the real line
			return intervalValue(negInf, posInf, false, false), nil
		}
		if unitText(x) == "" {
			return in.value(x.X, top)
		}
	}
	if hasPM(x) {
		return in.pmSet(x)
	}
	s, err := in.scalarOf(x)
	if err != nil {
		return nil, err
	}
	return &value{kind: kScalar, sc: s}, nil
}

// list interprets a list's elements as a set. A label equation element (x = 1)
// stands for its value, and ± elements expand in place.
func (in *interp) list(elems []latex.Expr, bare bool) (*value, error) {
	v := &value{kind: kSet, bare: bare}
	if len(elems) > maxElems {
		return nil, errOverBudget
	}
	labels := make([]string, 0, len(elems))
	for _, e := range elems {
		ev, err := in.value(stripUnits(e), false) // "5 cm, 10 cm"
		if err != nil {
			return nil, err
		}
		if ev.kind == kEquation && ev.label != nil {
			labels = append(labels, ev.labelName)
			ev = ev.label
		}
		if ev.kind == kSet && !ev.bare {
			v.elems = append(v.elems, ev.elems...) // x = 1 \pm 2 or a union inside a list
			labels = nil
			continue
		}
		v.elems = append(v.elems, ev)
	}
	if len(v.elems) > maxElems {
		return nil, errOverBudget
	}
	// C_1 = 2, C_2 = -3: every element labelled, by distinct names, is an
	// assignment: compared name by name when the other side is one too.
	if len(labels) == len(v.elems) && len(labels) > 1 {
		seen := map[string]bool{}
		for _, l := range labels {
			seen[l] = true
		}
		if len(seen) == len(labels) {
			v.labels = labels
		}
	}
	return v, nil
}

func (in *interp) union(x *latex.Binary) (*value, error) {
	v := &value{kind: kSet}
	for _, side := range []latex.Expr{x.X, x.Y} {
		sv, err := in.value(side, false)
		if err != nil {
			return nil, err
		}
		if sv.kind == kSet {
			v.elems = append(v.elems, sv.elems...)
		} else {
			v.elems = append(v.elems, sv)
		}
	}
	for _, e := range v.elems {
		if e.kind == kTuple && len(e.elems) == 2 {
			e.interval = true // the operands of \cup are intervals
		}
	}
	mergeIntervals(v)
	return v, nil
}

// ivl is an interval with real numeric endpoints, for merging unions.
type ivl struct {
	v                  *value
	loClosed, hiClosed bool
}

// mergeIntervals rewrites a union whose operands are all intervals with real
// numeric endpoints as the union of disjoint intervals in increasing order:
// overlapping or touching operands merge ([1, 3) ∪ [2, 5] is [1, 5]; (a, b) ∪
// [b, c) is (a, c)), so a union equals every other way of writing the same set
// of reals. Unions with symbolic endpoints or points are left as written.
func mergeIntervals(v *value) {
	if len(v.elems) < 2 {
		return
	}
	list := make([]ivl, 0, len(v.elems))
	for _, e := range v.elems {
		if e.kind != kTuple || !e.interval || len(e.elems) != 2 || e.elems[0].kind != kScalar || e.elems[1].kind != kScalar {
			return
		}
		if _, ok := cmpScalar(e.elems[0].sc, e.elems[1].sc); !ok {
			return
		}
		list = append(list, ivl{e, e.open == latex.LBRACK, e.close == latex.RBRACK})
	}
	lo := func(i ivl) *scalar { return i.v.elems[0].sc }
	hi := func(i ivl) *scalar { return i.v.elems[1].sc }
	for _, i := range list[1:] {
		if _, ok := cmpScalar(lo(list[0]), lo(i)); !ok {
			return
		}
	}
	sort.SliceStable(list, func(a, b int) bool {
		c, _ := cmpScalar(lo(list[a]), lo(list[b]))
		return c < 0 || c == 0 && list[a].loClosed && !list[b].loClosed
	})
	var out []ivl
	for _, i := range list {
		if n := len(out); n > 0 {
			cur := &out[n-1]
			c, _ := cmpScalar(lo(i), hi(*cur))
			if c < 0 || c == 0 && (cur.hiClosed || i.loClosed) {
				if d, _ := cmpScalar(hi(i), hi(*cur)); d > 0 || d == 0 && i.hiClosed {
					cur.v = intervalValue(lo(*cur), hi(i), cur.loClosed, i.hiClosed)
					cur.hiClosed = i.hiClosed
				}
				continue
			}
		}
		out = append(out, ivl{intervalValue(lo(i), hi(i), i.loClosed, i.hiClosed), i.loClosed, i.hiClosed})
	}
	v.elems = v.elems[:0]
	for _, i := range out {
		v.elems = append(v.elems, i.v)
	}
}

// cmpScalar orders two real constants (±∞ included); ok is false when either
// has variables, is complex or undefined.
func cmpScalar(a, b *scalar) (int, bool) {
	if a.inf != 0 || b.inf != 0 {
		return cmpInt(a.inf, b.inf), true
	}
	if a.vars || b.vars || len(a.status) != 1 || len(b.status) != 1 || a.status[0] != evalOK || b.status[0] != evalOK {
		return 0, false
	}
	if isExact(a, 0) && isExact(b, 0) {
		if !a.exact[0].real() || !b.exact[0].real() {
			return 0, false
		}
		return a.exact[0].re.Cmp(b.exact[0].re), true
	}
	fa, fb := sampleF(a, 0), sampleF(b, 0)
	if !fClose(fa.im, nil) || !fClose(fb.im, nil) {
		return 0, false
	}
	if fClose(fa.re, fb.re) {
		return 0, true
	}
	return fa.re.Cmp(fb.re), true
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// pmSet expands every ± and ∓ in x into the set of its sign choices.
func (in *interp) pmSet(x latex.Expr) (*value, error) {
	n := countPM(x)
	if n > 3 {
		return nil, errOverBudget
	}
	v := &value{kind: kSet}
	for mask := 0; mask < 1<<n; mask++ {
		in.pmCount, in.pmMask = 0, mask
		s, err := in.scalarOf(x)
		if err != nil {
			return nil, err
		}
		v.elems = append(v.elems, &value{kind: kScalar, sc: s})
	}
	in.pmCount, in.pmMask = 0, 0
	return v, nil
}

func hasPM(x latex.Expr) bool { return countPM(x) > 0 }

func countPM(x latex.Expr) int {
	n := 0
	walk(x, func(e latex.Expr) {
		switch e := e.(type) {
		case *latex.Binary:
			if e.Op == latex.PM || e.Op == latex.MP {
				n++
			}
		case *latex.Unary:
			if e.Op == latex.PM || e.Op == latex.MP {
				n++
			}
		}
	})
	return n
}

// walk calls f on x and its scalar sub-expressions.
func walk(x latex.Expr, f func(latex.Expr)) {
	f(x)
	switch x := x.(type) {
	case *latex.Unary:
		walk(x.X, f)
	case *latex.Binary:
		walk(x.X, f)
		walk(x.Y, f)
	case *latex.Frac:
		walk(x.Num, f)
		walk(x.Den, f)
	case *latex.Sqrt:
		walk(x.X, f)
	case *latex.Postfix:
		walk(x.X, f)
	case *latex.Func:
		walk(x.Arg, f)
	case *latex.Group:
		if len(x.Elems) == 1 {
			walk(x.Elems[0], f)
		}
	case *latex.Abs:
		walk(x.X, f)
	case *latex.Styled:
		walk(x.X, f)
	}
}

func (in *interp) group(g *latex.Group) (*value, error) {
	if len(g.Elems) == 1 && g.Open != latex.LSET && hasMatrix(g.Elems[0]) {
		// \left[\begin{array}{cc}…\end{array}\right], (A + B): the brackets
		// typeset the matrix.
		return in.matrixValue(g.Elems[0])
	}
	if g.Open == latex.LSET {
		v, err := in.list(g.Elems, false)
		if err != nil {
			return nil, err
		}
		v.bare = false
		return v, nil
	}
	if len(g.Elems) == 1 && g.Open == latex.LPAREN && g.Close == latex.RPAREN {
		if id, ok := g.Elems[0].(*latex.Ident); ok && !id.Cmd && len(id.Name) == 1 {
			c := id.Name[0]
			if c >= 'A' && c <= 'E' || c >= 'a' && c <= 'e' {
				return &value{kind: kText, text: strings.ToLower(id.Name), choice: true}, nil
			}
		}
		return in.value(stripUnits(g.Elems[0]), false) // (5.7 \mathrm{hr})
	}
	v := &value{kind: kTuple, open: g.Open, close: g.Close}
	// Any square bracket makes an interval: [a, b], [a, b), (a, b].
	v.interval = g.Open == latex.LBRACK || g.Close == latex.RBRACK
	for _, e := range g.Elems {
		ev, err := in.value(e, false)
		if err != nil {
			return nil, err
		}
		if ev.kind == kEquation && ev.label != nil {
			ev = ev.label
		}
		if ev.kind == kScalar && ev.sc.inf != 0 {
			v.interval = true
		}
		v.elems = append(v.elems, ev)
	}
	return v, nil
}

func (in *interp) matrix(m *latex.Matrix) (*value, error) {
	switch m.Env {
	case "pmatrix", "bmatrix", "Bmatrix", "matrix", "smallmatrix", "array", "vmatrix", "Vmatrix":
	default:
		return nil, errUnparsable
	}
	v := &value{kind: kMatrix, rows: len(m.Rows)}
	for i, row := range m.Rows {
		if i == 0 {
			v.cols = len(row)
		} else if len(row) != v.cols {
			return nil, errUnparsable
		}
		for _, c := range row {
			if c == nil {
				return nil, errUnparsable
			}
			ev, err := in.value(c, false)
			if err != nil {
				return nil, err
			}
			v.elems = append(v.elems, ev)
		}
	}
	if v.rows == 0 || v.cols == 0 {
		return nil, errUnparsable
	}
	if m.Env == "vmatrix" || m.Env == "Vmatrix" {
		return in.determinant(v)
	}
	return v, nil
}

// determinant reads a vmatrix of up to 3x3 scalars as its determinant.
func (in *interp) determinant(m *value) (*value, error) {
	if m.rows != m.cols || m.rows > 3 {
		return nil, errUnparsable
	}
	cell := func(i, j int) (*ex, error) {
		c := m.elems[i*m.cols+j]
		if c.kind != kScalar {
			return nil, errUnparsable
		}
		return c.sc.e, nil
	}
	var det func(rows []int, col int) (*ex, error)
	det = func(rows []int, col int) (*ex, error) {
		if len(rows) == 1 {
			return cell(rows[0], col)
		}
		var sum *ex
		for k, r := range rows {
			c, err := cell(r, col)
			if err != nil {
				return nil, err
			}
			rest := append(append([]int{}, rows[:k]...), rows[k+1:]...)
			minor, err := det(rest, col+1)
			if err != nil {
				return nil, err
			}
			t := mul(c, minor)
			if k%2 == 1 {
				t = neg(t)
			}
			if sum == nil {
				sum = t
			} else {
				sum = add(sum, t)
			}
		}
		return sum, nil
	}
	rows := make([]int, m.rows)
	for i := range rows {
		rows[i] = i
	}
	e, err := det(rows, 0)
	if err != nil {
		return nil, err
	}
	s, err := in.evaluate(e)
	if err != nil {
		return nil, err
	}
	return &value{kind: kScalar, sc: s}, nil
}

// text interprets \text{...} content: a choice letter, a math answer written in
// text mode (\text{12}), or words.
func (in *interp) text(content string) (*value, error) {
	t := normText(content)
	if c := choiceLetter(t); c != "" {
		return &value{kind: kText, text: c, choice: true}, nil
	}
	if t != "" {
		// \text{12}, \textbf{x=\frac{a}{b}}, \textbf{-i}: math written in text
		// mode (words stay text: \text{Evelyn}, \text{no solution}).
		if x, err := latex.Parse(content); err == nil {
			if tx, ok := x.(*latex.Text); ok && len(tx.Content) < len(content) {
				return in.text(tx.Content) // \textbf{\text{(C)}}
			}
			if !wordy(x) {
				if v, err := in.value(x, true); err == nil {
					return v, nil
				}
			}
		}
	}
	return &value{kind: kText, text: t}, nil
}

// wordy reports a tree that is only words: Evelyn, New York, no solution,
// a list of names. A phrase with a number (3.6 hours) is not.
func wordy(x latex.Expr) bool {
	if l, ok := x.(*latex.List); ok {
		for _, e := range l.Elems {
			if !wordy(e) {
				return false
			}
		}
		return true
	}
	return phrase(x) && hasWord(x, 2)
}

// phrase reports letters, words and text juxtaposed, nothing else.
func phrase(x latex.Expr) bool {
	switch x := x.(type) {
	case *latex.Ident:
		return !x.Cmd
	case *latex.Text:
		return true
	case *latex.Binary:
		return x.Implicit && phrase(x.X) && phrase(x.Y)
	}
	return false
}

// hasWord reports a word of at least n letters (or a text) in x.
func hasWord(x latex.Expr, n int) bool {
	switch x := x.(type) {
	case *latex.Ident:
		return x.Word && len(x.Name) >= n
	case *latex.Text:
		return true
	case *latex.Binary:
		return hasWord(x.X, n) || hasWord(x.Y, n)
	}
	return false
}

// proseText is the text of a bare phrase of words (No solution, all real
// numbers), lower-cased with single spaces, as \text{} content is; "" when x
// is not prose. A phrase needs two words or more and one of at least four
// letters, so products of letters (xy z, ab) stay mathematics.
func proseText(x latex.Expr) string {
	b, ok := x.(*latex.Binary)
	if !ok || !phrase(b) || !hasWord(b, 4) {
		return ""
	}
	var words []string
	var collect func(e latex.Expr)
	collect = func(e latex.Expr) {
		switch e := e.(type) {
		case *latex.Ident:
			words = append(words, e.Name)
		case *latex.Text:
			words = append(words, e.Content)
		case *latex.Binary:
			collect(e.X)
			collect(e.Y)
		}
	}
	collect(b)
	return normText(strings.Join(words, " "))
}

// choiceLetter returns the letter of "c", "(c)" or "c)", also followed by the
// option's text ("(e) hyperbola", "e) hyperbola", "e. hyperbola", "e:
// hyperbola"); "" otherwise. t is lower-case.
func choiceLetter(t string) string {
	if len(t) > 3 {
		head, rest := t, ""
		if i := strings.IndexByte(t, ' '); i > 0 {
			head, rest = t[:i], t[i+1:]
		}
		if rest != "" {
			if strings.HasPrefix(head, "(") && strings.HasSuffix(head, ")") ||
				len(head) == 2 && (head[1] == ')' || head[1] == '.' || head[1] == ':') {
				if c := choiceLetter(strings.TrimRight(head, ".:")); c != "" && isAllLetters(strings.Fields(rest)[0]) {
					return c
				}
			}
		}
		return ""
	}
	t = strings.TrimSuffix(strings.TrimPrefix(t, "("), ")")
	if len(t) == 1 && t[0] >= 'a' && t[0] <= 'e' {
		return t
	}
	return ""
}

// optionChoice reads a choice letter followed by its option text written in
// math: (E) Hyperbola, \textbf{(E)} Hyperbola, (E)\ \text{Hyperbola}.
func (in *interp) optionChoice(b *latex.Binary) (*value, bool) {
	if !b.Implicit {
		return nil, false
	}
	switch y := b.Y.(type) {
	case *latex.Ident:
		if !y.Word || unitWords[strings.ToLower(y.Name)] {
			return nil, false
		}
	case *latex.Text:
		if !isAllLetters(strings.ReplaceAll(normText(y.Content), " ", "")) {
			return nil, false
		}
	case *latex.Binary:
		// (E) Hyperbola Shape: more words
		if v, ok := in.optionChoice(&latex.Binary{Op: b.Op, X: b.X, Y: y.X, Implicit: true}); ok && y.Implicit {
			return v, true
		}
		return nil, false
	default:
		return nil, false
	}
	switch x := b.X.(type) {
	case *latex.Group:
		if x.Open == latex.LPAREN && x.Close == latex.RPAREN && len(x.Elems) == 1 {
			if id, ok := x.Elems[0].(*latex.Ident); ok && !id.Cmd && len(id.Name) == 1 {
				if c := choiceLetter(strings.ToLower(id.Name)); c != "" {
					return &value{kind: kText, text: c, choice: true}, true
				}
			}
		}
	case *latex.Text:
		t := normText(x.Content)
		if strings.HasPrefix(t, "(") || strings.HasSuffix(t, ")") {
			if c := choiceLetter(t); c != "" {
				return &value{kind: kText, text: c, choice: true}, true
			}
		}
	}
	return nil, false
}

// normText lower-cases, trims and collapses white space and a trailing period.
func normText(s string) string {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.TrimSpace(strings.TrimSuffix(s, "."))
}

// isName reports whether x only names a quantity (x, f(x), |AB|, A:B,
// \frac{NO}{BO}, (p,q), S_{ABC}): the left side of a label equation.
func isName(x latex.Expr) bool {
	switch x := x.(type) {
	case *latex.Ident:
		return !x.Cmd || x.Name != "pi" && x.Name != "infty"
	case *latex.Sub:
		return isName(x.X)
	case *latex.Styled:
		return isName(x.X)
	case *latex.Abs:
		return isName(x.X)
	case *latex.Postfix:
		return x.Op == latex.PRIME && isName(x.X)
	case *latex.Frac:
		return isName(x.Num) && isName(x.Den)
	case *latex.Binary:
		switch {
		case x.Op == latex.COLON:
			return isName(x.X) && isName(x.Y)
		case x.Implicit:
			if g, ok := x.Y.(*latex.Group); ok && g.Open == latex.LPAREN {
				return isName(x.X) // f(x), f(2)
			}
			return isName(x.X) && isName(x.Y) // AB written as A B
		}
	case *latex.Group:
		if x.Open != latex.LPAREN {
			return false
		}
		for _, e := range x.Elems {
			if !isName(e) {
				if _, ok := e.(*latex.Number); !ok {
					return false
				}
			}
		}
		return len(x.Elems) > 0
	case *latex.Func:
		return false
	}
	return false
}

// relation interprets equations, inequalities and x \in S.
func (in *interp) relation(r *latex.Rel) (*value, error) {
	for i, op := range r.Ops {
		if op == latex.APPROX {
			// x = 1/3 \approx 0.33: the approximation is commentary on the exact
			// value before it.
			if i == 0 {
				return in.value(r.Args[0], false)
			}
			r = &latex.Rel{Ops: r.Ops[:i], Args: r.Args[:i+1]}
			break
		}
	}
	allEq := true
	for _, op := range r.Ops {
		if op != latex.EQ {
			allEq = false
		}
	}
	if allEq {
		v := &value{kind: kEquation, ops: r.Ops}
		if isName(r.Args[0]) {
			lv, err := in.value(stripUnits(r.Args[len(r.Args)-1]), false) // t = 5.7 \mathrm{hr}
			if err != nil {
				return nil, err
			}
			if lv.kind == kEquation && lv.label != nil {
				lv = lv.label
			}
			v.label, v.labelName = lv, latex.Print(r.Args[0])
		}
		for _, a := range r.Args {
			s, err := in.scalarOf(a)
			if err != nil {
				if v.label != nil {
					continue // (p, q) = (3, 2): only the label's value matters
				}
				return nil, err
			}
			v.sides = append(v.sides, s)
		}
		if len(v.sides) >= 2 && v.sides[0].inf == 0 && v.sides[len(v.sides)-1].inf == 0 {
			d, err := in.evaluate(sub(v.sides[0].e, v.sides[len(v.sides)-1].e))
			if err == errOverBudget && v.label == nil {
				return nil, err
			}
			v.diff = d // nil when it cannot be evaluated: never proportional
		}
		return v, nil
	}
	if len(r.Ops) == 1 && r.Ops[0] == latex.IN {
		if isName(r.Args[0]) {
			return in.value(r.Args[1], false)
		}
		return nil, errUnparsable
	}
	return in.inequality(r)
}

func flip(t latex.Token) latex.Token {
	switch t {
	case latex.LT:
		return latex.GT
	case latex.GT:
		return latex.LT
	case latex.LE:
		return latex.GE
	case latex.GE:
		return latex.LE
	}
	return t
}

// inequality reads a chain of <, \le, >, \ge, \ne. One variable (or name)
// against constants is the interval or union it describes; anything else is a
// relation compared side by side, with > turned into <.
func (in *interp) inequality(r *latex.Rel) (*value, error) {
	for _, op := range r.Ops {
		switch op {
		case latex.LT, latex.LE, latex.GT, latex.GE, latex.NE:
		default:
			return nil, errUnparsable
		}
	}
	args, ops := r.Args, r.Ops
	if ops[0] == latex.GT || ops[0] == latex.GE { // a > x > b is b < x < a
		args = append([]latex.Expr{}, args...)
		ops = append([]latex.Token{}, ops...)
		for i, j := 0, len(args)-1; i < j; i, j = i+1, j-1 {
			args[i], args[j] = args[j], args[i]
		}
		for i, j := 0, len(ops)-1; i < j; i, j = i+1, j-1 {
			ops[i], ops[j] = ops[j], ops[i]
		}
		for i := range ops {
			ops[i] = flip(ops[i])
		}
	}
	sides := make([]*scalar, len(args))
	for i, a := range args {
		s, err := in.scalarOf(a)
		if err != nil {
			return nil, err
		}
		sides[i] = s
	}
	// One name among constants.
	name := -1
	for i, a := range args {
		if sides[i].vars {
			if name >= 0 || !isName(a) {
				name = -2
				break
			}
			name = i
		}
	}
	if name >= 0 {
		v, ok := intervalOf(ops, sides, name)
		if _, isAbs := args[name].(*latex.Abs); isAbs && ok {
			v, ok = in.absIntervals(v)
		}
		if ok {
			return v, nil
		}
	}
	if v, ok := in.solveLinear(ops, sides); ok {
		return v, nil
	}
	rel := &value{kind: kRelation, ops: ops, sides: sides}
	if len(ops) == 1 {
		// a < b is a - b < 0: moving terms across keeps the difference.
		d, err := in.evaluate(sub(sides[0].e, sides[1].e))
		if err == errOverBudget {
			return nil, err
		}
		rel.diff = d
	}
	return rel, nil
}

// solveLinear reads an inequality or chain whose one non-constant side is
// linear in one variable, alpha x + beta with alpha a nonzero constant, as the
// interval it describes: each constant side c becomes (c - beta)/alpha, and a
// negative alpha flips every relation (-x > -1 is x < 1; 3 < 2x+1 < 7 is
// 1 < x < 3).
func (in *interp) solveLinear(ops []latex.Token, sides []*scalar) (*value, bool) {
	at := -1
	for i, s := range sides {
		if s.inf != 0 || s.e == nil {
			if s.inf == 0 {
				return nil, false
			}
			continue
		}
		if s.vars {
			if at >= 0 {
				return nil, false
			}
			at = i
		}
	}
	if at < 0 {
		return nil, false
	}
	v := ""
	if !oneVariable(sides[at].e, &v) {
		return nil, false
	}
	alpha, beta, ok := linearIn(sides[at].e, v)
	if !ok {
		return nil, false
	}
	a, err := in.evaluate(alpha)
	if err != nil || a.vars || len(a.status) != 1 || a.status[0] != evalOK {
		return nil, false
	}
	sign := sampleSign(a, 0)
	if sign == 0 {
		return nil, false
	}
	x := &scalar{e: &ex{op: eVar, name: v}, vars: true}
	out := make([]*scalar, len(sides))
	for i, s := range sides {
		switch {
		case i == at:
			out[i] = x
		case s.inf != 0:
			out[i] = &scalar{inf: s.inf * sign}
		default:
			c, err := in.evaluate(quo(sub(s.e, beta), alpha))
			if err != nil {
				return nil, false
			}
			out[i] = c
		}
	}
	nops := append([]latex.Token{}, ops...)
	if sign < 0 {
		for i := range nops {
			nops[i] = flip(nops[i])
		}
	}
	if len(nops) > 1 && (nops[0] == latex.GT || nops[0] == latex.GE) {
		slices.Reverse(out)
		slices.Reverse(nops)
		for i := range nops {
			nops[i] = flip(nops[i])
		}
		at = len(out) - 1 - at
	}
	return intervalOf(nops, out, at)
}

// oneVariable reports whether e has exactly one variable name, stored in *v.
func oneVariable(e *ex, v *string) bool {
	if e.op == eVar {
		if *v == "" {
			*v = e.name
		}
		return *v == e.name
	}
	for _, a := range e.args {
		if !oneVariable(a, v) {
			return false
		}
	}
	return true
}

func hasVar(e *ex, v string) bool {
	if e.op == eVar {
		return e.name == v
	}
	for _, a := range e.args {
		if hasVar(a, v) {
			return true
		}
	}
	return false
}

// linearIn writes e as alpha v + beta with alpha and beta free of v, when e is
// linear in v (sums, and products with at most one factor holding v).
func linearIn(e *ex, v string) (alpha, beta *ex, ok bool) {
	zero := num(new(big.Rat))
	if !hasVar(e, v) {
		return zero, e, true
	}
	switch e.op {
	case eVar:
		return num(ratOne), zero, true
	case eAdd:
		alpha, beta = zero, zero
		for _, a := range e.args {
			al, be, ok := linearIn(a, v)
			if !ok {
				return nil, nil, false
			}
			alpha, beta = add(alpha, al), add(beta, be)
		}
		return alpha, beta, true
	case eMul:
		var rest *ex = num(ratOne)
		var lin *ex
		for _, a := range e.args {
			if hasVar(a, v) {
				if lin != nil {
					return nil, nil, false
				}
				lin = a
			} else {
				rest = mul(rest, a)
			}
		}
		al, be, ok := linearIn(lin, v)
		if !ok {
			return nil, nil, false
		}
		return mul(al, rest), mul(be, rest), true
	}
	return nil, nil, false
}

// sampleSign is the sign of the real part of s at sample k.
func sampleSign(s *scalar, k int) int {
	if isExact(s, k) {
		return s.exact[k].re.Sign()
	}
	if fClose(s.approx[k].re, nil) {
		return 0
	}
	return s.approx[k].re.Sign()
}

var (
	posInf = &scalar{inf: 1}
	negInf = &scalar{inf: -1}
)

// intervalValue is the interval from lo to hi; loClosed and hiClosed give its brackets.
func intervalValue(lo, hi *scalar, loClosed, hiClosed bool) *value {
	v := &value{kind: kTuple, interval: true, open: latex.LPAREN, close: latex.RPAREN}
	if loClosed {
		v.open = latex.LBRACK
	}
	if hiClosed {
		v.close = latex.RBRACK
	}
	v.elems = []*value{{kind: kScalar, sc: lo}, {kind: kScalar, sc: hi}}
	return v
}

func intervalOf(ops []latex.Token, sides []*scalar, name int) (*value, bool) {
	switch len(ops) {
	case 1:
		op := ops[0]
		bound := sides[1-name]
		if name == 1 {
			op = flip(op)
		}
		switch op {
		case latex.LT, latex.LE:
			return intervalValue(negInf, bound, false, op == latex.LE), true
		case latex.GT, latex.GE:
			return intervalValue(bound, posInf, op == latex.GE, false), true
		case latex.NE:
			return &value{kind: kSet, elems: []*value{intervalValue(negInf, bound, false, false), intervalValue(bound, posInf, false, false)}}, true
		}
	case 2:
		if name != 1 {
			return nil, false
		}
		for _, op := range ops {
			if op != latex.LT && op != latex.LE {
				return nil, false
			}
		}
		return intervalValue(sides[0], sides[2], ops[0] == latex.LE, ops[1] == latex.LE), true
	}
	return nil, false
}

// unitWords are trailing words dropped after a value ("5 cm", "10 units").
var unitWords = map[string]bool{
	"cm": true, "mm": true, "km": true, "units": true, "unit": true, "meters": true,
	"meter": true, "inches": true, "inch": true, "feet": true, "ft": true, "foot": true,
	"degrees": true, "degree": true, "dollars": true, "cents": true, "hours": true, "minutes": true,
	"seconds": true, "days": true, "years": true, "sq": true, "miles": true, "mph": true,
	"square": true, "cubic": true, "kg": true, "grams": true, "liters": true, "mi": true,
	"yards": true, "yd": true, "hr": true, "hrs": true, "mins": true, "secs": true,
}

// unitText returns the unit a node spells (\text{ cm}, \mathrm{~m}, cm^2), or "".
func unitText(x latex.Expr) string {
	switch x := x.(type) {
	case *latex.Text:
		t := normText(x.Content)
		if t == "" || choiceLetter(t) != "" || strings.ContainsAny(t, "0123456789") {
			if t == "" {
				return " "
			}
			return ""
		}
		return t
	case *latex.Styled:
		if x.Cmd != "mathrm" && x.Cmd != "textrm" {
			return ""
		}
		raw := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(x.Raw, "{"), "}"))
		if strings.HasPrefix(raw, "~") || strings.HasPrefix(raw, "\\,") || strings.HasPrefix(raw, "\\ ") ||
			len(raw) > 1 && isAllLetters(raw) && unitWords[raw] {
			return raw
		}
	case *latex.Ident:
		if x.Word && unitWords[strings.ToLower(x.Name)] {
			return x.Name
		}
	case *latex.Binary:
		if x.Op == latex.POW {
			return unitText(x.X)
		}
	}
	return ""
}

func isAllLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return s != ""
}

// stripUnits drops unit factors after a value: 5\text{ cm}, 18\text{ ft}^2,
// 82 \mathrm{~m}, 10 units; and "percent"/"pct" words become \%.
func stripUnits(x latex.Expr) latex.Expr {
	for i := 0; i < 4; i++ {
		b, ok := x.(*latex.Binary)
		if !ok || !b.Implicit {
			return x
		}
		if percentWord(b.Y) {
			return &latex.Postfix{Op: latex.PERCENT, X: b.X}
		}
		// 28 percentage points, 28 \text{ percentage points}
		if id, ok := b.Y.(*latex.Ident); ok && id.Word && (id.Name == "points" || id.Name == "point") {
			if c, ok := b.X.(*latex.Binary); ok && c.Implicit && percentWord(c.Y) {
				return &latex.Postfix{Op: latex.PERCENT, X: c.X}
			}
		}
		if unitText(b.Y) == "" {
			return x
		}
		x = b.X
	}
	return x
}

// percentWord reports a word or text that means \%: percent, pct, percentage,
// "percentage points", per cent.
func percentWord(x latex.Expr) bool {
	w := ""
	switch x := x.(type) {
	case *latex.Ident:
		if !x.Word {
			return false
		}
		w = strings.ToLower(x.Name)
	case *latex.Text:
		w = normText(x.Content)
	default:
		return false
	}
	switch w {
	case "percent", "pct", "percentage", "percentage points", "percentage point", "per cent", "%":
		return true
	}
	return false
}

// absIntervals turns the interval of |z| into the set of z: |z| in [a, b] with
// 0 <= a is [-b, -a] ∪ [a, b] (one interval [-b, b] when a = 0 is included).
func (in *interp) absIntervals(v *value) (*value, bool) {
	if v.kind != kTuple || len(v.elems) != 2 {
		return nil, false
	}
	lo, hi := v.elems[0].sc, v.elems[1].sc
	loClosed, hiClosed := v.open == latex.LBRACK, v.close == latex.RBRACK
	negate := func(s *scalar) (*scalar, bool) {
		switch s.inf {
		case 1:
			return negInf, true
		case -1:
			return posInf, true
		}
		n, err := in.evaluate(neg(s.e))
		return n, err == nil
	}
	sign := func(s *scalar) int {
		if s.inf != 0 {
			return s.inf
		}
		if len(s.status) != 1 || s.status[0] != evalOK || !isExact(s, 0) || !s.exact[0].real() {
			return 2 // unknown
		}
		return s.exact[0].re.Sign()
	}
	if sl := sign(lo); sl == 2 || sl == -1 && lo.inf != -1 {
		return nil, false // an unknown or negative lower bound of |z|
	}
	nhi, ok := negate(hi)
	if !ok {
		return nil, false
	}
	if lo.inf == -1 || sign(lo) == 0 && loClosed { // |z| < b, |z| <= b, 0 <= |z| <= b
		return intervalValue(nhi, hi, hiClosed, hiClosed), true
	}
	nlo, ok := negate(lo)
	if !ok {
		return nil, false
	}
	return &value{kind: kSet, elems: []*value{intervalValue(nhi, nlo, hiClosed, loClosed), intervalValue(lo, hi, loClosed, hiClosed)}}, true
}

// maxMatrixDim bounds the rows and columns of matrices in matrix arithmetic.
const maxMatrixDim = 8

// hasMatrix reports an arithmetic expression with a matrix operand (not a
// determinant): A + B, 2A, AB, A/2, -A, (A), A^2.
func hasMatrix(x latex.Expr) bool {
	switch x := x.(type) {
	case *latex.Matrix:
		return x.Env != "vmatrix" && x.Env != "Vmatrix"
	case *latex.Binary:
		switch x.Op {
		case latex.ADD, latex.SUB, latex.MUL, latex.DIV:
			return hasMatrix(x.X) || hasMatrix(x.Y)
		case latex.POW:
			return hasMatrix(x.X)
		}
	case *latex.Unary:
		return (x.Op == latex.SUB || x.Op == latex.ADD) && hasMatrix(x.X)
	case *latex.Group:
		return len(x.Elems) == 1 && x.Open != latex.LSET && hasMatrix(x.Elems[0])
	}
	return false
}

// mat is a matrix of expressions during matrix arithmetic; a scalar operand is
// a mat with rows == 0 and one entry.
type mat struct {
	rows, cols int
	e          []*ex // row-major; the scalar itself when rows == 0
}

func (m mat) scalar() bool { return m.rows == 0 }

// matrixValue evaluates an arithmetic expression of matrices and scalars
// (sums, differences, scalar multiples, products, division by a scalar,
// small integer powers of square matrices) entry by entry, up to 8x8.
func (in *interp) matrixValue(x latex.Expr) (*value, error) {
	m, err := in.matExpr(x)
	if err != nil {
		return nil, err
	}
	if m.scalar() {
		return nil, errUnparsable
	}
	out := &value{kind: kMatrix, rows: m.rows, cols: m.cols}
	for _, e := range m.e {
		s, err := in.evaluate(e)
		if err != nil {
			return nil, err
		}
		out.elems = append(out.elems, &value{kind: kScalar, sc: s})
	}
	return out, nil
}

func (in *interp) matExpr(x latex.Expr) (mat, error) {
	in.nodes++
	if in.nodes > 2000 {
		return mat{}, errOverBudget
	}
	if !hasMatrix(x) {
		e, err := in.toEx(x)
		if err != nil {
			return mat{}, err
		}
		return mat{e: []*ex{e}}, nil
	}
	switch x := x.(type) {
	case *latex.Matrix:
		v, err := in.matrix(x)
		if err != nil {
			return mat{}, err
		}
		if v.rows > maxMatrixDim || v.cols > maxMatrixDim {
			return mat{}, errUnparsable
		}
		m := mat{rows: v.rows, cols: v.cols}
		for _, c := range v.elems {
			if c.kind != kScalar || c.sc.e == nil {
				return mat{}, errUnparsable
			}
			m.e = append(m.e, c.sc.e)
		}
		return m, nil
	case *latex.Group:
		return in.matExpr(x.Elems[0])
	case *latex.Unary:
		a, err := in.matExpr(x.X)
		if err != nil || x.Op == latex.ADD {
			return a, err
		}
		return a.each(neg), nil
	case *latex.Binary:
		a, err := in.matExpr(x.X)
		if err != nil {
			return mat{}, err
		}
		if x.Op == latex.POW {
			return in.matPow(a, x.Y)
		}
		b, err := in.matExpr(x.Y)
		if err != nil {
			return mat{}, err
		}
		switch x.Op {
		case latex.ADD, latex.SUB:
			if a.scalar() || b.scalar() || a.rows != b.rows || a.cols != b.cols {
				return mat{}, errUnparsable // a matrix plus a scalar is not defined
			}
			out := mat{rows: a.rows, cols: a.cols, e: make([]*ex, len(a.e))}
			for i := range a.e {
				if x.Op == latex.ADD {
					out.e[i] = add(a.e[i], b.e[i])
				} else {
					out.e[i] = sub(a.e[i], b.e[i])
				}
			}
			return out, nil
		case latex.MUL:
			switch {
			case a.scalar():
				c := a.e[0]
				return b.each(func(e *ex) *ex { return mul(c, e) }), nil
			case b.scalar():
				c := b.e[0]
				return a.each(func(e *ex) *ex { return mul(e, c) }), nil
			}
			return matMul(a, b)
		case latex.DIV:
			if !b.scalar() {
				return mat{}, errUnparsable
			}
			c := b.e[0]
			return a.each(func(e *ex) *ex { return quo(e, c) }), nil
		}
	}
	return mat{}, errUnparsable
}

func (m mat) each(f func(*ex) *ex) mat {
	out := mat{rows: m.rows, cols: m.cols, e: make([]*ex, len(m.e))}
	for i, e := range m.e {
		out.e[i] = f(e)
	}
	return out
}

func matMul(a, b mat) (mat, error) {
	if a.cols != b.rows {
		return mat{}, errUnparsable
	}
	out := mat{rows: a.rows, cols: b.cols}
	for i := 0; i < a.rows; i++ {
		for j := 0; j < b.cols; j++ {
			var sum *ex
			for k := 0; k < a.cols; k++ {
				p := mul(a.e[i*a.cols+k], b.e[k*b.cols+j])
				if sum == nil {
					sum = p
				} else {
					sum = add(sum, p)
				}
			}
			out.e = append(out.e, sum)
		}
	}
	return out, nil
}

// matPow raises a square matrix to a literal integer power 1..8 (expression
// size grows with each product, so the power is small).
func (in *interp) matPow(a mat, y latex.Expr) (mat, error) {
	n, ok := y.(*latex.Number)
	if a.scalar() || !ok || a.rows != a.cols || len(n.Lit) != 1 || n.Lit[0] < '1' || n.Lit[0] > '8' {
		return mat{}, errUnparsable
	}
	out := a
	for k := 1; k < int(n.Lit[0]-'0'); k++ {
		var err error
		if out, err = matMul(out, a); err != nil {
			return mat{}, err
		}
	}
	return out, nil
}
