package pipeline

import (
	"fmt"
	"sort"

	"github.com/rlvr-eval/rlvr-eval/pipeline/runjson"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
)

// lineLoss counts, for one input file, what its rejects held in samples.
// Items come in file order, a line's records together; a line is closed when
// the next starts (and at the end of the file).
//
//   - A record rejected after reading (not in the evalset, a duplicate,
//     no response...) is one sample: known.
//   - A reader's reject on a line that also gave records (one bad element
//     of a line's list of samples) is one sample: known. So is each of
//     several reader rejects on one line.
//   - A line rejected whole (one reader reject, no record: invalid JSON, a
//     truncated or over-long line) held samples that cannot be counted: it
//     is estimated as the median number of records of the file's readable
//     lines (of the run's, when the file has none), and said so.
type lineLoss struct {
	cur            int64 // line being counted (-1: none yet)
	curRecords     int64
	curReaderRejs  int64
	hist           map[int64]int64 // records per readable line -> lines
	known          int64           // rejected samples counted exactly
	wholeLines     int64           // lines rejected whole: samples estimated
	estimatePerRow int64           // set by resolveEstimates
	estimateHow    string
}

func newLineLoss() *lineLoss { return &lineLoss{cur: -1, hist: map[int64]int64{}} }

// item counts one item at line: a record (rejected after reading or not) or
// a reader reject.
func (l *lineLoss) item(line int64, record, rejected bool) {
	if line != l.cur {
		l.closeLine()
		l.cur = line
	}
	switch {
	case record:
		l.curRecords++
		if rejected {
			l.known++
		}
	default:
		l.curReaderRejs++
	}
}

func (l *lineLoss) closeLine() {
	switch {
	case l.curRecords > 0:
		l.hist[l.curRecords]++
		l.known += l.curReaderRejs
	case l.curReaderRejs == 1:
		l.wholeLines++
	default:
		l.known += l.curReaderRejs
	}
	l.curRecords, l.curReaderRejs = 0, 0
}

// estimated is the samples estimated for lines rejected whole.
func (l *lineLoss) estimated() int64 { return l.wholeLines * l.estimatePerRow }

// medianOf is the median (lower middle) of a histogram value -> count.
func medianOf(hist map[int64]int64) (int64, bool) {
	var total int64
	keys := make([]int64, 0, len(hist))
	for k, n := range hist {
		keys = append(keys, k)
		total += n
	}
	if total == 0 {
		return 0, false
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var seen int64
	for _, k := range keys {
		seen += hist[k]
		if 2*seen >= total {
			return k, true
		}
	}
	return keys[len(keys)-1], true
}

// resolveEstimates sets every source's estimate of the samples a line
// rejected whole held: the median records per readable line of the file,
// else of every file of the same format in the run, else 1.
func resolveEstimates(srcs []*source) {
	byFormat := map[string]map[int64]int64{}
	for _, s := range srcs {
		l := s.loss
		l.closeLine()
		h := byFormat[s.format.Name]
		if h == nil {
			h = map[int64]int64{}
			byFormat[s.format.Name] = h
		}
		for k, n := range l.hist {
			h[k] += n
		}
	}
	for _, s := range srcs {
		l := s.loss
		if m, ok := medianOf(l.hist); ok {
			l.estimatePerRow = m
			l.estimateHow = fmt.Sprintf("median samples per readable line of the file (%d)", m)
		} else if m, ok := medianOf(byFormat[s.format.Name]); ok {
			l.estimatePerRow = m
			l.estimateHow = fmt.Sprintf("median samples per readable line of the run's %s files (%d): the file has no readable line", s.format.Name, m)
		} else {
			l.estimatePerRow = 1
			l.estimateHow = "1 sample per line: no readable line of this format in the run"
		}
		if l.wholeLines == 0 || l.estimatePerRow == 1 && l.hist[1] > 0 {
			// Nothing estimated, or one sample per line, which is exact.
			if l.wholeLines > 0 {
				l.known += l.wholeLines
				l.wholeLines = 0
			}
			l.estimateHow = ""
		}
	}
}

// coverage is each checkpoint's problems graded over its expected problems
// (evalset size, else the largest checkpoint's count), from the problems
// table (one row per checkpoint and problem).
func coverage(problems []schemas.Problem, evalsetProblems int) []CheckpointCoverage {
	type key struct{ ckpt, ev string }
	counts := map[key]int64{}
	var order []key
	for i := range problems {
		k := key{problems[i].Checkpoint, problems[i].Evalset}
		if _, ok := counts[k]; !ok {
			order = append(order, k)
		}
		counts[k]++
	}
	of, against := int64(evalsetProblems), "evalset"
	if evalsetProblems <= 0 {
		against = "largest checkpoint"
		of = 0
		for _, n := range counts {
			of = max(of, n)
		}
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].ckpt != order[j].ckpt {
			return order[i].ckpt < order[j].ckpt
		}
		return order[i].ev < order[j].ev
	})
	out := make([]CheckpointCoverage, 0, len(order))
	for _, k := range order {
		c := CheckpointCoverage{Checkpoint: k.ckpt, Evalset: k.ev, Problems: counts[k], Of: of, Against: against}
		if of > 0 {
			c.Coverage = float64(c.Problems) / float64(of)
		}
		out = append(out, c)
	}
	return out
}

// missingBaselines lists the checkpoints of metrics that are compared with
// nothing and are no default baseline, and why; configured reports whether
// a configured baseline is absent from the run (an error of the config).
func missingBaselines(t *aggregate.Tables, configured map[string]string) (out []MissingBaseline, bad []string) {
	type key struct{ ckpt, ev string }
	compared := map[key]bool{}
	for _, c := range t.Comparisons {
		compared[key{c.Checkpoint, c.Evalset}] = true
	}
	have := map[key]bool{}
	var ids []schemas.Identity
	for _, m := range t.Metrics {
		k := key{m.Checkpoint, m.Evalset}
		if !have[k] {
			have[k] = true
			ids = append(ids, m.Identity)
		}
	}
	for _, id := range ids {
		k := key{id.Checkpoint, id.Evalset}
		if compared[k] {
			continue
		}
		want, isConfigured := configured[id.Checkpoint]
		switch {
		case isConfigured && want == id.Checkpoint:
			continue
		case isConfigured:
			if have[key{want, id.Evalset}] {
				// Present but no comparison row: nothing in common to pair.
				out = append(out, MissingBaseline{Checkpoint: id.Checkpoint, Evalset: id.Evalset, Configured: want,
					Reason: fmt.Sprintf("configured baseline %s shares no problem with it", want)})
				continue
			}
			out = append(out, MissingBaseline{Checkpoint: id.Checkpoint, Evalset: id.Evalset, Configured: want,
				Reason: fmt.Sprintf("configured baseline %s is not a checkpoint of this run", want)})
			bad = append(bad, fmt.Sprintf("%s: baseline %s is not a checkpoint of this run%s", id.Checkpoint, want, closest(want, checkpointIDs(ids))))
		case id.Reward == "none" && id.Step == 0:
			continue // a default baseline itself
		default:
			out = append(out, MissingBaseline{Checkpoint: id.Checkpoint, Evalset: id.Evalset,
				Reason: fmt.Sprintf("no checkpoint of model %s with reward none and step 0 in the run, and no baseline configured for it", id.Model)})
		}
	}
	return out, bad
}

func checkpointIDs(ids []schemas.Identity) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, id.Checkpoint)
	}
	return out
}

// run.json's coverage and baseline entries, as named here.
type (
	CheckpointCoverage = runjson.CheckpointCoverage
	MissingBaseline    = runjson.MissingBaseline
)
