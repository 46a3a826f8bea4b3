package grade

import (
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/extract"
)

// TestGSM8KMarkerBothSides: the GSM8K marker "#### X" is the final answer on both sides —
// a gold that is a GSM8K solution, a predicted answer (answer mode) and a response under
// every profile — and it is recorded as extract_method "gsm8k" in response mode.
func TestGSM8KMarkerBothSides(t *testing.T) {
	solution := func(x string) string {
		return "Janet sells 16 - 3 - 4 = <<16-3-4=9>>9 duck eggs a day.\nShe makes 9 * 2 = $<<9*2=18>>18.\n#### " + x
	}
	golds := map[string]string{"bare": "18", "marker": "#### 18", "solution": solution("18"), "thousands": "#### 18.0"}
	right := []string{"18", "#### 18", solution("18"), "$18$", `\boxed{18}`}
	wrong := []string{"81", "#### 19", solution("19"), "#### -18"}
	for gname, gold := range golds {
		g := PrepareGold(gold)
		if !strings.HasPrefix(g.Describe(), "scalar: 18") {
			t.Errorf("gold %s %q reads as %s, want the scalar 18", gname, gold, g.Describe())
		}
		for _, in := range append(right, wrong...) {
			want := !contains(wrong, in)
			if v := GradeAnswer(g, in); v.Correct != want {
				t.Errorf("gold %s, answer %q: correct=%v (%s), want %v", gname, in, v.Correct, v.Rule, want)
			}
			for _, p := range []Profile{Strict, Lenient} {
				if p == Strict && !strings.ContainsAny(in, `#\`) {
					continue // a bare value is no answer in the strict profile
				}
				v := GradeResponse(g, in, p)
				if v.Correct != want {
					t.Errorf("gold %s, response %q, %s: correct=%v by %s (%s), want %v", gname, in, p, v.Correct, v.ExtractMethod, v.Rule, want)
				}
				if strings.Contains(in, "####") && v.ExtractMethod != "gsm8k" {
					t.Errorf("response %q, %s: extract_method %q, want gsm8k", in, p, v.ExtractMethod)
				}
			}
		}
	}
}

// TestGSM8KRealGolds reads the GSM8K golds of the real lm-evaluation-harness output
// (targets are whole GSM8K solutions) and checks each is answered by its marker: it
// parses as a number and its own "#### X" line grades correct against it.
func TestGSM8KRealGolds(t *testing.T) {
	type lmRow struct {
		DocID  int        `json:"doc_id"`
		Target string     `json:"target"`
		Resps  [][]string `json:"resps"`
		Exact  float64    `json:"exact_match"`
		Filter string     `json:"filter"`
	}
	rows := readJSONL[lmRow](t, "formats/lm_eval/gsm8k-phi3/samples_gsm8k_2025-08-07T11-42-40.066002.jsonl")
	if len(rows) == 0 {
		t.Fatal("no GSM8K rows")
	}
	agree := 0
	for _, r := range rows {
		g := PrepareGold(r.Target)
		i := strings.LastIndex(r.Target, "#### ")
		if i < 0 {
			t.Fatalf("doc %d: target without a marker", r.DocID)
		}
		x := r.Target[i+len("#### "):]
		if !strings.HasPrefix(g.Describe(), "scalar: ") {
			t.Errorf("doc %d: gold reads as %s, want a number", r.DocID, g.Describe())
		}
		if v := GradeAnswer(g, x); !v.Correct {
			t.Errorf("doc %d: its own answer %q is not the gold: %s", r.DocID, x, v.Rule)
		}
		// strict-match is lm-eval's "#### X" rule: on these rows our strict verdict is its.
		v := GradeResponse(g, r.Resps[0][0], Strict)
		if r.Filter == "strict-match" {
			if v.Correct != (r.Exact == 1) {
				t.Errorf("doc %d: ours %v by %s, lm-eval strict-match %v", r.DocID, v.Correct, v.ExtractMethod, r.Exact)
			} else {
				agree++
			}
		}
	}
	t.Logf("GSM8K: %d golds read by their marker; %d strict-match verdicts agree with lm-eval", len(rows), agree)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestFinalAnswerSentences: a prose final-answer sentence is graded on the math value it
// states, in both profiles: the right value is correct, a different value is not, and a
// sentence stating no value is no answer (never credited through a stray number).
func TestFinalAnswerSentences(t *testing.T) {
	g := PrepareGold("34")
	for _, tc := range []struct {
		response string
		correct  bool
	}{
		{"Final Answer: The largest $n$ is 34.", true},
		{"Final Answer: The largest $n$ is $34$.", true},
		{"**Final Answer:** the number of integers $n$ is **34**", true},
		{"Final Answer: $n$ is 34.", true},
		{"Final Answer: Therefore $n = 34$.", true},
		{"Final Answer: The largest $n$ is 35.", false},
		{"Final Answer: The largest $n$ is 34 minus one, which is 33.", false},
		{"Final Answer: The largest n was found after 34 tries", false},
	} {
		for _, p := range []Profile{Strict, Lenient} {
			if p == Lenient && strings.HasSuffix(tc.response, "tries") {
				continue // no answer in strict; lenient's last-number fallback takes 34 (documented)
			}
			v := GradeResponse(g, tc.response, p)
			if v.Correct != tc.correct {
				t.Errorf("%s: %q: correct=%v (extracted %q by %s, %s), want %v", p, tc.response, v.Correct, v.Extracted, v.ExtractMethod, v.Rule, tc.correct)
			}
		}
	}
}

// TestBoxesWithProseBetween: boxes that short prose separates form one answer when the
// gold has as many parts (in order for a tuple, in any order for a set) and the closing
// answer alone is not right; a single box still wins when the gold has one part; a
// wrong part, a missing part or a box from far back (a blank line or long prose between)
// is never made right by the rule.
func TestBoxesWithProseBetween(t *testing.T) {
	two := `so $y_1 = \boxed{2}$ and $y_2 = \boxed{3}$.`
	three := `We get $x_1=\boxed{1}$, then $x_2=\boxed{-2}$, and finally $x_3=\boxed{5}$`
	tests := []struct {
		gold, response string
		correct        bool
	}{
		{"2, 3", two, true},
		{"3, 2", two, true},
		{`\{2, 3\}`, two, true},
		{"(2, 3)", two, true},
		{"(3, 2)", two, false}, // a tuple is ordered
		{"3", two, true},       // one part: the closing box
		{"2", two, false},      // one part: never an earlier box
		{"2, 4", two, false},
		{"1, -2, 5", three, true},
		{"-2, 5", three, true}, // two parts: the last two boxes of the run
		{"1, 5", three, false},
		{"5", three, true},
		{"1, -2, 5, 7", three, false}, // more parts than boxes
		{"2, 3", "first \\boxed{2}\n\nso $y = \\boxed{3}$", false},
		{"2, 3", `\boxed{2} ` + strings.Repeat("we check again. ", 20) + `\boxed{3}`, false},
		{"2, 3", `\boxed{2, 3}`, true},
		// The closing box is graded first and stands when right: the point (2, 3) is the
		// answer, not "1, (2, 3)".
		{"(2, 3)", `$a = \boxed{1}$ and $b = \boxed{(2, 3)}$`, true},
		{"2, 3", `$a = \boxed{1}$ and $b = \boxed{(2, 3)}$`, true},
		// Boxes holding tuples, or several parts each (±), form the answer too.
		{"(1,2), (3,4)", `we get $P = \boxed{(1,2)}$ and $Q = \boxed{(3,4)}$`, true},
		{"(1,2), (3,4)", `we get $P = \boxed{(1,2)}$ and $Q = \boxed{(3,5)}$`, false},
		{`\pm 1, \pm 2`, `so $x = \boxed{\pm 1}$ or $x = \boxed{\pm 2}$`, true},
		{`\pm 1, \pm 2`, `so $x = \boxed{\pm 1}$ or $x = \boxed{2}$`, false},
	}
	for _, tc := range tests {
		g := PrepareGold(tc.gold)
		for _, p := range []Profile{Strict, Lenient} {
			v := GradeResponse(g, tc.response, p)
			if v.Correct != tc.correct {
				t.Errorf("gold %q, %s: %q: correct=%v (extracted %q, %s), want %v", tc.gold, p, tc.response, v.Correct, v.Extracted, v.Rule, tc.correct)
			}
		}
	}
}

// TestMultipleChoiceWithOptionText: every way of writing one choice — the letter, in
// parentheses, in \text{}, with its option text — is that choice, on the gold side and
// the answer side and inside a response; a different letter is never that choice.
func TestMultipleChoiceWithOptionText(t *testing.T) {
	forms := func(l string) []string {
		return []string{
			l, "(" + l + ")", `\text{` + l + `}`, `\text{(` + l + `)}`, `\text{(` + l + `) Hyperbola}`,
			"(" + l + ") Hyperbola", `\textbf{(` + l + `)}`, `\mathrm{(` + l + `)}`,
		}
	}
	letters := []string{"A", "B", "C", "D", "E"}
	for _, gl := range letters {
		for _, gold := range forms(gl) {
			g := PrepareGold(gold)
			for _, pl := range letters {
				for _, ans := range forms(pl) {
					want := gl == pl
					if v := GradeAnswer(g, ans); v.Correct != want {
						t.Errorf("gold %q, answer %q: correct=%v (%s), want %v", gold, ans, v.Correct, v.Rule, want)
					}
					resp := "Checking each option, the curve is a conic.\n\nThe answer is $\\boxed{" + ans + "}$."
					if v := GradeResponse(g, resp, Strict); v.Correct != want {
						t.Errorf("gold %q, response boxing %q: correct=%v (extracted %q, %s), want %v", gold, ans, v.Correct, v.Extracted, v.Rule, want)
					}
				}
			}
		}
	}
}

// TestOneBoxRule: the same box rule reads a text in answer mode (gold and prediction, via
// equiv.Prepare's peeling) and in response mode (extraction): for every text, the answer
// that response mode extracts is the answer that answer mode reads, so each grades the
// other correct; texts with no box by the rule have no answer in strict response mode.
func TestOneBoxRule(t *testing.T) {
	texts := []string{
		`\boxed{2} ~ \boxed{3}`, // "2, 3" in both modes (equiv once read 3)
		`\boxed{x}\boxed{}`,     // no box in both modes (equiv once read x)
		`\boxed{2} and \boxed{3}`,
		`\boxed{1},\boxed{2},\boxed{3}`,
		`$\boxed{(98, 2)} \quad \text{and} \quad \boxed{(99, 503)}$`,
		`\(\boxed{1}\) or \(\boxed{-2}\).`,
		`\boxed{2} is wrong, so \boxed{3}`,
		`\fbox{7}`,
		`\boxed 5`,
		`\boxed{\boxed{3}}`,
		`\boxed{5} wait \boxed{6`,
		`\boxed{\frac{\sqrt{3}}{2}}`,
		`\boxed{\{1,2\}}`,
	}
	for _, s := range texts {
		r := extract.Extract(s, extract.Strict)
		boxes, ok := extract.Boxes(s)
		if r.OK != ok || ok && r.Answer != boxes {
			t.Errorf("%q: response mode %q (%v), box rule %q (%v)", s, r.Answer, r.OK, boxes, ok)
			continue
		}
		if !ok {
			continue
		}
		fromAnswer := PrepareAnswer(s)
		fromResponse := PrepareAnswer(r.Answer)
		if fromAnswer.Text() != fromResponse.Text() {
			t.Errorf("%q: answer mode reads %q, response mode %q", s, fromAnswer.Text(), fromResponse.Text())
		}
		if v := GradeResponse(PrepareGold(s), s, Strict); !v.Correct {
			t.Errorf("%q as gold and as response: %s (%s)", s, v.Reason, v.Rule)
		}
	}
}
