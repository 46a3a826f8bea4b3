package equiv

import (
	"fmt"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/extract"
	"github.com/rlvr-eval/rlvr-eval/stages/grade/latex"
)

// Size limits of Prepare.
const (
	maxInputBytes  = 1 << 20 // longer input is over budget as a whole (never cut)
	maxAnswerBytes = 2000    // an answer (after peeling) longer than this is over budget
)

type status uint8

const (
	statusOK status = iota
	statusUnparsable
	statusBudget
)

// Answer is a prepared, normalized, parsed answer. It is immutable and safe for
// concurrent use by any number of goroutines.
type Answer struct {
	text    string     // normalized text
	printed string     // canonical print of the parse; "" when unparsed
	tree    latex.Expr // nil when unparsed
	val     *value     // nil when not interpreted
	status  status     // why val is nil
	detail  string     // parse or interpretation error, for Describe
}

// Prepare takes an answer in answer mode (spec/grading.md section 1): it peels
// math delimiters ($…$, $$…$$, \(…\), \[…\]), an "ANSWER:" prefix and one
// enclosing \boxed{…}; a text holding a \boxed{} somewhere (a whole worked
// solution) is answered by its last \boxed{} (brace-matched), joined with the
// boxes just before it when only connectors separate them. It then normalizes
// (section 3), parses and interprets the answer, evaluating it at the sample
// points once so that Compare is cheap. Prepare never fails: an unparsable or
// over-budget answer is recorded inside and compared as normalized text only.
// It costs a few microseconds for a typical short answer.
func Prepare(s string) (a *Answer) {
	a = &Answer{}
	defer func() {
		// Nothing below is expected to panic; this keeps a bug from taking down a
		// whole grading run and records it where tests and Describe see it.
		if r := recover(); r != nil {
			a.tree, a.val, a.printed = nil, nil, ""
			a.status, a.detail = statusUnparsable, fmt.Sprint("internal error: ", r)
		}
	}()
	if len(s) > maxInputBytes {
		// Over budget as a whole: never searched, never cut. Only the identical
		// text matches it (a whole comparison, not a prefix one).
		a.text = s
		a.status, a.detail = statusBudget, fmt.Sprintf("input of %d bytes is over the %d-byte budget", len(s), maxInputBytes)
		return a
	}
	t := normalize(peel(s))
	a.text = t
	if len(t) > maxAnswerBytes {
		// The whole normalized text is kept: Compare may call two identical texts
		// exact, and refuses (budget) anything else. It never compares a prefix.
		a.status, a.detail = statusBudget, fmt.Sprintf("answer of %d bytes is over the %d-byte budget", len(t), maxAnswerBytes)
		return a
	}
	if t == "" {
		a.status, a.detail = statusUnparsable, "empty answer"
		return a
	}
	tree, err := latex.Parse(t)
	if err != nil {
		a.status, a.detail = statusUnparsable, err.Error()
		return a
	}
	a.tree, a.printed = tree, latex.Print(tree)
	v, err := interpret(tree)
	switch {
	case err == errOverBudget:
		a.status, a.detail = statusBudget, err.Error()
		return a
	case err != nil:
		a.status, a.detail = statusUnparsable, err.Error()
		return a
	}
	if v.kind == kSet && v.bare && len(v.elems) == 2 && isDecimalComma(t) {
		i := strings.IndexByte(t, ',')
		var x latex.Expr = &latex.Number{Lit: strings.TrimLeft(t[:i], "+-") + "." + t[i+1:]}
		if t[0] == '-' {
			x = &latex.Unary{Op: latex.SUB, X: x}
		}
		if d, err := interpret(x); err == nil {
			v.decComma = d.sc
		}
	}
	a.val = v
	return a
}

// Parts returns how many parts the answer has, for deciding whether several
// boxes form one answer: the elements of a set or bare list (after ±
// expansion) or of a tuple that is not an interval; the parts of the value a
// label equation names; 1 for everything else (a scalar, an interval, a
// matrix, a text, an unparsed answer).
func (a *Answer) Parts() int {
	v := a.val
	if v != nil && v.kind == kEquation && v.label != nil {
		v = v.label
	}
	switch {
	case v == nil:
		return 1
	case v.kind == kSet && len(v.elems) > 0, v.kind == kTuple && !v.interval:
		return len(v.elems)
	}
	return 1
}

// Text returns the normalized text of the answer.
func (a *Answer) Text() string { return a.text }

// Describe returns one line saying how the answer was read: its kind and
// canonical printed tree, or why it was not parsed.
func (a *Answer) Describe() string {
	switch {
	case a.status == statusBudget:
		return "budget: " + a.detail
	case a.val == nil && a.tree == nil:
		return "unparsable: " + a.detail
	case a.val == nil:
		return "unparsable: " + a.printed + " (" + a.detail + ")"
	}
	k := kindNames[a.val.kind]
	if a.val.kind == kEquation && a.val.label != nil {
		k = "label equation"
	}
	if a.val.kind == kTuple && a.val.interval {
		k = "interval"
	}
	if a.val.kind == kText && a.val.choice {
		k = "choice"
	}
	if a.val.decComma != nil {
		return k + ": " + a.printed + " (or a decimal with a decimal comma)"
	}
	return k + ": " + a.printed
}

// isDecimalComma reports a text like "1,22" or "-0,5": an optional sign,
// digits, one comma, digits (a group of 3 would have been a thousands
// separator), no spaces.
func isDecimalComma(t string) bool {
	if t != "" && (t[0] == '-' || t[0] == '+') {
		t = t[1:]
	}
	i := strings.IndexByte(t, ',')
	if i <= 0 || i == len(t)-1 {
		return false
	}
	// A group ending in 0 (-5,0; 1,50) is a list: a decimal does not end in 0.
	return allDigits(t[:i]) && allDigits(t[i+1:]) && t[len(t)-1] != '0'
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// textKey is the comparison key of answers compared as text only.
func textKey(s string) string {
	s = strings.ToLower(s)
	for _, w := range []string{"\\text{", "\\textbf{", "\\mathrm{", "\\mbox{", "{", "}", "\\"} {
		s = strings.ReplaceAll(s, w, "")
	}
	return strings.Join(strings.Fields(s), "")
}

// peel removes the answer-mode wrappers: the last \boxed{} (with the boxes just
// before it when only connectors separate them; extract.Boxes is the one box rule
// of both modes), an ANSWER: prefix, and math delimiters.
func peel(s string) string {
	s = strings.TrimSpace(s)
	if boxes, ok := extract.Boxes(s); ok {
		s = boxes
	} else if len(s) >= 7 && strings.EqualFold(s[:7], "answer:") {
		s = s[7:]
	}
	return strings.TrimSpace(s)
}

// normalize applies the text-level normalization of section 3 to a peeled
// answer: math delimiters and currency signs are dropped, \! and {,} go,
// thousands separators (only where the groups have 3 digits) are removed, a
// trailing period is dropped and white space collapses. The rest of section 3
// (layout commands, \dfrac, units, degrees) is done by the parser and by
// interpretation.
func normalize(s string) string {
	if plain(s) {
		return s // the common case: "24", "x+1"
	}
	var b strings.Builder
	b.Grow(len(s))
	// Outside environments a doubled backslash before a letter (\\frac, \\le)
	// is an escaping accident of the source, not a line break.
	doubled := !strings.Contains(s, "\\begin")
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '$' {
			continue
		}
		if c == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '\\':
				if doubled && i+2 < len(s) && isLetter(s[i+2]) {
					i++ // the second backslash starts the command
					b.WriteByte('\\')
					continue
				}
				b.WriteString("\\\\")
				i++
				continue
			case '(', ')', '[', ']', '$':
				i++
				continue
			case '!':
				// 12,\! 345: the negative space binds the digit groups.
				i++
				for i+1 < len(s) && s[i+1] == ' ' {
					i++
				}
				continue
			}
			if strings.HasPrefix(s[i:], "\\dfrac") || strings.HasPrefix(s[i:], "\\tfrac") {
				b.WriteString("\\frac")
				i += len("\\dfrac") - 1
				continue
			}
		}
		if c == '{' && strings.HasPrefix(s[i:], "{,}") && i > 0 && isDigit(s[i-1]) {
			i += 2 // 1{,}000: an explicit thousands separator
			continue
		}
		b.WriteByte(c)
	}
	t := quadSeparatedEquations(dropSpacedGroups(b.String()))
	t = strings.Join(strings.Fields(t), " ")
	t = dropThousands(t)
	for {
		u := strings.TrimSpace(strings.TrimSuffix(t, "."))
		if u == t {
			break
		}
		t = u
	}
	return t
}

// quadSeparatedEquations turns \quad or \qquad between equations into a
// comma: "y = 2x \quad y = -x" is two equations, not the chain y = 2x y = -x.
func quadSeparatedEquations(s string) string {
	if !strings.Contains(s, "\\quad") || strings.Count(s, "=") < 2 {
		return s
	}
	parts := strings.Split(strings.ReplaceAll(s, "\\qquad", "\\quad"), "\\quad")
	var kept []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		if !strings.Contains(p, "=") {
			return s
		}
		kept = append(kept, p)
	}
	if len(kept) < 2 {
		return s
	}
	return strings.Join(kept, ", ")
}

// dropThousands removes thousands separators: a digit run of 1-3 digits that
// starts a number, followed by one or more ",ddd" groups (or " ddd" groups
// when the whole answer is such a number).
func dropThousands(t string) string {
	if spaced(t) {
		return strings.ReplaceAll(t, " ", "")
	}
	if !strings.Contains(t, ",") {
		return t
	}
	var b strings.Builder
	depth := 0 // inside (…), […] or \{…\} a comma separates elements: (12,102) is a pair
	for i := 0; i < len(t); {
		c := t[i]
		switch c {
		case '(', '[':
			depth++
		case ')', ']':
			depth--
		case '{':
			if i > 0 && t[i-1] == '\\' {
				depth++
			}
		case '}':
			if i > 0 && t[i-1] == '\\' {
				depth--
			}
		}
		if depth > 0 || !isDigit(c) || i > 0 && (isDigit(t[i-1]) || t[i-1] == '.' || t[i-1] == ',') {
			b.WriteByte(c)
			i++
			continue
		}
		j := i
		for j < len(t) && isDigit(t[j]) {
			j++
		}
		end, groups := j, 0
		if j-i <= 3 {
			for end+3 < len(t) && t[end] == ',' && allDigits(t[end+1:end+4]) && (end+4 == len(t) || !isDigit(t[end+4])) {
				end += 4
				groups++
			}
		}
		// 25,100,55: a group that is not three digits makes the run a list.
		if groups == 0 || end+1 < len(t) && t[end] == ',' && isDigit(t[end+1]) {
			b.WriteString(t[i:j])
			i = j
			continue
		}
		b.WriteString(strings.ReplaceAll(t[i:end], ",", ""))
		i = end
	}
	return b.String()
}

// spaced reports "1 000" or "12 345 678": a number written with space groups.
func spaced(t string) bool {
	parts := strings.Split(t, " ")
	if len(parts) < 2 || len(parts[0]) > 3 || !allDigits(parts[0]) {
		return false
	}
	for _, p := range parts[1:] {
		if len(p) != 3 || !allDigits(p) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// plain reports text that normalize would return unchanged: no delimiters,
// commands, braces, commas, spaces or trailing period.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '$', '\\', '{', ',', ' ', '~', '\t', '\n', '\r':
			return false
		}
	}
	return s != "" && s[len(s)-1] != '.'
}

// groupSpaces are the spaces typeset between digit groups: 1\,000, 1~000.
var groupSpaces = []string{"\\,", "\\ ", "\\;", "\\:", "~", "\\thinspace "}

// dropSpacedGroups removes a typeset space between a digit and a group of
// exactly three digits: 1\,000 and 12~345~678 are numbers, not products.
func dropSpacedGroups(s string) string {
	if !strings.ContainsAny(s, "\\~") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if i > 0 && isDigit(s[i-1]) {
			removed := false
			for _, sp := range groupSpaces {
				j := i + len(sp)
				if strings.HasPrefix(s[i:], sp) && j+3 <= len(s) && allDigits(s[j:j+3]) &&
					(j+3 == len(s) || !isDigit(s[j+3])) {
					i = j - 1
					removed = true
					break
				}
			}
			if removed {
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
