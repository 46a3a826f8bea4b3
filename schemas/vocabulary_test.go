package schemas

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The identity columns are the parquet names of Identity's fields, in order.
func TestIdentityColumnsAreIdentityFields(t *testing.T) {
	typ := reflect.TypeFor[Identity]()
	var tags []string
	for i := range typ.NumField() {
		tags = append(tags, strings.Split(typ.Field(i).Tag.Get("parquet"), ",")[0])
	}
	if got := IdentityColumns(); !slices.Equal(got, tags) {
		t.Fatalf("IdentityColumns() = %v, expected the parquet names of Identity's fields %v", got, tags)
	}
}

// Every table that carries a checkpoint's identity leads with it.
func TestTablesLeadWithIdentity(t *testing.T) {
	for _, row := range []any{Sample{}, Problem{}, Metric{}, Comparison{}, Transition{}} {
		typ := reflect.TypeOf(row)
		if f := typ.Field(0); !f.Anonymous || f.Type != reflect.TypeFor[Identity]() {
			t.Errorf("%s: expected Identity as its first, embedded field, found %s %s", typ.Name(), f.Name, f.Type)
		}
	}
}

func TestMetricNamesAreDistinct(t *testing.T) {
	names := append(Metrics(), MetricPeerAccuracy)
	seen := map[string]bool{}
	for _, n := range names {
		if n == "" || seen[n] {
			t.Errorf("metric name %q: expected a distinct non-empty name", n)
		}
		seen[n] = true
	}
	for _, n := range names {
		if HasK(n) != (n == MetricPassAtK || n == MetricMajAtK) {
			t.Errorf("HasK(%q) = %v", n, HasK(n))
		}
	}
}

// The exported lists are copies: changing one changes nothing for the next caller.
func TestListsAreCopies(t *testing.T) {
	r := KnownRewards()
	r[0] = "changed"
	if KnownRewards()[0] != RewardNone {
		t.Fatalf("KnownRewards()[0] = %q after a caller changed its copy, expected %q", KnownRewards()[0], RewardNone)
	}
	m := Metrics()
	m[0] = "changed"
	if Metrics()[0] != MetricAccuracy {
		t.Fatalf("Metrics() shares its backing array with callers")
	}
}

// RewardRank follows KnownRewards and puts every unknown reward after them.
func TestRewardRank(t *testing.T) {
	known := KnownRewards()
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
