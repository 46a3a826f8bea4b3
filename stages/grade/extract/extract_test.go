package extract

import (
	"strings"
	"testing"
)

func TestExtract(t *testing.T) {
	tests := []struct {
		name     string
		response string
		profile  Profile
		answer   string
		method   string
	}{
		// Boxes.
		{"box", `So the result is $\boxed{42}$.`, Strict, "42", MethodBoxed},
		{"last box wins", `First $\boxed{1}$, then we correct: \boxed{2}.`, Strict, "2", MethodBoxed},
		{"nested braces", `\boxed{\frac{\sqrt{3}}{2}}`, Strict, `\frac{\sqrt{3}}{2}`, MethodBoxed},
		{"escaped braces", `\boxed{\{1,2\}}`, Strict, `\{1,2\}`, MethodBoxed},
		{"fbox", `hence \fbox{7}`, Strict, "7", MethodBoxed},
		{"one-token form", `The answer: \boxed 5.`, Strict, "5", MethodBoxed},
		{"one-token glued digit", `so \boxed5`, Strict, "5", MethodBoxed},
		{"box inside box", `\boxed{\boxed{3}}`, Strict, "3", MethodBoxed},
		{"two boxes list", `\boxed{2} and \boxed{3}`, Strict, "2, 3", MethodBoxed},
		{"three boxes commas", `\boxed{1},\boxed{2},\boxed{3}`, Strict, "1, 2, 3", MethodBoxed},
		{"boxes with quad and text", `$\boxed{(98, 2)} \quad \text{and} \quad \boxed{(99, 503)}$`, Strict, "(98, 2), (99, 503)", MethodBoxed},
		{"boxes across delimiters", `\(\boxed{1}\) or \(\boxed{-2}\).`, Strict, "1, -2", MethodBoxed},
		{"one-token boxes list", `\boxed 2 and \boxed 3`, Strict, "2, 3", MethodBoxed},
		{"boxes with text or", `$\boxed{1}\text{ or }\boxed{-1}$`, Strict, "1, -1", MethodBoxed},
		{"boxes separated by prose are not a list", `\boxed{2} is wrong, so \boxed{3}`, Strict, "3", MethodBoxed},
		{"dollars inside a box", `between $\boxed{12 $ and $13 }$`, Strict, "12  and 13", MethodBoxed},
		{"currency inside a box", `\boxed{\$16,\!386.20}`, Strict, `\$16,\!386.20`, MethodBoxed},
		{"empty box is no answer", `\boxed{}`, Strict, "", MethodNone},
		{"blank box is no answer", `\boxed{  }`, Strict, "", MethodNone},
		{"empty box falls through to answer is", `The answer is 4. \boxed{}`, Strict, "4", MethodAnswerIs},
		{"unclosed box ignored", `\boxed{5} wait \boxed{6`, Strict, "5", MethodBoxed},
		{"only an unclosed box", `so \boxed{\frac{1}{2`, Strict, "", MethodNone},
		{"other command", `\boxedanswer{3}`, Strict, "", MethodNone},
		{"escaped backslash before box", `\\boxed{840}`, Strict, "840", MethodBoxed},

		// Think tags.
		{"after last think", "<think>maybe \\boxed{1}</think> so \\boxed{2}", Strict, "2", MethodBoxed},
		{"box only in reasoning", "<think>\\boxed{1}</think> The answer is 3.", Strict, "3", MethodAnswerIs},
		{"unclosed think", "<think> long reasoning \\boxed{9} and then cut", Strict, "", MethodNone},
		{"unclosed think lenient", "<think> we get 9", Lenient, "", MethodNone},
		{"two think blocks", "<think>a</think>\\boxed{1}<think>b</think>\\boxed{2}", Strict, "2", MethodBoxed},

		// Answer tags.
		{"answer tag", "reasoning <answer> 17 </answer>", Strict, "17", MethodAnswerTag},
		{"last answer tag", "<answer>1</answer> no, <answer>$x=2$</answer>", Strict, "x=2", MethodAnswerTag},
		{"box beats answer tag", "<answer>1</answer> \\boxed{2}", Strict, "2", MethodBoxed},
		{"empty answer tag", "<answer> </answer>", Strict, "", MethodNone},

		// Minerva.
		{"minerva", "Final Answer: The final answer is $14400$. I hope it is correct.", Strict, "14400", MethodMinerva},
		{"minerva plain", "Final Answer: The final answer is 12,000,023. I hope it is correct. <|im_start|>user", Strict, "12,000,023", MethodMinerva},
		{"minerva after box wins", "$\\boxed{255}$ So ... Final Answer: The final answer is $10,455$. I hope it is correct.", Strict, "10,455", MethodMinerva},
		{"box after minerva wins", "Final Answer: The final answer is $3$. I hope it is correct. Actually \\boxed{4}", Strict, "4", MethodBoxed},
		{"minerva quoted spans", `Final Answer: The final answer is \"$12 $ and $13 $\". I hope it is correct.`, Strict, "12  and 13", MethodMinerva},
		{"minerva inline delimiters", `Final Answer: The final answer is \((-6, 10)\). I hope it is correct.`, Strict, "(-6, 10)", MethodMinerva},

		// "The answer is" variants.
		{"the answer is", "Thus the answer is 7.", Strict, "7", MethodAnswerIs},
		{"decimal not a sentence end", "So the answer is 3.5.", Strict, "3.5", MethodAnswerIs},
		{"leading point decimal", "The answer is .75 exactly.", Strict, ".75 exactly", MethodAnswerIs},
		{"final answer is", "My final answer is $\\frac{1}{2}$ since it works.", Strict, `\frac{1}{2}`, MethodAnswerIs},
		{"case-insensitive", "THE ANSWER IS 12", Strict, "12", MethodAnswerIs},
		{"answer colon", "Answer: 5", Strict, "5", MethodAnswerIs},
		{"markdown answer", "**Answer:** **12**", Strict, "12", MethodAnswerIs},
		{"markdown final answer next line", "**Final Answer**:\n\n$\\frac{3}{4}$", Strict, `\frac{3}{4}`, MethodAnswerIs},
		{"answer is colon", "The answer is: $(1,2)$.", Strict, "(1,2)", MethodAnswerIs},
		{"last answer is wins", "The answer is 3. Wait, no. The answer is 4.", Strict, "4", MethodAnswerIs},
		{"text answer", "The answer is Evelyn.", Strict, "Evelyn", MethodAnswerIs},
		{"joined spans", "The answer is $12$ and $13$.", Strict, "12 and 13", MethodAnswerIs},
		{"math span with period inside", "The answer is $x = 2.5.$ Done", Strict, "x = 2.5", MethodAnswerIs},
		{"prose after answer is no answer", "Final Answer: Jane started growing Sphere 3 hours ago.", Strict, "", MethodNone},
		{"answers is not answer is", "The answers is 3", Strict, "", MethodNone},
		{"word before answer", "reanswer: 3", Strict, "", MethodNone},

		// Nothing.
		{"no answer", "I think it is 5 but I am not sure", Strict, "", MethodNone},
		{"empty", "", Strict, "", MethodNone},

		// Lenient fallbacks.
		{"lenient last math", "Therefore $x \\geq 5$ is the solution.", Lenient, `x \geq 5`, MethodLastMath},
		{"strict has no fallback", "Therefore $x \\geq 5$ is the solution.", Strict, "", MethodNone},
		{"lenient display math", "Answer \\[ 9 \\]", Lenient, "9", MethodLastMath},
		{"lenient dollars display", "Answer $$ \n 9 \n $$", Lenient, "9", MethodLastMath},
		{"lenient last number", "the number is not 10 which is 1,000.99€", Lenient, "1000.99", MethodLastNumber},
		{"lenient space thousands", "1 000", Lenient, "1000", MethodLastNumber},
		{"lenient number after span", "We had $d = 5$ and there are 12 sequences.", Lenient, "12", MethodLastNumber},
		{"lenient number inside span is the span", "so $x = 12$.", Lenient, "x = 12", MethodLastMath},
		{"lenient number glued to word", "AZYUK2A", Lenient, "", MethodNone},
		{"lenient exponent is not a number", "area 5 cm^2", Lenient, "5", MethodLastNumber},
		{"lenient negative", "so we get -5", Lenient, "-5", MethodLastNumber},
		{"lenient subtraction is not a sign", "9-5", Lenient, "5", MethodLastNumber},
		{"lenient unicode minus", "x equals −3", Lenient, "-3", MethodLastNumber},
		{"lenient bare latex", `-\frac{10}{9}`, Lenient, `-\frac{10}{9}`, MethodLastMath},
		{"lenient escaped dollar", `costs \$5 and \$7`, Lenient, "7", MethodLastNumber},
		{"lenient unclosed dollar", `1,000.99$`, Lenient, "1000.99", MethodLastNumber},
		{"lenient comma list is not thousands", "1,22", Lenient, "22", MethodLastNumber},
		{"lenient keeps strict first", "The answer is 4. Then 5", Lenient, "4", MethodAnswerIs},
		{"truncated response strict", "We compute 6*7 = 42 and then subtract", Strict, "", MethodNone},
		{"truncated response lenient", "We compute 6*7 = 42 and then subtract", Lenient, "42", MethodLastNumber},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.response, tt.profile)
			if got.Answer != tt.answer || got.Method != tt.method || got.OK != (tt.method != MethodNone) {
				t.Errorf("Extract(%q, %v) = %+v, want answer %q method %s", tt.response, tt.profile, got, tt.answer, tt.method)
			}
		})
	}
}

func TestSolution(t *testing.T) {
	tests := []struct {
		name, text, answer, method string
	}{
		{"plain answer is not a solution", `\frac{1}{2}`, "", MethodNone},
		{"enclosing box", `\boxed{\text{C}}`, `\text{C}`, MethodBoxed},
		{"worked solution", `We get $$10\cdot6\cdot7=\boxed{420}.$$ If we multiplied ... $420$.`, "420", MethodBoxed},
		{"boxes list", `\(\boxed{1}\) and \(\boxed{-2}\).`, "1, -2", MethodBoxed},
		{"minerva solution", `... = 28 \%. Final Answer: The final answer is $28 \%$. I hope it is correct. Note: wrong.`, `28 \%`, MethodMinerva},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Solution(tt.text)
			if got.Answer != tt.answer || got.Method != tt.method {
				t.Errorf("Solution(%q) = %+v, want %q by %s", tt.text, got, tt.answer, tt.method)
			}
		})
	}
}

// TestHostileInputs checks that pathological responses are handled in bounded time and
// memory (the test would time out on a quadratic scan of these inputs).
func TestHostileInputs(t *testing.T) {
	big := func(s string, n int) string { return strings.Repeat(s, n) }
	tests := []struct {
		name     string
		response string
	}{
		{"many unclosed boxes", big(`\boxed{`, 20000)},
		{"many unclosed fboxes and braces", big(`\fbox{{`, 15000)},
		{"deep nesting", `\boxed{` + big("{", 50000) + big("}", 50000) + "}"},
		{"many dollars", big("$", 100000)},
		{"many unclosed parens", big(`\(`, 50000)},
		{"many answer markers", big("answer is ", 10000)},
		{"many answer words", big("answer ", 15000)},
		{"nul bytes", big("\x00", 100000) + `\boxed{1}` + big("\x00", 10)},
		{"many digits", big("1,000 ", 20000)},
		{"many boxes", big(`\boxed{1} and `, 8000)},
		{"minerva markers", big("final answer is I hope it is correct ", 3000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, p := range []Profile{Strict, Lenient} {
				r := Extract(tt.response, p)
				if r.OK && r.Answer == "" {
					t.Errorf("OK with an empty answer: %+v", r)
				}
				if len(r.Answer) > len(tt.response) {
					t.Errorf("answer longer than the response: %d > %d", len(r.Answer), len(tt.response))
				}
			}
		})
	}
}

func TestProfileString(t *testing.T) {
	if Strict.String() != "strict" || Lenient.String() != "lenient" || Profile(9).String() != "unknown" {
		t.Errorf("Profile names: %s %s %s", Strict, Lenient, Profile(9))
	}
}
