package storage

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"gocloud.dev/blob"
)

// Glob returns the files matching pattern, sorted by location. Each
// "/"-separated segment is a path.Match pattern, and a "**" segment matches
// any number of folders (zero included).
//
// For a plain path it walks the file system from the pattern's static prefix
// and keeps regular files (symbolic links to regular files included), as the
// pipeline's glob always did. For a URL it lists the keys under the static
// prefix (object stores have no folders: one listing, paged by the driver)
// and matches each key; keys ending in "/" (console-made folder markers) and
// this package's temporary keys are skipped. A pattern without
// metacharacters returns the one file if it exists. A pattern that matches
// nothing returns no entries and no error.
func (s *Store) Glob(ctx context.Context, pattern Location) ([]Entry, error) {
	if pattern.scheme == "" {
		return globLocal(pattern)
	}
	segs := strings.Split(pattern.key, "/")
	n := 0
	for n < len(segs) && !hasMeta(segs[n]) {
		n++
	}
	if n == len(segs) {
		e, err := s.Stat(ctx, pattern)
		if IsNotExist(err) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return []Entry{e}, nil
	}
	rest := segs[n:]
	if err := checkPattern(rest); err != nil {
		return nil, wrap("listing", pattern, err)
	}
	prefix := strings.Join(segs[:n], "/")
	var out []Entry
	err := s.list(ctx, pattern.WithKey(prefix), func(key string, o *blob.ListObject) {
		rel := strings.TrimPrefix(key, prefix)
		rel = strings.TrimPrefix(rel, "/")
		if matchSegments(rest, strings.Split(rel, "/")) {
			out = append(out, Entry{Loc: pattern.WithKey(key), Size: o.Size, ModTime: o.ModTime})
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// List returns every file below prefix (a folder), at any depth, sorted:
// what the merge reads a run folder with. A missing folder lists empty.
func (s *Store) List(ctx context.Context, prefix Location) ([]Entry, error) {
	if prefix.scheme == "" {
		var out []Entry
		root := prefix.key
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if p == root && os.IsNotExist(err) {
					return fs.SkipAll
				}
				return err
			}
			if d.IsDir() || isTemp(d.Name()) {
				return nil
			}
			st, err := os.Stat(p)
			if err != nil || !st.Mode().IsRegular() {
				return nil
			}
			out = append(out, Entry{Loc: Local(p), Size: st.Size(), ModTime: st.ModTime()})
			return nil
		})
		if err != nil {
			return nil, wrap("listing", prefix, err)
		}
		return out, nil
	}
	var out []Entry
	err := s.list(ctx, prefix, func(key string, o *blob.ListObject) {
		out = append(out, Entry{Loc: prefix.WithKey(key), Size: o.Size, ModTime: o.ModTime})
	})
	return out, err
}

// list calls fn, in key order, for every object below the folder prefix
// (its key; "" is the whole bucket).
func (s *Store) list(ctx context.Context, prefix Location, fn func(string, *blob.ListObject)) error {
	b, err := s.bucket(ctx, prefix)
	if err != nil {
		return wrap("opening", prefix, err)
	}
	p := prefix.key
	if p != "" {
		p += "/"
	}
	var keys []*blob.ListObject
	it := b.List(&blob.ListOptions{Prefix: p})
	for {
		o, err := it.Next(ctx)
		if err == io.EOF {
			break
		}
		if err != nil {
			return wrap("listing", prefix, err)
		}
		if o.IsDir || strings.HasSuffix(o.Key, "/") || isTemp(path.Base(o.Key)) {
			continue
		}
		keys = append(keys, o)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Key < keys[j].Key })
	for _, o := range keys {
		fn(o.Key, o)
	}
	return nil
}

func hasMeta(s string) bool { return strings.ContainsAny(s, "*?[") }

func checkPattern(segs []string) error {
	for _, s := range segs {
		if _, err := path.Match(s, ""); err != nil {
			return fmt.Errorf("expected a valid glob, found %q (%v)", s, err)
		}
	}
	return nil
}

// globLocal is the file-system glob (the semantics of the pipeline's glob
// before object storage, kept exactly).
func globLocal(pattern Location) ([]Entry, error) {
	p := filepath.ToSlash(filepath.Clean(pattern.key))
	segs := strings.Split(p, "/")
	n := 0
	for n < len(segs) && !hasMeta(segs[n]) {
		n++
	}
	root := strings.Join(segs[:n], "/")
	if root == "" && strings.HasPrefix(p, "/") {
		root = "/"
	}
	if n == len(segs) {
		st, err := os.Stat(filepath.FromSlash(p))
		if err != nil || !st.Mode().IsRegular() {
			return nil, nil
		}
		return []Entry{{Loc: Local(filepath.FromSlash(p)), Size: st.Size(), ModTime: st.ModTime()}}, nil
	}
	rest := segs[n:]
	if err := checkPattern(rest); err != nil {
		return nil, wrap("listing", pattern, err)
	}
	if root == "" {
		root = "."
	}
	var out []Entry
	froot := filepath.FromSlash(root)
	err := filepath.WalkDir(froot, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			if fp == froot {
				return fs.SkipAll
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		rel, rerr := filepath.Rel(froot, fp)
		if rerr != nil {
			return nil
		}
		if !matchSegments(rest, strings.Split(filepath.ToSlash(rel), "/")) {
			return nil
		}
		st, serr := os.Stat(fp)
		if serr != nil || !st.Mode().IsRegular() {
			return nil
		}
		out = append(out, Entry{Loc: Local(fp), Size: st.Size(), ModTime: st.ModTime()})
		return nil
	})
	if err != nil {
		return nil, wrap("listing", pattern, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Loc.key < out[j].Loc.key })
	return out, nil
}

// matchSegments matches a key's segments against pattern segments, "**"
// spanning any number of them.
func matchSegments(pat, name []string) bool {
	if len(pat) == 0 {
		return len(name) == 0
	}
	if pat[0] == "**" {
		for i := 0; i <= len(name); i++ {
			if matchSegments(pat[1:], name[i:]) {
				return true
			}
		}
		return false
	}
	if len(name) == 0 {
		return false
	}
	ok, _ := path.Match(pat[0], name[0])
	return ok && matchSegments(pat[1:], name[1:])
}
