package aggregate

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// TestMetricCIsDependOnlyOnOwnData: a checkpoint's metrics rows are the same
// whether or not other checkpoints (its baseline among them) are aggregated
// with it.
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
