package ingest

import "testing"

// Whole-file fuzz targets for the readers whose other targets fuzz one line
// (qwen-eval, canonical): through Read and through File + ReadSource.

func FuzzReadQwenEval(f *testing.F) {
	f.Add([]byte(`{"idx": 4, "question": "Q?", "gt": "420", "level": "Level 3", "code": ["a", "b"], "pred": ["420", ["1"]], "score": [true, null]}` + "\n" +
		`{"idx": 5, "question": "R", "gt": "1", "code": ["c"], "pred": ["1"]}` + "\n"))
	f.Add([]byte(`{"idx": 0, "code": [1, "x"], "level": 2, "finish_reason": [null, "stop"]}` + "\n{broken\n"))
	f.Add([]byte(`{"results": {"math": {"acc": 1}}, "configs": {}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReaderContract(t, "qwen-eval", "test_qwen25-math-cot_-1_seed0_t0.0_s0_e-1.jsonl", data, true)
		fuzzSourceContract(t, "qwen-eval", "test_qwen25-math-cot_-1_seed0_t0.0_s0_e-1.jsonl", data, nil)
	})
}

func FuzzReadCanonical(f *testing.F) {
	f.Add([]byte(`{"problem_id": "p1", "response": "x", "sample_idx": 0, "gold": "2"}` + "\n" +
		`{"problem_id": 3, "responses": ["a", {"response": "b"}, null], "model": "m", "step": 1}` + "\n"))
	f.Add([]byte("\xef\xbb\xbf" + `{"problem": "What?", "response": ""}` + "\n[1,2]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzReaderContract(t, "canonical", "gens.jsonl", data, true)
		fuzzSourceContract(t, "canonical", "gens.jsonl", data, nil)
	})
}
