package extract

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

var methods = map[string]bool{
	MethodBoxed: true, MethodAnswerTag: true, MethodGSM8K: true, MethodMinerva: true, MethodAnswerIs: true,
	MethodLastMath: true, MethodLastNumber: true, MethodNone: true,
}

// FuzzExtract checks the contracts of Extract on arbitrary input: no panic, a known
// method, OK exactly when there is an answer, an answer no longer than the response and
// made of the response's bytes (plus the ", " that joins a list of boxes and the "-" of
// a Unicode minus), determinism, and that the lenient profile only adds fallbacks.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		`\boxed{42}`, `\boxed{\frac{1}{2}} and \boxed{3}`, `\boxed 5`, `\boxed{`, `\fbox{}`,
		"<think>x</think> The answer is 3.5.", "<think> cut", "<answer>7</answer>",
		"Final Answer: The final answer is $14400$. I hope it is correct.",
		"**Answer:** $x \\in [-2, 7]$", "the number is 1,000.99€", "AZYUK2A", `-\frac{10}{9}`,
		"$$ 9 $$", `\( (9+1) \)`, "−3", "\x00\\boxed{\x00}", "$\\$5$", "answer is $", "1 000 000",
		"so 9 eggs.\n#### 460", "#### Step 1\n#### $18", "Final Answer: The largest $n$ is 34.",
		"Answer: $n$ is **34**", `$y_1 = \boxed{2}$ and $y_2 = \boxed{3}$`, `\boxed{1} ~ \boxed{}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		st := Extract(s, Strict)
		le := Extract(s, Lenient)
		if run := ExtractRun(s, Strict); run.Answer != st.Answer || run.Method != st.Method ||
			len(run.Run) == 1 || run.Run != nil && run.Run[len(run.Run)-1] == "" {
			t.Fatalf("ExtractRun %+v disagrees with Extract %+v", run, st)
		}
		for _, r := range []Result{st, le} {
			if !methods[r.Method] {
				t.Fatalf("unknown method %q", r.Method)
			}
			if r.OK != (r.Answer != "") || r.OK != (r.Method != MethodNone) {
				t.Fatalf("inconsistent result %+v", r)
			}
			if len(r.Answer) > len(s) {
				t.Fatalf("answer longer than the response: %q from %q", r.Answer, s)
			}
			if r.Answer != strings.TrimSpace(r.Answer) {
				t.Fatalf("answer not trimmed: %q", r.Answer)
			}
			for i := 0; i < len(r.Answer); i++ {
				c := r.Answer[i]
				if c != ',' && c != ' ' && c != '-' && strings.IndexByte(s, c) < 0 {
					t.Fatalf("answer byte %q not in the response: %q from %q", c, r.Answer, s)
				}
			}
			if utf8.ValidString(s) && !utf8.ValidString(r.Answer) && r.Method != MethodLastNumber {
				t.Fatalf("valid UTF-8 response gave invalid answer %q", r.Answer)
			}
		}
		if st.OK && !reflect.DeepEqual(st, le) {
			t.Fatalf("lenient changed a strict answer: %+v vs %+v", st, le)
		}
		if again := Extract(s, Lenient); !reflect.DeepEqual(again, le) {
			t.Fatalf("not deterministic: %+v then %+v", le, again)
		}
		if strings.Contains(s, "<think>") && !strings.Contains(s, "</think>") && le.OK {
			t.Fatalf("unclosed <think> gave an answer: %+v", le)
		}
	})
}
