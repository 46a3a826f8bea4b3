package pipeline

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Summary is what a run prints at the end: accuracy per checkpoint and where
// our verdicts differ from the input files' own (peer) verdicts.
type Summary struct {
	// Profile is the profile the accuracies are graded under (the first).
	Profile string
	Rows    []SummaryRow
	Samples int64
	Rejects int64
	// PeerCompared counts samples whose file carried a peer verdict;
	// PeerDisagree those where it differs from ours.
	PeerCompared int64
	PeerDisagree int64
	// PeerExamples are the first few disagreements, in input order.
	PeerExamples []PeerExample
	// Peers compares our verdicts with the peer's per input file (summary_peers.go).
	Peers []PeerFile
	// EvalsetFromFiles says, for a run without evalset: in its config, the
	// evalset name taken from the files and why ("" otherwise).
	EvalsetFromFiles string
	// RejectExamples are the first few rejects, in input order.
	RejectExamples []schemas.Reject
	// SamplesRejected is the samples the rejects held, SamplesEstimated of
	// them estimated (lines rejected whole).
	SamplesRejected  int64
	SamplesEstimated int64
	// Coverage is every checkpoint's problems graded over its problems;
	// MinCoverage the run's min_coverage.
	Coverage    []CheckpointCoverage
	MinCoverage float64
	// MissingBaselines are the checkpoints compared with nothing, and why.
	MissingBaselines []MissingBaseline
	Warnings         []string
}

// SummaryRow is one checkpoint's accuracy (avg@n over problems, with its 95% CI).
type SummaryRow struct {
	Checkpoint string
	Family     string
	NProblems  int64
	N          int64
	Accuracy   *float64
	CILow      *float64
	CIHigh     *float64
	CIMethod   string
	// Delta is the accuracy change against the checkpoint's baseline, when it
	// has one.
	Delta    *float64
	Baseline string
	// Significant: the delta's q-value is below 0.05 (schemas.Significant).
	Significant bool
	// Boundary is the checkpoint's capability boundary against its baseline
	// (profile Profile, subset all), when it has one.
	Boundary *schemas.Boundary
}

// PeerExample is one sample where our verdict and the file's differ.
type PeerExample struct {
	File        string
	Line        int64
	ProblemID   string
	SampleIdx   int64
	Gold        string
	Ours        string
	OursCorrect bool
	Peer        string
	PeerCorrect bool
}

// maxPeerExamples is how many disagreements a summary keeps.
const maxPeerExamples = 5

// maxRejectExamples is how many rejects the summary shows.
const maxRejectExamples = 5

// peerTally counts disagreements while samples stream past (one goroutine).
type peerTally struct {
	compared, disagree int64
	examples           []PeerExample
}

func (t *peerTally) add(batch []schemas.Sample) {
	for i := range batch {
		s := &batch[i]
		if s.PeerCorrect == nil {
			continue
		}
		t.compared++
		if *s.PeerCorrect == s.Correct {
			continue
		}
		t.disagree++
		if len(t.examples) < maxPeerExamples {
			e := PeerExample{File: s.SourceFile, Line: s.SourceLine, ProblemID: s.ProblemID, SampleIdx: s.SampleIdx,
				Gold: s.Gold, OursCorrect: s.Correct, PeerCorrect: *s.PeerCorrect}
			if s.Extracted != nil {
				e.Ours = *s.Extracted
			}
			if s.PeerExtracted != nil {
				e.Peer = *s.PeerExtracted
			}
			t.examples = append(t.examples, e)
		}
	}
}

// buildSummary picks the accuracy rows of the first profile, subset "all".
func buildSummary(profile string, metrics []schemas.Metric, comps []schemas.Comparison, samples, rejects int64, pt *peerTally, warnings []string) *Summary {
	s := &Summary{Profile: profile, Samples: samples, Rejects: rejects, Warnings: warnings}
	if pt != nil {
		s.PeerCompared, s.PeerDisagree, s.PeerExamples = pt.compared, pt.disagree, pt.examples
	}
	delta := map[string]schemas.Comparison{}
	for _, c := range comps {
		if c.Metric == schemas.MetricAccuracy && c.Subset == schemas.SubsetAll && c.K == nil {
			delta[c.Checkpoint] = c
		}
	}
	for _, m := range metrics {
		if m.Metric != schemas.MetricAccuracy || m.Subset != schemas.SubsetAll || m.Profile != profile || m.K != nil {
			continue
		}
		r := SummaryRow{Checkpoint: m.Checkpoint, Family: m.Family, NProblems: m.NProblems, N: m.N,
			Accuracy: m.Value, CILow: m.CILow, CIHigh: m.CIHigh, CIMethod: m.CIMethod}
		if c, ok := delta[m.Checkpoint]; ok {
			r.Delta, r.Baseline, r.Significant = c.Delta, c.BaselineCheckpoint, schemas.Significant(c.QValue)
		}
		s.Rows = append(s.Rows, r)
	}
	return s
}

// addBoundaries attaches each row's boundary (the summary's profile, subset
// all).
func (s *Summary) addBoundaries(bounds []schemas.Boundary) {
	by := map[string]*schemas.Boundary{}
	for i := range bounds {
		b := &bounds[i]
		if b.Profile == s.Profile && b.Subset == schemas.SubsetAll && by[b.Checkpoint] == nil {
			by[b.Checkpoint] = b
		}
	}
	for i := range s.Rows {
		s.Rows[i].Boundary = by[s.Rows[i].Checkpoint]
	}
}

// Print writes the summary as an aligned text table.
func (s *Summary) Print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	bounds := false
	for _, r := range s.Rows {
		bounds = bounds || r.Boundary != nil
	}
	extra := ""
	if bounds {
		extra = "\tcrossover k\tcoverage Δ (gained/lost)"
	}
	fmt.Fprintf(tw, "checkpoint\tfamily\tproblems\tn\taccuracy (%s)\t95%% interval (method)\tΔ vs baseline%s\n", s.Profile, extra)
	deltas := false
	for _, r := range s.Rows {
		interval := ci(r.CILow, r.CIHigh)
		if r.CIMethod != "" && r.CILow != nil && r.CIHigh != nil {
			interval += " " + r.CIMethod
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t%s", r.Checkpoint, r.Family, r.NProblems, r.N,
			pct(r.Accuracy), interval, deltaText(r.Delta, r.Baseline, r.Significant))
		if bounds {
			fmt.Fprintf(tw, "\t%s\t%s", crossoverText(r.Boundary), coverageText(r.Boundary))
		}
		fmt.Fprintln(tw)
		deltas = deltas || r.Delta != nil
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if deltas {
		fmt.Fprintln(w, "Δ is marked * only when its q-value (Benjamini-Hochberg over the run's comparisons) is below 0.05.")
	}
	if bounds {
		fmt.Fprintln(w, "crossover k: the smallest k where the baseline's pass@k reaches the checkpoint's (>n: ahead through n; behind: not ahead at k=1);")
		fmt.Fprintln(w, "coverage Δ: problems solved at least once among the first n samples, checkpoint minus baseline (boundary.parquet).")
	}
	fmt.Fprintf(w, "\n%d samples graded, %d records rejected", s.Samples, s.Rejects)
	if s.SamplesRejected > 0 {
		fmt.Fprintf(w, " holding %d samples (%.2f%% of all", s.SamplesRejected, 100*float64(s.SamplesRejected)/float64(s.Samples+s.SamplesRejected))
		if s.SamplesEstimated > 0 {
			fmt.Fprintf(w, "; %d estimated from lines rejected whole", s.SamplesEstimated)
		}
		fmt.Fprint(w, ")")
	}
	fmt.Fprintln(w)
	s.printCoverage(w)
	for _, r := range s.RejectExamples {
		fmt.Fprintf(w, "  reject %s:%d: %s\n", r.SourceFile, r.SourceLine, r.Error)
	}
	if n := int64(len(s.RejectExamples)); n > 0 && s.Rejects > n {
		fmt.Fprintf(w, "  ... and %d more in %s.parquet\n", s.Rejects-n, schemas.TableRejects)
	}
	s.printEvalsetFromFiles(w)
	if err := s.printPeers(w); err != nil {
		return err
	}
	for _, mb := range s.MissingBaselines {
		fmt.Fprintf(w, "warning: no baseline for %s (evalset %s): %s; no Δ, comparison or transition rows\n", mb.Checkpoint, mb.Evalset, mb.Reason)
	}
	for _, warn := range s.Warnings {
		if s.aboutMissingBaseline(warn) {
			continue // said above, with its reason
		}
		fmt.Fprintf(w, "warning: %s\n", warn)
	}
	return nil
}

// printCoverage says how many of their problems the checkpoints graded: one
// line when all are complete, else the checkpoints below 100%.
func (s *Summary) printCoverage(w io.Writer) {
	if len(s.Coverage) == 0 {
		return
	}
	var short []CheckpointCoverage
	for _, c := range s.Coverage {
		if c.Problems < c.Of {
			short = append(short, c)
		}
	}
	of := s.Coverage[0]
	if len(short) == 0 {
		fmt.Fprintf(w, "coverage: every checkpoint graded all %d problems (of the %s)\n", of.Of, of.Against)
		return
	}
	fmt.Fprintf(w, "coverage: %d of %d checkpoints graded fewer than their %d problems (of the %s; min_coverage %.0f%%):\n",
		len(short), len(s.Coverage), of.Of, of.Against, 100*s.MinCoverage)
	for i, c := range short {
		if i == maxRejectExamples {
			fmt.Fprintf(w, "  ... and %d more in run.json (coverage)\n", len(short)-i)
			break
		}
		fmt.Fprintf(w, "  %s: %d of %d problems (%.1f%%)\n", c.Checkpoint, c.Problems, c.Of, 100*c.Coverage)
	}
}

// aboutMissingBaseline reports whether a warning of the aggregate stage is
// about a checkpoint of MissingBaselines (it starts "checkpoint <id>
// (evalset <e>): " and names a baseline), which the summary says itself.
func (s *Summary) aboutMissingBaseline(warn string) bool {
	for _, mb := range s.MissingBaselines {
		if strings.HasPrefix(warn, "checkpoint "+mb.Checkpoint+" (evalset "+mb.Evalset+"): ") && strings.Contains(warn, "baseline") {
			return true
		}
	}
	return false
}

func verdictWord(b bool) string {
	if b {
		return "correct"
	}
	return "wrong"
}

func pct(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100**v)
}

func ci(lo, hi *float64) string {
	if lo == nil || hi == nil {
		return "—"
	}
	return fmt.Sprintf("[%.1f, %.1f]", 100**lo, 100**hi)
}

func crossoverText(b *schemas.Boundary) string {
	switch {
	case b == nil:
		return ""
	case b.CrossoverK != nil:
		return fmt.Sprint(*b.CrossoverK)
	case b.Crossover == schemas.CrossoverNever:
		return fmt.Sprintf(">%d", b.N)
	}
	return "behind"
}

func coverageText(b *schemas.Boundary) string {
	if b == nil {
		return ""
	}
	mark := ""
	if schemas.Significant(b.CoverageQValue) {
		mark = "*"
	}
	return fmt.Sprintf("%+.1f pts%s (+%d/-%d)", 100*b.CoverageDelta, mark, b.Gained, b.Lost)
}

func deltaText(d *float64, base string, significant bool) string {
	if d == nil {
		return ""
	}
	mark := ""
	if significant {
		mark = "*"
	}
	return fmt.Sprintf("%+.1f pts%s (vs %s)", 100**d, mark, strings.TrimSpace(base))
}
