package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// lmEvalRow is one lm-eval --log_samples row in the 0.4.9 layout (flat
// filtered_resps, filter, metrics, exact_match).
func lmEvalRow(docID int, problem, typ, answer, response, filter, filtered string, em int) string {
	return fmt.Sprintf(`{"doc_id": %d, "doc": {"problem": %q, "level": "Level 2", "type": %q, "solution": "", "answer": %q}, "target": %q, "arguments": {"gen_args_0": {"arg_0": "Problem: x", "arg_1": {"until": ["Problem:"]}}}, "resps": [[%q]], "filtered_resps": [%q], "filter": %q, "metrics": ["exact_match"], "exact_match": %d}`,
		docID, problem, typ, answer, answer, response, filtered, filter, em) + "\n"
}

// lmEvalFolder is an lm-eval output folder: two subtasks whose doc_id both
// start at 0, the algebra file written twice per document (filters
// strict-match and flexible-extract), and the results JSON.
func lmEvalFolder() map[string]string {
	alg := lmEvalRow(0, "What is $1+1$?", "Algebra", "2", `So \boxed{2}.`, "strict-match", "[invalid]", 0) +
		lmEvalRow(1, "What is $2+2$?", "Algebra", "4", `So \boxed{5}.`, "strict-match", "[invalid]", 0) +
		lmEvalRow(0, "What is $1+1$?", "Algebra", "2", `So \boxed{2}.`, "flexible-extract", "2", 1) +
		lmEvalRow(1, "What is $2+2$?", "Algebra", "4", `So \boxed{5}.`, "flexible-extract", "5", 0)
	geo := lmEvalRow(0, "What is $3+3$?", "Geometry", "6", `The answer is 6.`, "none", "The answer is 6.", 0)
	return map[string]string{
		"out/samples_hendrycks_math_algebra_2025-01-01T00-00-00.jsonl":  alg,
		"out/samples_hendrycks_math_geometry_2025-01-01T00-00-00.jsonl": geo,
		"out/results_2025-01-01T00-00-00.json":                          `{"results": {"hendrycks_math": {"exact_match,none": 0.0}}, "configs": {}, "versions": {}, "lm_eval_version": "0.4.9"}` + "\n",
	}
}

func readSamples(t *testing.T, out string) []schemas.Sample {
	t.Helper()
	rows, err := write.ReadParquet[schemas.Sample](filepath.Join(out, "samples.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestLmEvalFolderWithoutEvalset: one entry globbing an lm-eval folder, no
// evalset: each task's doc_ids are their own problems (task/doc_id), the
// subtask is the subject, the other filter's rows and the results JSON are
// skipped (counted, with why) and never rejected, the evalset is named from
// the files with why, and the peer's verdicts are kept.
func TestLmEvalFolderWithoutEvalset(t *testing.T) {
	files := lmEvalFolder()
	files["eval.yaml"] = "runs: [{files: [out/*], family: f, model: m, reward: none, step: 0}]\n"
	res, out, err := runTree(t, writeTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejects != 0 || res.Samples != 3 {
		t.Fatalf("samples %d, rejects %d; want 3 and 0", res.Samples, res.Rejects)
	}
	var got []string
	for _, s := range readSamples(t, out) {
		peer := "nil"
		if s.PeerCorrect != nil {
			peer = fmt.Sprint(*s.PeerCorrect)
		}
		got = append(got, fmt.Sprintf("%s|%s|%s|%v|peer=%s", s.ProblemID, s.Subject, s.Evalset, s.Correct, peer))
	}
	sort.Strings(got)
	want := []string{
		"hendrycks_math_algebra/0|Algebra|hendrycks_math|true|peer=false",
		"hendrycks_math_algebra/1|Algebra|hendrycks_math|false|peer=false",
		"hendrycks_math_geometry/0|Geometry|hendrycks_math|true|peer=false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("samples\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m := res.Manifest
	if m.Evalset.Name != "hendrycks_math" || !strings.Contains(m.Evalset.Why, "lm-eval task hendrycks_math_algebra") {
		t.Errorf("evalset %+v", m.Evalset)
	}
	skips := map[string]ManifestSkip{}
	for _, in := range m.Inputs {
		for _, s := range in.Skipped {
			skips[filepath.Base(in.Path)] = s
		}
		if strings.Contains(in.Path, "algebra") && (len(in.Selected) != 1 || in.Selected[0] != "strict-match" || in.Task != "hendrycks_math_algebra") {
			t.Errorf("%s: task %q, selected %v", in.Path, in.Task, in.Selected)
		}
	}
	if s := skips["samples_hendrycks_math_algebra_2025-01-01T00-00-00.jsonl"]; s.Reason != "filter" || s.Value != "flexible-extract" || s.Rows != 2 || s.FirstLine != 3 || s.Why == "" {
		t.Errorf("algebra skip %+v", s)
	}
	if s := skips["results_2025-01-01T00-00-00.json"]; s.Reason != "not-samples" || s.Why == "" {
		t.Errorf("results skip %+v", s)
	}
	var sum bytes.Buffer
	if err := res.Summary.Print(&sum); err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"exact_match", "the whole response", "its extraction",
		"evalset: hendrycks_math (no evalset: in the config; named from the files: hendrycks_math: lm-eval task hendrycks_math_algebra"} {
		if !strings.Contains(sum.String(), w) {
			t.Errorf("summary lacks %q:\n%s", w, sum.String())
		}
	}
}

// TestLmEvalFilterChangesOnlyPeer: choosing the other filter (filter:)
// grades the same responses the same way; only the peer's fields and the
// skipped filter change.
func TestLmEvalFilterChangesOnlyPeer(t *testing.T) {
	strip := func(ss []schemas.Sample) []string {
		var out []string
		for _, s := range ss {
			out = append(out, fmt.Sprintf("%s|%d|%s|%v|%s", s.ProblemID, s.SampleIdx, s.Response, s.Correct, s.Reason))
		}
		sort.Strings(out)
		return out
	}
	run := func(entry string) ([]schemas.Sample, *Result) {
		files := lmEvalFolder()
		files["eval.yaml"] = "max_reject_share: 1\nruns: [{files: [out/*], family: f, model: m, reward: none, step: 0" + entry + "}]\n"
		res, out, err := runTree(t, writeTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		return readSamples(t, out), res
	}
	a, _ := run("")
	b, rb := run(", filter: flexible-extract")
	// The geometry file has only filter "none": asking for flexible-extract
	// there is one reject naming the filters it has, and no sample.
	a = slicesDeleteGeometry(a)
	if fmt.Sprint(strip(a)) != fmt.Sprint(strip(b)) {
		t.Errorf("filter changed our verdicts:\n%v\n%v", strip(a), strip(b))
	}
	peers := 0
	for _, s := range b {
		if s.ProblemID == "hendrycks_math_algebra/0" && s.PeerCorrect != nil && *s.PeerCorrect && s.PeerExtracted != nil && *s.PeerExtracted == "2" {
			peers++
		}
	}
	if peers != 1 {
		t.Errorf("flexible-extract's verdict on algebra/0 not kept: %+v", b)
	}
	if rb.Rejects != 1 {
		t.Errorf("rejects %d, want 1 (geometry has no flexible-extract rows)", rb.Rejects)
	}
}

// TestLmEvalAgainstEvalset: with an evalset file, lm-eval records are
// matched by their problem text, never by doc_id as an evalset position;
// the subtask's subject fills in where the evalset has none.
func TestLmEvalAgainstEvalset(t *testing.T) {
	files := lmEvalFolder()
	// Problem p/2 (2+2) has no subject; 3+3 is not in the evalset.
	files["ev.jsonl"] = `{"problem": "What is $1+1$?", "answer": "2", "subject": "Prealgebra", "level": 1, "unique_id": "p/1"}
{"problem": "What is $2+2$?", "answer": "4", "unique_id": "p/2"}
{"problem": "What is $7+7$?", "answer": "14", "subject": "Algebra", "level": 1, "unique_id": "p/3"}
`
	files["eval.yaml"] = "evalset: {name: tiny, path: ev.jsonl}\nmax_reject_share: 1\nmin_coverage: 0\nruns: [{files: [out/*], family: f, model: m, reward: none, step: 0}]\n"
	res, out, err := runTree(t, writeTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range readSamples(t, out) {
		got = append(got, s.ProblemID+"|"+s.Subject+"|"+s.Evalset)
	}
	sort.Strings(got)
	if want := "[p/1|Prealgebra|tiny p/2|Algebra|tiny]"; fmt.Sprint(got) != want {
		t.Errorf("samples %v, want %s", got, want)
	}
	rejects, err := write.ReadParquet[schemas.Reject](filepath.Join(out, "rejects.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Rejects != 1 || !strings.Contains(rejects[0].Error, `no problem with the text "What is $3+3$?"`) {
		t.Errorf("rejects %+v: want geometry/0 rejected by text, not matched to the evalset's position 0", rejects)
	}
}

// TestResolveTaskPositionNeverEvalsetPosition: a record that names its
// problem only by its position in a task is never matched to the problem
// at that position of the evalset.
func TestResolveTaskPositionNeverEvalsetPosition(t *testing.T) {
	dir := writeTree(t, map[string]string{"ev.jsonl": tinyEvalset,
		"out/samples_gsm8k_2025-01-01T00-00-00.jsonl": `{"doc_id": 0, "doc": {}, "target": "2", "resps": [["\\boxed{2}"]], "filtered_resps": ["2"]}` + "\n",
		"eval.yaml": "evalset: {name: tiny, path: ev.jsonl}\nmax_reject_share: 1\nruns: [{files: [out/*], family: f, model: m, reward: none, step: 0}]\n"})
	res, out, err := runTree(t, dir)
	if err != nil {
		t.Fatal(err)
	}
	rejects, _ := write.ReadParquet[schemas.Reject](filepath.Join(out, "rejects.parquet"))
	if res.Samples != 0 || len(rejects) != 1 || !strings.Contains(rejects[0].Error, "names its problem only by its position 0 in task gsm8k") {
		t.Errorf("samples %d, rejects %+v", res.Samples, rejects)
	}
}

// TestToolFolderCacheRerun: with a grading cache (the file is then read
// once before its records, for its sha256), a re-run takes every verdict
// from the cache and writes the same samples bytes; a different filter is
// another cache entry.
func TestToolFolderCacheRerun(t *testing.T) {
	files := lmEvalFolder()
	files["eval.yaml"] = "runs: [{files: [out/*], family: f, model: m, reward: none, step: 0}]\n"
	dir := writeTree(t, files)
	cache := t.TempDir()
	run := func() (*Result, []byte) {
		cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "out")
		res, err := Run(context.Background(), cfg, RunOptions{Out: out, Version: "test", Cache: cache})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(out, "samples.parquet"))
		if err != nil {
			t.Fatal(err)
		}
		return res, b
	}
	r1, b1 := run()
	r2, b2 := run()
	if !bytes.Equal(b1, b2) {
		t.Errorf("samples differ between the run and its cached re-run")
	}
	if r2.Manifest.Cache.SamplesCached != r1.Samples || r2.Samples != 3 {
		t.Errorf("re-run: %d of %d samples cached, want all", r2.Manifest.Cache.SamplesCached, r2.Samples)
	}
	for _, in := range r2.Manifest.Inputs {
		if in.SHA256 == "" || in.Size == 0 {
			t.Errorf("%s: size %d sha256 %q", in.Path, in.Size, in.SHA256)
		}
	}
	// Read once (no cache, evalset named): the same digests in run.json.
	files["eval.yaml"] = "evalset: {name: hm}\nruns: [{files: [out/*], family: f, model: m, reward: none, step: 0}]\n"
	res, _, err := runTree(t, writeTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	digest := map[string]string{}
	for _, in := range r2.Manifest.Inputs {
		digest[filepath.Base(in.Path)] = fmt.Sprint(in.Size, in.SHA256)
	}
	for _, in := range res.Manifest.Inputs {
		if digest[filepath.Base(in.Path)] != fmt.Sprint(in.Size, in.SHA256) {
			t.Errorf("%s: digest %d %s read once, %s read twice", in.Path, in.Size, in.SHA256, digest[filepath.Base(in.Path)])
		}
		if in.Evalset != "hm" || in.EvalsetWhy != "evalset.name in the config" {
			t.Errorf("%s: evalset %q (%s)", in.Path, in.Evalset, in.EvalsetWhy)
		}
	}
}

func slicesDeleteGeometry(ss []schemas.Sample) []schemas.Sample {
	var out []schemas.Sample
	for _, s := range ss {
		if !strings.HasPrefix(s.ProblemID, "hendrycks_math_geometry/") {
			out = append(out, s)
		}
	}
	return out
}

// TestIngestFixturesRunWithoutEvalset: every ingest fixture in a tool's
// documented layout whose records carry their gold (spec/formats.md's rows
// without a real file among them) runs through a whole run, one entry per
// file (each fixture is a run of its own), no evalset, format detected: the
// file is detected as its folder's format, named an evalset with why, and
// every record the reader gives becomes a sample (the fixtures' malformed
// lines are the reader's rejects).
func TestIngestFixturesRunWithoutEvalset(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "stages", "ingest", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"lm-eval", "nemo-skills", "per-sample-labeled", "spurious-rewards"} {
		var paths []string
		filepath.WalkDir(filepath.Join(root, format), func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && !strings.HasSuffix(p, ".golden") {
				paths = append(paths, p)
			}
			return nil
		})
		if len(paths) == 0 {
			t.Fatalf("no %s fixtures", format)
		}
		for _, p := range paths {
			t.Run(format+"/"+filepath.Base(p), func(t *testing.T) {
				dir := writeTree(t, map[string]string{"eval.yaml": fmt.Sprintf("max_reject_share: 1\nruns: [{files: [%q], family: f, model: m, reward: none, step: 0}]\n", p)})
				res, _, err := runTree(t, dir)
				if err != nil {
					t.Fatal(err)
				}
				in := res.Manifest.Inputs[0]
				if in.Format != format || !in.Detected || in.Evalset == "" || in.EvalsetWhy == "" {
					t.Errorf("format %s (detected %v), evalset %q (%s); want %s detected, an evalset with why", in.Format, in.Detected, in.Evalset, in.EvalsetWhy, format)
				}
				if res.Samples == 0 || res.Samples != in.Records {
					t.Errorf("%d records read, %d samples, %d rejects: want every record a sample", in.Records, res.Samples, res.Rejects)
				}
			})
		}
	}
}

// TestLmEvalMultiTaskFolder: an lm-eval run of two task families (one
// --tasks list) in one folder and one entry, no evalset: each file's
// checkpoint rows take its own family's evalset, nothing is rejected.
func TestLmEvalMultiTaskFolder(t *testing.T) {
	files := lmEvalFolder()
	files["out/samples_gsm8k_2025-01-01T00-00-00.jsonl"] = `{"doc_id": 0, "doc": {"question": "1+1?", "answer": "2"}, "target": "2", "resps": [["The answer is 2."]], "filtered_resps": ["2"], "filter": "strict-match", "exact_match": 1}` + "\n"
	files["eval.yaml"] = "runs: [{files: [out/*], family: f, model: m, reward: none, step: 0}]\n"
	res, out, err := runTree(t, writeTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	evalsets := map[string]int{}
	for _, s := range readSamples(t, out) {
		evalsets[s.Evalset]++
	}
	if res.Rejects != 0 || fmt.Sprint(evalsets) != "map[gsm8k:1 hendrycks_math:3]" {
		t.Errorf("rejects %d, samples per evalset %v", res.Rejects, evalsets)
	}
	if res.Manifest.Evalset.Name != "gsm8k, hendrycks_math" {
		t.Errorf("run.json evalset %+v", res.Manifest.Evalset)
	}
	acc := map[string]bool{}
	for _, m := range res.Tables.Metrics {
		if m.Metric == "accuracy" && m.Subset == "all" {
			acc[m.Checkpoint+" on "+m.Evalset] = true
		}
	}
	if !acc["m/none/step0 on gsm8k"] || !acc["m/none/step0 on hendrycks_math"] {
		t.Errorf("accuracy rows %v: want the checkpoint on each evalset", acc)
	}
}
