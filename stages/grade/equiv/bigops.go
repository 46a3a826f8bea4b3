package equiv

import (
	"slices"
	"strconv"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/latex"
)

// Big operators and calculus notation (\sum, \prod, \int, \lim) and the
// factorials and binomials of symbolic arguments. A sum or product whose
// limits are numbers is evaluated exactly, term by term, within the work
// budget. Anything else (symbolic limits, integrals, limits, (n+1)!) is
// opaque: it stands for one unknown whose identity is its canonical key, the
// expression with bound variables renamed by depth and the terms of sums and
// factors of products sorted. Two opaque parts are equal exactly when they are
// equal up to reordering commutative terms and renaming bound variables.

// infEx stands for ±∞ as the limit of a sum or the point of a limit; it only
// ever appears inside an opaque key.
var infEx = &ex{op: eVar, name: "\x00inf"}

// bigOpEx builds the expression of \sum, \prod, \int or \lim.
func (in *interp) bigOpEx(b *latex.BigOp) (*ex, error) {
	name, ok := nameOf(b.Var)
	if !ok {
		return nil, errUnparsable
	}
	limit := func(x latex.Expr) (*ex, error) {
		switch t := x.(type) {
		case *latex.Ident:
			if t.Cmd && t.Name == "infty" {
				return infEx, nil
			}
		case *latex.Unary:
			if id, ok := t.X.(*latex.Ident); ok && id.Cmd && id.Name == "infty" {
				return neg(infEx), nil
			}
		}
		return in.toEx(x)
	}
	body, err := in.toEx(b.Body)
	if err != nil {
		return nil, err
	}
	if name == "i" || name == "e" {
		// \sum_{i=1}^{n} i: a bound i or e is the variable, not the constant.
		body = rebind(body, name)
	}
	e := &ex{name: name, args: []*ex{body}}
	switch b.Op {
	case "sum", "prod":
		e.op = eSum
		if b.Op == "prod" {
			e.op = eProd
		}
		lo, err := limit(b.Lower)
		if err != nil {
			return nil, err
		}
		hi, err := limit(b.Upper)
		if err != nil {
			return nil, err
		}
		e.args = append(e.args, lo, hi)
	case "int":
		e.op = eInt
		if b.Lower != nil && b.Upper != nil {
			lo, err := limit(b.Lower)
			if err != nil {
				return nil, err
			}
			hi, err := limit(b.Upper)
			if err != nil {
				return nil, err
			}
			e.args = append(e.args, lo, hi)
		} else if b.Lower != nil || b.Upper != nil {
			return nil, errUnparsable
		}
	case "lim":
		e.op = eLim
		at, err := limit(b.Lower)
		if err != nil {
			return nil, err
		}
		e.args = append(e.args, at)
	default:
		return nil, errUnparsable
	}
	in.big = true
	return e, nil
}

// rebind turns the constant i (or e) of a body into the bound variable of that name.
func rebind(e *ex, name string) *ex {
	if e.op == eI && name == "i" || e.op == eE && name == "e" {
		return &ex{op: eVar, name: name}
	}
	if len(e.args) == 0 {
		return e
	}
	out := &ex{op: e.op, r: e.r, name: e.name, args: make([]*ex, len(e.args))}
	for i, a := range e.args {
		out.args[i] = rebind(a, name)
	}
	return out
}

// resolve replaces every part of e that cannot be evaluated by an opaque
// variable; bound lists the variables bound by the enclosing evaluated sums
// and products. An opaque part that depends on such a variable makes the whole
// answer unevaluable (errUnparsable).
func resolve(e *ex, bound []string) (*ex, error) {
	switch e.op {
	case eNum, ePi, eE, eI:
		return e, nil
	case eVar:
		if e == infEx {
			return nil, errUnparsable // ∞ outside the limits of an opaque operator
		}
		return e, nil
	case eSum, eProd:
		lo, err := resolve(e.args[1], bound)
		if err != nil {
			return opaque(e, bound)
		}
		hi, err := resolve(e.args[2], bound)
		if err != nil || freeIn(lo, bound) || freeIn(hi, bound) {
			return opaque(e, bound)
		}
		body, err := resolve(e.args[0], append(slices.Clip(bound), e.name))
		if err != nil {
			return nil, err
		}
		return &ex{op: e.op, name: e.name, args: []*ex{body, lo, hi}}, nil
	case eInt, eLim:
		return opaque(e, bound)
	case eFact:
		if a, err := resolve(e.args[0], bound); err != nil || freeIn(a, bound) {
			return opaque(e, bound)
		}
	case eBinom:
		if a, err := resolve(e.args[1], bound); err != nil || freeIn(a, bound) {
			return opaque(e, bound)
		}
	}
	var args []*ex
	for i, a := range e.args {
		r, err := resolve(a, bound)
		if err != nil {
			return nil, err
		}
		if r != a && args == nil {
			args = append(make([]*ex, 0, len(e.args)), e.args[:i]...)
		}
		if args != nil {
			args = append(args, r)
		}
	}
	if args == nil {
		return e, nil
	}
	return &ex{op: e.op, r: e.r, name: e.name, args: args}, nil
}

// opaque is the unknown that stands for e.
func opaque(e *ex, bound []string) (*ex, error) {
	if dependsOn(e, bound) {
		return nil, errUnparsable
	}
	var b strings.Builder
	b.WriteByte(0)
	key(e, nil, &b)
	return &ex{op: eVar, name: b.String()}, nil
}

// freeIn reports a variable of e that neither bound nor a sum, product,
// integral or limit inside e binds.
func freeIn(e *ex, bound []string) bool {
	switch e.op {
	case eVar:
		return !slices.Contains(bound, e.name)
	case eSum, eProd, eInt, eLim:
		for i, a := range e.args {
			b := bound
			if i == 0 {
				b = append(slices.Clip(bound), e.name)
			}
			if freeIn(a, b) {
				return true
			}
		}
		return false
	}
	for _, a := range e.args {
		if freeIn(a, bound) {
			return true
		}
	}
	return false
}

// dependsOn reports whether e uses a variable of vars freely.
func dependsOn(e *ex, vars []string) bool {
	if len(vars) == 0 {
		return false
	}
	switch e.op {
	case eVar:
		return slices.Contains(vars, e.name)
	case eSum, eProd, eInt, eLim:
		inner := slices.DeleteFunc(slices.Clone(vars), func(v string) bool { return v == e.name })
		for i, a := range e.args {
			vs := vars
			if i == 0 {
				vs = inner
			}
			if dependsOn(a, vs) {
				return true
			}
		}
		return false
	}
	for _, a := range e.args {
		if dependsOn(a, vars) {
			return true
		}
	}
	return false
}

// key writes the canonical key of e: bound variables are named by their depth
// (#0, #1, …), the terms of a sum and the factors of a product are flattened
// and sorted.
func key(e *ex, scope []string, b *strings.Builder) {
	switch e.op {
	case eNum:
		b.WriteString(e.r.RatString())
		return
	case eVar:
		for i := len(scope) - 1; i >= 0; i-- {
			if scope[i] == e.name {
				b.WriteString("#" + strconv.Itoa(i))
				return
			}
		}
		b.WriteString(strconv.Quote(e.name))
		return
	case ePi, eE, eI:
		b.WriteString(e.String())
		return
	case eAdd, eMul:
		var parts []string
		var flat func(x *ex)
		flat = func(x *ex) {
			if x.op == e.op {
				for _, a := range x.args {
					flat(a)
				}
				return
			}
			var t strings.Builder
			key(x, scope, &t)
			parts = append(parts, t.String())
		}
		flat(e)
		slices.Sort(parts)
		if e.op == eMul {
			parts = dropOnes(parts)
		}
		b.WriteString(map[exOp]string{eAdd: "add(", eMul: "mul("}[e.op])
		b.WriteString(strings.Join(parts, ","))
		b.WriteByte(')')
		return
	}
	name := map[exOp]string{ePow: "pow", eRoot: "root", eFact: "fact", eAbs: "abs", eBinom: "binom",
		eFloor: "floor", eCeil: "ceil", eSum: "sum", eProd: "prod", eInt: "int", eLim: "lim"}[e.op]
	if e.op == eFunc {
		name = e.name
	}
	b.WriteString(name)
	b.WriteByte('(')
	for i, a := range e.args {
		if i > 0 {
			b.WriteByte(',')
		}
		s := scope
		if i == 0 && (e.op == eSum || e.op == eProd || e.op == eInt || e.op == eLim) {
			s = append(slices.Clip(scope), e.name) // the body sees the bound variable
		}
		key(a, s, b)
	}
	b.WriteByte(')')
}

// dropOnes removes factors 1 from a sorted key list (2 \cdot 1 \cdot k is 2k).
func dropOnes(parts []string) []string {
	out := parts[:0]
	for _, p := range parts {
		if p != "1" {
			out = append(out, p)
		}
	}
	return out
}
