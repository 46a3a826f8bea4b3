package aggregate

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// Alpha is the level of every comparison test and interval: p < Alpha is
// significant, and the intervals are 1 − Alpha = 95% intervals.
const Alpha = 0.05

// MethodSignFlip names the comparison procedure in comparisons.method (and
// boundary.method): the p-value is the two-sided mid-p sign-flip test of
// "the paired differences are symmetric about 0", and the interval is the
// set of shifts δ that the same test does not reject at 5% (doc.go).
const MethodSignFlip = "signflip-midp95"

// Values of comparisons.ci_scope: what a delta's interval accounts for.
const (
	CIScopeProblems      = "problems"
	CIScopeSeedsProblems = "seeds+problems"
)

// flipResult is one column's test: the mid-p value at δ = 0 and the
// inverted interval. lo/hi are NaN when the test cannot reject any shift on
// that side (too few problems: with m pairs the smallest attainable p is
// 2^−m, so 4 or fewer pairs never reject).
type flipResult struct {
	p, lo, hi float64
}

// signFlipInvert runs the comparison procedure on every column of the P×C
// matrix d of paired differences (NaN = pair missing, left out). With m
// present pairs, the sign vectors are all 2^m when 2^m ≤ perms (exact), else
// perms random vectors drawn from r (shared by every column) plus the
// observed one. For a shift δ, the statistic is T(δ) = Σ (d_i − δ) and a
// sign vector s gives T*(δ) = Σ s_i (d_i − δ); p(δ) counts |T*| > |T| as 1
// and |T*| = |T| as ½ (mid-p), over the number of vectors.
//
// For one sign vector with A = Σ s_i d_i and S = Σ s_i, |T*(δ)| ≥ |T(δ)| is
// a quadratic inequality in δ whose solution set is the closed interval
// between (D − A)/(m − S) and (D + A)/(m + S) (D = Σ d_i), and every such
// interval contains the mean D/m; S = ±m is a tie at every δ. So p(δ) is
// unimodal around the mean, {δ : p(δ) ≥ Alpha} is an interval, and its end
// points are found exactly by sorting the vectors' interval ends; p(0) is
// computed from the same intervals, so the interval excludes 0 exactly when
// p(0) < Alpha. Where 0 is an end of the interval and p(0) < Alpha (the set
// is open there), the end is moved to the nearest float beyond 0.
//
// scale (nil, or one per column) names columns whose differences are
// multiples of 1/scale[c]: they are counted as integers, so ties are exact.
func signFlipInvert(d []float64, P, C, perms int, r *rand.PCG, scale []int) []flipResult {
	out := make([]flipResult, C)
	// One set of random sign words, shared by every Monte Carlo column.
	var words []uint64
	nw := (P + 63) / 64
	needMC := false
	present := make([][]int, C)
	for c := 0; c < C; c++ {
		for i := 0; i < P; i++ {
			if v := d[i*C+c]; v == v {
				present[c] = append(present[c], i)
			}
		}
		if m := len(present[c]); !exactFlips(m, perms) {
			needMC = true
		}
	}
	if needMC {
		words = make([]uint64, perms*nw)
		for i := range words {
			words[i] = r.Uint64()
		}
	}
	for c := 0; c < C; c++ {
		idx := present[c]
		m := len(idx)
		if m == 0 {
			out[c] = flipResult{p: math.NaN(), lo: math.NaN(), hi: math.NaN()}
			continue
		}
		x := make([]float64, m)
		L := 1.0
		if scale != nil && scale[c] > 0 {
			L = float64(scale[c])
		}
		allZero := true
		for j, i := range idx {
			v := d[i*C+c]
			x[j] = v
			if v != 0 {
				allZero = false
			}
		}
		if allZero {
			out[c] = flipResult{p: 1, lo: 0, hi: 0}
			continue
		}
		if L != 1 {
			if !toIntegers(x, L) {
				for j, i := range idx {
					x[j] = d[i*C+c]
				}
				L = 1
			}
		}
		var fl flipIntervals
		if exactFlips(m, perms) {
			fl = exactIntervals(x)
		} else {
			fl = mcIntervals(x, idx, words, nw, perms)
		}
		out[c] = fl.invert(x, L)
	}
	return out
}

// exactFlips reports whether m pairs are enumerated exactly under perms.
func exactFlips(m, perms int) bool { return m < 31 && 1<<uint(m) <= perms }

// toIntegers rescales x to x·L in place when every value is then an integer
// (to 1e-9) of magnitude below 2^40, and reports whether it did.
func toIntegers(x []float64, L float64) bool {
	y := make([]float64, len(x))
	for j, v := range x {
		s := v * L
		iv := math.Round(s)
		if math.Abs(s-iv) > 1e-9*math.Max(1, math.Abs(iv)) || math.Abs(iv) > 1<<40 {
			return false
		}
		y[j] = iv
	}
	copy(x, y)
	return true
}

// flipIntervals holds, per sign vector that is not a tie everywhere, the
// interval of shifts where |T*| ≥ |T|, plus the half-units every shift gets
// from the vectors that tie everywhere, and the number of vectors n.
type flipIntervals struct {
	lo, hi []float64
	ties   int // half-units contributed at every δ
	n      int // number of sign vectors (the denominator)
}

// add records one sign vector with A = Σ s_i x_i, S = Σ s_i, over m values
// summing to D.
func (f *flipIntervals) add(A, D float64, S, m int) {
	if S == m || S == -m {
		f.ties++
		return
	}
	r1 := (D - A) / float64(m-S)
	r2 := (D + A) / float64(m+S)
	f.lo = append(f.lo, min(r1, r2))
	f.hi = append(f.hi, max(r1, r2))
}

// exactIntervals enumerates all 2^m sign vectors of x in Gray-code order.
func exactIntervals(x []float64) flipIntervals {
	m := len(x)
	var D float64
	for _, v := range x {
		D += v
	}
	n := 1 << uint(m)
	f := flipIntervals{n: n, lo: make([]float64, 0, n), hi: make([]float64, 0, n)}
	A, S := D, m
	neg := make([]bool, m)
	f.add(A, D, S, m)
	for g := 1; g < n; g++ {
		j := bits.TrailingZeros(uint(g))
		if neg[j] {
			A += 2 * x[j]
			S += 2
		} else {
			A -= 2 * x[j]
			S -= 2
		}
		neg[j] = !neg[j]
		f.add(A, D, S, m)
	}
	return f
}

// mcIntervals uses the perms random sign vectors in words (bit i of vector b
// set: problem i keeps its sign) restricted to the present problems idx,
// plus the observed vector (a tie everywhere), so n = perms + 1.
func mcIntervals(x []float64, idx []int, words []uint64, nw, perms int) flipIntervals {
	m := len(x)
	var D float64
	for _, v := range x {
		D += v
	}
	f := flipIntervals{n: perms + 1, ties: 1, lo: make([]float64, 0, perms), hi: make([]float64, 0, perms)}
	// Subset-sum tables over blocks of 8 present values: one vector costs
	// m/8 lookups.
	nblk := (m + 7) / 8
	tab := make([]float64, nblk*256)
	cnt := make([]int, nblk*256)
	for blk := 0; blk < nblk; blk++ {
		base := blk * 256
		for mask := 1; mask < 256; mask++ {
			low := bits.TrailingZeros8(uint8(mask))
			j := blk*8 + low
			prev := base + (mask & (mask - 1))
			tab[base+mask], cnt[base+mask] = tab[prev], cnt[prev]
			if j < m {
				tab[base+mask] += x[j]
				cnt[base+mask]++
			}
		}
	}
	for b := 0; b < perms; b++ {
		w := words[b*nw : (b+1)*nw]
		var plus float64
		nplus := 0
		for blk := 0; blk < nblk; blk++ {
			mask := 0
			for k := 0; k < 8; k++ {
				j := blk*8 + k
				if j >= m {
					break
				}
				i := idx[j]
				mask |= int(w[i>>6]>>(uint(i)&63)&1) << uint(k)
			}
			plus += tab[blk*256+mask]
			nplus += cnt[blk*256+mask]
		}
		f.add(2*plus-D, D, 2*nplus-m, m)
	}
	return f
}

// halfUnits is 2·(number of vectors with |T*(δ)| > |T(δ)|) + (number with
// equality): p(δ) = halfUnits / (2n).
func (f *flipIntervals) halfUnits(delta float64) int {
	h := f.ties
	for b := range f.lo {
		lo, hi := f.lo[b], f.hi[b]
		switch {
		case delta == lo || delta == hi:
			h++
		case lo < delta && delta < hi:
			h += 2
		}
	}
	return h
}

// invert returns p(0) and the interval {δ : p(δ) ≥ Alpha} of the vectors in
// f, for values x scaled by L (bounds are divided by L).
func (f *flipIntervals) invert(x []float64, L float64) flipResult {
	pOf := func(h int) float64 { return float64(h) / float64(2*f.n) }
	accept := func(h int) bool { return pOf(h) >= Alpha }
	res := flipResult{p: pOf(f.halfUnits(0)), lo: math.NaN(), hi: math.NaN()}
	if !accept(f.ties) {
		// Upper end: the largest interval end v such that just below v every
		// vector with hi ≥ v counts fully and the shift is accepted.
		his := slices.Clone(f.hi)
		slices.Sort(his)
		res.hi = endOf(his, f.ties, accept)
		los := slices.Clone(f.lo)
		slices.Sort(los)
		slices.Reverse(los)
		res.lo = endOf(los, f.ties, accept)
		res.lo /= L
		res.hi /= L
	}
	// p is computed at exactly 0, the interval from its ends: where 0 is an
	// end that the test rejects, the interval is open there.
	if res.p < Alpha {
		if res.hi == 0 {
			res.hi = math.Nextafter(0, -1)
		}
		if res.lo == 0 {
			res.lo = math.Nextafter(0, 1)
		}
	}
	return res
}

// endOf scans sorted interval ends from the far end inward (ends[len-1] is
// the farthest from the mean) and returns the farthest end v at which the
// shifts just inside v are accepted: ties + 2·#{ends at or beyond v}.
func endOf(ends []float64, ties int, accept func(int) bool) float64 {
	n := len(ends)
	for j := n - 1; j >= 0; j-- {
		if j > 0 && ends[j-1] == ends[j] {
			continue // take the whole group of equal ends at once
		}
		if accept(ties + 2*(n-j)) {
			return ends[j]
		}
	}
	return ends[0]
}
