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
		return strings.TrimSpace(rest)
	}
	return strings.TrimSpace(prompt)
}

var chatTemplates = []struct{ open, close string }{
	{"<|im_start|>user\n", "<|im_end|>"},
	{"<|start_header_id|>user<|end_header_id|>\n\n", "<|eot_id|>"},
	{"<|user|>\n", "\n<|assistant|>"},
}
