package ingest

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/realdata"
)

// Tests on the real output files of lm-evaluation-harness, NeMo-Skills and
// lighteval in ../shared/data/formats (SOURCES.md): each tool folder is read
// as a run entry globbing the whole folder would read it, every file
// detected, read once through File (hashed while read). They check that every
// response becomes exactly one record, that no well-formed record is
// rejected, that the tool's verdicts are kept for every sample that has one,
// and the counts SOURCES.md gives.

// realFolder reads every file of a folder of ../shared/data/formats with the
// format detected and the options given, and returns the records, rejects
// and results per file base name.
type realFile struct {
	recs []Record
	rejs []string
	res  FileResult
}

func readRealFolder(t *testing.T, rel string, opts map[string]string) map[string]realFile {
	t.Helper()
	dir := realdata.Path(t, filepath.Join("formats", rel))
	paths, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("glob %s: %v, %d files", dir, err, len(paths))
	}
	out := map[string]realFile{}
	for _, p := range paths {
		recs, rejs, res := readSourceFile(t, "", p, opts)
		var msgs []string
		for _, r := range rejs {
			msgs = append(msgs, fmt.Sprintf("line %d: %s", r.SourceLine, r.Error))
		}
		out[filepath.Base(p)] = realFile{recs, msgs, res}
	}
	return out
}

// jsonLines decodes every line of a JSONL file as a generic object.
func jsonLines(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func TestRealLMEvalHendrycksMath(t *testing.T) {
	files := readRealFolder(t, "lm_eval/hendrycks_math-phi3", nil)
	dir := realdata.Path(t, "formats/lm_eval/hendrycks_math-phi3")
	subjects := map[string]string{ // SOURCES.md: one file per MATH subject
		"algebra": "Algebra", "counting_and_prob": "Counting & Probability", "geometry": "Geometry",
		"intermediate_algebra": "Intermediate Algebra", "num_theory": "Number Theory", "prealgebra": "Prealgebra", "precalc": "Precalculus",
	}
	type key struct {
		task string
		pos  int64
	}
	ids := map[key]string{}
	var total, samplesFiles, peerRight int
	for name, f := range files {
		if !strings.HasPrefix(name, "samples_") {
			if f.res.Format != "not-samples" || len(f.recs) != 0 || len(f.rejs) != 0 || len(f.res.Skipped) != 1 ||
				!strings.Contains(f.res.Skipped[0].Why, "lm-eval results JSON") {
				t.Errorf("%s: want skipped as an lm-eval results file, got %+v", name, f.res)
			}
			continue
		}
		samplesFiles++
		if f.res.Format != "lm-eval" || len(f.rejs) != 0 || len(f.res.Skipped) != 0 {
			t.Errorf("%s: format %s, rejects %v, skipped %+v", name, f.res.Format, f.rejs, f.res.Skipped)
		}
		lines := jsonLines(t, filepath.Join(dir, name))
		if len(f.recs) != len(lines) {
			t.Errorf("%s: %d records for %d lines (one response each)", name, len(f.recs), len(lines))
		}
		sub := strings.TrimPrefix(f.res.Task, "hendrycks_math_")
		if subjects[sub] == "" || f.res.Evalset.Name != "hendrycks_math" || strings.Join(f.res.Selected, ",") != "none" {
			t.Errorf("%s: task %q, evalset %+v, selected %q", name, f.res.Task, f.res.Evalset, f.res.Selected)
		}
		_, _, fromTask := lmEvalTaskParts(f.res.Task)
		for i, r := range f.recs {
			l := lines[i]
			doc := l["doc"].(map[string]any)
			resp := l["resps"].([]any)[0].([]any)[0].(string)
			k := key{r.Task, r.Position}
			if prev, dup := ids[k]; dup {
				t.Fatalf("%s line %d: identity (%s, %d) also at %s", name, r.SourceLine, r.Task, r.Position, prev)
			}
			ids[k] = fmt.Sprintf("%s:%d", name, r.SourceLine)
			// The doc's own subject and the one the subtask names agree.
			if r.Subject != doc["type"] || r.Subject != fromTask || r.Subject != subjects[sub] {
				t.Errorf("%s line %d: subject %q, doc type %q, from the task %q", name, r.SourceLine, r.Subject, doc["type"], fromTask)
			}
			if r.Response != resp || r.Position != int64(l["doc_id"].(float64)) || r.Gold == nil || *r.Gold != l["target"] {
				t.Errorf("%s line %d: record %+v", name, r.SourceLine, r)
			}
			// filter "none": lm-eval's metric got the whole response; the
			// record says so instead of copying it as an extraction.
			em := l["exact_match"].(float64) == 1
			if r.PeerCorrect == nil || *r.PeerCorrect != em || r.PeerMetric != "exact_match" || r.PeerCompared != PeerComparedResponse || r.PeerExtracted != nil {
				t.Fatalf("%s line %d: peer %v %q %q %v, exact_match %v", name, r.SourceLine, r.PeerCorrect, r.PeerMetric, r.PeerCompared, r.PeerExtracted, em)
			}
			if em {
				peerRight++
			}
		}
		total += len(f.recs)
	}
	if samplesFiles != 7 || total != 5000 || len(ids) != 5000 {
		t.Errorf("%d samples files, %d records, %d distinct (task, doc_id); want 7, 5000, 5000", samplesFiles, total, len(ids))
	}
	if peerRight != 2 {
		t.Errorf("lm-eval exact_match right on %d of 5000; SOURCES.md says 2", peerRight)
	}
	t.Logf("hendrycks_math: %d records in %d files, lm-eval exact_match %d/%d", total, samplesFiles, peerRight, total)
}

func TestRealLMEvalGSM8K(t *testing.T) {
	dir := realdata.Path(t, "formats/lm_eval/gsm8k-phi3")
	const samples = "samples_gsm8k_2025-08-07T11-42-40.066002.jsonl"
	lines := jsonLines(t, filepath.Join(dir, samples))
	for _, tc := range []struct {
		opt, read, skipped string
		right              int
	}{
		{"", "strict-match", "flexible-extract", 1}, // default: the file's first filter
		{"strict-match", "strict-match", "flexible-extract", 1},
		{"flexible-extract", "flexible-extract", "strict-match", 8},
	} {
		t.Run("filter="+tc.opt, func(t *testing.T) {
			files := readRealFolder(t, "lm_eval/gsm8k-phi3", map[string]string{OptFilter: tc.opt})
			for name, f := range files {
				if name != samples && (f.res.Format != "not-samples" || len(f.recs)+len(f.rejs) != 0) {
					t.Errorf("%s: want skipped as not samples, got %+v", name, f.res)
				}
			}
			f := files[samples]
			if len(f.recs) != 10 || len(f.rejs) != 0 || len(f.res.Skipped) != 1 {
				t.Fatalf("%d records, rejects %v, skipped %+v; want 10, none, one filter", len(f.recs), f.rejs, f.res.Skipped)
			}
			s := f.res.Skipped[0]
			if s.Reason != SkipFilter || s.Value != tc.skipped || s.Rows != 10 || s.Responses != 10 || strings.Join(f.res.Selected, ",") != tc.read {
				t.Errorf("skipped %+v, selected %q", s, f.res.Selected)
			}
			if f.res.Task != "gsm8k" || f.res.Evalset.Name != "gsm8k" {
				t.Errorf("task %q evalset %+v", f.res.Task, f.res.Evalset)
			}
			right := 0
			for _, r := range f.recs {
				l := lines[r.SourceLine-1]
				if l["filter"] != tc.read || r.Filter != tc.read || r.Task != "gsm8k" || r.Subject != "" {
					t.Errorf("line %d: filter %v, record filter %q task %q subject %q", r.SourceLine, l["filter"], r.Filter, r.Task, r.Subject)
				}
				// The gold is target as written: the whole solution ending "#### <n>".
				if r.Gold == nil || *r.Gold != l["target"] || !strings.Contains(*r.Gold, "\n#### ") {
					t.Errorf("line %d: gold %v", r.SourceLine, r.Gold)
				}
				ext := l["filtered_resps"].([]any)[0].(string)
				if r.PeerExtracted == nil || *r.PeerExtracted != ext || r.PeerCompared != PeerComparedExtraction || r.PeerCorrect == nil || r.PeerMetric != "exact_match" {
					t.Errorf("line %d: peer %v %v %q", r.SourceLine, r.PeerExtracted, r.PeerCorrect, r.PeerCompared)
				}
				if *r.PeerCorrect {
					right++
				}
			}
			if right != tc.right {
				t.Errorf("exact_match right on %d of 10 under %s, want %d (SOURCES.md)", right, tc.read, tc.right)
			}
		})
	}
}

func TestRealNemoSkills2024_06(t *testing.T) {
	files := readRealFolder(t, "nemo_skills/2024-06", nil)
	dir := realdata.Path(t, "formats/nemo_skills/2024-06")
	var total, right int
	seeds := map[int64]int{}
	texts := map[int64]string{}
	for name, f := range files {
		if f.res.Format != "nemo-skills" || len(f.rejs) != 0 || len(f.res.Skipped) != 0 {
			t.Errorf("%s: format %q, rejects %v, skipped %+v", name, f.res.Format, f.rejs, f.res.Skipped)
		}
		lines := jsonLines(t, filepath.Join(dir, name))
		if len(f.recs) != len(lines) || len(lines) != 50 {
			t.Errorf("%s: %d records, %d lines; want 50", name, len(f.recs), len(lines))
		}
		for i, r := range f.recs {
			l := lines[i]
			if r.Response != l["generated_solution"] || r.ProblemText != l["question"] || r.Position != int64(i) || *r.Gold != fmt.Sprint(l["expected_answer"]) {
				t.Errorf("%s line %d: %+v", name, i+1, r)
			}
			// Line i is the same problem in every seed file.
			if prev, ok := texts[r.Position]; ok && prev != r.ProblemText {
				t.Errorf("%s line %d: problem differs from another seed's line", name, i+1)
			}
			texts[r.Position] = r.ProblemText
			if r.PeerCorrect == nil || *r.PeerCorrect != l["is_correct"] || r.PeerMetric != "is_correct" || r.PeerCompared != PeerComparedExtraction {
				t.Errorf("%s line %d: peer %v %q", name, i+1, r.PeerCorrect, r.PeerMetric)
			}
			if (l["predicted_answer"] == nil) != (r.PeerExtracted == nil) {
				t.Errorf("%s line %d: predicted_answer %v, extracted %v", name, i+1, l["predicted_answer"], r.PeerExtracted)
			}
			if *r.PeerCorrect {
				right++
			}
			seeds[r.SampleIdx]++
		}
		total += len(f.recs)
	}
	if total != 150 || right != 18 || len(seeds) != 3 || seeds[0] != 50 || seeds[1] != 50 || seeds[2] != 50 {
		t.Errorf("%d records, is_correct %d, per seed %v; want 150, 18, 50 each of 0..2", total, right, seeds)
	}
	t.Logf("nemo-skills 2024-06: %d records, is_correct %d/%d", total, right, total)
}

func TestRealLightevalFlat(t *testing.T) {
	const details = "details_lighteval|aime24|0_2025-05-02T22-18-48.675173.parquet"
	const sampled, greedy = "math_pass@1:32_samples", "extractive_match"
	for _, tc := range []struct {
		opt                     string
		records, verdicts       int
		skipRows, skipResponses int64
		skipValue               string
		selected                string
		perSampling             map[string]int
	}{
		{"", 960, 0, 30, 30, greedy, sampled, nil},
		{sampled, 960, 0, 30, 30, greedy, sampled, nil},
		{greedy, 30, 30, 30, 960, sampled, greedy, nil},
		{SamplingAll, 990, 30, 0, 0, "", sampled + "," + greedy, map[string]int{sampled: 960, greedy: 30}},
	} {
		t.Run("sampling="+tc.opt, func(t *testing.T) {
			files := readRealFolder(t, "lighteval/aime24-pythia14m", map[string]string{OptSampling: tc.opt})
			for name, f := range files {
				if name != details && (f.res.Format != "not-samples" || len(f.recs)+len(f.rejs) != 0 || !strings.Contains(f.res.Skipped[0].Why, "lighteval results JSON")) {
					t.Errorf("%s: want skipped as a lighteval results file, got %+v", name, f.res)
				}
			}
			f := files[details]
			if f.res.Format != "lighteval" || len(f.recs) != tc.records || len(f.rejs) != 0 || strings.Join(f.res.Selected, ",") != tc.selected {
				t.Fatalf("format %q, %d records, rejects %v, selected %q; want %d records", f.res.Format, len(f.recs), f.rejs, f.res.Selected, tc.records)
			}
			if tc.skipRows == 0 && len(f.res.Skipped) != 0 {
				t.Errorf("skipped %+v", f.res.Skipped)
			}
			if tc.skipRows > 0 {
				if len(f.res.Skipped) != 1 {
					t.Fatalf("skipped %+v", f.res.Skipped)
				}
				s := f.res.Skipped[0]
				if s.Reason != SkipSampling || s.Value != tc.skipValue || s.Rows != tc.skipRows || s.Responses != tc.skipResponses {
					t.Errorf("skipped %+v", s)
				}
			}
			if f.res.Task != "lighteval|aime24|0" || f.res.Evalset.Name != "aime24" {
				t.Errorf("task %q, evalset %+v", f.res.Task, f.res.Evalset)
			}
			verdicts := 0
			per := map[string]int{}
			idx := map[string]map[int64]bool{}
			for _, r := range f.recs {
				if r.Gold == nil || r.ProblemText == "" || r.Task != "lighteval|aime24|0" {
					t.Fatalf("record %+v", r)
				}
				per[r.Sampling]++
				if r.PeerCorrect != nil {
					verdicts++
					if *r.PeerCorrect || r.PeerMetric != greedy || r.PeerCompared != PeerComparedExtraction {
						t.Errorf("greedy verdict %+v (the 14M model gets everything wrong)", r)
					}
				}
				k := fmt.Sprintf("%s\x00%s", r.Sampling, r.ProblemText)
				if idx[k] == nil {
					idx[k] = map[int64]bool{}
				}
				if idx[k][r.SampleIdx] {
					t.Errorf("sample %d of %q twice in sampling %q", r.SampleIdx, clip(r.ProblemText, 40), r.Sampling)
				}
				idx[k][r.SampleIdx] = true
			}
			if verdicts != tc.verdicts {
				t.Errorf("%d peer verdicts, want %d (one per greedy response)", verdicts, tc.verdicts)
			}
			if tc.perSampling != nil && (per[sampled] != tc.perSampling[sampled] || per[greedy] != tc.perSampling[greedy]) {
				t.Errorf("records per sampling config %v, want %v", per, tc.perSampling)
			}
			problems := map[string]bool{}
			for k := range idx {
				problems[k[strings.IndexByte(k, 0)+1:]] = true
			}
			if len(problems) != 30 {
				t.Errorf("%d problems, want 30", len(problems))
			}
		})
	}
}

// TestRealFilesDetectedOnly: every real file is detected as its tool's format
// (or as not a samples file) and by no earlier format in the list.
func TestRealFilesDetected(t *testing.T) {
	root := realdata.Path(t, "formats")
	want := map[string]string{"lm_eval": "lm-eval", "nemo_skills": "nemo-skills", "lighteval": "lighteval"}
	var seen []string
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || filepath.Base(p) == "SOURCES.md" {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		tool := want[strings.Split(rel, string(filepath.Separator))[0]]
		f, err := DetectFile(p)
		if err != nil {
			t.Errorf("%s: %v", rel, err)
			return nil
		}
		if f.Name != tool && f.Name != "not-samples" {
			t.Errorf("%s: detected as %s, want %s", rel, f.Name, tool)
		}
		seen = append(seen, rel+" → "+f.Name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(seen)
	t.Logf("%s", strings.Join(seen, "\n"))
}

// TestRealSelectionMetamorphic: choosing another filter changes only the
// peer's fields (lm-eval repeats the same responses per filter), and reading
// every lighteval sampling config gives exactly the union of reading each.
func TestRealSelectionMetamorphic(t *testing.T) {
	const gsm = "samples_gsm8k_2025-08-07T11-42-40.066002.jsonl"
	strip := func(rs []Record) []Record {
		out := make([]Record, len(rs))
		for i, r := range rs {
			r.PeerCorrect, r.PeerExtracted, r.PeerCompared, r.Filter, r.SourceLine = nil, nil, "", "", 0
			out[i] = r
		}
		return out
	}
	a := readRealFolder(t, "lm_eval/gsm8k-phi3", map[string]string{OptFilter: "strict-match"})[gsm].recs
	b := readRealFolder(t, "lm_eval/gsm8k-phi3", map[string]string{OptFilter: "flexible-extract"})[gsm].recs
	if len(a) != 10 || dumpItems(strip(a), nil) != dumpItems(strip(b), nil) {
		t.Errorf("the two filters give different samples:\n%s\n%s", dumpItems(strip(a), nil), dumpItems(strip(b), nil))
	}

	const details = "details_lighteval|aime24|0_2025-05-02T22-18-48.675173.parquet"
	all := readRealFolder(t, "lighteval/aime24-pythia14m", map[string]string{OptSampling: SamplingAll})[details].recs
	var union []Record
	for _, cfg := range []string{"math_pass@1:32_samples", "extractive_match"} {
		for _, r := range readRealFolder(t, "lighteval/aime24-pythia14m", map[string]string{OptSampling: cfg})[details].recs {
			r.Sampling = cfg
			union = append(union, r)
		}
	}
	key := func(rs []Record) []string {
		var out []string
		for _, r := range rs {
			out = append(out, fmt.Sprintf("%d/%d %s", r.SourceLine, r.SampleIdx, dumpItems([]Record{r}, nil)+r.Sampling))
		}
		sort.Strings(out)
		return out
	}
	if ka, ku := key(all), key(union); len(ka) != 990 || strings.Join(ka, "\n") != strings.Join(ku, "\n") {
		t.Errorf("sampling all gives %d records, the configs one by one %d, or different ones", len(ka), len(ku))
	}
}
