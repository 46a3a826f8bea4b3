package extract

import "strings"

// lenientFallback runs the lenient profile's fallbacks: the last math span and the last
// number compete by position, and whichever ends later wins (a number inside the span
// is the span). A response with no math delimiters that is nothing but LaTeX
// ("-\frac{10}{9}") is one math span.
func lenientFallback(s string) (Result, bool) {
	m, haveSpan := lastMathSpan(s)
	if !haveSpan {
		t := strings.TrimSpace(s)
		if strings.IndexByte(t, '\\') >= 0 && proseWords(t) == 0 && len(t) <= maxStatement {
			lo := strings.Index(s, t)
			m = span{start: lo, cStart: lo, cEnd: lo + len(t), end: lo + len(t)}
			haveSpan = true
		}
	}
	nStart, nEnd, haveNum := lastNumber(s, len(s))
	if haveSpan && (!haveNum || nEnd <= m.end) {
		x := unwrap(s[m.cStart:m.cEnd])
		if x != "" {
			return Result{Answer: x, Method: MethodLastMath, OK: true}, true
		}
	}
	if haveNum {
		return Result{Answer: normalizeNumber(s[nStart:nEnd]), Method: MethodLastNumber, OK: true}, true
	}
	return Result{}, false
}

// lastNumber finds the last number in s[:end]: an optional sign, digits with thousands
// separators (",", " " between groups of three), an optional decimal part (".4" too).
// A number glued to a word ("AZYUK2A"), an exponent or a subscript ("x^2", "a_1") is
// not a number; the search goes on before it. It returns the byte range.
func lastNumber(s string, end int) (start, stop int, ok bool) {
	for end > 0 {
		e := end
		for e > 0 && !isDigit(s[e-1]) {
			e--
		}
		if e == 0 {
			return 0, 0, false
		}
		k := e
		for k > 0 && isDigit(s[k-1]) {
			k--
		}
		group := e - k
		// A decimal part: digits after a point.
		if k > 0 && s[k-1] == '.' {
			d := k - 1
			j := d
			for j > 0 && isDigit(s[j-1]) {
				j--
			}
			if j == d {
				k, group = d, -1 // ".4": no integer part
			} else {
				k, group = j, d-j
			}
		}
		// Thousands groups to the left: ",000" or " 000" after 1–3 digits.
		for group == 3 && k >= 2 && (s[k-1] == ',' || s[k-1] == ' ') && isDigit(s[k-2]) {
			j := k - 1
			for j > 0 && isDigit(s[j-1]) {
				j--
			}
			n := k - 1 - j
			if n > 3 {
				break
			}
			k, group = j, n
		}
		// Sign: a minus that is not a subtraction between operands.
		if k > 0 && s[k-1] == '-' && (k == 1 || !(isLetter(s[k-2]) || isDigit(s[k-2]) || s[k-2] == ')')) {
			k--
		} else if k >= 3 && s[k-3:k] == "−" && (k == 3 || !(isLetter(s[k-4]) || isDigit(s[k-4]))) {
			k -= 3
		}
		if k > 0 && (isLetter(s[k-1]) || s[k-1] == '_' || s[k-1] == '^' || s[k-1] == '\\') {
			end = k
			continue
		}
		return k, e, true
	}
	return 0, 0, false
}

// normalizeNumber drops thousands separators and writes a Unicode minus as "-".
func normalizeNumber(n string) string {
	if !strings.ContainsAny(n, ", −") {
		return n
	}
	n = strings.ReplaceAll(n, "−", "-")
	n = strings.ReplaceAll(n, ",", "")
	return strings.ReplaceAll(n, " ", "")
}
