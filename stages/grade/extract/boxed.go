package extract

import "strings"

// box is one complete \boxed{…} or \fbox{…}: s[start:end] is the whole command and
// s[cStart:cEnd] its content.
type box struct {
	start, cStart, cEnd, end int
}

// boxResult is the answer of the closing group of boxes; end is where the last box ends.
type boxResult struct {
	result Result
	end    int
}

// maxListBoxes bounds the boxes gathered into one list answer.
const maxListBoxes = 256

// Boxes is the one box rule of the grader, used by the box strategy of response mode and
// by the peeling of answer mode (equiv.Prepare): the content of the last complete
// \boxed{…} or \fbox{…} of s (brace-matched, or the one-token form \boxed 5), joined
// with ", " to the boxes just before it that only connectors separate from it
// (whitespace , ; & ~, "and", "or", math delimiters, \quad and \text{…} around those),
// with the $ signs inside dropped. It reports false when s holds no complete box or its
// last complete box is empty: an empty box is no answer, and an unclosed one is not a
// box. Cost is linear in len(s) whatever the input (unclosed chains such as
// "\boxed{\boxed{\boxed{…" included); the result may share memory with s.
func Boxes(s string) (string, bool) {
	b, ok := lastBoxes(s, false, nil)
	if !ok {
		return "", false
	}
	return b.result.Answer, true
}

// lastBoxes finds the last complete box and the boxes just before it that are separated
// from it only by connectors, and joins their contents into one list answer ("2, 3").
// It reports false when there is no complete box or the last one is empty. With run, it
// also gathers the run of boxes that prose separates (Result.Run).
//
// Linear time: each candidate's brace matching stops at the start of the previously
// rejected candidate (an unclosed box at p cannot be closed by text after p, so no box
// before p can close after p either).
func lastBoxes(s string, run bool, m *meter) (boxResult, bool) {
	last, ok := findBox(s, len(s), true, m)
	if !ok {
		return boxResult{}, false
	}
	contents := []string{clean(s[last.cStart:last.cEnd])}
	if contents[0] == "" {
		return boxResult{}, false
	}
	first := last
	for len(contents) < maxListBoxes && mayFollowBox(s, first.start, m) {
		prev, ok := findBox(s, first.start, false, m)
		if !ok || !onlyConnectors(s[prev.end:first.start], m) {
			break
		}
		c := clean(s[prev.cStart:prev.cEnd])
		if c == "" {
			break
		}
		contents = append(contents, c)
		first = prev
	}
	group := len(contents)
	if run {
		contents = proseRun(s, first, contents, m)
	}
	ans := joinReversed(contents[:group])
	r := Result{Answer: ans, Method: MethodBoxed, OK: true}
	if len(contents) > group {
		r.Run = make([]string, len(contents))
		for i, c := range contents {
			r.Run[len(contents)-1-i] = c
		}
	}
	return boxResult{result: r, end: last.end}, true
}

// joinReversed joins contents gathered last to first, in reading order, with ", ".
func joinReversed(contents []string) string {
	if len(contents) == 1 {
		return contents[0]
	}
	var b strings.Builder
	for i := len(contents) - 1; i >= 0; i-- {
		b.WriteString(contents[i])
		if i > 0 {
			b.WriteString(", ")
		}
	}
	return b.String()
}

// Bounds of a run of boxes that prose separates ("$y_1 = \boxed{2}$ and $y_2 =
// \boxed{3}$"): the prose between two boxes is at most maxProseGap bytes with no blank
// line, and a box of the run lies within proseWindow bytes before the next one.
const (
	maxProseGap = 200
	proseWindow = 512
)

// proseRun extends the contents of the closing group of boxes (gathered last to first,
// the earliest box being first) with the boxes before it that short prose separates,
// up to maxListBoxes contents in all. Each step examines the bytes back to the box it
// adds (at most proseWindow), so the whole run costs about its length.
func proseRun(s string, first box, contents []string, m *meter) []string {
	for step := 0; len(contents) < maxListBoxes; step++ {
		lo := max(0, first.start-proseWindow)
		w := s[lo:first.start]
		if step == 0 {
			// Most responses have one box: a vectorized check spares them the backward
			// walk over every backslash of the window.
			m.add(len(w))
			if !strings.Contains(w, "box") {
				return contents
			}
		}
		// A backward search: its cost is the distance to the box it finds.
		prev, ok := findBox(w, len(w), false, m)
		if !ok {
			return contents
		}
		gap := w[prev.end:]
		if len(gap) > maxProseGap || strings.Contains(gap, "\n\n") {
			return contents
		}
		c := clean(w[prev.cStart:prev.cEnd])
		if c == "" {
			return contents
		}
		contents = append(contents, c)
		prev.start, prev.end = prev.start+lo, prev.end+lo
		first = prev
	}
	return contents
}

// mayFollowBox is a cheap necessary condition for a box ending before s[:at] with only
// connectors in between: walking back from at over connector bytes and connector words
// must reach a "}" (the end of \boxed{…}) or stop at a digit (the end of \boxed 5).
// It spares the backward search for a previous box in the common one-box response.
func mayFollowBox(s string, at int, m *meter) bool {
	for k := at; k > 0; {
		m.add(1)
		c := s[k-1]
		switch {
		case c == '}':
			return true
		case isSpace(c) || c == ',' || c == ';' || c == '&' || c == '~' || c == '$' || c == '{' ||
			c == '(' || c == ')' || c == '[' || c == ']' || c == '\\' || c == ':' || c == '!':
			k--
		case isLetter(c):
			j := k
			for j > 0 && isLetter(s[j-1]) {
				j--
			}
			switch strings.ToLower(s[j:k]) {
			case "and", "or", "quad", "qquad", "text", "textrm", "mbox", "mathrm", "hspace", "enspace", "hfill":
				k = j
			default:
				return false
			}
		default:
			return isDigit(c)
		}
	}
	return false
}

// findBox returns the last complete box that ends at or before limit. fast selects a
// forward vectorized search for the first candidate (best for the whole response);
// otherwise the search walks backwards from limit (best for a box just before limit,
// as when gathering a list: a forward search there would make the gathering quadratic).
func findBox(s string, limit int, fast bool, m *meter) (box, bool) {
	hay := s[:limit]
	for first := fast; len(hay) > 0; first = false {
		var i, name int
		if first {
			i, name = lastBoxCommandFast(hay, m)
		} else {
			i, name = lastBoxCommand(hay, m)
		}
		if i < 0 {
			return box{}, false
		}
		b, st := boxAt(s[:limit], i, name, m)
		switch st {
		case boxOK:
			return b, true
		case boxUnclosed:
			// No box before i can close after i: never scan past it again.
			limit = i
		}
		hay = hay[:i]
	}
	return box{}, false
}

// lastBoxCommand returns the position of the last \boxed or \fbox in s and the length
// of the command, or -1. One backward pass over the backslashes of s.
func lastBoxCommand(s string, m *meter) (int, int) {
	for i := len(s); ; {
		j := strings.LastIndexByte(s[:i], '\\')
		m.add(i - max(j, 0))
		if j < 0 {
			return -1, 0
		}
		switch {
		case strings.HasPrefix(s[j:], `\boxed`):
			return j, len(`\boxed`)
		case strings.HasPrefix(s[j:], `\fbox`):
			return j, len(`\fbox`)
		}
		i = j
	}
}

// lastBoxCommandFast is lastBoxCommand for the common first search: one vectorized
// forward pass over the occurrences of "box" (much rarer in LaTeX than the backslash
// that starts both commands); later searches, after an unclosed box, walk backwards.
func lastBoxCommandFast(s string, m *meter) (int, int) {
	m.add(len(s))
	at, n := -1, 0
	for off := 0; ; {
		i := strings.Index(s[off:], "box")
		if i < 0 {
			return at, n
		}
		i += off
		switch {
		case i >= 1 && s[i-1] == '\\' && strings.HasPrefix(s[i:], "boxed"):
			at, n = i-1, len(`\boxed`)
		case i >= 2 && s[i-2] == '\\' && s[i-1] == 'f':
			at, n = i-2, len(`\fbox`)
		}
		off = i + 1
	}
}

// Outcomes of boxAt.
const (
	boxOK = iota
	boxNotBox
	boxUnclosed
)

// boxAt parses the box command at s[i:] whose name has length n.
func boxAt(s string, i, n int, m *meter) (box, int) {
	p := i + n
	if p < len(s) && isLetter(s[p]) {
		return box{}, boxNotBox // \boxedanswer or \fboxsep: another command
	}
	q := p
	for q < len(s) && (s[q] == ' ' || s[q] == '\t') {
		q++
	}
	if q < len(s) && s[q] == '{' {
		end, ok := matchBrace(s, q, m)
		if !ok {
			return box{}, boxUnclosed
		}
		return box{start: i, cStart: q + 1, cEnd: end, end: end + 1}, boxOK
	}
	// One-token form: \boxed 5, \boxed5.
	if q == p && !(q < len(s) && isDigit(s[q])) {
		return box{}, boxNotBox
	}
	e := q
	for e < len(s) && !isSpace(s[e]) && s[e] != '$' && s[e] != '\\' && s[e] != '}' {
		e++
	}
	m.add(e - q)
	for e > q && (s[e-1] == '.' || s[e-1] == ',' || s[e-1] == ';') {
		e--
	}
	if e == q {
		return box{}, boxNotBox
	}
	return box{start: i, cStart: q, cEnd: e, end: e}, boxOK
}

// matchBrace returns the index of the brace closing the one at s[open], skipping
// escaped braces \{ \} and \\; false when it never closes.
func matchBrace(s string, open int, m *meter) (int, bool) {
	depth := 0
	for k := open; k < len(s); k++ {
		m.add(1)
		switch s[k] {
		case '\\':
			k++ // skip the escaped character
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				return k, true
			}
		}
	}
	return 0, false
}

// onlyConnectors reports whether the text between two boxes holds nothing but
// connectors: whitespace , ; & ~, the words "and" and "or", math delimiters, LaTeX
// spacing (\quad, \, …, \\) and \text{…}/\mbox{…} wrappers around those.
func onlyConnectors(s string, m *meter) bool {
	m.add(len(s))
	for k := 0; k < len(s); {
		c := s[k]
		switch {
		case isSpace(c) || c == ',' || c == ';' || c == '&' || c == '~' || c == '$' || c == '{' || c == '}':
			k++
		case c == '\\':
			if k+1 >= len(s) {
				return false
			}
			d := s[k+1]
			if !isLetter(d) {
				switch d {
				case '(', ')', '[', ']', '\\', ',', ';', ':', '!', ' ':
					k += 2
					continue
				}
				return false
			}
			e := k + 1
			for e < len(s) && isLetter(s[e]) {
				e++
			}
			switch s[k+1 : e] {
			case "quad", "qquad", "text", "textrm", "mbox", "mathrm", "hspace", "enspace", "hfill":
				k = e
			default:
				return false
			}
		case isLetter(c):
			e := k
			for e < len(s) && isLetter(s[e]) {
				e++
			}
			if w := s[k:e]; !strings.EqualFold(w, "and") && !strings.EqualFold(w, "or") {
				return false
			}
			k = e
		default:
			return false
		}
	}
	return true
}
