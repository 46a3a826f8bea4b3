package main

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// BenchmarkGradeStream runs the grade stream (JSONL in, verdict lines out) on the 400
// real responses repeated to 8,000 lines, on one grading goroutine and on as many as
// -cpu allows. It reports responses/s; scripts/bench-grade.sh measures the whole
// process on one and two cores.
func BenchmarkGradeStream(b *testing.B) {
	lines := realGradeLines(b)
	var in bytes.Buffer
	for in.Len() == 0 || strings.Count(in.String(), "\n") < 8000 {
		for _, l := range lines {
			in.WriteString(l)
			in.WriteByte('\n')
		}
	}
	n := strings.Count(in.String(), "\n")
	for _, workers := range []int{1, 0} {
		name := "workers=1"
		if workers == 0 {
			name = "workers=GOMAXPROCS"
		}
		b.Run(name, func(b *testing.B) {
			cfg := streamConfig{profile: grade.Strict, workers: workers, maxLine: defaultMaxLine}
			if workers == 0 {
				cfg.workers = runtime.GOMAXPROCS(0)
			}
			b.SetBytes(int64(in.Len()))
			total := 0
			for b.Loop() {
				if err := gradeStream(context.Background(), bytes.NewReader(in.Bytes()), io.Discard, cfg); err != nil {
					b.Fatal(err)
				}
				total += n
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "responses/s")
		})
	}
}
