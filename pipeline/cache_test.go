package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// cacheRun runs the config of dir into a fresh folder, with the grading cache
// in cache ("" for none), and returns the output folder and its manifest.
func cacheRun(t *testing.T, dir, cache string, opts ...LoadOption) (string, *Manifest) {
	t.Helper()
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	res, err := Run(context.Background(), cfg, RunOptions{Out: out, Version: "test", Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	return out, res.Manifest
}

// sameTables fails unless every table file (Parquet and Arrow) of a and b is
// byte-identical.
func sameTables(t *testing.T, a, b string) {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(a, "*.*"))
	n := 0
	for _, p := range names {
		base := filepath.Base(p)
		if base == ManifestFile {
			continue
		}
		n++
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, base))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between %s and %s (%v)", base, a, b, err)
		}
	}
	if n < 6 {
		t.Fatalf("only %d table files in %s", n, a)
	}
}

// cacheStatuses maps each input of a manifest to its cache status.
func cacheStatuses(m *Manifest) map[string]string {
	out := map[string]string{}
	for _, in := range m.Inputs {
		out[in.Path] = in.Cache
	}
	return out
}

func wantCounts(t *testing.T, m *Manifest, graded, cached int) {
	t.Helper()
	if m.FilesGraded != graded || m.FilesCached != cached {
		t.Errorf("files graded %d, cached %d; want %d, %d (inputs: %v)", m.FilesGraded, m.FilesCached, graded, cached, cacheStatuses(m))
	}
	if m.Cache == nil {
		t.Fatal("run.json has no cache section")
	}
	total := m.Tables[schemas.TableSamples]
	if m.Cache.SamplesGraded+m.Cache.SamplesCached != total {
		t.Errorf("samples graded %d + cached %d != %d samples", m.Cache.SamplesGraded, m.Cache.SamplesCached, total)
	}
}

func entries(t *testing.T, cache string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(cache, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	sort.Strings(out)
	return out
}

// TestCacheHitMissAndIdenticalTables: a cold run writes one entry per file, a
// warm run grades nothing, and both give the tables of an uncached run, byte
// for byte, under two profiles and both output formats.
func TestCacheHitMissAndIdenticalTables(t *testing.T) {
	dir := corpusTree(t, 3, 4)
	cache := filepath.Join(t.TempDir(), "cache")
	opts := []LoadOption{WithSet(KeyOutputFormat, "both"), WithSet(KeyProfiles, "strict,lenient")}
	plain, pm := cacheRun(t, dir, "", opts...)
	if pm.Cache != nil || pm.FilesGraded != 3 || pm.FilesCached != 0 {
		t.Errorf("uncached run: cache %+v, graded %d, cached %d", pm.Cache, pm.FilesGraded, pm.FilesCached)
	}
	cold, cm := cacheRun(t, dir, cache, opts...)
	wantCounts(t, cm, 3, 0)
	if cm.Cache.EntriesWritten != 3 || cm.Cache.SamplesCached != 0 {
		t.Errorf("cold run: %+v", cm.Cache)
	}
	for p, st := range cacheStatuses(cm) {
		if st != CacheMiss {
			t.Errorf("cold run: %s is %q, want miss", p, st)
		}
	}
	if n := len(entries(t, cache)); n != 3 {
		t.Errorf("%d files in the cache, want 3 entries", n)
	}
	warm, wm := cacheRun(t, dir, cache, opts...)
	wantCounts(t, wm, 0, 3)
	if wm.Cache.SamplesGraded != 0 || wm.Cache.EntriesWritten != 0 {
		t.Errorf("warm run: %+v", wm.Cache)
	}
	sameTables(t, plain, cold)
	sameTables(t, plain, warm)
}

// TestCacheChangedFileRegraded: one changed file is graded again, the others
// come from the cache, and the tables are those of an uncached run.
func TestCacheChangedFileRegraded(t *testing.T) {
	dir := corpusTree(t, 3, 4)
	cache := filepath.Join(t.TempDir(), "cache")
	cacheRun(t, dir, cache)
	changed := filepath.Join(dir, "gens/M/random/step10.jsonl")
	b, err := os.ReadFile(changed)
	if err != nil {
		t.Fatal(err)
	}
	// A different answer on the first line: one verdict changes.
	b = bytes.Replace(b, []byte(`\\boxed{0}`), []byte(`\\boxed{7}`), 1)
	if err := os.WriteFile(changed, b, 0o644); err != nil {
		t.Fatal(err)
	}
	warm, m := cacheRun(t, dir, cache)
	wantCounts(t, m, 1, 2)
	if st := cacheStatuses(m)["gens/M/random/step10.jsonl"]; st != CacheMiss {
		t.Errorf("changed file: cache status %q, want miss", st)
	}
	if m.Cache.SamplesGraded != 80 {
		t.Errorf("%d samples graded, want the changed file's 80", m.Cache.SamplesGraded)
	}
	plain, _ := cacheRun(t, dir, "")
	sameTables(t, plain, warm)
}

// TestCacheInvalidation: a grader upgrade, a changed evalset and a changed
// profile list each invalidate every entry; no_text, which the cached
// verdicts do not depend on, does not.
func TestCacheInvalidation(t *testing.T) {
	dir := corpusTree(t, 2, 3)
	cache := filepath.Join(t.TempDir(), "cache")
	cacheRun(t, dir, cache)

	t.Run("grader version", func(t *testing.T) {
		cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Run(context.Background(), cfg, RunOptions{Out: filepath.Join(t.TempDir(), "out"), Version: "test", Cache: cache,
			cacheGraderVersion: grade.Version + "+next"})
		if err != nil {
			t.Fatal(err)
		}
		m := res.Manifest
		wantCounts(t, m, 2, 0)
	})
	t.Run("profiles", func(t *testing.T) {
		_, m := cacheRun(t, dir, cache, WithSet(KeyProfiles, "strict,lenient"))
		wantCounts(t, m, 2, 0)
		_, m = cacheRun(t, dir, cache, WithSet(KeyProfiles, "lenient,strict"))
		wantCounts(t, m, 2, 0)
	})
	t.Run("no_text keeps the entries", func(t *testing.T) {
		warm, m := cacheRun(t, dir, cache, WithSet(KeyNoText, true))
		wantCounts(t, m, 0, 2)
		plain, _ := cacheRun(t, dir, "", WithSet(KeyNoText, true))
		sameTables(t, plain, warm)
	})
	t.Run("evalset", func(t *testing.T) {
		ev := filepath.Join(dir, "ev.jsonl")
		b, err := os.ReadFile(ev)
		if err != nil {
			t.Fatal(err)
		}
		// Problem q/1's gold becomes 3: every verdict on it changes.
		b = bytes.Replace(b, []byte(`"answer": "2"`), []byte(`"answer": "3"`), 1)
		if err := os.WriteFile(ev, b, 0o644); err != nil {
			t.Fatal(err)
		}
		warm, m := cacheRun(t, dir, cache)
		wantCounts(t, m, 2, 0)
		plain, _ := cacheRun(t, dir, "")
		sameTables(t, plain, warm)
	})
}

// TestCacheCorruptEntries: a truncated, a bit-flipped and an emptied entry are
// detected, their files regraded and the entries rewritten; the tables stay
// those of an uncached run.
func TestCacheCorruptEntries(t *testing.T) {
	// Four checkpoints, three distinct files: the first and the last have the
	// same content, hence the same entry.
	dir := corpusTree(t, 4, 3)
	cache := filepath.Join(t.TempDir(), "cache")
	cacheRun(t, dir, cache, WithSet(KeyProfiles, "strict,lenient"))
	es := entries(t, cache)
	if len(es) != 3 {
		t.Fatalf("%d entries, want 3", len(es))
	}
	damage := []struct {
		name string
		do   func([]byte) []byte
	}{
		{"truncated", func(b []byte) []byte { return b[:len(b)*2/3] }},
		{"bit flipped", func(b []byte) []byte { b[len(b)/2] ^= 0x10; return b }},
		{"empty", func([]byte) []byte { return nil }},
	}
	// Damage the two single-file entries and the shared one, in turn.
	for i, d := range damage {
		b, err := os.ReadFile(es[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(es[i], d.do(b), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	warm, m := cacheRun(t, dir, cache, WithSet(KeyProfiles, "strict,lenient"))
	// The two files sharing an entry: the first finds it invalid and writes
	// it anew; the second, read concurrently, may find the old or the new one.
	if m.FilesGraded < 3 || m.FilesGraded+m.FilesCached != 4 {
		t.Errorf("files graded %d, cached %d; want 3 or 4 graded of 4: %v", m.FilesGraded, m.FilesCached, cacheStatuses(m))
	}
	if m.Cache.EntriesInvalid < 3 || m.Cache.EntriesWritten < 3 {
		t.Errorf("invalid %d, written %d; want at least 3 each", m.Cache.EntriesInvalid, m.Cache.EntriesWritten)
	}
	for p, st := range cacheStatuses(m) {
		if st == CacheHit && p != "gens/M/random/step30.jsonl" {
			t.Errorf("%s: a hit on a damaged entry", p)
		}
	}
	plain, _ := cacheRun(t, dir, "", WithSet(KeyProfiles, "strict,lenient"))
	sameTables(t, plain, warm)
	_, m = cacheRun(t, dir, cache, WithSet(KeyProfiles, "strict,lenient"))
	wantCounts(t, m, 0, 4)
	if m.Cache.EntriesWritten != 0 {
		t.Errorf("a warm run wrote %d entries", m.Cache.EntriesWritten)
	}
}

// TestCacheCrossFileState: verdicts are cached, never a file's place in the
// run. File B repeats a sample of file A (a duplicate reject in B); once A is
// gone the record is B's sample, graded although B did not change, and the
// tables are those of an uncached run.
func TestCacheCrossFileState(t *testing.T) {
	line := func(p, i int, ans string) string {
		return fmt.Sprintf(`{"problem_id": "p/%d", "response": "so \\boxed{%s}", "sample_idx": %d}`, p, ans, i) + "\n"
	}
	dir := writeTree(t, map[string]string{
		"ev.jsonl":     tinyEvalset,
		"gens/a.jsonl": line(1, 0, "2") + line(2, 0, "4"),
		"gens/b.jsonl": line(1, 0, "3") + line(1, 1, "2") + line(2, 1, "5"),
		"eval.yaml":    "evalset: {name: tiny, path: ev.jsonl}\nmax_reject_share: 1\nruns:\n  - files: [\"gens/*.jsonl\"]\n    family: f\n    model: M\n    reward: none\n    step: 0\n",
	})
	cache := filepath.Join(t.TempDir(), "cache")
	_, m := cacheRun(t, dir, cache)
	if m.Rejects != 1 {
		t.Fatalf("%d rejects, want b's duplicate of a's sample", m.Rejects)
	}
	if err := os.Remove(filepath.Join(dir, "gens/a.jsonl")); err != nil {
		t.Fatal(err)
	}
	warm, m := cacheRun(t, dir, cache)
	if m.Rejects != 0 || m.Tables[schemas.TableSamples] != 3 {
		t.Fatalf("rejects %d, samples %d; want 0, 3", m.Rejects, m.Tables[schemas.TableSamples])
	}
	wantCounts(t, m, 1, 0)
	if st := cacheStatuses(m)["gens/b.jsonl"]; st != CachePartial || m.Cache.SamplesCached != 2 || m.Cache.SamplesGraded != 1 {
		t.Errorf("b: status %q, %+v; want partial with 2 cached, 1 graded", st, m.Cache)
	}
	plain, _ := cacheRun(t, dir, "")
	sameTables(t, plain, warm)
	// The partial entry was dropped; the next run writes a whole one, and the
	// run after it grades nothing.
	_, m = cacheRun(t, dir, cache)
	wantCounts(t, m, 1, 0)
	_, m = cacheRun(t, dir, cache)
	wantCounts(t, m, 0, 1)
}

// TestCacheConcurrentRuns: runs sharing one cache folder at the same time
// leave whole entries and no temp files, and give identical tables.
func TestCacheConcurrentRuns(t *testing.T) {
	dir := corpusTree(t, 3, 4)
	cache := filepath.Join(t.TempDir(), "cache")
	cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	const runs = 4
	outs := make([]string, runs)
	errs := make([]error, runs)
	var wg sync.WaitGroup
	for i := range outs {
		outs[i] = filepath.Join(t.TempDir(), "out")
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = Run(context.Background(), cfg, RunOptions{Out: outs[i], Cache: cache})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("run %d: %v", i, err)
		}
	}
	for _, e := range entries(t, cache) {
		if strings.Contains(filepath.Base(e), ".tmp-") {
			t.Errorf("temp file left in the cache: %s", e)
		}
	}
	if n := len(entries(t, cache)); n != 3 {
		t.Errorf("%d files in the cache, want 3", n)
	}
	for _, o := range outs[1:] {
		sameTables(t, outs[0], o)
	}
	warm, m := cacheRun(t, dir, cache)
	wantCounts(t, m, 0, 3)
	sameTables(t, outs[0], warm)
}

// TestCacheCancelledRun: a run cancelled while grading leaves no temp file in
// the cache, and whatever entries it committed are whole: the next run's
// tables are those of an uncached run.
func TestCacheCancelledRun(t *testing.T) {
	dir := corpusTree(t, 4, 16)
	cache := filepath.Join(t.TempDir(), "cache")
	for _, stage := range []string{StageRead, StageGrade} {
		cfg, err := LoadConfig(filepath.Join(dir, "eval.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		log := slog.New(cancelOnStage{Handler: slog.DiscardHandler, stage: stage, cancel: cancel})
		_, err = Run(ctx, cfg, RunOptions{Out: filepath.Join(t.TempDir(), "out"), Logger: log, BatchSize: 8, Cache: cache})
		cancel()
		if err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("cancelled at %s: %v", stage, err)
		}
		for _, e := range entries(t, cache) {
			if strings.Contains(filepath.Base(e), ".tmp-") {
				t.Errorf("cancelled at %s: temp file left in the cache: %s", stage, e)
			}
		}
	}
	warm, m := cacheRun(t, dir, cache)
	if m.Cache.EntriesInvalid != 0 {
		t.Errorf("%d invalid or partial entries after cancelled runs: %v", m.Cache.EntriesInvalid, cacheStatuses(m))
	}
	plain, _ := cacheRun(t, dir, "")
	sameTables(t, plain, warm)
}
