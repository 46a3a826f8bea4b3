// Package slurm_test runs the Slurm scripts beside it on a real one-node
// cluster: the one SLURM_CONF (or /etc/slurm) names when it answers, else one
// that local-cluster.sh starts for the test (root, with Debian's slurm-wlm and
// munge installed: `local-cluster.sh install`). Elsewhere it skips.
package slurm_test

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// cluster returns the environment for Slurm commands, starting a cluster for
// the test when none answers.
func cluster(t *testing.T) []string {
	t.Helper()
	if testing.Short() {
		t.Skip("Slurm test skipped in -short mode")
	}
	if _, err := exec.LookPath("sbatch"); err != nil {
		t.Skip("Slurm is not installed (sbatch not on PATH): as root, scripts/slurm/local-cluster.sh install")
	}
	env := os.Environ()
	if exec.Command("sinfo", "-h").Run() == nil {
		return env
	}
	if os.Geteuid() != 0 {
		t.Skip("no Slurm cluster answers and starting one needs root (munged, slurmd)")
	}
	dir, err := os.MkdirTemp("/var/tmp", "rlvr-slurm-test-")
	if err != nil {
		t.Fatal(err)
	}
	port := freePortPair(t)
	env = append(env, "RLVR_SLURM_DIR="+dir, fmt.Sprint("RLVR_SLURM_PORT=", port))
	start := exec.Command("./local-cluster.sh", "start")
	start.Env = env
	out, err := start.CombinedOutput()
	t.Cleanup(func() {
		stop := exec.Command("./local-cluster.sh", "stop")
		stop.Env = env
		if b, err := stop.CombinedOutput(); err != nil {
			t.Errorf("stopping the test cluster: %v\n%s", err, b)
		}
		os.RemoveAll(dir)
	})
	if err != nil {
		t.Skipf("a one-node Slurm cluster does not start here: %v\n%s", err, out)
	}
	return append(env, "SLURM_CONF="+filepath.Join(dir, "slurm.conf"))
}

// freePortPair finds a loopback port p with p+1 free too (slurmctld, slurmd).
func freePortPair(t *testing.T) int {
	for range 50 {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		p := l.Addr().(*net.TCPAddr).Port
		l2, err := net.Listen("tcp", fmt.Sprint("127.0.0.1:", p+1))
		l.Close()
		if err == nil {
			l2.Close()
			return p
		}
	}
	t.Fatal("no two consecutive free ports")
	return 0
}

// standIn is the program the scripts run in place of rlvr-eval here, so that
// a task can fail on purpose (TestShardedDemoOnSlurm runs the real binary).
// It records each call; shard 2 fails while the file fail-2 exists; merge
// fails unless every shard recorded its run.
const standIn = `#!/usr/bin/env bash
set -euo pipefail
out=$RLVR_EVAL_OUT
case $1 in
run)
  if [ -e "$out/fail-${SLURM_ARRAY_TASK_ID}" ]; then rm "$out/fail-${SLURM_ARRAY_TASK_ID}"; echo "shard ${SLURM_ARRAY_TASK_ID} fails once" >&2; exit 3; fi
  echo "$*" > "$out/run-${SLURM_ARRAY_TASK_ID}.tmp" && mv "$out/run-${SLURM_ARRAY_TASK_ID}.tmp" "$out/run-${SLURM_ARRAY_TASK_ID}" ;;
merge)
  for i in $(seq 0 $((RLVR_EVAL_SHARDS - 1))); do [ -e "$out/run-$i" ] || { echo "shard $i missing" >&2; exit 4; }; done
  echo "$*" >> "$out/merge" ;;
*) exit 64 ;;
esac
`

var jobID = regexp.MustCompile(`job (\d+)`)

func submit(t *testing.T, env []string, args ...string) []string {
	t.Helper()
	cmd := exec.Command("./submit.sh", args...)
	cmd.Env = env
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("submit.sh %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	var ids []string
	for _, m := range jobID.FindAllStringSubmatch(string(out), -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// wait polls squeue until none of the jobs is queued or running (at most 5
// minutes), then returns each job's (or array task's) final state.
func wait(t *testing.T, env []string, ids ...string) map[string]string {
	t.Helper()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		cmd := exec.Command("squeue", "-h", "-o", "%i %T %r", "-j", strings.Join(ids, ","))
		cmd.Env = env
		out, _ := cmd.Output()
		pending := strings.TrimSpace(string(out))
		// A merge whose dependency can never be met is cancelled by
		// --kill-on-invalid-dep; until then it shows DependencyNeverSatisfied.
		if pending == "" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs still queued after 5 minutes:\n%s", pending)
		}
		time.Sleep(time.Second)
	}
	states := map[string]string{}
	for _, id := range ids {
		cmd := exec.Command("scontrol", "-o", "show", "job", id)
		cmd.Env = env
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("scontrol show job %s: %v", id, err)
		}
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			f := fields(sc.Text())
			key := f["JobId"]
			if f["ArrayTaskId"] != "" {
				key = f["ArrayJobId"] + "_" + f["ArrayTaskId"]
			}
			states[key] = f["JobState"]
		}
	}
	return states
}

func fields(line string) map[string]string {
	m := map[string]string{}
	for _, w := range strings.Fields(line) {
		if k, v, ok := strings.Cut(w, "="); ok {
			m[k] = v
		}
	}
	return m
}

// TestShardArrayAndMerge submits the shipped array of 4 shards and its
// dependent merge. Shard 2 fails on its first try: the merge must not run.
// Re-running shard 2 alone (--only 2, i.e. --array=2) with a new merge
// completes the run, and the merge sees every shard.
func TestShardArrayAndMerge(t *testing.T) {
	env := cluster(t)
	dir := t.TempDir()
	os.Chmod(dir, 0o755)
	out := filepath.Join(dir, "run")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "rlvr-eval")
	if err := os.WriteFile(bin, []byte(standIn), 0o755); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "eval.yaml")
	if err := os.WriteFile(cfg, []byte("# stand-in config\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "fail-2"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--config", cfg, "--out", out, "--shards", "4", "--cpus", "1", "--mem", "200M",
		"--time", "00:05:00", "--merge-time", "00:05:00", "--bin", bin}
	ids := submit(t, env, args...)
	if len(ids) != 2 {
		t.Fatalf("submit.sh printed job ids %v, want an array and a merge", ids)
	}
	states := wait(t, env, ids...)
	for i := 0; i < 4; i++ {
		want := "COMPLETED"
		if i == 2 {
			want = "FAILED"
		}
		if got := states[fmt.Sprintf("%s_%d", ids[0], i)]; got != want {
			t.Errorf("shard task %d: %s, want %s (states %v)", i, got, want, states)
		}
	}
	if got := states[ids[1]]; got == "COMPLETED" {
		t.Fatalf("the merge ran although shard 2 failed")
	}
	if _, err := os.Stat(filepath.Join(out, "merge")); err == nil {
		t.Fatal("the merge ran although shard 2 failed")
	}
	for i := 0; i < 4; i++ {
		b, err := os.ReadFile(filepath.Join(out, fmt.Sprint("run-", i)))
		if i == 2 {
			if err == nil {
				t.Errorf("shard 2 failed but recorded a run")
			}
			continue
		}
		want := fmt.Sprintf("run --config %s --out %s --shard %d/4\n", cfg, out, i)
		if string(b) != want {
			t.Errorf("shard %d ran %q, want %q", i, b, want)
		}
	}

	// Re-run shard 2 alone, with a merge after it.
	ids2 := submit(t, env, append(args, "--only", "2")...)
	states = wait(t, env, ids2...)
	if got := states[ids2[0]+"_2"]; got != "COMPLETED" {
		t.Fatalf("re-run of shard 2: %s (states %v)", got, states)
	}
	if got := states[ids2[1]]; got != "COMPLETED" {
		t.Fatalf("merge after the re-run: %s", got)
	}
	b, err := os.ReadFile(filepath.Join(out, "run-2"))
	if err != nil || string(b) != fmt.Sprintf("run --config %s --out %s --shard 2/4\n", cfg, out) {
		t.Errorf("re-run of shard 2 ran %q, %v: want --shard 2/4 although its array has one task", b, err)
	}
	m, err := os.ReadFile(filepath.Join(out, "merge"))
	if err != nil || string(m) != fmt.Sprintf("merge --run %s --shard-count 4\n", out) {
		t.Errorf("merge ran %q, %v", m, err)
	}
	logs, _ := filepath.Glob(filepath.Join(out, "_slurm", "*.out"))
	if !slices.ContainsFunc(logs, func(p string) bool { return strings.Contains(p, "shard-"+ids[0]+"_2") }) {
		t.Errorf("no log of the failed task in %s/_slurm: %v", out, logs)
	}
}
