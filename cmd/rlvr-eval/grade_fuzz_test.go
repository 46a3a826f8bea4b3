package main

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/grade/batch"
)

// FuzzGradeLine feeds arbitrary input lines to the line grader: it never panics, and
// every line gives exactly one output line that is a JSON object with the required
// fields, an id that is valid JSON, and an error exactly when the reason is input_error.
func FuzzGradeLine(f *testing.F) {
	for _, s := range []string{
		`{"id": 1, "gold": "5", "response": "The answer is 5."}`,
		`{"id": "x", "gold": "1/2", "answer": "0.5", "profile": "lenient"}`,
		`{"id": [1, {"a": null}], "gold": "\\frac12", "response": "<think>"}`,
		`{"id": 1e400, "gold": "5"}`,
		`{"gold": "5", "answer": null, "response": null}`,
		`not json`, `[]`, `{`, `"str"`, `{"id": 1, "gold": "\u0000", "answer": "\ud800"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if len(bytes.TrimSpace([]byte(line))) == 0 {
			return // blank lines are skipped before grading
		}
		g := lineGrader{golds: batch.NewGolds().Memo(), profile: grade.Strict, maxLine: defaultMaxLine}
		out := g.gradeRaw(7, []byte(line), nil)
		if bytes.Count(out, []byte("\n")) != 1 || out[len(out)-1] != '\n' {
			t.Fatalf("expected one output line, got %q", out)
		}
		var v struct {
			ID            json.RawMessage `json:"id"`
			Correct       *bool           `json:"correct"`
			Extracted     *string         `json:"extracted"`
			ExtractMethod *string         `json:"extract_method"`
			Reason        *string         `json:"reason"`
			Error         *string         `json:"error"`
		}
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("output is not JSON: %v: %q", err, out)
		}
		if v.ID == nil || v.Correct == nil || v.ExtractMethod == nil || v.Reason == nil {
			t.Fatalf("output lacks a field: %q", out)
		}
		if (*v.Reason == reasonInputError) != (v.Error != nil) {
			t.Fatalf("error and reason disagree: %q", out)
		}
		if v.Error != nil && (*v.Correct || v.Extracted != nil) {
			t.Fatalf("an error line must be incorrect with no extraction: %q", out)
		}
	})
}
