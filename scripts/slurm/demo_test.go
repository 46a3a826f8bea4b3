package slurm_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// buildBinary builds the real rlvr-eval into dir.
func buildBinary(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(dir, "rlvr-eval")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/rlvr-eval/rlvr-eval/cmd/rlvr-eval")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestShardedDemoOnSlurm submits the shipped array (4 tasks of the real
// binary) and its dependent merge on the demo corpus, and compares the
// merged tables with those `rlvr-eval demo` (make demo) writes from one run;
// then re-runs task 2 alone with a new merge (--only 2): the same tables.
func TestShardedDemoOnSlurm(t *testing.T) {
	env := cluster(t)
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	bin := buildBinary(t, dir)
	demo := filepath.Join(dir, "demo")
	if out, err := exec.Command(bin, "demo", "--out", demo).CombinedOutput(); err != nil {
		t.Fatalf("rlvr-eval demo: %v\n%s", err, out)
	}
	out := filepath.Join(dir, "run")
	args := []string{"--config", filepath.Join(demo, "corpus", "eval.yaml"), "--out", out, "--shards", "4", "--cpus", "1", "--mem", "500M",
		"--time", "00:10:00", "--merge-time", "00:10:00", "--bin", bin}
	check := func(ids []string, tasks ...int) {
		t.Helper()
		if len(ids) != 2 {
			t.Fatalf("submit.sh printed job ids %v, want an array and a merge", ids)
		}
		states := wait(t, env, ids...)
		for _, i := range tasks {
			if got := states[fmt.Sprintf("%s_%d", ids[0], i)]; got != "COMPLETED" {
				t.Errorf("shard task %d: %s (states %v)", i, got, states)
			}
		}
		if got := states[ids[1]]; got != "COMPLETED" {
			logs, _ := filepath.Glob(filepath.Join(out, "_slurm", "merge-*.out"))
			var b []byte
			for _, l := range logs {
				x, _ := os.ReadFile(l)
				b = append(b, x...)
			}
			t.Fatalf("merge: %s\n%s", got, b)
		}
		for _, name := range []string{"problems.parquet", "metrics.parquet", "comparisons.parquet", "transitions.parquet"} {
			a, err := os.ReadFile(filepath.Join(demo, name))
			if err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(out, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a, b) {
				t.Errorf("%s: the Slurm run's merge differs from make demo's", name)
			}
		}
	}
	check(submit(t, env, args...), 0, 1, 2, 3)
	for _, name := range []string{"metrics.parquet", "run.json"} {
		os.Remove(filepath.Join(out, name))
	}
	check(submit(t, env, append(args, "--only", "2")...), 2)
}
