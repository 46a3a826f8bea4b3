package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

// fileHead returns the first 64 KiB of a file, what detection sees.
func fileHead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	return b
}

// detectedBy lists the tool formats (of this file's readers) whose Detect
// accepts the file.
func detectedBy(t testing.TB, path string, head []byte) []string {
	t.Helper()
	var got []string
	for _, name := range toolFormats {
		f, ok := Lookup(name)
		if !ok {
			t.Fatalf("format %q not registered", name)
		}
		if f.Detect(path, head) {
			got = append(got, name)
		}
	}
	return got
}

// firstDetected is the format detection picks: the first registered format, in
// priority order, that accepts the file.
func firstDetected(path string, head []byte) string {
	for _, f := range Formats() {
		if f.Detect != nil && f.Detect(path, head) {
			return f.Name
		}
	}
	return ""
}

func TestDetectToolFormats(t *testing.T) {
	files := map[string][]string{}
	for _, name := range toolFormats {
		files[name] = fixtureFiles(t, name)
	}
	dir := t.TempDir()
	lt := filepath.Join(dir, "details_lighteval|math_500|0_2025-05-01T12-00-00.parquet")
	writeParquet(t, lt, []ltRow{{Doc: ltDoc{Query: "q", Choices: []string{"1"}}, ModelResponse: ltResponse{Text: []string{"r"}}}})
	renamed := filepath.Join(dir, "math500_run3.parquet") // not a details_ name: found by its schema
	writeParquet(t, renamed, []ltFlatRow{{Example: "q", Predictions: []string{"r"}, Gold: []string{"1"}}})
	files["lighteval"] = append(files["lighteval"], lt, renamed)

	for want, paths := range files {
		if len(paths) == 0 {
			t.Errorf("no fixture for %s", want)
		}
		for _, p := range paths {
			head := fileHead(t, p)
			got := detectedBy(t, p, head)
			if len(got) != 1 || got[0] != want {
				t.Errorf("%s: detected by %v, want only %s", p, got, want)
			}
			if first := firstDetected(p, head); first != want {
				t.Errorf("%s: detection picks %q, want %q", p, first, want)
			}
		}
	}
}

func TestDetectNoFalsePositives(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	type other struct {
		A string `parquet:"a"`
	}
	foreign := filepath.Join(dir, "table.parquet")
	writeParquet(t, foreign, []other{{"x"}})
	cases := map[string]string{
		"canonical per sample":       write("gens.jsonl", `{"problem_id": "test/algebra/1.json", "response": "r", "sample_idx": 0, "gold": "1"}`+"\n"),
		"canonical per problem":      write("gens2.jsonl", `{"problem_id": "test/algebra/1.json", "responses": ["a", "b"], "model": "m", "step": 10}`+"\n"),
		"qwen-eval":                  write("test_qwen25-math-cot_-1_seed0_t0.6_s0_e-1.jsonl", `{"idx": 0, "question": "Q", "gt": "1", "answer": "1", "code": ["r"], "pred": ["1"], "score": [true]}`+"\n"),
		"nemo-skills keys, any name": write("results.jsonl", `{"problem": "P", "expected_answer": "1", "generation": "g", "predicted_answer": "1", "symbolic_correct": true}`+"\n"),
		"per-sample named output":    write("output.jsonl", `{"question_id": 0, "generation_id": 0, "response": "r", "label": true, "gold_answer": "1", "pred_answer": "1"}`+"\n"),
		"plain JSON document":        write("config.json", `{"model": "m", "temperature": 0.6, "rollouts": 4}`),
		"openai batch input":         write("batch_input.jsonl", `{"custom_id": "p#0", "method": "POST", "url": "/v1/chat/completions", "body": {"model": "m", "messages": []}}`+"\n"),
		"lm-eval results summary":    write("results_2025-01-01T00-00-00.json", `{"results": {"math": {"exact_match,none": 0.5}}, "configs": {}, "versions": {}}`),
		"foreign parquet":            foreign,
		"empty":                      write("details_empty.parquet", ""),
		"text":                       write("notes.txt", "custom_id response doc_id resps metadata\n"),
	}
	want := map[string][]string{"per-sample named output": {"per-sample-labeled"}}
	for name, p := range cases {
		got := detectedBy(t, p, fileHead(t, p))
		if len(got) != len(want[name]) || (len(got) == 1 && got[0] != want[name][0]) {
			t.Errorf("%s: detected by %v, want %v", name, got, want[name])
		}
	}
	// The real Qwen2.5-Math toolkit output must not be taken for any of these formats.
	real := realdata.Path(t, "gens/qwen25-math-cot-8x50.jsonl")
	if got := detectedBy(t, real, fileHead(t, real)); len(got) != 0 {
		t.Errorf("real qwen-eval file detected by %v", got)
	}
}

// TestDetectLongFirstRecord: a first record longer than the 64 KiB sniffed
// head (a long response) must still be recognised from the keys before the cut.
func TestDetectLongFirstRecord(t *testing.T) {
	long := strings.Repeat("a long chain of thought ", 6000) // ~140 KB
	dir := t.TempDir()
	cases := map[string]struct{ name, line string }{
		"per-sample-labeled": {"MATH-500-test.jsonl", `{"prompt": "p", "vanilla_response": "` + long + `", "question": "q", "answer": "a", "question_id": 0, "generation_id": 0, "response": "r", "label": true, "gold_answer": "1", "pred_answer": "1"}`},
		"lm-eval":            {"samples_math_x.jsonl", `{"doc_id": 0, "doc": {"problem": "p"}, "target": "1", "arguments": {}, "resps": [["` + long + `"]], "filtered_resps": ["1"]}`},
		"nemo-skills":        {"output-rs2.jsonl", `{"problem": "p", "expected_answer": "1", "generation": "` + long + `", "predicted_answer": "1", "symbolic_correct": true}`},
		"openai-batch":       {"out.jsonl", `{"id": "batch_req_1", "custom_id": "p#0", "response": {"status_code": 200, "body": {"choices": [{"message": {"content": "` + long + `"}}]}}, "error": null}`},
		"spurious-rewards":   {"m_MATH-500.json", "{\n    \"avg@1\": 0.5,\n    \"dataset\": \"MATH-500\",\n    \"model\": \"m\",\n    \"rollouts\": 1,\n    \"metadata\": [{\"prompt\": \"p\", \"label\": \"1\", \"index\": 0, \"outputs\": [\"" + long + "\"]}]}"},
	}
	for want, c := range cases {
		p := filepath.Join(dir, c.name)
		if err := os.WriteFile(p, []byte(c.line+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		head := fileHead(t, p)
		if got := detectedBy(t, p, head); len(got) != 1 || got[0] != want {
			t.Errorf("%s: detected by %v, want %s", want, got, want)
		}
		if first := firstDetected(p, head); first != want {
			t.Errorf("%s: detection picks %q", want, first)
		}
	}
}
