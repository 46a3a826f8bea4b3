package equiv

import (
	"math/big"
	"strings"
)

// ex is the mathematical expression the equivalence engine evaluates: the
// meaning of a scalar answer, built from the syntax tree by interpretation.
// Subtraction is a sum with a -1 factor and division a power with exponent -1.
// An ex is immutable once built.
type ex struct {
	op   exOp
	r    *big.Rat // eNum
	name string   // eVar, eFunc
	args []*ex
}

type exOp uint8

const (
	eNum exOp = iota
	eVar
	ePi
	eE
	eI
	eAdd
	eMul
	ePow  // args[0] ^ args[1]
	eRoot // real n-th root: args[0], n in args[1] (an integer)
	eFunc // name(args[0]); log with a base has args[1]
	eFact
	eAbs
	eBinom
	eFloor
	eCeil
	eSum  // sum of args[0] for name from args[1] to args[2]
	eProd // product, as eSum
	eInt  // integral of args[0] d name, from args[1] to args[2] when given; never evaluated
	eLim  // limit of args[0] as name tends to args[1]; never evaluated
)

var (
	ratOne      = big.NewRat(1, 1)
	ratMinusOne = big.NewRat(-1, 1)
	ratPercent  = big.NewRat(1, 100)
	exMinusOne  = &ex{op: eNum, r: ratMinusOne}
)

func num(r *big.Rat) *ex { return &ex{op: eNum, r: r} }

func add(a, b *ex) *ex { return &ex{op: eAdd, args: []*ex{a, b}} }
func mul(a, b *ex) *ex { return &ex{op: eMul, args: []*ex{a, b}} }
func neg(a *ex) *ex    { return mul(exMinusOne, a) }
func sub(a, b *ex) *ex { return add(a, neg(b)) }
func quo(a, b *ex) *ex { return mul(a, &ex{op: ePow, args: []*ex{b, exMinusOne}}) }
func pow(a, b *ex) *ex { return &ex{op: ePow, args: []*ex{a, b}} }

// hasVars reports whether e contains a free variable (the bound variable of a
// sum or product is not one inside its body).
func (e *ex) hasVars() bool { return freeIn(e, nil) }

// String renders e for explanations; it is not a parseable format.
func (e *ex) String() string {
	var b strings.Builder
	e.write(&b)
	return b.String()
}

func (e *ex) write(b *strings.Builder) {
	switch e.op {
	case eNum:
		b.WriteString(e.r.RatString())
	case eVar:
		b.WriteString(e.name)
	case ePi:
		b.WriteString("pi")
	case eE:
		b.WriteString("e")
	case eI:
		b.WriteString("i")
	default:
		name := map[exOp]string{eAdd: "add", eMul: "mul", ePow: "pow", eRoot: "root", eFact: "fact",
			eAbs: "abs", eBinom: "binom", eFloor: "floor", eCeil: "ceil", eSum: "sum", eProd: "prod",
			eInt: "int", eLim: "lim"}[e.op]
		if e.op == eFunc {
			name = e.name
		}
		b.WriteString(name)
		b.WriteByte('(')
		for i, a := range e.args {
			if i > 0 {
				b.WriteByte(',')
			}
			a.write(b)
		}
		b.WriteByte(')')
	}
}
