package ingest

import (
	"strconv"
	"strings"
)

// newRecord returns a record at file:line with the "unknown" markers of the
// contract set (Position and SampleIdx -1).
func newRecord(file string, line int64) Record {
	return Record{SourceFile: file, SourceLine: line, Position: -1, SampleIdx: -1}
}

// setProblemKey files a problem identifier found in a record: a decimal integer
// is a position in the evalset (a numeric index is not a MATH-500 unique_id),
// anything else is an evalset id such as "test/algebra/1234.json".
func setProblemKey(r *Record, id string) {
	id = strings.TrimSpace(id)
	if id == "" {
		return
	}
	if n, err := strconv.ParseInt(id, 10, 64); err == nil {
		if n >= 0 {
			r.Position = n
		}
		return
	}
	r.ProblemID = id
}

// promptProblem returns the user's message of a prompt rendered with a chat
// template (Qwen/ChatML, Llama 3, or the "<|user|>" base-model template used by
// Spurious Rewards), or the prompt itself when no template is recognised. The
// pipeline matches this text against the evalset's problems.
func promptProblem(prompt string) string {
	for _, t := range chatTemplates {
		i := strings.LastIndex(prompt, t.open)
		if i < 0 {
			continue
		}
		rest := prompt[i+len(t.open):]
		if j := strings.Index(rest, t.close); j >= 0 {
			rest = rest[:j]
		}
		return stripInstructions(rest)
	}
	return stripInstructions(prompt)
}

// stripInstructions removes the instructions that evaluation tools wrap around
// a problem, so that the text left is the evalset's problem statement:
//
//   - lighteval math_500 (after simple-evals): "Solve the following math
//     problem efficiently and clearly. ... Think step by step before
//     answering.\n\n{problem}"
//   - lighteval math / math_helm: "...Problem: {problem}\nAnswer:..."
//   - Qwen2.5-Math / lighteval math_cot / RLVR-Decomposed:
//     "{problem}\nPlease reason step by step, and put your final answer within \boxed{}."
func stripInstructions(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, thinkStepByStep); i >= 0 && strings.HasPrefix(s, "Solve the following math problem") {
		s = strings.TrimSpace(s[i+len(thinkStepByStep):])
	}
	if i := strings.Index(s, "Problem: "); i >= 0 && (i == 0 || strings.HasPrefix(s, "Given a mathematics problem")) {
		if j := strings.LastIndex(s, "\nAnswer:"); j > i {
			s = strings.TrimSpace(s[i+len("Problem: ") : j])
		}
	}
	for _, suffix := range []string{
		"Please reason step by step, and put your final answer within \\boxed{}.",
		"Let's think step by step and output the final answer within \\boxed{}.",
	} {
		if strings.HasSuffix(s, suffix) {
			s = strings.TrimSpace(strings.TrimSuffix(s, suffix))
		}
	}
	return s
}

const thinkStepByStep = "Think step by step before answering."

var chatTemplates = []struct{ open, close string }{
	{"<|im_start|>user\n", "<|im_end|>"},
	{"<|start_header_id|>user<|end_header_id|>\n\n", "<|eot_id|>"},
	{"<|user|>\n", "\n<|assistant|>"},
}
