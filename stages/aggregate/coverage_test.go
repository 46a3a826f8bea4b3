package aggregate

import (
	"math/rand/v2"
	"testing"
)

// Coverage of the 95% intervals on simulated problem sets: problem
// difficulties are drawn from a population (Beta(a, b), mean a/(a+b)), each
// problem gets n samples, and the interval for the checkpoint's accuracy must
// cover the population mean in 93–97% of 1,000 simulated sets. This runs the
// production path (Aggregator → Result) with fewer bootstrap resamples.
func TestCICoverage(t *testing.T) {
	const sets = 1000
	tests := []struct {
		name     string
		problems int
		n        int
		method   string
		paired   bool
	}{
		{"bootstrap accuracy, 100 problems x 4", 100, 4, CIBootstrap, false},
		{"wilson accuracy, 30 problems x 4", 30, 4, CIWilsonSmall, false},
		{"wilson accuracy, 40 problems x 1", 40, 1, CIWilsonSmall, false},
		{"paired sign-flip delta, 100 problems x 4", 100, 4, "", true},
	}
	for ti, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := rand.New(rand.NewPCG(uint64(ti)+7, 99))
			const a, b = 2.0, 3.0
			truth := a / (a + b)
			const shift = 0.1 // paired: checkpoint p_i = baseline p_i + 0.1
			covered := 0
			for set := 0; set < sets; set++ {
				agg := New(Options{Ks: []int{1}, Bootstrap: 400, Permutations: 999, Seed: uint64(set + 1)})
				p := make([]float64, tt.problems)
				for i := range p {
					p[i] = betaDraw(r, a, b) * 0.85 // keep p+shift ≤ 0.95
				}
				base := ident("M", "none", 0, nil)
				agg.Add(simCheckpoint(r, base, p, nil, tt.n, false))
				if !tt.paired {
					res, err := agg.Result()
					if err != nil {
						t.Fatal(err)
					}
					m := findMetric(res, base.Checkpoint, "strict", "all", MetricAccuracy, 0)
					if m.CIMethod != tt.method {
						t.Fatalf("ci_method = %q, want %q", m.CIMethod, tt.method)
					}
					if tr := truth * 0.85; *m.CILow <= tr && tr <= *m.CIHigh {
						covered++
					}
					continue
				}
				q := make([]float64, len(p))
				for i := range p {
					q[i] = p[i] + shift
				}
				ck := ident("M", "random", 10, nil)
				agg.Add(simCheckpoint(r, ck, q, nil, tt.n, false))
				res, err := agg.Result()
				if err != nil {
					t.Fatal(err)
				}
				c := findComparison(res, ck.Checkpoint, "all", MetricAccuracy, 0)
				if *c.DeltaCILow <= shift && shift <= *c.DeltaCIHigh {
					covered++
				}
			}
			rate := float64(covered) / sets
			t.Logf("coverage %.3f", rate)
			if rate < 0.93 || rate > 0.97 {
				t.Errorf("95%% interval covered the truth in %.1f%% of %d sets, want 93–97%%", 100*rate, sets)
			}
		})
	}
}

// betaDraw draws from Beta(a, b) for integer a, b via order statistics of
// uniforms (Gamma(k) = −Σ log U).
func betaDraw(r *rand.Rand, a, b float64) float64 {
	g := func(k float64) float64 {
		s := 0.0
		for i := 0; i < int(k); i++ {
			s += r.ExpFloat64()
		}
		return s
	}
	x, y := g(a), g(b)
	return x / (x + y)
}
