package leaderboard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// Site file names, written into the site folder.
const (
	IndexFile   = "index.html"
	ParquetFile = "leaderboard.parquet"
	JSONFile    = "leaderboard.json"
)

// Files renders the three site files in memory: index.html, leaderboard.parquet
// and leaderboard.json, keyed by file name. The same leaderboard gives the same
// bytes.
func (lb *Leaderboard) Files() (map[string][]byte, error) {
	page, err := renderHTML(lb)
	if err != nil {
		return nil, err
	}
	pq, err := encodeParquet(lb.TableRows())
	if err != nil {
		return nil, err
	}
	js, err := encodeJSON(lb)
	if err != nil {
		return nil, fmt.Errorf("writing %s: %w", JSONFile, err)
	}
	return map[string][]byte{IndexFile: page, ParquetFile: pq, JSONFile: js}, nil
}

// WriteSite renders the site and writes it into dir (created if needed). Each
// file is written to a temporary file in dir, synced, and renamed over its
// final name only after all three were written, so a reader never sees a
// half-written file and a failed build leaves the previous site in place.
// Other files in dir are left alone.
func (lb *Leaderboard) WriteSite(dir string) error {
	files, err := lb.Files()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating site folder: %w", err)
	}
	names := []string{ParquetFile, JSONFile, IndexFile} // index last: it links to the others
	tmps := make(map[string]string, len(names))
	cleanup := func() {
		for _, t := range tmps {
			os.Remove(t)
		}
	}
	for _, name := range names {
		t, err := writeTemp(dir, name, files[name])
		if err != nil {
			cleanup()
			return err
		}
		tmps[name] = t
	}
	for _, name := range names {
		if err := os.Rename(tmps[name], filepath.Join(dir, name)); err != nil {
			cleanup()
			return fmt.Errorf("publishing %s: %w", name, err)
		}
		delete(tmps, name)
	}
	if d, err := os.Open(dir); err == nil { // make the renames durable
		d.Sync()
		d.Close()
	}
	return nil
}

func writeTemp(dir, name string, data []byte) (string, error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return "", fmt.Errorf("writing %s: %w", name, err)
	}
	path := f.Name()
	fail := func(err error) (string, error) {
		f.Close()
		os.Remove(path)
		return "", fmt.Errorf("writing %s: %w", filepath.Join(dir, name), err)
	}
	if _, err := f.Write(data); err != nil {
		return fail(err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fail(err)
	}
	if err := f.Sync(); err != nil {
		return fail(err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", fmt.Errorf("writing %s: %w", filepath.Join(dir, name), err)
	}
	return path, nil
}

// Generate is the whole nightly build: Load the history, Build the model and
// WriteSite. Broken run folders are skipped and returned in the leaderboard's
// Skipped list (and logged); the error is non-nil only when nothing could be
// published (see Load) or the site could not be written.
func Generate(ctx context.Context, historyDir, siteDir string, opts Options) (*Leaderboard, error) {
	opts = opts.withDefaults()
	h, err := Load(ctx, historyDir, opts.Logger)
	if err != nil {
		return nil, err
	}
	lb, err := Build(h, opts)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := lb.WriteSite(siteDir); err != nil {
		return nil, err
	}
	opts.Logger.Info("leaderboard: site written", "dir", siteDir, "checkpoints", len(lb.Rows), "skipped_runs", len(lb.Skipped))
	return lb, nil
}
