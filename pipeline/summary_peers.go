package pipeline

import (
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// PeerFile compares, for one input file, our verdicts with the evaluation
// tool's own (peer) verdicts kept in the file (lm-eval exact_match,
// NeMo-Skills is_correct or symbolic_correct, lighteval extractive_match,
// the toolkit's score, per-sample-labeled label).
type PeerFile struct {
	// File is the input as written in the tables.
	File string
	// Metric is the field the peer's verdicts come from; Compared says what
	// the peer's metric was given: ingest.PeerComparedExtraction (the tool's
	// extraction, in peer_extracted) or ingest.PeerComparedResponse (the whole
	// response: lm-eval's filter "none"; the file holds no extraction).
	Metric   string
	Compared string
	// Samples counts the file's samples and OursCorrect those we grade
	// correct; WithPeer those with a peer verdict, PeerCorrect those the
	// peer grades correct.
	Samples, OursCorrect  int64
	WithPeer, PeerCorrect int64
	// Agree, OursOnly (we say correct, the peer wrong) and PeerOnly (the
	// peer correct, we wrong) split WithPeer.
	Agree, OursOnly, PeerOnly int64
	// Examples are the file's first disagreements, in file order.
	Examples []PeerExample
}

// maxPeerExamplesPerFile is how many disagreements the summary shows per file.
const maxPeerExamplesPerFile = 2

// peerInfo is what a file's records say of the peer's verdicts.
type peerInfo struct{ metric, compared string }

// notePeer records the peer metric of a file's records (the resolver calls
// it; the first record that names one decides).
func (r *resolver) notePeer(file string, rec *ingest.Record) {
	if rec.PeerMetric == "" && rec.PeerCompared == "" {
		return
	}
	if r.peerOf == nil {
		r.peerOf = map[string]peerInfo{}
	}
	p := r.peerOf[file]
	if p.metric == "" {
		p.metric = rec.PeerMetric
	}
	if p.compared == "" {
		p.compared = rec.PeerCompared
	}
	r.peerOf[file] = p
}

// peerFiles tallies PeerFile rows while samples stream past (one goroutine,
// the aggregate stage's), in input order.
type peerFiles struct {
	rows []*PeerFile
	of   map[string]*PeerFile
}

func (t *peerFiles) add(batch []schemas.Sample) {
	if t.of == nil {
		t.of = map[string]*PeerFile{}
	}
	for i := range batch {
		s := &batch[i]
		f := t.of[s.SourceFile]
		if f == nil {
			f = &PeerFile{File: s.SourceFile}
			t.of[s.SourceFile] = f
			t.rows = append(t.rows, f)
		}
		f.Samples++
		if s.Correct {
			f.OursCorrect++
		}
		if s.PeerCorrect == nil {
			continue
		}
		f.WithPeer++
		peer := *s.PeerCorrect
		if peer {
			f.PeerCorrect++
		}
		switch {
		case peer == s.Correct:
			f.Agree++
			continue
		case s.Correct:
			f.OursOnly++
		default:
			f.PeerOnly++
		}
		if len(f.Examples) < maxPeerExamplesPerFile {
			e := PeerExample{File: s.SourceFile, Line: s.SourceLine, ProblemID: s.ProblemID, SampleIdx: s.SampleIdx,
				Gold: s.Gold, OursCorrect: s.Correct, PeerCorrect: peer}
			if s.Extracted != nil {
				e.Ours = *s.Extracted
			}
			if s.PeerExtracted != nil {
				e.Peer = *s.PeerExtracted
			}
			f.Examples = append(f.Examples, e)
		}
	}
}

// result returns the files with a peer verdict, their metric filled from
// what the records said.
func (t *peerFiles) result(peerOf map[string]peerInfo) []PeerFile {
	var out []PeerFile
	for _, f := range t.rows {
		p, ok := peerOf[f.File]
		if f.WithPeer == 0 && !ok {
			continue
		}
		r := *f
		r.Metric, r.Compared = p.metric, p.compared
		out = append(out, r)
	}
	return out
}

// comparedText says what a peer's metric was given.
func comparedText(compared string) string {
	switch compared {
	case ingest.PeerComparedResponse:
		return "the whole response"
	case ingest.PeerComparedExtraction:
		return "its extraction"
	}
	return "—"
}

// printPeers writes the peer comparison: per file, the peer's metric and
// what it compared, our accuracy and the peer's, how many verdicts agree and
// the counts each way; then a few disagreements with the gold, our
// extraction and the peer's (or, where the peer compared the whole
// response, that it did: the file holds no extraction of its).
func (s *Summary) printPeers(w io.Writer) error {
	if s.PeerCompared == 0 && len(s.Peers) == 0 {
		return nil
	}
	fmt.Fprintf(w, "peer verdicts: %d of %d samples differ from ours (%.2f%%)\n", s.PeerDisagree, s.PeerCompared,
		100*float64(s.PeerDisagree)/float64(max(s.PeerCompared, 1)))
	if len(s.Peers) == 0 {
		// A summary built without per-file comparisons: its examples alone.
		for _, e := range s.PeerExamples {
			fmt.Fprintf(w, "  %s:%d %s #%d gold %q: ours %q (%s), peer %q (%s)\n", e.File, e.Line, e.ProblemID, e.SampleIdx,
				e.Gold, e.Ours, verdictWord(e.OursCorrect), e.Peer, verdictWord(e.PeerCorrect))
		}
		return nil
	}
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  file\tpeer metric\tpeer compared\tsamples\tours\twith peer\tpeer\tagree\tours only\tpeer only\n")
	for _, f := range s.Peers {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%d\t%s\t%d\t%d\t%d\n", f.File, orDash(f.Metric), comparedText(f.Compared), f.Samples,
			share(f.OursCorrect, f.Samples), f.WithPeer, share(f.PeerCorrect, f.WithPeer), f.Agree, f.OursOnly, f.PeerOnly)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, f := range s.Peers {
		for _, e := range f.Examples {
			peer := fmt.Sprintf("peer %q (%s %s)", e.Peer, f.Metric, verdictWord(e.PeerCorrect))
			if f.Compared == ingest.PeerComparedResponse {
				peer = fmt.Sprintf("peer %s on the whole response: %s", f.Metric, verdictWord(e.PeerCorrect))
			}
			fmt.Fprintf(w, "  %s:%d %s #%d gold %q: ours %q (%s), %s\n", e.File, e.Line, e.ProblemID, e.SampleIdx,
				shorten(e.Gold, 120), shorten(e.Ours, 80), verdictWord(e.OursCorrect), peer)
		}
	}
	return nil
}

func share(n, of int64) string {
	if of == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// printEvalsetFromFiles says which evalset name a run without evalset: took
// from its files, and why.
func (s *Summary) printEvalsetFromFiles(w io.Writer) {
	if s.EvalsetFromFiles != "" {
		fmt.Fprintf(w, "evalset: %s\n", s.EvalsetFromFiles)
	}
}
