package aggregate

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// twoSamples returns two samples of one problem: the first k correct, the
// first m with code reasoning.
func twoSamples(id schemas.Identity, problem string, correct, code int) []schemas.Sample {
	out := make([]schemas.Sample, 2)
	for j := range out {
		out[j] = schemas.Sample{Identity: id, ProblemID: problem, SampleIdx: int64(j),
			Correct: j < correct, CodeReasoning: j < code, Extracted: sptr("x")}
	}
	return out
}

func TestTransitionsHandComputed(t *testing.T) {
	base := ident("M", "none", 0, nil)
	ck := ident("M", "random", 50, nil)
	// problem: baseline (correct of 2, code of 2), checkpoint (correct, code).
	// A problem is code when > half its samples are: 1 of 2 is lang.
	rows := []struct {
		id                 string
		bc, bcode, c, code int
	}{
		{"p0", 1, 2, 2, 2}, // code->code  0.5 -> 1
		{"p1", 0, 2, 0, 0}, // code->lang  0   -> 0
		{"p2", 0, 0, 2, 2}, // lang->code  0   -> 1
		{"p3", 1, 0, 2, 2}, // lang->code  0.5 -> 1
		{"p4", 0, 1, 1, 1}, // lang->lang  0   -> 0.5 (tie 1 of 2 is lang)
		{"p5", 2, 0, 1, 0}, // lang->lang  1   -> 0.5
	}
	a := New(Options{Ks: []int{1}})
	for _, r := range rows {
		a.Add(twoSamples(base, r.id, r.bc, r.bcode))
		a.Add(twoSamples(ck, r.id, r.c, r.code))
	}
	a.Add(twoSamples(ck, "only-in-checkpoint", 2, 2)) // not paired: ignored
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	// Overall over the 6 paired problems: before 2/6, after 4/6, gain 1/3.
	// C_d = (n_d/N)(after_d − before_d) / gain.
	want := []struct {
		bucket        string
		n             int64
		before, after float64
		share         float64
	}{
		{"code->code", 1, 0.5, 1, (1.0 / 6) * 0.5 / (1.0 / 3)},
		{"code->lang", 1, 0, 0, 0},
		{"lang->code", 2, 0.25, 1, (2.0 / 6) * 0.75 / (1.0 / 3)},
		{"lang->lang", 2, 0.5, 0.5, 0},
	}
	if len(res.Transitions) != 4 {
		t.Fatalf("got %d transition rows, want 4", len(res.Transitions))
	}
	sum := 0.0
	for i, w := range want {
		g := res.Transitions[i]
		if g.Bucket != w.bucket || g.NProblems != w.n || g.Checkpoint != ck.Checkpoint || g.BaselineCheckpoint != base.Checkpoint {
			t.Fatalf("row %d = %s n=%d (%s vs %s), want %s n=%d", i, g.Bucket, g.NProblems, g.Checkpoint, g.BaselineCheckpoint, w.bucket, w.n)
		}
		if math.Abs(*g.AccuracyBefore-w.before) > 1e-12 || math.Abs(*g.AccuracyAfter-w.after) > 1e-12 ||
			math.Abs(*g.ShareOfGain-w.share) > 1e-12 {
			t.Errorf("%s: before %v after %v share %v, want %v %v %v", w.bucket, *g.AccuracyBefore, *g.AccuracyAfter, *g.ShareOfGain, w.before, w.after, w.share)
		}
		sum += *g.ShareOfGain
	}
	if math.Abs(sum-1) > 1e-12 {
		t.Errorf("share_of_gain sums to %v, want 1", sum)
	}
}

func TestTransitionsZeroGainIsNull(t *testing.T) {
	base := ident("M", "none", 0, nil)
	ck := ident("M", "format", 10, nil)
	a := New(Options{Ks: []int{1}})
	a.Add(twoSamples(base, "p0", 1, 2))
	a.Add(twoSamples(ck, "p0", 1, 0))
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range res.Transitions {
		if g.ShareOfGain != nil {
			t.Errorf("%s: share_of_gain = %v with zero overall gain, want null", g.Bucket, *g.ShareOfGain)
		}
		if g.NProblems == 0 && (g.AccuracyBefore != nil || g.AccuracyAfter != nil) {
			t.Errorf("%s: empty bucket has accuracies, want null", g.Bucket)
		}
	}
}

func TestTransitionsShareSumsToOne(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for trial := 0; trial < 50; trial++ {
		P := 5 + r.IntN(60)
		pb, pc, cb, cc := make([]float64, P), make([]float64, P), make([]float64, P), make([]float64, P)
		for i := range pb {
			pb[i], pc[i], cb[i], cc[i] = r.Float64(), r.Float64(), r.Float64(), r.Float64()
		}
		a := New(Options{Ks: []int{1}, Bootstrap: 10, Permutations: 10})
		a.Add(simCheckpoint(r, ident("M", "none", 0, nil), pb, cb, 4, false))
		a.Add(simCheckpoint(r, ident("M", "random", 1, nil), pc, cc, 4, false))
		res, err := a.Result()
		if err != nil {
			t.Fatal(err)
		}
		sum, n := 0.0, int64(0)
		for _, g := range res.Transitions {
			n += g.NProblems
			if g.ShareOfGain != nil {
				sum += *g.ShareOfGain
			}
		}
		acc := findComparison(res, ident("M", "random", 1, nil).Checkpoint, "all", MetricAccuracy, 0)
		if n != int64(P) {
			t.Fatalf("buckets hold %d problems, want %d", n, P)
		}
		if math.Abs(*acc.Delta) > 1e-12 && math.Abs(sum-1) > 1e-9 {
			t.Fatalf("trial %d: share_of_gain sums to %v with gain %v, want 1", trial, sum, *acc.Delta)
		}
	}
}
