package leaderboard

import (
	"fmt"
	"testing"
)

// benchRun is a large night: 4 families × 2 models × 6 rewards × 20 steps.
func benchRun(name string) *Run {
	var cps []synthCheckpoint
	for f := 0; f < 4; f++ {
		for m := 0; m < 2; m++ {
			family, model := fmt.Sprintf("family-%d", f), fmt.Sprintf("Model-%d-%d", f, m)
			cps = append(cps, synthCheckpoint{family: family, model: model, reward: "none", acc: 0.3, code: 0.2})
			for r, reward := range []string{"ground_truth", "majority_vote", "one_shot", "format", "random", "incorrect"} {
				for s := int64(1); s <= 20; s++ {
					cps = append(cps, synthCheckpoint{family: family, model: model, reward: reward, step: 10 * s,
						acc: 0.3 + 0.01*float64(r)*float64(s)/4, code: 0.2 + 0.01*float64(s)})
				}
			}
		}
	}
	return memRun(name, cps, "strict")
}

// BenchmarkBuildAndRender measures the model build plus the three site files
// for a night of 968 checkpoints (most of the time is chart rendering).
func BenchmarkBuildAndRender(b *testing.B) {
	h := &History{Latest: benchRun("2026-11-26"), Previous: benchRun("2026-11-25")}
	b.ReportAllocs()
	for b.Loop() {
		lb, err := Build(h, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := lb.Files(); err != nil {
			b.Fatal(err)
		}
	}
}
