package aggregate

import (
	"hash/fnv"
	"math"
	"math/bits"
	"math/rand/v2"
)

// stream returns a deterministic random stream for one named purpose: a PCG
// seeded by the run seed and an FNV-64a hash of the parts. Every row set
// (checkpoint × subset, checkpoint × baseline × subset) has its own stream, so
// its numbers do not depend on which other checkpoints are present or on the
// order in which they are processed.
func stream(seed uint64, parts ...string) *rand.PCG {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.NewPCG(seed, h.Sum64())
}

// below returns a uniform integer in [0, n) (Lemire's multiply-high; the bias
// is at most n/2^64).
func below(r *rand.PCG, n int) int {
	hi, _ := bits.Mul64(r.Uint64(), uint64(n))
	return int(hi)
}

// bootstrapMeans resamples the P rows of the P×C matrix x (row-major, NaN =
// missing) with replacement B times. out[c][b] is the mean of the non-missing
// values of column c in resample b (NaN when all are missing). The same draws
// serve every column.
func bootstrapMeans(x []float64, P, C, B int, r *rand.PCG) [][]float64 {
	out := make([][]float64, C)
	for c := range out {
		out[c] = make([]float64, B)
	}
	if P == 0 {
		for c := range out {
			for b := range out[c] {
				out[c][b] = math.NaN()
			}
		}
		return out
	}
	sum := make([]float64, C)
	cnt := make([]int32, C)
	for b := 0; b < B; b++ {
		clear(sum)
		clear(cnt)
		for j := 0; j < P; j++ {
			i := below(r, P)
			row := x[i*C : i*C+C]
			for c, v := range row {
				if v == v { // not NaN
					sum[c] += v
					cnt[c]++
				}
			}
		}
		for c := range out {
			if cnt[c] > 0 {
				out[c][b] = sum[c] / float64(cnt[c])
			} else {
				out[c][b] = math.NaN()
			}
		}
	}
	return out
}

// signFlipP returns, for each column of the P×C matrix d of paired
// differences (NaN = pair missing, ignored), the two-sided paired
// permutation p-value of H0 "the differences are symmetric about 0" with
// statistic |Σ d_i|. Zero differences do not change the statistic under any
// flip and are left out. With m nonzero differences, when 2^m ≤ perms every
// sign vector is enumerated and p = #{|T*| ≥ |T|} / 2^m exactly; otherwise
// perms random sign vectors (shared by all such columns) give
// p = (#{|T*| ≥ |T|} + 1) / (perms + 1). Ties use a relative tolerance of
// 1e-9·Σ|d_i|. A column with no nonzero difference has p = 1.
func signFlipP(d []float64, P, C, perms int, r *rand.PCG) []float64 {
	p := make([]float64, C)
	var mc []int // columns needing Monte Carlo
	obs := make([]float64, C)
	tol := make([]float64, C)
	for c := 0; c < C; c++ {
		var vals []float64
		var abs float64
		for i := 0; i < P; i++ {
			v := d[i*C+c]
			if v == v && v != 0 {
				vals = append(vals, v)
				obs[c] += v
				abs += math.Abs(v)
			}
		}
		tol[c] = 1e-9 * abs
		m := len(vals)
		if m < 63 && uint64(1)<<uint(m) <= uint64(perms) {
			p[c] = exactSignFlip(vals, tol[c])
			continue
		}
		mc = append(mc, c)
	}
	if len(mc) == 0 {
		return p
	}
	// Compact the Monte Carlo columns, NaN → 0 (a missing pair contributes
	// nothing under any sign).
	K := len(mc)
	x := make([]float64, P*K)
	total := make([]float64, K)
	for i := 0; i < P; i++ {
		for j, c := range mc {
			v := d[i*C+c]
			if v != v {
				v = 0
			}
			x[i*K+j] = v
			total[j] += v
		}
	}
	plus := make([]float64, K)
	count := make([]int, K)
	for b := 0; b < perms; b++ {
		clear(plus)
		for j0 := 0; j0 < P; j0 += 64 {
			w := r.Uint64()
			end := min(j0+64, P)
			for i := j0; i < end; i, w = i+1, w>>1 {
				if w&1 == 0 {
					continue
				}
				row := x[i*K : i*K+K]
				for j, v := range row {
					plus[j] += v
				}
			}
		}
		for j := range plus {
			// Flipping the complement of the "+" set: T* = Σ+ − Σ− = 2Σ+ − Σ.
			t := 2*plus[j] - total[j]
			if math.Abs(t) >= math.Abs(obs[mc[j]])-tol[mc[j]] {
				count[j]++
			}
		}
	}
	for j, c := range mc {
		p[c] = float64(count[j]+1) / float64(perms+1)
	}
	return p
}

// exactSignFlip enumerates all 2^m sign vectors of vals in Gray-code order.
func exactSignFlip(vals []float64, tol float64) float64 {
	m := len(vals)
	var t float64
	for _, v := range vals {
		t += v
	}
	thr := math.Abs(t) - tol
	neg := make([]bool, m)
	count := 0
	if math.Abs(t) >= thr {
		count++
	}
	n := uint64(1) << uint(m)
	for g := uint64(1); g < n; g++ {
		j := bits.TrailingZeros64(g)
		if neg[j] {
			t += 2 * vals[j]
		} else {
			t -= 2 * vals[j]
		}
		neg[j] = !neg[j]
		if math.Abs(t) >= thr {
			count++
		}
	}
	return float64(count) / float64(n)
}
