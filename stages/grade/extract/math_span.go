package extract

import "strings"

// startsMathSpan reports whether a math delimiter opens at s[i]: $, $$, \( or \[.
func startsMathSpan(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	if s[i] == '$' {
		return i == 0 || s[i-1] != '\\'
	}
	return s[i] == '\\' && i+1 < len(s) && (s[i+1] == '(' || s[i+1] == '[')
}

// mathSpanAt parses the math span opening at s[i] and returns where its content starts
// and where the span ends (after the closing delimiter). Empty spans do not count.
func mathSpanAt(s string, i int) (contentStart, end int, ok bool) {
	if !startsMathSpan(s, i) {
		return 0, 0, false
	}
	var open, close string
	switch {
	case strings.HasPrefix(s[i:], "$$"):
		open, close = "$$", "$$"
	case s[i] == '$':
		open, close = "$", "$"
	case s[i+1] == '(':
		open, close = `\(`, `\)`
	default:
		open, close = `\[`, `\]`
	}
	c := i + len(open)
	j := indexUnescaped(s[c:], close)
	if j < 0 {
		return 0, 0, false
	}
	if strings.TrimSpace(s[c:c+j]) == "" {
		return 0, 0, false
	}
	return c, c + j + len(close), true
}

// indexUnescaped returns the first index of delim in s that is not escaped (\$ is a
// dollar sign, not a delimiter; \\) is a line break and a parenthesis), or -1. delim is
// "$", "$$", `\)` or `\]`. Candidates are found with vectorized searches; a candidate
// is escaped when an odd number of backslashes precedes its first byte that matters.
func indexUnescaped(s, delim string) int {
	for off := 0; ; {
		i := strings.Index(s[off:], delim)
		if i < 0 {
			return -1
		}
		i += off
		k := i // the byte whose escaping matters: "$", or the "\" of `\)`
		n := 0
		for k-n > 0 && s[k-n-1] == '\\' {
			n++
		}
		if n%2 == 0 {
			return i
		}
		off = i + 1
	}
}

// span is a math span: s[start:end] with its content s[cStart:cEnd].
type span struct {
	start, cStart, cEnd, end int
}

// lastMathSpan returns the last complete math span of s, scanning once: when a closing
// delimiter of one kind is missing, no later span of that kind can close either, so
// that kind is not searched again (linear time on unclosed delimiters).
func lastMathSpan(s string) (span, bool) {
	var last span
	found := false
	var exhausted [4]bool // $$, $, \(, \[
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '$' && c != '\\' {
			continue
		}
		if c == '\\' && (i+1 >= len(s) || (s[i+1] != '(' && s[i+1] != '[')) {
			i++ // an escaped character or a command's first letter
			continue
		}
		kind := 1
		switch {
		case c == '$' && i+1 < len(s) && s[i+1] == '$':
			kind = 0
		case c == '\\' && s[i+1] == '(':
			kind = 2
		case c == '\\':
			kind = 3
		}
		open := len(closers[kind])
		if exhausted[kind] {
			i += open - 1
			continue
		}
		j := indexUnescaped(s[i+open:], closers[kind])
		if j < 0 {
			exhausted[kind] = true
			i += open - 1
			continue
		}
		cs, ce := i+open, i+open+j
		e := ce + len(closers[kind])
		if strings.TrimSpace(s[cs:ce]) != "" {
			last = span{start: i, cStart: cs, cEnd: ce, end: e}
			found = true
		}
		i = e - 1
	}
	return last, found
}

var closers = [4]string{"$$", "$", `\)`, `\]`}
