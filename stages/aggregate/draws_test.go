package aggregate

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// TestDeltaCIEqualsPairedBootstrap checks the shared-draws shortcut: every
// comparison interval equals the percentile interval of the paired bootstrap
// computed directly from the per-problem differences with the draws of the
// paired problem set — whether Result took the shortcut (same problems on
// both sides) or resampled the differences (problems missing on one side, a
// column with missing scores).
func TestDeltaCIEqualsPairedBootstrap(t *testing.T) {
	tests := []struct {
		name          string
		dropCkpt      int  // problems the checkpoint lacks (from the end)
		dropBase      int  // problems the baseline lacks (from the start)
		partialTokens bool // response_tokens on some samples only
	}{
		{"same problems", 0, 0, false},
		{"checkpoint lacks problems", 40, 0, false},
		{"baseline lacks problems", 0, 25, false},
		{"tokens on some samples", 0, 0, true},
	}
	for ti, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(ti)+1, 5))
			const P, n = 300, 4
			p, code := make([]float64, P), make([]float64, P)
			for i := range p {
				p[i], code[i] = r.Float64(), r.Float64()
			}
			base := ident("M", "none", 0, nil)
			ck := ident("M", "random", 10, nil)
			bs := simCheckpoint(r, base, p, code, n, true)[tt.dropBase*n:]
			cs := simCheckpoint(r, ck, p, code, n, true)
			cs = cs[:len(cs)-tt.dropCkpt*n]
			if tt.partialTokens {
				for i := range cs {
					if i%3 != 0 {
						v := int64(100 + i%50)
						cs[i].ResponseTokens = &v
					}
				}
				for i := range bs {
					if i%2 == 0 {
						v := int64(90 + i%70)
						bs[i].ResponseTokens = &v
					}
				}
			}
			opts := Options{Bootstrap: 500, Permutations: 200}
			a := New(opts)
			a.Add(bs)
			a.Add(cs)
			res, err := a.Result()
			if err != nil {
				t.Fatal(err)
			}

			// The reference, from the same per-problem scores.
			ref := New(opts)
			ref.Add(bs)
			ref.Add(cs)
			keys := []ckptKey{keyOf(&base), keyOf(&ck)}
			ks, _ := ref.resolveKs(keys)
			l := newLayout(1, ks)
			db := summarize(ref.ckpts[keys[0]], l, 1)
			dc := summarize(ref.ckpts[keys[1]], l, 1)
			ci, bi := pairProblems(dc, db)
			bOf := map[int]int{}
			for k := range ci {
				bOf[ci[k]] = bi[k]
			}
			M := len(l.cols)
			checked := 0
			for _, s := range dc.subsets {
				var pc, pb []int
				for _, i := range s.probs {
					if j, ok := bOf[i]; ok {
						pc, pb = append(pc, i), append(pb, j)
					}
				}
				for _, col := range l.comparisonOrder() {
					d := make([]float64, len(pc))
					for j := range pc {
						d[j] = dc.scores[pc[j]*M+col] - db.scores[pb[j]*M+col]
					}
					boot := bootstrapMeans(d, len(pc), 1, opts.Bootstrap, drawSeed(ref.opts.Seed, dc.key.evalset, s.name, subsetIDs(dc, pc)))
					lo, hi := percentileCI(boot[0])
					row := findComparison(res, ck.Checkpoint, s.name, l.cols[col].metric, int64(l.cols[col].k))
					if row == nil {
						t.Fatalf("%s %s k=%d: no comparison row", s.name, l.cols[col].metric, l.cols[col].k)
					}
					if row.Delta == nil {
						if !math.IsNaN(lo) {
							t.Errorf("%s %s k=%d: null delta, reference CI [%v, %v]", s.name, row.Metric, l.cols[col].k, lo, hi)
						}
						continue
					}
					checked++
					if math.Abs(*row.DeltaCILow-lo) > 1e-12 || math.Abs(*row.DeltaCIHigh-hi) > 1e-12 {
						t.Errorf("%s %s k=%d: delta CI [%v, %v], direct paired bootstrap [%v, %v]",
							s.name, row.Metric, l.cols[col].k, *row.DeltaCILow, *row.DeltaCIHigh, lo, hi)
					}
				}
			}
			if checked == 0 {
				t.Fatal("no comparison row checked")
			}
		})
	}
}

// TestMetricCIsDependOnlyOnOwnData: a checkpoint's metrics rows are the same
// whether or not other checkpoints (its baseline among them) are aggregated
// with it, although comparing makes Result resample more columns.
func TestMetricCIsDependOnlyOnOwnData(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	p := make([]float64, 120)
	for i := range p {
		p[i] = r.Float64()
	}
	ck := ident("M", "random", 10, nil)
	cs := simCheckpoint(r, ck, p, p, 4, true)
	others := append(simCheckpoint(r, ident("M", "none", 0, nil), p, p, 4, true),
		simCheckpoint(r, ident("M", "format", 10, nil), p, nil, 4, true)...)
	rows := func(batches ...[]schemas.Sample) []schemas.Metric {
		a := New(Options{Bootstrap: 300, Permutations: 100})
		for _, b := range batches {
			a.Add(b)
		}
		res, err := a.Result()
		if err != nil {
			t.Fatal(err)
		}
		var out []schemas.Metric
		for _, m := range res.Metrics {
			if m.Checkpoint == ck.Checkpoint {
				out = append(out, m)
			}
		}
		return out
	}
	alone, with := rows(cs), rows(others, cs)
	if len(alone) == 0 || !reflect.DeepEqual(alone, with) {
		t.Errorf("checkpoint %s: metrics rows differ when aggregated with its baseline (%d vs %d rows)", ck.Checkpoint, len(alone), len(with))
	}
}
