package aggregate

import (
	"math"
	"slices"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// MethodPooledT names the procedure of seed-pooled comparison rows: a
// t-interval and t-test on the pooled delta with a variance that accounts
// for seeds and problems (crossed), Welch–Satterthwaite degrees of freedom.
const MethodPooledT = schemas.MethodPooledT

// PooledSuffix ends the checkpoint id of a seed-pooled comparison row.
const PooledSuffix = "/pooled"

// condKey identifies a training condition across seeds.
type condKey struct {
	family, model, reward string
	step                  int64
	evalset               string
}

// seedGroups returns, in ds order, the groups of compared checkpoints (with
// a baseline) that share family, model, reward, step and evalset and carry
// two or more distinct seeds; each group lists indices into ds.
func seedGroups(ds []*ckptData, base []int) [][]int {
	idx := map[condKey]int{}
	var groups [][]int
	for i, d := range ds {
		if base[i] < 0 || !d.key.hasSeed {
			continue
		}
		k := condKey{d.key.family, d.key.model, d.key.reward, d.key.step, d.key.evalset}
		g, ok := idx[k]
		if !ok {
			g = len(groups)
			idx[k] = g
			groups = append(groups, nil)
		}
		groups[g] = append(groups[g], i)
	}
	var out [][]int
	for _, g := range groups {
		seeds := map[int64]bool{}
		for _, i := range g {
			seeds[ds[i].key.seed] = true
		}
		if len(seeds) >= 2 {
			out = append(out, g)
		}
	}
	return out
}

// pooledRows returns the seed-pooled comparison rows of one group: per
// subset (of the first seed, present in every seed) and comparison column,
// over the problems every seed pairs with its baseline and where every seed
// has a difference.
func (a *Aggregator) pooledRows(ds []*ckptData, base []int, group []int, l *layout) []schemas.Comparison {
	first := ds[group[0]]
	id := schemas.Identity{Family: first.key.family, Model: first.key.model, Reward: first.key.reward,
		Step: first.key.step, Evalset: first.key.evalset}
	id.Checkpoint = schemas.CheckpointID(id.Model, id.Reward, id.Step, nil) + PooledSuffix
	var bases []string
	for _, i := range group {
		bases = append(bases, ds[base[i]].key.checkpoint)
	}
	slices.Sort(bases)
	baseline := strings.Join(slices.Compact(bases), ",")
	S := len(group)
	M := len(l.cols)
	cols := l.comparisonOrder()
	var rows []schemas.Comparison
	for _, s := range first.subsets {
		// Per seed: problem id -> (index in the checkpoint, in its baseline).
		pairs := make([]map[string][2]int, S)
		ok := true
		for g, i := range group {
			c, b := ds[i], ds[base[i]]
			var sub *subset
			for k := range c.subsets {
				if c.subsets[k].name == s.name {
					sub = &c.subsets[k]
				}
			}
			if sub == nil {
				ok = false
				break
			}
			ci, bi := pairProblems(c, b)
			bOf := make(map[int]int, len(ci))
			for k := range ci {
				bOf[ci[k]] = bi[k]
			}
			pairs[g] = map[string][2]int{}
			for _, pi := range sub.probs {
				if bj, ok := bOf[pi]; ok {
					pairs[g][c.probs[pi].id] = [2]int{pi, bj}
				}
			}
		}
		if !ok {
			continue
		}
		var ids []string
		for pid := range pairs[0] {
			all := true
			for g := 1; g < S; g++ {
				if _, ok := pairs[g][pid]; !ok {
					all = false
					break
				}
			}
			if all {
				ids = append(ids, pid)
			}
		}
		slices.Sort(ids)
		for _, col := range cols {
			// d[g][j], and each side's scores, over problems where every seed
			// has a difference.
			var d, vc, vb [][]float64
			d, vc, vb = make([][]float64, S), make([][]float64, S), make([][]float64, S)
			for _, pid := range ids {
				complete := true
				for g, i := range group {
					pr := pairs[g][pid]
					if v := ds[i].scores[pr[0]*M+col] - ds[base[i]].scores[pr[1]*M+col]; v != v {
						complete = false
					}
				}
				if !complete {
					continue
				}
				for g, i := range group {
					pr := pairs[g][pid]
					x, y := ds[i].scores[pr[0]*M+col], ds[base[i]].scores[pr[1]*M+col]
					d[g], vc[g], vb[g] = append(d[g], x-y), append(vc[g], x), append(vb[g], y)
				}
			}
			if len(d[0]) == 0 || (l.cols[col].strict && len(d[0]) < len(ids)) {
				continue // no pooled delta: no problem in common, or undefined for some seed
			}
			row := pooledDelta(d)
			row.Identity, row.Subset, row.Metric, row.BaselineCheckpoint = id, s.name, l.cols[col].metric, baseline
			if kk := int64(l.cols[col].k); kk > 0 {
				row.K = &kk
			}
			row.Value, row.BaselineValue = fptr(grandMean(vc)), fptr(grandMean(vb))
			rows = append(rows, row)
		}
	}
	return rows
}

func grandMean(x [][]float64) float64 {
	var s float64
	n := 0
	for _, r := range x {
		for _, v := range r {
			s += v
			n++
		}
	}
	return s / float64(n)
}

// pooledDelta computes the pooled statistics of the S×P differences d
// (seeds × problems, the same problems for every seed): delta = grand mean;
// V = var(seed means)/S + var(problem means)/P (each with its n−1
// denominator), which estimates the variance of the grand mean under crossed
// seed and problem effects plus the seed×problem noise once more (so it errs
// on the wide side); t = delta/√V with Welch–Satterthwaite degrees of
// freedom; the interval delta ± t_{0.975,df}·√V and the two-sided p-value of
// the same t, made to agree on significance exactly (doc.go).
func pooledDelta(d [][]float64) schemas.Comparison {
	S, P := len(d), len(d[0])
	grand := grandMean(d)
	ms := make([]float64, S)
	us := make([]float64, P)
	for g := range d {
		for j, v := range d[g] {
			ms[g] += v
			us[j] += v
		}
		ms[g] /= float64(P)
	}
	for j := range us {
		us[j] /= float64(S)
	}
	varOf := func(x []float64) float64 {
		if len(x) < 2 {
			return 0
		}
		var s float64
		for _, v := range x {
			s += (v - grand) * (v - grand)
		}
		return s / float64(len(x)-1)
	}
	vm, vu := varOf(ms), varOf(us)
	row := schemas.Comparison{Pooled: true, NSeeds: int64(S), NProblems: int64(P), CIScope: CIScopeSeedsProblems,
		Method: MethodPooledT, Delta: fptr(grand), SeedSD: fptr(math.Sqrt(vm))}
	for _, u := range us {
		switch {
		case u > 0:
			row.Wins++
		case u < 0:
			row.Losses++
		default:
			row.Ties++
		}
	}
	cm, cu := vm/float64(S), vu/float64(P)
	V := cm + cu
	if V == 0 || math.IsNaN(V) {
		p := 1.0
		if grand != 0 {
			p = 0
		}
		row.DeltaCILow, row.DeltaCIHigh, row.PValue = fptr(grand), fptr(grand), fptr(p)
		return row
	}
	var den float64
	if S > 1 {
		den += cm * cm / float64(S-1)
	}
	if P > 1 {
		den += cu * cu / float64(P-1)
	}
	df := V * V / den
	se := math.Sqrt(V)
	p := TwoSidedT(math.Abs(grand)/se, df)
	tq := TQuantile(1-Alpha/2, df)
	lo, hi := grand-tq*se, grand+tq*se
	// The quantile and the tail probability are computed separately; at the
	// rounding edge, p decides and the end nearest 0 moves to agree.
	if sig, excl := p < Alpha, lo > 0 || hi < 0; sig != excl {
		switch {
		case sig && grand > 0:
			lo = math.Nextafter(0, 1)
		case sig:
			hi = math.Nextafter(0, -1)
		case lo > 0:
			lo = 0
		default:
			hi = 0
		}
	}
	row.DeltaCILow, row.DeltaCIHigh, row.PValue = fptr(lo), fptr(hi), fptr(p)
	return row
}

// TwoSidedT is P(|T| ≥ t) for Student's t with df degrees of freedom
// (df > 0, t ≥ 0): the regularized incomplete beta I_{df/(df+t²)}(df/2, ½).
func TwoSidedT(t, df float64) float64 {
	if t <= 0 {
		return 1
	}
	if math.IsInf(df, 1) {
		return math.Erfc(t / math.Sqrt2)
	}
	return regIncBeta(df/2, 0.5, df/(df+t*t))
}

// TQuantile is the q quantile (q in (½, 1)) of Student's t with df degrees
// of freedom, by bisection on TwoSidedT to full float precision.
func TQuantile(q, df float64) float64 {
	target := 2 * (1 - q)
	lo, hi := 0.0, 1.0
	for TwoSidedT(hi, df) > target {
		hi *= 2
		if hi > 1e12 {
			return math.Inf(1)
		}
	}
	for range 200 {
		mid := (lo + hi) / 2
		if mid == lo || mid == hi {
			break
		}
		if TwoSidedT(mid, df) > target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}

// regIncBeta is the regularized incomplete beta function I_x(a, b), by the
// continued fraction (modified Lentz), using the symmetry
// I_x(a, b) = 1 − I_{1−x}(b, a) where the fraction converges slowly.
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	if x > (a+1)/(a+b+2) {
		return 1 - front*betaCF(b, a, 1-x)/b
	}
	return front * betaCF(a, b, x) / a
}

func betaCF(a, b, x float64) float64 {
	const tiny = 1e-300
	fix := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	c, d := 1.0, 1/fix(1-(a+b)*x/(a+1))
	h := d
	for m := 1; m <= 500; m++ {
		fm := float64(m)
		num := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		d = 1 / fix(1+num*d)
		c = fix(1 + num/c)
		h *= d * c
		num = -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		d = 1 / fix(1+num*d)
		c = fix(1 + num/c)
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return h
}

// bhAdjust returns the Benjamini–Hochberg adjusted p-values (q-values) of
// ps, NaN entries left out of the family and NaN in the result:
// q_(i) = min_{j ≥ i} min(1, m·p_(j)/j) over the m non-NaN values sorted
// ascending.
func bhAdjust(ps []float64) []float64 {
	q := make([]float64, len(ps))
	var idx []int
	for i, p := range ps {
		q[i] = math.NaN()
		if p == p {
			idx = append(idx, i)
		}
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		switch {
		case ps[x] < ps[y]:
			return -1
		case ps[x] > ps[y]:
			return 1
		}
		return 0
	})
	m := float64(len(idx))
	run := 1.0
	for r := len(idx) - 1; r >= 0; r-- {
		v := math.Min(1, ps[idx[r]]*(m/float64(r+1))) // factor first: exactly p when r+1 = m, never below p
		run = math.Min(run, v)
		q[idx[r]] = run
	}
	return q
}

// Significant is the marking rule for summaries and the site: a delta is
// marked when its q-value (Benjamini–Hochberg over its family, see doc.go)
// is below Alpha. Since q ≥ p, a marked delta's interval also excludes 0.
func Significant(c *schemas.Comparison) bool { return schemas.Significant(c.QValue) }

// qFamily is a comparisons row's multiple-testing family.
type qFamily struct {
	metric, subset string
	k              int64
	pooled         bool
}

// assignQValues fills q_value on every row with a p-value: BH within each
// family of rows sharing metric, k, subset and pooled.
func assignQValues(rows []schemas.Comparison) {
	fams := map[qFamily][]int{}
	for i := range rows {
		r := &rows[i]
		if r.PValue == nil {
			continue
		}
		f := qFamily{metric: r.Metric, subset: r.Subset, pooled: r.Pooled}
		if r.K != nil {
			f.k = *r.K
		}
		fams[f] = append(fams[f], i)
	}
	for _, idx := range fams {
		ps := make([]float64, len(idx))
		for j, i := range idx {
			ps[j] = *rows[i].PValue
		}
		for j, q := range bhAdjust(ps) {
			rows[idx[j]].QValue = fptr(q)
		}
	}
}

// assignBoundaryQValues does the same for boundary rows: area_q_value and
// coverage_q_value, BH within each profile × subset.
func assignBoundaryQValues(rows []schemas.Boundary) {
	type fam struct{ profile, subset string }
	fams := map[fam][]int{}
	for i := range rows {
		f := fam{rows[i].Profile, rows[i].Subset}
		fams[f] = append(fams[f], i)
	}
	get := []func(*schemas.Boundary) (*float64, **float64){
		func(b *schemas.Boundary) (*float64, **float64) { return b.AreaPValue, &b.AreaQValue },
		func(b *schemas.Boundary) (*float64, **float64) { return b.CoveragePValue, &b.CoverageQValue },
	}
	for _, idx := range fams {
		for _, g := range get {
			ps := make([]float64, len(idx))
			for j, i := range idx {
				ps[j] = math.NaN()
				if p, _ := g(&rows[i]); p != nil {
					ps[j] = *p
				}
			}
			for j, q := range bhAdjust(ps) {
				_, dst := g(&rows[idx[j]])
				*dst = fptr(q)
			}
		}
	}
}
