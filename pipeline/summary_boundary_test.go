package pipeline

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// The run summary marks a delta by its q-value only, names each interval's
// method, and shows each checkpoint's crossover k and coverage delta.
func TestSummaryMarksByQAndShowsBoundary(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	id := func(reward string, step int64) schemas.Identity {
		return schemas.Identity{Family: "f", Model: "M", Reward: reward, Step: step, Evalset: "e"}.WithCheckpoint()
	}
	metric := func(i schemas.Identity) schemas.Metric {
		return schemas.Metric{Identity: i, Profile: "strict", Subset: "all", Metric: schemas.MetricAccuracy, N: 8, NProblems: 40,
			Value: f(0.5), CILow: f(0.35), CIHigh: f(0.62), CIMethod: "wilson95:<50 problems"}
	}
	a, b := id("random", 10), id("ground_truth", 10)
	comps := []schemas.Comparison{
		{Identity: a, Subset: "all", Metric: schemas.MetricAccuracy, BaselineCheckpoint: "M/none/step0", Delta: f(0.04), PValue: f(0.03), QValue: f(0.09)},
		{Identity: b, Subset: "all", Metric: schemas.MetricAccuracy, BaselineCheckpoint: "M/none/step0", Delta: f(0.12), PValue: f(0.001), QValue: f(0.002)},
	}
	k := int64(4)
	bounds := []schemas.Boundary{
		{Identity: a, Profile: "strict", Subset: "all", N: 8, CrossoverK: &k, Crossover: schemas.CrossoverFound, CoverageDelta: -0.05, Gained: 1, Lost: 3, CoverageQValue: f(0.2)},
		{Identity: b, Profile: "strict", Subset: "all", N: 8, Crossover: schemas.CrossoverNever, CoverageDelta: 0.1, Gained: 4, Lost: 0, CoverageQValue: f(0.01)},
		{Identity: b, Profile: "strict", Subset: "level=5", N: 8, Crossover: schemas.CrossoverNotAhead}, // another subset: ignored
	}
	s := buildSummary("strict", []schemas.Metric{metric(a), metric(b)}, comps, 640, 0, nil, nil)
	s.addBoundaries(bounds)
	var buf bytes.Buffer
	if err := s.Print(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	flat := strings.Join(strings.Fields(out), " ")
	for _, want := range []string{
		"M/random/step10 f 40 8 50.0% [35.0, 62.0] wilson95:<50 problems +4.0 pts (vs M/none/step0) 4 -5.0 pts (+1/-3)",
		"M/ground_truth/step10 f 40 8 50.0% [35.0, 62.0] wilson95:<50 problems +12.0 pts* (vs M/none/step0) >8 +10.0 pts* (+4/-0)",
		"marked * only when its q-value", "crossover k: the smallest k",
	} {
		if !strings.Contains(flat, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
