package leaderboard

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/storage"
	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
)

// uploadTree copies every file below dir to loc (same relative keys).
func uploadTree(t *testing.T, st *storage.Store, dir string, loc storage.Location) {
	t.Helper()
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		return st.WriteFile(context.Background(), loc.Join(filepath.ToSlash(rel)), data)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// localSite builds the site from the synthetic history on local paths: the
// reference every URL combination must reproduce byte for byte.
func localSite(t *testing.T) (history string, site map[string][]byte) {
	t.Helper()
	history = filepath.Join(t.TempDir(), "history")
	writeSynthHistory(t, history)
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Publish(context.Background(), history, out, Options{}); err != nil {
		t.Fatal(err)
	}
	return history, readSite(t, out)
}

func readSite(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	site := map[string][]byte{}
	for _, name := range []string{IndexFile, ParquetFile, JSONFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		site[name] = b
	}
	return site
}

func sameSite(t *testing.T, st *storage.Store, out storage.Location, want map[string][]byte) {
	t.Helper()
	entries, err := st.List(context.Background(), out)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(want) {
		var keys []string
		for _, e := range entries {
			keys = append(keys, e.Loc.Key())
		}
		t.Errorf("%s: expected the %d site files, found %v", out.WithoutQuery(), len(want), keys)
	}
	for name, w := range want {
		got, err := st.ReadFile(context.Background(), out.Join(name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, w) {
			t.Errorf("%s: %d bytes differ from the site built on local paths (%d bytes)", name, len(got), len(w))
		}
	}
}

// TestPublishS3 builds the leaderboard from a history in a bucket into the
// bucket and compares it byte for byte with the site built from the same runs
// on local paths. The bucket also holds what a reader must ignore: a run
// folder without run.json (unfinished), a temporary key of a write in progress
// inside a run folder, and files Load never reads (hive samples).
func TestPublishS3(t *testing.T) {
	bucket := storage.MustParse(s3test.Bucket(t))
	history, want := localSite(t)
	st := storage.NewStore()
	defer st.Close()
	ctx := context.Background()
	hist := bucket.Join("nightly", "history")
	uploadTree(t, st, history, hist)
	// Unfinished: tables but no run.json yet. A local folder like it would be a
	// skipped run on the page; in a bucket it is a run still being written.
	if err := st.WriteFile(ctx, hist.Join("2026-11-28", "metrics.parquet"), []byte("PAR1 half")); err != nil {
		t.Fatal(err)
	}
	// A temporary key of an interrupted atomic write, and a file Load never reads.
	if err := st.WriteFile(ctx, hist.Join("2026-11-26", ".tmp-metrics.parquet-0123abcd"), []byte("garbage")); err != nil {
		t.Fatal(err)
	}
	if err := st.WriteFile(ctx, hist.Join("2026-11-26", "samples", "family=x", "part-0-of-1.parquet"), []byte("garbage")); err != nil {
		t.Fatal(err)
	}
	out := bucket.Join("nightly", "site")
	if !strings.Contains(out.String(), "endpoint=") {
		t.Fatalf("%s: expected the driver's query kept on a joined key", out)
	}
	lb, err := Publish(ctx, hist.String(), out.String(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if lb.Latest != "2026-11-26" {
		t.Errorf("latest run: expected 2026-11-26, found %s", lb.Latest)
	}
	sameSite(t, st, out, want)

	// Bucket history to a local folder, and local history to the bucket.
	local := filepath.Join(t.TempDir(), "site")
	if _, err := Publish(ctx, hist.String(), local, Options{}); err != nil {
		t.Fatal(err)
	}
	for name, w := range want {
		if got := readSite(t, local)[name]; !bytes.Equal(got, w) {
			t.Errorf("bucket history -> local %s differs from the local build", name)
		}
	}
	out2 := bucket.Join("site2")
	if _, err := Publish(ctx, history, out2.String(), Options{}); err != nil {
		t.Fatal(err)
	}
	sameSite(t, st, out2, want)
}

// TestPublishFileURL runs the same comparison through file:// URLs (no
// server needed), and checks that an empty history is ErrNoRuns naming the
// URL, not the temporary folder.
func TestPublishFileURL(t *testing.T) {
	history, want := localSite(t)
	out := filepath.Join(t.TempDir(), "site")
	if _, err := Publish(context.Background(), "file://"+filepath.ToSlash(history), "file://"+filepath.ToSlash(out), Options{}); err != nil {
		t.Fatal(err)
	}
	got := readSite(t, out)
	for name, w := range want {
		if !bytes.Equal(got[name], w) {
			t.Errorf("%s: file:// build differs from the local build", name)
		}
	}
	empty := "file://" + filepath.ToSlash(t.TempDir())
	_, err := Publish(context.Background(), empty, "file://"+filepath.ToSlash(filepath.Join(t.TempDir(), "s")), Options{})
	if !errors.Is(err, ErrNoRuns) {
		t.Fatalf("empty history: expected ErrNoRuns, found %v", err)
	}
	if !strings.Contains(err.Error(), empty) || strings.Contains(err.Error(), "rlvr-eval-leaderboard-") {
		t.Errorf("empty history: expected the error to name %s, found %q", empty, err)
	}
}
