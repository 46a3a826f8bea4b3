package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunProfiles(t *testing.T) {
	dir := t.TempDir()
	gens := filepath.Join(dir, "gens.jsonl")
	lines := `{"problem_id": "p/1", "response": "so \\boxed{2}", "sample_idx": 0, "gold": "2"}
{"problem_id": "p/1", "response": "so \\boxed{3}", "sample_idx": 1, "gold": "2"}
`
	if err := os.WriteFile(gens, []byte(lines), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := writeConfig(t, "evalset: {name: tiny}\nruns: [{files: "+gens+", family: f, model: M, reward: none, step: 0}]\n")
	cpu, mem := filepath.Join(dir, "cpu.pprof"), filepath.Join(dir, "mem.pprof")
	out := filepath.Join(dir, "out")
	if stdout, err := execute(t, "run", "--config", cfg, "--out", out, "--cpuprofile", cpu, "--memprofile", mem); err != nil {
		t.Fatalf("run: %v\n%s", err, stdout)
	}
	for _, p := range []string{cpu, mem} {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		// pprof profiles are gzip-compressed protocol buffers.
		if len(b) < 20 || b[0] != 0x1f || b[1] != 0x8b {
			t.Errorf("%s: %d bytes, want a gzip-compressed pprof profile", filepath.Base(p), len(b))
		}
	}
	if _, err := os.Stat(filepath.Join(out, "samples.parquet")); err != nil {
		t.Errorf("the profiled run wrote no samples table: %v", err)
	}

	_, err := execute(t, "run", "--config", cfg, "--out", out, "--memprofile", filepath.Join(dir, "no", "such", "dir", "mem.pprof"))
	if err == nil || !strings.Contains(err.Error(), "--memprofile") {
		t.Errorf("unwritable --memprofile: err = %v, want an error naming the flag", err)
	}
}
