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
//
// scale (nil, or one entry per column) names columns whose values are
// non-negative multiples of 1/scale[c] (c/n for accuracy and rates,
// 1/C(n,k) for pass@k): after checking that they are, bootstrapMeans sums
// them as integers packed several to a machine word (16- or 32-bit lanes,
// sized so no lane can overflow), which needs a quarter or half of the
// additions and gives the exact resample sums. Other columns are summed as
// floats in draw order.
func bootstrapMeans(x []float64, P, C, B int, r *rand.PCG, scale []int) [][]float64 {
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
	// Split the columns: dense ones (no missing value) need no per-draw
	// count; all-missing ones and exact copies of an earlier column (pass@1 is
	// accuracy) need no resampling of their own.
	var dense, sparse []int
	copyOf := make([]int, C)
	for c := 0; c < C; c++ {
		copyOf[c] = -1
		full, empty := true, true
		for i := 0; i < P; i++ {
			if v := x[i*C+c]; v != v {
				full = false
			} else {
				empty = false
			}
		}
		if empty {
			for b := range out[c] {
				out[c][b] = math.NaN()
			}
			continue
		}
		for _, e := range dense {
			if sameColumn(x, P, C, c, e) {
				copyOf[c] = e
				break
			}
		}
		if copyOf[c] >= 0 {
			continue
		}
		if full {
			dense = append(dense, c)
		} else {
			sparse = append(sparse, c)
		}
	}
	defer func() {
		for c, e := range copyOf {
			if e >= 0 {
				copy(out[c], out[e])
			}
		}
	}()
	// Packed integer columns: taken out of dense and sparse.
	var lanes []laneCol
	dense, sparse, lanes = packable(x, P, C, dense, sparse, scale)
	W, xi := packLanes(P, lanes)
	D, S := len(dense), len(sparse)
	if D == 0 && S == 0 && W == 0 {
		return out // every column is empty or a copy: no draws needed
	}
	xd := make([]float64, P*D)
	xs := make([]float64, P*S)
	xn := make([]float64, P*S) // 1 where present
	for i := 0; i < P; i++ {
		for k, c := range dense {
			xd[i*D+k] = x[i*C+c]
		}
		for k, c := range sparse {
			if v := x[i*C+c]; v == v {
				xs[i*S+k], xn[i*S+k] = v, 1
			}
		}
	}
	sumD := make([]float64, D)
	sumS := make([]float64, S)
	cntS := make([]float64, S)
	sumI := make([]uint64, W)
	for b := 0; b < B; b++ {
		clear(sumD)
		clear(sumS)
		clear(cntS)
		clear(sumI)
		for j := 0; j < P; j++ {
			i := below(r, P)
			if D > 0 {
				row := xd[i*D : i*D+D]
				acc := sumD[:len(row)]
				for k, v := range row {
					acc[k] += v
				}
			}
			if W > 0 {
				ri := xi[i*W : i*W+W]
				ai := sumI[:len(ri)]
				for k, v := range ri {
					ai[k] += v
				}
			}
			if S > 0 {
				rs, rn := xs[i*S:i*S+S], xn[i*S:i*S+S]
				for k := range rs {
					sumS[k] += rs[k]
					cntS[k] += rn[k]
				}
			}
		}
		for k, c := range dense {
			out[c][b] = sumD[k] / float64(P)
		}
		for _, lc := range lanes {
			sum := sumI[lc.word] >> lc.shift & lc.mask
			switch {
			case lc.c < 0: // a count lane
			case lc.cnt < 0:
				out[lc.c][b] = float64(sum) / lc.div
			default:
				cl := &lanes[lc.cnt]
				if n := sumI[cl.word] >> cl.shift & cl.mask; n > 0 {
					out[lc.c][b] = float64(sum) / (float64(lc.scale) * float64(n))
				} else {
					out[lc.c][b] = math.NaN()
				}
			}
		}
		for k, c := range sparse {
			if cntS[k] > 0 {
				out[c][b] = sumS[k] / cntS[k]
			} else {
				out[c][b] = math.NaN()
			}
		}
	}
	return out
}

// laneCol is a column summed as an integer in a lane of packed words.
type laneCol struct {
	c     int     // column; -1 for the count lane of a sparse column
	cnt   int     // index in lanes of this column's count lane, or -1 (dense)
	scale int     // values are multiples of 1/scale
	word  int     // index of its word in a packed row
	shift uint    // lane offset in bits
	mask  uint64  // lane mask (after the shift)
	div   float64 // scale·P: the resample mean of a dense column is sum/div
	bits  uint    // lane width, 16 or 32
	ints  []int64 // value·scale per row, exact (0 where missing)
}

// packable moves the columns that scale marks and whose values are all
// non-negative multiples of 1/scale[c] (to 1e-9) into lanes: 16 bits wide
// when P times the largest integer fits, else 32, else the column stays a
// float column. A sparse column also gets a count lane (1 where present),
// so its resample mean is its sum over its count.
func packable(x []float64, P, C int, dense, sparse []int, scale []int) ([]int, []int, []laneCol) {
	if scale == nil {
		return dense, sparse, nil
	}
	width := func(total int64) uint {
		switch {
		case total < 1<<16:
			return 16
		case total < 1<<32:
			return 32
		}
		return 0
	}
	var keepD, keepS []int
	var lanes []laneCol
	for pass, cols := range [][]int{dense, sparse} {
		for _, c := range cols {
			L := scale[c]
			lc, ok := laneCol{c: c, cnt: -1, scale: L, div: float64(L) * float64(P)}, L > 0 && L < 1<<20
			var top, present int64
			if ok {
				lc.ints = make([]int64, P)
				for i := 0; i < P; i++ {
					v := x[i*C+c]
					if v != v {
						continue // sparse: missing counts 0 and is not counted
					}
					present++
					v *= float64(L)
					iv := math.Round(v)
					if iv < 0 || math.Abs(v-iv) > 1e-9*math.Max(1, iv) || iv > 1<<31 {
						ok = false
						break
					}
					lc.ints[i] = int64(iv)
					top = max(top, int64(iv))
				}
			}
			lc.bits = width(top * int64(P))
			if !ok || lc.bits == 0 || (pass == 1 && width(present) == 0) {
				if pass == 0 {
					keepD = append(keepD, c)
				} else {
					keepS = append(keepS, c)
				}
				continue
			}
			if pass == 1 {
				cl := laneCol{c: -1, cnt: -1, scale: 1, bits: width(present), ints: make([]int64, P)}
				for i := 0; i < P; i++ {
					if v := x[i*C+c]; v == v {
						cl.ints[i] = 1
					}
				}
				lc.cnt = len(lanes)
				lanes = append(lanes, cl)
			}
			lanes = append(lanes, lc)
		}
	}
	return keepD, keepS, lanes
}

// packLanes assigns each lane column a word and offset (16-bit lanes four to
// a word, 32-bit lanes two to a word) and returns the word count W and the
// P×W packed matrix.
func packLanes(P int, lanes []laneCol) (int, []uint64) {
	if len(lanes) == 0 {
		return 0, nil
	}
	W := 0
	var used uint = 64 // bits used in the current word
	for _, bits := range []uint{16, 32} {
		for k := range lanes {
			lc := &lanes[k]
			if lc.bits != bits {
				continue
			}
			if used+bits > 64 {
				W++
				used = 0
			}
			lc.word, lc.shift, lc.mask = W-1, used, 1<<bits-1
			used += bits
		}
	}
	xi := make([]uint64, P*W)
	for _, lc := range lanes {
		for i := 0; i < P; i++ {
			xi[i*W+lc.word] |= uint64(lc.ints[i]) << lc.shift
		}
	}
	return W, xi
}

// sameColumn reports whether columns a and b of the P×C matrix x are equal
// (NaN never equals anything, so sparse columns are never merged).
func sameColumn(x []float64, P, C, a, b int) bool {
	for i := 0; i < P; i++ {
		if x[i*C+a] != x[i*C+b] {
			return false
		}
	}
	return true
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
func signFlipP(d []float64, P, C, perms int, r *rand.PCG, scale []int) []float64 {
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
	// nothing under any sign). Columns of multiples of 1/scale go to integer
	// lanes (below); the others are summed as floats.
	var fcols []int // columns summed as floats
	var lanes []flipLane
	for _, c := range mc {
		if lc, ok := flipLaneOf(d, P, C, c, scale); ok {
			lanes = append(lanes, lc)
		} else {
			fcols = append(fcols, c)
		}
	}
	K := len(fcols)
	x := make([]float64, P*K)
	total := make([]float64, K)
	for i := 0; i < P; i++ {
		for j, c := range fcols {
			v := d[i*C+c]
			if v != v {
				v = 0
			}
			x[i*K+j] = v
			total[j] += v
		}
	}
	W, xi := packFlipLanes(P, lanes)
	// Subset-sum tables over blocks of 8 problems: tab[(blk*256+mask)*K+j]
	// is the sum of column j over the problems of block blk selected by mask,
	// so one random sign vector costs P/8 lookups per column (per packed
	// word for the integer lanes, whose table tabI is built the same way).
	nblk := (P + 7) / 8
	tab := make([]float64, nblk*256*K)
	tabI := make([]uint64, nblk*256*W)
	for blk := 0; blk < nblk; blk++ {
		base, baseI := blk*256*K, blk*256*W
		for mask := 1; mask < 256; mask++ {
			low := bits.TrailingZeros8(uint8(mask))
			i := blk*8 + low
			prev, cur := base+(mask&(mask-1))*K, base+mask*K
			for j := 0; j < K; j++ {
				v := tab[prev+j]
				if i < P {
					v += x[i*K+j]
				}
				tab[cur+j] = v
			}
			prev, cur = baseI+(mask&(mask-1))*W, baseI+mask*W
			for j := 0; j < W; j++ {
				v := tabI[prev+j]
				if i < P {
					v += xi[i*W+j]
				}
				tabI[cur+j] = v
			}
		}
	}
	plus := make([]float64, K)
	plusI := make([]uint64, W)
	count := make([]int, K)
	countI := make([]int, len(lanes))
	for b := 0; b < perms; b++ {
		clear(plus)
		clear(plusI)
		var w uint64
		for blk := 0; blk < nblk; blk++ {
			if blk%8 == 0 {
				w = r.Uint64()
			}
			m := int(w & 0xff)
			if K > 0 {
				row := tab[(blk*256+m)*K:]
				row = row[:K]
				for j, v := range row {
					plus[j] += v
				}
			}
			rowI := tabI[(blk*256+m)*W:]
			rowI = rowI[:W]
			for j, v := range rowI {
				plusI[j] += v
			}
			w >>= 8
		}
		for j := range plus {
			// Flipping the complement of the "+" set: T* = Σ+ − Σ− = 2Σ+ − Σ.
			t := 2*plus[j] - total[j]
			if math.Abs(t) >= math.Abs(obs[fcols[j]])-tol[fcols[j]] {
				count[j]++
			}
		}
		if W > 0 {
			// Lane 0 counts the "+" problems; each lane holds Σ+ (v + off).
			nplus := int64(plusI[0] & 0xffffffff)
			for j := range lanes {
				lc := &lanes[j]
				sum := int64(plusI[lc.word]>>lc.shift&lc.mask) - lc.off*nplus
				t := 2*sum - lc.total
				neg := t >> 63
				abs := t ^ neg - neg
				// Branch-free: +1 when |T*| ≥ |T| (the outcome is a coin flip
				// for the branch predictor).
				countI[j] += int((lc.absTotal-1-abs)>>63) & 1
			}
		}
	}
	for j, c := range fcols {
		p[c] = float64(count[j]+1) / float64(perms+1)
	}
	for j := range lanes {
		p[lanes[j].c] = float64(countI[j]+1) / float64(perms+1)
	}
	return p
}

// flipLane is a sign-flip column whose differences are integers after
// scaling (v_i = d_i·scale), held offset by off (v_i + off ≥ 0) in a lane of
// packed words. Its "+" sum over a sign vector S is lane − off·|S|, exactly,
// so |T*| ≥ |T| is decided on integers (exact ties, no tolerance needed).
type flipLane struct {
	c               int
	word            int
	shift           uint
	mask            uint64
	off             int64
	total, absTotal int64 // Σ v_i and |Σ v_i|
	ints            []int64
}

// flipLaneOf returns column c as a flipLane when scale[c] > 0 and every
// difference (missing = 0) is a multiple of 1/scale[c] to 1e-9, and the lane
// fits 32 bits: P·2·max|v_i| < 2^32.
func flipLaneOf(d []float64, P, C, c int, scale []int) (flipLane, bool) {
	if scale == nil || scale[c] <= 0 || scale[c] >= 1<<20 {
		return flipLane{}, false
	}
	L := float64(scale[c])
	lc := flipLane{c: c, ints: make([]int64, P)}
	for i := 0; i < P; i++ {
		v := d[i*C+c]
		if v != v {
			v = 0
		}
		x := v * L
		iv := math.Round(x)
		if math.Abs(x-iv) > 1e-9*math.Max(1, math.Abs(iv)) || math.Abs(iv) > 1<<30 {
			return flipLane{}, false
		}
		lc.ints[i] = int64(iv)
		lc.off = max(lc.off, int64(math.Abs(iv)))
		lc.total += int64(iv)
	}
	if 2*lc.off*int64(P) >= 1<<32 {
		return flipLane{}, false
	}
	lc.absTotal = lc.total
	if lc.absTotal < 0 {
		lc.absTotal = -lc.absTotal
	}
	return lc, true
}

// packFlipLanes lays the lanes out in words after a 32-bit counting lane
// (word 0, bits 0–31: 1 per problem) and returns the word count and the P×W
// packed matrix. Lanes are 16 bits wide when 2·off·P < 2^16, else 32.
func packFlipLanes(P int, lanes []flipLane) (int, []uint64) {
	if len(lanes) == 0 {
		return 0, nil
	}
	W, used := 1, uint(32) // word 0 starts with the counting lane
	for _, width := range []uint{16, 32} {
		for k := range lanes {
			lc := &lanes[k]
			w := uint(32)
			if 2*lc.off*int64(P) < 1<<16 {
				w = 16
			}
			if w != width {
				continue
			}
			if used+w > 64 {
				W++
				used = 0
			}
			lc.word, lc.shift, lc.mask = W-1, used, 1<<w-1
			used += w
		}
	}
	xi := make([]uint64, P*W)
	for i := 0; i < P; i++ {
		xi[i*W] = 1
	}
	for _, lc := range lanes {
		for i := 0; i < P; i++ {
			xi[i*W+lc.word] |= uint64(lc.ints[i]+lc.off) << lc.shift
		}
	}
	return W, xi
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
