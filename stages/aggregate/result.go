package aggregate

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"

	"github.com/sourcegraph/conc/pool"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Result computes all tables from the samples added so far. Call it once,
// after the last Add: it releases the per-sample state as it goes, and a
// second call returns an error. It uses up to GOMAXPROCS goroutines (all waited for
// before it returns); its output does not depend on their scheduling. Besides
// the per-problem scores it holds the bootstrap means (Bootstrap floats per
// subset and resampled column, ~4 MB per checkpoint with the defaults) of the
// checkpoints being processed, and their sign-flip intervals (~2 floats per
// permutation and column) while comparing. It
// returns an error only for a configuration it cannot honour (more than
// MaxProfiles profiles, empty or repeated profile names) or for a panic in
// the code it calls (reported as an error naming the checkpoint).
func (a *Aggregator) Result() (*Tables, error) {
	if a.done {
		return nil, ErrResultTwice
	}
	if err := a.validate(); err != nil {
		return nil, err
	}
	a.done = true
	nprof := len(a.profiles)
	var warns []string

	if a.sealErr != nil {
		return nil, a.sealErr
	}
	keys := make([]ckptKey, 0, len(a.ckpts)+len(a.sealed))
	for k := range a.ckpts {
		keys = append(keys, k)
	}
	for k := range a.sealed {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return lessKey(keys[i], keys[j]) })

	// The default k list needs the largest n, which needs de-duplicated
	// samples; counting distinct sample_idx per problem is cheap.
	ks, kw := a.resolveKs(keys)
	warns = append(warns, kw...)
	l := newLayout(nprof, ks)

	// Phase 1: reduce every checkpoint to per-problem scores (cheap), so
	// baselines can be resolved. Phase 2: statistics, resampling and
	// comparisons, one task per checkpoint. Every task writes only its own
	// slots of indexed slices and draws from streams named by what it
	// computes, so the output does not depend on scheduling.
	workers := max(1, runtime.GOMAXPROCS(0))
	ds := make([]*ckptData, len(keys))
	p := pool.New().WithErrors().WithMaxGoroutines(workers)
	for i, k := range keys {
		if sc, ok := a.sealed[k]; ok {
			ds[i] = sc.d.relayout(sc.lay, l)
			continue
		}
		p.Go(func() (err error) {
			defer recoverTo(&err, k)
			st := a.ckpts[k]
			ds[i] = summarize(st, l, nprof)
			st.problems = nil // release the per-sample state early: peak memory stays one copy
			return nil
		})
	}
	if err := p.Wait(); err != nil {
		return nil, err
	}

	base, bw := a.resolveBaselines(ds)
	warns = append(warns, bw...)
	metrics := make([][]schemas.Metric, len(keys))
	comps := make([][]schemas.Comparison, len(keys))
	trans := make([][]schemas.Transition, len(keys))
	bounds := make([][]schemas.Boundary, len(keys))
	curves := make([][]schemas.BoundaryCurve, len(keys))
	moves := make([][]schemas.ProblemMove, len(keys))
	p = pool.New().WithErrors().WithMaxGoroutines(workers)
	for i := range ds {
		p.Go(func() (err error) {
			defer recoverTo(&err, ds[i].key)
			metrics[i] = a.metricRows(ds[i], l, a.bootstraps(ds[i], l))
			if b := base[i]; b >= 0 {
				comps[i] = a.comparisonRows(ds[i], ds[b], l)
				trans[i] = transitionRows(ds[i], ds[b], l)
				bounds[i], curves[i], moves[i] = a.boundaryRows(ds[i], ds[b])
			}
			return nil
		})
	}
	if err := p.Wait(); err != nil {
		return nil, err
	}

	// Seed-pooled rows follow the last seed of their condition.
	groups := seedGroups(ds, base)
	pooled := make([][]schemas.Comparison, len(ds))
	p = pool.New().WithErrors().WithMaxGoroutines(workers)
	for _, g := range groups {
		last := g[len(g)-1]
		p.Go(func() (err error) {
			defer recoverTo(&err, ds[last].key)
			pooled[last] = a.pooledRows(ds, base, g, l)
			return nil
		})
	}
	if err := p.Wait(); err != nil {
		return nil, err
	}

	// Each table is allocated at its final size: appending to a growing
	// slice would hold its old and new arrays at once (a few MB per table
	// with a thousand checkpoints), at the run's fullest point.
	var nProblems int
	for _, d := range ds {
		nProblems += len(d.probs)
	}
	t := &Tables{
		Metrics:        flatten(metrics),
		Transitions:    flatten(trans),
		Boundary:       flatten(bounds),
		BoundaryCurves: flatten(curves),
		ProblemMoves:   flatten(moves),
	}
	if nProblems > 0 {
		t.Problems = make([]schemas.Problem, 0, nProblems)
	}
	if n := total(comps) + total(pooled); n > 0 {
		t.Comparisons = make([]schemas.Comparison, 0, n)
	}
	for i, d := range ds {
		t.Problems = d.appendProblems(t.Problems, l)
		t.Comparisons = append(t.Comparisons, comps[i]...)
		t.Comparisons = append(t.Comparisons, pooled[i]...)
		if d.dups > 0 {
			warns = append(warns, fmt.Sprintf("checkpoint %s (evalset %s): %d duplicate samples (same problem_id and sample_idx) ignored",
				d.key.checkpoint, d.key.evalset, d.dups))
		}
		if d.nMin != d.nMax {
			warns = append(warns, fmt.Sprintf("checkpoint %s (evalset %s): samples per problem vary from %d to %d; the n column is the largest, pass@k and maj@k are null for k above the smallest",
				d.key.checkpoint, d.key.evalset, d.nMin, d.nMax))
		}
	}
	assignQValues(t.Comparisons)
	assignBoundaryQValues(t.Boundary)
	if a.conflicts > 0 {
		warns = append(warns, fmt.Sprintf("%d samples disagree with other samples of their problem on subject or level; the smallest (subject, level) was kept", a.conflicts))
	}
	for prof, n := range a.missingProfile {
		warns = append(warns, fmt.Sprintf("profile %q: %d samples carry no verdict for it; counted as no answer, incorrect", prof, n))
	}
	sort.Strings(warns)
	t.Warnings = slices.Compact(warns)
	return t, nil
}

// total is the number of rows of every checkpoint.
func total[T any](rows [][]T) int {
	n := 0
	for _, r := range rows {
		n += len(r)
	}
	return n
}

// flatten concatenates every checkpoint's rows, in order, into one slice of
// the exact size (nil when there are none, as appending would leave it), and
// releases each checkpoint's slice as it goes.
func flatten[T any](rows [][]T) []T {
	n := total(rows)
	if n == 0 {
		return nil
	}
	out := make([]T, 0, n)
	for i, r := range rows {
		out = append(out, r...)
		rows[i] = nil
	}
	return out
}

// recoverTo turns a panic (in the grader's equivalence, say) into an error
// naming the checkpoint, so a bug there fails the run instead of crashing it.
func recoverTo(err *error, k ckptKey) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("%w: checkpoint %s (evalset %s): %v", ErrInternal, k.checkpoint, k.evalset, r)
	}
}

// resolveKs returns the k list: Options.Ks cleaned (≥ 1, sorted, distinct),
// or powers of two up to the largest samples-per-problem n.
func (a *Aggregator) resolveKs(keys []ckptKey) ([]int, []string) {
	maxN := 0
	if a.opts.Ks == nil {
		for _, k := range keys {
			if sc, ok := a.sealed[k]; ok {
				maxN = max(maxN, sc.d.nMax)
			} else {
				maxN = max(maxN, maxDistinctN(a.ckpts[k]))
			}
		}
	}
	return a.resolveKsFor(maxN)
}

// resolveKsFor returns the k list given the largest samples-per-problem n:
// Options.Ks cleaned, or powers of two up to maxN.
func (a *Aggregator) resolveKsFor(maxN int) ([]int, []string) {
	var warns []string
	if a.opts.Ks != nil {
		var ks []int
		for _, k := range a.opts.Ks {
			if k < 1 {
				warns = append(warns, fmt.Sprintf("k list %v: expected k ≥ 1, found %d; dropped", a.opts.Ks, k))
				continue
			}
			ks = append(ks, k)
		}
		sort.Ints(ks)
		return slices.Compact(ks), warns
	}
	var ks []int
	for k := 1; k <= maxN; k *= 2 {
		ks = append(ks, k)
	}
	return ks, warns
}

// lessKey orders checkpoints by family, model, reward, step, seed (none
// first), checkpoint id, evalset.
func lessKey(x, y ckptKey) bool {
	if c := strings.Compare(x.family, y.family); c != 0 {
		return c < 0
	}
	if c := strings.Compare(x.model, y.model); c != 0 {
		return c < 0
	}
	if c := strings.Compare(x.reward, y.reward); c != 0 {
		return c < 0
	}
	if x.step != y.step {
		return x.step < y.step
	}
	if x.hasSeed != y.hasSeed {
		return !x.hasSeed
	}
	if x.seed != y.seed {
		return x.seed < y.seed
	}
	if c := strings.Compare(x.checkpoint, y.checkpoint); c != 0 {
		return c < 0
	}
	return x.evalset < y.evalset
}
