package grade

import (
	"runtime"
	"testing"
)

// BenchmarkGradeRealResponses grades the 400 real Qwen2.5-Math responses as the
// pipeline does: each gold prepared once per problem, then every response graded
// (strict profile). It reports responses/s and allocations per response.
func BenchmarkGradeRealResponses(b *testing.B) {
	problems := readJSONL[realProblem](b, "gens/qwen25-math-cot-8x50.jsonl")
	golds := make([]*Gold, len(problems))
	per := 0
	for i, pr := range problems {
		golds[i] = PrepareGold(pr.Gt)
		per += len(pr.Code)
	}
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	n := 0
	for b.Loop() {
		for i, pr := range problems {
			g := golds[i]
			for _, r := range pr.Code {
				GradeResponse(g, r, Strict)
			}
		}
		n += per
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "responses/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n), "allocs/response")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(n), "B/response")
	b.ReportMetric(0, "ns/op") // an op is 400 responses: responses/s is the figure
}

// BenchmarkPrepareGold measures parsing the 50 golds once (the per-problem cost).
func BenchmarkPrepareGold(b *testing.B) {
	problems := readJSONL[realProblem](b, "gens/qwen25-math-cot-8x50.jsonl")
	b.ReportAllocs()
	for b.Loop() {
		for _, pr := range problems {
			PrepareGold(pr.Gt)
		}
	}
}
