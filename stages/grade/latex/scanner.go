package latex

import (
	"strings"
	"unicode/utf8"
)

// scanner turns answer text into tokens. It is synchronous: the parser calls
// next for one token at a time. Positions are byte offsets into the source.
// White space, spacing commands (\, \quad ~) and sizing commands (\left \right
// \big...) are skipped like white space; they carry no mathematical content.
type scanner struct {
	src string
	off int // next byte to read
}

func (s *scanner) init(src string) {
	s.src = src
	s.off = 0
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool  { return '0' <= c && c <= '9' }

// unicodeTokens maps the Unicode spellings models write to tokens or commands.
var unicodeTokens = map[rune]struct {
	tok Token
	lit string
}{
	'−': {SUB, ""}, '–': {SUB, ""}, '×': {MUL, ""}, '·': {MUL, ""}, '⋅': {MUL, ""}, '÷': {DIV, ""},
	'≤': {LE, ""}, '≥': {GE, ""}, '≠': {NE, ""}, '≈': {APPROX, ""}, '∈': {IN, ""},
	'∪': {CUP, ""}, '∩': {CAP, ""}, '±': {PM, ""}, '∓': {MP, ""}, '°': {DEGREE, ""},
	'π': {CMD, "pi"}, '√': {CMD, "sqrt"}, '∞': {CMD, "infty"}, 'θ': {CMD, "theta"},
	'α': {CMD, "alpha"}, 'β': {CMD, "beta"}, 'γ': {CMD, "gamma"},
	'²': {CMD, "sup2"}, '³': {CMD, "sup3"},
}

// next returns the next token, its position and literal.
func (s *scanner) next() (tok Token, pos int, lit string) {
	for {
		s.skipSpace()
		pos = s.off
		if s.off >= len(s.src) {
			return EOF, pos, ""
		}
		c := s.src[s.off]
		switch {
		case isDigit(c) || c == '.' && s.off+1 < len(s.src) && isDigit(s.src[s.off+1]):
			return NUMBER, pos, s.scanNumber()
		case isLetter(c):
			start := s.off
			for s.off < len(s.src) && isLetter(s.src[s.off]) {
				s.off++
			}
			return IDENT, pos, (s.src[start:s.off])
		case c == '\\':
			t, l, skip := s.scanCommand()
			if skip {
				continue
			}
			return t, pos, l
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s.src[s.off:])
			s.off += n
			if u, ok := unicodeTokens[r]; ok {
				return u.tok, pos, u.lit
			}
			if r == '\u00a0' || r == '\u2009' || r == '\u202f' || r == '\u200b' {
				continue // non-breaking and thin spaces
			}
			return ILLEGAL, pos, (s.src[pos:s.off])
		}
		s.off++
		switch c {
		case '+':
			return ADD, pos, ""
		case '-':
			return SUB, pos, ""
		case '*':
			if s.peek('*') {
				s.off++
				return POW, pos, "**"
			}
			return MUL, pos, ""
		case '/':
			return DIV, pos, ""
		case '^':
			return POW, pos, ""
		case '_':
			return UNDER, pos, ""
		case '!':
			if s.peek('=') {
				s.off++
				return NE, pos, ""
			}
			return FACT, pos, ""
		case '%':
			return PERCENT, pos, ""
		case '\'':
			return PRIME, pos, ""
		case '(':
			return LPAREN, pos, ""
		case ')':
			return RPAREN, pos, ""
		case '[':
			return LBRACK, pos, ""
		case ']':
			return RBRACK, pos, ""
		case '{':
			return LBRACE, pos, ""
		case '}':
			return RBRACE, pos, ""
		case '|':
			return BAR, pos, ""
		case ',':
			return COMMA, pos, ""
		case ';':
			return SEMI, pos, ""
		case ':':
			return COLON, pos, ""
		case '&':
			return AMP, pos, ""
		case '.':
			return DOT, pos, ""
		case '=':
			if s.peek('=') {
				s.off++
			}
			if s.peek('>') { // => is not an operator of ours
				s.off++
				return ILLEGAL, pos, "=>"
			}
			return EQ, pos, ""
		case '<':
			if s.peek('=') {
				s.off++
				return LE, pos, ""
			}
			return LT, pos, ""
		case '>':
			if s.peek('=') {
				s.off++
				return GE, pos, ""
			}
			return GT, pos, ""
		}
		return ILLEGAL, pos, string(c)
	}
}

func (s *scanner) peek(c byte) bool { return s.off < len(s.src) && s.src[s.off] == c }

func (s *scanner) skipSpace() {
	for s.off < len(s.src) {
		switch s.src[s.off] {
		case ' ', '\t', '\n', '\r', '~':
			s.off++
		default:
			return
		}
	}
}

func (s *scanner) scanNumber() string {
	start := s.off
	for s.off < len(s.src) && isDigit(s.src[s.off]) {
		s.off++
	}
	if s.off+1 < len(s.src) && s.src[s.off] == '.' && isDigit(s.src[s.off+1]) {
		s.off++
		for s.off < len(s.src) && isDigit(s.src[s.off]) {
			s.off++
		}
	}
	// A repeating decimal: 0.\overline{3}, 0.1\overline{6} (the repeating digits
	// are part of the literal).
	rest := s.src[s.off:]
	if strings.HasPrefix(rest, ".") && strings.Contains(s.src[start:s.off], ".") {
		return s.src[start:s.off]
	}
	r := strings.TrimPrefix(rest, ".")
	dotted := len(r) < len(rest) || strings.Contains(s.src[start:s.off], ".")
	if dotted && strings.HasPrefix(r, "\\overline{") {
		j := len("\\overline{")
		k := j
		for k < len(r) && isDigit(r[k]) {
			k++
		}
		if k > j && k < len(r) && r[k] == '}' {
			s.off += len(rest) - len(r) + k + 1
		}
	}
	return s.src[start:s.off]
}

// scanCommand scans a command after its backslash. skip reports a layout
// command that is to be treated as white space.
func (s *scanner) scanCommand() (tok Token, lit string, skip bool) {
	s.off++ // backslash
	if s.off >= len(s.src) {
		return ILLEGAL, "\\", false
	}
	start := s.off
	if !isLetter(s.src[s.off]) {
		c := s.src[s.off]
		if c >= utf8.RuneSelf {
			_, n := utf8.DecodeRuneInString(s.src[s.off:])
			s.off += n
			return ILLEGAL, (s.src[start-1 : s.off]), false
		}
		s.off++
		name := string(c)
		if layoutCommands[name] {
			return 0, "", true
		}
		if t, ok := opCommands[name]; ok {
			return t, "", false
		}
		return CMD, name, false
	}
	for s.off < len(s.src) && isLetter(s.src[s.off]) {
		s.off++
	}
	name := (s.src[start:s.off])
	switch {
	case layoutCommands[name]:
		if name == "left" || name == "right" || name == "middle" {
			s.skipSpace()
			if s.peek('.') { // null delimiter
				s.off++
			}
		}
		return 0, "", true
	case textCommands[name]:
		arg, ok := s.scanRawArg()
		if !ok {
			return ILLEGAL, "\\" + name + "{" + arg, false
		}
		return TEXT, arg, false
	case name == "begin" || name == "end":
		env, ok := s.scanRawArg()
		if !ok {
			return ILLEGAL, "\\" + name + "{" + env, false
		}
		if name == "begin" {
			if env == "array" { // column specification
				if _, ok := s.scanRawArg(); !ok {
					return ILLEGAL, "\\begin{array}", false
				}
			}
			return BEGIN, env, false
		}
		return END, env, false
	}
	if t, ok := opCommands[name]; ok {
		return t, "", false
	}
	return CMD, name, false
}

// scanRawArg returns the raw text of a brace-matched argument {...} (or of a
// single following character), without interpreting it. ok is false when the
// group is not closed or the argument is missing.
func (s *scanner) scanRawArg() (arg string, ok bool) {
	s.skipSpace()
	if s.off >= len(s.src) {
		return "", false
	}
	if s.src[s.off] != '{' {
		// One token: a letter, a digit or a command word (\text x, \mbox\alpha).
		start := s.off
		c := s.src[s.off]
		switch {
		case isLetter(c) || isDigit(c):
			s.off++
		case c == '\\' && s.off+1 < len(s.src) && isLetter(s.src[s.off+1]):
			s.off++
			for s.off < len(s.src) && isLetter(s.src[s.off]) {
				s.off++
			}
		default:
			return "", false
		}
		return (s.src[start:s.off]), true
	}
	s.off++
	start, depth := s.off, 1
	for s.off < len(s.src) {
		switch s.src[s.off] {
		case '\\':
			s.off++ // skip the escaped character
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				lit := (s.src[start:s.off])
				s.off++
				return lit, true
			}
		}
		s.off++
	}
	if s.off > len(s.src) {
		s.off = len(s.src)
	}
	return (s.src[start:s.off]), false
}
