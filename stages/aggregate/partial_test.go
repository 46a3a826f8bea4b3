package aggregate

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// partialRoundTrip aggregates each group of checkpoints alone, encodes and
// decodes its Partial, and merges the parts.
func partialRoundTrip(t *testing.T, o Options, groups [][][]schemas.Sample) *Tables {
	t.Helper()
	var parts []*Partial
	for gi, g := range groups {
		a := New(o)
		for _, ss := range g {
			a.Add(ss)
		}
		p, err := a.Partial()
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := WritePartial(&buf, p); err != nil {
			t.Fatal(err)
		}
		q, err := ReadPartial(&buf, "part")
		if err != nil {
			t.Fatalf("group %d: %v", gi, err)
		}
		parts = append(parts, q)
	}
	a, err := Merge(o, parts)
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestMergeOfPartialsEqualsOneAggregator splits the seal corpus's
// checkpoints among 1 to 6 parts in every way a seeded draw gives (some
// parts empty) and checks that the merged tables are those of one
// Aggregator fed every sample, in any order of the parts.
func TestMergeOfPartialsEqualsOneAggregator(t *testing.T) {
	_, per := sealCorpus()
	for _, o := range []Options{
		{Bootstrap: 200, Permutations: 300},
		{Ks: []int{4, 1, 2}, Bootstrap: 200, Permutations: 300},
		{Profiles: []string{"strict", "lenient"}, Bootstrap: 200, Permutations: 300},
	} {
		one := New(o)
		for _, ss := range per {
			one.Add(ss)
		}
		want, err := one.Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Comparisons) == 0 || len(want.Boundary) == 0 {
			t.Fatal("the corpus makes no comparisons: the test would not cover baselines")
		}
		r := rand.New(rand.NewPCG(5, uint64(len(o.Ks))))
		for n := 1; n <= 6; n++ {
			for trial := 0; trial < 3; trial++ {
				groups := make([][][]schemas.Sample, n)
				for _, ss := range per {
					g := r.IntN(n)
					groups[g] = append(groups[g], ss)
				}
				if got := partialRoundTrip(t, o, groups); !reflect.DeepEqual(got, want) {
					t.Fatalf("options %+v, %d parts (trial %d): merged tables differ from one aggregator's", o, n, trial)
				}
			}
		}
	}
}

func TestMergeRefusesASplitCheckpoint(t *testing.T) {
	_, per := sealCorpus()
	o := Options{Bootstrap: 50, Permutations: 50}
	var parts []*Partial
	half := len(per[2]) / 2
	for _, ss := range [][]schemas.Sample{per[2][:half], per[2][half:]} {
		a := New(o)
		a.Add(ss)
		p, err := a.Partial()
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, p)
	}
	_, err := Merge(o, parts)
	if !errors.Is(err, ErrPartial) || !strings.Contains(err.Error(), per[2][0].Checkpoint) || !strings.Contains(err.Error(), "parts 0 and 1") {
		t.Fatalf("Merge of a split checkpoint: %v", err)
	}
	if _, err := Merge(Options{Profiles: []string{"lenient"}}, parts[:1]); !errors.Is(err, ErrPartial) || !strings.Contains(err.Error(), `"lenient"`) {
		t.Fatalf("Merge with other profiles: %v", err)
	}
}

func encodePartial(t *testing.T, o Options, ss ...[]schemas.Sample) []byte {
	t.Helper()
	a := New(o)
	for _, s := range ss {
		a.Add(s)
	}
	p, err := a.Partial()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WritePartial(&buf, p); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestPartialEncoding: the same state gives the same bytes (whatever the
// order samples came in), and a damaged encoding is an error naming the file,
// never a panic or a silently smaller state.
func TestPartialEncoding(t *testing.T) {
	_, per := sealCorpus()
	o := Options{Bootstrap: 50, Permutations: 50}
	b1 := encodePartial(t, o, per...)
	rev := make([][]schemas.Sample, len(per))
	for i := range per {
		rev[len(per)-1-i] = per[i]
	}
	if b2 := encodePartial(t, o, rev...); !bytes.Equal(b1, b2) {
		t.Error("the same checkpoints added in another order encode differently")
	}
	for _, cut := range []int{0, 1, len(b1) / 3, len(b1) - 1} {
		_, err := ReadPartial(bytes.NewReader(b1[:cut]), "partial/part-1-of-4.gob")
		if !errors.Is(err, ErrPartial) || !strings.Contains(err.Error(), "partial/part-1-of-4.gob") {
			t.Errorf("truncated to %d of %d bytes: %v", cut, len(b1), err)
		}
	}
	if _, err := ReadPartial(strings.NewReader("not gob at all"), "x"); !errors.Is(err, ErrPartial) {
		t.Errorf("garbage: %v", err)
	}
}

// TestPartialSizeIsFlatInSamples: with the k list fixed, 100 times more
// samples per problem give a state of about the same size (gob writes short
// floats shorter, so both counts give fractions of full precision).
func TestPartialSizeIsFlatInSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	p := make([]float64, 100)
	for i := range p {
		p[i] = r.Float64()
	}
	o := Options{Ks: []int{1, 2, 4}, Bootstrap: 50, Permutations: 50}
	id := ident("M", "random", 10, i64(0))
	small := len(encodePartial(t, o, simCheckpoint(r, id, p, p, 37, true)))
	big := len(encodePartial(t, o, simCheckpoint(r, id, p, p, 3700, true)))
	if big > small*11/10 {
		t.Errorf("partial state of 100 problems: %d bytes with 37 samples each, %d with 3700", small, big)
	}
}

// TestPartialKeepsASeedOfZero: gob drops pointers to zero values; the wire
// types must not.
func TestPartialKeepsASeedOfZero(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	o := Options{Bootstrap: 50, Permutations: 50}
	ss := simCheckpoint(r, ident("M", "random", 10, i64(0)), []float64{0.5, 0.2}, nil, 4, false)
	q, err := ReadPartial(bytes.NewReader(encodePartial(t, o, ss)), "x")
	if err != nil {
		t.Fatal(err)
	}
	a, err := Merge(o, []*Partial{q})
	if err != nil {
		t.Fatal(err)
	}
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Problems) != 2 || res.Problems[0].Seed == nil || *res.Problems[0].Seed != 0 {
		t.Fatalf("seed 0 lost: %+v", res.Problems)
	}
	if got := q.Checkpoints(); !reflect.DeepEqual(got, []string{"M/random/step10/seed0"}) {
		t.Errorf("Checkpoints() = %q", got)
	}
}
