package aggregate

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// FuzzAggregate decodes bytes into samples (4 bytes each: checkpoint,
// problem, sample_idx, flags) and checks that Result never fails or panics
// and that its numbers keep their invariants.
func FuzzAggregate(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 0, 0, 1, 2, 1, 0, 0, 3, 1, 0, 1, 0})
	f.Add([]byte{0, 1, 0, 0xff, 0, 1, 0, 0x00, 2, 1, 3, 0x81, 2, 2, 2, 0x42, 3, 1, 0, 7})
	f.Add([]byte("some arbitrary bytes to seed the corpus with a longer input...."))
	f.Fuzz(checkAggregateInvariants)
}

func checkAggregateInvariants(t *testing.T, data []byte) {
	ids := []schemas.Identity{ident("M", "none", 0, nil), ident("M", "random", 1, nil),
		ident("M", "none", 0, i64(1)), ident("L", "random", 2, i64(1))}
	var ss []schemas.Sample
	for len(data) >= 4 {
		c, p, idx, fl := data[0], data[1], data[2], data[3]
		data = data[4:]
		s := schemas.Sample{Identity: ids[int(c)%len(ids)], ProblemID: "p" + strconv.Itoa(int(p%8)),
			Subject: []string{"", "A", "B"}[p%3], Level: int64(p % 4), SampleIdx: int64(idx % 12),
			Correct: fl&1 != 0, Truncated: fl&2 != 0, CodeReasoning: fl&4 != 0, HasBoxed: fl&8 != 0,
			ResponseChars: int64(fl)}
		if fl&0x30 != 0 {
			s.Extracted = sptr(strconv.Itoa(int(fl>>4) & 3))
		}
		if fl&0x40 != 0 {
			s.ResponseTokens = i64(int64(fl))
		}
		s.Alt = []schemas.AltVerdict{{Profile: "lenient", Correct: fl&0x80 != 0, Extracted: s.Extracted}}
		ss = append(ss, s)
	}
	opts := Options{Profiles: []string{"strict", "lenient"}, Bootstrap: 30, Permutations: 30}
	// The same samples grouped by checkpoint, each checkpoint sealed after its
	// last sample: the tables must not change.
	byCkpt := slices.Clone(ss)
	slices.SortStableFunc(byCkpt, func(x, y schemas.Sample) int { return strings.Compare(x.Checkpoint, y.Checkpoint) })
	a := New(opts)
	for len(ss) > 0 {
		n := min(3, len(ss))
		a.Add(ss[:n])
		ss = ss[n:]
	}
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	sealed := New(opts)
	for i := range byCkpt {
		sealed.Add(byCkpt[i : i+1])
		if i+1 == len(byCkpt) || byCkpt[i+1].Checkpoint != byCkpt[i].Checkpoint {
			sealed.Seal(byCkpt[i].Checkpoint)
		}
	}
	if got, err := sealed.Result(); err != nil || !reflect.DeepEqual(got, res) {
		t.Fatalf("tables differ when each checkpoint is sealed after its samples (err %v)", err)
	}
	for _, m := range res.Metrics {
		if m.Value == nil {
			continue
		}
		v := *m.Value
		if m.Metric != MetricMeanResponseChars && m.Metric != MetricMeanResponseTokens && (v < 0 || v > 1+1e-12) {
			t.Fatalf("%+v: value %v outside [0,1]", m, v)
		}
		// A Wilson interval always contains its estimate (a percentile
		// bootstrap need not, so it is not checked).
		if m.CIMethod == CIWilsonSmall && (*m.CILow > v+1e-9 || *m.CIHigh < v-1e-9) {
			t.Fatalf("%s %s %s: value %v outside its CI [%v, %v]", m.Checkpoint, m.Subset, m.Metric, v, *m.CILow, *m.CIHigh)
		}
	}
	for _, c := range res.Comparisons {
		if c.PValue != nil && (*c.PValue <= 0 || *c.PValue > 1) {
			t.Fatalf("%+v: p-value %v outside (0,1]", c, *c.PValue)
		}
		if c.Delta != nil && c.Wins+c.Losses+c.Ties != c.NProblems {
			t.Fatalf("%+v: wins+losses+ties != n_problems", c)
		}
	}
	sums := map[string]float64{}
	for _, tr := range res.Transitions {
		if tr.ShareOfGain != nil {
			sums[tr.Checkpoint] += *tr.ShareOfGain
		}
	}
	for ck, s := range sums {
		if math.Abs(s-1) > 1e-9 {
			t.Fatalf("%s: share_of_gain sums to %v", ck, s)
		}
	}
}
