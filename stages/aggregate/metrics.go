package aggregate

import (
	"math"
	"strconv"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// CI method labels written to metrics.ci_method.
const (
	CIBootstrap      = "bootstrap95"
	CIWilsonSmall    = "wilson95:<50 problems"
	CIBootstrapSmall = "bootstrap95:<50 problems"
	CINone           = "none"
)

// String renders the key for seeding random streams and for messages.
func (k ckptKey) String() string {
	s := k.family + "|" + k.model + "|" + k.reward + "|" + strconv.FormatInt(k.step, 10) + "|"
	if k.hasSeed {
		s += strconv.FormatInt(k.seed, 10)
	}
	return s + "|" + k.checkpoint + "|" + k.evalset
}

// colStat is one column's estimate over one subset.
type colStat struct {
	value, stderr, lo, hi float64
	method                string
	problems              int
}

// subsetStats computes value, stderr and the CI method of every column of
// layout l over the problems of s, the Wilson intervals, and the columns whose
// interval comes from the bootstrap (needBoot; their lo/hi are filled in by
// applyBootstrap).
func subsetStats(d *ckptData, l *layout, s subset) (stats []colStat, needBoot []int, nmax int) {
	M := len(l.cols)
	P := len(s.probs)
	stats = make([]colStat, M)
	col := make([]float64, P)
	totals := make([]int, M)
	for c := 0; c < M; c++ {
		missing := false
		for j, i := range s.probs {
			v := d.scores[i*M+c]
			col[j] = v
			if v != v {
				missing = true
			} else {
				totals[c] += d.probs[i].n
			}
		}
		st := &stats[c]
		st.value, st.stderr, st.problems = math.NaN(), math.NaN(), 0
		st.lo, st.hi, st.method = math.NaN(), math.NaN(), CINone
		if l.cols[c].strict && missing {
			st.problems = P
			continue
		}
		mean, sd, cnt := meanSD(col)
		st.value, st.problems = mean, cnt
		if cnt == 0 {
			continue
		}
		st.stderr = sd / math.Sqrt(float64(cnt))
		switch {
		case c == l.peer:
			// peer_accuracy is reported as a value only.
		case cnt >= SmallSubset:
			st.method = CIBootstrap
			needBoot = append(needBoot, c)
		case l.cols[c].proportion:
			st.method = CIWilsonSmall
			st.lo, st.hi = Wilson(mean, effectiveN(mean, st.stderr, cnt, totals[c]))
		default:
			st.method = CIBootstrapSmall
			needBoot = append(needBoot, c)
		}
	}
	for _, i := range s.probs {
		nmax = max(nmax, d.probs[i].n)
	}
	return stats, needBoot, nmax
}

// metricRows returns the metrics rows of one checkpoint, in table order, from
// its per-subset statistics and bootstrap means (see ckptBoot).
func (a *Aggregator) metricRows(d *ckptData, l *layout, cb *ckptBoot) []schemas.Metric {
	var rows []schemas.Metric
	scratch := make([]float64, a.opts.Bootstrap)
	for si, s := range d.subsets {
		stats, nmax := cb.stats[si], cb.nmax[si]
		for _, c := range cb.needBoot[si] {
			stats[c].lo, stats[c].hi = percentileCI(append(scratch[:0], cb.means[si][c]...))
		}
		for p, prof := range a.profiles {
			for _, c := range l.rowOrder(p) {
				st := stats[c]
				m := schemas.Metric{
					Identity: d.id, Profile: prof, Subset: s.name, Metric: l.cols[c].metric,
					N: int64(nmax), Value: fptr(st.value), Stderr: fptr(st.stderr),
					CILow: fptr(st.lo), CIHigh: fptr(st.hi), CIMethod: st.method,
					NProblems: int64(st.problems),
				}
				if m.Value == nil {
					m.Stderr, m.CILow, m.CIHigh, m.CIMethod = nil, nil, nil, CINone
				}
				if k := l.cols[c].k; k > 0 {
					kk := int64(k)
					m.K = &kk
				}
				if c == l.acc[p] {
					m.PeerAccuracy = fptr(stats[l.peer].value)
				}
				rows = append(rows, m)
			}
		}
	}
	return rows
}
