package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// rejectsTree is a small run whose input exercises every kind of reject.
func rejectsTree(t testing.TB) string {
	lines := []string{
		`{"problem_id": "p/1", "response": "so \\boxed{2}", "sample_idx": 0}`,                                                                   // 1 ok
		`{"problem_id": "p/1", "response": "so \\boxed{3}", "sample_idx": 0}`,                                                                   // 2 duplicate
		`{"problem_id": "p/1", "response": "oops"`,                                                                                              // 3 malformed
		`{"problem_id": "p/9", "response": "\\boxed{1}"}`,                                                                                       // 4 not in evalset
		`{"problem_id": "p/2", "response": ""}`,                                                                                                 // 5 no response
		`{"problem_id": "p/2", "response": "\\boxed{4}", "model": "Other-Model"}`,                                                               // 6 checkpoint conflict
		`{"problem": "What is \\(2 + 2\\)?", "response": "` + "```python\\nprint(2+2)\\n```" + ` gives \\boxed{4}", "finish_reason": "length"}`, // 7 ok, by text
		`{"problem_id": "p/2", "resp`,                                                                                                           // 8 truncated last line
	}
	return writeTree(t, map[string]string{
		"ev.jsonl":                      tinyEvalset,
		"gens/Model-A/none/step0.jsonl": strings.Join(lines, "\n"),
		"eval.yaml": `
evalset: {name: tiny, path: ev.jsonl}
runs:
  - template: "gens/{model}/{reward}/step{step}.jsonl"
    family_of: {Model-A: fam-a}
`,
	})
}

func runTree(t testing.TB, dir string, opts ...LoadOption) (*Result, string, error) {
	t.Helper()
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	res, err := Run(context.Background(), cfg, RunOptions{Out: out, Version: "test"})
	return res, out, err
}

func TestRejectKinds(t *testing.T) {
	dir := rejectsTree(t)
	res, out, err := runTree(t, dir, WithSet(KeyMaxRejectShare, 1.0))
	if err != nil {
		t.Fatal(err)
	}
	rejects, err := write.ReadParquet[schemas.Reject](filepath.Join(out, "rejects.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{
		2: "duplicate sample: checkpoint Model-A/none/step0, problem p/1, sample_idx 0 was already read at line 1",
		3: "invalid JSON",
		4: `problem not in evalset tiny: no unique_id "p/9"`,
		5: "record without response",
		6: `checkpoint conflict: model: config runs[0] template says "Model-A", the record says "Other-Model"`,
		8: "truncated last line",
	}
	if len(rejects) != len(want) {
		t.Fatalf("%d rejects, want %d: %+v", len(rejects), len(want), rejects)
	}
	for _, r := range rejects {
		if r.SourceFile != "gens/Model-A/none/step0.jsonl" {
			t.Errorf("reject file %q", r.SourceFile)
		}
		w, ok := want[r.SourceLine]
		if !ok || !strings.Contains(r.Error, w) {
			t.Errorf("line %d: error %q, want it to contain %q", r.SourceLine, r.Error, w)
		}
		if r.Raw == "" || len(r.Raw) > schemas.RawLimit {
			t.Errorf("line %d: raw %q", r.SourceLine, r.Raw)
		}
	}
	samples, err := write.ReadParquet[schemas.Sample](filepath.Join(out, "samples.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(samples) != 2 || res.Samples != 2 || res.Rejects != 6 {
		t.Fatalf("samples %d (result %d), rejects %d", len(samples), res.Samples, res.Rejects)
	}
	s := samples[1]
	if s.ProblemID != "p/2" || s.Family != "fam-a" || s.Subject != "Algebra" || s.Level != 5 || s.SampleIdx != 0 ||
		!s.Truncated || !s.CodeReasoning || !s.HasCodeBlock || !s.HasBoxed || s.Gold != "4" || s.SourceLine != 7 ||
		s.ResponseChars != int64(len([]rune(s.Response))) || s.Checkpoint != "Model-A/none/step0" || s.Evalset != "tiny" {
		t.Fatalf("sample = %+v", s)
	}
	m := res.Manifest
	if m.Inputs[0].MatchedBy[MatchByID] != 1 || m.Inputs[0].MatchedBy[MatchByText] != 1 || m.Inputs[0].Rejects != 6 {
		t.Fatalf("manifest input = %+v", m.Inputs[0])
	}
	disk, err := ReadManifest(out)
	if err != nil || disk.Tables["rejects"] != 6 || disk.Tables["samples"] != 2 || disk.ToolVersion != "test" || disk.SchemaVersion != schemas.Version {
		t.Fatalf("run.json: %v %+v", err, disk)
	}
}

func TestRejectShareFails(t *testing.T) {
	res, out, err := runTree(t, rejectsTree(t))
	var rs *RejectShareError
	if !errors.As(err, &rs) || !errors.Is(err, ErrTooManyRejects) || rs.Rejects != 6 || rs.Records != 8 {
		t.Fatalf("err = %v", err)
	}
	if res == nil || res.Manifest.Outcome != "too_many_rejects" {
		t.Fatalf("result = %+v", res)
	}
	for _, f := range []string{"samples.parquet", "rejects.parquet", "metrics.parquet", "run.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("%s not written despite the reject failure: %v", f, err)
		}
	}
}

// corpusTree writes a canonical corpus of ckpts checkpoints × problems × n.
func corpusTree(t testing.TB, ckpts, n int) string {
	var ev bytes.Buffer
	for p := 0; p < 20; p++ {
		fmt.Fprintf(&ev, `{"problem": "Compute %d + %d.", "answer": "%d", "subject": "S%d", "level": %d, "unique_id": "q/%d"}`+"\n", p, p, 2*p, p%3, p%5+1, p)
	}
	files := map[string]string{"ev.jsonl": ev.String()}
	for c := 0; c < ckpts; c++ {
		var b bytes.Buffer
		for p := 0; p < 20; p++ {
			for i := 0; i < n; i++ {
				ans := 2 * p
				if (p+i+c)%3 == 0 {
					ans++
				}
				fmt.Fprintf(&b, `{"problem_id": "q/%d", "response": "We add. The answer is $\\boxed{%d}$.", "sample_idx": %d, "finish_reason": "stop", "response_tokens": %d}`+"\n", p, ans, i, 10+i)
			}
		}
		reward := "random"
		if c == 0 {
			reward = "none"
		}
		files[fmt.Sprintf("gens/M/%s/step%d.jsonl", reward, c*10)] = b.String()
	}
	files["eval.yaml"] = "evalset: {name: syn, path: ev.jsonl}\nks: [1, 2]\nbootstrap: 200\npermutations: 200\nruns:\n  - template: \"gens/{model}/{reward}/step{step}.jsonl\"\n    family: fam\n"
	return writeTree(t, files)
}

func TestDeterministicOutput(t *testing.T) {
	dir := corpusTree(t, 3, 4)
	_, out1, err := runTree(t, dir, WithSet(KeyOutputFormat, "both"), WithSet(KeyWorkers, 2))
	if err != nil {
		t.Fatal(err)
	}
	_, out2, err := runTree(t, dir, WithSet(KeyOutputFormat, "both"), WithSet(KeyWorkers, 1))
	if err != nil {
		t.Fatal(err)
	}
	names, _ := filepath.Glob(filepath.Join(out1, "*.*"))
	sort.Strings(names)
	var tables int
	for _, n := range names {
		base := filepath.Base(n)
		if base == ManifestFile {
			continue
		}
		tables++
		a, _ := os.ReadFile(n)
		b, err := os.ReadFile(filepath.Join(out2, base))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs (%v)", base, err)
		}
	}
	if tables != 18 {
		t.Fatalf("%d table files, want 18 (9 tables × parquet, arrow): %v", tables, names)
	}
}

// cancelOnStage cancels a context when a stage logs its end: the read stage
// ends while grading, aggregation and the writers are still busy.
type cancelOnStage struct {
	slog.Handler
	stage  string
	cancel context.CancelFunc
}

func (h cancelOnStage) Handle(ctx context.Context, r slog.Record) error {
	r.Attrs(func(a slog.Attr) bool {
		if r.Message == "stage done" && a.Key == "stage" && a.Value.String() == h.stage {
			h.cancel()
		}
		return true
	})
	return nil
}

func (h cancelOnStage) Enabled(context.Context, slog.Level) bool { return true }

func TestCancellationLeavesNoTables(t *testing.T) {
	dir := corpusTree(t, 4, 16)
	for _, stage := range []string{"", StageRead} {
		t.Run("cancel at "+stage, func(t *testing.T) {
			cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if stage == "" {
				cancel()
			}
			out := filepath.Join(t.TempDir(), "out")
			log := slog.New(cancelOnStage{Handler: slog.NewTextHandler(os.Stderr, nil), stage: stage, cancel: cancel})
			_, err = Run(ctx, cfg, RunOptions{Out: out, Logger: log, BatchSize: 8})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want a cancellation", err)
			}
			left, _ := os.ReadDir(out)
			for _, e := range left {
				t.Errorf("left behind: %s", e.Name())
			}
		})
	}
}

func TestRealQwenEvalGenerations(t *testing.T) {
	gens := realdata.Path(t, "gens/qwen25-math-cot-8x50.jsonl")
	math500 := realdata.Path(t, "math500/test.jsonl")
	dir := writeTree(t, map[string]string{"eval.yaml": fmt.Sprintf(`
evalset: {name: math-cot-100}
profiles: [strict, lenient]
runs:
  - files: %q
    family: qwen2.5-math
    model: Qwen2.5-Math-7B
    reward: none
    step: 0
`, gens)})
	res, out, err := runTree(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	if res.Samples != 400 || res.Rejects != 0 || res.Summary.PeerCompared != 400 {
		t.Fatalf("samples %d, rejects %d, peer compared %d", res.Samples, res.Rejects, res.Summary.PeerCompared)
	}
	samples, err := write.ReadParquet[schemas.Sample](filepath.Join(out, "samples.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	var correct, boxed int
	for _, s := range samples {
		if s.Correct {
			correct++
		}
		if s.HasBoxed {
			boxed++
		}
		if len(s.Alt) != 1 || s.Alt[0].Profile != "lenient" || s.Level < 1 || s.Level > 5 {
			t.Fatalf("sample %+v", s)
		}
	}
	t.Logf("real generations: %d/400 correct (strict), %d boxed; peer disagreements %d", correct, boxed, res.Summary.PeerDisagree)
	if boxed < 350 || len(res.Summary.Rows) != 1 || res.Summary.Rows[0].NProblems != 50 {
		t.Fatalf("boxed %d, summary %+v", boxed, res.Summary.Rows)
	}

	// Against MATH-500 only 3 of these 50 problems exist (matched by text):
	// the other records are rejects naming the problem, and the run fails.
	dir = writeTree(t, map[string]string{"eval.yaml": fmt.Sprintf(`
evalset: {name: math500, path: %q}
runs: [{files: %q, family: qwen2.5-math, model: Qwen2.5-Math-7B, reward: none, step: 0}]
`, math500, gens)})
	res, out, err = runTree(t, dir)
	var rs *RejectShareError
	if !errors.As(err, &rs) || res.Samples != 24 || res.Rejects != 376 || res.Manifest.Inputs[0].MatchedBy[MatchByText] != 24 || !res.Manifest.Evalset.Published {
		t.Fatalf("err %v; samples %d rejects %d manifest %+v", err, res.Samples, res.Rejects, res.Manifest.Inputs)
	}
	rejects, _ := write.ReadParquet[schemas.Reject](filepath.Join(out, "rejects.parquet"))
	if !strings.Contains(rejects[0].Error, "problem not in evalset math500: no problem with the text") {
		t.Fatalf("reject %+v", rejects[0])
	}
}

func ExampleRun() {
	dir, _ := os.MkdirTemp("", "rlvr-example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "ev.jsonl"), []byte(tinyEvalset), 0o644)
	os.MkdirAll(filepath.Join(dir, "gens"), 0o755)
	os.WriteFile(filepath.Join(dir, "gens", "base.jsonl"), []byte(
		`{"problem_id": "p/1", "responses": ["\\boxed{2}", "\\boxed{3}"]}`+"\n"+
			`{"problem_id": "p/2", "responses": ["\\boxed{4}", "\\boxed{4}"]}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "eval.yaml"), []byte(`
evalset: {name: tiny, path: ev.jsonl}
runs:
  - files: gens/*.jsonl
    family: demo
    model: Demo-1B
    reward: none
    step: 0
`), 0o644)
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := Run(context.Background(), cfg, RunOptions{Out: filepath.Join(dir, "out")})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range res.Summary.Rows {
		fmt.Printf("%s: %d problems × %d samples, accuracy %.2f\n", r.Checkpoint, r.NProblems, r.N, *r.Accuracy)
	}
	// Output: Demo-1B/none/step0: 2 problems × 2 samples, accuracy 0.75
}

func TestNoTextAndBaselines(t *testing.T) {
	dir := corpusTree(t, 3, 2)
	res, out, err := runTree(t, dir, WithSet(KeyNoText, true))
	if err != nil {
		t.Fatal(err)
	}
	samples, err := write.ReadParquet[schemas.Sample](filepath.Join(out, "samples.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range samples {
		if s.Response != "" || s.ResponseChars == 0 || s.Extracted == nil {
			t.Fatalf("no_text sample: response %q, chars %d, extracted %v", s.Response, s.ResponseChars, s.Extracted)
		}
	}
	base := map[string]string{}
	for _, c := range res.Tables.Comparisons {
		base[c.Checkpoint] = c.BaselineCheckpoint
	}
	if base["M/random/step20"] != "M/none/step0" {
		t.Fatalf("default baselines = %v", base)
	}

	// A top-level baselines map overrides the default rule.
	cfgPath := filepath.Join(dir, "eval.yaml")
	b, _ := os.ReadFile(cfgPath)
	os.WriteFile(cfgPath, append(b, []byte("baselines: {M/random/step20: M/random/step10}\n")...), 0o644)
	res, _, err = runTree(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Tables.Comparisons {
		if c.Checkpoint == "M/random/step20" && c.BaselineCheckpoint != "M/random/step10" {
			t.Fatalf("comparison %s against %s, want M/random/step10", c.Checkpoint, c.BaselineCheckpoint)
		}
	}
}

func TestUnrecognisedFile(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ev.jsonl":       tinyEvalset,
		"gens/odd.jsonl": `{"prompt": "x", "completion": "y"}` + "\n",
		"eval.yaml":      "evalset: {name: tiny, path: ev.jsonl}\nruns: [{files: gens/odd.jsonl, family: f, model: m, reward: none, step: 0}]\n",
	})
	_, out, err := runTree(t, dir)
	if err == nil || !strings.Contains(err.Error(), "odd.jsonl: cannot tell its format: found a JSON record with first keys prompt, completion") {
		t.Fatalf("err = %v", err)
	}
	if left, _ := os.ReadDir(out); len(left) > 0 {
		t.Fatalf("files left: %v", left)
	}
}

func TestSummaryPrint(t *testing.T) {
	v, lo, hi, d := 0.75, 0.5, 0.9, 0.125
	s := &Summary{Profile: "strict", Samples: 8, Rejects: 2, PeerCompared: 8, PeerDisagree: 1,
		RejectExamples: []schemas.Reject{{SourceFile: "g.jsonl", SourceLine: 7, Error: "expected a JSON object, found text"}},
		Rows:           []SummaryRow{{Checkpoint: "M/random/step5", Family: "f", NProblems: 2, N: 4, Accuracy: &v, CILow: &lo, CIHigh: &hi, Delta: &d, Baseline: "M/none/step0"}},
		PeerExamples:   []PeerExample{{File: "g.jsonl", Line: 3, ProblemID: "p/1", SampleIdx: 2, Gold: "2", Ours: "2", OursCorrect: true, Peer: "3", PeerCorrect: false}},
	}
	var b bytes.Buffer
	if err := s.Print(&b); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"M/random/step5", "75.0%", "[50.0, 90.0]", "+12.5 pts (vs M/none/step0)", "8 samples graded, 2 records rejected",
		"  reject g.jsonl:7: expected a JSON object, found text", "  ... and 1 more in rejects.parquet",
		"peer verdicts: 1 of 8 samples differ from ours (12.50%)", `g.jsonl:3 p/1 #2 gold "2": ours "2" (correct), peer "3" (wrong)`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, b.String())
		}
	}
}
