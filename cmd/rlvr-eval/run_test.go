package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

// execute runs the root command with args and returns stdout and the error.
func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	return 1
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "eval.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunRealGenerations(t *testing.T) {
	gens := realdata.Path(t, "gens/qwen25-math-cot-8x50.jsonl")
	math500 := realdata.Path(t, "math500/test.jsonl")
	inline := writeConfig(t, fmt.Sprintf(`
evalset: {name: math-cot-100}
runs: [{files: %q, family: qwen2.5-math, model: Qwen2.5-Math-7B, reward: none, step: 0}]
`, gens))
	out := filepath.Join(t.TempDir(), "out")
	stdout, err := execute(t, "run", "--config", inline, "--out", out, "--format", "both", "--profiles", "strict,lenient", "--workers", "2")
	if err != nil {
		t.Fatalf("run: %v\n%s", err, stdout)
	}
	for _, want := range []string{"Qwen2.5-Math-7B/none/step0", "400 samples graded, 0 records rejected", "peer verdicts:"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	for _, f := range []string{"samples.parquet", "samples.arrow", "metrics.parquet", "run.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}

	// Against MATH-500, 47 of the 50 problems are missing: exit status 2,
	// tables written anyway.
	strict := writeConfig(t, fmt.Sprintf(`
evalset: {name: math500, path: %q}
runs: [{files: %q, family: qwen2.5-math, model: Qwen2.5-Math-7B, reward: none, step: 0}]
`, math500, gens))
	out2 := filepath.Join(t.TempDir(), "out")
	stdout, err = execute(t, "run", "--config", strict, "--out", out2)
	if exitCode(err) != 2 || !strings.Contains(err.Error(), "376 of 400 samples rejected") || !strings.Contains(err.Error(), "3 of 500 problems") ||
		!strings.Contains(stdout, "INCOMPLETE (tables written)") || !strings.Contains(stdout, "  reject ") {
		t.Fatalf("exit %d, err %v\n%s", exitCode(err), err, stdout)
	}
	if _, err := os.Stat(filepath.Join(out2, "rejects.parquet")); err != nil {
		t.Fatal(err)
	}
	// --max-reject-share and --min-coverage lift the limits.
	_, err = execute(t, "run", "--config", strict, "--out", out2, "--max-reject-share", "1", "--min-coverage", "0")
	if err != nil {
		t.Fatal(err)
	}
	// --quiet: the final line only.
	stdout, err = execute(t, "run", "--config", inline, "--out", out, "--quiet")
	if err != nil || stdout != out+": 400 samples graded, 0 rejected (0.00%), 1 checkpoints, outcome ok\n" {
		t.Fatalf("--quiet: %v\n%q", err, stdout)
	}
}

func TestValidateCommand(t *testing.T) {
	gens := realdata.Path(t, "gens/qwen25-math-cot-8x50.jsonl")
	good := writeConfig(t, fmt.Sprintf("evalset: {name: x}\nruns: [{files: %q, model: M, reward: none, step: 0, family_of: {M: m}}]\n", gens))
	stdout, err := execute(t, "validate", "--config", good)
	if err != nil || !strings.Contains(stdout, "qwen-eval (detected)") || !strings.Contains(stdout, "family=m model=M") ||
		!strings.Contains(stdout, "200 items read (first records): 200 records would be graded, 0 rejected") || !strings.Contains(stdout, "config ok: 1 files") {
		t.Fatalf("validate: %v\n%s", err, stdout)
	}
	// A family_of key that is not the model: run would reject every record.
	// validate says so (exit 2), naming the model and the closest key.
	miss := writeConfig(t, fmt.Sprintf("evalset: {name: x}\nruns: [{files: %q, model: Qwen2.5-Math-7B, reward: none, step: 0, family_of: {Qwen2.5-Math: q}}]\n", gens))
	stdout, err = execute(t, "validate", "--config", miss, "--records", "16")
	if exitCode(err) != 2 || !strings.Contains(stdout, `family_of has no key for model "Qwen2.5-Math-7B" (closest: "Qwen2.5-Math")`) ||
		!strings.Contains(stdout, "FAIL: 16 of 16 samples") {
		t.Fatalf("exit %d (%v)\n%s", exitCode(err), err, stdout)
	}
	// An evalset without the files' problems (MATH-500 holds 3 of the 50).
	noProblems := writeConfig(t, fmt.Sprintf("evalset: {name: math500, path: %q}\nruns: [{files: %q, family: q, model: M, reward: none, step: 0}]\n",
		realdata.Path(t, "math500/test.jsonl"), gens))
	stdout, err = execute(t, "validate", "--config", noProblems)
	if exitCode(err) != 2 || !strings.Contains(stdout, ": problem not in evalset math500") {
		t.Fatalf("exit %d (%v)\n%s", exitCode(err), err, stdout)
	}
	bad := writeConfig(t, "evalset: {name: x}\nprofiles: [loose]\nruns: [{files: nothing/*.jsonl}]\n")
	_, err = execute(t, "validate", "--config", bad)
	if exitCode(err) != 1 || !strings.Contains(err.Error(), `profiles[0]: expected one of strict, lenient, found "loose"`) ||
		!strings.Contains(err.Error(), "runs[0].files[0]: expected a glob that matches at least one file") {
		t.Fatalf("err = %v", err)
	}
}
