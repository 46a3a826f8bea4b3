package schemas_test

import (
	"slices"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
)

// declaredMetrics are the metric-row names schemas declares, in emission order.
var declaredMetrics = []string{
	schemas.MetricAccuracy, schemas.MetricPassAtK, schemas.MetricMajAtK, schemas.MetricNoAnswerRate,
	schemas.MetricBoxedRate, schemas.MetricCodeReasoningRate, schemas.MetricHasCodeBlockRate,
	schemas.MetricAccuracyWithCode, schemas.MetricAccuracyWithoutCode, schemas.MetricTruncationRate,
	schemas.MetricMeanResponseChars, schemas.MetricMeanResponseTokens,
}

// The aggregator emits exactly the metrics schemas declares, in the declared
// order, on subset schemas.SubsetAll, and compares a checkpoint with the
// checkpoint schemas.IsBaseline names: a metric added to one side only, or a
// name spelled twice, fails here.
func TestAggregatorSpeaksTheVocabulary(t *testing.T) {
	var samples []schemas.Sample
	for _, reward := range []string{schemas.RewardNone, "random"} {
		step := int64(0)
		if reward != schemas.RewardNone {
			step = 100
		}
		id := schemas.Identity{Family: "f", Model: "m", Reward: reward, Step: step, Evalset: "e"}.WithCheckpoint()
		for p := range 3 {
			for s := range 2 {
				ans := "1"
				samples = append(samples, schemas.Sample{Identity: id, ProblemID: string(rune('a' + p)), SampleIdx: int64(s),
					Extracted: &ans, Correct: (p+s)%2 == 0, Response: "x"})
			}
		}
	}
	a := aggregate.New(aggregate.Options{})
	a.Add(samples)
	tables, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	var emitted []string
	for _, m := range tables.Metrics {
		if m.Subset == schemas.SubsetAll && m.Reward == schemas.RewardNone && !slices.Contains(emitted, m.Metric) {
			emitted = append(emitted, m.Metric)
		}
	}
	if !slices.Equal(emitted, declaredMetrics) {
		t.Fatalf("the aggregator emits the metrics\n%v\nexpected the ones schemas declares, in order\n%v", emitted, declaredMetrics)
	}
	if len(tables.Comparisons) == 0 {
		t.Fatal("expected comparisons of the trained checkpoint with its baseline, found none")
	}
	for _, c := range tables.Comparisons {
		if schemas.IsBaseline(c.Reward, c.Step) || c.BaselineCheckpoint != "m/none/step0" {
			t.Fatalf("comparison %s against %q: expected only the trained checkpoint, against m/none/step0", c.Checkpoint, c.BaselineCheckpoint)
		}
	}
}
