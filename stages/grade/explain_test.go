package grade

import (
	"strings"
	"testing"
)

// TestExplainFailedRuleSaysWhatWasCompared: for a failed comparison of every kind of
// answer, the rule (in the Verdict and in the explanation) names what was compared and
// never reads as the success of a rule ("not equal: equal as sets" once did).
func TestExplainFailedRuleSaysWhatWasCompared(t *testing.T) {
	pairs := [][2]string{
		{"1, 2", "1, 3"},                 // sets
		{`\{1, 2\}`, `\{1, 2, 3\}`},      // sets of different sizes
		{"(1, 2)", "(2, 1)"},             // tuples
		{"[1, 2)", "[1, 2]"},             // intervals
		{"(1,2), (3,4)", "(1,2), (3,5)"}, // sets of tuples
		{`\begin{pmatrix}1\\2\end{pmatrix}`, `\begin{pmatrix}1\\3\end{pmatrix}`},
		{`\text{Evelyn}`, `\text{Anna}`}, // text
		{`\text{(C)}`, `(D)`},            // choices
		{"1011_2", "1012_2"},             // bases
		{"1011_2", "1111"},               // base omitted
		{"2x + 4y = 6", "x + y = 3"},     // equations
		{"x < y", "x > y"},               // relations
		{"5", "6"},                       // numbers
		{"x^2 + 1", "x^2 - 1"},           // expressions
		{"Evelyn", `\text{Anna}`},        // a word and a text
		{`\begin{pmatrix}1\\2\end{pmatrix}`, "(1, 3)"},
		{"(1, 2)", "1, 3"}, // a bare list read as a tuple
	}
	success := []string{"equal as", "equal element", "equal entry", "identical", "same digits", "equivalent relations", "proportional sides"}
	for _, p := range pairs {
		v := GradeAnswer(PrepareGold(p[0]), p[1])
		if v.Correct {
			t.Errorf("gold %q, answer %q: graded correct", p[0], p[1])
			continue
		}
		e := ExplainAnswer(p[0], p[1]).String()
		for _, w := range success {
			if strings.Contains(v.Rule, w) && !strings.Contains(v.Rule, "compared") {
				t.Errorf("gold %q, answer %q: failed verdict's rule %q reads as a success (%q)", p[0], p[1], v.Rule, w)
			}
		}
		if !strings.Contains(e, "rule:       "+v.Rule+"\n") || !strings.Contains(e, "INCORRECT") {
			t.Errorf("gold %q, answer %q: explanation does not show the rule %q:\n%s", p[0], p[1], v.Rule, e)
		}
	}
}
