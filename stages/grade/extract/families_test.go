package extract

import (
	"fmt"
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
