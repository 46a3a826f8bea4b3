package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/rlvr-eval/rlvr-eval/pipeline"
	"github.com/rlvr-eval/rlvr-eval/pipeline/demo"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/leaderboard"
)

// TestNightlyLeaderboard plays two nights of the nightly job on the demo
// corpus, as scripts/nightly.sh runs it: night one lacks one checkpoint; night
// two has it, runs with the cache warm and grades only that checkpoint's file.
// The second night's tables are byte-identical to an uncached run's, and the
// site built from both nights lists the checkpoint as new.
func TestNightlyLeaderboard(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pipeline three times on the demo corpus")
	}
	tmp := t.TempDir()
	corpus, err := demo.Generate(filepath.Join(tmp, "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	// The checkpoint that arrives on night two: the last trained one.
	held := corpus.Checkpoints[len(corpus.Checkpoints)-1]
	heldID := schemas.CheckpointID(held.Model, held.Reward, held.Step, nil)
	heldPath := filepath.Join(corpus.Dir, filepath.FromSlash(held.File))
	aside := filepath.Join(tmp, "held.jsonl")
	if err := os.Rename(heldPath, aside); err != nil {
		t.Fatal(err)
	}
	history := filepath.Join(tmp, "history")
	cache := filepath.Join(tmp, "cache")
	night := func(date string) *pipeline.Manifest {
		t.Helper()
		out := filepath.Join(history, date)
		if stdout, err := execute(t, "run", "--config", corpus.Config, "--out", out, "--cache", cache); err != nil {
			t.Fatalf("night %s: %v\n%s", date, err, stdout)
		}
		m, err := pipeline.ReadManifest(out)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}

	m1 := night("2025-01-01")
	n := len(corpus.Checkpoints)
	if m1.FilesGraded != n-1 || m1.FilesCached != 0 {
		t.Errorf("night one: %d files graded, %d cached; want %d, 0", m1.FilesGraded, m1.FilesCached, n-1)
	}

	if err := os.Rename(aside, heldPath); err != nil {
		t.Fatal(err)
	}
	m2 := night("2025-01-02")
	if m2.FilesGraded != 1 || m2.FilesCached != n-1 {
		t.Errorf("night two: %d files graded, %d cached; want 1, %d", m2.FilesGraded, m2.FilesCached, n-1)
	}
	if m2.Cache == nil || m2.Cache.SamplesGraded != int64(held.Samples) || m2.Cache.SamplesCached != int64(corpus.Samples()-held.Samples) {
		t.Errorf("night two cache: %+v; want %d samples graded", m2.Cache, held.Samples)
	}
	for _, in := range m2.Inputs {
		want := pipeline.CacheHit
		if strings.HasSuffix(in.Path, held.File) {
			want = pipeline.CacheMiss
		}
		if in.Cache != want {
			t.Errorf("night two: %s has cache status %q, want %q", in.Path, in.Cache, want)
		}
	}

	// The warm night's tables are those of a run without any cache.
	cold := filepath.Join(tmp, "cold")
	if _, err := execute(t, "run", "--config", corpus.Config, "--out", cold); err != nil {
		t.Fatal(err)
	}
	for _, name := range demoTables {
		a, err := os.ReadFile(filepath.Join(cold, name+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(history, "2025-01-02", name+".parquet"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s.parquet of the warm run differs from the uncached run's", name)
		}
	}

	site := filepath.Join(tmp, "site")
	stdout, err := execute(t, "leaderboard", "--history", history, "--out", site)
	if err != nil {
		t.Fatalf("leaderboard: %v", err)
	}
	if !strings.Contains(stdout, "run 2025-01-02, ") || !strings.Contains(stdout, " 1 new,") {
		t.Errorf("leaderboard summary: %q", stdout)
	}
	rows, err := parquet.ReadFile[leaderboard.TableRow](filepath.Join(site, "leaderboard.parquet"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != n {
		t.Errorf("%d leaderboard rows, want one per checkpoint (%d)", len(rows), n)
	}
	for _, r := range rows {
		if r.Run != "2025-01-02" {
			t.Errorf("row %s from run %q, want the latest", r.Checkpoint, r.Run)
		}
		if r.IsNew != (r.Checkpoint == heldID) {
			t.Errorf("row %s: is_new %v", r.Checkpoint, r.IsNew)
		}
	}
	html, err := os.ReadFile(filepath.Join(site, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	newTable := regexp.MustCompile(`(?s)<table id="new-checkpoints">.*?</table>`).Find(html)
	if newTable == nil {
		t.Fatal("index.html has no new-checkpoints table")
	}
	if got := bytes.Count(newTable, []byte("<tr>")); got != 2 { // header + one checkpoint
		t.Errorf("new-checkpoints table has %d rows, want the header and one checkpoint:\n%s", got, newTable)
	}
	if !bytes.Contains(newTable, []byte(heldID)) {
		t.Errorf("new-checkpoints table lacks %s:\n%s", heldID, newTable)
	}
	for _, want := range []string{"Run 2025-01-02 compared with 2025-01-01", held.Family, "<svg"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}

// TestDemoWritesSite: `rlvr-eval demo` publishes its run as a one-night
// history and writes the site; a second run takes every verdict from the
// cache and writes the same site, byte for byte.
func TestDemoWritesSite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo twice")
	}
	out := filepath.Join(t.TempDir(), "demo")
	read := func() (map[string][]byte, *pipeline.Manifest) {
		t.Helper()
		stdout, err := execute(t, "demo", "--out", out)
		if err != nil {
			t.Fatalf("demo: %v\n%s", err, stdout)
		}
		index := filepath.Join(out, "site", "index.html")
		if !strings.Contains(stdout, "Leaderboard site written to "+index) {
			t.Errorf("demo output does not name the site %s:\n%s", index, stdout)
		}
		files := map[string][]byte{}
		for _, name := range []string{"index.html", "leaderboard.parquet", "leaderboard.json"} {
			b, err := os.ReadFile(filepath.Join(out, "site", name))
			if err != nil {
				t.Fatal(err)
			}
			files[name] = b
		}
		m, err := pipeline.ReadManifest(filepath.Join(out, "history", DemoRunDate))
		if err != nil {
			t.Fatal(err)
		}
		return files, m
	}
	first, m1 := read()
	second, m2 := read()
	if m1.FilesCached != 0 || m1.FilesGraded == 0 || m2.FilesGraded != 0 || m2.FilesCached != m1.FilesGraded {
		t.Errorf("cold run %d graded, %d cached; warm run %d graded, %d cached", m1.FilesGraded, m1.FilesCached, m2.FilesGraded, m2.FilesCached)
	}
	for name, b := range first {
		if !bytes.Equal(b, second[name]) {
			t.Errorf("site %s differs between a cold and a warm demo run", name)
		}
	}
	html := string(first["index.html"])
	for _, want := range []string{"SYNTHETIC", "qwen2.5-math", "llama3.1", "olmo2", "<svg", "Run " + DemoRunDate + " is the first usable run"} {
		if !strings.Contains(html, want) {
			t.Errorf("index.html lacks %q", want)
		}
	}
}
