package demo

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// generated returns a corpus generated into a fresh temp dir.
func generated(t *testing.T) *Corpus {
	t.Helper()
	c, err := Generate(filepath.Join(t.TempDir(), "corpus"))
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return c
}

// readTree returns every file under dir by slash path.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		b, err := os.ReadFile(path)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, b := generated(t), generated(t)
	fa, fb := readTree(t, a.Dir), readTree(t, b.Dir)
	if len(fa) != len(fb) {
		t.Fatalf("first run wrote %d files, second %d", len(fa), len(fb))
	}
	for name, data := range fa {
		if !bytes.Equal(data, fb[name]) {
			t.Errorf("%s differs between two runs", name)
		}
	}
	// Regenerating into the same folder replaces the corpus with the same bytes.
	if _, err := Generate(a.Dir); err != nil {
		t.Fatalf("regenerating into an earlier corpus: %v", err)
	}
	for name, data := range readTree(t, a.Dir) {
		if !bytes.Equal(data, fa[name]) {
			t.Errorf("%s differs after regenerating in place", name)
		}
	}
}

func TestGenerateRefusesForeignFolder(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "results.parquet"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Generate(dir); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("Generate into a folder with other files: err = %v, want a 'not empty' error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "results.parquet")); err != nil {
		t.Fatalf("the foreign file is gone: %v", err)
	}
}

// line is a generation record with every field checked for presence.
type line struct {
	ProblemID      *string `json:"problem_id"`
	SampleIdx      *int    `json:"sample_idx"`
	Response       *string `json:"response"`
	FinishReason   *string `json:"finish_reason"`
	ResponseTokens *int64  `json:"response_tokens"`
}

func TestGenerateShape(t *testing.T) {
	c := generated(t)
	if c.Problems < 40 || c.SamplesPerProblem != 8 {
		t.Fatalf("corpus has %d problems × %d samples, want ≥ 40 × 8", c.Problems, c.SamplesPerProblem)
	}

	// The evalset: MATH-500 fields in MATH-500 order, unique ids, levels 1..5.
	ev, err := os.ReadFile(c.Evalset)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	levels := map[int]bool{}
	subjects := map[string]bool{}
	idRe := regexp.MustCompile(`^demo/[a-z_]+/[0-9]+\.json$`)
	for i, l := range bytes.Split(bytes.TrimSuffix(ev, []byte("\n")), []byte("\n")) {
		if !bytes.HasPrefix(l, []byte(`{"problem":`)) || !bytes.Contains(l, []byte(`,"solution":`)) {
			t.Errorf("evalset line %d does not start with MATH-500's fields: %.80s", i+1, l)
		}
		var r evalRecord
		if err := json.Unmarshal(l, &r); err != nil {
			t.Fatalf("evalset line %d: %v", i+1, err)
		}
		if !idRe.MatchString(r.UniqueID) || ids[r.UniqueID] {
			t.Errorf("evalset line %d: unique_id %q malformed or repeated", i+1, r.UniqueID)
		}
		ids[r.UniqueID] = true
		levels[r.Level] = true
		subjects[r.Subject] = true
		if !strings.Contains(r.Solution, `\boxed{`+r.Answer+`}`) {
			t.Errorf("%s: solution does not box the answer %q", r.UniqueID, r.Answer)
		}
	}
	if len(ids) != c.Problems {
		t.Errorf("evalset has %d problems, corpus says %d", len(ids), c.Problems)
	}
	for l := 1; l <= 5; l++ {
		if !levels[l] {
			t.Errorf("no problem of level %d", l)
		}
	}
	if len(subjects) < 6 {
		t.Errorf("only %d subjects: %v", len(subjects), subjects)
	}

	// Checkpoints: 3 families, baseline none/step0, ≥ 4 trained rewards × ≥ 3 steps.
	byFamily := map[string]map[string][]int64{}
	for _, ck := range c.Checkpoints {
		if byFamily[ck.Family] == nil {
			byFamily[ck.Family] = map[string][]int64{}
		}
		byFamily[ck.Family][ck.Reward] = append(byFamily[ck.Family][ck.Reward], ck.Step)
	}
	if len(byFamily) != 3 {
		t.Fatalf("%d families, want 3", len(byFamily))
	}
	for fam, rewards := range byFamily {
		if s := rewards["none"]; len(s) != 1 || s[0] != 0 {
			t.Errorf("%s: baseline steps %v, want [0]", fam, s)
		}
		if len(rewards) < 5 {
			t.Errorf("%s: %d reward conditions, want ≥ 5 (none + 4 trained)", fam, len(rewards))
		}
		for r, steps := range rewards {
			if r != "none" && len(steps) < 3 {
				t.Errorf("%s/%s: %d steps, want ≥ 3", fam, r, len(steps))
			}
		}
	}

	// Every generation file: one valid record per problem × sample, in order,
	// and its counts agree with the checkpoint description.
	for _, ck := range c.Checkpoints {
		want := "gens/" + ck.Model + "/" + ck.Reward + "/step" + strconv.FormatInt(ck.Step, 10) + "/samples.jsonl"
		if ck.Seed != nil {
			want = strings.TrimSuffix(want, "samples.jsonl") + "seed" + strconv.FormatInt(*ck.Seed, 10) + "/samples.jsonl"
		}
		if ck.File != want {
			t.Errorf("checkpoint file %q, want %q", ck.File, want)
		}
		f, err := os.Open(filepath.Join(c.Dir, ck.File))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<20)
		n, python, truncated := 0, 0, 0
		for sc.Scan() {
			n++
			var l line
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
				t.Fatalf("%s line %d: %v", ck.File, n, err)
			}
			if l.ProblemID == nil || l.SampleIdx == nil || l.Response == nil || l.FinishReason == nil || l.ResponseTokens == nil {
				t.Fatalf("%s line %d: missing field: %s", ck.File, n, sc.Text())
			}
			if !ids[*l.ProblemID] {
				t.Errorf("%s line %d: problem %q not in the evalset", ck.File, n, *l.ProblemID)
			}
			if *l.SampleIdx != (n-1)%c.SamplesPerProblem {
				t.Errorf("%s line %d: sample_idx %d", ck.File, n, *l.SampleIdx)
			}
			if strings.Contains(strings.ToLower(*l.Response), "python") {
				python++
			}
			switch *l.FinishReason {
			case "length":
				truncated++
				if *l.ResponseTokens != MaxTokens || strings.HasSuffix(*l.Response, ".") {
					t.Errorf("%s line %d: truncated response with %d tokens ending %q", ck.File, n, *l.ResponseTokens, tail(*l.Response))
				}
			case "stop":
			default:
				t.Errorf("%s line %d: finish_reason %q", ck.File, n, *l.FinishReason)
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			t.Fatal(err)
		}
		if n != c.Problems*c.SamplesPerProblem || n != ck.Samples {
			t.Errorf("%s: %d lines, want %d", ck.File, n, c.Problems*c.SamplesPerProblem)
		}
		if python != ck.Code || truncated != ck.Truncated {
			t.Errorf("%s: %d responses mention python and %d are truncated; the generator counted %d and %d", ck.File, python, truncated, ck.Code, ck.Truncated)
		}
	}
	if got := c.Samples(); got != len(c.Checkpoints)*c.Problems*c.SamplesPerProblem {
		t.Errorf("Samples() = %d", got)
	}

	readme, err := os.ReadFile(c.Readme)
	if err != nil || !bytes.Contains(readme, []byte("SYNTHETIC")) {
		t.Errorf("README.txt does not label the corpus SYNTHETIC (err %v)", err)
	}
	cfg, err := os.ReadFile(c.Config)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"template: \"gens/{model}/{reward}/step{step}/samples.jsonl\"", "family_of:", "Qwen2.5-Math-7B: qwen2.5-math", "path: evalset.jsonl"} {
		if !bytes.Contains(cfg, []byte(want)) {
			t.Errorf("eval.yaml lacks %q:\n%s", want, cfg)
		}
	}
}

func tail(s string) string {
	if len(s) > 20 {
		return s[len(s)-20:]
	}
	return s
}

// TestAnswerForms checks that the evalset covers MATH-500's answer forms.
func TestAnswerForms(t *testing.T) {
	forms := []struct {
		name string
		re   string
	}{
		{"integer", `^-?[0-9]+$`},
		{"fraction", `^-?\\frac\{[0-9]+\}\{[0-9]+\}$`},
		{"radical", `^[0-9]*\\sqrt\{[0-9]+\}$`},
		{"interval", `^[\[(]-?[0-9]+, -?[0-9]+[\])]$`},
		{"tuple", `^(\\left)?\( ?[^,]+, [^,]+ ?(\\right)?\)$`},
		{"solution list", `^-?[0-9]+, -?[0-9]+$`},
		{"text", `^\\text\{[A-Za-z]+\}$`},
		{"multiple choice", `^\\text\{\([A-E]\)\}$`},
		{"multiple of pi", `\\pi`},
		{"degrees", `\^\\circ$`},
		{"base", `^[0-9]+_[0-9]+$`},
	}
	for _, f := range forms {
		t.Run(f.name, func(t *testing.T) {
			re := regexp.MustCompile(f.re)
			for _, p := range problems {
				if re.MatchString(p.answer) {
					return
				}
			}
			t.Errorf("no gold answer of form %s (%s)", f.name, f.re)
		})
	}
}

// TestGolds checks every gold with the grader: it parses and equals itself,
// and no wrong answer the generator writes equals it. Under the real grader
// (not the interim placeholder) every equivalent form must equal it too.
func TestGolds(t *testing.T) {
	interim := strings.Contains(grade.Version, "interim")
	for _, p := range problems {
		t.Run(p.uniqueID(), func(t *testing.T) {
			g := grade.PrepareGold(p.answer)
			if v := grade.GradeAnswer(g, p.answer); !v.Correct {
				t.Errorf("gold %q does not equal itself: %+v", p.answer, v)
			}
			for _, w := range p.wrong {
				if v := grade.GradeAnswer(g, w); v.Correct {
					t.Errorf("wrong answer %q graded correct against %q (%s)", w, p.answer, v.Reason)
				}
			}
			if interim {
				return
			}
			for _, e := range p.equiv {
				if v := grade.GradeAnswer(g, e); !v.Correct {
					t.Errorf("equivalent form %q graded wrong against %q (%s)", e, p.answer, v.Reason)
				}
			}
			if v := grade.GradeAnswer(grade.PrepareGold(p.solution()), p.answer); !v.Correct {
				t.Errorf("the solution as gold does not give %q (%s)", p.answer, v.Reason)
			}
		})
	}
}

// TestLatentPattern checks the designed effects on the latent outcomes (before
// any grading): the Spurious Rewards pattern at the latest step.
func TestLatentPattern(t *testing.T) {
	c := generated(t)
	type key struct{ family, reward string }
	last := map[key]Checkpoint{}
	for _, ck := range c.Checkpoints {
		if k := (key{ck.Family, ck.Reward}); ck.Step >= last[k].Step {
			last[k] = ck
		}
	}
	acc := func(f, r string) float64 {
		ck := last[key{f, r}]
		return float64(ck.LatentCorrect) / float64(ck.Samples)
	}
	code := func(f, r string) float64 { ck := last[key{f, r}]; return float64(ck.Code) / float64(ck.Samples) }

	if b := code("qwen2.5-math", "none"); b < 0.55 || b > 0.75 {
		t.Errorf("qwen2.5-math baseline code rate %.3f, want about 0.65", b)
	}
	for _, r := range []string{"ground_truth", "one_shot", "random", "incorrect", "format"} {
		if d := acc("qwen2.5-math", r) - acc("qwen2.5-math", "none"); d < 0.08 {
			t.Errorf("qwen2.5-math %s gains %.3f, want ≥ 0.08", r, d)
		}
	}
	for _, r := range []string{"random", "incorrect", "format"} {
		if cr := code("qwen2.5-math", r); cr < 0.85 {
			t.Errorf("qwen2.5-math %s code rate %.3f, want ≥ 0.85", r, cr)
		}
	}
	for _, f := range []string{"llama3.1", "olmo2"} {
		if d := acc(f, "ground_truth") - acc(f, "none"); d < 0.04 {
			t.Errorf("%s ground_truth gains %.3f, want ≥ 0.04", f, d)
		}
		for _, r := range []string{"random", "incorrect", "format"} {
			if d := acc(f, r) - acc(f, "none"); d > 0.02 {
				t.Errorf("%s %s gains %.3f, want flat or a loss", f, r, d)
			}
		}
		if cr := code(f, "none"); cr > 0.1 {
			t.Errorf("%s code rate %.3f, want < 0.1", f, cr)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "corpus")
	for b.Loop() {
		if _, err := Generate(dir); err != nil {
			b.Fatal(err)
		}
	}
}
