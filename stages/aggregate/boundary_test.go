package aggregate

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// rawProblem is what the brute-force references read from samples: the
// verdicts in sample_idx order.
type rawProblem struct {
	subject string
	level   int64
	code    int
	ok      []bool
}

func rawByProblem(samples []schemas.Sample) map[string]*rawProblem {
	out := map[string]*rawProblem{}
	sorted := slices.Clone(samples)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].SampleIdx < sorted[j].SampleIdx })
	for _, s := range sorted {
		p := out[s.ProblemID]
		if p == nil {
			p = &rawProblem{subject: s.Subject, level: s.Level}
			out[s.ProblemID] = p
		}
		p.ok = append(p.ok, s.Correct)
		if s.CodeReasoning {
			p.code++
		}
	}
	return out
}

// passBrute is 1 − C(n−c, k)/C(n, k) through log-binomials (not the product
// form the package uses).
func passBrute(n, c, k int) float64 {
	if n-c < k {
		return 1
	}
	lc := func(a, b int) float64 {
		x, _ := math.Lgamma(float64(a + 1))
		y, _ := math.Lgamma(float64(b + 1))
		z, _ := math.Lgamma(float64(a - b + 1))
		return x - y - z
	}
	return 1 - math.Exp(lc(n-c, k)-lc(n, k))
}

func inSubset(name string, p *rawProblem) bool {
	switch {
	case name == "all":
		return true
	case name == fmt.Sprintf("level=%d", p.level):
		return true
	case name == "subject="+p.subject:
		return true
	}
	return false
}

// TestBoundaryMatchesBruteForce recomputes every boundary row, curve and
// move from the raw samples: common n, pass@k curves, crossover k, area on
// ln k, coverage among the first n samples, gained and lost, and strategy
// switches. The checkpoint has fewer samples than the baseline (so the
// comparison is at the common n) and some problems only one side has.
func TestBoundaryMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(41, 42))
	statuses := map[string]int{}
	for trial := 0; trial < 4; trial++ {
		const P = 60
		nC, nB := 6+trial, 10
		p, q, code, code2 := make([]float64, P), make([]float64, P), make([]float64, P), make([]float64, P)
		for i := range p {
			p[i] = r.Float64() * r.Float64()
			// Sharpened: easy problems easier, hard ones harder.
			q[i] = math.Min(1, math.Max(0, 1.6*p[i]-0.1))
			code[i], code2[i] = r.Float64(), r.Float64()
		}
		base := ident("M", "none", 0, nil)
		ck := ident("M", "majority_vote", 10, nil)
		bs := simCheckpoint(r, base, p, code, nB, true)[nB*3:]
		cs := simCheckpoint(r, ck, q, code2, nC, true)
		cs = cs[:len(cs)-2*nC]
		a := New(Options{Permutations: 500, Bootstrap: 100})
		a.Add(bs)
		a.Add(cs)
		res, err := a.Result()
		if err != nil {
			t.Fatal(err)
		}
		checkBoundaryBrute(t, res, bs, cs, statuses)
	}
	// The sharpened checkpoint must exercise every crossover case.
	for _, st := range []string{CrossoverFound, CrossoverNever, CrossoverNotAhead} {
		if statuses[st] == 0 {
			t.Errorf("no boundary row with crossover %q (rows per case: %v)", st, statuses)
		}
	}
}

// TestIdenticalCheckpointProperty: a checkpoint whose samples are its
// baseline's (and seeds that each equal their baseline) has no crossover,
// nothing gained or lost, zero deltas whose intervals are [0, 0], and a
// pooled delta whose interval covers 0.
func TestIdenticalCheckpointProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	for trial := 0; trial < 5; trial++ {
		P := 10 + r.IntN(60)
		n := 1 + r.IntN(9)
		p, code := make([]float64, P), make([]float64, P)
		for i := range p {
			p[i], code[i] = r.Float64(), r.Float64()
		}
		base := simCheckpoint(r, ident("M", "none", 0, nil), p, code, n, true)
		a := New(Options{Permutations: 300, Bootstrap: 50})
		a.Add(base)
		for _, seed := range []int64{1, 2, 3} {
			s := seed
			id := ident("M", "random", 50, &s)
			cp := slices.Clone(base)
			for i := range cp {
				cp[i].Identity = id
			}
			a.Add(cp)
		}
		res, err := a.Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Boundary) == 0 {
			t.Fatal("no boundary rows")
		}
		for _, b := range res.Boundary {
			if b.CrossoverK != nil || b.Crossover != CrossoverNotAhead || b.Gained != 0 || b.Lost != 0 || b.CoverageDelta != 0 ||
				*b.AreaLogK != 0 || *b.CoverageCILow != 0 || *b.CoverageCIHigh != 0 || *b.CoveragePValue != 1 {
				t.Errorf("identical checkpoint: boundary %+v", b)
			}
		}
		pooled := 0
		for _, c := range res.Comparisons {
			if c.Delta == nil {
				continue
			}
			if *c.Delta != 0 || *c.DeltaCILow > 0 || *c.DeltaCIHigh < 0 || *c.PValue != 1 {
				t.Errorf("identical checkpoint: %s %s k=%v pooled=%v delta %v [%v, %v] p %v", c.Subset, c.Metric, c.K, c.Pooled, *c.Delta, *c.DeltaCILow, *c.DeltaCIHigh, *c.PValue)
			}
			if c.Pooled {
				pooled++
				if c.NSeeds != 3 || *c.SeedSD != 0 || c.CIScope != CIScopeSeedsProblems {
					t.Errorf("pooled row %+v", c)
				}
			} else if c.NSeeds != 1 || c.CIScope != CIScopeProblems {
				t.Errorf("per-seed row n_seeds %d ci_scope %q", c.NSeeds, c.CIScope)
			}
		}
		if pooled == 0 {
			t.Fatal("no pooled rows")
		}
		if len(res.ProblemMoves) != 0 {
			t.Errorf("identical checkpoint: moves %v", res.ProblemMoves)
		}
	}
}

// TestPooledMatchesBruteForce: three seeds of one condition against one
// baseline; the pooled row's delta (mean over seeds of the per-seed deltas
// over the problems all seeds share), seed_sd, n_seeds and baseline are
// recomputed from the samples, and its interval and p-value agree.
func TestPooledMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(61, 62))
	const P, n = 80, 4
	p := make([]float64, P)
	for i := range p {
		p[i] = r.Float64()
	}
	base := simCheckpoint(r, ident("M", "none", 0, nil), p, nil, n, true)
	a := New(Options{Permutations: 300, Bootstrap: 50})
	a.Add(base)
	raw := map[int64]map[string]*rawProblem{}
	for _, seed := range []int64{7, 8, 9} {
		s := seed
		q := make([]float64, P)
		for i := range q {
			q[i] = math.Min(1, p[i]+0.05*float64(seed-7)+0.1*r.Float64())
		}
		cs := simCheckpoint(r, ident("M", "ground_truth", 100, &s), q, nil, n, true)
		cs = cs[int(seed-7)*n:] // seed 8 lacks problem 0, seed 9 problems 0 and 1
		a.Add(cs)
		raw[seed] = rawByProblem(cs)
	}
	res, err := a.Result()
	if err != nil {
		t.Fatal(err)
	}
	rb := rawByProblem(base)
	acc := func(pr *rawProblem) float64 {
		c := 0
		for _, ok := range pr.ok {
			c += b2i(ok)
		}
		return float64(c) / float64(len(pr.ok))
	}
	checked := 0
	for _, c := range res.Comparisons {
		if !c.Pooled || c.Metric != MetricAccuracy {
			continue
		}
		checked++
		var deltas []float64
		shared := 0
		for _, seed := range []int64{7, 8, 9} {
			var s float64
			shared = 0
			for id, pb := range rb {
				if !inSubset(c.Subset, pb) || raw[7][id] == nil || raw[8][id] == nil || raw[9][id] == nil {
					continue
				}
				s += acc(raw[seed][id]) - acc(pb)
				shared++
			}
			deltas = append(deltas, s/float64(shared))
		}
		mean := (deltas[0] + deltas[1] + deltas[2]) / 3
		var ss float64
		for _, d := range deltas {
			ss += (d - mean) * (d - mean)
		}
		sd := math.Sqrt(ss / 2)
		if math.Abs(*c.Delta-mean) > 1e-12 || math.Abs(*c.SeedSD-sd) > 1e-12 || c.NSeeds != 3 || c.NProblems != int64(shared) ||
			c.BaselineCheckpoint != "M/none/step0" || c.Checkpoint != "M/ground_truth/step100"+PooledSuffix || c.Seed != nil {
			t.Errorf("%s: pooled delta %v sd %v n_seeds %d n %d baseline %s id %s; brute force %v %v 3 %d", c.Subset, *c.Delta, *c.SeedSD,
				c.NSeeds, c.NProblems, c.BaselineCheckpoint, c.Checkpoint, mean, sd, shared)
		}
		if *c.DeltaCILow > *c.Delta || *c.DeltaCIHigh < *c.Delta {
			t.Errorf("%s: delta %v outside [%v, %v]", c.Subset, *c.Delta, *c.DeltaCILow, *c.DeltaCIHigh)
		}
		if excl := *c.DeltaCILow > 0 || *c.DeltaCIHigh < 0; excl != (*c.PValue < Alpha) {
			t.Errorf("%s: interval [%v, %v] and p %v disagree", c.Subset, *c.DeltaCILow, *c.DeltaCIHigh, *c.PValue)
		}
	}
	if checked == 0 {
		t.Fatal("no pooled accuracy rows")
	}
}

// checkBoundaryBrute recomputes every boundary row, curve and move of res
// (one checkpoint cs against its baseline bs) from the raw samples and
// counts the rows per crossover case into statuses.
func checkBoundaryBrute(t *testing.T, res *Tables, bs, cs []schemas.Sample, statuses map[string]int) {
	t.Helper()
	rb, rc := rawByProblem(bs), rawByProblem(cs)
	var ids []string
	for id := range rc {
		if rb[id] != nil {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	nC, nB := math.MaxInt, math.MaxInt // every test here has one n per side
	for _, id := range ids {
		nC, nB = min(nC, len(rc[id].ok)), min(nB, len(rb[id].ok))
	}
	if len(res.Boundary) == 0 {
		t.Fatal("no boundary rows")
	}
	curveRows := map[string][]schemas.BoundaryCurve{}
	for _, c := range res.BoundaryCurves {
		curveRows[c.Subset] = append(curveRows[c.Subset], c)
	}
	for _, row := range res.Boundary {
		var sub []string
		for _, id := range ids {
			if inSubset(row.Subset, rc[id]) {
				sub = append(sub, id)
			}
		}
		n := min(nC, nB)
		if row.N != int64(n) || row.NCheckpoint != int64(nC) || row.NBaseline != int64(nB) || row.CommonN != (nC != nB) || row.NProblems != int64(len(sub)) {
			t.Fatalf("%s: n %d (%d/%d, common %v) over %d problems, want %d (%d/%d) over %d", row.Subset, row.N, row.NCheckpoint, row.NBaseline, row.CommonN, row.NProblems, n, nC, nB, len(sub))
		}
		cc, cb := make([]float64, n+1), make([]float64, n+1)
		var covC, covB, gained, lost int
		for _, id := range sub {
			pc, pb := rc[id], rb[id]
			var c1, c2 int
			for _, ok := range pc.ok {
				c1 += b2i(ok)
			}
			for _, ok := range pb.ok {
				c2 += b2i(ok)
			}
			for k := 1; k <= n; k++ {
				cc[k] += passBrute(len(pc.ok), c1, k) / float64(len(sub))
				cb[k] += passBrute(len(pb.ok), c2, k) / float64(len(sub))
			}
			hc, hb := slices.Contains(pc.ok[:n], true), slices.Contains(pb.ok[:n], true)
			covC += b2i(hc)
			covB += b2i(hb)
			gained += b2i(hc && !hb)
			lost += b2i(hb && !hc)
		}
		var area float64
		for k := 1; k < n; k++ {
			area += ((cc[k] - cb[k]) + (cc[k+1] - cb[k+1])) / 2 * math.Log(float64(k+1)/float64(k))
		}
		var cross *int64
		status := CrossoverNotAhead
		if cc[1] > cb[1]+1e-9 {
			status = CrossoverNever
			for k := 2; k <= n; k++ {
				if cb[k] >= cc[k]-1e-9 {
					kk := int64(k)
					cross, status = &kk, CrossoverFound
					break
				}
			}
		}
		statuses[status]++
		if status != row.Crossover || (cross == nil) != (row.CrossoverK == nil) || (cross != nil && *cross != *row.CrossoverK) {
			t.Errorf("%s: crossover %q k %v, brute force %q k %v (curves %v vs %v)", row.Subset, row.Crossover, row.CrossoverK, status, cross, cc[1:], cb[1:])
		}
		fs := float64(len(sub))
		if math.Abs(row.Coverage-float64(covC)/fs) > 1e-12 || math.Abs(row.BaselineCoverage-float64(covB)/fs) > 1e-12 ||
			row.Gained != int64(gained) || row.Lost != int64(lost) || math.Abs(row.CoverageDelta-float64(gained-lost)/fs) > 1e-12 {
			t.Errorf("%s: coverage %v/%v gained %d lost %d, brute force %v/%v %d %d", row.Subset, row.Coverage, row.BaselineCoverage, row.Gained, row.Lost,
				float64(covC)/fs, float64(covB)/fs, gained, lost)
		}
		if row.AreaLogK == nil || math.Abs(*row.AreaLogK-area) > 1e-9 {
			t.Errorf("%s: area %v, brute force %v", row.Subset, row.AreaLogK, area)
		}
		if math.Abs(*row.PassAt1-cc[1]) > 1e-9 || math.Abs(*row.BaselinePassAtN-cb[n]) > 1e-9 {
			t.Errorf("%s: pass@1 %v baseline pass@n %v, brute force %v %v", row.Subset, *row.PassAt1, *row.BaselinePassAtN, cc[1], cb[n])
		}
		cv := curveRows[row.Subset]
		if len(cv) != n {
			t.Fatalf("%s: %d curve rows, want %d", row.Subset, len(cv), n)
		}
		for _, c := range cv {
			if math.Abs(c.PassAtK-cc[c.K]) > 1e-9 || math.Abs(c.BaselinePassAtK-cb[c.K]) > 1e-9 || c.Delta != c.PassAtK-c.BaselinePassAtK {
				t.Errorf("%s k=%d: curve %v/%v, brute force %v/%v", row.Subset, c.K, c.PassAtK, c.BaselinePassAtK, cc[c.K], cb[c.K])
			}
		}
		for _, pv := range []struct {
			lo, hi, p *float64
		}{{row.AreaCILow, row.AreaCIHigh, row.AreaPValue}, {row.CoverageCILow, row.CoverageCIHigh, row.CoveragePValue}} {
			if pv.p == nil {
				t.Fatalf("%s: missing p-value", row.Subset)
			}
			excl := (pv.lo != nil && *pv.lo > 0) || (pv.hi != nil && *pv.hi < 0)
			if excl != (*pv.p < Alpha) {
				t.Errorf("%s: interval [%v, %v] and p %v disagree", row.Subset, pv.lo, pv.hi, *pv.p)
			}
		}
	}
	// Moves: subset all, one row per problem covered by one side only.
	var want []string
	for _, id := range ids {
		pc, pb := rc[id], rb[id]
		n := min(nC, nB)
		hc, hb := slices.Contains(pc.ok[:n], true), slices.Contains(pb.ok[:n], true)
		if hc != hb {
			mv := MoveGained
			if hb {
				mv = MoveLost
			}
			sw := (2*pc.code > len(pc.ok)) != (2*pb.code > len(pb.ok))
			want = append(want, fmt.Sprintf("%s %s %s/%s switch=%v", id, mv, strategy(2*pb.code > len(pb.ok)), strategy(2*pc.code > len(pc.ok)), sw))
		}
	}
	var got []string
	for _, m := range res.ProblemMoves {
		if m.Subject != rc[m.ProblemID].subject || m.Level != rc[m.ProblemID].level {
			t.Errorf("%s: subject/level %s/%d", m.ProblemID, m.Subject, m.Level)
		}
		got = append(got, fmt.Sprintf("%s %s %s/%s switch=%v", m.ProblemID, m.Move, m.StrategyBefore, m.StrategyAfter, m.StrategySwitch))
	}
	if !slices.Equal(got, want) {
		t.Errorf("moves:\n got %q\nwant %q", got, want)
	}
}
