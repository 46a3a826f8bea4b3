package pipeline

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/rlvr-eval/rlvr-eval/pipeline/gradecache"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// TestCacheEntryRoundTrip: a sample rebuilt from cached verdicts equals the
// sample graded from scratch, column for column, under three profiles: no
// answer (nil extracted), an empty extracted answer, non-ASCII answers,
// correct and incorrect verdicts, and gaps in the ordinals (records that were
// rejects).
func TestCacheEntryRoundTrip(t *testing.T) {
	profiles := []grade.Profile{grade.Strict, grade.Lenient, grade.Strict}
	names := []string{"strict", "lenient", "strict"}
	id := schemas.Identity{Family: "f", Model: "M", Reward: "none", Evalset: "e"}.WithCheckpoint()
	tokens, finish := int64(12), "length"
	cases := []struct {
		name, response, gold string
		ord                  int64
	}{
		{"boxed correct", `so \boxed{\frac12}`, `\frac{1}{2}`, 0},
		{"no answer", "I do not know.", "3", 2},
		{"empty box", `the answer is \boxed{}`, "3", 3},
		{"non-ASCII", `donc \boxed{π/2} ≈ 1.57`, `\frac{\pi}{2}`, 7},
		{"wrong", "The answer is 5.", "4", 8},
		{"text gold", `\boxed{\text{(B)}}`, "B", 1 << 40},
	}
	dir := t.TempDir()
	c, err := gradecache.Open(dir, gradecache.Run{GraderVersion: grade.Version, Profiles: names, Evalset: "test"})
	if err != nil {
		t.Fatal(err)
	}
	w := c.File("sha", "canonical", map[string]string{"a": "1"})
	if w.Status() != CacheMiss || !w.Writes() {
		t.Fatalf("new entry: status %q, writes %v", w.Status(), w.Writes())
	}
	want := make([]schemas.Sample, len(cases))
	jobs := make([]*task, len(cases))
	for i, tc := range cases {
		jobs[i] = &task{rec: &ingest.Record{Response: tc.response, SourceLine: int64(i + 1), ResponseTokens: &tokens, FinishReason: &finish},
			id: &id, problem: "p", gold: grade.PrepareGold(tc.gold), file: "f.jsonl", ord: tc.ord}
		var panicked int
		want[i] = buildSample(jobs[i], profiles, false, &panicked)
		jobs[i].check = gradecache.Check(tc.response, tc.gold)
		w.Add(tc.ord, jobs[i].check, &want[i], i%2)
	}
	w.Finish()
	w.Commit(false)
	if st := c.Stats(); st.Written != 1 {
		t.Fatalf("entries written %d, want 1 (%v)", st.Written, st.LastErr)
	}
	fc := c.File("sha", "canonical", map[string]string{"a": "1"})
	if fc.Status() != CacheHit {
		t.Fatalf("entry status %q", fc.Status())
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if v := fc.Lookup(tc.ord-1, 0); tc.ord > 0 && v != nil {
				t.Errorf("ordinal %d (a gap) found verdicts", tc.ord-1)
			}
			j := *jobs[i]
			j.cached = fc.Lookup(tc.ord, j.check)
			if j.cached == nil {
				t.Fatal("no cached verdicts")
			}
			if j.cached.Panics != i%2 {
				t.Errorf("panics %d, want %d", j.cached.Panics, i%2)
			}
			var panicked int
			got := buildSample(&j, profiles, false, &panicked)
			if !reflect.DeepEqual(got, want[i]) {
				t.Errorf("cached sample\n%+v\nwant\n%+v", got, want[i])
			}
			if (got.Extracted == nil) != (want[i].Extracted == nil) {
				t.Errorf("extracted nil %v, want %v", got.Extracted == nil, want[i].Extracted == nil)
			}
			if panicked != i%2 {
				t.Errorf("panics counted %d, want %d", panicked, i%2)
			}
		})
	}
	// The gaps asked for were misses: the entry proved partial and is removed,
	// so that the next run writes a whole one.
	fc.Finish()
	if fc.Status() != CachePartial || !fc.Graded() {
		t.Errorf("after finish: status %q, graded %v; want partial, graded", fc.Status(), fc.Graded())
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*", "*.grades")); len(left) != 0 {
		t.Errorf("partial entry not removed: %v", left)
	}
	// The same entry under another key, format or option is not found.
	for _, other := range []*gradecache.File{
		c.File("sha2", "canonical", map[string]string{"a": "1"}),
		c.File("sha", "qwen-eval", map[string]string{"a": "1"}),
		c.File("sha", "canonical", map[string]string{"a": "2"}),
		c.File("sha", "canonical", nil),
	} {
		if other.Status() != CacheMiss {
			t.Errorf("another key found status %q", other.Status())
		}
	}
}

// BenchmarkPipelineWarmCache is BenchmarkPipeline with every verdict in the
// grading cache: the nightly case where nothing changed.
func BenchmarkPipelineWarmCache(b *testing.B) {
	path, n := benchCorpus(b, 4, 8)
	cfg, err := LoadConfig(path)
	if err != nil {
		b.Fatal(err)
	}
	out, cache := b.TempDir(), b.TempDir()
	if _, err := Run(context.Background(), cfg, RunOptions{Out: out, Cache: cache}); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start, cpu0 := time.Now(), cpuTime()
	for i := 0; i < b.N; i++ {
		res, err := Run(context.Background(), cfg, RunOptions{Out: out, Cache: cache})
		if err != nil {
			b.Fatal(err)
		}
		if res.Manifest.FilesGraded != 0 {
			b.Fatalf("%d files graded on a warm cache", res.Manifest.FilesGraded)
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "responses/s")
	b.ReportMetric(float64(n*b.N)/(cpuTime()-cpu0).Seconds(), "responses/cpu-s")
}

// ExampleRunOptions_cache runs the same config twice with a grading cache: the
// second run grades nothing and writes the same tables.
func ExampleRunOptions_cache() {
	dir, _ := os.MkdirTemp("", "rlvr-example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "ev.jsonl"), []byte(tinyEvalset), 0o644)
	os.MkdirAll(filepath.Join(dir, "gens", "none"), 0o755)
	os.MkdirAll(filepath.Join(dir, "gens", "random"), 0o755)
	os.WriteFile(filepath.Join(dir, "gens/none/step0.jsonl"), []byte(`{"problem_id": "p/1", "responses": ["\\boxed{2}", "\\boxed{3}"]}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "gens/random/step10.jsonl"), []byte(`{"problem_id": "p/1", "responses": ["\\boxed{2}", "\\boxed{2}"]}`+"\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "eval.yaml"), []byte(`
evalset: {name: tiny, path: ev.jsonl}
min_coverage: 0.5 # the files answer p/1 only
runs:
  - template: "gens/{reward}/step{step}.jsonl"
    family: demo
    model: Demo-1B
`), 0o644)
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
	if err != nil {
		fmt.Println(err)
		return
	}
	cache := filepath.Join(dir, "cache")
	for _, night := range []string{"night1", "night2"} {
		res, err := Run(context.Background(), cfg, RunOptions{Out: filepath.Join(dir, night), Cache: cache})
		if err != nil {
			fmt.Println(err)
			return
		}
		m := res.Manifest
		fmt.Printf("%s: %d files graded, %d from the cache, %d samples\n", night, m.FilesGraded, m.FilesCached, res.Samples)
	}
	a, _ := os.ReadFile(filepath.Join(dir, "night1", "samples.parquet"))
	b, _ := os.ReadFile(filepath.Join(dir, "night2", "samples.parquet"))
	fmt.Println("same samples table:", bytes.Equal(a, b))
	// Output:
	// night1: 2 files graded, 0 from the cache, 4 samples
	// night2: 0 files graded, 2 from the cache, 4 samples
	// same samples table: true
}
