package leaderboard

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rlvr-eval/rlvr-eval/internal/storage"
)

// Object storage. --history and --out may be URLs (s3://, gs://, azblob://,
// file://; see internal/storage). Publish handles them at the edges, so that
// Load, Build and WriteSite keep working on local folders:
//
//   - a URL history is listed, and of every run folder whose run.json exists
//     (a run writes it last, so a folder without it is unfinished) run.json
//     and the tables Load reads are copied into a local temporary folder;
//   - the site is built there with Generate;
//   - a URL --out receives the site's files with storage's atomic writes,
//     index.html last, so a reader that sees the new page finds the new data.
//
// Plain paths go straight to Generate, exactly as before.

// runFiles are the files of a run folder that Load reads.
func runFiles() map[string]bool {
	files := map[string]bool{ManifestFile: true, metricsTable.name: true, comparisonsTable.name: true,
		boundaryTable.name: true, boundaryCurvesTable.name: true}
	for _, tb := range checkedTables {
		files[tb.name] = true
	}
	return files
}

// Publish is Generate for a history and a site folder that may each be a
// plain path or a storage URL (the URL's query, the driver's options, is
// kept on every key derived from it).
func Publish(ctx context.Context, history, out string, opts Options) (*Leaderboard, error) {
	if !storage.IsURL(history) && !storage.IsURL(out) {
		return Generate(ctx, history, out, opts)
	}
	tmp, err := os.MkdirTemp("", "rlvr-eval-leaderboard-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	st := storage.NewStore()
	defer st.Close()

	histDir, siteDir := history, out
	var histLoc, outLoc storage.Location
	if storage.IsURL(history) {
		if histLoc, err = storage.Parse(history); err != nil {
			return nil, err
		}
		histDir = filepath.Join(tmp, "history")
		if err := downloadHistory(ctx, st, histLoc, histDir); err != nil {
			return nil, err
		}
	}
	if storage.IsURL(out) {
		if outLoc, err = storage.Parse(out); err != nil {
			return nil, err
		}
		siteDir = filepath.Join(tmp, "site")
	}
	lb, err := Generate(ctx, histDir, siteDir, opts)
	if err != nil {
		return nil, renameErr(err, histDir, history, siteDir, out)
	}
	if storage.IsURL(out) {
		for _, name := range []string{ParquetFile, JSONFile, IndexFile} { // index.html last
			data, err := os.ReadFile(filepath.Join(siteDir, name))
			if err != nil {
				return nil, err
			}
			if err := st.WriteFile(ctx, outLoc.Join(name), data); err != nil {
				return nil, err
			}
		}
	}
	return lb, nil
}

// downloadHistory copies, for every run folder below loc that has a
// run.json, the files Load reads into dir (dir/<run>/<file>). Temporary keys
// of unfinished writes are never listed (storage.List skips them).
func downloadHistory(ctx context.Context, st *storage.Store, loc storage.Location, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	entries, err := st.List(ctx, loc)
	if err != nil {
		return err
	}
	want := runFiles()
	byRun := map[string][]storage.Entry{}
	finished := map[string]bool{}
	for _, e := range entries {
		rel, ok := e.Loc.Rel(loc)
		if !ok {
			continue
		}
		run, file, ok := strings.Cut(rel, "/")
		if !ok || strings.Contains(file, "/") || !want[file] {
			continue
		}
		if _, err := ParseRunName(run); err != nil {
			continue
		}
		byRun[run] = append(byRun[run], e)
		if file == ManifestFile {
			finished[run] = true
		}
	}
	runs := make([]string, 0, len(byRun))
	for run := range byRun {
		if finished[run] {
			runs = append(runs, run)
		}
	}
	sort.Strings(runs)
	for _, run := range runs {
		if err := os.MkdirAll(filepath.Join(dir, run), 0o755); err != nil {
			return err
		}
		for _, e := range byRun[run] {
			if err := st.Download(ctx, e.Loc, filepath.Join(dir, run, e.Loc.Base())); err != nil {
				return err
			}
		}
	}
	return nil
}

// renameErr names the user's URLs instead of the temporary folders in err's
// text, keeping what it wraps (ErrNoRuns, ErrNoHistory, ...).
func renameErr(err error, histDir, history, siteDir, out string) error {
	msg := err.Error()
	clean := msg
	if histDir != history {
		clean = strings.ReplaceAll(clean, histDir, history)
	}
	if siteDir != out {
		clean = strings.ReplaceAll(clean, siteDir, out)
	}
	if clean == msg {
		return err
	}
	return &locatedErr{msg: clean, err: err}
}

type locatedErr struct {
	msg string
	err error
}

func (e *locatedErr) Error() string { return e.msg }
func (e *locatedErr) Unwrap() error { return e.err }
