package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
)

// envMainArgs makes this test binary, re-executed, run main with these
// arguments (newline-separated): a real rlvr-eval process without a build.
const envMainArgs = "RLVR_EVAL_TEST_MAIN_ARGS"

func TestMain(m *testing.M) {
	if args := os.Getenv(envMainArgs); args != "" {
		os.Args = append([]string{"rlvr-eval"}, strings.Split(args, "\n")...)
		main()
		os.Exit(0)
	}
	// s3test.Run stops the moto_server the storage tests may have started.
	os.Exit(s3test.Run(m))
}

// bigRun writes a config whose run takes a few seconds.
func bigRun(t *testing.T) string {
	dir := t.TempDir()
	var ev, gens bytes.Buffer
	for p := range 50 {
		fmt.Fprintf(&ev, `{"unique_id": "q/%d", "problem": "Compute %d + %d.", "answer": "%d"}`+"\n", p, p, p, 2*p)
	}
	for p := range 50 {
		for i := range 3000 {
			fmt.Fprintf(&gens, `{"problem_id": "q/%d", "response": "We add: the answer is $\\boxed{%d}$.", "sample_idx": %d}`+"\n", p, 2*p+i%2, i)
		}
	}
	os.WriteFile(filepath.Join(dir, "ev.jsonl"), ev.Bytes(), 0o644)
	os.WriteFile(filepath.Join(dir, "gens.jsonl"), gens.Bytes(), 0o644)
	cfg := filepath.Join(dir, "eval.yaml")
	os.WriteFile(cfg, []byte("evalset: {name: syn, path: ev.jsonl}\nruns: [{files: gens.jsonl, family: f, model: M, reward: none, step: 0}]\n"), 0o644)
	return cfg
}

// SIGINT exits 130 and SIGTERM 143, with one message saying what was
// written: nothing when the signal came mid-run (the out folder is not
// created), everything when the run had ended. Which of the two happened
// depends on timing; the status and the one message do not.
func TestSignalsExitStatus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CLI in a subprocess")
	}
	cfg := bigRun(t)
	for _, c := range []struct {
		sig  syscall.Signal
		code int
		name string
	}{{syscall.SIGINT, 130, "SIGINT"}, {syscall.SIGTERM, 143, "SIGTERM"}} {
		out := filepath.Join(t.TempDir(), "out")
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), envMainArgs+"="+strings.Join([]string{"run", "--config", cfg, "--out", out, "--workers", "1"}, "\n"))
		stderr, _ := cmd.StderrPipe()
		cmd.Stdout = nil
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Signal once the grade stage is under way (the read stage logged).
		var lines []string
		sc := bufio.NewScanner(stderr)
		signalled := false
		for sc.Scan() {
			lines = append(lines, sc.Text())
			if !signalled && strings.Contains(sc.Text(), "stage=read") {
				cmd.Process.Signal(c.sig)
				signalled = true
			}
		}
		if !signalled {
			cmd.Process.Signal(c.sig)
		}
		err := cmd.Wait()
		code := cmd.ProcessState.ExitCode()
		if code != c.code {
			t.Errorf("%s: exit %d (%v), want %d\n%s", c.name, code, err, c.code, strings.Join(lines, "\n"))
			continue
		}
		var msgs []string
		for _, l := range lines {
			if strings.HasPrefix(l, "rlvr-eval:") {
				msgs = append(msgs, l)
			}
		}
		if len(msgs) != 1 {
			t.Errorf("%s: %d messages, want one: %q", c.name, len(msgs), msgs)
			continue
		}
		_, statErr := os.Stat(filepath.Join(out, "run.json"))
		switch {
		case strings.Contains(msgs[0], "interrupted by "+c.name+"; "+out+" was not written") || strings.Contains(msgs[0], "interrupted by "+c.name) && strings.Contains(msgs[0], out+" was not written"):
			if statErr == nil {
				t.Errorf("%s: says nothing written, but %s exists", c.name, out)
			}
		case strings.Contains(msgs[0], "interrupted by "+c.name+" as the command ended"):
			if statErr != nil {
				t.Errorf("%s: says written, but %v", c.name, statErr)
			}
		default:
			t.Errorf("%s: message %q", c.name, msgs[0])
		}
		t.Logf("%s: %s", c.name, msgs[0])
	}
	_ = time.Second
}
