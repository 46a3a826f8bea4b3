package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/internal/storage"
	"github.com/rlvr-eval/rlvr-eval/internal/storage/s3test"
)

// TestLeaderboardS3 runs "rlvr-eval leaderboard" with --history and --out in
// a bucket (moto) over two nights of the demo's real tables, and compares the
// site with the one built from the same run folders on local paths, byte for
// byte. Each bucket run folder also holds the demo's corpus, cache and site
// below it, which the leaderboard must not read.
func TestLeaderboardS3(t *testing.T) {
	bucket := storage.MustParse(s3test.Bucket(t))
	tmp := t.TempDir()
	demo := filepath.Join(tmp, "demo")
	if _, err := execute(t, "demo", "--out", demo); err != nil {
		t.Fatal(err)
	}
	st := storage.NewStore()
	defer st.Close()
	ctx := context.Background()
	history := filepath.Join(tmp, "history")
	hist := bucket.Join("lab", "history")
	for _, night := range []string{"2026-12-01", "2026-12-02"} {
		err := filepath.WalkDir(demo, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(demo, p)
			if !strings.Contains(rel, string(filepath.Separator)) { // the run's own files, locally
				local := filepath.Join(history, night, rel)
				if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
					return err
				}
				if err := os.WriteFile(local, data, 0o644); err != nil {
					return err
				}
			}
			return st.WriteFile(ctx, hist.Join(night, filepath.ToSlash(rel)), data)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	site := filepath.Join(tmp, "site")
	want, err := execute(t, "leaderboard", "--history", history, "--out", site)
	if err != nil {
		t.Fatal(err)
	}
	out := bucket.Join("lab", "site")
	got, err := execute(t, "leaderboard", "--history", hist.String(), "--out", out.String())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, "run 2026-12-02, ") || strings.Replace(got, out.String(), site, 1) != want {
		t.Errorf("summary from the bucket %q, expected the local one %q with the URL", got, want)
	}
	for _, name := range []string{"index.html", "leaderboard.parquet", "leaderboard.json"} {
		w, err := os.ReadFile(filepath.Join(site, name))
		if err != nil {
			t.Fatal(err)
		}
		g, err := st.ReadFile(ctx, out.Join(name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(g, w) {
			t.Errorf("%s in the bucket (%d bytes) differs from the local build (%d bytes)", name, len(g), len(w))
		}
	}
}
