package aggregate

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"sync"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Alpha is the level of every comparison test and interval: p < Alpha is
// significant, and the intervals are 1 − Alpha = 95% intervals.
const Alpha = schemas.Alpha

// MethodSignFlip names the comparison procedure in comparisons.method (and
// boundary.method): the p-value is the two-sided mid-p sign-flip test of
// "the paired differences are symmetric about 0", and the interval is the
// set of shifts δ that the same test does not reject at 5% (doc.go).
const MethodSignFlip = schemas.MethodSignFlip

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
	var denseCols []int
	var denseX [][]float64
	var denseL []float64
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
		switch {
		case exactFlips(m, perms):
			buf := getEnds(2 << uint(m))
			fl := exactIntervals(x, *buf)
			out[c] = fl.invert(L)
			endsPool.Put(buf)
		case m == P:
			// Every problem present: counted below with the other such
			// columns, sharing each vector's block masks.
			denseCols, denseX, denseL = append(denseCols, c), append(denseX, x), append(denseL, L)
		default:
			buf := getEnds(2 * perms)
			fl := mcIntervals(x, idx, words, nw, perms, *buf)
			out[c] = fl.invert(L)
			endsPool.Put(buf)
		}
	}
	if len(denseCols) > 0 {
		buf := getEnds(2 * len(denseCols) * perms)
		fls := mcIntervalsDense(denseX, words, nw, perms, *buf)
		for k, c := range denseCols {
			out[c] = fls[k].invert(denseL[k])
		}
		endsPool.Put(buf)
	}
	return out
}

// endsPool holds the buffers of interval ends (2 floats per sign vector and
// column, 1.6 MB for ten columns of 10,000 vectors) for reuse: a test needs
// them only until its intervals are inverted, and allocating them afresh for
// each of a run's comparisons made most of Result's allocation (gigabytes on
// a thousand checkpoints) and kept the GC busy and the heap high.
var endsPool sync.Pool

// getEnds returns a pooled buffer of at least n floats (its contents are
// arbitrary: every end is written before it is read).
func getEnds(n int) *[]float64 {
	if b, ok := endsPool.Get().(*[]float64); ok && cap(*b) >= n {
		*b = (*b)[:n]
		return b
	}
	b := make([]float64, n)
	return &b
}

// mcIntervalsDense is mcIntervals for several columns with every problem
// present (each x of the same length), in one pass over the sign vectors:
// one subset-sum table holds all columns, so a vector costs one block mask
// and one row of lookups per 8 problems.
//
// ends (at least 2·len(xs)·perms floats) holds the intervals' ends.
func mcIntervalsDense(xs [][]float64, words []uint64, nw, perms int, ends []float64) []flipIntervals {
	K, m := len(xs), len(xs[0])
	D := make([]float64, K)
	for k, x := range xs {
		for _, v := range x {
			D[k] += v
		}
	}
	nblk := (m + 7) / 8
	tab := make([]float64, nblk*256*K)
	cnt := make([]int, nblk*256)
	for blk := 0; blk < nblk; blk++ {
		for mask := 1; mask < 256; mask++ {
			j := blk*8 + bits.TrailingZeros8(uint8(mask))
			prev, cur := blk*256+(mask&(mask-1)), blk*256+mask
			cnt[cur] = cnt[prev]
			copy(tab[cur*K:cur*K+K], tab[prev*K:prev*K+K])
			if j < m {
				cnt[cur]++
				for k := range xs {
					tab[cur*K+k] += xs[k][j]
				}
			}
		}
	}
	fs := make([]flipIntervals, K)
	for k := range fs {
		fs[k] = flipIntervals{n: perms + 1, ties: 1,
			lo: ends[2*k*perms : 2*k*perms : (2*k+1)*perms], hi: ends[(2*k+1)*perms : (2*k+1)*perms : (2*k+2)*perms]}
	}
	plus := make([]float64, K)
	for b := 0; b < perms; b++ {
		w := words[b*nw : (b+1)*nw]
		clear(plus)
		nplus := 0
		for blk := 0; blk < nblk; blk++ {
			cur := blk*256 + int(w[blk>>3]>>(uint(blk&7)*8)&0xff)
			row := tab[cur*K : cur*K+K]
			for k, v := range row {
				plus[k] += v
			}
			nplus += cnt[cur]
		}
		S := 2*nplus - m
		for k := range fs {
			fs[k].add(2*plus[k]-D[k], D[k], S, m)
		}
	}
	return fs
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

// exactIntervals enumerates all 2^m sign vectors of x in Gray-code order;
// ends (at least 2^(m+1) floats) holds the intervals' ends.
func exactIntervals(x []float64, ends []float64) flipIntervals {
	m := len(x)
	var D float64
	for _, v := range x {
		D += v
	}
	n := 1 << uint(m)
	f := flipIntervals{n: n, lo: ends[:0:n], hi: ends[n : n : 2*n]}
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
// plus the observed vector (a tie everywhere), so n = perms + 1; ends (at
// least 2·perms floats) holds the intervals' ends.
func mcIntervals(x []float64, idx []int, words []uint64, nw, perms int, ends []float64) flipIntervals {
	m := len(x)
	var D float64
	for _, v := range x {
		D += v
	}
	f := flipIntervals{n: perms + 1, ties: 1, lo: ends[:0:perms], hi: ends[perms : perms : 2*perms]}
	// Subset-sum tables over blocks of 8 present values: one vector costs
	// m/8 lookups. When every problem is present (idx[j] = j), a block's
	// signs are a byte of the shared words.
	dense := len(idx) == 0 || idx[len(idx)-1] == len(idx)-1
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
			var mask int
			if dense {
				// Every problem present: block blk is byte blk%8 of word blk/8.
				mask = int(w[blk>>3] >> (uint(blk&7) * 8) & 0xff)
			} else {
				for k := 0; k < 8; k++ {
					j := blk*8 + k
					if j >= m {
						break
					}
					i := idx[j]
					mask |= int(w[i>>6]>>(uint(i)&63)&1) << uint(k)
				}
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
// f, for values scaled by L (bounds are divided by L).
func (f *flipIntervals) invert(L float64) flipResult {
	pOf := func(h int) float64 { return float64(h) / float64(2*f.n) }
	accept := func(h int) bool { return pOf(h) >= Alpha }
	res := flipResult{p: pOf(f.halfUnits(0)), lo: math.NaN(), hi: math.NaN()}
	if !accept(f.ties) {
		// f.lo and f.hi are reordered from here on (p(0) is already known).
		res.hi = endOf(f.hi, f.ties, accept, true)
		res.lo = endOf(f.lo, f.ties, accept, false)
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

// endOf returns the end of the accepted shifts on one side: with g the
// smallest count such that ties + 2g half-units are accepted, the g-th
// farthest interval end from the mean (the g-th largest of the upper ends,
// the g-th smallest of the lower ends). Just inside it, at least g vectors
// count fully; beyond it, fewer than g do. It reorders ends.
func endOf(ends []float64, ties int, accept func(int) bool, upper bool) float64 {
	n := len(ends)
	if n == 0 {
		return math.NaN() // unreachable: with only ties p = ½ everywhere
	}
	g := 1
	for g < n && !accept(ties+2*g) {
		g++
	}
	k := g - 1
	if upper {
		k = n - g
	}
	return kthSmallest(ends, k)
}

// kthSmallest returns the k-th smallest value of xs (finite values, from
// 0), the value selectKth would put at xs[k]. It estimates, from a sorted
// sample of 256 values at fixed positions, bounds that bracket the k-th
// value, then in one branch-free pass counts the values below the lower
// bound and copies those between the bounds (about 1/16 of them) into a
// pooled buffer, and selects among those only. When the bounds miss (rarely:
// they are 8 sample ranks either side), it selects over all of xs. A
// quickselect over the 10,000 ends of a test mispredicts about every other
// comparison: it was a third of Result's time on small checkpoints.
func kthSmallest(xs []float64, k int) float64 {
	const s, margin = 256, 8
	n := len(xs)
	if n < 4*s {
		selectKth(xs, k)
		return xs[k]
	}
	var smp [s]float64
	step := n / s
	for i := range smp {
		smp[i] = xs[i*step]
	}
	slices.Sort(smp[:])
	r := k * s / n
	loB, hiB := math.Inf(-1), math.Inf(1)
	if r-margin >= 0 {
		loB = smp[r-margin]
	}
	if r+margin < s {
		hiB = smp[r+margin]
	}
	buf := getEnds(n)
	mid := *buf
	below, j := 0, 0
	for _, v := range xs {
		below += b2i(v < loB)
		mid[j] = v // j ≤ the index of v: in range
		j += b2i(v >= loB) & b2i(v <= hiB)
	}
	var out float64
	if below <= k && k < below+j {
		sel := mid[:j]
		selectKth(sel, k-below)
		out = sel[k-below]
	} else {
		selectKth(xs, k)
		out = xs[k]
	}
	endsPool.Put(buf)
	return out
}
