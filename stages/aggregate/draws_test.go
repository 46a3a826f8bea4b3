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
					boot := bootstrapMeans(d, len(pc), 1, opts.Bootstrap, drawSeed(ref.opts.Seed, dc.key.evalset, s.name, subsetIDs(dc, pc)), nil)
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

// TestPackedBootstrapMatchesFloat: summing columns as packed integers gives
// the float path's resample means (to rounding), for columns that qualify
// (16- and 32-bit lanes, several words, missing values with a count lane)
// and columns that must not (not a multiple of 1/scale, negative, no scale).
func TestPackedBootstrapMatchesFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	const P, B = 700, 300
	type colGen struct {
		scale  int
		packed bool // expected to be summed as integers
		gen    func(i int) float64
	}
	cols := []colGen{
		{8, true, func(int) float64 { return float64(r.IntN(9)) / 8 }},
		{70, true, func(int) float64 { return float64(r.IntN(71)) / 70 }},                     // pass@4 of n=8
		{840, true, func(int) float64 { return float64(r.IntN(841)) / 840 }},                  // 32-bit lane
		{5, true, func(int) float64 { return float64(r.IntN(6)) / 5 }},                        // not dyadic
		{8, true, func(int) float64 { return float64(200+r.IntN(9000)) / 8 }},                 // chars: 32-bit lane
		{8, false, func(int) float64 { return r.Float64() }},                                  // not multiples of 1/8
		{8, false, func(int) float64 { return float64(r.IntN(17)-8) / 8 }},                    // negative
		{8, true, func(i int) float64 { return [2]float64{math.NaN(), 0.5}[i%2] }},            // missing values: count lane
		{840, true, func(i int) float64 { return [3]float64{math.NaN(), 1.0 / 7, 0.6}[i%3] }}, // accuracy_with_code
		{0, false, func(int) float64 { return float64(r.IntN(9)) / 8 }},                       // no scale given
		{8, true, func(int) float64 { return float64(r.IntN(9)) / 8 }},
		{8, true, func(int) float64 { return float64(r.IntN(9)) / 8 }},
		{8, true, func(int) float64 { return float64(r.IntN(9)) / 8 }},
		{8, false, func(i int) float64 { return [2]float64{math.NaN(), 0.3}[i%2] }}, // missing values, not multiples
		{8, true, func(int) float64 { return math.NaN() }},                          // all missing: NaN means
	}
	C := len(cols)
	x := make([]float64, P*C)
	scale := make([]int, C)
	for c, cg := range cols {
		scale[c] = cg.scale
		for i := 0; i < P; i++ {
			x[i*C+c] = cg.gen(i)
		}
	}
	var dense, sparse []int
	for c := range cols {
		if c == 7 || c == 8 || c >= 13 {
			sparse = append(sparse, c)
		} else {
			dense = append(dense, c)
		}
	}
	_, _, lanes := packable(x, P, C, dense, sparse[:len(sparse)-1], scale) // bootstrapMeans drops all-missing columns first
	packed := map[int]bool{}
	for _, lc := range lanes {
		packed[lc.c] = true
	}
	for c, cg := range cols {
		if c == C-1 {
			continue
		}
		if packed[c] != cg.packed {
			t.Errorf("column %d: packed %v, want %v", c, packed[c], cg.packed)
		}
	}
	want := bootstrapMeans(x, P, C, B, stream(1, "t"), nil)
	got := bootstrapMeans(x, P, C, B, stream(1, "t"), scale)
	for c := range cols {
		for b := 0; b < B; b++ {
			w, g := want[c][b], got[c][b]
			if math.IsNaN(w) != math.IsNaN(g) || math.Abs(w-g) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Fatalf("column %d resample %d: packed %v, float %v", c, b, g, w)
			}
		}
	}
}
