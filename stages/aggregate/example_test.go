package aggregate_test

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
)

// A base model and a trained checkpoint, two problems, two samples each.
func Example() {
	answer := func(s string) *string { return &s }
	sample := func(reward string, step int64, problem string, idx int64, ext string, ok, code bool) schemas.Sample {
		id := schemas.Identity{Family: "qwen2.5-math", Model: "Qwen2.5-Math-7B", Reward: reward, Step: step, Evalset: "math500"}.WithCheckpoint()
		return schemas.Sample{Identity: id, ProblemID: problem, Subject: "Algebra", Level: 2, SampleIdx: idx,
			Extracted: answer(ext), Correct: ok, CodeReasoning: code, ResponseChars: 100}
	}
	a := aggregate.New(aggregate.Options{})
	a.Add([]schemas.Sample{
		sample("none", 0, "p1", 0, "3", true, false),
		sample("none", 0, "p1", 1, "4", false, false),
		sample("none", 0, "p2", 0, "7", false, false),
		sample("none", 0, "p2", 1, "7", false, true),
	})
	a.Add([]schemas.Sample{
		sample("random", 100, "p1", 0, "3", true, true),
		sample("random", 100, "p1", 1, "3", true, true),
		sample("random", 100, "p2", 1, "5", true, true),
		sample("random", 100, "p2", 0, "7", false, true),
	})
	t, err := a.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range t.Metrics {
		if m.Subset == "all" && (m.Metric == "accuracy" || m.Metric == "pass@k" || m.Metric == "maj@k") {
			fmt.Printf("%s %s k=%v %.3f\n", m.Checkpoint, m.Metric, deref(m.K), *m.Value)
		}
	}
	for _, c := range t.Comparisons {
		if c.Subset == "all" && c.Metric == "accuracy" {
			fmt.Printf("delta %.2f vs %s, wins %d losses %d ties %d\n", *c.Delta, c.BaselineCheckpoint, c.Wins, c.Losses, c.Ties)
		}
	}
	for _, tr := range t.Transitions {
		fmt.Printf("%s: %d problems\n", tr.Bucket, tr.NProblems)
	}
	// Output:
	// Qwen2.5-Math-7B/none/step0 accuracy k=- 0.250
	// Qwen2.5-Math-7B/none/step0 pass@k k=1 0.250
	// Qwen2.5-Math-7B/none/step0 pass@k k=2 0.500
	// Qwen2.5-Math-7B/none/step0 maj@k k=1 0.500
	// Qwen2.5-Math-7B/none/step0 maj@k k=2 0.250
	// Qwen2.5-Math-7B/random/step100 accuracy k=- 0.750
	// Qwen2.5-Math-7B/random/step100 pass@k k=1 0.750
	// Qwen2.5-Math-7B/random/step100 pass@k k=2 1.000
	// Qwen2.5-Math-7B/random/step100 maj@k k=1 0.500
	// Qwen2.5-Math-7B/random/step100 maj@k k=2 0.750
	// delta 0.50 vs Qwen2.5-Math-7B/none/step0, wins 2 losses 0 ties 0
	// code->code: 0 problems
	// code->lang: 0 problems
	// lang->code: 2 problems
	// lang->lang: 0 problems
}

func deref(k *int64) string {
	if k == nil {
		return "-"
	}
	return fmt.Sprint(*k)
}

// pass@k for one problem: 16 samples, 3 correct.
func ExamplePassAtK() {
	for _, k := range []int{1, 4, 16, 32} {
		fmt.Printf("pass@%d = %.4f\n", k, aggregate.PassAtK(16, 3, k))
	}
	// Output:
	// pass@1 = 0.1875
	// pass@4 = 0.6071
	// pass@16 = 1.0000
	// pass@32 = NaN
}

// The 95% Wilson interval used for subsets under 50 problems.
func ExampleWilson() {
	lo, hi := aggregate.Wilson(0.5, 10)
	fmt.Printf("[%.3f, %.3f]\n", lo, hi)
	// Output: [0.237, 0.763]
}

// Checkpoints fed one after another: each is sealed once its last sample is
// in, so only one checkpoint's samples are held at a time.
func ExampleAggregator_Seal() {
	a := aggregate.New(aggregate.Options{Bootstrap: 100, Permutations: 100})
	for step := int64(0); step <= 200; step += 100 {
		reward := "random"
		if step == 0 {
			reward = "none"
		}
		id := schemas.Identity{Family: "f", Model: "M", Reward: reward, Step: step, Evalset: "math500"}.WithCheckpoint()
		var batch []schemas.Sample
		for p := 0; p < 4; p++ {
			for i := int64(0); i < 4; i++ {
				ok := int64(p)+i < 2+step/50 // later steps get more right
				batch = append(batch, schemas.Sample{Identity: id, ProblemID: fmt.Sprintf("p%d", p), SampleIdx: i, Correct: ok})
			}
		}
		a.Add(batch)
		a.Seal(id.Checkpoint)
	}
	t, err := a.Result()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, m := range t.Metrics {
		if m.Subset == "all" && m.Metric == "accuracy" {
			fmt.Printf("%s accuracy %.4f\n", m.Checkpoint, *m.Value)
		}
	}
	// Output:
	// M/none/step0 accuracy 0.1875
	// M/random/step100 accuracy 0.6250
	// M/random/step200 accuracy 0.9375
}
