package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalsetGuess writes a file in each tool's layout and checks the evalset
// name the file suggests and that the reason names its source.
func TestEvalsetGuess(t *testing.T) {
	for _, tc := range []struct {
		name, rel, content, format, want, why string
	}{
		{"lm-eval subtask: its family", "out/samples_hendrycks_math_geometry_2025-08-14T17-30-20.695206.jsonl",
			`{"doc_id": 0, "doc": {"problem": "P", "answer": "1"}, "target": "1", "resps": [["r"]], "filtered_resps": ["r"], "filter": "none"}`,
			"lm-eval", "hendrycks_math", "lm-eval task hendrycks_math_geometry (from the file name), of the task family hendrycks_math"},
		{"lm-eval task without subtasks", "out/samples_gsm8k_2025-08-07T11-42-40.066002.jsonl",
			`{"doc_id": 0, "doc": {"question": "Q", "answer": "#### 1"}, "target": "#### 1", "resps": [["r"]], "filtered_resps": ["r"], "filter": "strict-match"}`,
			"lm-eval", "gsm8k", "lm-eval task gsm8k (from the file name)"},
		{"lm-eval task in the record", "out/gens.jsonl",
			`{"doc_id": 0, "task": "minerva_math_algebra", "doc": {"problem": "P"}, "target": "1", "resps": [["r"]], "filtered_resps": ["r"]}`,
			"lm-eval", "minerva_math", "from the records' task field"},
		{"lm-eval without a task", "out/gens.jsonl",
			`{"doc_id": 0, "doc": {"problem": "P"}, "target": "1", "resps": [["r"]], "filtered_resps": ["r"]}`,
			"lm-eval", EvalsetCustom, "names no task"},
		{"toolkit data folder", "outputs/math500/test_qwen25-math-cot_-1_seed0_t0.0_s0_e-1.jsonl",
			`{"idx": 0, "question": "Q", "gt": "1", "code": ["r"], "pred": ["1"]}`,
			"qwen-eval", "math500", "data folder math500/"},
		{"toolkit predecessor (no _s_e)", "outputs/aime24/test_tool-integrated_-1_seed0_t0.0.jsonl",
			`{"idx": 0, "question": "Q", "gt": "1", "code": ["r"], "pred": ["1"]}`,
			"qwen-eval", "aime24", "data folder aime24/"},
		{"toolkit-like file named otherwise", "outputs/math500/mine.jsonl",
			`{"idx": 0, "question": "Q", "gt": "1", "code": ["r"], "pred": ["1"]}`,
			"qwen-eval", EvalsetCustom, "not named as the Qwen2.5-Math toolkit"},
		{"spurious-rewards dataset field", "x/Qwen2.5-Math-7B_MATH-500.json",
			`{"dataset": "MATH-500", "model": "m", "rollouts": 1, "metadata": [{"prompt": "p", "label": "1", "index": 0, "outputs": ["r"]}]}`,
			"spurious-rewards", "MATH-500", `"dataset" field`},
		{"nemo-skills outside eval-results", "x/output-rs0.jsonl",
			`{"problem": "P", "expected_answer": "1", "generation": "g", "symbolic_correct": true}`,
			"nemo-skills", EvalsetCustom, "not under eval-results"},
		{"canonical", "x/gens.jsonl", `{"problem_id": "test/algebra/1.json", "response": "r"}`, "canonical", EvalsetCustom, "names no task or dataset"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), tc.rel)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(tc.content+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			recs, rejs, res := readSourceFile(t, "", p, nil)
			if res.Format != tc.format || len(recs) != 1 || len(rejs) != 0 {
				t.Fatalf("format %q, %d records, %d rejects", res.Format, len(recs), len(rejs))
			}
			if res.Evalset.Name != tc.want || !strings.Contains(res.Evalset.Why, tc.why) {
				t.Errorf("evalset %+v, want %q because %q", res.Evalset, tc.want, tc.why)
			}
		})
	}
}

// TestQwenEvalPredWithoutScore: the toolkit's predecessor writes pred and no
// score: the extraction is kept as the peer's, with no verdict.
func TestQwenEvalPredWithoutScore(t *testing.T) {
	p := filepath.Join(t.TempDir(), "math", "test_tool-integrated_-1_seed0_t0.0.jsonl")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(`{"idx": 3, "question": "Q", "gt": "2", "code": ["a \\boxed{2}", "b"], "pred": ["2", ""]}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	recs, _, _ := readSourceFile(t, "qwen-eval", p, nil)
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	for i, r := range recs {
		if r.PeerCorrect != nil || r.PeerMetric != "" || r.PeerCompared != PeerComparedExtraction {
			t.Errorf("record %d: %+v", i, r)
		}
	}
	if recs[0].PeerExtracted == nil || *recs[0].PeerExtracted != "2" || recs[1].PeerExtracted != nil {
		t.Errorf("extractions %v, %v", recs[0].PeerExtracted, recs[1].PeerExtracted)
	}
}
