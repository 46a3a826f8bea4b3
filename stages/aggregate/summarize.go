package aggregate

import (
	"cmp"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// Metric names, in the order rows are emitted for one profile and subset.
// They are declared in schemas (schemas.Metrics); these are the same constants.
const (
	MetricAccuracy            = schemas.MetricAccuracy
	MetricPassAtK             = schemas.MetricPassAtK
	MetricMajAtK              = schemas.MetricMajAtK
	MetricNoAnswerRate        = schemas.MetricNoAnswerRate
	MetricBoxedRate           = schemas.MetricBoxedRate
	MetricCodeReasoningRate   = schemas.MetricCodeReasoningRate
	MetricHasCodeBlockRate    = schemas.MetricHasCodeBlockRate
	MetricAccuracyWithCode    = schemas.MetricAccuracyWithCode
	MetricAccuracyWithoutCode = schemas.MetricAccuracyWithoutCode
	MetricTruncationRate      = schemas.MetricTruncationRate
	MetricMeanResponseChars   = schemas.MetricMeanResponseChars
	MetricMeanResponseTokens  = schemas.MetricMeanResponseTokens
)

// column describes one per-problem score column of a checkpoint.
type column struct {
	metric     string
	k          int  // 0 when the metric has no k
	proportion bool // a fraction in [0,1]: Wilson applies to small subsets
	// strict: a missing per-problem score makes the whole metric null (pass@k
	// and maj@k with n < k). Otherwise missing scores are skipped (a problem
	// with no code samples has no accuracy_with_code).
	strict bool
}

// layout maps metrics to score columns. It is the same for every checkpoint.
type layout struct {
	cols []column
	ks   []int
	// per profile
	acc, noAns, accCode, accNoCode []int
	pass, maj                      [][]int // [profile][k index]
	// shared by all profiles
	boxed, code, codeBlock, trunc, chars, tokens, peer int
}

func newLayout(nprof int, ks []int) *layout {
	l := &layout{ks: ks}
	add := func(c column) int { l.cols = append(l.cols, c); return len(l.cols) - 1 }
	for p := 0; p < nprof; p++ {
		l.acc = append(l.acc, add(column{metric: MetricAccuracy, proportion: true}))
		var ps, ms []int
		for _, k := range ks {
			ps = append(ps, add(column{metric: MetricPassAtK, k: k, proportion: true, strict: true}))
		}
		for _, k := range ks {
			ms = append(ms, add(column{metric: MetricMajAtK, k: k, proportion: true, strict: true}))
		}
		l.pass, l.maj = append(l.pass, ps), append(l.maj, ms)
		l.noAns = append(l.noAns, add(column{metric: MetricNoAnswerRate, proportion: true}))
		l.accCode = append(l.accCode, add(column{metric: MetricAccuracyWithCode, proportion: true}))
		l.accNoCode = append(l.accNoCode, add(column{metric: MetricAccuracyWithoutCode, proportion: true}))
	}
	l.boxed = add(column{metric: MetricBoxedRate, proportion: true})
	l.code = add(column{metric: MetricCodeReasoningRate, proportion: true})
	l.codeBlock = add(column{metric: MetricHasCodeBlockRate, proportion: true})
	l.trunc = add(column{metric: MetricTruncationRate, proportion: true})
	l.chars = add(column{metric: MetricMeanResponseChars})
	l.tokens = add(column{metric: MetricMeanResponseTokens})
	l.peer = add(column{metric: schemas.MetricPeerAccuracy, proportion: true})
	return l
}

// rowOrder lists, for profile p, the (metric, column) pairs of the metrics
// table in emission order.
func (l *layout) rowOrder(p int) []int {
	out := []int{l.acc[p]}
	out = append(out, l.pass[p]...)
	out = append(out, l.maj[p]...)
	return append(out, l.noAns[p], l.boxed, l.code, l.codeBlock, l.accCode[p], l.accNoCode[p],
		l.trunc, l.chars, l.tokens)
}

// comparisonOrder lists the primary-profile columns compared with a baseline.
func (l *layout) comparisonOrder() []int {
	out := []int{l.acc[0]}
	out = append(out, l.pass[0]...)
	out = append(out, l.maj[0]...)
	return append(out, l.noAns[0], l.boxed, l.code, l.codeBlock, l.trunc, l.chars, l.tokens)
}

// probInfo is what later stages need about one problem of one checkpoint.
type probInfo struct {
	id      string
	subject string
	level   int64
	n       int
	code    bool // majority (> half) of its samples have code_reasoning
	// Per profile: the number of correct samples, and the position (in
	// sample_idx order, from 0) of the first correct one, −1 when none. They
	// are all the capability boundary needs: pass@k for any k ≤ n from
	// (n, correct), coverage among the first n' samples from first.
	correct, first []int32
	// What the problems table needs besides the scores: the primary
	// profile's majority answer (nil for none) and its share correct, the
	// count of samples without an answer, and whether sample 0 is correct.
	majAnswer    *string
	majCorrect   float64
	nNoAnswer    int32
	firstCorrect bool
}

// ckptData is one checkpoint reduced to per-problem scores: what a sealed
// checkpoint keeps until Result, about 250 bytes per problem with one
// profile and four k values (its rows of the problems table are rebuilt
// from it, problemRows).
type ckptData struct {
	key     ckptKey
	id      schemas.Identity
	probs   []probInfo // sorted by problem id
	scores  []float64  // len(probs) × len(layout.cols), NaN = missing
	nMin    int
	nMax    int
	dups    int
	subsets []subset
}

// appendProblems appends d's rows of the problems table, in problem order,
// to out; l is the layout of d.scores.
func (d *ckptData) appendProblems(out []schemas.Problem, l *layout) []schemas.Problem {
	M := len(l.cols)
	for pi := range d.probs {
		p := &d.probs[pi]
		row := d.scores[pi*M : (pi+1)*M]
		out = append(out, schemas.Problem{Identity: d.id, ProblemID: p.id, Subject: p.subject, Level: p.level,
			N: int64(p.n), NCorrect: int64(p.correct[0]), NNoAnswer: int64(p.nNoAnswer), Accuracy: row[l.acc[0]],
			MajAnswer: p.majAnswer, MajCorrect: p.majCorrect, FirstCorrect: p.firstCorrect,
			CodeReasoningRate: row[l.code], MeanResponseChars: row[l.chars]})
	}
	return out
}

type subset struct {
	name  string
	probs []int // indices into ckptData.probs
}

// summarize reduces a checkpoint's samples to per-problem scores.
func summarize(c *ckptState, l *layout, nprof int) *ckptData {
	d := &ckptData{key: c.key, id: c.key.identity(), nMin: math.MaxInt}
	ids := make([]string, 0, len(c.problems))
	for id := range c.problems {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	M := len(l.cols)
	d.probs = make([]probInfo, len(ids))
	d.scores = make([]float64, len(ids)*M)
	// Every problem's correct and first counts, in one allocation.
	counts := make([]int32, 2*nprof*len(ids))
	majOut := make([]float64, len(l.ks))
	for pi, pid := range ids {
		ps := c.problems[pid]
		order, dups := dedupOrder(ps, nprof)
		d.dups += dups
		n := len(order)
		if n < d.nMin {
			d.nMin = n
		}
		if n > d.nMax {
			d.nMax = n
		}
		row := d.scores[pi*M : (pi+1)*M]
		for i := range row {
			row[i] = math.NaN()
		}
		nf := float64(n)
		var boxed, code, block, trunc, peerN, peerC, tokN int
		var chars, tok float64
		for _, i := range order {
			r := &ps.samples[i]
			f := r.flags
			boxed += b2i(f&fBoxed != 0)
			code += b2i(f&fCode != 0)
			block += b2i(f&fCodeBlock != 0)
			trunc += b2i(f&fTruncated != 0)
			if f&fPeerSet != 0 {
				peerN++
				peerC += b2i(f&fPeerCorrect != 0)
			}
			chars += float64(r.chars)
			if r.tokens >= 0 {
				tokN++
				tok += float64(r.tokens)
			}
		}
		row[l.boxed] = float64(boxed) / nf
		row[l.code] = float64(code) / nf
		row[l.codeBlock] = float64(block) / nf
		row[l.trunc] = float64(trunc) / nf
		row[l.chars] = chars / nf
		if tokN > 0 {
			row[l.tokens] = tok / float64(tokN)
		}
		if peerN > 0 {
			row[l.peer] = float64(peerC) / float64(peerN)
		}
		cf := counts[2*nprof*pi : 2*nprof*(pi+1)]
		d.probs[pi] = probInfo{id: pid, subject: ps.subject, level: ps.level, n: n, code: 2*code > n,
			correct: cf[:nprof:nprof], first: cf[nprof:]}
		pr := &d.probs[pi]

		ag := answerGroups{strs: ps.strs, prepared: make([]*grade.Answer, len(ps.strs))}
		answers := make([]int32, n)
		correct := make([]bool, n)
		for p := 0; p < nprof; p++ {
			bit := uint32(1) << uint(p)
			var cor, noAns, withCode, withCodeOK, noCodeOK int
			first := -1
			for j, i := range order {
				r := &ps.samples[i]
				ok := r.correct&bit != 0
				correct[j] = ok
				if ok && first < 0 {
					first = j
				}
				answers[j] = ps.answers[i*nprof+p]
				cor += b2i(ok)
				noAns += b2i(answers[j] < 0)
				if r.flags&fCode != 0 {
					withCode++
					withCodeOK += b2i(ok)
				} else {
					noCodeOK += b2i(ok)
				}
			}
			pr.correct[p], pr.first[p] = int32(cor), int32(first)
			row[l.acc[p]] = float64(cor) / nf
			row[l.noAns[p]] = float64(noAns) / nf
			if withCode > 0 {
				row[l.accCode[p]] = float64(withCodeOK) / float64(withCode)
			}
			if n-withCode > 0 {
				row[l.accNoCode[p]] = float64(noCodeOK) / float64(n-withCode)
			}
			for j, k := range l.ks {
				row[l.pass[p][j]] = PassAtK(n, cor, k)
			}
			groupOf, rep, repCorrect := ag.group(answers, correct)
			winner, full := majScores(groupOf, repCorrect, l.ks, majOut)
			for j := range l.ks {
				row[l.maj[p][j]] = majOut[j]
			}
			if p == 0 {
				pr.nNoAnswer = int32(noAns)
				pr.majCorrect = full
				if winner >= 0 {
					s := ps.strs[rep[winner]]
					pr.majAnswer = &s
				}
				pr.firstCorrect = n > 0 && correct[0]
			}
		}
	}
	if len(ids) == 0 {
		d.nMin = 0
	}
	d.subsets = buildSubsets(d.probs)
	return d
}

// dedupOrder returns the indices of ps.samples sorted by sample_idx with
// duplicates of a sample_idx removed (keeping the smallest record under a
// total order of its content, so the choice does not depend on arrival order),
// and the number removed.
func dedupOrder(ps *problemState, nprof int) ([]int, int) {
	order := make([]int, len(ps.samples))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(x, y int) bool {
		a, b := &ps.samples[order[x]], &ps.samples[order[y]]
		if a.idx != b.idx {
			return a.idx < b.idx
		}
		return compareRec(ps, nprof, order[x], order[y]) < 0
	})
	out := order[:0]
	dups := 0
	for j, i := range order {
		if j > 0 && ps.samples[i].idx == ps.samples[order[j-1]].idx {
			dups++
			continue
		}
		out = append(out, i)
	}
	return out, dups
}

func compareRec(ps *problemState, nprof, x, y int) int {
	a, b := &ps.samples[x], &ps.samples[y]
	switch {
	case a.chars != b.chars:
		return cmp.Compare(a.chars, b.chars)
	case a.tokens != b.tokens:
		return cmp.Compare(a.tokens, b.tokens)
	case a.correct != b.correct:
		return cmp.Compare(a.correct, b.correct)
	case a.flags != b.flags:
		return cmp.Compare(a.flags, b.flags)
	}
	for p := 0; p < nprof; p++ {
		sa, sb := ps.answers[x*nprof+p], ps.answers[y*nprof+p]
		if sa == sb {
			continue
		}
		if sa < 0 || sb < 0 {
			return cmp.Compare(sa, sb)
		}
		if c := strings.Compare(ps.strs[sa], ps.strs[sb]); c != 0 {
			return c
		}
	}
	return 0
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// buildSubsets returns "all", then "level=<n>" for each level > 0 in
// numeric order, then "subject=<name>" for each non-empty subject in
// lexicographic order.
func buildSubsets(probs []probInfo) []subset {
	all := subset{name: schemas.SubsetAll, probs: make([]int, len(probs))}
	levels := map[int64][]int{}
	subjects := map[string][]int{}
	for i, p := range probs {
		all.probs[i] = i
		if p.level > 0 {
			levels[p.level] = append(levels[p.level], i)
		}
		if p.subject != "" {
			subjects[p.subject] = append(subjects[p.subject], i)
		}
	}
	out := []subset{all}
	lv := make([]int64, 0, len(levels))
	for k := range levels {
		lv = append(lv, k)
	}
	sort.Slice(lv, func(i, j int) bool { return lv[i] < lv[j] })
	for _, k := range lv {
		out = append(out, subset{name: schemas.SubsetLevelPrefix + strconv.FormatInt(k, 10), probs: levels[k]})
	}
	sv := make([]string, 0, len(subjects))
	for k := range subjects {
		sv = append(sv, k)
	}
	sort.Strings(sv)
	for _, k := range sv {
		out = append(out, subset{name: schemas.SubsetSubjectPrefix + k, probs: subjects[k]})
	}
	return out
}
