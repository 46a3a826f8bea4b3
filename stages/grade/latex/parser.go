package latex

import "strings"

// Limits of one Parse call. Deeper nesting or more nodes stop the parse with an
// error instead of growing the stack or the heap without bound.
const (
	MaxDepth = 100   // nesting of groups, arguments and prefix signs
	MaxNodes = 20000 // syntax tree nodes
)

// bailout is the panic value that stops a parse; Parse recovers it and nothing else.
type bailout struct{}

type parser struct {
	sc      scanner
	src     string
	tok     Token
	pos     int
	lit     string
	prevEnd int // end offset of the last consumed token
	pending *pendingToken
	errors  ErrorList
	depth   int
	nodes   int
	steps   int // work done: tokens, bytes scanned and prefix lookups (tests check it is linear)
	absOpen int // open |...| groups: inside one, | closes instead of opening
	inInt   int // open \int bodies: inside one, a differential (dx, d x) ends the body
}

type pendingToken struct {
	tok Token
	pos int
	lit string
}

// Parse parses one answer and returns its syntax tree. It never panics: syntax
// errors, too deep nesting and too many nodes are returned as an ErrorList
// (parsing stops at the first error; answers are one-liners). Parse is safe for
// concurrent use; it costs time and memory linear in len(src).
func Parse(src string) (x Expr, err error) {
	x, _, err = parse(src)
	return x, err
}

// parse is Parse that also returns the work it did (parser.steps).
func parse(src string) (x Expr, steps int, err error) {
	p := parser{src: src}
	p.sc.init(src)
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(bailout); !ok {
				panic(r)
			}
			x = nil
		}
		err, steps = p.errors.Err(), p.steps
	}()
	p.next()
	if p.tok == EOF {
		p.errorExpected("an answer")
	}
	x = p.parseList()
	if p.tok != EOF {
		p.errorExpected("end of input")
	}
	return x, p.steps, nil
}

func (p *parser) next() {
	p.prevEnd = p.sc.off
	if p.pending != nil {
		p.tok, p.pos, p.lit = p.pending.tok, p.pending.pos, p.pending.lit
		p.prevEnd = p.pos
		p.pending = nil
		return
	}
	before := p.sc.off
	p.tok, p.pos, p.lit = p.sc.next()
	p.steps += 1 + p.sc.off - before
	if p.tok == CMD && len(p.lit) > 2 && !knownCommand(p.lit) {
		// A command glued to the letters after it, as in "x\ley" from answers whose
		// spaces were stripped: split at the longest known command prefix. Only
		// prefixes as long as a known command are tried, so a 10^6-letter command
		// costs no more than a short one.
		for i := min(len(p.lit)-1, maxCommandLen); i >= 2; i-- {
			p.steps += i
			pre := p.lit[:i]
			if !knownCommand(pre) {
				continue
			}
			p.pending = &pendingToken{IDENT, p.pos + 1 + i, p.lit[i:]}
			if layoutCommands[pre] { // \quadx: spacing glued to a name
				p.next()
				return
			}
			if t, ok := opCommands[pre]; ok {
				p.tok, p.lit = t, ""
			} else {
				p.lit = pre
			}
			break
		}
	}
}

func (p *parser) error(pos int, msg string) {
	p.errors = append(p.errors, &Error{Pos: pos, Msg: msg})
	panic(bailout{})
}

func (p *parser) errorExpected(what string) {
	p.error(p.pos, "expected "+what+", found "+p.describe())
}

func (p *parser) describe() string {
	switch p.tok {
	case NUMBER:
		return "number " + p.lit
	case IDENT:
		return "identifier " + p.lit
	case CMD:
		return "\\" + p.lit
	case TEXT:
		return "\\text{" + p.lit + "}"
	case BEGIN:
		return "\\begin{" + p.lit + "}"
	case END:
		return "\\end{" + p.lit + "}"
	case EOF:
		return "end of input"
	case ILLEGAL:
		return "illegal character " + p.lit
	}
	return "'" + p.tok.String() + "'"
}

func (p *parser) expect(t Token) {
	if p.tok != t {
		p.errorExpected("'" + t.String() + "'")
	}
	p.next()
}

func (p *parser) enter() {
	p.depth++
	if p.depth > MaxDepth {
		p.error(p.pos, "nesting deeper than the limit")
	}
}

func (p *parser) leave() { p.depth-- }

func (p *parser) node() {
	p.nodes++
	if p.nodes > MaxNodes {
		p.error(p.pos, "answer larger than the node limit")
	}
}

// connector reports whether the current token separates list elements, and how.
func (p *parser) connector() (string, bool) {
	switch p.tok {
	case COMMA:
		return ",", true
	case SEMI:
		return ";", true
	case IDENT:
		if w := strings.ToLower(p.lit); w == "and" || w == "or" {
			return w, true
		}
	case TEXT:
		if isConnectorText(p.lit) {
			return strings.ToLower(strings.TrimSpace(p.lit)), true
		}
	}
	return "", false
}

// isConnectorText reports \text content that separates list elements.
func isConnectorText(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "and", "or", ",", ";", ", and", ", or", "and/or":
		return true
	}
	return false
}

// parseList parses elements separated by commas, semicolons or and/or words.
func (p *parser) parseList() Expr {
	x := p.parseRel()
	sep, ok := p.connector()
	if !ok {
		return x
	}
	l := &List{Elems: []Expr{x}}
	for ok {
		p.next()
		// "1, 2, and 3": a run of separators is one separator.
		for s2, ok2 := p.connector(); ok2; s2, ok2 = p.connector() {
			if s2 != "," && s2 != ";" {
				sep = s2
			}
			p.next()
		}
		if p.tok == EOF || p.tok == RBRACE {
			break // a trailing separator
		}
		l.Seps = append(l.Seps, sep)
		l.Elems = append(l.Elems, p.parseRel())
		p.node()
		sep, ok = p.connector()
	}
	if len(l.Elems) == 1 {
		return x
	}
	return l
}

func (p *parser) parseRel() Expr {
	x := p.parseBinary(1)
	if !p.tok.IsRelation() {
		return x
	}
	r := &Rel{Args: []Expr{x}}
	for p.tok.IsRelation() {
		r.Ops = append(r.Ops, p.tok)
		p.next()
		r.Args = append(r.Args, p.parseBinary(1))
		p.node()
	}
	return r
}

// precedence of binary operators; 0 for other tokens.
func precedence(t Token) int {
	switch t {
	case CUP, CAP, SETMINUS:
		return 1
	case COLON:
		return 2
	case ADD, SUB, PM, MP:
		return 3
	case MUL, DIV:
		return 4
	}
	return 0
}

const implicitPrec = 4

// startsOperand reports whether the current token can begin an implicit factor.
func (p *parser) startsOperand() bool {
	switch p.tok {
	case NUMBER, LPAREN, LBRACE, LSET, BEGIN:
		return true
	case IDENT:
		w := strings.ToLower(p.lit)
		return w != "and" && w != "or" && !(p.inInt > 0 && isDifferential(p.lit))
	case CMD:
		return !closingCommands[p.lit]
	case TEXT:
		_, conn := p.connector()
		return !conn
	case BAR:
		return p.absOpen == 0
	case LBRACK:
		// A bracketed matrix is a factor: 2\left[\begin{array}…\end{array}\right].
		// Any other [ after an operand is not (it would read 2[1,3] as a product).
		rest := strings.TrimLeft(p.src[p.sc.off:], " \t\n")
		return p.pending == nil && strings.HasPrefix(rest, "\\begin")
	}
	return false
}

// parseBinary parses by precedence climbing: operators of precedence >= prec1.
func (p *parser) parseBinary(prec1 int) Expr {
	x := p.parseUnary()
	for {
		op, prec, implicit := p.tok, precedence(p.tok), false
		if prec == 0 && p.startsOperand() {
			op, prec, implicit = MUL, implicitPrec, true
		}
		if prec == 0 || prec < prec1 {
			return x
		}
		p.node()
		if implicit {
			y := p.parsePower()
			if f, ok := y.(*Frac); ok && isIntegerExpr(f.Num) && isIntegerExpr(f.Den) {
				if n, ok := x.(*Number); ok && isInteger(n.Lit) {
					x = &Mixed{Whole: n, Frac: f}
					continue
				}
				// -3\frac12 is -(3 1/2)
				if u, ok := x.(*Unary); ok && (u.Op == SUB || u.Op == ADD) {
					if n, ok := u.X.(*Number); ok && isInteger(n.Lit) {
						x = &Unary{At: u.At, Op: u.Op, X: &Mixed{Whole: n, Frac: f}}
						continue
					}
				}
			}
			x = &Binary{Op: MUL, X: x, Y: y, Implicit: true}
			continue
		}
		p.next()
		x = &Binary{Op: op, X: x, Y: p.parseBinary(prec + 1)}
	}
}

func isInteger(lit string) bool { return lit != "" && !strings.Contains(lit, ".") }

func isIntegerExpr(x Expr) bool {
	n, ok := x.(*Number)
	return ok && isInteger(n.Lit)
}

func (p *parser) parseUnary() Expr {
	switch p.tok {
	case SUB, ADD, PM, MP:
		p.enter()
		defer p.leave()
		p.node()
		u := &Unary{At: p.pos, Op: p.tok}
		p.next()
		u.X = p.parseUnary()
		return u
	}
	return p.parsePower()
}

// parsePower parses a primary with its scripts and postfix operators.
func (p *parser) parsePower() Expr {
	x := p.parsePrimary()
	for {
		switch p.tok {
		case POW:
			p.node()
			plain := p.lit == "**"
			p.next()
			if plain {
				x = &Binary{Op: POW, X: x, Y: p.parseUnaryPower()}
				continue
			}
			y := p.parseArg(true)
			if id, ok := y.(*Ident); ok && id.Cmd && id.Name == "circ" {
				x = &Postfix{Op: DEGREE, X: x}
				continue
			}
			x = &Binary{Op: POW, X: x, Y: y}
		case UNDER:
			p.node()
			p.next()
			x = &Sub{X: x, Sub: p.parseArg(false)}
		case FACT, PERCENT, DEGREE, PRIME:
			p.node()
			x = &Postfix{Op: p.tok, X: x}
			p.next()
		case CMD:
			switch p.lit {
			case "sup2", "sup3":
				p.node()
				x = &Binary{Op: POW, X: x, Y: &Number{At: p.pos, Lit: p.lit[3:]}}
				p.next()
				continue
			}
			return x
		default:
			return x
		}
	}
}

// parseUnaryPower is the right operand of the plain-text power x**y.
func (p *parser) parseUnaryPower() Expr {
	switch p.tok {
	case SUB, ADD:
		p.enter()
		defer p.leave()
		u := &Unary{At: p.pos, Op: p.tok}
		p.next()
		u.X = p.parseUnaryPower()
		return u
	}
	return p.parsePower()
}

// parseArg parses a TeX macro argument: a braced group, or one token — a single
// digit (\frac12 is 1/2, x^23 is x^2 3), a single letter, or a command with its
// own arguments. A script (sign true) may also be a signed argument or a
// parenthesized group, as plain text writes x^-1 and 2^(n+1).
func (p *parser) parseArg(script bool) Expr {
	p.enter()
	defer p.leave()
	p.node()
	switch p.tok {
	case LBRACE:
		p.next()
		if p.tok == RBRACE {
			p.errorExpected("an argument")
		}
		x := p.parseList()
		p.expect(RBRACE)
		return x
	case NUMBER, IDENT:
		if len(p.lit) == 1 || p.lit[0] == '.' {
			return p.parsePrimaryToken()
		}
		at := p.pos
		first := p.lit[:1]
		p.lit = p.lit[1:]
		p.pos++
		p.prevEnd = p.pos // consumed up to the split point
		if p.tok == NUMBER {
			return &Number{At: at, Lit: first}
		}
		return p.identifier(at, first)
	case CMD, TEXT:
		return p.parsePrimary()
	case LPAREN:
		if script {
			return p.parseGroup()
		}
	case SUB, ADD:
		if script {
			u := &Unary{At: p.pos, Op: p.tok}
			p.next()
			u.X = p.parseArg(true)
			return u
		}
	}
	p.errorExpected("an argument")
	return nil
}

func (p *parser) parsePrimary() Expr {
	p.enter()
	defer p.leave()
	p.node()
	return p.parsePrimaryToken()
}

func (p *parser) parsePrimaryToken() Expr {
	switch p.tok {
	case NUMBER:
		n := &Number{At: p.pos, Lit: p.lit}
		p.next()
		return n
	case IDENT:
		at, lit := p.pos, p.lit
		p.next()
		return p.identifier(at, lit)
	case CMD:
		return p.parseCommand()
	case TEXT:
		t := &Text{At: p.pos, Content: p.lit}
		p.next()
		return t
	case LPAREN, LBRACK, LSET:
		return p.parseGroup()
	case LBRACE:
		p.next()
		if p.tok == RBRACE {
			p.errorExpected("an expression")
		}
		x := p.parseList()
		p.expect(RBRACE)
		return x
	case BAR:
		a := &Abs{At: p.pos}
		p.next()
		p.absOpen++
		a.X = p.parseBinary(1)
		p.absOpen--
		p.expect(BAR)
		return a
	case BEGIN:
		return p.parseMatrix()
	}
	p.errorExpected("an operand")
	return nil
}

// plainFunctions are the words plain-text answers use for functions and constants.
var plainFunctions = map[string]bool{
	"sqrt": true, "sin": true, "cos": true, "tan": true, "cot": true, "sec": true, "csc": true,
	"log": true, "ln": true, "exp": true, "arcsin": true, "arccos": true, "arctan": true,
}

// identifier makes the node of an identifier token (already consumed), turning
// the plain-text words sqrt, sin, pi, infinity... into their command forms.
func (p *parser) identifier(at int, lit string) Expr {
	switch lit {
	case "pi":
		return &Ident{At: at, Name: "pi", Cmd: true}
	case "infinity", "infty", "inf":
		return &Ident{At: at, Name: "infty", Cmd: true}
	}
	if plainFunctions[lit] {
		return p.parseFuncRest(at, lit)
	}
	return &Ident{At: at, Name: lit, Word: len(lit) > 1}
}

// symbols are the commands that stand for one mathematical object.
var symbols = map[string]bool{
	"pi": true, "infty": true, "infinity": true, "emptyset": true, "varnothing": true, "circ": true,
	"ldots": true, "cdots": true, "dots": true, "ell": true, "angle": true, "triangle": true,
	"alpha": true, "beta": true, "gamma": true, "delta": true, "epsilon": true, "varepsilon": true,
	"zeta": true, "eta": true, "theta": true, "vartheta": true, "iota": true, "kappa": true,
	"lambda": true, "mu": true, "nu": true, "xi": true, "rho": true, "sigma": true, "tau": true,
	"upsilon": true, "phi": true, "varphi": true, "chi": true, "psi": true, "omega": true,
	"Gamma": true, "Delta": true, "Theta": true, "Lambda": true, "Xi": true, "Pi": true,
	"Sigma": true, "Phi": true, "Psi": true, "Omega": true, "imath": true,
}

// functions are the function commands: \sin x, \log_2 8.
var functions = map[string]bool{
	"sin": true, "cos": true, "tan": true, "cot": true, "sec": true, "csc": true,
	"arcsin": true, "arccos": true, "arctan": true, "sinh": true, "cosh": true, "tanh": true,
	"log": true, "ln": true, "lg": true, "exp": true, "det": true, "gcd": true, "lcm": true,
	"max": true, "min": true, "deg": true,
}

// fontCommands wrap a math argument in a font or an accent.
var fontCommands = map[string]bool{
	"mathrm": true, "mathbf": true, "mathit": true, "mathsf": true, "mathtt": true,
	"mathcal": true, "mathbb": true, "mathnormal": true, "boldsymbol": true, "bm": true,
	"operatorname": true, "overline": true, "vec": true, "hat": true, "bar": true,
	"widehat": true, "overrightarrow": true, "underline": true, "tilde": true, "widetilde": true,
	"overarc": true, "wideparen": true, "dot": true, "ddot": true,
}

// structural are the other commands the parser knows.
var structural = map[string]bool{
	"frac": true, "dfrac": true, "tfrac": true, "cfrac": true, "sqrt": true, "binom": true,
	"dbinom": true, "tbinom": true, "boxed": true, "fbox": true, "lfloor": true, "lceil": true,
	"rfloor": true, "rceil": true, "sup2": true, "sup3": true,
	"sum": true, "prod": true, "int": true, "lim": true,
}

// closingCommands never start an operand.
var closingCommands = map[string]bool{"rfloor": true, "rceil": true}

// maxCommandLen is the length of the longest known command name (thickspace,
// negthinspace, overrightarrow); TestMaxCommandLen checks it.
const maxCommandLen = 14

func knownCommand(name string) bool {
	if _, ok := opCommands[name]; ok {
		return true
	}
	return symbols[name] || functions[name] || fontCommands[name] || structural[name] ||
		layoutCommands[name] || textCommands[name] || name == "begin" || name == "end"
}

func (p *parser) parseCommand() Expr {
	at, name := p.pos, p.lit
	switch {
	case name == "frac" || name == "dfrac" || name == "tfrac" || name == "cfrac":
		p.next()
		f := &Frac{At: at}
		f.Num = p.parseArg(false)
		f.Den = p.parseArg(false)
		return f
	case name == "binom" || name == "dbinom" || name == "tbinom":
		p.next()
		b := &Binom{At: at}
		b.N = p.parseArg(false)
		b.K = p.parseArg(false)
		return b
	case name == "sqrt":
		p.next()
		return p.parseSqrtRest(at)
	case name == "sum" || name == "prod" || name == "int" || name == "lim":
		p.next()
		return p.parseBigOp(at, name)
	case name == "boxed" || name == "fbox":
		p.next()
		return p.parseArg(false)
	case name == "lfloor" || name == "lceil":
		p.next()
		f := &Func{At: at, Name: map[string]string{"lfloor": "floor", "lceil": "ceil"}[name]}
		f.Arg = p.parseBinary(1)
		if p.tok != CMD || p.lit != "r"+name[1:] {
			p.errorExpected("\\r" + name[1:])
		}
		p.next()
		return f
	case symbols[name]:
		p.next()
		if name == "infinity" {
			name = "infty"
		}
		return &Ident{At: at, Name: name, Cmd: true}
	case functions[name]:
		p.next()
		return p.parseFuncRest(at, name)
	case fontCommands[name]:
		p.next()
		start := p.pos
		x := p.parseArg(false)
		raw := ""
		if start <= p.prevEnd && p.prevEnd <= len(p.src) {
			raw = p.src[start:p.prevEnd]
		}
		return &Styled{At: at, Cmd: name, Raw: raw, X: x}
	}
	p.error(at, "unknown command \\"+name)
	return nil
}

// parseSqrtRest parses [index]{radicand} after \sqrt (or the word sqrt). The
// radicand may be parenthesized, as in \sqrt(2): models write it, and reading it
// as the square root of 2 is what they mean (never a silent truncation to 1).
func (p *parser) parseSqrtRest(at int) Expr {
	s := &Sqrt{At: at}
	if p.tok == LBRACK {
		p.next()
		s.Index = p.parseBinary(1)
		p.expect(RBRACK)
	}
	if p.tok == LPAREN {
		s.X = p.parseGroup()
	} else {
		s.X = p.parseArg(false)
	}
	return s
}

// parseFuncRest parses the scripts and the argument of a function.
func (p *parser) parseFuncRest(at int, name string) Expr {
	if name == "sqrt" {
		return p.parseSqrtRest(at)
	}
	f := &Func{At: at, Name: name}
	for p.tok == POW || p.tok == UNDER {
		if p.tok == POW {
			p.next()
			f.Pow = p.parseArg(true)
		} else {
			p.next()
			f.Base = p.parseArg(false)
		}
	}
	if p.tok == LPAREN {
		f.Arg = p.parseGroup()
		return f
	}
	p.enter()
	defer p.leave()
	if p.tok == SUB || p.tok == ADD {
		u := &Unary{At: p.pos, Op: p.tok}
		p.next()
		u.X = p.parsePower()
		f.Arg = u
		return f
	}
	// \sin 2x is sin(2x): the argument is the following product of factors, up to
	// the next function or explicit operator.
	x := p.parsePower()
	for p.startsOperand() && !(p.tok == CMD && functions[p.lit]) &&
		!(p.tok == IDENT && plainFunctions[p.lit]) {
		p.node()
		x = &Binary{Op: MUL, X: x, Y: p.parsePower(), Implicit: true}
	}
	f.Arg = x
	return f
}

// isDifferential reports the differential that ends an integral: d (followed
// by the variable) or d and one letter (dx).
func isDifferential(lit string) bool { return lit == "d" || len(lit) == 2 && lit[0] == 'd' }

// parseBigOp parses the limits and body of \sum, \prod, \int and \lim.
func (p *parser) parseBigOp(at int, name string) Expr {
	p.enter()
	defer p.leave()
	b := &BigOp{At: at, Op: name}
	for p.tok == POW || p.tok == UNDER {
		sup := p.tok == POW
		p.next()
		switch {
		case sup && name != "lim":
			b.Upper = p.parseArg(true)
		case sup:
			p.errorExpected("\\lim_{x \\to a}")
		case name == "lim":
			if p.tok != LBRACE {
				p.errorExpected("'{'")
			}
			p.next()
			b.Var = p.parseBinary(1)
			p.expect(ARROW)
			b.Lower = p.parseBinary(1)
			p.expect(RBRACE)
		case name == "int":
			b.Lower = p.parseArg(true)
		default: // \sum_{k=1}: the bound variable and its first value
			x := p.parseArg(false)
			r, ok := x.(*Rel)
			if !ok || len(r.Ops) != 1 || r.Ops[0] != EQ {
				p.error(x.Pos(), "expected a lower limit k = a")
			}
			b.Var, b.Lower = r.Args[0], r.Args[1]
		}
	}
	if name == "int" {
		p.inInt++
		b.Body = p.parseBinary(3)
		p.inInt--
		if p.tok != IDENT || !isDifferential(p.lit) {
			p.errorExpected("a differential (dx)")
		}
		if p.lit == "d" {
			p.next()
			b.Var = p.parsePrimary()
		} else {
			at := p.pos + 1
			v := p.lit[1:]
			p.next()
			b.Var = &Ident{At: at, Name: v}
		}
		p.node()
		return b
	}
	if b.Var == nil || b.Lower == nil || name != "lim" && b.Upper == nil {
		p.errorExpected("the limits of \\" + name)
	}
	// The body is the product of factors that follows, as for \sin.
	x := p.parsePower()
	for p.startsOperand() && !(p.tok == CMD && (functions[p.lit] || p.lit == "sum" || p.lit == "prod")) {
		p.node()
		x = &Binary{Op: MUL, X: x, Y: p.parsePower(), Implicit: true}
	}
	b.Body = x
	p.node()
	return b
}

// parseGroup parses (…), […], mixed intervals [a,b) and sets \{…\}.
func (p *parser) parseGroup() Expr {
	p.enter()
	defer p.leave()
	g := &Group{At: p.pos, Open: p.tok}
	p.next()
	saved := p.absOpen
	p.absOpen = 0
	defer func() { p.absOpen = saved }()
	if !p.closes(g.Open) {
		for {
			g.Elems = append(g.Elems, p.parseRel())
			p.node()
			if p.tok == COMMA || p.tok == SEMI {
				p.next()
				continue
			}
			break
		}
	}
	if !p.closes(g.Open) {
		if g.Open == LSET {
			p.errorExpected("'\\}'")
		}
		p.errorExpected("')' or ']'")
	}
	g.Close = p.tok
	p.next()
	return g
}

func (p *parser) closes(open Token) bool {
	if open == LSET {
		return p.tok == RSET
	}
	return p.tok == RPAREN || p.tok == RBRACK
}

// parseMatrix parses \begin{env} a & b \\ c & d \end{env}.
func (p *parser) parseMatrix() Expr {
	p.enter()
	defer p.leave()
	m := &Matrix{At: p.pos, Env: p.lit}
	p.next()
	var row []Expr
	for {
		var cell Expr
		if p.tok != AMP && p.tok != NEWROW && p.tok != END {
			if p.tok == EOF {
				p.errorExpected("\\end{" + m.Env + "}")
			}
			cell = p.parseList()
		}
		p.node()
		switch p.tok {
		case AMP:
			row = append(row, cell)
			p.next()
		case NEWROW:
			row = append(row, cell)
			m.Rows = append(m.Rows, row)
			row = nil
			p.next()
		case END:
			if cell != nil || len(row) > 0 {
				m.Rows = append(m.Rows, append(row, cell))
			}
			if p.lit != m.Env {
				p.errorExpected("\\end{" + m.Env + "}")
			}
			p.next()
			return m
		default:
			p.errorExpected("'&', '\\\\' or \\end{" + m.Env + "}")
		}
	}
}
