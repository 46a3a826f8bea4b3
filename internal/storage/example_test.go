package storage_test

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/internal/storage"
)

func ExampleParse() {
	run := storage.MustParse("s3://lab-evals/runs/2026-12-02?endpoint=http://127.0.0.1:9000&use_path_style=true&region=us-east-1")
	fmt.Println(run.Scheme(), run.Bucket(), run.Key())
	// Every derived location keeps the driver's query.
	fmt.Println(run.Join("samples", "family=qwen2.5-math", "reward=random", "part-0-of-4.parquet"))
	fmt.Println(run.Join("run.json").WithoutQuery())
	local := storage.MustParse("out/run")
	fmt.Println(local.IsLocal(), local.Join("run.json"))
	// Output:
	// s3 lab-evals runs/2026-12-02
	// s3://lab-evals/runs/2026-12-02/samples/family=qwen2.5-math/reward=random/part-0-of-4.parquet?endpoint=http://127.0.0.1:9000&use_path_style=true&region=us-east-1
	// s3://lab-evals/runs/2026-12-02/run.json
	// true out/run/run.json
}

func ExampleResolve() {
	cfgDir := storage.MustParse("s3://lab-evals/configs?region=eu-west-1")
	for _, p := range []string{"gens/{model}/step{step}.jsonl", "../evalsets/math500.jsonl", "/data/local.jsonl", "gs://other/x.jsonl"} {
		l, _ := storage.Resolve(cfgDir, p)
		fmt.Println(l)
	}
	// Output:
	// s3://lab-evals/configs/gens/%7Bmodel%7D/step%7Bstep%7D.jsonl?region=eu-west-1
	// s3://lab-evals/evalsets/math500.jsonl?region=eu-west-1
	// /data/local.jsonl
	// gs://other/x.jsonl
}
