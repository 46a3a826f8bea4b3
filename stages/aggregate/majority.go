package aggregate

import (
	"math"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// answerGroups groups one problem's extracted answers into classes the grader
// finds equivalent. Samples are visited in sample_idx order; a sample joins
// the first existing group whose representative (its first member) is
// Equivalent to its answer, else founds a new group. Equal strings always
// share a group. Because a sample's group depends only on the samples before
// it, the grouping of the first k samples is the prefix of the full grouping,
// so maj@k for every k comes from one pass.
type answerGroups struct {
	strs     []string
	prepared []*grade.Answer // lazily prepared, indexed like strs
	// memo caches Equivalent by string-id pair across profiles, which share
	// most of their answers.
	memo map[uint64]bool
}

func (g *answerGroups) equivalent(a, b int32) bool {
	if a > b {
		a, b = b, a
	}
	key := uint64(uint32(a))<<32 | uint64(uint32(b))
	if v, ok := g.memo[key]; ok {
		return v
	}
	v := grade.Equivalent(g.prep(a), g.prep(b))
	if g.memo == nil {
		g.memo = make(map[uint64]bool)
	}
	g.memo[key] = v
	return v
}

func (g *answerGroups) prep(id int32) *grade.Answer {
	if g.prepared[id] == nil {
		g.prepared[id] = grade.PrepareAnswer(g.strs[id])
	}
	return g.prepared[id]
}

// group assigns groups for one profile. answers[i] is sample i's answer id
// (samples already in sample_idx order) or -1; correct[i] its verdict.
// It returns each sample's group (or -1), and for each group its
// representative answer id and the representative's verdict.
func (g *answerGroups) group(answers []int32, correct []bool) (groupOf []int32, rep []int32, repCorrect []bool) {
	groupOf = make([]int32, len(answers))
	strGroup := make(map[int32]int32, 8)
	for i, s := range answers {
		if s < 0 {
			groupOf[i] = -1
			continue
		}
		if gid, ok := strGroup[s]; ok {
			groupOf[i] = gid
			continue
		}
		gid := int32(-1)
		for j, r := range rep {
			if g.equivalent(s, r) {
				gid = int32(j)
				break
			}
		}
		if gid < 0 {
			gid = int32(len(rep))
			rep = append(rep, s)
			repCorrect = append(repCorrect, correct[i])
		}
		strGroup[s] = gid
		groupOf[i] = gid
	}
	return groupOf, rep, repCorrect
}

// majScores computes maj@k for each k in ks (ascending) over the first k
// entries of groupOf, plus the vote over all entries. A group's correctness is
// its representative's verdict. The score of a prefix is the fraction of the
// top-voted (tied) groups that are correct; 0 when the prefix has no answer.
// out[j] is NaN when ks[j] > len(groupOf). winner is the first-founded of the
// top groups over all entries, or -1 when no sample has an answer.
func majScores(groupOf []int32, repCorrect []bool, ks []int, out []float64) (winner int32, full float64) {
	counts := make([]int32, len(repCorrect))
	score := func() (float64, int32) {
		var best int32
		for _, c := range counts {
			if c > best {
				best = c
			}
		}
		if best == 0 {
			return 0, -1
		}
		tied, good := 0, 0
		first := int32(-1)
		for gid, c := range counts {
			if c == best {
				if first < 0 {
					first = int32(gid)
				}
				tied++
				if repCorrect[gid] {
					good++
				}
			}
		}
		return float64(good) / float64(tied), first
	}
	kj := 0
	for i, gid := range groupOf {
		if gid >= 0 {
			counts[gid]++
		}
		for kj < len(ks) && ks[kj] == i+1 {
			out[kj], _ = score()
			kj++
		}
	}
	for ; kj < len(ks); kj++ {
		out[kj] = math.NaN()
	}
	full, winner = score()
	return winner, full
}
