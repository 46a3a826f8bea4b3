package pipeline

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

// benchCorpus writes ckpts canonical checkpoint files, each with mult copies of
// the 400 real responses, and returns the config path and the response count.
func benchCorpus(b *testing.B, ckpts, mult int) (string, int) {
	src := realdata.Path(b, "gens/qwen25-math-cot-8x50.jsonl")
	f, err := os.Open(src)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	type line struct {
		Idx  int      `json:"idx"`
		GT   string   `json:"gt"`
		Code []string `json:"code"`
	}
	var lines []line
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			b.Fatal(err)
		}
		lines = append(lines, l)
	}
	dir := b.TempDir()
	var n int
	for c := 0; c < ckpts; c++ {
		reward, step := "none", 0
		if c > 0 {
			reward, step = "random", 10*c
		}
		p := filepath.Join(dir, "gens", "M", reward, fmt.Sprintf("step%d.jsonl", step))
		os.MkdirAll(filepath.Dir(p), 0o755)
		out, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(out)
		enc := json.NewEncoder(w)
		for _, l := range lines {
			for m := 0; m < mult; m++ {
				for i, r := range l.Code {
					enc.Encode(map[string]any{"problem_id": fmt.Sprintf("idx/%d", l.Idx), "response": r,
						"sample_idx": m*len(l.Code) + i, "finish_reason": "stop", "gold": l.GT})
					n++
				}
			}
		}
		w.Flush()
		out.Close()
	}
	cfg := "evalset: {name: math-cot-100}\nformat: canonical\nruns:\n  - template: \"gens/{model}/{reward}/step{step}.jsonl\"\n    family: fam\n"
	path := filepath.Join(dir, "eval.yaml")
	os.WriteFile(path, []byte(cfg), 0o644)
	return path, n
}

// cpuTime is the process's user + system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkPipeline runs JSONL → every table (response text kept, Parquet) on
// 4 checkpoints × 8 copies of the real responses (12,800 responses) and reports
// responses/s end to end.
func BenchmarkPipeline(b *testing.B) {
	path, n := benchCorpus(b, 4, 8)
	cfg, err := LoadConfig(path)
	if err != nil {
		b.Fatal(err)
	}
	out := b.TempDir()
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		if _, err := Run(context.Background(), cfg, RunOptions{Out: out}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "responses/s")
	// On a shared machine wall time depends on the neighbours; CPU time does
	// not: responses per CPU-second is the cost, wall responses/s the speed.
	b.ReportMetric(float64(n*b.N)/(cpuTime()-cpu0).Seconds(), "responses/cpu-s")
}
