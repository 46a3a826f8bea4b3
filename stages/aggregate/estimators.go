package aggregate

import "math"

// z95 is the two-sided 95% standard normal quantile.
const z95 = 1.959963984540054

// PassAtK is the unbiased pass@k estimator for one problem with n samples of
// which c are correct: 1 − C(n−c, k)/C(n, k), computed as
// 1 − ∏_{i=n−c+1}^{n} (1 − k/i). It returns NaN when k > n or k < 1 (the
// estimator is undefined; callers turn that into a null, never 1.0).
func PassAtK(n, c, k int) float64 {
	if k < 1 || k > n || c < 0 || c > n {
		return math.NaN()
	}
	if n-c < k {
		return 1
	}
	prod := 1.0
	kf := float64(k)
	for i := n - c + 1; i <= n; i++ {
		prod *= 1 - kf/float64(i)
	}
	return 1 - prod
}

// meanSD returns the mean, the sample standard deviation (n−1 denominator)
// and the count of the non-NaN values of xs. sd is NaN when fewer than two.
func meanSD(xs []float64) (mean, sd float64, n int) {
	var sum float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			sum += x
			n++
		}
	}
	if n == 0 {
		return math.NaN(), math.NaN(), 0
	}
	mean = sum / float64(n)
	if n < 2 {
		return mean, math.NaN(), n
	}
	var ss float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			d := x - mean
			ss += d * d
		}
	}
	return mean, math.Sqrt(ss / float64(n-1)), n
}

// Wilson returns the 95% Wilson score interval for a proportion p observed
// over an (effective) sample size n.
func Wilson(p, n float64) (lo, hi float64) {
	if n <= 0 || math.IsNaN(p) {
		return math.NaN(), math.NaN()
	}
	z2 := z95 * z95
	den := 1 + z2/n
	center := (p + z2/(2*n)) / den
	half := z95 / den * math.Sqrt(p*(1-p)/n+z2/(4*n*n))
	lo, hi = center-half, center+half
	if lo < 0 {
		lo = 0
	}
	if hi > 1 {
		hi = 1
	}
	return lo, hi
}

// effectiveN is the effective sample size used for the small-subset Wilson
// interval: n_eff = p(1−p)/SE², the number of independent Bernoulli trials
// that would give the observed clustered standard error, clamped to
// [1, total] where total is the number of samples behind the estimate. When
// p is 0 or 1 or the SE is 0 or undefined it falls back to the problem count.
func effectiveN(p, se float64, problems, total int) float64 {
	if problems < 1 {
		return math.NaN()
	}
	if p <= 0 || p >= 1 || !(se > 0) {
		return float64(problems)
	}
	n := p * (1 - p) / (se * se)
	if n > float64(total) {
		n = float64(total)
	}
	if n < 1 {
		n = 1
	}
	return n
}

// quantile is the type-7 (linear interpolation) sample quantile of sorted xs.
func quantile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	if lo >= len(sorted)-1 {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

// percentileCI returns the 2.5% and 97.5% type-7 quantiles of the non-NaN
// values of xs (which it reorders). It selects the four order statistics it
// needs instead of sorting: O(len(xs)) expected.
func percentileCI(xs []float64) (lo, hi float64) {
	j := 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			xs[j] = x
			j++
		}
	}
	xs = xs[:j]
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	return selectQuantile(xs, 0.025), selectQuantile(xs, 0.975)
}

// selectQuantile is quantile(sorted(xs), q) computed by selection; it reorders xs.
func selectQuantile(xs []float64, q float64) float64 {
	h := q * float64(len(xs)-1)
	k := int(math.Floor(h))
	if k >= len(xs)-1 {
		k = len(xs) - 1
		selectKth(xs, k)
		return xs[k]
	}
	selectKth(xs, k)
	next := xs[k+1]
	for _, v := range xs[k+2:] {
		if v < next {
			next = v
		}
	}
	return xs[k] + (h-float64(k))*(next-xs[k])
}

// selectKth reorders xs so that xs[k] is its k-th smallest value, with no
// larger value before it and no smaller one after (Hoare quickselect with a
// median-of-three pivot; deterministic).
func selectKth(xs []float64, k int) {
	lo, hi := 0, len(xs)-1
	for hi > lo {
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return
		}
	}
}

// fptr returns a pointer to v, or nil when v is NaN or infinite.
func fptr(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
