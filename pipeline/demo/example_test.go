package demo_test

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/rlvr-eval/rlvr-eval/pipeline/demo"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

func ExampleGenerate() {
	tmp, err := os.MkdirTemp("", "demo-corpus")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(tmp)

	c, err := demo.Generate(filepath.Join(tmp, "corpus"))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Problems, "problems,", len(c.Checkpoints), "checkpoints,", c.SamplesPerProblem, "samples each:", c.Samples(), "responses")
	fmt.Println(c.Checkpoints[0].File)
	// Output:
	// 44 problems, 57 checkpoints, 8 samples each: 20064 responses
	// gens/Qwen2.5-Math-7B/none/step0/samples.jsonl
}

func ExampleWriteHeadline() {
	f := func(v float64) *float64 { return &v }
	base := schemas.Identity{Family: "qwen2.5-math", Model: "Qwen2.5-Math-7B", Reward: "none", Evalset: "demo-math"}.WithCheckpoint()
	random := schemas.Identity{Family: "qwen2.5-math", Model: "Qwen2.5-Math-7B", Reward: "random", Step: 150, Evalset: "demo-math"}.WithCheckpoint()
	metrics := []schemas.Metric{
		{Identity: base, Profile: "strict", Subset: "all", Metric: "code_reasoning_rate", Value: f(0.65)},
		{Identity: random, Profile: "strict", Subset: "all", Metric: "code_reasoning_rate", Value: f(0.93)},
	}
	comps := []schemas.Comparison{{
		Identity: random, Subset: "all", Metric: "accuracy", BaselineCheckpoint: base.Checkpoint,
		BaselineValue: f(0.54), Value: f(0.68), Delta: f(0.14), DeltaCILow: f(0.09), DeltaCIHigh: f(0.19),
		PValue: f(0.0002), QValue: f(0.0009), NProblems: 44, Method: schemas.MethodSignFlip,
	}}
	cross := int64(4)
	bounds := []schemas.Boundary{{
		Identity: random, BaselineCheckpoint: base.Checkpoint, Profile: "strict", Subset: "all", N: 8,
		CrossoverK: &cross, Crossover: schemas.CrossoverFound, Coverage: 0.80, BaselineCoverage: 0.84,
		CoverageDelta: -0.04, CoverageQValue: f(0.3), Gained: 1, Lost: 3,
	}}
	if err := demo.WriteHeadline(os.Stdout, metrics, comps, bounds); err != nil {
		panic(err)
	}
	// Output:
	// Spurious Rewards headline table — SYNTHETIC DEMO CORPUS (made-up responses, not real model output)
	// Accuracy (avg@n, %) on demo-math at each reward condition's latest training step, against the untrained
	// model (reward none, step 0), paired by problem. Code = share of responses that mention "python".
	//
	// family        model            reward       step  acc %  delta pts  95% CI (pts)   p       q       problems  cross k  coverage delta  code before  code after
	// ------------  ---------------  -----------  ----  -----  ---------  -------------  ------  ------  --------  -------  --------------  -----------  ----------
	// qwen2.5-math  Qwen2.5-Math-7B  none (base)     0   54.0                                                                                       65%
	//                                random        150   68.0     +14.0*  [+9.0, +19.0]  <0.001  <0.001        44        4  -4.0 (+1/-3)            65%         93%
	//
	// delta: accuracy minus the baseline's, in percentage points, marked * only when its q-value is below
	// 0.05 (q: Benjamini-Hochberg over the run's accuracy comparisons; a small p alone marks nothing).
	// 95% CI [lo, hi], from the same procedure as p:
	//   signflip-midp95: the shifts a two-sided paired sign-flip test (mid-p) does not reject at 5%, over problems
	// cross k: the smallest k at which the baseline's pass@k reaches the checkpoint's (>n: the checkpoint
	// stays ahead through n samples; behind: not ahead at k=1). coverage delta: problems solved at least once
	// among the first n samples, checkpoint minus baseline, in points (problems gained/lost), * when q < 0.05.
}
