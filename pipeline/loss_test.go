package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// qwenTree is an evalset of `problems` problems and one qwen-eval file with
// a line of `samples` responses for each; lines in cut are truncated midway
// (invalid JSON: the reader rejects the whole line), lines in long are padded
// beyond ingest.MaxLineBytes.
func qwenTree(t testing.TB, problems, samples int, cut, long map[int]bool) string {
	t.Helper()
	var ev, gens strings.Builder
	for i := range problems {
		fmt.Fprintf(&ev, `{"unique_id": "p/%d", "problem": "What is %d + 1?", "answer": "%d"}`+"\n", i, i, i+1)
		resp := make([]string, samples)
		for j := range resp {
			resp[j] = fmt.Sprintf(`"so \\boxed{%d}"`, i+1-j%2)
		}
		line := fmt.Sprintf(`{"idx": %d, "question": "What is %d + 1?", "gt": "%d", "code": [%s]}`, i, i, i+1, strings.Join(resp, ", "))
		switch {
		case cut[i]:
			line = line[:len(line)/2]
		case long[i]:
			line = line[:len(line)-1] + `, "pad": "` + strings.Repeat("x", ingest.MaxLineBytes) + `"}`
		}
		gens.WriteString(line + "\n")
	}
	return writeTree(t, map[string]string{
		"ev.jsonl":                      ev.String(),
		"gens/Qwen2.5-Math-7B/s0.jsonl": gens.String(),
		"eval.yaml": `
evalset: {name: syn, path: ev.jsonl}
runs:
  - files: ["gens/Qwen2.5-Math-7B/s0.jsonl"]
    family: qwen
    model: Qwen2.5-Math-7B
    reward: none
    step: 0
`,
	})
}

// The example: 12 of 50 qwen-eval lines (8 samples each) truncated.
// Counted in lines that is 12 of 316 records (3.8%, under 5%); counted in
// samples it is 96 of 400 (24%), and 12 of the 50 problems are gone.
func TestTruncatedLinesCountTheirSamples(t *testing.T) {
	cut := map[int]bool{}
	for i := 3; len(cut) < 12; i += 4 {
		cut[i] = true
	}
	res, out, err := runTree(t, qwenTree(t, 50, 8, cut, nil))
	var rs *RejectShareError
	var ce *CoverageError
	if !errors.As(err, &rs) || !errors.As(err, &ce) || !errors.Is(err, ErrIncomplete) {
		t.Fatalf("err = %v, want a reject share and a coverage failure", err)
	}
	if rs.SamplesRejected != 96 || rs.Estimated != 96 || rs.SamplesGraded != 304 || rs.Rejects != 12 {
		t.Errorf("reject share error %+v: want 96 samples rejected (96 estimated), 304 graded, 12 rejects", rs)
	}
	if len(ce.Below) != 1 || ce.Below[0].Problems != 38 || ce.Below[0].Of != 50 || ce.Below[0].Against != "evalset" {
		t.Errorf("coverage error %+v: want one checkpoint with 38 of 50 problems", ce)
	}
	for _, want := range []string{"96 of 400 samples rejected (24.00%", "38 of 50 problems (76.0%)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	// The tables and run.json are written, and say so.
	m, rerr := ReadManifest(out)
	if rerr != nil {
		t.Fatal(rerr)
	}
	if m.Outcome != "too_many_rejects" || strings.Join(m.Failures, ",") != "too_many_rejects,incomplete" {
		t.Errorf("outcome %q failures %v", m.Outcome, m.Failures)
	}
	if m.SamplesRejected != 96 || m.SamplesRejectedEstimated != 96 || m.SamplesGraded != 304 || m.RejectShare != 96.0/400 {
		t.Errorf("run.json samples: %d rejected (%d estimated), %d graded, share %v", m.SamplesRejected, m.SamplesRejectedEstimated, m.SamplesGraded, m.RejectShare)
	}
	in := m.Inputs[0]
	if in.RejectedSamples != 96 || in.RejectedSamplesEstimated != 96 || !strings.Contains(in.RejectedSamplesEstimate, "median samples per readable line of the file (8)") {
		t.Errorf("input %+v", in)
	}
	if len(m.Coverage) != 1 || m.Coverage[0].Problems != 38 || m.Coverage[0].Coverage != 0.76 || m.MinCoverage != 1 {
		t.Errorf("run.json coverage %+v min %v", m.Coverage, m.MinCoverage)
	}
	if _, err := os.Stat(filepath.Join(out, "samples.parquet")); err != nil {
		t.Error(err)
	}
	var sb strings.Builder
	if err := res.Summary.Print(&sb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"304 samples graded, 12 records rejected holding 96 samples (24.00% of all; 96 estimated", "Qwen2.5-Math-7B/none/step0: 38 of 50 problems (76.0%)"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, sb.String())
		}
	}
}

// Metamorphic: with min_coverage and max_reject_share relaxed the same cut
// passes, and with no line cut every count is exact and coverage is whole.
func TestLossGatesRelaxedAndWhole(t *testing.T) {
	_, _, err := runTree(t, qwenTree(t, 20, 4, map[int]bool{5: true}, nil), WithSet(KeyMaxRejectShare, 0.1), WithSet(KeyMinCoverage, 0.95))
	if err != nil {
		t.Fatalf("1 of 20 lines cut (5%% of samples, 95%% coverage) under max 10%%, min 95%%: %v", err)
	}
	_, out, err := runTree(t, qwenTree(t, 20, 4, nil, nil))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := ReadManifest(out)
	if m.SamplesRejected != 0 || m.Coverage[0].Coverage != 1 || m.Outcome != "ok" {
		t.Errorf("whole run: %+v", m)
	}
}

// A line longer than ingest.MaxLineBytes that held 8 of the file's 24
// samples counts as 8 samples (a third), not as one record of 17 (5.9%).
func TestOverlongLineCountsItsSamples(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 64 MiB line")
	}
	_, _, err := runTree(t, qwenTree(t, 3, 8, nil, map[int]bool{1: true}))
	var rs *RejectShareError
	if !errors.As(err, &rs) {
		t.Fatalf("err = %v, want a reject share failure", err)
	}
	if rs.SamplesRejected != 8 || rs.SamplesGraded != 16 || rs.Rejects != 1 {
		t.Errorf("%+v: want 8 of 24 samples rejected", rs)
	}
}

func TestMedianAndLineLoss(t *testing.T) {
	l := newLineLoss()
	// Line 1: 3 records, one rejected after reading; line 2: whole-line reject;
	// line 3: two reader rejects (per-sample); line 4: 3 records and a
	// reader reject of one of its elements; line 5: 5 records.
	for range 2 {
		l.item(1, true, false)
	}
	l.item(1, true, true)
	l.item(2, false, true)
	l.item(3, false, true)
	l.item(3, false, true)
	for range 3 {
		l.item(4, true, false)
	}
	l.item(4, false, true)
	for range 5 {
		l.item(5, true, false)
	}
	l.closeLine()
	if l.known != 1+2+1 || l.wholeLines != 1 {
		t.Errorf("known %d whole %d", l.known, l.wholeLines)
	}
	if m, _ := medianOf(l.hist); m != 3 {
		t.Errorf("median %d of %v, want 3", m, l.hist)
	}
	if _, ok := medianOf(nil); ok {
		t.Error("median of nothing")
	}
}
