package extract

import "strings"

// Byte classes and case-insensitive search over ASCII, shared by the strategies.

func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// hasPrefixFold reports whether s starts with the lower-case ASCII word w, ignoring case.
func hasPrefixFold(s, w string) bool {
	if len(s) < len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		if lower(s[i]) != w[i] {
			return false
		}
	}
	return true
}

// indexFold returns the first index of the lower-case ASCII string w in s, ignoring
// case, or -1. w must start with a letter.
func indexFold(s, w string) int {
	if w == "" {
		return 0
	}
	c0 := w[0]
	for i := 0; i+len(w) <= len(s); i++ {
		// For a lower-case letter c0, s[i]|0x20 == c0 exactly when s[i] is c0 in
		// either case: one comparison per byte.
		if s[i]|0x20 == c0 && hasPrefixFold(s[i:], w) {
			return i
		}
	}
	return -1
}

// lastIndexFold returns the last index of the lower-case ASCII string w in s, ignoring
// case, or -1. w must start with a letter.
func lastIndexFold(s, w string) int {
	if w == "" {
		return len(s)
	}
	c0 := w[0]
	for i := len(s) - len(w); i >= 0; i-- {
		if s[i]|0x20 == c0 && hasPrefixFold(s[i:], w) {
			return i
		}
	}
	return -1
}

// clean trims an extracted answer and drops the unescaped $ signs inside it: math
// delimiters are layout, never part of an answer (\$ stays, it is a currency sign).
func clean(s string) string {
	s = strings.TrimSpace(s)
	if strings.IndexByte(s, '$') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\\' && i+1 < len(s) {
			b.WriteByte(c)
			b.WriteByte(s[i+1])
			i++
			continue
		}
		if c != '$' {
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String())
}

// unwrap returns the answer held by a stated text (an answer tag, a Minerva sentence,
// the X of "the answer is X", a math span): what surrounds it peeled, \( \) \[ \]
// pairs and $ signs dropped, trimmed.
func unwrap(s string) string { return clean(stripDelims(peel(s))) }

// peel removes what surrounds an answer stated in prose: quotes, markdown emphasis
// (**x**, *x*, `x`), math delimiters and a trailing period, repeatedly.
func peel(s string) string {
	for {
		t := strings.TrimSpace(s)
		t = strings.TrimRight(t, ".")
		t = strings.TrimSpace(t)
		for _, p := range [][2]string{
			{`\(`, `\)`}, {`\[`, `\]`}, {"$$", "$$"}, {"$", "$"},
			{"**", "**"}, {"*", "*"}, {"`", "`"}, {`\"`, `\"`}, {`"`, `"`}, {"“", "”"},
		} {
			if len(t) >= len(p[0])+len(p[1]) && strings.HasPrefix(t, p[0]) && strings.HasSuffix(t, p[1]) {
				t = t[len(p[0]) : len(t)-len(p[1])]
				break
			}
		}
		// A lone markdown marker left at one end (**5** split by a sentence end).
		t = strings.TrimSpace(strings.Trim(t, "*"))
		if t == s {
			return t
		}
		s = t
	}
}

// lastIndexFast returns the last index of sub in s, or -1, by walking forward with
// strings.Index, which is vectorized; strings.LastIndex is not, and this runs on every
// response. Linear: each step starts after the previous match.
func lastIndexFast(s, sub string) int {
	last := -1
	for off := 0; ; {
		i := strings.Index(s[off:], sub)
		if i < 0 {
			return last
		}
		last = off + i
		off = last + 1
	}
}

// meter counts the bytes the box finder examines, so that tests can check that its work
// is linear in the input (they count steps rather than time them). A nil *meter counts
// nothing: production calls pass nil.
type meter struct{ steps int }

func (m *meter) add(n int) {
	if m != nil {
		m.steps += n
	}
}
