package latex

// Expr is a node of the syntax tree. Every node records the byte offset of its
// first character in the source (Pos). The tree is purely syntactic: it says
// how the answer was written, not what it means (package equiv decides that).
type Expr interface {
	Pos() int
	exprNode()
}

type (
	// Number is an unsigned decimal literal: 12, 3.5, .5.
	Number struct {
		At  int
		Lit string
	}
	// Ident is a single letter (x), a Greek or other symbol command (\alpha, \pi,
	// \infty; Name is the command name) or a multi-letter word (Evelyn, xy; Word is
	// true) that the equivalence layer reads either as text or as a product.
	Ident struct {
		At   int
		Name string
		Cmd  bool // written as a command: \pi
		Word bool // a run of two or more letters
	}
	// Text is a text-mode argument: \text{ cm}, \mbox{and}, \textbf{(C)}.
	Text struct {
		At      int
		Content string
	}
	// Unary is a prefix sign: -x, +x, \pm x, \mp x.
	Unary struct {
		At int
		Op Token // SUB, ADD, PM, MP
		X  Expr
	}
	// Binary is an infix operation. Implicit marks juxtaposition (2x, 2\sqrt3).
	Binary struct {
		Op       Token // ADD SUB PM MP MUL DIV POW COLON CUP CAP SETMINUS
		X, Y     Expr
		Implicit bool
	}
	// Frac is \frac{Num}{Den} (also \dfrac, \tfrac, \cfrac).
	Frac struct {
		At       int
		Num, Den Expr
	}
	// Mixed is a mixed number: 3\frac12.
	Mixed struct {
		Whole *Number
		Frac  *Frac
	}
	// Sqrt is \sqrt[Index]{X}; Index is nil for a square root.
	Sqrt struct {
		At    int
		Index Expr
		X     Expr
	}
	// Sub is a subscript: x_1, 1011_2, a_{n+1}.
	Sub struct {
		X, Sub Expr
	}
	// Postfix is x!, x\%, x^\circ or x'.
	Postfix struct {
		Op Token // FACT PERCENT DEGREE PRIME
		X  Expr
	}
	// Func is a named function application: \sin x, \log_2 8, \sin^2 x, sqrt(2), \ln(x).
	Func struct {
		At   int
		Name string // sin, cos, log, ln, exp, ...
		Base Expr   // \log_b; nil if absent
		Pow  Expr   // \sin^2; nil if absent
		Arg  Expr
	}
	// Group is a bracketed list: (x), (1,2), [a,b), \{1,2\}. Open and Close are
	// LPAREN, LBRACK, LSET and RPAREN, RBRACK, RSET.
	Group struct {
		At          int
		Open, Close Token
		Elems       []Expr
	}
	// Abs is |X|.
	Abs struct {
		At int
		X  Expr
	}
	// Styled is a math font or accent command around its argument:
	// \mathrm{e}, \mathbf{v}, \overline{AB}, \operatorname{lcm}. Raw is the
	// argument's source text.
	Styled struct {
		At  int
		Cmd string
		Raw string
		X   Expr
	}
	// Binom is \binom{N}{K}.
	Binom struct {
		At   int
		N, K Expr
	}
	// BigOp is a big operator or calculus notation with its bound variable,
	// limits and body: \sum_{k=1}^{n} k^2 (Op "sum", Var k, Lower 1, Upper n),
	// \prod_{k=1}^{5} k, \int_0^1 x^2 \, dx (Op "int", Var x from the
	// differential; Lower and Upper nil for an indefinite integral) and
	// \lim_{x \to 0} f(x) (Op "lim", Lower the point). The body of \sum,
	// \prod and \lim is the product of factors that follows (as for \sin);
	// the body of \int runs to its differential.
	BigOp struct {
		At           int
		Op           string
		Var          Expr
		Lower, Upper Expr
		Body         Expr
	}
	// Matrix is a \begin{Env}...\end{Env} block of rows of cells.
	Matrix struct {
		At   int
		Env  string
		Rows [][]Expr
	}
	// List is a top-level or bracket-free list: 1, 2, 3 or 6 \text{ and } 8.
	// Seps holds each separator (COMMA, SEMI, or TEXT for a word: and/or).
	List struct {
		Elems []Expr
		Seps  []string
	}
	// Rel is a relation or chain: a = b = c, -2 \le x \le 7, x \in [0,1].
	Rel struct {
		Ops  []Token
		Args []Expr // len(Args) == len(Ops)+1
	}
)

func (x *Number) Pos() int  { return x.At }
func (x *Ident) Pos() int   { return x.At }
func (x *Text) Pos() int    { return x.At }
func (x *Unary) Pos() int   { return x.At }
func (x *Binary) Pos() int  { return x.X.Pos() }
func (x *Frac) Pos() int    { return x.At }
func (x *Mixed) Pos() int   { return x.Whole.At }
func (x *Sqrt) Pos() int    { return x.At }
func (x *Sub) Pos() int     { return x.X.Pos() }
func (x *Postfix) Pos() int { return x.X.Pos() }
func (x *Func) Pos() int    { return x.At }
func (x *Group) Pos() int   { return x.At }
func (x *Abs) Pos() int     { return x.At }
func (x *Styled) Pos() int  { return x.At }
func (x *Binom) Pos() int   { return x.At }
func (x *Matrix) Pos() int  { return x.At }
func (x *BigOp) Pos() int   { return x.At }
func (x *List) Pos() int    { return x.Elems[0].Pos() }
func (x *Rel) Pos() int     { return x.Args[0].Pos() }

func (*Number) exprNode()  {}
func (*Ident) exprNode()   {}
func (*Text) exprNode()    {}
func (*Unary) exprNode()   {}
func (*Binary) exprNode()  {}
func (*Frac) exprNode()    {}
func (*Mixed) exprNode()   {}
func (*Sqrt) exprNode()    {}
func (*Sub) exprNode()     {}
func (*Postfix) exprNode() {}
func (*Func) exprNode()    {}
func (*Group) exprNode()   {}
func (*Abs) exprNode()     {}
func (*Styled) exprNode()  {}
func (*Binom) exprNode()   {}
func (*Matrix) exprNode()  {}
func (*BigOp) exprNode()   {}
func (*List) exprNode()    {}
func (*Rel) exprNode()     {}
