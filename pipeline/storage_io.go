package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/rlvr-eval/rlvr-eval/internal/storage"
)

// Object storage. Every path a user gives may be a URL (s3://, gs://,
// azblob://, file://; see internal/storage), handled at the edges of a run so
// that the stages keep reading and writing local files:
//
//   - input globs and templates are listed with storage.Glob (templates are
//     matched on the key, the query kept on every file: inputs.go);
//   - a run's URL inputs are copied to a local staging folder before it
//     starts (a shard copies only its own share), and every table, run.json
//     and the summary name them by their URL without its query;
//   - a URL --out is written locally, then uploaded with storage's atomic
//     writes, run.json last (a shard's files likewise, its manifest last);
//   - a URL --cache is mirrored into a local folder before the run and the
//     entries the run added or changed are uploaded after it.

// globURL is expandGlob for a URL pattern: the matching objects' URLs
// (query kept), sorted.
func globURL(pattern string) ([]string, error) {
	loc, err := storage.Parse(pattern)
	if err != nil {
		return nil, err
	}
	st := storage.NewStore()
	defer st.Close()
	es, err := st.Glob(context.Background(), loc)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Loc.String())
	}
	sort.Strings(out)
	return out, nil
}

// templateKey is the key of a template path written as a URL, for matching
// (p as given when it is a plain path).
func templateKey(p string) string {
	if !storage.IsURL(p) {
		return p
	}
	loc, err := storage.Parse(p)
	if err != nil {
		return p
	}
	return loc.Key()
}

// urlTemplate splits a template written as a URL into the URL of the bucket
// (with its query) and the key to parse as a template; ok is false for a
// plain path.
func urlTemplate(t string) (loc storage.Location, key string, ok bool, err error) {
	if !storage.IsURL(t) {
		return storage.Location{}, "", false, nil
	}
	// The template's "{" and "}" are not URL syntax: parse the URL with
	// them as written (url.Parse keeps them in the path).
	loc, err = storage.Parse(t)
	if err != nil {
		return storage.Location{}, "", false, err
	}
	return loc, loc.Key(), true, nil
}

// localInputs returns cfg with every URL input copied into dir (in the
// order of their URLs, so that the local names sort as the URLs do) and the
// map from the local path to the URL without its query, for display. A
// config without URL inputs is returned as is.
func localInputs(ctx context.Context, cfg *Config, dir string) (*Config, map[string]string, error) {
	var urls []int
	for i, in := range cfg.inputs {
		if storage.IsURL(in.Path) {
			urls = append(urls, i)
		}
	}
	if len(urls) == 0 {
		return cfg, nil, nil
	}
	sort.SliceStable(urls, func(a, b int) bool { return cfg.inputs[urls[a]].Path < cfg.inputs[urls[b]].Path })
	c := *cfg
	c.inputs = append([]Input{}, cfg.inputs...)
	display := map[string]string{}
	st := storage.NewStore()
	defer st.Close()
	w := len(fmt.Sprint(len(urls)))
	for n, i := range urls {
		loc, err := storage.Parse(c.inputs[i].Path)
		if err != nil {
			return nil, nil, err
		}
		local := filepath.Join(dir, "inputs", fmt.Sprintf("%0*d-%s", w, n, loc.Base()))
		if err := st.Download(ctx, loc, local); err != nil {
			return nil, nil, err
		}
		c.inputs[i].Path = local
		display[local] = loc.WithoutQuery().String()
	}
	return &c, display, nil
}

// upload copies the local folder dir into the folder loc: every regular file
// not hidden (temporary), with last written after all others when set.
func upload(ctx context.Context, dir string, loc storage.Location, last string) error {
	st := storage.NewStore()
	defer st.Close()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != dir {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			if rel != last {
				files = append(files, rel)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(files)
	if last != "" {
		if _, err := os.Stat(filepath.Join(dir, last)); err == nil {
			files = append(files, last)
		}
	}
	for _, rel := range files {
		if err := uploadFile(ctx, st, filepath.Join(dir, rel), loc.Join(filepath.ToSlash(rel))); err != nil {
			return err
		}
	}
	return nil
}

func uploadFile(ctx context.Context, st *storage.Store, from string, to storage.Location) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	w, err := st.Create(ctx, to)
	if err != nil {
		return err
	}
	defer w.Abort()
	if _, err := io.Copy(w, in); err != nil {
		return err
	}
	return w.Commit()
}

// remoteCache is a URL --cache mirrored into a local folder.
type remoteCache struct {
	loc   storage.Location
	local string
	had   map[string]time.Time // relative path -> local modification time after the download
}

// mirrorCache copies every entry under the cache URL into local.
func mirrorCache(ctx context.Context, url, local string) (*remoteCache, error) {
	loc, err := storage.Parse(url)
	if err != nil {
		return nil, err
	}
	st := storage.NewStore()
	defer st.Close()
	es, err := st.List(ctx, loc)
	if err != nil {
		return nil, err
	}
	rc := &remoteCache{loc: loc, local: local, had: map[string]time.Time{}}
	for _, e := range es {
		rel, ok := e.Loc.Rel(loc)
		if !ok {
			continue
		}
		if err := st.Download(ctx, e.Loc, filepath.Join(local, filepath.FromSlash(rel))); err != nil {
			return nil, err
		}
		info, err := os.Stat(filepath.Join(local, filepath.FromSlash(rel)))
		if err != nil {
			return nil, err
		}
		rc.had[rel] = info.ModTime()
	}
	return rc, nil
}

// push uploads the entries the run added or rewrote (a new file, or one
// whose modification time changed: entries are rewritten whole).
func (rc *remoteCache) push(ctx context.Context) error {
	st := storage.NewStore()
	defer st.Close()
	return filepath.WalkDir(rc.local, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		rel, _ := filepath.Rel(rc.local, p)
		rel = filepath.ToSlash(rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if t, ok := rc.had[rel]; ok && t.Equal(info.ModTime()) {
			return nil
		}
		return uploadFile(ctx, st, p, rc.loc.Join(rel))
	})
}

// urlExists checks that the object a URL names exists.
func urlExists(url string) error {
	loc, err := storage.Parse(url)
	if err != nil {
		return err
	}
	st := storage.NewStore()
	defer st.Close()
	_, err = st.Stat(context.Background(), loc)
	return err
}

// localEvalset copies a URL evalset into staging and points o at the copy.
func (o *RunOptions) localEvalset(ctx context.Context, cfg *Config, staging string) error {
	if !storage.IsURL(cfg.Evalset.Path) {
		return nil
	}
	loc, err := storage.Parse(cfg.Evalset.Path)
	if err != nil {
		return err
	}
	st := storage.NewStore()
	defer st.Close()
	local := filepath.Join(staging, "evalset", loc.Base())
	if err := st.Download(ctx, loc, local); err != nil {
		return fmt.Errorf("reading the evalset: %w", err)
	}
	o.evalsetLocal, o.evalsetDisplay = local, loc.WithoutQuery().String()
	return nil
}

// usesStorage reports whether a run names a storage URL: an input, --out or
// --cache.
func usesStorage(cfg *Config, o RunOptions) bool {
	if storage.IsURL(o.Out) || storage.IsURL(o.Cache) || storage.IsURL(cfg.Evalset.Path) && o.evalsetLocal == "" {
		return true
	}
	if cfg.inputs == nil && cfg.Validate() != nil {
		return false // setup reports the config's errors
	}
	for _, in := range cfg.inputs {
		if storage.IsURL(in.Path) {
			return true
		}
	}
	return false
}

// runWithStorage is Run with URL inputs, --out or --cache: the inputs are
// copied to a local staging folder, the cache mirrored there, the run writes
// there, and its folder and the cache's new entries are uploaded after.
func runWithStorage(ctx context.Context, cfg *Config, o RunOptions) (*Result, error) {
	staging, err := os.MkdirTemp("", "rlvr-eval-run-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	lo := o
	c, display, err := localInputs(ctx, cfg, staging)
	if err != nil {
		return nil, err
	}
	lo.display = display
	if err := lo.localEvalset(ctx, c, staging); err != nil {
		return nil, err
	}
	rc, err := lo.localCache(ctx, staging)
	if err != nil {
		return nil, err
	}
	var outLoc storage.Location
	if storage.IsURL(o.Out) {
		if outLoc, err = storage.Parse(o.Out); err != nil {
			return nil, err
		}
		lo.Out = filepath.Join(staging, "out")
	}
	res, err := Run(ctx, c, lo)
	var shareErr *RejectShareError
	if err != nil && !errors.As(err, &shareErr) {
		return nil, err
	}
	if rc != nil {
		if perr := rc.push(ctx); perr != nil {
			return nil, fmt.Errorf("uploading the grading cache: %w", perr)
		}
	}
	if storage.IsURL(o.Out) {
		if uerr := upload(ctx, lo.Out, outLoc, ManifestFile); uerr != nil {
			return nil, fmt.Errorf("uploading the run: %w", uerr)
		}
		res.Out = o.Out
	}
	return res, err
}

// localCache mirrors a URL --cache into staging and points o at the mirror
// (nil for a local cache or none).
func (o *RunOptions) localCache(ctx context.Context, staging string) (*remoteCache, error) {
	if !storage.IsURL(o.Cache) {
		return nil, nil
	}
	rc, err := mirrorCache(ctx, o.Cache, filepath.Join(staging, "cache"))
	if err != nil {
		return nil, fmt.Errorf("reading the grading cache: %w", err)
	}
	o.cacheDisplay = rc.loc.WithoutQuery().String()
	o.Cache = rc.local
	return rc, nil
}
