package aggregate

import (
	"math"
	"math/big"
	"math/rand/v2"
	"sort"
	"testing"
)

// exactPassAtK computes 1 − C(n−c, k)/C(n, k) with big integers.
func exactPassAtK(n, c, k int) float64 {
	num := new(big.Int).Binomial(int64(n-c), int64(k)) // 0 when n−c < k
	den := new(big.Int).Binomial(int64(n), int64(k))
	r := new(big.Rat).SetFrac(num, den)
	r.Sub(big.NewRat(1, 1), r)
	f, _ := r.Float64()
	return f
}

func TestPassAtKMatchesBigIntBinomial(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 3000; trial++ {
		n := 1 + r.IntN(1024)
		c := r.IntN(n + 1)
		k := 1 + r.IntN(n)
		got, want := PassAtK(n, c, k), exactPassAtK(n, c, k)
		if math.Abs(got-want) > 1e-12 {
			t.Fatalf("PassAtK(n=%d, c=%d, k=%d) = %.17g, exact %.17g", n, c, k, got, want)
		}
	}
}

func TestPassAtKCases(t *testing.T) {
	tests := []struct {
		name    string
		n, c, k int
		want    float64 // NaN = undefined
	}{
		{"k above n is undefined, not 1", 4, 4, 8, math.NaN()},
		{"k above n with none correct", 4, 0, 5, math.NaN()},
		{"k zero is undefined", 4, 2, 0, math.NaN()},
		{"none correct", 16, 0, 4, 0},
		{"all correct", 16, 16, 4, 1},
		{"k equals n, one correct", 8, 1, 8, 1},
		{"pass@1 is c/n", 10, 3, 1, 0.3},
		{"n-c below k", 10, 8, 3, 1},
		{"n=4 c=1 k=2", 4, 1, 2, 0.5},
		{"n=5 c=2 k=2", 5, 2, 2, 0.7},
		{"c above n is undefined", 3, 4, 1, math.NaN()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PassAtK(tt.n, tt.c, tt.k)
			if math.IsNaN(tt.want) {
				if !math.IsNaN(got) {
					t.Fatalf("PassAtK(%d,%d,%d) = %v, want undefined (NaN)", tt.n, tt.c, tt.k, got)
				}
				return
			}
			if math.Abs(got-tt.want) > 1e-12 {
				t.Fatalf("PassAtK(%d,%d,%d) = %v, want %v", tt.n, tt.c, tt.k, got, tt.want)
			}
		})
	}
}

func TestWilson(t *testing.T) {
	tests := []struct {
		p, n, lo, hi float64
	}{
		{0.5, 10, 0.23659, 0.76341},
		{0, 10, 0, 0.27753},
		{1, 10, 0.72247, 1},
		{0.2, 100, 0.13339, 0.28883},
	}
	for _, tt := range tests {
		lo, hi := Wilson(tt.p, tt.n)
		if math.Abs(lo-tt.lo) > 1e-4 || math.Abs(hi-tt.hi) > 1e-4 {
			t.Errorf("Wilson(%v, %v) = [%.5f, %.5f], want [%.5f, %.5f]", tt.p, tt.n, lo, hi, tt.lo, tt.hi)
		}
	}
}

func TestEffectiveN(t *testing.T) {
	// Binary per-problem scores: p(1−p)/SE² with the n−1 sd is P·(P−1)/P... ≈ P.
	scores := []float64{1, 0, 1, 1, 0, 0, 1, 0, 1, 0}
	m, sd, n := meanSD(scores)
	se := sd / math.Sqrt(float64(n))
	got := effectiveN(m, se, n, 10)
	if math.Abs(got-9) > 1e-9 { // 0.25 / (0.2778/10) = 9
		t.Errorf("effectiveN binary = %v, want 9", got)
	}
	if got := effectiveN(0, 0, 7, 56); got != 7 {
		t.Errorf("effectiveN(p=0) = %v, want the problem count 7", got)
	}
	if got := effectiveN(0.5, 1e-9, 7, 56); got != 56 {
		t.Errorf("effectiveN with tiny SE = %v, want the total-samples cap 56", got)
	}
}

func TestQuantileType7(t *testing.T) {
	xs := []float64{1, 2, 3, 4, 5}
	for _, tt := range []struct{ q, want float64 }{{0, 1}, {1, 5}, {0.5, 3}, {0.25, 2}, {0.1, 1.4}} {
		if got := quantile(xs, tt.q); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("quantile(%v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	lo, hi := percentileCI([]float64{math.NaN(), 3, 1, 2})
	if lo != 1.05 || hi != 2.95 {
		t.Errorf("percentileCI skipping NaN = [%v, %v], want [1.05, 2.95]", lo, hi)
	}
}

func TestSelectQuantileMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 8))
	for trial := 0; trial < 500; trial++ {
		n := 1 + r.IntN(300)
		xs := make([]float64, n)
		for i := range xs {
			if r.IntN(3) == 0 {
				xs[i] = float64(r.IntN(5)) // many ties
			} else {
				xs[i] = r.NormFloat64()
			}
		}
		sorted := append([]float64(nil), xs...)
		sort.Float64s(sorted)
		for _, q := range []float64{0, 0.025, 0.5, 0.975, 1} {
			cp := append([]float64(nil), xs...)
			if got, want := selectQuantile(cp, q), quantile(sorted, q); got != want {
				t.Fatalf("n=%d q=%v: select %v, sort %v", n, q, got, want)
			}
		}
	}
}
