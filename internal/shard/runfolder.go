package shard

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/rlvr-eval/rlvr-eval/internal/storage"
)

// This file is the I/O side of a shard's protocol with the merge, over a run
// folder that is a plain path or a bucket URL. Assign, Check and the path
// functions stay pure; Output and Gather apply them to a storage.Store.
//
// A shard's output appears atomically: Begin deletes the shard's manifest (the
// marker) before anything else, each file is committed whole, and Finish
// writes the manifest, listing every file with its size and sha256, last. A
// shard killed at any point before Finish has no manifest, so the merge
// reports it missing; running it again replaces only its own files.

// Output writes one shard's files into a run folder. Not safe for
// concurrent use (Create's files may be written concurrently; their Commit
// calls are serialised by Output).
type Output struct {
	store *storage.Store
	run   storage.Location
	spec  Spec
	files chan []ManifestFile // a one-slot lock around the list
}

// Begin starts shard s's output in run: it deletes the shard's manifest, then
// every file of an earlier try of the same shard (part-I-of-N.* under
// samples/, rejects/ and partial/), and nothing else.
func Begin(ctx context.Context, st *storage.Store, run storage.Location, s Spec) (*Output, error) {
	if !s.Sharded() {
		return nil, fmt.Errorf("%w: Begin of an unsharded run", ErrSpec)
	}
	if err := st.Delete(ctx, run.Join(ManifestPath(s))); err != nil {
		return nil, err
	}
	prefix := PartName(s) + "."
	for _, d := range []string{SamplesDir, RejectsDir, PartialDir} {
		old, err := st.List(ctx, run.Join(d))
		if err != nil {
			return nil, err
		}
		for _, e := range old {
			if strings.HasPrefix(e.Loc.Base(), prefix) {
				if err := st.Delete(ctx, e.Loc); err != nil {
					return nil, err
				}
			}
		}
	}
	o := &Output{store: st, run: run, spec: s, files: make(chan []ManifestFile, 1)}
	o.files <- nil
	return o, nil
}

// File is one file of a shard being written; Commit makes it appear and
// records it for the manifest.
type File struct {
	o   *Output
	rel string
	w   *storage.Writer
	h   hash.Hash
	n   int64
}

// Create starts the file at rel (relative to the run folder, from
// SamplesPath or PartPath for this shard).
func (o *Output) Create(ctx context.Context, rel string) (*File, error) {
	if !strings.HasPrefix(path.Base(rel), PartName(o.spec)+".") {
		return nil, fmt.Errorf("shard %s: %s is not one of its files (expected a name %s.*)", o.spec, rel, PartName(o.spec))
	}
	w, err := o.store.Create(ctx, o.run.Join(rel))
	if err != nil {
		return nil, err
	}
	return &File{o: o, rel: rel, w: w, h: sha256.New()}, nil
}

func (f *File) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	f.h.Write(p[:n])
	f.n += int64(n)
	return n, err
}

// Commit makes the file appear in the run folder and adds it to the
// shard's manifest.
func (f *File) Commit() error {
	if err := f.w.Commit(); err != nil {
		return err
	}
	list := <-f.o.files
	f.o.files <- append(list, ManifestFile{Path: f.rel, Size: f.n, SHA256: hex.EncodeToString(f.h.Sum(nil))})
	return nil
}

// Abort discards the file (a no-op after Commit).
func (f *File) Abort() error { return f.w.Abort() }

// Finish writes the shard's manifest, last: m with its Shard, Count,
// ManifestVersion and Files (sorted by path) filled in by Output. After it
// the merge accepts the shard.
func (o *Output) Finish(ctx context.Context, m Manifest) error {
	list := <-o.files
	o.files <- list
	m.ManifestVersion, m.Shard, m.Count = ManifestVersion, o.spec.Index, o.spec.Count
	m.Files = slices.Clone(list)
	slices.SortFunc(m.Files, func(a, b ManifestFile) int { return strings.Compare(a.Path, b.Path) })
	slices.Sort(m.Checkpoints)
	b, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		return err
	}
	return o.store.WriteFile(ctx, o.run.Join(ManifestPath(o.spec)), append(b, '\n'))
}

// Gather reads a run folder for Check: the manifests under _shards/ (each
// decoded, or with the reason it could not be) and the size of every file,
// by path relative to the run folder.
func Gather(ctx context.Context, st *storage.Store, run storage.Location) ([]Found, map[string]int64, error) {
	all, err := st.List(ctx, run)
	if err != nil {
		return nil, nil, err
	}
	files := map[string]int64{}
	var found []Found
	for _, e := range all {
		rel, ok := e.Loc.Rel(run)
		if !ok {
			continue
		}
		files[rel] = e.Size
		if path.Dir(rel) != ManifestDir || !strings.HasSuffix(rel, ".json") {
			continue
		}
		f := Found{Name: rel}
		b, err := st.ReadFile(ctx, e.Loc)
		if err == nil {
			var m Manifest
			if err = json.Unmarshal(b, &m); err == nil {
				f.Manifest = &m
			}
		}
		f.Err = err
		found = append(found, f)
	}
	return found, files, nil
}

// Open is the merge's entry: Gather, then Check.
func Open(ctx context.Context, st *storage.Store, run storage.Location, expect Expect) (*Set, error) {
	found, files, err := Gather(ctx, st, run)
	if err != nil {
		return nil, err
	}
	return Check(found, files, expect)
}

// WaitAll waits until the manifest of every one of count shards is in run
// (polling every poll), for a merge started with its shards (a Kubernetes
// merge Job). It returns ctx's error, naming the first shard still missing,
// when ctx ends first.
func WaitAll(ctx context.Context, st *storage.Store, run storage.Location, count int, poll time.Duration) error {
	if count < 1 {
		return fmt.Errorf("%w: WaitAll of %d shards", ErrSpec, count)
	}
	for i := 0; i < count; i++ {
		if _, err := st.WaitFor(ctx, run.Join(ManifestPath(Spec{i, count})), poll); err != nil {
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				return fmt.Errorf("shard %d/%d not finished: %w", i, count, err)
			}
			return err
		}
	}
	return nil
}
