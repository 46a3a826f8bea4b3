package aggregate

import (
	"math"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

type gradeAnswer = grade.Answer

func TestMajScores(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name       string
		groupOf    []int32 // per sample in sample_idx order, -1 = no answer
		repCorrect []bool
		ks         []int
		want       []float64
		winner     int32
		full       float64
	}{
		{"all no answer scores 0", []int32{-1, -1, -1}, nil, []int{1, 2, 3}, []float64{0, 0, 0}, -1, 0},
		{"unanimous correct", []int32{0, 0, 0, 0}, []bool{true}, []int{1, 4}, []float64{1, 1}, 0, 1},
		{"two-way tie, one correct", []int32{0, 1}, []bool{true, false}, []int{1, 2}, []float64{1, 0.5}, 0, 0.5},
		{"three-way tie, two correct", []int32{0, 1, 2}, []bool{false, true, true}, []int{3}, []float64{2.0 / 3}, 0, 2.0 / 3},
		{"wrong majority beats right minority", []int32{1, 0, 0, 1, 1}, []bool{true, false}, []int{1, 2, 4, 5},
			[]float64{0, 0.5, 0.5, 0}, 1, 0},
		{"no-answers do not vote", []int32{-1, -1, 0, 1, 1}, []bool{true, false}, []int{1, 2, 3, 5},
			[]float64{0, 0, 1, 0}, 1, 0},
		{"k above n is undefined", []int32{0, 0}, []bool{true}, []int{1, 2, 4}, []float64{1, 1, nan}, 0, 1},
		{"tie between two correct groups", []int32{0, 1}, []bool{true, true}, []int{2}, []float64{1}, 0, 1},
		{"winner is the first-founded tied group", []int32{1, 0, 0, 1}, []bool{false, true}, []int{4}, []float64{0.5}, 0, 0.5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := make([]float64, len(tt.ks))
			winner, full := majScores(tt.groupOf, tt.repCorrect, tt.ks, out)
			for j := range tt.ks {
				if math.IsNaN(tt.want[j]) != math.IsNaN(out[j]) || (!math.IsNaN(out[j]) && math.Abs(out[j]-tt.want[j]) > 1e-12) {
					t.Errorf("maj@%d = %v, want %v", tt.ks[j], out[j], tt.want[j])
				}
			}
			if winner != tt.winner || math.Abs(full-tt.full) > 1e-12 {
				t.Errorf("full vote = (winner %d, %v), want (%d, %v)", winner, full, tt.winner, tt.full)
			}
		})
	}
}

func TestAnswerGroupsUseEquivalenceInSampleOrder(t *testing.T) {
	// "3" and " 3" are different strings the grader finds equivalent; "4" differs.
	g := answerGroups{strs: []string{" 3", "4", "3"}}
	g.prepared = make([]*gradeAnswer, len(g.strs))
	groupOf, rep, repCorrect := g.group([]int32{1, 0, -1, 2, 1, 0}, []bool{false, true, false, true, false, true})
	want := []int32{0, 1, -1, 1, 0, 1}
	for i := range want {
		if groupOf[i] != want[i] {
			t.Fatalf("groupOf = %v, want %v", groupOf, want)
		}
	}
	if len(rep) != 2 || rep[0] != 1 || rep[1] != 0 || repCorrect[0] || !repCorrect[1] {
		t.Fatalf("representatives = %v (correct %v), want [1 0] ([false true])", rep, repCorrect)
	}
}
