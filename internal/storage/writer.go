package storage

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"gocloud.dev/blob"
)

// tempPrefix starts the name of every temporary file or key a Writer makes
// beside its target; Glob (for URLs) and List skip such names.
const tempPrefix = ".tmp-"

// isTemp reports whether base is a temporary name: a Writer's (".tmp-<name>-<hex>"
// in buckets, ".<name>.tmp-<digits>" on file systems) or fileblob's own
// ("<name>.<hex>.tmp", left when a process dies inside a file:// write).
func isTemp(base string) bool {
	return strings.HasPrefix(base, tempPrefix) || strings.HasPrefix(base, ".") && strings.Contains(base, tempPrefix) ||
		fileblobTemp.MatchString(base)
}

var fileblobTemp = regexp.MustCompile(`\.[0-9a-f]{8,}\.tmp$`)

// Writer writes one file that appears at its location only on Commit, whole:
// until then readers see the previous content, or nothing.
//
//   - A plain path (or file:// URL) is written to a temporary file in the same
//     folder, then renamed over the target.
//   - An object is uploaded to a temporary key beside the target
//     (".tmp-<name>-<random>"; see tempDir for keys with spaces), then copied to the target key and the
//     temporary key deleted. A writer killed mid-way leaves at most a
//     temporary key, which listings skip. (Copy is limited to 5 GiB by S3.)
//
// A Writer is not safe for concurrent use. Abort (or Commit) must be called;
// Abort after Commit is a no-op, so `defer w.Abort()` is the idiom.
type Writer struct {
	l      Location
	file   *os.File     // plain path
	bw     *blob.Writer // object
	b      *blob.Bucket
	tmpKey string
	ctx    context.Context
	cancel context.CancelFunc
	done   bool
	err    error
}

// Create starts an atomic write of l. For a plain path, the parent folders
// are created (0755).
func (s *Store) Create(ctx context.Context, l Location) (*Writer, error) {
	if l.scheme == "" {
		dir := filepath.Dir(l.key)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, wrap("writing", l, err)
		}
		f, err := os.CreateTemp(dir, "."+filepath.Base(l.key)+tempPrefix+"*")
		if err != nil {
			return nil, wrap("writing", l, err)
		}
		if err := f.Chmod(0o644); err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, wrap("writing", l, err)
		}
		return &Writer{l: l, file: f}, nil
	}
	b, err := s.bucket(ctx, l)
	if err != nil {
		return nil, wrap("opening", l, err)
	}
	var rnd [8]byte
	rand.Read(rnd[:])
	tmp := path.Join(tempDir(l.Dir().key), tempPrefix+strings.ReplaceAll(l.Base(), " ", "_")+"-"+hex.EncodeToString(rnd[:]))
	wctx, cancel := context.WithCancel(ctx)
	bw, err := b.NewWriter(wctx, tmp, &blob.WriterOptions{DisableContentTypeDetection: true, ContentType: "application/octet-stream"})
	if err != nil {
		cancel()
		return nil, wrap("writing", l, err)
	}
	return &Writer{l: l, bw: bw, b: b, tmpKey: tmp, ctx: ctx, cancel: cancel}, nil
}

// Location is where the writer's file appears on Commit.
func (w *Writer) Location() Location { return w.l }

// Write writes to the temporary file or key.
func (w *Writer) Write(p []byte) (int, error) {
	if w.done {
		return 0, wrap("writing", w.l, errors.New("write after commit or abort"))
	}
	var n int
	var err error
	if w.file != nil {
		n, err = w.file.Write(p)
	} else {
		n, err = w.bw.Write(p)
	}
	if err != nil {
		w.err = err
		return n, wrap("writing", w.l, err)
	}
	return n, nil
}

// Commit makes the written bytes appear at the location, replacing what was
// there. On error nothing changed at the location and the temporary data is
// removed.
func (w *Writer) Commit() error {
	if w.done {
		return wrap("writing", w.l, errors.New("commit after commit or abort"))
	}
	if w.err != nil {
		w.Abort()
		return wrap("writing", w.l, fmt.Errorf("not committed after a failed write: %w", w.err))
	}
	w.done = true
	if w.file != nil {
		name := w.file.Name()
		if err := w.file.Close(); err != nil {
			os.Remove(name)
			return wrap("writing", w.l, err)
		}
		if err := os.Rename(name, w.l.key); err != nil {
			os.Remove(name)
			return wrap("writing", w.l, err)
		}
		return nil
	}
	defer w.cancel()
	if err := w.bw.Close(); err != nil {
		w.b.Delete(context.WithoutCancel(w.ctx), w.tmpKey)
		return wrap("writing", w.l, err)
	}
	if err := w.b.Copy(w.ctx, w.l.key, w.tmpKey, nil); err != nil {
		w.b.Delete(context.WithoutCancel(w.ctx), w.tmpKey)
		return wrap("writing", w.l, err)
	}
	if err := w.b.Delete(w.ctx, w.tmpKey); err != nil {
		return wrap("writing", w.l, fmt.Errorf("committed, but deleting the temporary key %s: %w", w.tmpKey, err))
	}
	return nil
}

// Abort discards what was written; the location is unchanged. It returns
// nil after Commit.
func (w *Writer) Abort() error {
	if w.done {
		return nil
	}
	w.done = true
	if w.file != nil {
		name := w.file.Name()
		w.file.Close()
		if err := os.Remove(name); err != nil && !os.IsNotExist(err) {
			return wrap("aborting", w.l, err)
		}
		return nil
	}
	// Cancelling the writer's context before Close abandons the upload.
	w.cancel()
	w.bw.Close()
	w.b.Delete(context.WithoutCancel(w.ctx), w.tmpKey)
	return nil
}

// WriteFile writes data to l atomically (Create, Write, Commit).
func (s *Store) WriteFile(ctx context.Context, l Location, data []byte) error {
	w, err := s.Create(ctx, l)
	if err != nil {
		return err
	}
	defer w.Abort()
	if _, err := w.Write(data); err != nil {
		return err
	}
	return w.Commit()
}

// tempDir is the folder of a temporary key for a target in dir: dir itself,
// or its nearest ancestor without a space. s3blob's Copy escapes its source
// key with url.QueryEscape, which writes a space as "+", and S3-compatible
// servers read that "+" as a plus: a source key with a space is not found.
func tempDir(dir string) string {
	for strings.Contains(dir, " ") {
		dir = path.Dir(dir)
		if dir == "." {
			return ""
		}
	}
	return dir
}
