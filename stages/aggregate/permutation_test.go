package aggregate

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"
)

// bruteMidP enumerates every sign vector over all differences with explicit
// loops and returns the mid-p value of the shift δ: the share of vectors with
// |Σ s_i (d_i − δ)| > |Σ (d_i − δ)| plus half the share with equality. The
// reference for signFlipInvert (its inputs are multiples of 1/8 and δ of
// 1/64, so every sum here is exact in floating point).
func bruteMidP(d []float64, delta float64) float64 {
	var obs float64
	for _, v := range d {
		obs += v - delta
	}
	n := 1 << len(d)
	var h float64
	for mask := 0; mask < n; mask++ {
		var t float64
		for i, v := range d {
			if mask&(1<<i) != 0 {
				t -= v - delta
			} else {
				t += v - delta
			}
		}
		switch {
		case math.Abs(t) > math.Abs(obs):
			h++
		case math.Abs(t) == math.Abs(obs):
			h += 0.5
		}
	}
	return h / float64(n)
}

// TestSignFlipInvertMatchesBruteForce: with exact enumeration, p(0) is the
// brute-force mid-p value, every shift on a 1/64 grid strictly inside the
// interval is accepted by the brute-force test (p ≥ 0.05) and every shift
// outside it is rejected, on discrete differences full of ties.
func TestSignFlipInvertMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for trial := 0; trial < 200; trial++ {
		P := 1 + r.IntN(11)
		d := make([]float64, P)
		for i := range d {
			d[i] = float64(r.IntN(9)-3) / 8
			if r.IntN(4) == 0 {
				d[i] = 0
			}
		}
		for _, scale := range [][]int{nil, {8}} {
			got := signFlipInvert(d, P, 1, 1<<12, rand.NewPCG(1, 1), scale)[0]
			allZero := true
			for _, v := range d {
				allZero = allZero && v == 0
			}
			if allZero {
				if got.p != 1 || got.lo != 0 || got.hi != 0 {
					t.Fatalf("d=%v: all zero, got %+v, want p 1 and [0, 0]", d, got)
				}
				continue
			}
			if want := bruteMidP(d, 0); math.Abs(got.p-want) > 1e-12 {
				t.Fatalf("d=%v scale %v: p = %v, brute force %v", d, scale, got.p, want)
			}
			for g := -128; g <= 128; g++ {
				delta := float64(g) / 64
				pd := bruteMidP(d, delta)
				inside := (math.IsNaN(got.lo) || delta > got.lo) && (math.IsNaN(got.hi) || delta < got.hi)
				outside := (!math.IsNaN(got.lo) && delta < got.lo) || (!math.IsNaN(got.hi) && delta > got.hi)
				if inside && pd < Alpha {
					t.Fatalf("d=%v: δ=%v inside [%v, %v] but brute-force p(δ) = %v", d, delta, got.lo, got.hi, pd)
				}
				if outside && pd >= Alpha {
					t.Fatalf("d=%v: δ=%v outside [%v, %v] but brute-force p(δ) = %v", d, delta, got.lo, got.hi, pd)
				}
			}
			if excl := got.lo > 0 || got.hi < 0; excl != (got.p < Alpha) {
				t.Fatalf("d=%v: interval [%v, %v] and p %v disagree", d, got.lo, got.hi, got.p)
			}
		}
	}
}

// Four pairs can never reach p < 0.05 (the smallest mid-p is 2^−4): the
// interval is unbounded (NaN ends); five can.
func TestSignFlipInvertFewPairs(t *testing.T) {
	f := signFlipInvert([]float64{1, 1, 1, 1}, 4, 1, 10000, rand.NewPCG(1, 1), nil)[0]
	if !math.IsNaN(f.lo) || !math.IsNaN(f.hi) || f.p != 1.0/16 {
		t.Errorf("four equal differences: %+v, want p 1/16 and an unbounded interval", f)
	}
	f = signFlipInvert([]float64{1, 1, 1, 1, 1}, 5, 1, 10000, rand.NewPCG(1, 1), nil)[0]
	if f.p != 1.0/32 || !(f.lo > 0) || f.hi != 1 {
		t.Errorf("five equal differences: %+v, want p 1/32 and an interval above 0 ending at 1", f)
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
		want := signFlipInvert(d, P, 1, 1<<16, nil, nil)[0] // exact
		se := math.Sqrt(want.p*(1-want.p)/DefaultPermutations) + 1e-4
		for _, scale := range [][]int{nil, {8}} {
			got := signFlipInvert(d, P, 1, DefaultPermutations, rand.NewPCG(uint64(trial), 9), scale)[0]
			if math.Abs(got.p-want.p) > 4*se {
				t.Errorf("d=%v scale %v: Monte Carlo p = %.4f, exact %.4f (tolerance %.4f)", d, scale, got.p, want.p, 4*se)
			}
			if math.Abs(got.lo-want.lo) > 0.15 || math.Abs(got.hi-want.hi) > 0.15 {
				t.Errorf("d=%v scale %v: Monte Carlo interval [%.3f, %.3f], exact [%.3f, %.3f]", d, scale, got.lo, got.hi, want.lo, want.hi)
			}
		}
	}
}

func TestSignFlipEdgeCases(t *testing.T) {
	if f := signFlipInvert([]float64{0, 0, 0}, 3, 1, 100, rand.NewPCG(1, 1), nil)[0]; f.p != 1 || f.lo != 0 || f.hi != 0 {
		t.Errorf("all-zero differences: %+v, want p 1 and [0, 0]", f)
	}
	if f := signFlipInvert([]float64{math.NaN(), math.NaN()}, 2, 1, 100, rand.NewPCG(1, 1), nil)[0]; !math.IsNaN(f.p) {
		t.Errorf("no pairs: %+v, want NaN", f)
	}
	// Ten equal positive differences: only the two all-equal sign vectors
	// reach |T|, and they tie: mid-p = 2·½/1024.
	d := []float64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1}
	if f := signFlipInvert(d, 10, 1, 10000, rand.NewPCG(1, 1), nil)[0]; f.p != 1.0/1024 {
		t.Errorf("ten equal differences: p = %v, want 1/1024", f.p)
	}
	// Monte Carlo never reports 0: the observed vector counts ½.
	d = make([]float64, 40)
	for i := range d {
		d[i] = 1
	}
	if f := signFlipInvert(d, 40, 1, 999, rand.NewPCG(1, 1), nil)[0]; f.p != 0.5/1000 || f.hi != 1 {
		t.Errorf("forty equal differences, 999 flips: %+v, want p 0.5/1000 and hi 1", f)
	}
	// NaN (missing pair) is left out, not propagated.
	if f := signFlipInvert([]float64{math.NaN(), 1, 1}, 3, 1, 100, rand.NewPCG(1, 1), nil)[0]; f.p != 0.25 {
		t.Errorf("with a missing pair: p = %v, want 0.25", f.p)
	}
}

// Under the null (differences symmetric about 0) the mid-p values must be
// close to uniform for continuous differences and keep P(p < α) near α for
// the discrete differences c/n scores give.
func TestSignFlipUniformUnderNull(t *testing.T) {
	const sets, P = 600, 40
	null := func(discrete bool, seed uint64) []float64 {
		r := rand.New(rand.NewPCG(seed, 12))
		var ps []float64
		for s := 0; s < sets; s++ {
			d := make([]float64, P)
			for i := range d {
				if discrete {
					d[i] = float64(r.IntN(5)-r.IntN(5)) / 4
				} else {
					d[i] = r.NormFloat64() * (1 + float64(i%3))
				}
			}
			var scale []int
			if discrete {
				scale = []int{4}
			}
			ps = append(ps, signFlipInvert(d, P, 1, 999, rand.NewPCG(uint64(s), seed), scale)[0].p)
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
		if ks > 0.067 { // the 1% critical value of the KS statistic for 600 draws
			t.Errorf("KS distance of null p-values from uniform = %.3f, want ≤ 0.067", ks)
		}
	})
	t.Run("discrete: calibrated", func(t *testing.T) {
		ps := null(true, 13)
		for _, alpha := range []float64{0.01, 0.05, 0.1, 0.25, 0.5} {
			below := sort.SearchFloat64s(ps, alpha)
			rate := float64(below) / sets
			se := math.Sqrt(alpha * (1 - alpha) / sets)
			if rate > alpha+3*se || (alpha >= 0.05 && rate < alpha-3*se) {
				t.Errorf("P(p < %.2f) under the null = %.3f, want %.3f ± %.3f", alpha, rate, alpha, 3*se)
			}
		}
	})
}

// TestKthSmallestMatchesSort: the bucketed selection returns the k-th
// value of the sorted slice for every k, on ends drawn from the regimes the
// test produces (many duplicates, a few outliers, values of every sign and
// scale, a constant slice, a sample that misleads its bounds), and reorders
// without losing values.
func TestKthSmallestMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 300; trial++ {
		n := 1 + r.IntN(5000)
		xs := make([]float64, n)
		mode := trial % 5
		for i := range xs {
			switch mode {
			case 4:
				// The sampled positions (multiples of n/256) unrepresentative:
				// the bracketing bounds miss and the fallback selects.
				xs[i] = 1 + r.Float64()
				if step := max(1, n/256); i%step == 0 {
					xs[i] = 0
				}
			case 0:
				xs[i] = float64(r.IntN(40)-20) / float64(1+r.IntN(50))
			case 1:
				xs[i] = r.NormFloat64() * math.Pow(10, float64(r.IntN(20)-10))
			case 2:
				xs[i] = 0.25
			default:
				xs[i] = r.Float64()
				if r.IntN(100) == 0 {
					xs[i] = 1e12 * r.NormFloat64()
				}
			}
		}
		want := append([]float64(nil), xs...)
		sort.Float64s(want)
		for _, k := range []int{0, n / 40, n / 2, n - 1 - n/40, n - 1, r.IntN(n)} {
			got := append([]float64(nil), xs...)
			if v := kthSmallest(got, k); v != want[k] {
				t.Fatalf("trial %d (n=%d, mode %d): %d-th smallest %v, want %v", trial, n, mode, k, v, want[k])
			}
			sort.Float64s(got)
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("trial %d: values changed by the reordering", trial)
				}
			}
		}
	}
}
