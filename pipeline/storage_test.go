//go:build !fuzz

package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/shard"
	"github.com/rlvr-eval/rlvr-eval/internal/storage"
	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
	"github.com/rlvr-eval/rlvr-eval/pipeline/runjson"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// TestShardedRunInBucket is issue 12's S3 "done when": the demo corpus's
// generation files in a bucket of a real S3-compatible server on loopback
// (moto_server), matched by URL templates; 4 shards writing their run folder
// and sharing a grading cache in the bucket, then the merge: the tables equal
// a local single run's (small tables byte for byte, samples as rows, their
// source_file the URL without its query). An unsharded run with --out in the
// bucket gives the same tables, and a shard re-run reads its verdicts from
// the bucket's cache.
func TestShardedRunInBucket(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the demo corpus against an S3 server")
	}
	bucket := storage.MustParse(s3test.Bucket(t))
	ctx := context.Background()
	config := demoCorpus(t)
	corpus := filepath.Dir(config)
	single := filepath.Join(t.TempDir(), "single")
	if _, err := Run(ctx, loadCfg(t, config), RunOptions{Out: single, Version: "test"}); err != nil {
		t.Fatal(err)
	}

	st := storage.NewStore()
	defer st.Close()
	err := filepath.WalkDir(filepath.Join(corpus, "gens"), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(corpus, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return st.WriteFile(ctx, bucket.Join("corpus", filepath.ToSlash(rel)), b)
	})
	if err != nil {
		t.Fatal(err)
	}
	evb, err := os.ReadFile(filepath.Join(corpus, "evalset.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	evalset := bucket.Join("evalsets", "demo.jsonl")
	if err := st.WriteFile(ctx, evalset, evb); err != nil {
		t.Fatal(err)
	}
	yaml, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	gens := bucket.Join("corpus", "gens").String()
	base, query, _ := strings.Cut(gens, "?")
	s := strings.ReplaceAll(string(yaml), `template: "gens/`, `template: "`+base+`/`)
	s = strings.ReplaceAll(s, `samples.jsonl"`, `samples.jsonl?`+query+`"`)
	s = strings.ReplaceAll(s, "path: evalset.jsonl", "path: "+strconvQuote(evalset.String()))
	if !strings.Contains(s, base) {
		t.Fatalf("the demo config's templates moved:\n%s", yaml)
	}
	remote := filepath.Join(t.TempDir(), "eval.yaml")
	if err := os.WriteFile(remote, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}

	run := bucket.Join("runs", "sharded")
	cache := bucket.Join("cache").String()
	for i := 0; i < 4; i++ {
		if _, err := Run(ctx, loadCfg(t, remote), RunOptions{Out: run.String(), Cache: cache, Version: "test", Shard: shard.Spec{Index: i, Count: 4}}); err != nil {
			t.Fatalf("shard %d/4: %v", i, err)
		}
	}
	if _, err := Merge(ctx, MergeOptions{Run: run.String(), Version: "test"}); err != nil {
		t.Fatal(err)
	}
	compareBucketRun(t, st, single, run, true)

	// An unsharded run straight into the bucket.
	flat := bucket.Join("runs", "single")
	if _, err := Run(ctx, loadCfg(t, remote), RunOptions{Out: flat.String(), Version: "test"}); err != nil {
		t.Fatal(err)
	}
	compareBucketRun(t, st, single, flat, false)

	// A re-run of shard 0 grades nothing: its verdicts are in the bucket.
	if _, err := Run(ctx, loadCfg(t, remote), RunOptions{Out: run.String(), Cache: cache, Version: "test", Shard: shard.Spec{Index: 0, Count: 4}}); err != nil {
		t.Fatal(err)
	}
	res, err := Merge(ctx, MergeOptions{Run: run.String(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Manifest.FilesCached == 0 || res.Manifest.Cache == nil || res.Manifest.Cache.Dir != bucket.Join("cache").WithoutQuery().String() {
		t.Errorf("after re-running shard 0 with the bucket's cache: files cached %d, cache %+v", res.Manifest.FilesCached, res.Manifest.Cache)
	}
	compareBucketRun(t, st, single, run, true)
	if got := res.Manifest.Evalset; got == nil || got.Path != evalset.WithoutQuery().String() || got.Problems == 0 {
		t.Errorf("run.json evalset %+v: expected its URL without the query", got)
	}
}

func strconvQuote(s string) string { return `"` + s + `"` }

// compareBucketRun downloads the run folder at loc and compares it with the
// local single run.
func compareBucketRun(t *testing.T, st *storage.Store, single string, loc storage.Location, sharded bool) {
	t.Helper()
	ctx := context.Background()
	local := filepath.Join(t.TempDir(), "download")
	es, err := st.List(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range es {
		rel, _ := e.Loc.Rel(loc)
		if err := st.Download(ctx, e.Loc, filepath.Join(local, filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range smallTables {
		a, _ := os.ReadFile(filepath.Join(single, name))
		b, err := os.ReadFile(filepath.Join(local, name))
		if err != nil || len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s in %s: differs from the local run's (%v)", name, loc.WithoutQuery(), err)
		}
	}
	parts := []string{filepath.Join(local, "samples.parquet")}
	if sharded {
		parts, _ = filepath.Glob(filepath.Join(local, "samples", "*", "*", "*.parquet"))
	}
	want := readRows[schemas.Sample](t, filepath.Join(single, "samples.parquet"))
	got := readRows[schemas.Sample](t, parts...)
	prefix := loc.WithKey("corpus").WithoutQuery().String() + "/"
	for i := range got {
		if !strings.HasPrefix(got[i].SourceFile, prefix) || strings.Contains(got[i].SourceFile, "endpoint") {
			t.Fatalf("sample source_file %q: expected the input's URL without its query (%s...)", got[i].SourceFile, prefix)
		}
		got[i].SourceFile = strings.TrimPrefix(got[i].SourceFile, prefix)
	}
	sortedSamples(want)
	sortedSamples(got)
	if len(got) != len(want) {
		t.Fatalf("samples: %d rows in the bucket, %d in the local run", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("samples differ at sorted row %d:\nbucket %+v\nlocal  %+v", i, got[i], want[i])
		}
	}
	m, err := runjson.Read(local)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range m.Inputs {
		if !strings.HasPrefix(in.Path, prefix) || strings.Contains(in.Path, "?") {
			t.Fatalf("run.json input %q: expected the URL without its query", in.Path)
		}
	}
	if m.Records != int64(len(want)) {
		t.Errorf("run.json: %d records, expected %d", m.Records, len(want))
	}
}
