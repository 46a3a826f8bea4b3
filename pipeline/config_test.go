package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// writeTree creates files (path → content) under a temp folder and returns it.
func writeTree(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for p, c := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const tinyEvalset = `{"problem": "What is $1+1$?", "solution": "", "answer": "2", "subject": "Prealgebra", "level": 1, "unique_id": "p/1"}
{"problem": "What is $2+2$?", "solution": "", "answer": "4", "subject": "Algebra", "level": 5, "unique_id": "p/2"}
`

const genLine = `{"problem_id": "p/1", "response": "\\boxed{2}"}` + "\n"

func TestLoadConfigErrors(t *testing.T) {
	tree := map[string]string{
		"ev.jsonl":                        tinyEvalset,
		"gens/a/none/step0/seed1.jsonl":   genLine,
		"gens/a/random/step5/seed1.jsonl": genLine,
		"gens/b/x.jsonl":                  genLine,
	}
	tests := []struct {
		name string
		yaml string
		want []string // every substring must appear in the error
	}{
		{
			name: "collects every problem",
			yaml: `
evalset: {name: "", path: ev.jsonl}
profiles: [strict, fuzzy, strict]
ks: [0, 2]
max_reject_share: 1.5
workers: -1
output: {format: csv}
runs: []
`,
			want: []string{
				"evalset.name: expected the evalset's name (e.g. math500) beside its path, found nothing",
				`profiles[1]: expected one of strict, lenient, found "fuzzy"`,
				`profiles[2]: expected each profile once, found "strict"`,
				`ks[0]: expected an integer ≥ 1, found "0"`,
				`max_reject_share: expected a number between 0 and 1, found "1.5"`,
				`workers: expected 0 (one per core) or a positive integer, found "-1"`,
				`output.format: expected parquet, arrow or both, found "csv"`,
				"runs: expected at least one entry",
				"invalid config (8 problems)",
			},
		},
		{
			name: "filter given twice, differently",
			yaml: "runs: [{files: gens/b/x.jsonl, family: f, model: m, reward: none, step: 0, filter: strict-match, format_options: {filter: flexible-extract}}]\n",
			want: []string{`runs[0].filter: expected the same value as format_options.filter ("flexible-extract"), or one of the two, found "strict-match"`},
		},
		{
			name: "known evalset without path",
			yaml: "evalset: {name: math500}\nruns: [{files: gens/b/x.jsonl, family: f, model: m, reward: none, step: 0}]\n",
			want: []string{"evalset.path: expected the local file of math500 (published at https://huggingface.co/datasets/HuggingFaceH4/MATH-500"},
		},
		{
			name: "missing evalset file",
			yaml: "evalset: {name: e, path: nope.jsonl}\nruns: [{files: gens/b/x.jsonl}]\n",
			want: []string{"evalset.path: expected an existing JSONL or Parquet file, found \"" + "/"},
		},
		{
			name: "glob matching nothing and bad format",
			yaml: "evalset: {name: e, path: ev.jsonl}\nruns: [{files: [gens/zzz/*.jsonl], format: csv}]\n",
			want: []string{"runs[0].files[0]: expected a glob that matches at least one file", `runs[0].format: expected one of `, `found "csv"`},
		},
		{
			name: "files and template",
			yaml: "evalset: {name: e, path: ev.jsonl}\nruns: [{files: gens/b/x.jsonl, template: 'gens/{model}/x.jsonl'}]\n",
			want: []string{"runs[0].template: expected either files or template, not both"},
		},
		{
			name: "template field also given",
			yaml: "evalset: {name: e, path: ev.jsonl}\nruns: [{template: 'gens/{model}/{reward}/step{step}/seed{seed}.jsonl', model: m}]\n",
			want: []string{`runs[0].model: expected no model: the template fills {model} from the path, found "m"`},
		},
		{
			name: "unknown template field",
			yaml: "evalset: {name: e, path: ev.jsonl}\nruns: [{template: 'gens/{modle}/x.jsonl'}]\n",
			want: []string{"runs[0].template: expected fields among {family}, {model}, {reward}, {step}, {seed}, not {modle}"},
		},
		{
			name: "file in two entries",
			yaml: "evalset: {name: e, path: ev.jsonl}\nruns: [{files: 'gens/**/x.jsonl'}, {files: gens/b/x.jsonl}]\n",
			want: []string{"runs[1]: expected each file in one entry only (runs[0] matches it too)"},
		},
		{
			name: "unknown key",
			yaml: "evalset: {name: e, path: ev.jsonl}\nrunz: []\n",
			want: []string{"line 2: unknown key runz"},
		},
		{
			name: "bad number",
			yaml: "evalset: {name: e, path: ev.jsonl}\nworkers: many\nruns: [{files: gens/b/x.jsonl}]\n",
			want: []string{`workers: expected an integer, found "many"`},
		},
	}
	// No fetched evalset copies: a known evalset without a path is an error.
	t.Setenv("RLVR_EVAL_EVALSETS_DIR", t.TempDir())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"eval.yaml": tc.yaml}
			for k, v := range tree {
				files[k] = v
			}
			dir := writeTree(t, files)
			_, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
			if err == nil {
				t.Fatal("LoadConfig succeeded")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestLoadConfigTemplate(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ev.jsonl": tinyEvalset,
		"gens/Qwen2.5-Math-7B/none/step0/seed1.jsonl":     genLine,
		"gens/Qwen2.5-Math-7B/random/step150/seed2.jsonl": genLine,
		"gens/OLMo-2/random/stepX/seed1.jsonl":            genLine, // not a number: not matched
		"eval.yaml": `
evalset: {name: e, path: ev.jsonl}
runs:
  - template: "gens/{model}/{reward}/step{step}/seed{seed}.jsonl"
    family_of: {Qwen2.5-Math-7B: qwen2.5-math}
    baseline: Qwen2.5-Math-7B/none/step0/seed1
`,
	})
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ins := cfg.Inputs()
	if len(ins) != 2 {
		t.Fatalf("inputs = %+v", ins)
	}
	got := ins[1].Fields
	if *got.Model != "Qwen2.5-Math-7B" || *got.Reward != "random" || *got.Step != 150 || *got.Seed != 2 || *got.Family != "qwen2.5-math" {
		t.Fatalf("fields = %s %s %d %d %s", *got.Model, *got.Reward, *got.Step, *got.Seed, *got.Family)
	}
	if ins[1].Baseline != "Qwen2.5-Math-7B/none/step0/seed1" || cfg.Evalset.Path != filepath.Join(dir, "ev.jsonl") {
		t.Fatalf("baseline %q, evalset path %q", ins[1].Baseline, cfg.Evalset.Path)
	}
	if b := baselines(cfg); b["Qwen2.5-Math-7B/random/step150/seed2"] != "Qwen2.5-Math-7B/none/step0/seed1" {
		t.Fatalf("baselines = %v", b)
	}
	if cfg.MaxRejectShare != DefaultMaxRejectShare || cfg.OutputFormat != "parquet" || strings.Join(cfg.Profiles, ",") != "strict" {
		t.Fatalf("defaults: %+v", cfg)
	}
}

func TestLoadConfigOverrides(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"ev.jsonl":     tinyEvalset,
		"gens/x.jsonl": genLine,
		"eval.yaml":    "evalset: {name: e, path: ev.jsonl}\nworkers: 3\nprofiles: [strict]\nmax_reject_share: 0.1\nbaselines: {Model-A/random/step5: Model-A/none/step0}\nruns: [{files: gens/x.jsonl, family: f, model: m, reward: none, step: 0}]\n",
	})
	path := filepath.Join(dir, "eval.yaml")
	t.Setenv("RLVR_EVAL_WORKERS", "5")
	t.Setenv("RLVR_EVAL_PROFILES", "strict,lenient")
	t.Setenv("RLVR_EVAL_OUTPUT_FORMAT", "arrow")
	fs := pflag.NewFlagSet("run", pflag.ContinueOnError)
	fs.Int("workers", 0, "")
	fs.Float64("max-reject-share", 0, "")
	if err := fs.Parse([]string{"--workers", "7", "--max-reject-share", "0.2"}); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path, WithFlag(KeyWorkers, fs.Lookup("workers")), WithFlag(KeyMaxRejectShare, fs.Lookup("max-reject-share")))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Workers != 7 || cfg.MaxRejectShare != 0.2 {
		t.Errorf("flags: workers %d, max_reject_share %v; want 7, 0.2", cfg.Workers, cfg.MaxRejectShare)
	}
	if strings.Join(cfg.Profiles, ",") != "strict,lenient" || cfg.OutputFormat != "arrow" {
		t.Errorf("env: profiles %v, output format %q", cfg.Profiles, cfg.OutputFormat)
	}
	if cfg.Baselines["Model-A/random/step5"] != "Model-A/none/step0" {
		t.Errorf("baselines lost their case: %v", cfg.Baselines)
	}
	cfg, err = LoadConfig(path, WithSet(KeyWorkers, 9))
	if err != nil || cfg.Workers != 9 {
		t.Fatalf("WithSet: %v, workers %d", err, cfg.Workers)
	}
	t.Setenv("RLVR_EVAL_MAX_REJECT_SHARE", "lots")
	_, err = LoadConfig(path)
	var ce *ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), `max_reject_share: expected a number between 0 and 1, found "lots"`) {
		t.Fatalf("err = %v", err)
	}
}

func TestExpandGlob(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"a/x.jsonl": "", "a/b/y.jsonl": "", "a/b/c/z.jsonl": "", "a/b/c/z.txt": "", "top.jsonl": "",
	})
	tests := []struct {
		pattern string
		want    []string
	}{
		{"a/**/*.jsonl", []string{"a/b/c/z.jsonl", "a/b/y.jsonl", "a/x.jsonl"}},
		{"**/z.*", []string{"a/b/c/z.jsonl", "a/b/c/z.txt"}},
		{"a/*/y.jsonl", []string{"a/b/y.jsonl"}},
		{"top.jsonl", []string{"top.jsonl"}},
		{"missing/*.jsonl", nil},
		{"a/b", nil}, // a folder is not a file
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			got, err := expandGlob(filepath.Join(dir, tc.pattern))
			if err != nil {
				t.Fatal(err)
			}
			var rel []string
			for _, g := range got {
				r, _ := filepath.Rel(dir, g)
				rel = append(rel, filepath.ToSlash(r))
			}
			if strings.Join(rel, ",") != strings.Join(tc.want, ",") {
				t.Fatalf("got %v, want %v", rel, tc.want)
			}
		})
	}
	if _, err := expandGlob(filepath.Join(dir, "a/[/*.jsonl")); err == nil {
		t.Fatal("bad pattern accepted")
	}
}

func TestParseTemplate(t *testing.T) {
	tp, err := parseTemplate("/g/{model}/**/step{step}-{reward}.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	f, ok, err := tp.fill("/g/M-1/x/y/step20-ground_truth.jsonl", CheckpointFields{Source: "config runs[0]"})
	if err != nil || !ok || *f.Model != "M-1" || *f.Step != 20 || *f.Reward != "ground_truth" || f.Source != "config runs[0] template" {
		t.Fatalf("fill = %+v %v %v", f, ok, err)
	}
	if _, ok, _ := tp.fill("/g/M-1/stepX-a.jsonl", CheckpointFields{}); ok {
		t.Fatal("matched a non-numeric step")
	}
	for _, bad := range []string{"g/{model/x", "g/x.jsonl", "g/{step}/{step}.jsonl"} {
		if _, err := parseTemplate(bad); err == nil {
			t.Errorf("parseTemplate(%q) succeeded", bad)
		}
	}
}

func ExampleLoadConfig() {
	dir, _ := os.MkdirTemp("", "rlvr-config")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "ev.jsonl"), []byte(tinyEvalset), 0o644)
	for _, p := range []string{"gens/Qwen2.5-Math-7B/none/step0/seed1.jsonl", "gens/Qwen2.5-Math-7B/random/step150/seed1.jsonl"} {
		os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755)
		os.WriteFile(filepath.Join(dir, p), []byte(genLine), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "eval.yaml"), []byte(`
evalset: {name: tiny, path: ev.jsonl}
profiles: [strict, lenient]
runs:
  - template: "gens/{model}/{reward}/step{step}/seed{seed}.jsonl"
    family_of: {Qwen2.5-Math-7B: qwen2.5-math}
`), 0o644)
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"), WithSet(KeyWorkers, 2))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, in := range cfg.Inputs() {
		f := in.Fields
		rel, _ := filepath.Rel(dir, in.Path)
		fmt.Printf("%s: %s %s %s step %d seed %d\n", filepath.ToSlash(rel), *f.Family, *f.Model, *f.Reward, *f.Step, *f.Seed)
	}
	fmt.Println(cfg.Profiles, cfg.Workers, cfg.MaxRejectShare)
	// Output:
	// gens/Qwen2.5-Math-7B/none/step0/seed1.jsonl: qwen2.5-math Qwen2.5-Math-7B none step 0 seed 1
	// gens/Qwen2.5-Math-7B/random/step150/seed1.jsonl: qwen2.5-math Qwen2.5-Math-7B random step 150 seed 1
	// [strict lenient] 2 0.05
}

func FuzzParseTemplate(f *testing.F) {
	for _, s := range []string{"gens/{model}/{reward}/step{step}/seed{seed}.jsonl", "{family}/**/x-{step}.jsonl", "a/{x}", "{", "{step}{seed}", "*?{model}"} {
		f.Add(s, "gens/M/none/step3/seed4.jsonl")
	}
	f.Fuzz(func(t *testing.T, tmpl, path string) {
		tp, err := parseTemplate(tmpl)
		if err != nil {
			return
		}
		fields, ok, err := tp.fill(path, CheckpointFields{})
		if err != nil || !ok {
			return
		}
		if (fields.Step != nil && *fields.Step < 0) || (fields.Seed != nil && *fields.Seed < 0) {
			t.Fatalf("negative number from %q / %q", tmpl, path)
		}
	})
}

func FuzzParseConfig(f *testing.F) {
	f.Add("evalset: {name: e, path: ev.jsonl}\nruns: [{files: a.jsonl, step: 1}]\nbaselines: {A: B}\n")
	f.Add("profiles: strict,lenient\nks: [1, x]\nworkers: '3'\n")
	f.Add("runs:\n  - template: 'g/{model}.jsonl'\n    family_of: {M: f}\n")
	f.Add(":\n- [")
	f.Fuzz(func(t *testing.T, doc string) {
		cfg, err := parseConfig("/tmp/fuzz/eval.yaml", []byte(doc))
		if err == nil && cfg == nil {
			t.Fatal("nil config without error")
		}
	})
}

// A known evalset named without a path uses the copy `rlvr-eval evalset fetch`
// keeps in the evalsets directory.
func TestKnownEvalsetUsesFetchedCopy(t *testing.T) {
	evalDir := t.TempDir()
	t.Setenv("RLVR_EVAL_EVALSETS_DIR", evalDir)
	copyPath := filepath.Join(evalDir, "math500.jsonl")
	if err := os.WriteFile(copyPath, []byte(tinyEvalset), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := writeTree(t, map[string]string{
		"eval.yaml":      "evalset: {name: math500}\nruns: [{files: gens/b/x.jsonl, family: f, model: m, reward: none, step: 0}]\n",
		"gens/b/x.jsonl": genLine,
	})
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Evalset.Path != copyPath {
		t.Errorf("evalset path = %q, want the fetched copy %q", cfg.Evalset.Path, copyPath)
	}
}

// InputFormat, which run and validate share: a runs entry's format wins over
// the top-level one; without either the format is detected from the content.
func TestInputFormat(t *testing.T) {
	dir := writeTree(t, map[string]string{"g.jsonl": genLine, "junk.txt": "not a generation file\n"})
	tests := []struct {
		name          string
		top, entry    string
		file          string
		want          string
		wantDetected  bool
		wantErrSubstr string
	}{
		{name: "entry wins", top: "qwen-eval", entry: "canonical", file: "g.jsonl", want: "canonical"},
		{name: "top-level", top: "canonical", file: "g.jsonl", want: "canonical"},
		{name: "detected", file: "g.jsonl", want: "canonical", wantDetected: true},
		{name: "unknown name", entry: "csv", file: "g.jsonl", wantErrSubstr: `g.jsonl: unknown format "csv"`},
		{name: "undetectable", file: "junk.txt", wantErrSubstr: "junk.txt"},
		{name: "missing file", file: "gone.jsonl", wantErrSubstr: "gone.jsonl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := &Config{Format: tc.top}
			f, detected, err := cfg.InputFormat(Input{Path: filepath.Join(dir, tc.file), Format: tc.entry})
			if tc.wantErrSubstr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErrSubstr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErrSubstr)
				}
				return
			}
			if err != nil || f.Name != tc.want || detected != tc.wantDetected {
				t.Fatalf("got %q detected=%v err=%v, want %q detected=%v", f.Name, detected, err, tc.want, tc.wantDetected)
			}
		})
	}
}
