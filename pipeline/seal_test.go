package pipeline

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// The resolver may retire a checkpoint before K only because every record of
// a file naming K has an id ≥ K: a seed a record adds is a suffix of K.
func TestCheckpointIDSeedIsASuffix(t *testing.T) {
	for _, tc := range []struct {
		model, reward string
		step          int64
	}{{"M", "none", 0}, {"Qwen2.5-Math-7B", "random", 50}, {"a/b", "r", 100}} {
		for _, seed := range []int64{0, 3, -1, 12345} {
			open := schemas.CheckpointID(tc.model, tc.reward, tc.step, nil)
			withSeed := schemas.CheckpointID(tc.model, tc.reward, tc.step, &seed)
			if !strings.HasPrefix(withSeed, open) || withSeed <= open {
				t.Errorf("CheckpointID with seed %d = %q, want %q followed by a suffix", seed, withSeed, open)
			}
		}
	}
}

func TestRetireBefore(t *testing.T) {
	r := newResolver(&Config{Evalset: EvalsetConfig{Name: "inline"}}, nil)
	for i, id := range []string{"M/random/step20", "M/none/step0", "M/random/step10/seed3", "M/random/step10"} {
		ck := r.intern(r.ckptIdx, id)
		r.seen[ck] = map[probSample]sampleLoc{{0, int64(i)}: 1}
		r.nextIdx[ck] = map[int32]int64{0: 1}
		r.live = append(r.live, liveCkpt{ck, id})
	}
	for _, tc := range []struct {
		next string
		want []string
	}{
		{"M/none/step0", nil},
		{"M/random/step10", []string{"M/none/step0"}},
		{"M/random/step10", nil},
		{"M/random/step20", []string{"M/random/step10", "M/random/step10/seed3"}},
		{"N/none/step0", []string{"M/random/step20"}},
	} {
		if got := r.retireBefore(tc.next); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("retireBefore(%q) = %q, want %q", tc.next, got, tc.want)
		}
	}
	if len(r.seen) != 0 || len(r.nextIdx) != 0 || len(r.live) != 0 {
		t.Errorf("after retiring everything: %d seen, %d nextIdx, %d live; want none", len(r.seen), len(r.nextIdx), len(r.live))
	}
}

// sealTree holds the same samples twice over: in files the template names
// (the run seals each checkpoint when the next file starts) and in one file
// whose records name their own checkpoints (nothing can be sealed). It adds
// duplicates that only the index of a not-yet-retired checkpoint can catch.
func sealTree(t *testing.T) (named, inline string) {
	var ev bytes.Buffer
	for p := 0; p < 12; p++ {
		fmt.Fprintf(&ev, `{"problem": "Compute %d + %d.", "answer": "%d", "subject": "S%d", "level": %d, "unique_id": "q/%d"}`+"\n", p, p, 2*p, p%3, p%5+1, p)
	}
	type ckpt struct {
		reward string
		step   int64
		n      int
	}
	// Different n per checkpoint: with the default k list, a checkpoint
	// sealed early has fewer pass@k columns than the run.
	ckpts := []ckpt{{"none", 0, 4}, {"random", 10, 8}, {"random", 20, 3}, {"format", 10, 16}}
	namedFiles := map[string]string{"ev.jsonl": ev.String()}
	var all bytes.Buffer
	for c, ck := range ckpts {
		var b bytes.Buffer
		for p := 0; p < 12; p++ {
			for i := 0; i < ck.n; i++ {
				ans := 2 * p
				if (p*i+c)%4 == 0 {
					ans += 1 + i%2
				}
				line := fmt.Sprintf(`"problem_id": "q/%d", "response": "So \\boxed{%d}.", "sample_idx": %d, "response_tokens": %d`, p, ans, i, 5+i)
				fmt.Fprintf(&b, "{%s}\n", line)
				fmt.Fprintf(&all, `{"model": "M", "reward": %q, "step": %d, %s}`+"\n", ck.reward, ck.step, line)
			}
		}
		namedFiles[fmt.Sprintf("gens/M/%s/step%d.jsonl", ck.reward, ck.step)] = b.String()
	}
	const tail = "ks: null\nbootstrap: 100\npermutations: 100\n"
	namedFiles["eval.yaml"] = "evalset: {name: syn, path: ev.jsonl}\n" + tail +
		"runs:\n  - template: \"gens/{model}/{reward}/step{step}.jsonl\"\n    family: fam\n"
	inlineFiles := map[string]string{"ev.jsonl": ev.String(), "all.jsonl": all.String(),
		"eval.yaml": "evalset: {name: syn, path: ev.jsonl}\n" + tail + "runs:\n  - files: [all.jsonl]\n    family: fam\n"}
	return writeTree(t, namedFiles), writeTree(t, inlineFiles)
}

func TestSealedRunGivesTheSameTables(t *testing.T) {
	named, inline := sealTree(t)
	a, _, err := runTree(t, named)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := runTree(t, inline)
	if err != nil {
		t.Fatal(err)
	}
	if a.Samples != b.Samples || a.Samples != 12*(4+8+3+16) {
		t.Fatalf("samples: %d named, %d inline, want %d", a.Samples, b.Samples, 12*(4+8+3+16))
	}
	if len(a.Tables.Comparisons) == 0 {
		t.Fatal("no comparisons: the tree would not cover baselines")
	}
	if !reflect.DeepEqual(a.Tables, b.Tables) {
		t.Error("aggregate tables differ between the sealed run (files named by the config) and the unsealed one (records name their checkpoints)")
	}
}

// Records of a checkpoint can come from a file that leaves the checkpoint open
// (read first) and from files named by the config: duplicates across them are
// caught although checkpoints are retired as files start.
func TestDuplicatesAcrossRetirement(t *testing.T) {
	tree := map[string]string{
		"ev.jsonl": tinyEvalset,
		// Leaves the checkpoint open: read first.
		"mixed/all.jsonl": `{"model": "M", "reward": "random", "step": 20, "problem_id": "p/1", "response": "\\boxed{2}", "sample_idx": 0}
{"model": "M", "reward": "random", "step": 10, "seed": 3, "problem_id": "p/1", "response": "\\boxed{2}", "sample_idx": 0}
{"model": "M", "reward": "none", "step": 0, "problem_id": "p/1", "response": "\\boxed{2}", "sample_idx": 0}
`,
		"gens/M/none/step0.jsonl": `{"problem_id": "p/1", "response": "\\boxed{2}", "sample_idx": 0}
{"problem_id": "p/2", "response": "\\boxed{4}", "sample_idx": 0}
`,
		"gens/M/random/step10.jsonl": `{"problem_id": "p/1", "response": "\\boxed{2}", "sample_idx": 0, "seed": 3}
{"problem_id": "p/2", "response": "\\boxed{4}", "sample_idx": 0}
`,
		"gens/M/random/step20.jsonl": `{"problem_id": "p/1", "response": "\\boxed{3}", "sample_idx": 0}
{"problem_id": "p/2", "response": "\\boxed{4}", "sample_idx": 0}
`,
		"eval.yaml": `
evalset: {name: tiny, path: ev.jsonl}
runs:
  - files: [mixed/all.jsonl]
    family: fam
  - template: "gens/{model}/{reward}/step{step}.jsonl"
    family: fam
`,
	}
	res, out, err := runTree(t, writeTree(t, tree), WithSet(KeyMaxRejectShare, 1.0), WithSet(KeyMinCoverage, 0))
	if err != nil {
		t.Fatal(err)
	}
	rejects, err := write.ReadParquet[schemas.Reject](out + "/rejects.parquet")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"gens/M/none/step0.jsonl:1":    "checkpoint M/none/step0, problem p/1, sample_idx 0 was already read at mixed/all.jsonl line 3",
		"gens/M/random/step10.jsonl:1": "checkpoint M/random/step10/seed3, problem p/1, sample_idx 0 was already read at mixed/all.jsonl line 2",
		"gens/M/random/step20.jsonl:1": "checkpoint M/random/step20, problem p/1, sample_idx 0 was already read at mixed/all.jsonl line 1",
	}
	if len(rejects) != len(want) {
		t.Fatalf("%d rejects, want %d: %+v", len(rejects), len(want), rejects)
	}
	for _, r := range rejects {
		w := want[fmt.Sprintf("%s:%d", r.SourceFile, r.SourceLine)]
		if w == "" || !strings.Contains(r.Error, w) {
			t.Errorf("reject %s line %d: %q, want it to contain %q", r.SourceFile, r.SourceLine, r.Error, w)
		}
	}
	if res.Samples != 6 {
		t.Errorf("%d samples, want 6", res.Samples)
	}
}
