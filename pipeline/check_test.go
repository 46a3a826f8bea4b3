package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

func checkTree(t *testing.T, dir string, o CheckOptions, opts ...LoadOption) *CheckReport {
	t.Helper()
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Check(context.Background(), cfg, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// familyOfTree is qwenTree with the checkpoint from a template and a
// family_of whose key is a prefix of the model, not the model.
func familyOfTree(t *testing.T, key string) string {
	dir := qwenTree(t, 50, 8, nil, nil)
	os.WriteFile(filepath.Join(dir, "eval.yaml"), []byte(`
evalset: {name: syn, path: ev.jsonl}
runs:
  - template: "gens/{model}/s{step}.jsonl"
    reward: none
    family_of: {`+key+`: qwen2.5-math, Llama-3.1-8B: llama}
`), 0o644)
	return dir
}

// Mistake 1: a family_of key ("Qwen2.5-Math") that does not match the model
// ("Qwen2.5-Math-7B"). validate's check fails the gate, and the reason names
// the model and the closest key; run's reject says the same.
func TestCheckFamilyOfMismatch(t *testing.T) {
	dir := familyOfTree(t, "Qwen2.5-Math")
	rep := checkTree(t, dir, CheckOptions{Records: 40})
	if len(rep.Failures) == 0 || !strings.Contains(rep.Failures[0], "40 of 40 samples of the first 40 records of each file would be rejected") {
		t.Fatalf("failures %q", rep.Failures)
	}
	f := rep.Files[0]
	if f.Complete || f.Graded != 0 || f.Rejects != 40 || len(f.Reasons) == 0 {
		t.Fatalf("file %+v", f)
	}
	want := `family_of has no key for model "Qwen2.5-Math-7B" (closest: "Qwen2.5-Math")`
	if !strings.Contains(f.Reasons[0].Error, want) {
		t.Errorf("reason %q lacks %q", f.Reasons[0].Error, want)
	}
	// The run rejects every record with the same message.
	_, out, err := runTree(t, dir)
	if err == nil {
		t.Fatal("run passed")
	}
	ex := firstReject(t, out)
	if !strings.Contains(ex, want) {
		t.Errorf("run's reject %q lacks %q", ex, want)
	}
	// Metamorphic: with the model's own key, the same files pass both.
	good := familyOfTree(t, "Qwen2.5-Math-7B")
	if rep := checkTree(t, good, CheckOptions{Records: -1}); len(rep.Failures) != 0 || !rep.Complete || rep.Graded != 400 {
		t.Errorf("good config: failures %q, complete %v, graded %d", rep.Failures, rep.Complete, rep.Graded)
	}
	if _, _, err := runTree(t, good); err != nil {
		t.Errorf("good config: run: %v", err)
	}
}

// Mistake 2: an evalset that does not contain the files' problems.
func TestCheckEvalsetWithoutTheProblems(t *testing.T) {
	dir := qwenTree(t, 50, 8, nil, nil)
	var ev strings.Builder
	for i := range 50 {
		fmt.Fprintf(&ev, `{"unique_id": "other/%d", "problem": "Find %d squared.", "answer": "%d"}`+"\n", i, i, i*i)
	}
	os.WriteFile(filepath.Join(dir, "ev.jsonl"), []byte(ev.String()), 0o644)
	rep := checkTree(t, dir, CheckOptions{})
	if len(rep.Failures) == 0 || rep.Graded != 0 {
		t.Fatalf("failures %q graded %d", rep.Failures, rep.Graded)
	}
	r := rep.Files[0].Reasons
	if len(r) == 0 || !strings.Contains(r[0].Error, `problem not in evalset syn: no problem with the text "What is 0 + 1?"`) {
		t.Errorf("reasons %+v", r)
	}
	// Reading whole files checks coverage too: half the problems missing.
	half := qwenTree(t, 50, 8, nil, nil)
	b, _ := os.ReadFile(filepath.Join(half, "gens/Qwen2.5-Math-7B/s0.jsonl"))
	lines := strings.SplitAfter(string(b), "\n")
	os.WriteFile(filepath.Join(half, "gens/Qwen2.5-Math-7B/s0.jsonl"), []byte(strings.Join(lines[:25], "")), 0o644)
	rep = checkTree(t, half, CheckOptions{Records: -1})
	if len(rep.Failures) != 1 || !strings.Contains(rep.Failures[0], "would grade 25 of 50 problems (50.0%), below min_coverage 100%") {
		t.Errorf("failures %q", rep.Failures)
	}
	// In part, coverage is not judged, and said so.
	rep = checkTree(t, half, CheckOptions{Records: 16})
	if len(rep.Failures) != 0 || len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "coverage (min_coverage) not checked") {
		t.Errorf("failures %q notes %q", rep.Failures, rep.Notes)
	}
}

// A configured baseline that names no checkpoint of the files: validate
// fails when every file names its checkpoint (nothing later can add it).
func TestCheckConfiguredBaseline(t *testing.T) {
	dir := baselineTree(t, "baselines: {M/random/step10: M/none/step0}")
	rep := checkTree(t, dir, CheckOptions{Records: 1})
	if len(rep.Failures) != 1 || !strings.Contains(rep.Failures[0], `baseline M/none/step0 is not a checkpoint of the files (closest: "N/none/step0"`) {
		t.Errorf("failures %q", rep.Failures)
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"Qwen2.5-Math", "Llama-3.1-8B", "OLMo-2-1124-7B"}
	for v, want := range map[string]string{
		"Qwen2.5-Math-7B": `(closest: "Qwen2.5-Math")`,
		"llama-3.1-8b":    `(closest: "Llama-3.1-8B")`,
		"Llama-3.1-70B":   `(closest: "Llama-3.1-8B")`,
		"Mistral":         `(keys: "Llama-3.1-8B", "OLMo-2-1124-7B", "Qwen2.5-Math")`,
	} {
		if got := closest(v, keys); !strings.Contains(got, want) {
			t.Errorf("closest(%q) = %q, want %q", v, got, want)
		}
	}
	if closest("x", nil) != "" {
		t.Error("no keys")
	}
	for _, c := range [][3]any{{"", "", 0}, {"abc", "", 3}, {"kitten", "sitting", 3}, {"flaw", "lawn", 2}} {
		if d := editDistance(c[0].(string), c[1].(string)); d != c[2].(int) {
			t.Errorf("editDistance(%q, %q) = %d", c[0], c[1], d)
		}
	}
}

func firstReject(t *testing.T, out string) string {
	t.Helper()
	rs, err := write.ReadParquet[schemas.Reject](filepath.Join(out, "rejects.parquet"))
	if err != nil || len(rs) == 0 {
		t.Fatalf("rejects: %v (%d)", err, len(rs))
	}
	return rs[0].Error
}
