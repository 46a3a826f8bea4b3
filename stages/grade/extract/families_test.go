package extract

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// TestGSM8KMarkerRule: "#### X" (exactly four '#', X a math value to the end of its line)
// is a final-answer marker in every profile and in answer mode (Solution); the first such
// marker counts; a markdown heading is not a marker; a marker after the last box
// overrides the box, as a Minerva sentence does. The table crosses the ways X is written
// with the places the marker stands.
func TestGSM8KMarkerRule(t *testing.T) {
	values := []struct{ written, answer string }{
		{"460", "460"},
		{"-3", "-3"},
		{"1,000", "1,000"},
		{"$18", "18"},
		{`\$18`, `\$18`},
		{"0.5", "0.5"},
		{".75", ".75"},
		{`\frac{1}{2}`, `\frac{1}{2}`},
		{`$\frac{1}{2}$`, `\frac{1}{2}`},
		{"(2, 3)", "(2, 3)"},
		{"460.", "460"},
		{"**460**", "460"},
	}
	places := []struct {
		name   string
		format string // %s is the marker line "#### X"
	}{
		{"alone", "%s"},
		{"after a solution", "16 - 3 - 4 = <<16-3-4=9>>9\nShe makes 9 * 2 = $<<9*2=18>>18.\n%s"},
		{"before a continuation", "So 9 eggs.\n%s\n\nQuestion: how many? Answer: 7\n#### 7"},
		{"after a markdown heading", "#### Step 1: add\n12 + 3\n### Result\n%s"},
		{"after a box", `we get \boxed{99} but then` + "\n%s"},
		{"after trailing spaces", "%s   \n"},
	}
	for _, pl := range places {
		for _, v := range values {
			in := fmt.Sprintf(pl.format, "#### "+v.written)
			t.Run(pl.name+"/"+v.written, func(t *testing.T) {
				for _, p := range []Profile{Strict, Lenient} {
					if r := Extract(in, p); r.Answer != v.answer || r.Method != MethodGSM8K {
						t.Errorf("Extract(%q, %s) = %+v, want %q by gsm8k", in, p, r, v.answer)
					}
				}
				if r := Solution(in); r.Answer != v.answer || r.Method != MethodGSM8K {
					t.Errorf("Solution(%q) = %+v, want %q by gsm8k", in, r, v.answer)
				}
			})
		}
	}
	notMarkers := []string{
		"#### Step 1: Compute the area",
		"#### 2. Compute the area",
		"#### Final Answer",
		"### 460",
		"##### 460",
		"####",
		"#### ",
		"#### the answer",
	}
	for _, in := range notMarkers {
		t.Run("not a marker/"+in, func(t *testing.T) {
			if r := Extract(in, Strict); r.Method == MethodGSM8K {
				t.Errorf("Extract(%q) = %+v: a heading or a bare marker is not an answer", in, r)
			}
			if r := Solution(in); r.OK {
				t.Errorf("Solution(%q) = %+v: a heading or a bare marker is not an answer", in, r)
			}
		})
	}
	// A box after the marker is the last box and wins (the marker does not close the
	// response); the first valid marker wins over a later one.
	if r := Extract("#### 5\nthen \\boxed{6}", Strict); r.Answer != "6" || r.Method != MethodBoxed {
		t.Errorf("box after the marker: %+v", r)
	}
	if r := Extract("#### Step 1\n#### 5\n#### 6", Strict); r.Answer != "5" {
		t.Errorf("first valid marker: %+v", r)
	}
}

// TestFinalAnswerSentenceRule: a final answer stated as a sentence answers the math value
// inside the sentence — the value after its last copula, else its last math span — and a
// sentence stating no value is no answer. Sentences × values × markers.
func TestFinalAnswerSentenceRule(t *testing.T) {
	markers := []string{"Final Answer: ", "**Final Answer:** ", "Answer: ", "The final answer is: "}
	values := []struct{ written, answer string }{
		{"34", "34"},
		{"$34$", "34"},
		{"-7", "-7"},
		{`$\frac{3}{4}$`, `\frac{3}{4}`},
		{`\(\sqrt{2}\)`, `\sqrt{2}`},
		{"**12**", "12"},
		{"$(1, 2)$", "(1, 2)"},
		{"12 square units", "12 square units"},
	}
	sentences := []string{
		"The largest $n$ is %s.",
		"The number of ways is %s.",
		"The value of $x$ that works is %s.",
		"There are %s",
		"The sum of the roots equals %s.",
		"the number of ordered pairs = %s.",
		"Thus the minimum is %s\n\nI am done.",
		"If $x = 2$, then the area is %s.", // the last copula decides, not the first "="
		"$n$ is %s.",
		"$|AB|$ equals %s",
	}
	for _, m := range markers {
		for _, sen := range sentences {
			for _, v := range values {
				in := "We compute it.\n" + m + fmt.Sprintf(sen, v.written)
				if r := Extract(in, Strict); r.Answer != v.answer || r.Method != MethodAnswerIs {
					t.Errorf("Extract(%q) = %+v, want %q", in, r, v.answer)
				}
			}
		}
	}
	// The last math span when no copula is followed by a value.
	spans := map[string]string{
		"Final Answer: Therefore the minimum is attained at $x = 3$.":    "x = 3",
		"Answer: Hence we conclude that $k=5$ works.":                    "k=5",
		"Final Answer: The area, in square units, is therefore $\\pi$.":  `\pi`,
		"Final Answer: the largest such $n$ is $34$, as shown above.":    "34",
		"Final Answer: For $a = 1$ we obtain the final value $\\frac12$": `\frac12`,
	}
	for in, want := range spans {
		if r := Extract(in, Strict); r.Answer != want {
			t.Errorf("Extract(%q) = %+v, want %q", in, r, want)
		}
	}
	// Sentences that state no value: no answer (not the sentence, not a stray number).
	for _, in := range []string{
		"Final Answer: Jane started growing Sphere 3 hours ago.",
		"Final Answer: The largest value is obtained when the sides are equal.",
		"Answer: it is the one that Carl gave to Anna in the morning.",
	} {
		if r := Extract(in, Strict); r.OK {
			t.Errorf("Extract(%q) = %+v, want no answer", in, r)
		}
	}
}

// TestProseRunOfBoxes: boxes that short prose separates (no blank line, at most
// maxProseGap bytes between two) form a run, reported by ExtractRun in Result.Run in
// reading order (Extract does not gather it),
// while Answer stays the closing group (a single box still wins on its own). Boxes
// separated only by connectors stay one group, as before, with no Run.
func TestProseRunOfBoxes(t *testing.T) {
	tests := []struct {
		name, in, answer string
		run              []string
	}{
		{"two labelled boxes", `so $y_1 = \boxed{2}$ and $y_2 = \boxed{3}$.`, "3", []string{"2", "3"}},
		{"three roots", `$x_1=\boxed{1}$, $x_2=\boxed{-2}$, and finally $x_3=\boxed{5}$`, "5", []string{"1", "-2", "5"}},
		{"list lines", "1. $a = \\boxed{4}$\n2. $b = \\boxed{\\frac12}$", `\frac12`, []string{"4", `\frac12`}},
		{"connectors only: one group", `\boxed{2} ~ \boxed{3}`, "2, 3", nil},
		{"group then prose then box", `\boxed{1}, \boxed{2} and then $z=\boxed{3}$`, "3", []string{"1", "2", "3"}},
		{"blank line ends the run", "first \\boxed{7}\n\nso $y = \\boxed{8}$", "8", nil},
		{"long prose ends the run", `\boxed{7} ` + strings.Repeat("we check again. ", 20) + `\boxed{8}`, "8", nil},
		{"empty box ends the run", `$a = \boxed{}$ and $b = \boxed{8}$`, "8", nil},
		{"single box", `the answer is $\boxed{8}$`, "8", nil},
	}
	for _, tt := range tests {
		if r := Extract(tt.in, Strict); r.Run != nil {
			t.Errorf("%s: Extract gathered a run %q", tt.name, r.Run)
		}
		r := ExtractRun(tt.in, Strict)
		if r.Answer != tt.answer || r.Method != MethodBoxed || !reflect.DeepEqual(r.Run, tt.run) {
			t.Errorf("%s: Extract(%q) = %q, run %q; want %q, run %q", tt.name, tt.in, r.Answer, r.Run, tt.answer, tt.run)
		}
	}
}
