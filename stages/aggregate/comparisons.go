package aggregate

import (
	"fmt"
	"math"
	"slices"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Transition buckets, in table order: baseline strategy -> checkpoint strategy.
var Buckets = [4]string{"code->code", "code->lang", "lang->code", "lang->lang"}

// isBaseline reports whether k is a default baseline (schemas.IsBaseline).
func isBaseline(k ckptKey) bool { return schemas.IsBaseline(k.reward, k.step) }

// resolveBaselines returns, for each checkpoint index in ds, the index of its
// baseline or -1, plus warnings for checkpoints that should have one but do
// not. ds is sorted by identity.
func (a *Aggregator) resolveBaselines(ds []*ckptData) ([]int, []string) {
	out := make([]int, len(ds))
	var warns []string
	for i, d := range ds {
		out[i] = -1
		if want, ok := a.configuredBaseline(d.key.checkpoint); ok {
			if want == d.key.checkpoint {
				continue // configured as its own baseline
			}
			out[i] = findCheckpoint(ds, want, d.key.evalset)
			if out[i] < 0 {
				warns = append(warns, fmt.Sprintf("checkpoint %s (evalset %s): configured baseline %q has no samples: no comparison or transition rows",
					d.key.checkpoint, d.key.evalset, want))
			}
			continue
		}
		if isBaseline(d.key) {
			continue
		}
		same, seedless, lowest := -1, -1, -1
		for j, b := range ds {
			bk := b.key
			if !isBaseline(bk) || bk.family != d.key.family || bk.model != d.key.model || bk.evalset != d.key.evalset {
				continue
			}
			switch {
			case d.key.hasSeed && bk.hasSeed && bk.seed == d.key.seed:
				if same < 0 {
					same = j
				}
			case !bk.hasSeed:
				if seedless < 0 {
					seedless = j
				}
			default:
				// ds is sorted with seeds ascending, so the first is the lowest.
				if lowest < 0 {
					lowest = j
				}
			}
		}
		switch {
		case same >= 0:
			out[i] = same
		case seedless >= 0:
			out[i] = seedless
		case lowest >= 0:
			out[i] = lowest
		default:
			warns = append(warns, fmt.Sprintf("checkpoint %s (evalset %s): no baseline found (expected model %q with reward \"none\" and step 0, or a configured baseline): no comparison or transition rows",
				d.key.checkpoint, d.key.evalset, d.key.model))
		}
	}
	return out, warns
}

// configuredBaseline looks checkpoint id up in Options.Baselines, exactly:
// checkpoint ids are case-sensitive (models "M" and "m" are two models), and
// the config gives the map as written (read from the YAML, never through
// viper, which lowercases keys).
func (a *Aggregator) configuredBaseline(id string) (string, bool) {
	want, ok := a.opts.Baselines[id]
	return want, ok
}

// findCheckpoint returns the index of the checkpoint with id want (exactly)
// on evalset, or -1.
func findCheckpoint(ds []*ckptData, want, evalset string) int {
	for j, b := range ds {
		if b.key.checkpoint == want && b.key.evalset == evalset {
			return j
		}
	}
	return -1
}

// pairProblems returns index pairs (into c.probs, b.probs) of the problems
// both checkpoints have, in problem id order.
func pairProblems(c, b *ckptData) (ci, bi []int) {
	i, j := 0, 0
	for i < len(c.probs) && j < len(b.probs) {
		switch {
		case c.probs[i].id < b.probs[j].id:
			i++
		case c.probs[i].id > b.probs[j].id:
			j++
		default:
			ci, bi = append(ci, i), append(bi, j)
			i, j = i+1, j+1
		}
	}
	return ci, bi
}

// comparisonRows compares checkpoint c with baseline b on every subset of c
// restricted to the problems both have. cbC and cbB are their bootstrap
// means: where the subset's problems are the same on both sides and a column
// has no missing score, the delta's bootstrap is the difference of the two
// sides' means under the shared draws; other columns resample the paired
// differences with the draws of the paired problem set.
func (a *Aggregator) comparisonRows(c, b *ckptData, l *layout, cbC, cbB *ckptBoot) []schemas.Comparison {
	ci, bi := pairProblems(c, b)
	bOf := make(map[int]int, len(ci))
	for k := range ci {
		bOf[ci[k]] = bi[k]
	}
	bSub := make(map[string]int, len(b.subsets))
	for j, s := range b.subsets {
		bSub[s.name] = j
	}
	cols := l.comparisonOrder()
	C := len(cols)
	M := len(l.cols)
	scratch := make([]float64, a.opts.Bootstrap)
	var rows []schemas.Comparison
	for si, s := range c.subsets {
		var pc, pb []int
		for _, i := range s.probs {
			if j, ok := bOf[i]; ok {
				pc, pb = append(pc, i), append(pb, j)
			}
		}
		P := len(pc)
		d := make([]float64, P*C)
		valid := make([]bool, C)
		dense := make([]bool, C) // no pair missing: both sides have every score
		empty := make([]bool, C) // every pair missing
		for k, col := range cols {
			strict := l.cols[col].strict
			valid[k], dense[k], empty[k] = true, true, true
			for j := range pc {
				vc, vb := c.scores[pc[j]*M+col], b.scores[pb[j]*M+col]
				v := vc - vb // NaN when either is missing
				d[j*C+k] = v
				if v != v {
					dense[k] = false
					if strict {
						valid[k] = false
					}
				} else {
					empty[k] = false
				}
			}
			if !valid[k] { // undefined delta: nothing to resample
				for j := range pc {
					d[j*C+k] = math.NaN()
				}
			}
		}
		// Shared draws: the same problems, in the same order, on both sides.
		var meansC, meansB [][]float64
		if bj, ok := bSub[s.name]; ok && P == len(s.probs) && slices.Equal(b.subsets[bj].probs, pb) {
			meansC, meansB = cbC.means[si], cbB.means[bj]
		}
		boot := make([][]float64, C)
		var rest []int
		for k, col := range cols {
			switch {
			case !valid[k] || empty[k]:
				// No delta, or no pair to resample.
			case dense[k] && meansC != nil && meansB != nil && meansC[col] != nil && meansB[col] != nil:
				mc, mb := meansC[col], meansB[col]
				diff := make([]float64, len(mc))
				for r := range diff {
					diff[r] = mc[r] - mb[r]
				}
				boot[k] = diff
			default:
				rest = append(rest, k)
			}
		}
		if len(rest) > 0 {
			R := len(rest)
			x := make([]float64, P*R)
			for j := 0; j < P; j++ {
				for r, k := range rest {
					x[j*R+r] = d[j*C+k]
				}
			}
			means := bootstrapMeans(x, P, R, a.opts.Bootstrap, drawSeed(a.opts.Seed, c.key.evalset, s.name, subsetIDs(c, pc)), nil)
			for r, k := range rest {
				boot[k] = means[r]
			}
		}
		// Differences of multiples of 1/L_c and 1/L_b are multiples of
		// 1/lcm(L_c, L_b): signFlipP counts those on integers.
		scC, scB := columnScales(c, l, pc), columnScales(b, l, pb)
		dScale := make([]int, C)
		for k, col := range cols {
			dScale[k] = lcmCap(scC[col], scB[col])
		}
		pv := signFlipP(d, P, C, a.opts.Permutations,
			stream(a.opts.Seed, "permutation", c.key.String(), b.key.String(), s.name), dScale)
		for k, col := range cols {
			row := schemas.Comparison{Identity: c.id, Subset: s.name, Metric: l.cols[col].metric,
				BaselineCheckpoint: b.key.checkpoint}
			if kk := int64(l.cols[col].k); kk > 0 {
				row.K = &kk
			}
			var sc, sb, sd float64
			n := 0
			for j := range pc {
				v := d[j*C+k]
				if v != v {
					continue
				}
				n++
				sc += c.scores[pc[j]*M+col]
				sb += b.scores[pb[j]*M+col]
				sd += v
				switch {
				case v > 0:
					row.Wins++
				case v < 0:
					row.Losses++
				default:
					row.Ties++
				}
			}
			row.NProblems = int64(n)
			if !valid[k] {
				row.NProblems = int64(P)
				row.Wins, row.Losses, row.Ties = 0, 0, 0
				// Each side may still be defined on its own.
				row.Value = fptr(strictMean(c.scores, pc, M, col))
				row.BaselineValue = fptr(strictMean(b.scores, pb, M, col))
				rows = append(rows, row)
				continue
			}
			if n > 0 {
				fn := float64(n)
				row.Value, row.BaselineValue, row.Delta = fptr(sc/fn), fptr(sb/fn), fptr(sd/fn)
				lo, hi := percentileCI(append(scratch[:0], boot[k]...))
				row.DeltaCILow, row.DeltaCIHigh = fptr(lo), fptr(hi)
				row.PValue = fptr(pv[k])
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// strictMean is the mean of column col over problems idx, NaN if any is missing.
func strictMean(scores []float64, idx []int, M, col int) float64 {
	if len(idx) == 0 {
		return math.NaN()
	}
	var s float64
	for _, i := range idx {
		v := scores[i*M+col]
		if v != v {
			return math.NaN()
		}
		s += v
	}
	return s / float64(len(idx))
}

// transitionRows buckets the problems both checkpoints have by the majority
// strategy (code or language) before (baseline) and after (checkpoint).
func transitionRows(c, b *ckptData, l *layout) []schemas.Transition {
	ci, bi := pairProblems(c, b)
	M := len(l.cols)
	acc := l.acc[0]
	var nB [4]int
	var before, after [4]float64
	var totBefore, totAfter float64
	for k := range ci {
		pc, pb := ci[k], bi[k]
		bucket := 0
		if !b.probs[pb].code {
			bucket += 2
		}
		if !c.probs[pc].code {
			bucket++
		}
		va, vb := c.scores[pc*M+acc], b.scores[pb*M+acc]
		nB[bucket]++
		before[bucket] += vb
		after[bucket] += va
		totBefore += vb
		totAfter += va
	}
	N := float64(len(ci))
	var gain float64
	if N > 0 {
		gain = (totAfter - totBefore) / N
	}
	rows := make([]schemas.Transition, 0, 4)
	for k, name := range Buckets {
		t := schemas.Transition{Identity: c.id, BaselineCheckpoint: b.key.checkpoint, Bucket: name,
			NProblems: int64(nB[k])}
		if nB[k] > 0 {
			t.AccuracyBefore = fptr(before[k] / float64(nB[k]))
			t.AccuracyAfter = fptr(after[k] / float64(nB[k]))
		}
		if N > 0 && math.Abs(gain) > 1e-12 {
			// C_d = (n_d/N)(acc_after_d − acc_before_d) / (acc_after − acc_before)
			//     = Σ_d (after − before) / Σ_all (after − before).
			t.ShareOfGain = fptr((after[k] - before[k]) / (totAfter - totBefore))
		}
		rows = append(rows, t)
	}
	return rows
}
