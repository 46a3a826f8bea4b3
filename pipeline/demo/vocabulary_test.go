package demo

import (
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
)

// The report and the leaderboard read significance and boundary values
// through schemas (they may not import the aggregate stage); the values must
// be the ones the aggregate writes, and the marking rule the same.
func TestSignificanceVocabularyAgrees(t *testing.T) {
	pairs := [][2]string{
		{schemas.MethodSignFlip, aggregate.MethodSignFlip}, {schemas.MethodPooledT, aggregate.MethodPooledT},
		{schemas.CrossoverFound, aggregate.CrossoverFound}, {schemas.CrossoverNever, aggregate.CrossoverNever},
		{schemas.CrossoverNotAhead, aggregate.CrossoverNotAhead},
	}
	for _, p := range pairs {
		if p[0] != p[1] {
			t.Errorf("schemas says %q, the aggregate writes %q", p[0], p[1])
		}
	}
	if schemas.Alpha != aggregate.Alpha {
		t.Errorf("schemas.Alpha %v, aggregate.Alpha %v", schemas.Alpha, aggregate.Alpha)
	}
	for _, q := range []float64{0, 0.01, 0.0499999, 0.05, 0.05000001, 0.5, 1} {
		c := schemas.Comparison{QValue: &q}
		if schemas.Significant(&q) != aggregate.Significant(&c) {
			t.Errorf("q %v: schemas.Significant %v, aggregate.Significant %v", q, schemas.Significant(&q), aggregate.Significant(&c))
		}
	}
	if schemas.Significant(nil) || aggregate.Significant(&schemas.Comparison{}) {
		t.Error("a row without a q-value is marked")
	}
}
