package extract

import "strings"

// maxStatement bounds the length of an answer stated in prose; a longer "sentence" is
// not a final answer.
const maxStatement = 1000

// maxProseWords is the number of prose words (two letters or more, outside LaTeX
// command names) above which a stated answer is a sentence about the answer, not the
// answer: "Answer: Jane started growing Sphere 3 hours ago" states no answer.
const maxProseWords = 3

// answerIs finds the last "answer is X" or "answer: X" (case-insensitive; this covers
// "the answer is", "final answer is", "**Answer:**"). X is the math span right after
// the marker (with further spans joined by connectors: "$12$ and $13$"), or else the
// text up to the end of its sentence, with markdown and math delimiters peeled.
func answerIs(s string) (Result, bool) {
	end := len(s)
	for {
		a := lastIndexFold(s[:end], "answer")
		if a < 0 {
			return Result{}, false
		}
		end = a
		if a > 0 && isLetter(s[a-1]) {
			continue
		}
		p, ok := answerMarker(s, a+len("answer"))
		if !ok {
			continue
		}
		x := statedAnswer(s[p:])
		if x == "" || proseWords(x) > maxProseWords {
			return Result{}, false
		}
		return Result{Answer: x, Method: MethodAnswerIs, OK: true}, true
	}
}

// answerMarker checks what follows "answer" at s[p:]: optional markdown, then ":" or
// the word "is" (optionally followed by ":"). It returns where X starts.
func answerMarker(s string, p int) (int, bool) {
	p = skipMarkdown(s, p)
	switch {
	case p < len(s) && s[p] == ':':
		p++
	case hasPrefixFold(s[p:], "is") && (p+2 == len(s) || !isLetter(s[p+2])):
		p += 2
		q := skipMarkdown(s, p)
		if q < len(s) && s[q] == ':' {
			p = q + 1
		}
	default:
		return 0, false
	}
	return skipMarkdown(s, p), true
}

// skipMarkdown skips spaces, tabs and markdown emphasis markers.
func skipMarkdown(s string, p int) int {
	for p < len(s) && (s[p] == ' ' || s[p] == '\t' || s[p] == '*' || s[p] == '_') {
		p++
	}
	return p
}

// statedAnswer reads X from the text right after an answer marker.
func statedAnswer(s string) string {
	// The answer may start on the next line ("**Answer:**\n\n$5$").
	p := 0
	for p < len(s) && (isSpace(s[p]) || s[p] == '*') {
		p++
	}
	s = s[p:]
	if len(s) > maxStatement {
		s = s[:maxStatement]
	}
	if _, e, ok := mathSpanAt(s, 0); ok {
		// Further spans joined only by connectors belong to the answer: "$12$ and $13$".
		for {
			q := e
			for q < len(s) && !startsMathSpan(s, q) && q-e < 64 {
				q++
			}
			if q >= len(s) || !startsMathSpan(s, q) || !onlyConnectors(s[e:q], nil) {
				break
			}
			_, e2, ok := mathSpanAt(s, q)
			if !ok {
				break
			}
			e = e2
		}
		if !copulaFollows(s[e:]) {
			return unwrap(s[:e])
		}
		// "$n$ is 34": the span names what the sentence gives the value of.
	}
	e, ok := sentenceEnd(s)
	if !ok {
		return ""
	}
	if proseWords(s[:e]) > 0 {
		// A sentence states its value: "Final Answer: The largest $n$ is 34."
		if v := sentenceValue(s[:e]); v != "" {
			return v
		}
	}
	return unwrap(s[:e])
}

// sentenceEnd returns where the sentence starting at s[0] ends: at a newline, ! or ?, or
// a period that is not a decimal point, outside math spans. A sentence running past
// maxStatement bytes has no end (false).
func sentenceEnd(s string) (int, bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\n', '!', '?':
			return i, true
		case '.':
			if i > 0 && isDigit(s[i-1]) && i+1 < len(s) && isDigit(s[i+1]) {
				continue // 3.5
			}
			if i+1 < len(s) && isDigit(s[i+1]) && (i == 0 || !isLetter(s[i-1])) {
				continue // .5
			}
			return i, true
		case '$', '\\':
			if _, e, ok := mathSpanAt(s, i); ok {
				i = e - 1
			} else if c == '\\' {
				i++ // an escaped character or the first letter of a command
			}
		}
	}
	if len(s) >= maxStatement {
		return 0, false
	}
	return len(s), true
}

// proseWords counts the words of two or more letters in s that are not LaTeX command
// names nor the connectors "and"/"or".
func proseWords(s string) int {
	n := 0
	for i := 0; i < len(s); {
		if !isLetter(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isLetter(s[j]) {
			j++
		}
		w := s[i:j]
		cmd := i > 0 && s[i-1] == '\\'
		if !cmd && len(w) >= 2 && !strings.EqualFold(w, "and") && !strings.EqualFold(w, "or") {
			n++
		}
		i = j
	}
	return n
}

// maxValueWords is the number of prose words a value stated in a sentence may carry
// after it (units: "12 square units").
const maxValueWords = 2

// sentenceValue returns the math value that a stated answer written as a sentence
// states, or "" when it states none:
//   - the value after the sentence's last copula ("is", "are", "was", "equals", "=",
//     outside math): "The largest $n$ is 34" is 34, "the number of ways = 12" is 12;
//     that tail must start as a value does (a digit, a sign, a point, a math span, a
//     command, a bracket) and carry at most maxValueWords prose words (a unit);
//   - otherwise the last math span of the sentence: "Therefore the minimum is attained
//     at $x = 3$" is x = 3;
//   - otherwise nothing: "Jane started growing Sphere 3 hours ago" states no value.
//
// One pass over x (which statedAnswer bounds to maxStatement bytes).
func sentenceValue(x string) string {
	tail := -1
	for i := 0; i < len(x); {
		c := x[i]
		switch {
		case c == '$' || c == '\\' && i+1 < len(x) && (x[i+1] == '(' || x[i+1] == '['):
			if _, e, ok := mathSpanAt(x, i); ok {
				i = e
				continue
			}
			i++
		case c == '\\':
			i += 2 // an escaped character or a command's first letter
		case c == '=':
			tail = i + 1
			i++
		case isLetter(c):
			j := i
			for j < len(x) && isLetter(x[j]) {
				j++
			}
			if (i == 0 || x[i-1] != '\\') && isCopula(x[i:j]) {
				tail = j
			}
			i = j
		default:
			i++
		}
	}
	if tail >= 0 {
		t := strings.TrimSpace(x[min(tail, len(x)):])
		t = strings.TrimLeft(t, ":*_ ")
		if v := unwrap(t); v != "" && startsValue(t) && proseWords(v) <= maxValueWords {
			return v
		}
	}
	if sp, ok := lastMathSpan(x); ok {
		return clean(x[sp.cStart:sp.cEnd])
	}
	return ""
}

// startsValue reports whether t starts as a math value does.
func startsValue(t string) bool {
	if t == "" {
		return false
	}
	switch c := t[0]; {
	case isDigit(c), c == '-', c == '+', c == '.', c == '$', c == '\\', c == '(', c == '[', c == '{':
		return true
	}
	return false
}

// copulaFollows reports whether s starts (after spaces) with a copula: "is", "are",
// "was", "equals" or "=".
func copulaFollows(s string) bool {
	i := 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
	}
	if i < len(s) && s[i] == '=' {
		return true
	}
	j := i
	for j < len(s) && isLetter(s[j]) {
		j++
	}
	return isCopula(s[i:j])
}

// isCopula reports the words after which a sentence states a value.
func isCopula(w string) bool {
	switch strings.ToLower(w) {
	case "is", "are", "was", "were", "equals", "be":
		return true
	}
	return false
}
