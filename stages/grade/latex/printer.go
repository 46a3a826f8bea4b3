package latex

import "strings"

// Print returns the canonical LaTeX of a syntax tree: explicit braces around
// every argument and script, `\cdot` for explicit products, a space for implicit
// ones, and braces (TeX's invisible grouping) where precedence needs them.
// Parsing the printed text gives back the same tree, so printing is stable:
// Print(Parse(Print(x))) == Print(x). Print(nil) is "".
func Print(x Expr) string {
	if n, ok := x.(*Number); ok {
		return n.Lit
	}
	var b strings.Builder
	pr := printer{b: &b}
	pr.expr(x)
	return b.String()
}

type printer struct{ b *strings.Builder }

// print precedences: larger binds tighter.
const (
	pList = iota
	pRel
	pSet
	pRatio
	pAdd
	pMul
	pUnary
	pPow
	pAtom
)

func prec(x Expr) int {
	switch x := x.(type) {
	case *List:
		return pList
	case *Rel:
		return pRel
	case *Binary:
		switch x.Op {
		case CUP, CAP, SETMINUS:
			return pSet
		case COLON:
			return pRatio
		case ADD, SUB, PM, MP:
			return pAdd
		case MUL, DIV:
			return pMul
		case POW:
			return pPow
		}
	case *Unary:
		return pUnary
	case *Postfix, *Sub:
		return pPow
	case *Func, *BigOp:
		return pMul // its argument extends to the right
	case *Mixed:
		return pMul
	}
	return pAtom
}

func (pr *printer) s(s string) { pr.b.WriteString(s) }

// wrap prints x in braces when its precedence is below min.
func (pr *printer) wrap(x Expr, min int) {
	if x != nil && prec(x) < min {
		pr.s("{")
		pr.expr(x)
		pr.s("}")
		return
	}
	pr.expr(x)
}

func (pr *printer) arg(x Expr) {
	pr.s("{")
	pr.expr(x)
	pr.s("}")
}

var relSpelling = map[Token]string{
	EQ: "=", LT: "<", GT: ">", LE: "\\le", GE: "\\ge", NE: "\\ne", APPROX: "\\approx", IN: "\\in",
}

var closeSpelling = map[Token]string{RPAREN: ")", RBRACK: "]", RSET: "\\}"}
var openSpelling = map[Token]string{LPAREN: "(", LBRACK: "[", LSET: "\\{"}

func (pr *printer) expr(x Expr) {
	switch x := x.(type) {
	case nil:
	case *Number:
		pr.s(x.Lit)
	case *Ident:
		if x.Cmd {
			pr.s("\\")
		}
		if w := strings.ToLower(x.Name); !x.Cmd && (w == "and" || w == "or") {
			pr.s("{" + x.Name + "}") // an operand, not a list separator
			return
		}
		pr.s(x.Name)
	case *Text:
		if isConnectorText(x.Content) {
			pr.s("{\\text{" + x.Content + "}}") // an operand, not a list separator
			return
		}
		pr.s("\\text{")
		pr.s(x.Content)
		pr.s("}")
	case *Unary:
		pr.s(unarySpelling(x.Op))
		pr.wrap(x.X, pUnary)
	case *Binary:
		pr.binary(x)
	case *Frac:
		pr.s("\\frac")
		pr.arg(x.Num)
		pr.arg(x.Den)
	case *Mixed:
		pr.s(x.Whole.Lit)
		pr.expr(x.Frac)
	case *Sqrt:
		pr.s("\\sqrt")
		if x.Index != nil {
			pr.s("[")
			pr.wrap(x.Index, pSet)
			pr.s("]")
		}
		pr.arg(x.X)
	case *Sub:
		pr.wrap(x.X, pPow)
		pr.s("_")
		pr.arg(x.Sub)
	case *Postfix:
		pr.wrap(x.X, pPow)
		switch x.Op {
		case FACT:
			pr.s("!")
		case PERCENT:
			pr.s("\\%")
		case DEGREE:
			pr.s("^{\\circ}")
		case PRIME:
			pr.s("'")
		}
	case *Func:
		switch x.Name {
		case "floor", "ceil":
			pr.s("\\l" + x.Name + " ")
			pr.expr(x.Arg)
			pr.s(" \\r" + x.Name)
			return
		}
		pr.s("\\" + x.Name)
		if x.Base != nil {
			pr.s("_")
			pr.arg(x.Base)
		}
		if x.Pow != nil {
			pr.s("^")
			pr.arg(x.Pow)
		}
		if _, ok := x.Arg.(*Group); ok {
			pr.expr(x.Arg)
		} else {
			pr.arg(x.Arg)
		}
	case *Group:
		pr.s(openSpelling[x.Open])
		for i, e := range x.Elems {
			if i > 0 {
				pr.s(", ")
			}
			pr.wrap(e, pRel)
		}
		pr.s(closeSpelling[x.Close])
	case *Abs:
		pr.s("|")
		pr.wrap(x.X, pSet)
		pr.s("|")
	case *Styled:
		pr.s("\\" + x.Cmd)
		pr.arg(x.X)
	case *BigOp:
		pr.s("\\" + x.Op)
		switch x.Op {
		case "lim":
			pr.s("_{")
			pr.expr(x.Var)
			pr.s(" \\to ")
			pr.expr(x.Lower)
			pr.s("}")
		case "int":
			if x.Lower != nil {
				pr.s("_")
				pr.arg(x.Lower)
			}
			if x.Upper != nil {
				pr.s("^")
				pr.arg(x.Upper)
			}
		default:
			pr.s("_{")
			pr.expr(x.Var)
			pr.s(" = ")
			pr.expr(x.Lower)
			pr.s("}^")
			pr.arg(x.Upper)
		}
		pr.s(" ")
		pr.arg(x.Body)
		if x.Op == "int" {
			pr.s(" d ")
			pr.wrap(x.Var, pAtom)
		}
	case *Binom:
		pr.s("\\binom")
		pr.arg(x.N)
		pr.arg(x.K)
	case *Matrix:
		pr.s("\\begin{" + x.Env + "}")
		if x.Env == "array" {
			pr.s("{}")
		}
		for i, row := range x.Rows {
			if i > 0 {
				pr.s(" \\\\")
			}
			for j, c := range row {
				if j > 0 {
					pr.s(" &")
				}
				if c != nil {
					pr.s(" ")
					pr.expr(c)
				}
			}
		}
		// The parser drops a row that is empty and last (a trailing \\ before
		// \end), so an empty last row is printed with its separator after it.
		if n := len(x.Rows); n > 0 && len(x.Rows[n-1]) == 1 && x.Rows[n-1][0] == nil {
			pr.s(" \\\\")
		}
		pr.s(" \\end{" + x.Env + "}")
	case *List:
		for i, e := range x.Elems {
			if i > 0 {
				switch sep := x.Seps[i-1]; sep {
				case ",":
					pr.s(", ")
				case ";":
					pr.s("; ")
				default:
					pr.s(" \\text{ " + sep + " } ")
				}
			}
			pr.wrap(e, pRel)
		}
	case *Rel:
		for i, a := range x.Args {
			if i > 0 {
				pr.s(" " + relSpelling[x.Ops[i-1]] + " ")
			}
			pr.wrap(a, pSet)
		}
	}
}

func unarySpelling(t Token) string {
	switch t {
	case SUB:
		return "-"
	case ADD:
		return "+"
	case PM:
		return "\\pm "
	case MP:
		return "\\mp "
	}
	return t.String()
}

func (pr *printer) binary(x *Binary) {
	p := prec(x)
	if x.Op == POW {
		pr.wrap(x.X, pPow)
		pr.s("^")
		pr.arg(x.Y)
		return
	}
	if _, isFunc := x.X.(*Func); isFunc {
		// A function's argument extends to the right: keep the function closed.
		pr.arg(x.X)
	} else {
		pr.wrap(x.X, p)
	}
	switch {
	case x.Implicit:
		pr.s(" ")
		// The right factor of a juxtaposition is a power-level operand.
		pr.wrap(x.Y, pPow)
		return
	case x.Op == MUL:
		pr.s(" \\cdot ")
	case x.Op == DIV:
		pr.s(" / ")
	case x.Op == ADD:
		pr.s(" + ")
	case x.Op == SUB:
		pr.s(" - ")
	case x.Op == PM:
		pr.s(" \\pm ")
	case x.Op == MP:
		pr.s(" \\mp ")
	case x.Op == COLON:
		pr.s(" : ")
	case x.Op == CUP:
		pr.s(" \\cup ")
	case x.Op == CAP:
		pr.s(" \\cap ")
	case x.Op == SETMINUS:
		pr.s(" \\setminus ")
	}
	pr.wrap(x.Y, p+1)
}
