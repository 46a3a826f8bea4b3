package aggregate

import (
	"math"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Values of boundary.crossover (declared in schemas, where the readers of the
// table find them).
const (
	CrossoverFound    = schemas.CrossoverFound
	CrossoverNever    = schemas.CrossoverNever
	CrossoverNotAhead = schemas.CrossoverNotAhead
)

// Values of problem_moves.move.
const (
	MoveGained = "gained"
	MoveLost   = "lost"
)

// curveTol is the tolerance of "ahead" and "reaches" between two pass@k
// curves (means of rationals computed in floating point).
const curveTol = 1e-12

// boundaryRows computes, for checkpoint c against baseline b, one boundary
// row per profile × subset with its pass@k curves (one curve row per k), and
// the problem moves (subset "all") per profile.
func (a *Aggregator) boundaryRows(c, b *ckptData) ([]schemas.Boundary, []schemas.BoundaryCurve, []schemas.ProblemMove) {
	ci, bi := pairProblems(c, b)
	bOf := make(map[int]int, len(ci))
	for k := range ci {
		bOf[ci[k]] = bi[k]
	}
	var rows []schemas.Boundary
	var curves []schemas.BoundaryCurve
	var moves []schemas.ProblemMove
	for p, prof := range a.profiles {
		for _, s := range c.subsets {
			var pc, pb []int
			for _, i := range s.probs {
				if j, ok := bOf[i]; ok {
					pc, pb = append(pc, i), append(pb, j)
				}
			}
			if len(pc) == 0 {
				continue
			}
			row, cv, mv := a.boundary(c, b, p, prof, s.name, pc, pb)
			rows = append(rows, row)
			curves = append(curves, cv...)
			if s.name == "all" {
				moves = append(moves, mv...)
			}
		}
	}
	return rows, curves, moves
}

// boundary is one profile × subset of boundaryRows over the paired problems
// pc (of c) and pb (of b).
func (a *Aggregator) boundary(c, b *ckptData, p int, prof, subset string, pc, pb []int) (schemas.Boundary, []schemas.BoundaryCurve, []schemas.ProblemMove) {
	P := len(pc)
	nC, nB := math.MaxInt, math.MaxInt
	for j := range pc {
		nC = min(nC, c.probs[pc[j]].n)
		nB = min(nB, b.probs[pb[j]].n)
	}
	n := min(nC, nB)
	row := schemas.Boundary{Identity: c.id, BaselineCheckpoint: b.key.checkpoint, Profile: prof, Subset: subset,
		N: int64(n), NCheckpoint: int64(nC), NBaseline: int64(nB), CommonN: nC != nB, NProblems: int64(P),
		Method: MethodSignFlip}
	// Per-problem pass@k of both sides at k = 1..n, from all their samples.
	curveC, curveB := make([]float64, n), make([]float64, n)
	area := make([]float64, P)  // per-problem area between the curves on ln k
	covD := make([]float64, P)  // covered by c − covered by b, among the first n samples
	prevD := make([]float64, P) // per-problem difference at the previous k
	var covC, covB int
	var moves []schemas.ProblemMove
	for j := range pc {
		pi, bj := &c.probs[pc[j]], &b.probs[pb[j]]
		for k := 1; k <= n; k++ {
			vc := PassAtK(pi.n, int(pi.correct[p]), k)
			vb := PassAtK(bj.n, int(bj.correct[p]), k)
			curveC[k-1] += vc
			curveB[k-1] += vb
			dk := vc - vb
			if k > 1 {
				area[j] += 0.5 * (prevD[j] + dk) * (math.Log(float64(k)) - math.Log(float64(k-1)))
			}
			prevD[j] = dk
		}
		hc := pi.first[p] >= 0 && int(pi.first[p]) < n
		hb := bj.first[p] >= 0 && int(bj.first[p]) < n
		covC += b2i(hc)
		covB += b2i(hb)
		switch {
		case hc && !hb:
			covD[j] = 1
			row.Gained++
		case hb && !hc:
			covD[j] = -1
			row.Lost++
		}
		if hc != hb {
			mv := schemas.ProblemMove{Identity: c.id, BaselineCheckpoint: b.key.checkpoint, Profile: prof,
				ProblemID: pi.id, Subject: pi.subject, Level: pi.level, Move: MoveGained, N: int64(n),
				NCorrect: int64(pi.correct[p]), BaselineNCorrect: int64(bj.correct[p]),
				StrategyBefore: strategy(bj.code), StrategyAfter: strategy(pi.code), StrategySwitch: bj.code != pi.code}
			if hb {
				mv.Move = MoveLost
			}
			moves = append(moves, mv)
		}
	}
	fP := float64(P)
	var curves []schemas.BoundaryCurve
	for k := 1; k <= n; k++ {
		vc, vb := curveC[k-1]/fP, curveB[k-1]/fP
		curveC[k-1], curveB[k-1] = vc, vb
		curves = append(curves, schemas.BoundaryCurve{Identity: c.id, BaselineCheckpoint: b.key.checkpoint,
			Profile: prof, Subset: subset, K: int64(k), N: int64(n), PassAtK: vc, BaselinePassAtK: vb, Delta: vc - vb})
	}
	if n >= 1 {
		row.PassAt1, row.BaselinePassAt1 = fptr(curveC[0]), fptr(curveB[0])
		row.PassAtN, row.BaselinePassAtN = fptr(curveC[n-1]), fptr(curveB[n-1])
	}
	row.Crossover = CrossoverNotAhead
	if n >= 1 && curveC[0]-curveB[0] > curveTol {
		row.Crossover = CrossoverNever
		for k := 2; k <= n; k++ {
			if curveB[k-1] >= curveC[k-1]-curveTol {
				kk := int64(k)
				row.CrossoverK, row.Crossover = &kk, CrossoverFound
				break
			}
		}
	}
	row.Coverage, row.BaselineCoverage = float64(covC)/fP, float64(covB)/fP
	row.CoverageDelta = float64(covC-covB) / fP
	// Area and coverage delta are means of per-problem values: the same
	// paired procedure as comparisons, with one stream for both columns.
	d := make([]float64, 2*P)
	for j := range P {
		d[2*j], d[2*j+1] = area[j], covD[j]
	}
	fl := signFlipInvert(d, P, 2, a.opts.Permutations,
		stream(a.opts.Seed, "boundary", c.key.String(), b.key.String(), prof, subset), []int{0, 1})
	if n >= 1 {
		var s float64
		for _, v := range area {
			s += v
		}
		row.AreaLogK = fptr(s / fP)
		row.AreaCILow, row.AreaCIHigh, row.AreaPValue = fptr(fl[0].lo), fptr(fl[0].hi), fptr(fl[0].p)
	}
	row.CoverageCILow, row.CoverageCIHigh, row.CoveragePValue = fptr(fl[1].lo), fptr(fl[1].hi), fptr(fl[1].p)
	return row, curves, moves
}

func strategy(code bool) string {
	if code {
		return "code"
	}
	return "lang"
}
