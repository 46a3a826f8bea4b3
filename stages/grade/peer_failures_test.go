package grade

import "testing"

// TestPeerExtractionFailures pins the extraction-related peer failures of spec section 6
// and section 2: what a peer's harness credits wrongly, we do not (under strict), and
// the lenient profile reproduces the peer's behaviour on purpose.
func TestPeerExtractionFailures(t *testing.T) {
	tests := []struct {
		name            string
		gold, response  string
		strict, lenient bool
		strictMethod    string
		lenientMethod   string
	}{
		{
			name:     "truncated response containing the gold number",
			gold:     "42",
			response: "We need 6 times 7. Computing, 6 times 7 is 42, and now we subtract the",
			strict:   false, strictMethod: "none",
			lenient: true, lenientMethod: "last_number",
		},
		{
			name:     "reasoning cut off inside <think>",
			gold:     "42",
			response: "<think>6 times 7 is 42, so \\boxed{42} maybe, but let me check",
			strict:   false, strictMethod: "none",
			lenient: false, lenientMethod: "none",
		},
		{
			name:     "intermediate box before the final statement",
			gold:     "10455",
			response: "interest $\\boxed{255}$ so the total is $10,455$. Final Answer: The final answer is $10,455$. I hope it is correct.",
			strict:   true, strictMethod: "minerva",
			lenient: true, lenientMethod: "minerva",
		},
		{
			name:     "a list of boxes is one answer, not its last element",
			gold:     "2, 3",
			response: "The roots are $\\boxed{2}$ and $\\boxed{3}$.",
			strict:   true, strictMethod: "boxed",
			lenient: true, lenientMethod: "boxed",
		},
		{
			name:     "subset by taking the last box only (MV #47)",
			gold:     "1331 \\text{ and } 1728",
			response: "So the cubes are $\\boxed{1728}$.",
			strict:   false, strictMethod: "boxed",
			lenient: false, lenientMethod: "boxed",
		},
		{
			name:     "answer only in the reasoning of a closed think block",
			gold:     "7",
			response: "<think>it is 7</think> I could not decide.",
			strict:   false, strictMethod: "none",
			lenient: false, lenientMethod: "none",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := PrepareGold(tt.gold)
			s := GradeResponse(g, tt.response, Strict)
			l := GradeResponse(g, tt.response, Lenient)
			if s.Correct != tt.strict || s.ExtractMethod != tt.strictMethod {
				t.Errorf("strict: got correct=%v by %s (%q, %s), want correct=%v by %s", s.Correct, s.ExtractMethod, s.Extracted, s.Reason, tt.strict, tt.strictMethod)
			}
			if l.Correct != tt.lenient || l.ExtractMethod != tt.lenientMethod {
				t.Errorf("lenient: got correct=%v by %s (%q, %s), want correct=%v by %s", l.Correct, l.ExtractMethod, l.Extracted, l.Reason, tt.lenient, tt.lenientMethod)
			}
		})
	}
}
