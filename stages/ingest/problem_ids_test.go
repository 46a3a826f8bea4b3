package ingest

import "testing"

func TestPromptProblem(t *testing.T) {
	for _, tc := range []struct{ name, prompt, want string }{
		{"plain", "  What is $1+1$? ", "What is $1+1$?"},
		{"chatml", "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nWhat is $1+1$?<|im_end|>\n<|im_start|>assistant\n", "What is $1+1$?"},
		{"chatml few-shot takes the last user turn", "<|im_start|>user\nQ1<|im_end|>\n<|im_start|>assistant\nA1<|im_end|>\n<|im_start|>user\nQ2<|im_end|>\n<|im_start|>assistant\n", "Q2"},
		{"llama 3", "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nCompute $2^3$.<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n", "Compute $2^3$."},
		{"spurious base template", "A conversation between User and Assistant. ...\n\n<|user|>\nFind $x$.\n<|assistant|>\n<think>", "Find $x$."},
		{"qwen boxed suffix", "<|im_start|>user\nFind $x$.\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>", "Find $x$."},
		{"lighteval math_500", "Solve the following math problem efficiently and clearly.  The last line of your response should be ... Think step by step before answering.\n\nHow many primes are below $10$?", "How many primes are below $10$?"},
		{"lighteval math", "Problem: Find $y$.\nAnswer:", "Find $y$."},
		{"lighteval math_helm", "Given a mathematics problem, determine the answer. Simplify your answer as much as possible.\nProblem: Find $z$.\nAnswer: $\n###\n", "Find $z$."},
		{"a problem that mentions Problem: is kept", "Solve Problem: 3 of the set.\nAnswer: the sum.", "Solve Problem: 3 of the set.\nAnswer: the sum."},
	} {
		if got := promptProblem(tc.prompt); got != tc.want {
			t.Errorf("%s: promptProblem = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestSetProblemKey(t *testing.T) {
	for _, tc := range []struct {
		id  string
		pid string
		pos int64
	}{
		{"test/algebra/1234.json", "test/algebra/1234.json", -1},
		{"17", "", 17},
		{" 3 ", "", 3},
		{"-2", "", -1},
		{"aime-2024-I-1", "aime-2024-I-1", -1},
		{"", "", -1},
	} {
		r := newRecord("f", 1)
		setProblemKey(&r, tc.id)
		if r.ProblemID != tc.pid || r.Position != tc.pos {
			t.Errorf("setProblemKey(%q): id %q position %d; want %q %d", tc.id, r.ProblemID, r.Position, tc.pid, tc.pos)
		}
	}
}
