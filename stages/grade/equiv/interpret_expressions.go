package equiv

import (
	"math/big"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/latex"
)

const maxLiteralDigits = 12000

// scalarOf interprets x as a scalar expression and evaluates it.
func (in *interp) scalarOf(x latex.Expr) (*scalar, error) {
	var s *scalar
	switch t := x.(type) {
	case *latex.Postfix:
		if t.Op == latex.DEGREE {
			return in.scalarOf(t.X) // a side or element written in degrees: the number
		}
		if t.Op == latex.PERCENT {
			e, err := in.toEx(t.X)
			if err != nil {
				return nil, err
			}
			s, err = in.evaluate(e)
			if err != nil {
				return nil, err
			}
			if s.pct, err = in.evaluate(mul(e, num(ratPercent))); err != nil {
				return nil, err
			}
			return s, nil
		}
	case *latex.Ident:
		if t.Cmd && t.Name == "infty" {
			return posInf, nil
		}
	case *latex.Unary:
		if id, ok := t.X.(*latex.Ident); ok && id.Cmd && id.Name == "infty" {
			if t.Op == latex.SUB {
				return negInf, nil
			}
			return posInf, nil
		}
	}
	e, err := in.toEx(x)
	if err != nil {
		return nil, err
	}
	if s, err = in.evaluate(e); err != nil {
		return nil, err
	}
	s.dec = decimalOf(x)
	if n, ok := x.(*latex.Number); ok && !strings.Contains(n.Lit, ".") {
		s.intLit = strings.TrimLeft(n.Lit, "0")
	}
	if id, ok := x.(*latex.Ident); ok && id.Word {
		s.word = strings.ToLower(id.Name)
	}
	return s, nil
}

// evaluate computes e at one point (no variables) or at each sample point,
// from the answer's work budget.
func (in *interp) evaluate(e *ex) (*scalar, error) {
	if e.op == eNum { // the common case: a literal
		return &scalar{e: e, exact: []cq{{re: e.r}}, status: []evalErr{evalOK}}, nil
	}
	if in.big {
		var err error
		if e, err = resolve(e, nil); err != nil {
			return nil, err
		}
	}
	s := &scalar{e: e, vars: e.hasVars()}
	n := 1
	if s.vars {
		n = samples
	}
	s.exact = make([]cq, n)
	s.status = make([]evalErr, n)
	for k := 0; k < n; k++ {
		ev := evaluator{point: k, work: &in.work}
		v, err := ev.exact(e)
		if err == errInexact {
			var a cf
			a, err = ev.approx(e)
			if err == evalOK {
				if s.approx == nil {
					s.approx = make([]cf, n)
				}
				s.approx[k] = a
			}
		} else if err == evalOK {
			s.exact[k] = v
		}
		switch err {
		case evalOK, errUndefined:
			s.status[k] = err
		case errBudget:
			return nil, errOverBudget
		default:
			return nil, errUnparsable
		}
	}
	return s, nil
}

// decimalOf describes x when it is a (signed) decimal literal with a point.
func decimalOf(x latex.Expr) *decInfo {
	negative := false
	if u, ok := x.(*latex.Unary); ok && (u.Op == latex.SUB || u.Op == latex.ADD) {
		negative = u.Op == latex.SUB
		x = u.X
	}
	n, ok := x.(*latex.Number)
	if !ok {
		return nil
	}
	i := strings.IndexByte(n.Lit, '.')
	if i < 0 || strings.Contains(n.Lit, "\\") {
		return nil // an integer, or a repeating decimal (exact)
	}
	digits := n.Lit[:i] + n.Lit[i+1:]
	d := &decInfo{scale: len(n.Lit) - i - 1}
	d.scaled, _ = new(big.Int).SetString(digits, 10)
	if d.scaled == nil {
		return nil
	}
	if negative {
		d.scaled.Neg(d.scaled)
	}
	d.sig = len(strings.TrimLeft(digits, "0"))
	return d
}

func parseLiteral(lit string) (*big.Rat, error) {
	if len(lit) > maxLiteralDigits {
		return nil, errOverBudget
	}
	if r, ok := smallLiteral(lit); ok {
		return r, nil
	}
	if i := strings.Index(lit, "\\overline{"); i >= 0 {
		return repeating(lit[:i], strings.TrimSuffix(lit[i+len("\\overline{"):], "}"))
	}
	r, ok := new(big.Rat).SetString(lit)
	if !ok {
		return nil, errUnparsable
	}
	return r, nil
}

// pow10 holds 10^0 .. 10^18.
var pow10 = func() (p [19]int64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// smallLiteral is the fast path of parseLiteral for the common literal: at
// most 18 digits with at most one point (24, 3.5, .25), read without
// big.Rat.SetString's general scanner.
func smallLiteral(lit string) (*big.Rat, bool) {
	if lit == "" || len(lit) > 19 {
		return nil, false
	}
	var n int64
	digits, scale, point := 0, 0, false
	for i := 0; i < len(lit); i++ {
		c := lit[i]
		switch {
		case c >= '0' && c <= '9':
			n = n*10 + int64(c-'0')
			digits++
			if point {
				scale++
			}
		case c == '.' && !point:
			point = true
		default:
			return nil, false
		}
	}
	if digits == 0 || digits > 18 {
		return nil, false
	}
	if scale == 0 {
		return new(big.Rat).SetInt64(n), true
	}
	return new(big.Rat).SetFrac64(n, pow10[scale]), true
}

// toEx builds the expression of a scalar syntax tree.
func (in *interp) toEx(x latex.Expr) (*ex, error) {
	in.nodes++
	if in.nodes > 2000 {
		return nil, errOverBudget
	}
	switch x := x.(type) {
	case *latex.Number:
		r, err := parseLiteral(x.Lit)
		if err != nil {
			return nil, err
		}
		return num(r), nil
	case *latex.Ident:
		return identEx(x)
	case *latex.Unary:
		a, err := in.toEx(x.X)
		if err != nil {
			return nil, err
		}
		switch x.Op {
		case latex.ADD:
			return a, nil
		case latex.SUB:
			return neg(a), nil
		case latex.PM, latex.MP:
			if in.pmSign(x.Op) {
				return neg(a), nil
			}
			return a, nil
		}
	case *latex.Binary:
		return in.binaryEx(x)
	case *latex.Frac:
		a, err := in.toEx(x.Num)
		if err != nil {
			return nil, err
		}
		b, err := in.toEx(x.Den)
		if err != nil {
			return nil, err
		}
		return quo(a, b), nil
	case *latex.Mixed:
		w, err := parseLiteral(x.Whole.Lit)
		if err != nil {
			return nil, err
		}
		f, err := in.toEx(x.Frac)
		if err != nil {
			return nil, err
		}
		return add(num(w), f), nil
	case *latex.Sqrt:
		a, err := in.toEx(x.X)
		if err != nil {
			return nil, err
		}
		if x.Index == nil {
			return &ex{op: eRoot, args: []*ex{a, num(big.NewRat(2, 1))}}, nil
		}
		idx, err := in.toEx(x.Index)
		if err != nil {
			return nil, err
		}
		if idx.op == eNum && idx.r.IsInt() && idx.r.Sign() > 0 && idx.r.Num().Cmp(big.NewInt(maxRootIndex)) <= 0 {
			return &ex{op: eRoot, args: []*ex{a, idx}}, nil
		}
		return pow(a, quo(num(ratOne), idx)), nil
	case *latex.Sub:
		if name, ok := nameOf(x); ok {
			return &ex{op: eVar, name: name}, nil
		}
	case *latex.Postfix:
		a, err := in.toEx(x.X)
		if err != nil {
			return nil, err
		}
		switch x.Op {
		case latex.FACT:
			in.big = true // (n+1)! is opaque; resolve decides
			return &ex{op: eFact, args: []*ex{a}}, nil
		case latex.PERCENT:
			return mul(a, num(ratPercent)), nil
		case latex.DEGREE:
			// Inside a formula (\sin 30^\circ) a degree is pi/180; a bare
			// 90^\circ answer is read as 90 before it gets here.
			return mul(a, quo(&ex{op: ePi}, num(big.NewRat(180, 1)))), nil
		}
	case *latex.Func:
		return in.funcEx(x)
	case *latex.Group:
		if len(x.Elems) == 1 && x.Open == latex.LPAREN && x.Close == latex.RPAREN {
			return in.toEx(x.Elems[0])
		}
	case *latex.Abs:
		a, err := in.toEx(x.X)
		if err != nil {
			return nil, err
		}
		return &ex{op: eAbs, args: []*ex{a}}, nil
	case *latex.Styled:
		switch x.Cmd {
		case "overline", "vec", "hat", "bar", "widehat", "overrightarrow", "tilde", "widetilde", "overarc", "wideparen", "dot", "ddot":
			return &ex{op: eVar, name: x.Cmd + "{" + latex.Print(x.X) + "}"}, nil
		case "operatorname":
			return nil, errUnparsable
		}
		return in.toEx(x.X)
	case *latex.BigOp:
		return in.bigOpEx(x)
	case *latex.Binom:
		n, err := in.toEx(x.N)
		if err != nil {
			return nil, err
		}
		k, err := in.toEx(x.K)
		if err != nil {
			return nil, err
		}
		in.big = true // \binom{n}{k} with a symbolic k is opaque; resolve decides
		return &ex{op: eBinom, args: []*ex{n, k}}, nil
	case *latex.Matrix:
		if x.Env == "vmatrix" || x.Env == "Vmatrix" {
			v, err := in.matrix(x)
			if err != nil {
				return nil, err
			}
			return v.sc.e, nil
		}
	}
	return nil, errUnparsable
}

// pmSign consumes one ± and reports whether it takes the minus sign.
func (in *interp) pmSign(op latex.Token) bool {
	bit := in.pmMask>>in.pmCount&1 == 1
	in.pmCount++
	if op == latex.MP {
		return !bit
	}
	return bit
}

// nameOf returns the variable name of a subscripted name (x_1, a_{n}).
func nameOf(x latex.Expr) (string, bool) {
	switch x := x.(type) {
	case *latex.Ident:
		if x.Cmd && (x.Name == "pi" || x.Name == "infty") {
			return "", false
		}
		return x.Name, true
	case *latex.Sub:
		if n, ok := nameOf(x.X); ok {
			return n + "_{" + latex.Print(x.Sub) + "}", true
		}
	case *latex.Styled:
		return nameOf(x.X)
	}
	return "", false
}

// identEx reads letters: e is Euler's number, i the imaginary unit, \pi is π,
// other letters and Greek commands are variables; a word is the product of its
// letters (xy).
func identEx(x *latex.Ident) (*ex, error) {
	if x.Cmd {
		switch x.Name {
		case "pi":
			return &ex{op: ePi}, nil
		case "infty", "circ", "ldots", "cdots", "dots", "emptyset", "varnothing", "angle", "triangle":
			return nil, errUnparsable
		case "imath":
			return &ex{op: eI}, nil
		}
		return &ex{op: eVar, name: "\\" + x.Name}, nil
	}
	if len(x.Name) > 12 {
		return nil, errUnparsable
	}
	var e *ex
	for i := 0; i < len(x.Name); i++ {
		var f *ex
		switch c := x.Name[i : i+1]; c {
		case "e":
			f = &ex{op: eE}
		case "i":
			f = &ex{op: eI}
		default:
			f = &ex{op: eVar, name: c}
		}
		if e == nil {
			e = f
		} else {
			e = mul(e, f)
		}
	}
	return e, nil
}

func (in *interp) binaryEx(x *latex.Binary) (*ex, error) {
	a, err := in.toEx(x.X)
	if err != nil {
		return nil, err
	}
	b, err := in.toEx(x.Y)
	if err != nil {
		return nil, err
	}
	switch x.Op {
	case latex.ADD:
		return add(a, b), nil
	case latex.SUB:
		return sub(a, b), nil
	case latex.PM, latex.MP:
		if in.pmSign(x.Op) {
			return sub(a, b), nil
		}
		return add(a, b), nil
	case latex.MUL:
		return mul(a, b), nil
	case latex.DIV, latex.COLON:
		return quo(a, b), nil
	case latex.POW:
		return pow(a, b), nil
	}
	return nil, errUnparsable
}

var inverseTrig = map[string]string{"sin": "arcsin", "cos": "arccos", "tan": "arctan"}

func (in *interp) funcEx(f *latex.Func) (*ex, error) {
	arg := f.Arg
	if g, ok := arg.(*latex.Group); ok && g.Open == latex.LPAREN && len(g.Elems) == 1 {
		arg = g.Elems[0]
	}
	a, err := in.toEx(arg)
	if err != nil {
		return nil, err
	}
	name := f.Name
	switch name {
	case "floor":
		return &ex{op: eFloor, args: []*ex{a}}, nil
	case "ceil":
		return &ex{op: eCeil, args: []*ex{a}}, nil
	case "lg":
		name = "log"
		f = &latex.Func{Name: "log", Base: &latex.Number{Lit: "10"}, Pow: f.Pow, Arg: f.Arg}
	case "sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan",
		"sinh", "cosh", "tanh", "ln", "log", "exp":
	default:
		return nil, errUnparsable
	}
	var p *ex
	if f.Pow != nil {
		if p, err = in.toEx(f.Pow); err != nil {
			return nil, err
		}
		if inv, ok := inverseTrig[name]; ok && isMinusOne(p) {
			name, p = inv, nil
		}
	}
	e := &ex{op: eFunc, name: name, args: []*ex{a}}
	if f.Base != nil {
		if name != "log" {
			return nil, errUnparsable
		}
		b, err := in.toEx(f.Base)
		if err != nil {
			return nil, err
		}
		e.args = append(e.args, b)
	}
	if p != nil {
		e = pow(e, p)
	}
	return e, nil
}

func isMinusOne(e *ex) bool {
	work := 100
	ev := evaluator{work: &work}
	v, err := ev.exact(e)
	return err == evalOK && v.real() && v.re.Cmp(ratMinusOne) == 0
}

// repeating returns the value of a repeating decimal: head is "0.1" (or "0." or
// "2") and rep the repeating digits "6": 0.1666... = 1/6.
func repeating(head, rep string) (*big.Rat, error) {
	head = strings.TrimSuffix(head, ".")
	frac := 0
	if i := strings.IndexByte(head, '.'); i >= 0 {
		frac = len(head) - i - 1
		head = head[:i] + head[i+1:]
	}
	if head == "" {
		head = "0"
	}
	if len(rep) > 200 || frac > 200 {
		return nil, errOverBudget
	}
	h, ok1 := new(big.Int).SetString(head, 10)
	r, ok2 := new(big.Int).SetString(rep, 10)
	if !ok1 || !ok2 {
		return nil, errUnparsable
	}
	// value = (h * (10^n - 1) + r) / (10^frac * (10^n - 1)), n = len(rep)
	nines := new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(len(rep))), nil), big.NewInt(1))
	num := new(big.Int).Add(new(big.Int).Mul(h, nines), r)
	den := new(big.Int).Mul(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(frac)), nil), nines)
	return new(big.Rat).SetFrac(num, den), nil
}
