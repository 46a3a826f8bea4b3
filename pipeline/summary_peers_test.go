package pipeline

import (
	"bytes"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// TestPeerFiles: the per-file tally splits every sample with a peer verdict
// into agree, ours only and peer only (their sum is the samples with a peer
// verdict), keeps the first disagreements of each file, and the summary says
// the peer's metric and what it compared: for a peer that compared the whole
// response, no peer extraction is printed.
func TestPeerFiles(t *testing.T) {
	yes, no := true, false
	x := "460"
	var pf peerFiles
	var batch []schemas.Sample
	for i, c := range []struct {
		file          string
		ours          bool
		peer          *bool
		peerExtracted *string
	}{
		{"a.jsonl", true, &no, nil}, {"a.jsonl", true, &yes, nil}, {"a.jsonl", false, &no, nil}, {"a.jsonl", true, &no, nil}, {"a.jsonl", true, &no, nil},
		{"b.jsonl", false, &yes, &x}, {"b.jsonl", false, nil, nil},
		{"c.jsonl", true, nil, nil},
	} {
		ext := "2"
		batch = append(batch, schemas.Sample{SourceFile: c.file, SourceLine: int64(i + 1), ProblemID: "p", Gold: "2", Correct: c.ours,
			Extracted: &ext, PeerCorrect: c.peer, PeerExtracted: c.peerExtracted})
	}
	pf.add(batch[:3])
	pf.add(batch[3:])
	rows := pf.result(map[string]peerInfo{"a.jsonl": {"exact_match", ingest.PeerComparedResponse}, "b.jsonl": {"is_correct", ingest.PeerComparedExtraction}})
	if len(rows) != 2 {
		t.Fatalf("rows = %+v, want a and b (c has no peer verdict)", rows)
	}
	a, b := rows[0], rows[1]
	if a.Samples != 5 || a.WithPeer != 5 || a.OursCorrect != 4 || a.PeerCorrect != 1 || a.Agree != 2 || a.OursOnly != 3 || a.PeerOnly != 0 || len(a.Examples) != maxPeerExamplesPerFile {
		t.Errorf("a = %+v", a)
	}
	if b.Samples != 2 || b.WithPeer != 1 || b.PeerOnly != 1 || len(b.Examples) != 1 || b.Examples[0].Peer != "460" {
		t.Errorf("b = %+v", b)
	}
	for _, r := range rows {
		if r.Agree+r.OursOnly+r.PeerOnly != r.WithPeer {
			t.Errorf("%s: agree %d + ours only %d + peer only %d != %d", r.File, r.Agree, r.OursOnly, r.PeerOnly, r.WithPeer)
		}
	}
	s := &Summary{PeerCompared: 6, PeerDisagree: 4, Peers: rows}
	var out bytes.Buffer
	if err := s.Print(&out); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"peer verdicts: 4 of 6 samples differ from ours", "exact_match", "the whole response", "is_correct", "its extraction",
		`a.jsonl:1 p #0 gold "2": ours "2" (correct), peer exact_match on the whole response: wrong`,
		`b.jsonl:6 p #0 gold "2": ours "2" (wrong), peer "460" (is_correct correct)`} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, `peer ""`) {
		t.Errorf("summary prints an empty peer extraction:\n%s", got)
	}
}
