package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/pipeline/demo"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

var demoTables = schemas.RunTables()

// TestDemo runs `rlvr-eval demo` into two folders (and once more into the
// first), checks that every table is byte-identical across runs, and that the
// comparisons table shows the Spurious Rewards pattern the corpus was built
// to show.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole pipeline three times")
	}
	a := filepath.Join(t.TempDir(), "demo")
	b := filepath.Join(t.TempDir(), "demo")
	stdout, err := execute(t, "demo", "--out", a)
	if err != nil {
		t.Fatalf("demo --out %s: %v\n%s", a, err, stdout)
	}
	if _, err := execute(t, "demo", "--out", b); err != nil {
		t.Fatalf("demo --out %s: %v", b, err)
	}
	// A second run into the same folder replaces the corpus and the tables.
	again, err := execute(t, "demo", "--out", a)
	if err != nil {
		t.Fatalf("demo --out %s, second time: %v", a, err)
	}
	if again != stdout {
		t.Errorf("stdout differs between two runs into the same folder")
	}
	for _, name := range demoTables {
		pa, err := os.ReadFile(filepath.Join(a, name+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		pb, err := os.ReadFile(filepath.Join(b, name+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(pa, pb) {
			t.Errorf("%s.parquet differs between two demo runs", name)
		}
	}
	for _, want := range []string{"SYNTHETIC", "Spurious Rewards headline table", "qwen2.5-math", "llama3.1", "olmo2"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("demo output lacks %q:\n%s", want, stdout)
		}
	}

	comps, err := write.ReadParquet[schemas.Comparison](filepath.Join(a, "comparisons.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	acc := func(family, reward string) (delta, p float64) {
		t.Helper()
		for _, c := range comps {
			if c.Family == family && c.Reward == reward && c.Step == demo.Steps[len(demo.Steps)-1] &&
				c.Subset == "all" && c.Metric == "accuracy" && c.K == nil {
				if c.Delta == nil || c.PValue == nil {
					t.Fatalf("%s %s: null delta or p-value", family, reward)
				}
				return *c.Delta, *c.PValue
			}
		}
		t.Fatalf("no accuracy comparison for %s %s at the last step", family, reward)
		return math.NaN(), math.NaN()
	}
	for _, r := range []string{"ground_truth", "random", "incorrect", "format"} {
		if d, p := acc("qwen2.5-math", r); d <= 0.05 || p >= 0.05 {
			t.Errorf("qwen2.5-math %s: delta %.3f p %.4f, want > 0.05 with p < 0.05", r, d, p)
		}
	}
	for _, f := range []string{"llama3.1", "olmo2"} {
		if d, p := acc(f, "ground_truth"); d <= 0 || p >= 0.05 {
			t.Errorf("%s ground_truth: delta %.3f p %.4f, want a significant gain", f, d, p)
		}
		for _, r := range []string{"random", "incorrect", "format"} {
			if d, p := acc(f, r); d > 0 && p < 0.05 {
				t.Errorf("%s %s: delta %.3f p %.4f, want no significant gain", f, r, d, p)
			}
		}
	}

	// Code reasoning: Qwen2.5-Math from about 65% to about 90% under spurious rewards.
	metrics, err := write.ReadParquet[schemas.Metric](filepath.Join(a, "metrics.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	code := map[string]float64{}
	for _, m := range metrics {
		if m.Metric == "code_reasoning_rate" && m.Subset == "all" && m.Value != nil {
			code[m.Checkpoint] = *m.Value
		}
	}
	last := demo.Steps[len(demo.Steps)-1]
	if c := code[schemas.CheckpointID("Qwen2.5-Math-7B", "none", 0, nil)]; c < 0.55 || c > 0.75 {
		t.Errorf("qwen2.5-math baseline code_reasoning_rate %.3f, want about 0.65", c)
	}
	if c := code[schemas.CheckpointID("Qwen2.5-Math-7B", "random", last, nil)]; c < 0.85 {
		t.Errorf("qwen2.5-math random code_reasoning_rate %.3f, want ≥ 0.85", c)
	}

	// The grader finds exactly the correct answers the generator planted,
	// including the equivalent forms (\frac{6}{8}, 0.75, x = 6, 135 for 135^\circ).
	corpus, err := demo.Generate(filepath.Join(t.TempDir(), "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	problems, err := write.ReadParquet[schemas.Problem](filepath.Join(a, "problems.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	graded := map[string]int64{}
	for _, p := range problems {
		graded[p.Checkpoint] += p.NCorrect
	}
	for _, ck := range corpus.Checkpoints {
		id := schemas.CheckpointID(ck.Model, ck.Reward, ck.Step, ck.Seed)
		if graded[id] != int64(ck.LatentCorrect) {
			t.Errorf("%s: the grader found %d correct responses, the generator planted %d", id, graded[id], ck.LatentCorrect)
		}
	}
}
