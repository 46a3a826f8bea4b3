package aggregate

import (
	"hash/fnv"
	"math/rand/v2"
)

// drawSeed returns the random stream of the bootstrap over one problem set:
// a PCG seeded by the run seed and an FNV-64a hash of the evalset, the subset
// name and the problem ids in order. Every checkpoint whose subset holds the
// same problems draws the same resamples (common random numbers), so their
// metric intervals share their Monte Carlo noise.
func drawSeed(seed uint64, evalset, subset string, ids func(yield func(string) bool)) *rand.PCG {
	h := fnv.New64a()
	h.Write([]byte("bootstrap"))
	h.Write([]byte{0})
	h.Write([]byte(evalset))
	h.Write([]byte{0})
	h.Write([]byte(subset))
	h.Write([]byte{0})
	for id := range ids {
		h.Write([]byte(id))
		h.Write([]byte{0})
	}
	return rand.NewPCG(seed, h.Sum64())
}

// subsetIDs yields the problem ids of idx (indices into d.probs).
func subsetIDs(d *ckptData, idx []int) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for _, i := range idx {
			if !yield(d.probs[i].id) {
				return
			}
		}
	}
}

// ckptBoot is one checkpoint's statistics per subset (index as d.subsets):
// the column statistics, the columns its metrics rows bootstrap, and the
// bootstrap means means[subset][column] (nil for a column not resampled).
type ckptBoot struct {
	stats    [][]colStat
	needBoot [][]int
	nmax     []int
	means    [][][]float64
}

func (a *Aggregator) bootstraps(d *ckptData, l *layout) *ckptBoot {
	M := len(l.cols)
	cb := &ckptBoot{
		stats:    make([][]colStat, len(d.subsets)),
		needBoot: make([][]int, len(d.subsets)),
		nmax:     make([]int, len(d.subsets)),
		means:    make([][][]float64, len(d.subsets)),
	}
	want := make([]bool, M)
	for si, s := range d.subsets {
		stats, need, nmax := subsetStats(d, l, s)
		cb.stats[si], cb.needBoot[si], cb.nmax[si] = stats, need, nmax
		clear(want)
		for _, c := range need {
			want[c] = true
		}
		var cols []int
		for c, w := range want {
			if w {
				cols = append(cols, c)
			}
		}
		if len(cols) == 0 {
			continue
		}
		P, C := len(s.probs), len(cols)
		x := make([]float64, P*C)
		for j, i := range s.probs {
			row := d.scores[i*M : i*M+M]
			for k, c := range cols {
				x[j*C+k] = row[c]
			}
		}
		sc := columnScales(d, l, s.probs)
		colScale := make([]int, C)
		for k, c := range cols {
			colScale[k] = sc[c]
		}
		boot := bootstrapMeans(x, P, C, a.opts.Bootstrap, drawSeed(a.opts.Seed, d.key.evalset, s.name, subsetIDs(d, s.probs)), colScale)
		cb.means[si] = make([][]float64, M)
		for k, c := range cols {
			cb.means[si][c] = boot[k]
		}
	}
	return cb
}

// maxScale bounds the denominators columnScales proposes.
const maxScale = 1 << 20

// columnScales returns, per layout column, a denominator L such that the
// column's per-problem scores over idx should be multiples of 1/L (0 when
// there is none worth trying): the lcm of the problems' n for accuracy, the
// rates and mean_response_chars (a count or a total over n samples); the lcm
// of C(n, k) for pass@k; lcm(1..k) for maj@k (a tie scores good/tied with
// tied ≤ k); lcm(1..n) for accuracy_with/without_code and
// mean_response_tokens (over some of the n samples). bootstrapMeans checks
// the values before relying on it.
func columnScales(d *ckptData, l *layout, idx []int) []int {
	out := make([]int, len(l.cols))
	ns := map[int]bool{}
	for _, i := range idx {
		ns[d.probs[i].n] = true
	}
	nl, nmax := 1, 0
	for n := range ns {
		nl = lcmCap(nl, n)
		nmax = max(nmax, n)
	}
	for c, col := range l.cols {
		switch col.metric {
		case MetricAccuracy, MetricNoAnswerRate, MetricBoxedRate, MetricCodeReasoningRate,
			MetricHasCodeBlockRate, MetricTruncationRate, MetricMeanResponseChars:
			out[c] = nl
		case MetricPassAtK:
			L := 1
			for n := range ns {
				if n >= col.k {
					L = lcmCap(L, binomialCap(n, col.k))
				}
			}
			out[c] = L
		case MetricMajAtK:
			out[c] = lcmUpTo(col.k)
		case MetricAccuracyWithCode, MetricAccuracyWithoutCode, MetricMeanResponseTokens:
			// A count or total over some of the n samples.
			out[c] = lcmUpTo(nmax)
		}
	}
	return out
}

// lcmUpTo is lcm(1, …, k), or 0 when it exceeds maxScale.
func lcmUpTo(k int) int {
	L := 1
	for j := 2; j <= k && L > 0; j++ {
		L = lcmCap(L, j)
	}
	return L
}

// lcmCap is lcm(a, b), or 0 when either is 0 or the result exceeds maxScale.
func lcmCap(a, b int) int {
	if a <= 0 || b <= 0 {
		return 0
	}
	g, h := a, b
	for h != 0 {
		g, h = h, g%h
	}
	if v := a / g * b; v <= maxScale {
		return v
	}
	return 0
}

// binomialCap is C(n, k), or 0 when it exceeds maxScale.
func binomialCap(n, k int) int {
	k = min(k, n-k)
	v := 1
	for i := 0; i < k; i++ {
		v = v * (n - i) / (i + 1) // exact: a product of i+1 consecutive integers
		if v > maxScale {
			return 0
		}
	}
	return v
}
