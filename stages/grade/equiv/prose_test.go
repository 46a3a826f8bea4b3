package equiv

import (
	"fmt"
	"strings"
	"testing"
)

// The rule: an answer that is one \text{} group of prose (two or more words) is a
// statement; it equals the same statement without the wrapper, case and spacing
// and a closing period aside, whatever its words would parse as. Nothing else
// changes: a different statement, or a wrapper around mathematics, is decided as
// before.
func TestProseInTextWrapper(t *testing.T) {
	statements := []string{
		"A solution exists and is unique.",
		"Yes, this is a subspace.",
		"No solution",
		"236 adult, 342 child",
		"diverges, 0",
		"It means that if you place them in a row, the order matters",
	}
	for _, st := range statements {
		for _, wrap := range []string{`\text{%s}`, `\mbox{%s}`, `\textbf{%s}`, `\mathrm{%s}`} {
			wrapped := fmt.Sprintf(wrap, st)
			for _, pair := range [][2]string{{st, wrapped}, {wrapped, st}, {st + ".", fmt.Sprintf(wrap, strings.ToLower(st))}} {
				if ok, _, rule := Compare(Prepare(pair[0]), Prepare(pair[1])); !ok {
					t.Errorf("gold %q, answer %q: not equal (%s), want the same statement", pair[0], pair[1], rule)
				}
			}
			other := fmt.Sprintf(wrap, "A solution exists but is not unique.")
			if ok, _, _ := Compare(Prepare(st), Prepare(other)); ok {
				t.Errorf("gold %q, answer %q: equal, want a different statement", st, other)
			}
		}
	}
	for _, tc := range []struct {
		s    string
		want bool
	}{
		{`\text{no solution}`, true},
		{`\text{x}`, false},                      // one letter: mathematics
		{`\text{ab}`, false},                     // one word
		{`\text{\alpha \beta}`, false},           // command names are not words
		{`\text{no sol} + \text{ut ion}`, false}, // two groups, not one
		{`no solution`, false},                   // no wrapper
	} {
		if got := wholeProse(tc.s); got != tc.want {
			t.Errorf("wholeProse(%q) = %v, want %v", tc.s, got, tc.want)
		}
	}
}
