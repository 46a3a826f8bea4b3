package aggregate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// gammaDraw draws Gamma(a, 1) (Marsaglia–Tsang; a < 1 through
// Gamma(a+1)·U^{1/a}).
func gammaDraw(r *rand.Rand, a float64) float64 {
	if a < 1 {
		return gammaDraw(r, a+1) * math.Pow(r.Float64(), 1/a)
	}
	d := a - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := r.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := r.Float64()
		if math.Log(u) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

func betaReal(r *rand.Rand, a, b float64) float64 {
	x, y := gammaDraw(r, a), gammaDraw(r, b)
	return x / (x + y)
}

func binomial(r *rand.Rand, n int, p float64) int {
	c := 0
	for j := 0; j < n; j++ {
		if r.Float64() < p {
			c++
		}
	}
	return c
}

// TestComparisonCalibration is the simulation of issue 14, run on the
// comparison procedure itself: problems with Beta(0.7, 0.7) solve rates, 8
// samples each, 40 and 100 problems; null datasets (the checkpoint has the
// baseline's rates) and shifted ones (logit + 0.6, whose population delta is
// computed by Monte Carlo below). For accuracy and pass@8 deltas it measures
// the null rejection rate (must be ≤ 6.5%), the coverage of the population
// delta by the 95% interval on shifted data (93–97.5%) and the share of
// datasets where "interval excludes 0" and "p < 0.05" disagree (must be 0).
func TestComparisonCalibration(t *testing.T) {
	const (
		sets   = 1000
		n      = 8
		a      = 0.7
		shift  = 0.6
		perms  = 999
		passAt = 8
	)
	q := func(p float64) float64 { return 1 / (1 + math.Exp(-(math.Log(p/(1-p)) + shift))) }
	pass := func(p float64) float64 { return 1 - math.Pow(1-p, passAt) }
	// Population deltas of the shifted condition.
	tr := rand.New(rand.NewPCG(77, 78))
	var accTrue, passTrue float64
	const draws = 400000
	for i := 0; i < draws; i++ {
		p := betaReal(tr, a, a)
		accTrue += q(p) - p
		passTrue += pass(q(p)) - pass(p)
	}
	accTrue /= draws
	passTrue /= draws
	for _, P := range []int{40, 100} {
		t.Run(fmt.Sprintf("%d problems", P), func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(uint64(P), 5))
			var nullRej, cover, disagree [2]int
			d := make([]float64, P*2)
			scale := []int{n, binomialCap(n, passAt)}
			for set := 0; set < 2*sets; set++ {
				shifted := set >= sets
				for i := 0; i < P; i++ {
					p := betaReal(r, a, a)
					pc := p
					if shifted {
						pc = q(p)
					}
					cb, cc := binomial(r, n, p), binomial(r, n, pc)
					d[i*2] = float64(cc-cb) / n
					d[i*2+1] = PassAtK(n, cc, passAt) - PassAtK(n, cb, passAt)
				}
				fl := signFlipInvert(d, P, 2, perms, rand.NewPCG(uint64(set), uint64(P)), scale)
				for c, truth := range [2]float64{accTrue, passTrue} {
					f := fl[c]
					excl := f.lo > 0 || f.hi < 0
					if excl != (f.p < Alpha) {
						disagree[c]++
					}
					if !shifted {
						truth = 0
						if f.p < Alpha {
							nullRej[c]++
						}
					}
					if shifted && f.lo <= truth && truth <= f.hi {
						cover[c]++
					}
				}
			}
			for c, name := range [2]string{"accuracy", "pass@8"} {
				rej := float64(nullRej[c]) / sets
				cov := float64(cover[c]) / sets
				t.Logf("%s, %d problems: null rejection %.3f, coverage %.3f (population delta %.4f), disagreements %d",
					name, P, rej, cov, [2]float64{accTrue, passTrue}[c], disagree[c])
				if rej > 0.065 {
					t.Errorf("%s: null rejection rate %.3f, want ≤ 0.065", name, rej)
				}
				if cov < 0.93 || cov > 0.975 {
					t.Errorf("%s: coverage %.3f of the population delta, want 0.93–0.975", name, cov)
				}
				if disagree[c] != 0 {
					t.Errorf("%s: interval and p-value disagree on %d of %d datasets", name, disagree[c], 2*sets)
				}
			}
		})
	}
}
