package grade

import (
	"strings"
	"sync"
	"testing"
)

func TestNoAnswerVerdict(t *testing.T) {
	g := PrepareGold("5")
	for _, v := range []Verdict{
		GradeResponse(g, "I am not sure.", Strict),
		GradeResponse(g, "<think>5", Lenient),
		GradeResponse(g, `\boxed{}`, Strict),
		GradeAnswer(g, "   "),
		GradeAnswer(g, ""),
	} {
		want := Verdict{ExtractMethod: "none", Reason: "no_answer"}
		if v != want {
			t.Errorf("got %+v, want %+v", v, want)
		}
	}
}

func TestModes(t *testing.T) {
	g := PrepareGold("5")
	if g.Raw() != "5" {
		t.Errorf("Raw() = %q", g.Raw())
	}
	v := GradeResponse(g, "so the answer is $5$.", Strict)
	if !v.Correct || v.ExtractMethod != "answer_is" || v.Extracted != "5" || !v.HasAnswer || v.Reason == "" {
		t.Errorf("response mode: %+v", v)
	}
	// Answer mode does not extract from prose: "the answer is 5" is not the answer 5.
	v = GradeAnswer(g, "the answer is 5")
	if v.Correct || v.ExtractMethod != "answer" {
		t.Errorf("answer mode extracted from prose: %+v", v)
	}
	v = GradeAnswer(g, `\boxed{5}`)
	if !v.Correct || v.ExtractMethod != "answer" {
		t.Errorf("answer mode with one enclosing box: %+v", v)
	}
}

// TestAnswerModeSolutions: a gold (or answer) that is a whole worked solution is
// answered by its closing box, list of boxes or Minerva sentence, on both sides.
func TestAnswerModeSolutions(t *testing.T) {
	tests := []struct{ gold, answer string }{
		{`We get $$10\cdot6\cdot7=\boxed{420}.$$ If we multiplied exactly we would get $419.9$.`, "420"},
		{`\(\boxed{7}\) and \(\boxed{9}\).`, `\boxed{7, 9}`},
		{`... so it is $28$. Final Answer: The final answer is $28$. I hope it is correct.`, "28"},
	}
	for _, tt := range tests {
		g := PrepareGold(tt.gold)
		if v := GradeAnswer(g, tt.answer); !v.Correct {
			t.Errorf("gold %.40q vs answer %q: %+v", tt.gold, tt.answer, v)
		}
		// Symmetric: the solution on the prediction side gives the same verdict.
		if v := GradeAnswer(PrepareGold(tt.answer), tt.gold); !v.Correct {
			t.Errorf("swapped: gold %q vs answer %.40q: %+v", tt.answer, tt.gold, v)
		}
	}
}

func TestParseProfile(t *testing.T) {
	for in, want := range map[string]Profile{"": Strict, "strict": Strict, "lenient": Lenient} {
		if p, err := ParseProfile(in); err != nil || p != want {
			t.Errorf("ParseProfile(%q) = %q, %v", in, p, err)
		}
	}
	_, err := ParseProfile("Lenient")
	if err == nil || !strings.Contains(err.Error(), `found "Lenient"`) {
		t.Errorf("ParseProfile(Lenient): %v", err)
	}
}

func TestEquivalentGroups(t *testing.T) {
	a, b, c := PrepareAnswer(`\boxed{5}`), PrepareAnswer("5"), PrepareAnswer("6")
	if !Equivalent(a, b) || !Equivalent(b, a) {
		t.Error("5 and \\boxed{5} are not equivalent")
	}
	if Equivalent(a, c) {
		t.Error("5 and 6 are equivalent")
	}
}

func TestExplain(t *testing.T) {
	e := ExplainResponse("5", "<think>5", Strict)
	s := e.String()
	for _, want := range []string{"gold:", "nothing", "never closed", "INCORRECT (reason no_answer)"} {
		if !strings.Contains(s, want) {
			t.Errorf("explanation lacks %q:\n%s", want, s)
		}
	}
	e = ExplainAnswer("5", "5")
	s = e.String()
	for _, want := range []string{"answer mode", "rule:", "CORRECT (reason"} {
		if !strings.Contains(s, want) {
			t.Errorf("explanation lacks %q:\n%s", want, s)
		}
	}
}

// TestConcurrentUse grades with one Gold from many goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	g := PrepareGold(`\frac{1}{2}`)
	want := GradeResponse(g, `so $\boxed{0.5}$`, Strict)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if v := GradeResponse(g, `so $\boxed{0.5}$`, Strict); v != want {
					t.Errorf("verdict changed under concurrency: %+v vs %+v", v, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// TestHostileResponses: section 5 inputs each get a verdict (the test would hang or
// crash otherwise); none is credited against an ordinary gold.
func TestHostileResponses(t *testing.T) {
	g := PrepareGold("5")
	tests := map[string]string{
		"100 kB prose":           strings.Repeat("we try n = 12 and look again. ", 3500),
		"unclosed box":           `\boxed{` + strings.Repeat(`\frac{1}{`, 5000),
		"5000 nested braces":     `\boxed{` + strings.Repeat("{", 5000) + "4" + strings.Repeat("}", 5000) + "}",
		"frac tower":             `\boxed{` + strings.Repeat(`\frac`, 20000) + "}",
		"exponent tower":         `\boxed{` + strings.Repeat("9^{", 200) + "9" + strings.Repeat("}", 200) + "}",
		"20000 digits":           `\boxed{` + strings.Repeat("7", 20000) + "}",
		"NUL bytes":              strings.Repeat("\x00", 50000) + `\boxed{6}` + "\x00",
		"invalid UTF-8":          "\xff\xfe the answer is \xc3",
		"many boxes":             strings.Repeat(`\boxed{1}, `, 9000),
		"many dollars (lenient)": strings.Repeat("$1$ ", 20000),
	}
	for name, resp := range tests {
		t.Run(name, func(t *testing.T) {
			for _, p := range []Profile{Strict, Lenient} {
				v := GradeResponse(g, resp, p)
				if v.Correct {
					t.Errorf("%s: credited: %+v", p, v)
				}
				if v.Reason == "" || v.ExtractMethod == "" {
					t.Errorf("%s: verdict without reason or method: %+v", p, v)
				}
			}
		})
	}
}
