package latex

// Token is the kind of a lexical token of the answer language.
type Token int

// The tokens. Operator commands (\cdot, \le, \pm, ...) and their plain-text and
// Unicode spellings (*, <=, ±, ≤, ...) are folded into one token each by the scanner.
const (
	ILLEGAL Token = iota
	EOF
	NUMBER // 12, 3.5, .5 (digits; a decimal comma is not part of a number)
	IDENT  // a run of ASCII letters: x, ab, sqrt, Evelyn
	CMD    // \name or \c; the literal is the name without the backslash
	TEXT   // \text{...}, \mbox{...}, \textbf{...}; the literal is the raw content
	BEGIN  // \begin{env}; the literal is env
	END    // \end{env}; the literal is env

	ADD     // +
	SUB     // - and Unicode minus
	MUL     // * \cdot \times ·  ×
	DIV     // / \div ÷
	POW     // ^ and **
	UNDER   // _
	FACT    // !
	PERCENT // % \%
	DEGREE  // ° \degree
	PRIME   // '
	PM      // \pm ±
	MP      // \mp ∓

	LPAREN // ( \lparen
	RPAREN // )
	LBRACK // [
	RBRACK // ]
	LBRACE // {
	RBRACE // }
	LSET   // \{ \lbrace
	RSET   // \} \rbrace
	BAR    // | \vert \lvert \rvert \mid
	COMMA  // ,
	SEMI   // ;
	COLON  // : \colon
	AMP    // &
	NEWROW // \\
	DOT    // a stray .

	EQ     // = ==
	LT     // < \lt
	GT     // > \gt
	LE     // \le \leq \leqslant <= ≤
	GE     // \ge \geq \geqslant >= ≥
	NE     // \ne \neq != ≠
	APPROX // \approx ≈
	IN     // \in ∈
	CUP    // \cup ∪
	CAP    // \cap ∩
	SETMINUS
	ARROW // \to \rightarrow, only in \lim_{x \to a}
	numTokens
)

var tokenNames = [numTokens]string{
	ILLEGAL: "illegal character", EOF: "end of input", NUMBER: "number", IDENT: "identifier",
	CMD: "command", TEXT: "\\text", BEGIN: "\\begin", END: "\\end",
	ADD: "+", SUB: "-", MUL: "\\cdot", DIV: "/", POW: "^", UNDER: "_", FACT: "!", PERCENT: "\\%",
	DEGREE: "\\degree", PRIME: "'", PM: "\\pm", MP: "\\mp",
	LPAREN: "(", RPAREN: ")", LBRACK: "[", RBRACK: "]", LBRACE: "{", RBRACE: "}",
	LSET: "\\{", RSET: "\\}", BAR: "|", COMMA: ",", SEMI: ";", COLON: ":", AMP: "&",
	NEWROW: "\\\\", DOT: ".",
	EQ: "=", LT: "<", GT: ">", LE: "\\le", GE: "\\ge", NE: "\\ne", APPROX: "\\approx",
	IN: "\\in", CUP: "\\cup", CAP: "\\cap", SETMINUS: "\\setminus", ARROW: "\\to",
}

// String returns the token's canonical spelling (operators) or a description.
func (t Token) String() string {
	if t >= 0 && t < numTokens {
		return tokenNames[t]
	}
	return "token(?)"
}

// IsRelation reports whether t is a relation operator (=, <, \le, \in, ...).
func (t Token) IsRelation() bool { return t >= EQ && t <= IN }

// opCommands maps operator commands to their tokens.
var opCommands = map[string]Token{
	"cdot": MUL, "times": MUL, "ast": MUL, "div": DIV, "pm": PM, "mp": MP,
	"le": LE, "leq": LE, "leqslant": LE, "ge": GE, "geq": GE, "geqslant": GE,
	"ne": NE, "neq": NE, "lt": LT, "gt": GT, "approx": APPROX, "in": IN,
	"cup": CUP, "cap": CAP, "setminus": SETMINUS, "colon": COLON,
	"vert": BAR, "lvert": BAR, "rvert": BAR, "mid": BAR, "lbrace": LSET, "rbrace": RSET,
	"lparen": LPAREN, "rparen": RPAREN, "lbrack": LBRACK, "rbrack": RBRACK,
	"degree": DEGREE, "%": PERCENT, "{": LSET, "}": RSET, "\\": NEWROW, "|": BAR,
	"langle": LPAREN, "rangle": RPAREN, "to": ARROW, "rightarrow": ARROW, "longrightarrow": ARROW,
}

// layoutCommands are skipped like white space: sizing, spacing and style switches.
var layoutCommands = map[string]bool{
	"left": true, "right": true, "big": true, "Big": true, "bigg": true, "Bigg": true,
	"bigl": true, "bigr": true, "Bigl": true, "Bigr": true, "biggl": true, "biggr": true,
	"Biggl": true, "Biggr": true, "middle": true,
	",": true, ";": true, ":": true, "!": true, " ": true, "quad": true, "qquad": true,
	"displaystyle": true, "textstyle": true, "scriptstyle": true, "limits": true, "nolimits": true,
	"thinspace": true, "medspace": true, "thickspace": true, "enspace": true, "negthinspace": true,
	"hfill": true, "noindent": true, "newline": true, "nonumber": true, "notag": true,
}

// textCommands take a text-mode argument that the scanner returns raw as one TEXT token.
var textCommands = map[string]bool{
	"text": true, "mbox": true, "textbf": true, "textrm": true, "textit": true, "textnormal": true,
	"texttt": true, "textsf": true, "hbox": true, "textup": true, "emph": true,
}
