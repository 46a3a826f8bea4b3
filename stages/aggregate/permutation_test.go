package aggregate

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// bruteSignFlip enumerates every sign vector over all P differences
// (zeros included) with explicit loops: the reference for signFlipP.
func bruteSignFlip(d []float64) float64 {
	var obs, abs float64
	for _, v := range d {
		obs += v
		abs += math.Abs(v)
	}
	tol := 1e-9 * abs
	n := 1 << len(d)
	count := 0
	for mask := 0; mask < n; mask++ {
		var t float64
		for i, v := range d {
			if mask&(1<<i) != 0 {
				t -= v
			} else {
				t += v
			}
		}
		if math.Abs(t) >= math.Abs(obs)-tol {
			count++
		}
	}
	return float64(count) / float64(n)
}

func TestSignFlipExactMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 300; trial++ {
		P := 1 + r.IntN(12)
		d := make([]float64, P)
		for i := range d {
			switch r.IntN(3) {
			case 0:
				d[i] = 0
			case 1: // discrete differences, as c/n scores give: many exact ties
				d[i] = float64(r.IntN(9)-4) / 8
			default:
				d[i] = r.NormFloat64() + 0.3
			}
		}
		got := signFlipP(d, P, 1, 1<<12, rand.NewPCG(1, 1), nil)[0]
		want := bruteSignFlip(d)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("d=%v: p = %v, brute force %v", d, got, want)
		}
	}
}

func TestSignFlipMonteCarloAgreesWithExact(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for trial := 0; trial < 5; trial++ {
		const P = 16 // 2^16 > 10000: Monte Carlo path
		d := make([]float64, P)
		for i := range d {
			d[i] = float64(r.IntN(9)-3) / 8
		}
		want := bruteSignFlip(d)
		se := math.Sqrt(want*(1-want)/DefaultPermutations) + 1e-4
		for _, scale := range [][]int{nil, {8}} { // float sums, integer lanes
			got := signFlipP(d, P, 1, DefaultPermutations, rand.NewPCG(uint64(trial), 9), scale)[0]
			if math.Abs(got-want) > 4*se {
				t.Errorf("d=%v scale %v: Monte Carlo p = %.4f, exact %.4f (tolerance %.4f)", d, scale, got, want, 4*se)
			}
		}
	}
}

func TestSignFlipEdgeCases(t *testing.T) {
	if p := signFlipP([]float64{0, 0, 0}, 3, 1, 100, rand.NewPCG(1, 1), nil)[0]; p != 1 {
		t.Errorf("all-zero differences: p = %v, want 1", p)
	}
	if p := signFlipP(nil, 0, 1, 100, rand.NewPCG(1, 1), nil)[0]; p != 1 {
		t.Errorf("no pairs: p = %v, want 1", p)
	}
	// Ten equal positive differences: only the two all-equal sign vectors reach |T|.
	d := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	if p := signFlipP(d, 10, 1, 10000, rand.NewPCG(1, 1), nil)[0]; math.Abs(p-2.0/1024) > 1e-15 {
		t.Errorf("ten equal differences: p = %v, want 2/1024", p)
	}
	// Monte Carlo never reports 0: the +1 correction bounds it below by 1/(B+1).
	d = make([]float64, 40)
	for i := range d {
		d[i] = 1
	}
	if p := signFlipP(d, 40, 1, 999, rand.NewPCG(1, 1), nil)[0]; p != 1.0/1000 {
		t.Errorf("forty equal differences, 999 flips: p = %v, want 1/1000", p)
	}
	// NaN (missing pair) is ignored, not propagated.
	if p := signFlipP([]float64{math.NaN(), 1, 1}, 3, 1, 100, rand.NewPCG(1, 1), nil)[0]; p != 0.5 {
		t.Errorf("with a missing pair: p = %v, want 0.5", p)
	}
}

// Under the null (differences symmetric about 0) the p-values must be
// uniform for continuous differences (Kolmogorov–Smirnov bound) and valid,
// P(p ≤ α) ≤ α up to noise, for the discrete differences c/n scores give.
func TestSignFlipUniformUnderNull(t *testing.T) {
	const sets, P = 600, 40
	null := func(discrete bool, seed uint64) []float64 {
		r := rand.New(rand.NewPCG(seed, 12))
		var ps []float64
		for s := 0; s < sets; s++ {
			d := make([]float64, P)
			for i := range d {
				if discrete { // difference of two per-problem accuracies c/4 with the same distribution
					d[i] = float64(r.IntN(5)-r.IntN(5)) / 4
				} else {
					d[i] = r.NormFloat64() * (1 + float64(i%3))
				}
			}
			var scale []int
			if discrete {
				scale = []int{4} // integer lanes
			}
			ps = append(ps, signFlipP(d, P, 1, 999, rand.NewPCG(uint64(s), seed), scale)[0])
		}
		sort.Float64s(ps)
		return ps
	}
	t.Run("continuous: uniform", func(t *testing.T) {
		ps := null(false, 11)
		ks := 0.0
		for i, p := range ps {
			ks = math.Max(ks, math.Max(math.Abs(float64(i+1)/sets-p), math.Abs(p-float64(i)/sets)))
		}
		// The 1% critical value of the KS statistic for 600 draws is 0.067.
		if ks > 0.067 {
			t.Errorf("KS distance of null p-values from uniform = %.3f, want ≤ 0.067", ks)
		}
	})
	t.Run("discrete: valid", func(t *testing.T) {
		ps := null(true, 13)
		for _, alpha := range []float64{0.01, 0.05, 0.1, 0.25, 0.5} {
			below := sort.SearchFloat64s(ps, alpha+1e-12)
			rate := float64(below) / sets
			if se := math.Sqrt(alpha * (1 - alpha) / sets); rate > alpha+3*se {
				t.Errorf("P(p ≤ %.2f) under the null = %.3f, want ≤ %.3f", alpha, rate, alpha+3*se)
			}
			if alpha >= 0.05 && rate < alpha/2 {
				t.Errorf("P(p ≤ %.2f) under the null = %.3f: test far too conservative", alpha, rate)
			}
		}
	})
}

// TestSignFlipIntegerLanesMatchFloat: columns counted on integer lanes (16-
// and 32-bit, with zeros, missing pairs and negative differences) give the
// same Monte Carlo p-values as the float sums with the same sign vectors,
// next to columns that do not qualify.
func TestSignFlipIntegerLanesMatchFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	const P = 203 // not a multiple of 8: a partial last block
	gens := []struct {
		scale int
		gen   func(i int) float64
	}{
		{8, func(int) float64 { return float64(r.IntN(17)-8) / 8 }},
		{8, func(int) float64 { return float64(r.IntN(17)-7) / 8 }}, // shifted: small p
		{70, func(int) float64 { return float64(r.IntN(141)-70) / 70 }},
		{840, func(int) float64 { return float64(r.IntN(1681)-840) / 840 }}, // 32-bit lane
		{8, func(i int) float64 { return [3]float64{math.NaN(), 0, 0.25}[i%3] }},
		{8, func(int) float64 { return r.NormFloat64() }}, // not multiples: float path
		{5, func(int) float64 { return float64(r.IntN(11)-5) / 5 }},
		{8, func(int) float64 { return float64(r.IntN(3)) / 8 }},
		{8, func(int) float64 { return float64(r.IntN(3)-1) / 8 }},
	}
	C := len(gens)
	d := make([]float64, P*C)
	scale := make([]int, C)
	for c, g := range gens {
		scale[c] = g.scale
		for i := 0; i < P; i++ {
			d[i*C+c] = g.gen(i)
		}
	}
	want := signFlipP(d, P, C, 3000, rand.NewPCG(3, 4), nil)
	got := signFlipP(d, P, C, 3000, rand.NewPCG(3, 4), scale)
	for c := range gens {
		if got[c] != want[c] {
			t.Errorf("column %d: integer lanes p = %v, float p = %v", c, got[c], want[c])
		}
	}
}
