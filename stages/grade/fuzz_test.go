package grade

import "testing"

var reasons = map[string]bool{
	"exact": true, "numeric": true, "symbolic": true, "set": true, "interval": true, "text": true,
	"no_answer": true, "unparsable": true, "mismatch": true, "budget": true,
}

// FuzzGrade checks the façade's contracts on arbitrary gold and response pairs: no
// panic, a reason from the vocabulary of spec section 4, no_answer exactly when nothing
// was extracted (with method "none"), a correct verdict only with an answer, and a
// verdict that does not depend on the call (a prepared Gold is reusable).
func FuzzGrade(f *testing.F) {
	for _, s := range [][2]string{
		{`\frac{1}{2}`, `so $\boxed{0.5}$`},
		{"5", "<think>5"},
		{`1331 \text{ and } 1728`, `\boxed{1728}`},
		{`[-2,7]`, `The answer is $x \in [-2, 7]$.`},
		{"x+1", `\boxed{\frac{\frac{\frac{1}{2}}}}`},
		{`\boxed{3}`, "Final Answer: The final answer is $3$. I hope it is correct."},
		{"2^{100}", "the answer is 2^{1000000}"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, gold, response string) {
		if len(gold) > 1<<12 || len(response) > 1<<14 {
			return
		}
		g := PrepareGold(gold)
		for _, v := range []Verdict{
			GradeResponse(g, response, Strict),
			GradeResponse(g, response, Lenient),
			GradeAnswer(g, response),
		} {
			if !reasons[v.Reason] {
				t.Fatalf("reason %q outside the vocabulary: %+v", v.Reason, v)
			}
			if (v.Reason == ReasonNoAnswer) != !v.HasAnswer || (!v.HasAnswer && v.ExtractMethod != MethodNone) {
				t.Fatalf("no_answer inconsistent: %+v", v)
			}
			if v.Correct && !v.HasAnswer {
				t.Fatalf("correct without an answer: %+v", v)
			}
		}
		if a, b := GradeResponse(g, response, Strict), GradeResponse(g, response, Strict); a != b {
			t.Fatalf("not deterministic: %+v then %+v", a, b)
		}
	})
}
