package schemas

import (
	"reflect"
	"strings"
	"testing"
)

// Every table that carries a checkpoint's identity leads with it.
func TestTablesLeadWithIdentity(t *testing.T) {
	for _, row := range []any{Sample{}, Problem{}, Metric{}, Comparison{}, Transition{}, Boundary{}, BoundaryCurve{}, ProblemMove{}} {
		typ := reflect.TypeOf(row)
		if f := typ.Field(0); !f.Anonymous || f.Type != reflect.TypeFor[Identity]() {
			t.Errorf("%s: expected Identity as its first, embedded field, found %s %s", typ.Name(), f.Name, f.Type)
		}
	}
}

func TestMetricNamesAreDistinct(t *testing.T) {
	names := []string{MetricAccuracy, MetricPassAtK, MetricMajAtK, MetricNoAnswerRate, MetricBoxedRate,
		MetricCodeReasoningRate, MetricHasCodeBlockRate, MetricAccuracyWithCode, MetricAccuracyWithoutCode,
		MetricTruncationRate, MetricMeanResponseChars, MetricMeanResponseTokens, MetricPeerAccuracy}
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || seen[n] || strings.ContainsAny(n, " \t") {
			t.Errorf("metric name %q: expected a distinct non-empty name without spaces", n)
		}
		seen[n] = true
	}
}

// RewardRank follows knownRewards and puts every unknown reward after them.
func TestRewardRank(t *testing.T) {
	known := knownRewards
	for i, r := range known {
		if RewardRank(r) != i {
			t.Errorf("RewardRank(%q) = %d, expected %d", r, RewardRank(r), i)
		}
	}
	for _, r := range []string{"", "None", "ground_truth ", "zzz"} {
		if RewardRank(r) != len(known) {
			t.Errorf("RewardRank(%q) = %d, expected %d (after every known reward)", r, RewardRank(r), len(known))
		}
	}
}

// A baseline is exactly reward none at step 0: case and step both matter.
func TestIsBaseline(t *testing.T) {
	cases := []struct {
		reward string
		step   int64
		want   bool
	}{
		{RewardNone, 0, true}, {RewardNone, 1, false}, {RewardNone, -1, false},
		{"None", 0, false}, {"NONE", 0, false}, {"", 0, false}, {"random", 0, false},
	}
	for _, c := range cases {
		if got := IsBaseline(c.reward, c.step); got != c.want {
			t.Errorf("IsBaseline(%q, %d) = %v, expected %v", c.reward, c.step, got, c.want)
		}
	}
}
