package aggregate

import (
	"fmt"
	"math/rand/v2"
	"strconv"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// ident builds a checkpoint identity for tests.
func ident(model, reward string, step int64, seed *int64) schemas.Identity {
	return schemas.Identity{Family: "fam", Model: model, Reward: reward, Step: step, Seed: seed, Evalset: "math500"}.WithCheckpoint()
}

func sptr(s string) *string { return &s }

// simCheckpoint draws n samples for each problem: sample correct with
// probability p[i]; a correct sample answers "ok", a wrong one a wrong
// number; code reasoning with probability code[i] (nil = never).
func simCheckpoint(r *rand.Rand, id schemas.Identity, p, code []float64, n int, subjects bool) []schemas.Sample {
	out := make([]schemas.Sample, 0, len(p)*n)
	for i := range p {
		for j := 0; j < n; j++ {
			s := schemas.Sample{Identity: id, ProblemID: fmt.Sprintf("p%04d", i), SampleIdx: int64(j),
				ResponseChars: int64(200 + r.IntN(800))}
			if subjects {
				s.Subject = []string{"Algebra", "Geometry", "Number Theory"}[i%3]
				s.Level = int64(1 + i%5)
			}
			if r.Float64() < p[i] {
				s.Correct, s.Extracted = true, sptr("ok")
			} else if r.IntN(5) > 0 {
				s.Extracted = sptr(strconv.Itoa(r.IntN(3)))
			}
			s.HasBoxed = s.Extracted != nil
			if code != nil && r.Float64() < code[i] {
				s.CodeReasoning = true
			}
			out = append(out, s)
		}
	}
	return out
}

// findMetric returns the metrics row with the given keys, or nil.
func findMetric(t *Tables, checkpoint, profile, subset, metric string, k int64) *schemas.Metric {
	for i := range t.Metrics {
		m := &t.Metrics[i]
		if m.Checkpoint == checkpoint && m.Profile == profile && m.Subset == subset && m.Metric == metric &&
			((m.K == nil && k == 0) || (m.K != nil && *m.K == k)) {
			return m
		}
	}
	return nil
}

func findComparison(t *Tables, checkpoint, subset, metric string, k int64) *schemas.Comparison {
	for i := range t.Comparisons {
		c := &t.Comparisons[i]
		if c.Checkpoint == checkpoint && c.Subset == subset && c.Metric == metric &&
			((c.K == nil && k == 0) || (c.K != nil && *c.K == k)) {
			return c
		}
	}
	return nil
}
