package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/pipeline/demo"
)

// TestShardCommands runs the demo corpus as 3 shards through the CLI, one
// from --shard, one from Slurm's variables and one from a Kubernetes
// completion index with RLVR_EVAL_SHARD_COUNT; the merge refuses (exit 3,
// naming the shard) until the last shard is there, then writes the tables
// of a single run.
func TestShardCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo corpus")
	}
	c, err := demo.Generate(filepath.Join(t.TempDir(), "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	single := filepath.Join(t.TempDir(), "single")
	if out, err := execute(t, "run", "--config", c.Config, "--out", single); err != nil {
		t.Fatalf("run: %v\n%s", err, out)
	}
	run := filepath.Join(t.TempDir(), "run")
	if out, err := execute(t, "run", "--config", c.Config, "--out", run, "--shard", "0/3"); err != nil || !strings.Contains(out, "shard 0/3:") {
		t.Fatalf("run --shard 0/3: %v\n%s", err, out)
	}
	t.Setenv("SLURM_ARRAY_TASK_ID", "2")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "3")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "0")
	if out, err := execute(t, "run", "--config", c.Config, "--out", run); err != nil || !strings.Contains(out, "shard 2/3:") {
		t.Fatalf("run as Slurm task 2 of 3: %v\n%s", err, out)
	}
	os.Unsetenv("SLURM_ARRAY_TASK_ID")
	os.Unsetenv("SLURM_ARRAY_TASK_COUNT")
	os.Unsetenv("SLURM_ARRAY_TASK_MIN")

	_, err = execute(t, "merge", "--run", run)
	if exitCode(err) != 3 || !strings.Contains(err.Error(), "shard 1/3: missing") {
		t.Fatalf("merge without shard 1/3: exit %d, %v", exitCode(err), err)
	}
	if _, err := os.Stat(filepath.Join(run, "metrics.parquet")); err == nil {
		t.Fatal("a refused merge wrote metrics.parquet")
	}

	t.Setenv("JOB_COMPLETION_INDEX", "1")
	t.Setenv(envShardCount, "3")
	if out, err := execute(t, "run", "--config", c.Config, "--out", run); err != nil || !strings.Contains(out, "shard 1/3:") {
		t.Fatalf("run as completion index 1 of 3: %v\n%s", err, out)
	}
	os.Unsetenv("JOB_COMPLETION_INDEX")
	os.Unsetenv(envShardCount)
	out, err := execute(t, "merge", "--run", run, "--shard-count", "3", "--wait", "1m", "--poll", "10ms")
	if err != nil {
		t.Fatalf("merge: %v\n%s", err, out)
	}
	for _, name := range []string{"problems.parquet", "metrics.parquet", "comparisons.parquet", "transitions.parquet"} {
		a, _ := os.ReadFile(filepath.Join(single, name))
		b, _ := os.ReadFile(filepath.Join(run, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs from the single run's", name)
		}
	}

	// A shard of another count left in the folder: the merge names it and
	// refuses.
	if out, err := execute(t, "run", "--config", c.Config, "--out", run, "--shard", "1/4"); err != nil {
		t.Fatalf("run --shard 1/4: %v\n%s", err, out)
	}
	_, err = execute(t, "merge", "--run", run, "--shard-count", "3")
	if exitCode(err) != 3 || !strings.Contains(err.Error(), "shard 1/4: from a run of 4 shards, expected 3") || !strings.Contains(err.Error(), "partial/part-1-of-4.gob: written by no shard") {
		t.Fatalf("merge with a stale shard of another count: exit %d, %v", exitCode(err), err)
	}
}
