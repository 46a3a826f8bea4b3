package extract

import "strings"

// gsm8kMarker is the final-answer marker of GSM8K solutions: "… = 460\n#### 460".
const gsm8kMarker = "####"

// gsm8k finds the GSM8K final-answer marker, "#### X": exactly four '#', then X, which
// runs to the end of its line. X must be a math value — it starts with a digit, a sign,
// a decimal point, a currency or math delimiter, a LaTeX command or a letter, and holds
// no prose word (two letters or more outside command names) — so that a markdown
// heading ("#### Step 1: add", "#### 2. Compute the area") is not an answer. The first such marker counts: in the GSM8K format it ends the solution,
// and what follows it is a continuation (a model writing the next few-shot question).
func gsm8k(s string, m *meter) (Result, bool) {
	nl, noNewline := -1, 0 // the last newline found; no newline in s[…:noNewline] past it
	for off := 0; ; {
		i := strings.Index(s[off:], gsm8kMarker)
		if i < 0 {
			m.add(len(s) - off)
			return Result{}, false
		}
		m.add(i + len(gsm8kMarker))
		i += off
		j := i + len(gsm8kMarker)
		for j < len(s) && s[j] == '#' {
			j++
		}
		off = j
		if j-i != len(gsm8kMarker) || i > 0 && s[i-1] == '#' {
			continue // ### or ##### : another heading level
		}
		// The line of X ends at the next newline. Every byte is searched for it once:
		// noNewline is where the last search stopped without finding one, so many
		// markers on one long line cost linear time, not quadratic.
		var e int
		if nl >= j {
			e = nl
		} else {
			from := max(j, noNewline)
			k := strings.IndexByte(s[from:], '\n')
			if k < 0 {
				m.add(len(s) - from)
				noNewline, e = len(s), len(s)
			} else {
				m.add(k + 1)
				nl, e = from+k, from+k
			}
		}
		if x, ok := gsm8kValue(s[j:e]); ok {
			return Result{Answer: x, Method: MethodGSM8K, OK: true}, true
		}
	}
}

// gsm8kValue reads X of "#### X": the line after the marker, when it is a math value.
func gsm8kValue(line string) (string, bool) {
	if len(line) > maxStatement {
		return "", false
	}
	x := unwrap(strings.TrimSpace(line))
	if x == "" || proseWords(x) > 0 || !startsValue(x) && !isLetter(x[0]) {
		return "", false
	}
	return x, true
}
