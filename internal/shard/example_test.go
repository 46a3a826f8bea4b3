package shard_test

import (
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/internal/shard"
)

func ExampleResolve() {
	// A re-run of task 7 alone (sbatch --array=7): Slurm says the array has
	// one task; the configured count keeps the shard 7 of 8.
	env := map[string]string{"SLURM_ARRAY_TASK_ID": "7", "SLURM_ARRAY_TASK_COUNT": "1", "SLURM_ARRAY_TASK_MIN": "7"}
	s, ok, err := shard.Resolve("", 8, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	fmt.Println(s, ok, err)
	// Output: 7/8 true <nil>
}

func ExampleAssign() {
	items := []shard.Item{
		{Checkpoint: "qwen/random/step100", Path: "gens/qwen/random/step100/seed0.jsonl", Size: 900},
		{Checkpoint: "qwen/random/step100", Path: "gens/qwen/random/step100/seed1.jsonl", Size: 900},
		{Checkpoint: "qwen/none/step0", Path: "gens/qwen/none/step0/seed0.jsonl", Size: 1000},
		{Checkpoint: "qwen/format/step100", Path: "gens/qwen/format/step100/seed0.jsonl", Size: 700},
	}
	for s, idx := range shard.Assign(items, 2) {
		fmt.Print("shard ", s, ":")
		for _, i := range idx {
			fmt.Print(" ", items[i].Path)
		}
		fmt.Println()
	}
	// Output:
	// shard 0: gens/qwen/random/step100/seed0.jsonl gens/qwen/random/step100/seed1.jsonl
	// shard 1: gens/qwen/none/step0/seed0.jsonl gens/qwen/format/step100/seed0.jsonl
}
