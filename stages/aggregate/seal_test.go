package aggregate

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// sealCorpus is five checkpoints (two baselines) with different n, so that
// with the default k list a checkpoint sealed early has a shorter k list than
// the run's, and one duplicated sample.
func sealCorpus() ([]schemas.Identity, [][]schemas.Sample) {
	r := rand.New(rand.NewPCG(21, 7))
	p := make([]float64, 55)
	for i := range p {
		p[i] = r.Float64()
	}
	ids := []schemas.Identity{ident("L", "ground_truth", 20, nil), ident("L", "none", 0, nil),
		ident("M", "incorrect", 10, i64(4)), ident("M", "none", 0, nil), ident("M", "random", 10, nil),
		ident("M", "incorrect", 10, i64(6))} // a second seed: pooled rows
	ns := []int{3, 5, 8, 2, 16, 6}
	per := make([][]schemas.Sample, len(ids))
	for i, id := range ids {
		per[i] = simCheckpoint(r, id, p, p, ns[i], true)
	}
	dup := per[2][7]
	dup.Correct, dup.Extracted = !dup.Correct, sptr("dup")
	per[2] = append(per[2], dup)
	return ids, per
}

func TestSealGivesTheSameTables(t *testing.T) {
	ids, per := sealCorpus()
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"default ks", Options{Bootstrap: 200, Permutations: 300}},
		{"given ks", Options{Ks: []int{4, 1, 2, 0}, Bootstrap: 200, Permutations: 300}},
		{"two profiles", Options{Profiles: []string{"strict", "lenient"}, Bootstrap: 200, Permutations: 300}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run := func(seal bool, batch int) *Tables {
				a := New(tc.opts)
				for i, ss := range per {
					for len(ss) > 0 {
						n := min(batch, len(ss))
						a.Add(ss[:n])
						ss = ss[n:]
					}
					if seal {
						a.Seal(ids[i].Checkpoint)
						if len(a.ckpts) != 0 {
							t.Fatalf("after Seal(%s): %d checkpoints still hold samples", ids[i].Checkpoint, len(a.ckpts))
						}
					}
				}
				res, err := a.Result()
				if err != nil {
					t.Fatal(err)
				}
				return res
			}
			want := run(false, 1000)
			if len(want.Comparisons) == 0 || len(want.Transitions) == 0 {
				t.Fatal("corpus makes no comparisons: the test would not cover baselines")
			}
			for _, batch := range []int{1000, 37} {
				if got := run(true, batch); !reflect.DeepEqual(got, want) {
					t.Errorf("batch %d: tables differ when every checkpoint is sealed after its samples", batch)
				}
			}
		})
	}
}

func TestSealPartialAndUnknown(t *testing.T) {
	ids, per := sealCorpus()
	run := func(seal func(a *Aggregator, i int)) *Tables {
		a := New(Options{Bootstrap: 100, Permutations: 100})
		for i, ss := range per {
			a.Add(ss)
			seal(a, i)
		}
		res, err := a.Result()
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	want := run(func(*Aggregator, int) {})
	// Only some checkpoints sealed, a checkpoint sealed twice, an id that
	// never had samples: the tables are unchanged.
	got := run(func(a *Aggregator, i int) {
		if i%2 == 0 {
			a.Seal(ids[i].Checkpoint)
			a.Seal(ids[i].Checkpoint)
		}
		a.Seal("no/such/step0")
	})
	if !reflect.DeepEqual(got, want) {
		t.Error("tables differ with some checkpoints sealed")
	}
}

func TestSamplesAfterSealAreAnError(t *testing.T) {
	ids, per := sealCorpus()
	for _, tc := range []struct {
		name string
		feed func(a *Aggregator)
	}{
		{"after sealing its samples", func(a *Aggregator) {
			a.Add(per[0][:10])
			a.Seal(ids[0].Checkpoint)
			a.Add(per[0][10:])
		}},
		{"after sealing an empty checkpoint", func(a *Aggregator) {
			a.Seal(ids[1].Checkpoint)
			a.Add(per[1])
		}},
		{"resealed", func(a *Aggregator) {
			a.Add(per[0][:10])
			a.Seal(ids[0].Checkpoint)
			a.Add(per[0][10:])
			a.Seal(ids[0].Checkpoint)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := New(Options{Bootstrap: 50, Permutations: 50})
			tc.feed(a)
			_, err := a.Result()
			if !errors.Is(err, ErrSealed) || !strings.Contains(err.Error(), "checkpoint L/") {
				t.Errorf("Result: err = %v, want ErrSealed naming the checkpoint", err)
			}
		})
	}
}

// A sealed checkpoint keeps per-problem scores, not per-sample state: feeding
// ten checkpoints and sealing each leaves the heap about one checkpoint's size.
func TestSealReleasesSamples(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	const ckpts, problems, n = 10, 200, 128
	p := make([]float64, problems)
	for i := range p {
		p[i] = r.Float64()
	}
	grow := func(seal bool) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		a := New(Options{})
		for c := 0; c < ckpts; c++ {
			id := ident("M", "random", int64(c), nil)
			a.Add(simCheckpoint(r, id, p, p, n, true))
			if seal {
				a.Seal(id.Checkpoint)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(a)
		return after.HeapAlloc - min(after.HeapAlloc, before.HeapAlloc)
	}
	open, sealed := grow(false), grow(true)
	t.Logf("state after %d checkpoints: %d kB unsealed, %d kB sealed", ckpts, open>>10, sealed>>10)
	if sealed*3 > open {
		t.Errorf("sealed checkpoints keep %d kB, unsealed %d kB: want sealed < 1/3", sealed>>10, open>>10)
	}
}

// The extracted answer is usually a slice of the response: the aggregator
// keeps a copy, not the slice, so the response text is not kept alive.
func TestAnswersDoNotPinResponses(t *testing.T) {
	resp := strings.Repeat("work ", 400) + `\boxed{17}`
	ext := resp[len(resp)-3 : len(resp)-1]
	a := New(Options{})
	a.Add([]schemas.Sample{{Identity: ident("M", "none", 0, nil), ProblemID: "p", Response: resp, Extracted: &ext}})
	for _, c := range a.ckpts {
		got := c.problems["p"].strs[0]
		if got != "17" {
			t.Fatalf("interned %q, want 17", got)
		}
		if unsafe.StringData(got) == unsafe.StringData(ext) {
			t.Error("the interned answer shares the response's memory")
		}
	}
}
