package aggregate

import (
	"fmt"
	"math"
	"slices"
)

// sealedCkpt is a checkpoint reduced by Seal: its per-problem scores under
// the layout of the k list known at the time (lay).
type sealedCkpt struct {
	d   *ckptData
	lay *layout
}

// Seal declares that no more samples of the checkpoint with id checkpoint (on
// any evalset) will be added. Its per-sample state is reduced to per-problem
// scores at once and released, so an Aggregator fed checkpoint after
// checkpoint holds the samples of one checkpoint at a time, not of the whole
// run. The tables are the same with or without Seal.
//
// Sealing is optional: a caller that cannot know when a checkpoint is
// complete (samples in any order) simply never calls it. Sealing a checkpoint
// without samples only records the promise. Adding a sample of a sealed
// checkpoint breaks the promise: Result then returns an error wrapping
// ErrSealed. Seal after Result does nothing. Not safe for concurrent use
// with Add.
func (a *Aggregator) Seal(checkpoint string) {
	if a.done {
		return
	}
	if a.sealedIDs == nil {
		a.sealedIDs = make(map[string]bool)
		a.sealed = make(map[ckptKey]sealedCkpt)
	}
	a.sealedIDs[checkpoint] = true
	var keys []ckptKey
	for k := range a.ckpts {
		if k.checkpoint == checkpoint {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 || a.validate() != nil {
		return // Result reports an invalid profile list; keep the samples meanwhile
	}
	nprof := len(a.profiles)
	for _, k := range keys {
		st := a.ckpts[k]
		if _, dup := a.sealed[k]; dup {
			a.sealErr = lateErr(a.sealErr, k)
			continue
		}
		ks, _ := a.resolveKsFor(maxDistinctN(st))
		l := a.sealLay
		if l == nil || !slices.Equal(l.ks, ks) {
			l = newLayout(nprof, ks)
			a.sealLay = l
		}
		var d *ckptData
		if err := func() (err error) {
			defer recoverTo(&err, k)
			d = summarize(st, l, nprof)
			return nil
		}(); err != nil {
			if a.sealErr == nil {
				a.sealErr = err
			}
			continue
		}
		a.sealed[k] = sealedCkpt{d: d, lay: l}
		delete(a.ckpts, k)
		if a.last == st {
			a.last = nil
		}
	}
}

// lateErr keeps the first seal error: samples of k arrived after its Seal.
func lateErr(prev error, k ckptKey) error {
	if prev != nil {
		return prev
	}
	return fmt.Errorf("%w: checkpoint %s (evalset %s) got samples after Seal", ErrSealed, k.checkpoint, k.evalset)
}

// maxDistinctN is the largest number of distinct sample_idx of a problem of
// checkpoint st (its n after de-duplication).
func maxDistinctN(st *ckptState) int {
	maxN := 0
	for _, p := range st.problems {
		if len(p.samples) <= maxN {
			continue // cannot raise the max even before de-duplication
		}
		seen := make(map[int64]struct{}, len(p.samples))
		for i := range p.samples {
			seen[p.samples[i].idx] = struct{}{}
		}
		maxN = max(maxN, len(seen))
	}
	return maxN
}

// relayout returns d's scores moved from layout from to layout to: the same
// metric, profile and k land in the same place; a pass@k or maj@k column that
// from lacks is NaN (from lacks only k above every n of d, where those
// metrics are NaN for every problem anyway).
func (d *ckptData) relayout(from, to *layout) *ckptData {
	if slices.Equal(from.ks, to.ks) && len(from.cols) == len(to.cols) {
		return d
	}
	src := make([]int, len(to.cols)) // to column -> from column, -1 for none
	for i := range src {
		src[i] = -1
	}
	for p := range to.acc {
		src[to.acc[p]] = from.acc[p]
		src[to.noAns[p]] = from.noAns[p]
		src[to.accCode[p]] = from.accCode[p]
		src[to.accNoCode[p]] = from.accNoCode[p]
		for j, k := range to.ks {
			if i := slices.Index(from.ks, k); i >= 0 {
				src[to.pass[p][j]] = from.pass[p][i]
				src[to.maj[p][j]] = from.maj[p][i]
			}
		}
	}
	for _, c := range [][2]int{{to.boxed, from.boxed}, {to.code, from.code}, {to.codeBlock, from.codeBlock},
		{to.trunc, from.trunc}, {to.chars, from.chars}, {to.tokens, from.tokens}, {to.peer, from.peer}} {
		src[c[0]] = c[1]
	}
	out := *d
	F, T := len(from.cols), len(to.cols)
	out.scores = make([]float64, len(d.probs)*T)
	for pi := range d.probs {
		row, old := out.scores[pi*T:(pi+1)*T], d.scores[pi*F:(pi+1)*F]
		for c, s := range src {
			if s < 0 {
				row[c] = math.NaN()
			} else {
				row[c] = old[s]
			}
		}
	}
	return &out
}
