package aggregate

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchParts is the encoded partial state of 1,000 checkpoints (8 models ×
// 5 rewards × 25 steps, reward "none" at step 0 the baselines) × problems,
// with n samples per problem, split among shards parts. The checkpoints'
// per-problem state is that of ten checkpoints aggregated from simulated
// samples, relabelled: the state of a real checkpoint, built in seconds.
func benchParts(b *testing.B, o Options, problems, n, shards int) ([][]byte, int) {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	p := make([]float64, problems)
	for i := range p {
		p[i] = r.Float64()
	}
	var proto []sealedCkpt
	for c := 0; c < 10; c++ {
		a := New(o)
		a.Add(simCheckpoint(r, ident("proto", "random", int64(c), nil), p, p, n, true))
		part, err := a.Partial()
		if err != nil {
			b.Fatal(err)
		}
		for _, sc := range part.ckpts {
			proto = append(proto, sc)
		}
	}
	parts := make([]*Partial, shards)
	for i := range parts {
		parts[i] = &Partial{profiles: []string{"strict"}, ckpts: map[ckptKey]sealedCkpt{}, missing: map[string]int64{}}
	}
	count := 0
	for m := 0; m < 8; m++ {
		for rw, reward := range []string{"none", "random", "format", "incorrect", "ground_truth"} {
			for s := 0; s < 25; s++ {
				step := int64(s * 10)
				if reward == "none" && s > 0 {
					step = int64(1000 + s) // more untrained checkpoints, compared with nothing
				}
				id := ident(fmt.Sprintf("model-%d", m), reward, step, nil)
				k := keyOf(&id)
				sc := proto[(m+rw+s)%len(proto)]
				d := *sc.d
				d.key, d.id = k, k.identity()
				parts[count%shards].ckpts[k] = sealedCkpt{d: &d, lay: sc.lay}
				count++
			}
		}
	}
	var enc [][]byte
	for _, part := range parts {
		var buf bytes.Buffer
		if err := WritePartial(&buf, part); err != nil {
			b.Fatal(err)
		}
		enc = append(enc, buf.Bytes())
	}
	return enc, count
}

func decodeAndMerge(b *testing.B, o Options, enc [][]byte) *Aggregator {
	parts := make([]*Partial, len(enc))
	for i, e := range enc {
		p, err := ReadPartial(bytes.NewReader(e), "part")
		if err != nil {
			b.Fatal(err)
		}
		parts[i] = p
	}
	a, err := Merge(o, parts)
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// BenchmarkMergePartials is the merge of a sharded run of 1,000 checkpoints
// × 500 problems from 16 shards' partial state, with 8 and with 64 samples
// per problem (flat: the state is per problem, not per sample):
//
//   - decode: reading the state and building the merged Aggregator, the
//     merge's own work (production Options);
//   - tables: decode plus Result, every table, with 200 bootstrap resamples
//     and 1,000 sign flips (Result is the same statistics an unsharded run
//     computes; with the defaults, 2,000 and 10,000, it takes about ten
//     times longer, as in a single run).
func BenchmarkMergePartials(b *testing.B) {
	for _, n := range []int{8, 64} {
		o := Options{Ks: []int{1, 2, 4, 8}}
		enc, count := benchParts(b, o, 500, n, 16)
		size := 0
		for _, e := range enc {
			size += len(e)
		}
		b.Run(fmt.Sprintf("decode/checkpoints=%d/n=%d", count, n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				decodeAndMerge(b, o, enc)
			}
			b.ReportMetric(float64(size)/1e6, "state-MB")
		})
		b.Run(fmt.Sprintf("tables/checkpoints=%d/n=%d", count, n), func(b *testing.B) {
			o := o
			o.Bootstrap, o.Permutations = 200, 1000
			b.ReportAllocs()
			for b.Loop() {
				if _, err := decodeAndMerge(b, o, enc).Result(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
