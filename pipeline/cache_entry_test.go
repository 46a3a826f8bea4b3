package pipeline

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

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
	c, err := newGradeCache(t.TempDir(), names, "test")
	if err != nil {
		t.Fatal(err)
	}
	key := c.key("sha", "canonical", map[string]string{"a": "1"})
	w := c.create(key)
	want := make([]schemas.Sample, len(cases))
	jobs := make([]*job, len(cases))
	for i, tc := range cases {
		jobs[i] = &job{rec: &ingest.Record{Response: tc.response, SourceLine: int64(i + 1), ResponseTokens: &tokens, FinishReason: &finish},
			id: &id, problem: "p", gold: grade.PrepareGold(tc.gold), file: "f.jsonl", ord: tc.ord}
		var panicked int
		want[i] = buildSample(jobs[i], profiles, false, &panicked)
		jobs[i].check = recordCheck(tc.response, tc.gold)
		w.add(tc.ord, jobs[i].check, &want[i], i%2)
	}
	c.finishWriter(w, w.commit(), true)
	fc := c.lookupFile("sha", "canonical", map[string]string{"a": "1"})
	if fc.status != CacheHit {
		t.Fatalf("entry status %q", fc.status)
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if v := fc.lookup(tc.ord-1, 0); tc.ord > 0 && v != nil {
				t.Errorf("ordinal %d (a gap) found verdicts", tc.ord-1)
			}
			j := *jobs[i]
			j.cached = fc.lookup(tc.ord, j.check)
			if j.cached == nil {
				t.Fatal("no cached verdicts")
			}
			if j.cached.panics != i%2 {
				t.Errorf("panics %d, want %d", j.cached.panics, i%2)
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
	fc.finish()
	if fc.status != CachePartial || !fc.graded() {
		t.Errorf("after finish: status %q, graded %v; want partial, graded", fc.status, fc.graded())
	}
	if _, err := os.Stat(c.path(key)); !os.IsNotExist(err) {
		t.Errorf("partial entry not removed: %v", err)
	}
	// The same entry under another key, format or option is not found.
	for _, other := range []*fileCache{
		c.lookupFile("sha2", "canonical", map[string]string{"a": "1"}),
		c.lookupFile("sha", "qwen-eval", map[string]string{"a": "1"}),
		c.lookupFile("sha", "canonical", map[string]string{"a": "2"}),
		c.lookupFile("sha", "canonical", nil),
	} {
		if other.status != CacheMiss {
			t.Errorf("another key found status %q", other.status)
		}
	}
}

// TestCacheEntryNilVersusEmpty: an empty extracted answer stays an empty
// answer and a missing one stays missing, in the main verdict and in Alt.
func TestCacheEntryNilVersusEmpty(t *testing.T) {
	c, err := newGradeCache(t.TempDir(), []string{"strict", "lenient", "x"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	empty, text := "", "x = 1"
	in := []schemas.Sample{
		{Correct: true, Extracted: &empty, ExtractMethod: "boxed", Reason: "text",
			Alt: []schemas.AltVerdict{{Profile: "lenient", ExtractMethod: "none", Reason: "no_answer"}, {Profile: "x", Correct: true, Extracted: &text, ExtractMethod: "", Reason: ""}}},
		{ExtractMethod: "none", Reason: "no_answer",
			Alt: []schemas.AltVerdict{{Profile: "lenient", Extracted: &empty, ExtractMethod: "last_number", Reason: "mismatch"}, {Profile: "x", Extracted: &text}}},
	}
	key := c.key("sha", "f", nil)
	w := c.create(key)
	for i := range in {
		w.add(int64(i), uint64(i), &in[i], 0)
	}
	c.finishWriter(w, w.commit(), true)
	fc := c.lookupFile("sha", "f", nil)
	for i, s := range in {
		cv := fc.lookup(int64(i), uint64(i))
		if cv == nil {
			t.Fatalf("record %d not found", i)
		}
		want := []grade.Verdict{{Correct: s.Correct, HasAnswer: s.Extracted != nil, ExtractMethod: s.ExtractMethod, Reason: s.Reason}}
		if s.Extracted != nil {
			want[0].Extracted = *s.Extracted
		}
		for _, a := range s.Alt {
			v := grade.Verdict{Correct: a.Correct, HasAnswer: a.Extracted != nil, ExtractMethod: a.ExtractMethod, Reason: a.Reason}
			if a.Extracted != nil {
				v.Extracted = *a.Extracted
			}
			want = append(want, v)
		}
		if !reflect.DeepEqual(cv.v, want) {
			t.Errorf("record %d: %+v, want %+v", i, cv.v, want)
		}
	}
	fc.finish()
	if fc.status != CacheHit || fc.graded() {
		t.Errorf("status %q, graded %v", fc.status, fc.graded())
	}
}

// TestCacheKeyFields: every part of the key changes it; option order does not.
func TestCacheKeyFields(t *testing.T) {
	base := func(profiles []string, ev string) *gradeCache {
		c, err := newGradeCache(t.TempDir(), profiles, ev)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := base([]string{"strict"}, "evalset/abc")
	k := c.key("f", "canonical", map[string]string{"x": "1", "y": "2"})
	if k != c.key("f", "canonical", map[string]string{"y": "2", "x": "1"}) {
		t.Error("option order changed the key")
	}
	others := map[string][32]byte{
		"file":       c.key("g", "canonical", map[string]string{"x": "1", "y": "2"}),
		"format":     c.key("f", "jsonl", map[string]string{"x": "1", "y": "2"}),
		"option":     c.key("f", "canonical", map[string]string{"x": "1", "y": "3"}),
		"option key": c.key("f", "canonical", map[string]string{"x": "1", "z": "2"}),
		"ambiguity":  c.key("f", "canonical", map[string]string{"x": "1y", "": "2"}),
		"profiles":   base([]string{"strict", "lenient"}, "evalset/abc").key("f", "canonical", map[string]string{"x": "1", "y": "2"}),
		"evalset":    base([]string{"strict"}, "evalset/abd").key("f", "canonical", map[string]string{"x": "1", "y": "2"}),
	}
	old := cacheGraderVersion
	cacheGraderVersion = "0.0.0-test"
	others["grader"] = base([]string{"strict"}, "evalset/abc").key("f", "canonical", map[string]string{"x": "1", "y": "2"})
	cacheGraderVersion = old
	for name, o := range others {
		if o == k {
			t.Errorf("a different %s gives the same key", name)
		}
	}
}

// entryBytes returns a valid entry holding n records under nprof profiles.
func entryBytes(t testing.TB, key [32]byte, nprof, n int) []byte {
	dir := t.TempDir()
	names := make([]string, nprof)
	for i := range names {
		names[i] = "strict"
	}
	c, err := newGradeCache(dir, names, "x")
	if err != nil {
		t.Fatal(err)
	}
	w := c.create(key)
	ex := "42"
	for i := 0; i < n; i++ {
		s := schemas.Sample{Correct: i%3 == 0, ExtractMethod: "boxed", Reason: "numeric", Extracted: &ex}
		for k := 1; k < nprof; k++ {
			s.Alt = append(s.Alt, schemas.AltVerdict{Profile: "strict", ExtractMethod: "none", Reason: "no_answer"})
		}
		w.add(int64(2*i), uint64(i)*0x9e3779b97f4a7c15, &s, 0)
	}
	if err := w.commit(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(w.path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzCacheEntry: no entry content, raw or with a valid CRC around a fuzzed
// body, makes the decoder panic, loop or return a record of the wrong shape.
func FuzzCacheEntry(f *testing.F) {
	var key [32]byte
	copy(key[:], "fuzz-key-fuzz-key-fuzz-key-fuzz!")
	valid := entryBytes(f, key, 2, 3)
	body := valid[len(cacheMagic)+32+1 : len(valid)-cacheTrailLen]
	f.Add(valid, uint64(0), true)
	f.Add(valid[:len(valid)-5], uint64(0), true)
	f.Add(body, uint64(3), false)
	f.Add(body, uint64(2), false)
	f.Add(body[:len(body)/2], uint64(1), false)
	f.Add([]byte{0x80, 0x80, 0x80}, uint64(1), false)
	f.Add([]byte{}, uint64(0), false)
	f.Fuzz(func(t *testing.T, data []byte, count uint64, raw bool) {
		file := data
		if !raw {
			var b bytes.Buffer
			b.WriteString(cacheMagic)
			b.Write(key[:])
			b.WriteByte(2)
			b.Write(data)
			binary.Write(&b, binary.LittleEndian, count)
			binary.Write(&b, binary.LittleEndian, crc32.Checksum(b.Bytes(), crcTable))
			b.WriteString(cacheTrailMagic)
			file = b.Bytes()
		}
		p := filepath.Join(t.TempDir(), "e")
		if err := os.WriteFile(p, file, 0o644); err != nil {
			t.Fatal(err)
		}
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		defer fh.Close()
		r, err := openEntry(fh, key, 2)
		if err != nil {
			return
		}
		last := int64(-1)
		for i := 0; i <= len(file); i++ {
			rec, err := r.next()
			if err != nil {
				if err != io.EOF && err != errCorruptEntry {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			if len(rec.verdicts.v) != 2 || rec.ord <= last {
				t.Fatalf("record %+v after ordinal %d", rec, last)
			}
			last = rec.ord
		}
		t.Fatal("the decoder returned more records than the entry has bytes")
	})
}

// BenchmarkCacheEntryRead decodes an entry of 10,000 records (two profiles),
// the per-file cost of a warm run besides reading the file itself.
func BenchmarkCacheEntryRead(b *testing.B) {
	var key [32]byte
	data := entryBytes(b, key, 2, 10000)
	p := filepath.Join(b.TempDir(), "e")
	os.WriteFile(p, data, 0o644)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		r, err := openEntry(f, key, 2)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			if _, err := r.next(); err != nil {
				break
			}
			n++
		}
		f.Close()
		if n != 10000 {
			b.Fatalf("%d records", n)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "records/s")
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
