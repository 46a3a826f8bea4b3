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
