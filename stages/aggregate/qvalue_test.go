package aggregate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// bhReference is Benjamini–Hochberg from its definition, O(m²): the q-value
// of p_i is min over p_j ≥ p_i of m·p_j / R_j, R_j = #{k : p_k ≤ p_j}, capped
// at 1.
func bhReference(ps []float64) []float64 {
	m := float64(len(ps))
	q := make([]float64, len(ps))
	for i, pi := range ps {
		q[i] = 1
		for _, pj := range ps {
			if pj < pi {
				continue
			}
			R := 0
			for _, pk := range ps {
				if pk <= pj {
					R++
				}
			}
			q[i] = math.Min(q[i], m*pj/float64(R))
		}
	}
	return q
}

func TestBHAdjustMatchesDefinition(t *testing.T) {
	r := rand.New(rand.NewPCG(71, 72))
	for trial := 0; trial < 200; trial++ {
		m := 1 + r.IntN(40)
		ps := make([]float64, m)
		for i := range ps {
			ps[i] = r.Float64() * r.Float64()
			if r.IntN(5) == 0 && i > 0 {
				ps[i] = ps[r.IntN(i)] // ties
			}
		}
		got, want := bhAdjust(ps), bhReference(ps)
		for i := range ps {
			if math.Abs(got[i]-want[i]) > 1e-15 {
				t.Fatalf("ps=%v: q[%d] = %v, reference %v", ps, i, got[i], want[i])
			}
		}
	}
	if q := bhAdjust([]float64{math.NaN(), 0.01, 0.04}); !math.IsNaN(q[0]) || q[1] != 0.02 || q[2] != 0.04 {
		t.Errorf("NaN left out of the family: %v, want [NaN 0.02 0.04]", q)
	}
}

// TestComparisonsQAndAgreement runs many checkpoints (some with seeds) on
// random paired data and checks, on every comparison and boundary row, that
// the interval excludes 0 exactly when p < 0.05, and that q_value is the
// independent BH computation over the rows of its family (metric, k,
// subset, pooled).
func TestComparisonsQAndAgreement(t *testing.T) {
	r := rand.New(rand.NewPCG(81, 82))
	const P = 45
	p := make([]float64, P)
	for i := range p {
		p[i] = r.Float64()
	}
	a := New(Options{Permutations: 400, Bootstrap: 50})
	a.Add(simCheckpoint(r, ident("M", "none", 0, nil), p, p, 6, true))
	for ci := 0; ci < 8; ci++ {
		q := make([]float64, P)
		eff := (r.Float64() - 0.4) * 0.3
		for i := range q {
			q[i] = math.Min(1, math.Max(0, p[i]+eff+0.1*r.NormFloat64()))
		}
		var seed *int64
		if ci >= 5 {
			s := int64(ci)
			seed = &s
		}
		reward := fmt.Sprintf("r%d", ci)
		if seed != nil {
			reward = "seeded"
		}
		a.Add(simCheckpoint(r, ident("M", reward, int64(10*ci), seed), q, p, 6, true))
		if seed != nil { // a second seed of the same step
			s2 := *seed + 100
			a.Add(simCheckpoint(r, ident("M", reward, int64(10*ci), &s2), q, p, 6, true))
		}
	}
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	fams := map[string][]int{}
	sig, pooled := 0, 0
	for i, c := range res.Comparisons {
		if c.PValue == nil {
			if c.QValue != nil {
				t.Errorf("row %d: q without p", i)
			}
			continue
		}
		if c.Pooled {
			pooled++
		}
		excl := (c.DeltaCILow != nil && *c.DeltaCILow > 0) || (c.DeltaCIHigh != nil && *c.DeltaCIHigh < 0)
		if excl != (*c.PValue < Alpha) {
			t.Errorf("%s %s %s k=%v: interval [%v, %v], p %v disagree", c.Checkpoint, c.Subset, c.Metric, c.K, c.DeltaCILow, c.DeltaCIHigh, *c.PValue)
		}
		if excl {
			sig++
		}
		if Significant(&c) && (!excl || *c.QValue < *c.PValue) {
			t.Errorf("%s %s %s: marked (q %v) but p %v, interval [%v, %v]", c.Checkpoint, c.Subset, c.Metric, *c.QValue, *c.PValue, show(c.DeltaCILow), show(c.DeltaCIHigh))
		}
		k := int64(0)
		if c.K != nil {
			k = *c.K
		}
		f := fmt.Sprintf("%s|%d|%s|%v", c.Metric, k, c.Subset, c.Pooled)
		fams[f] = append(fams[f], i)
	}
	for f, idx := range fams {
		ps := make([]float64, len(idx))
		for j, i := range idx {
			ps[j] = *res.Comparisons[i].PValue
		}
		want := bhReference(ps)
		for j, i := range idx {
			if q := res.Comparisons[i].QValue; q == nil || math.Abs(*q-want[j]) > 1e-15 {
				t.Errorf("family %s row %d: q %v, reference %v", f, i, q, want[j])
			}
		}
	}
	for _, b := range res.Boundary {
		for _, v := range []struct{ lo, hi, p, q *float64 }{
			{b.AreaCILow, b.AreaCIHigh, b.AreaPValue, b.AreaQValue},
			{b.CoverageCILow, b.CoverageCIHigh, b.CoveragePValue, b.CoverageQValue}} {
			excl := (v.lo != nil && *v.lo > 0) || (v.hi != nil && *v.hi < 0)
			if excl != (*v.p < Alpha) || v.q == nil || *v.q < *v.p {
				t.Errorf("%s %s: boundary interval [%v, %v] p %v q %v", b.Checkpoint, b.Subset, show(v.lo), show(v.hi), *v.p, show(v.q))
			}
		}
	}
	t.Logf("%d comparison rows (%d pooled) in %d families, %d significant", len(res.Comparisons), pooled, len(fams), sig)
	if sig == 0 || pooled == 0 {
		t.Errorf("want significant and pooled rows, got %d and %d", sig, pooled)
	}
}

// TestStudentT checks the t tail and quantile against closed forms (df 1:
// Cauchy, df 2) and tabulated quantiles.
func TestStudentT(t *testing.T) {
	for _, x := range []float64{0.1, 0.5, 1, 2, 5, 30} {
		if got, want := TwoSidedT(x, 1), 1-2/math.Pi*math.Atan(x); math.Abs(got-want) > 1e-13 {
			t.Errorf("df 1, t %v: %v, want %v", x, got, want)
		}
		if got, want := TwoSidedT(x, 2), 1-x/math.Sqrt(x*x+2); math.Abs(got-want) > 1e-13 {
			t.Errorf("df 2, t %v: %v, want %v", x, got, want)
		}
	}
	for _, c := range []struct{ df, want float64 }{{1, 12.706204736174707}, {4, 2.7764451051977934}, {10, 2.2281388519649385},
		{30, 2.0422724563012373}, {1000, 1.9623390808264078}, {math.Inf(1), 1.959963984540054}} {
		if got := TQuantile(0.975, c.df); math.Abs(got-c.want) > 1e-9 {
			t.Errorf("t_{0.975, %v} = %v, want %v", c.df, got, c.want)
		}
	}
}

func show(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprint(*v)
}
