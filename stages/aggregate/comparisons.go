package aggregate

import (
	"fmt"
	"math"

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
// restricted to the problems both have. Every delta's interval and p-value
// come from one procedure, signFlipInvert (doc.go).
func (a *Aggregator) comparisonRows(c, b *ckptData, l *layout) []schemas.Comparison {
	ci, bi := pairProblems(c, b)
	bOf := make(map[int]int, len(ci))
	for k := range ci {
		bOf[ci[k]] = bi[k]
	}
	cols := l.comparisonOrder()
	C := len(cols)
	M := len(l.cols)
	var rows []schemas.Comparison
	for _, s := range c.subsets {
		var pc, pb []int
		for _, i := range s.probs {
			if j, ok := bOf[i]; ok {
				pc, pb = append(pc, i), append(pb, j)
			}
		}
		P := len(pc)
		d, valid := pairedDiffs(c, b, l, cols, pc, pb)
		// Differences of multiples of 1/L_c and 1/L_b are multiples of
		// 1/lcm(L_c, L_b): the test counts those on integers.
		scC, scB := columnScales(c, l, pc), columnScales(b, l, pb)
		dScale := make([]int, C)
		for k, col := range cols {
			dScale[k] = lcmCap(scC[col], scB[col])
		}
		flips := signFlipInvert(d, P, C, a.opts.Permutations,
			stream(a.opts.Seed, "permutation", c.key.String(), b.key.String(), s.name), dScale)
		for k, col := range cols {
			row := schemas.Comparison{Identity: c.id, Subset: s.name, Metric: l.cols[col].metric,
				BaselineCheckpoint: b.key.checkpoint, NSeeds: 1, CIScope: CIScopeProblems}
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
				f := flips[k]
				row.DeltaCILow, row.DeltaCIHigh = fptr(f.lo), fptr(f.hi)
				row.PValue = fptr(f.p)
				row.Method = MethodSignFlip
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// pairedDiffs returns the P×C matrix of differences checkpoint − baseline
// over the paired problems (pc[j] of c with pb[j] of b) for columns cols, NaN
// where either score is missing, and per column whether the delta is
// defined (a strict column with a missing score is not: every entry NaN).
func pairedDiffs(c, b *ckptData, l *layout, cols, pc, pb []int) ([]float64, []bool) {
	C, M, P := len(cols), len(l.cols), len(pc)
	d := make([]float64, P*C)
	valid := make([]bool, C)
	for k, col := range cols {
		strict := l.cols[col].strict
		valid[k] = true
		for j := range pc {
			v := c.scores[pc[j]*M+col] - b.scores[pb[j]*M+col] // NaN when either is missing
			d[j*C+k] = v
			if v != v && strict {
				valid[k] = false
			}
		}
		if !valid[k] { // undefined delta: nothing to test
			for j := range pc {
				d[j*C+k] = math.NaN()
			}
		}
	}
	return d, valid
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
