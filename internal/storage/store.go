package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"gocloud.dev/blob"
)

// Store opens buckets on first use and keeps them open until Close. It is
// safe for concurrent use. The zero Store is not usable: call NewStore.
type Store struct {
	mu      sync.Mutex
	buckets map[string]*blob.Bucket
	closed  bool
}

// NewStore returns an empty Store.
func NewStore() *Store { return &Store{buckets: map[string]*blob.Bucket{}} }

// Close closes every bucket the store opened. Readers and writers still open
// fail afterwards.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, b := range s.buckets {
		errs = append(errs, b.Close())
	}
	s.buckets, s.closed = nil, true
	return errors.Join(errs...)
}

// fileDefaults are the fileblob options a file:// URL gets unless its query
// sets them: no .attrs sidecar files beside the user's files, and temporary
// files next to their target so that the final rename stays on one file
// system (atomic).
var fileDefaults = url.Values{"metadata": {"skip"}, "no_tmp_dir": {"true"}}

// bucket returns the open bucket of l (a URL).
func (s *Store) bucket(ctx context.Context, l Location) (*blob.Bucket, error) {
	if tag := Schemes[l.scheme]; !blob.DefaultURLMux().ValidBucketScheme(l.scheme) {
		return nil, fmt.Errorf("%w: this rlvr-eval was built without the %s:// driver (build with -tags %s)", ErrNoDriver, l.scheme, tag)
	}
	id := l.scheme + "://" + l.bucket + "?" + l.query
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, errors.New("storage: store closed")
	}
	if b, ok := s.buckets[id]; ok {
		return b, nil
	}
	open := url.URL{Scheme: l.scheme, Host: l.bucket, RawQuery: l.query}
	if l.scheme == "file" {
		q, err := url.ParseQuery(l.query)
		if err != nil {
			return nil, err
		}
		for k, v := range fileDefaults {
			if _, set := q[k]; !set {
				q[k] = v
			}
		}
		open.Path, open.RawQuery = "/", q.Encode()
	}
	b, err := blob.OpenBucket(ctx, open.String())
	if err != nil {
		return nil, err
	}
	s.buckets[id] = b
	return b, nil
}

// Entry is a file or object found by Stat, Glob or List.
type Entry struct {
	Loc     Location
	Size    int64
	ModTime time.Time
}

// Stat returns l's size and modification time. A folder, or a key prefix
// without an object of its own, does not exist.
func (s *Store) Stat(ctx context.Context, l Location) (Entry, error) {
	if l.scheme == "" {
		st, err := os.Stat(l.key)
		if err != nil {
			return Entry{}, wrap("reading", l, err)
		}
		if !st.Mode().IsRegular() {
			return Entry{}, wrap("reading", l, fmt.Errorf("expected a regular file, found %s: %w", st.Mode().Type(), fs.ErrNotExist))
		}
		return Entry{Loc: l, Size: st.Size(), ModTime: st.ModTime()}, nil
	}
	b, err := s.bucket(ctx, l)
	if err != nil {
		return Entry{}, wrap("opening", l, err)
	}
	a, err := b.Attributes(ctx, l.key)
	if err != nil {
		return Entry{}, wrap("reading", l, err)
	}
	return Entry{Loc: l, Size: a.Size, ModTime: a.ModTime}, nil
}

// Exists reports whether l is a file or object; an error is returned only
// when the store cannot tell.
func (s *Store) Exists(ctx context.Context, l Location) (bool, error) {
	_, err := s.Stat(ctx, l)
	if IsNotExist(err) {
		return false, nil
	}
	return err == nil, err
}

// NewReader opens l for reading. The caller closes the reader.
func (s *Store) NewReader(ctx context.Context, l Location) (io.ReadCloser, error) {
	if l.scheme == "" {
		f, err := os.Open(l.key)
		if err != nil {
			return nil, wrap("reading", l, err)
		}
		return f, nil
	}
	b, err := s.bucket(ctx, l)
	if err != nil {
		return nil, wrap("opening", l, err)
	}
	r, err := b.NewReader(ctx, l.key, nil)
	if err != nil {
		return nil, wrap("reading", l, err)
	}
	return &reader{r: r, l: l}, nil
}

type reader struct {
	r *blob.Reader
	l Location
}

func (r *reader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	if err != nil && err != io.EOF {
		err = wrap("reading", r.l, err)
	}
	return n, err
}

func (r *reader) Close() error { return wrap("closing", r.l, r.r.Close()) }

// ReadFile reads all of l.
func (s *Store) ReadFile(ctx context.Context, l Location) ([]byte, error) {
	r, err := s.NewReader(ctx, l)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, wrap("reading", l, err)
	}
	return b, nil
}

// Download copies all of l to the local file path, creating its folder.
func (s *Store) Download(ctx context.Context, l Location, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	r, err := s.NewReader(ctx, l)
	if err != nil {
		return err
	}
	defer r.Close()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return fmt.Errorf("copying %s: %w", l.WithoutQuery(), err)
	}
	return f.Close()
}

// ReaderAt is random access to one file or object, as Parquet readers need.
type ReaderAt interface {
	io.ReaderAt
	io.Closer
	Size() int64
}

// OpenReaderAt opens l for random access. A plain path is an *os.File; an
// object is read with one ranged request per ReadAt call (ctx is kept for
// them), so callers should read in blocks of at least a few hundred KiB. Safe
// for concurrent ReadAt calls. The caller closes it.
func (s *Store) OpenReaderAt(ctx context.Context, l Location) (ReaderAt, error) {
	if l.scheme == "" {
		f, err := os.Open(l.key)
		if err != nil {
			return nil, wrap("reading", l, err)
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, wrap("reading", l, err)
		}
		return &fileAt{f, st.Size()}, nil
	}
	e, err := s.Stat(ctx, l)
	if err != nil {
		return nil, err
	}
	b, err := s.bucket(ctx, l)
	if err != nil {
		return nil, wrap("opening", l, err)
	}
	return &objectAt{ctx: ctx, b: b, l: l, size: e.Size}, nil
}

type fileAt struct {
	*os.File
	size int64
}

func (f *fileAt) Size() int64 { return f.size }

type objectAt struct {
	ctx  context.Context
	b    *blob.Bucket
	l    Location
	size int64
}

func (o *objectAt) Size() int64  { return o.size }
func (o *objectAt) Close() error { return nil }

func (o *objectAt) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, wrap("reading", o.l, fmt.Errorf("negative offset %d", off))
	}
	if off >= o.size {
		return 0, io.EOF
	}
	n := min(int64(len(p)), o.size-off)
	r, err := o.b.NewRangeReader(o.ctx, o.l.key, off, n, nil)
	if err != nil {
		return 0, wrap("reading", o.l, err)
	}
	defer r.Close()
	got, err := io.ReadFull(r, p[:n])
	if err != nil {
		return got, wrap("reading", o.l, fmt.Errorf("bytes %d..%d: %w", off, off+n, err))
	}
	if n < int64(len(p)) {
		return got, io.EOF
	}
	return got, nil
}

// Delete removes l. A missing l is not an error (re-running a shard deletes
// its marker whether or not an earlier try wrote it).
func (s *Store) Delete(ctx context.Context, l Location) error {
	if l.scheme == "" {
		if err := os.Remove(l.key); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return wrap("deleting", l, err)
		}
		return nil
	}
	b, err := s.bucket(ctx, l)
	if err != nil {
		return wrap("opening", l, err)
	}
	if err := b.Delete(ctx, l.key); err != nil && !IsNotExist(wrap("deleting", l, err)) {
		return wrap("deleting", l, err)
	}
	return nil
}

// WaitFor polls l every poll interval until it exists and returns its entry,
// or returns ctx's error (wrapped, naming l) when ctx ends first. A reader
// waits so for the marker a writer puts down after everything else.
func (s *Store) WaitFor(ctx context.Context, l Location, poll time.Duration) (Entry, error) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		e, err := s.Stat(ctx, l)
		if err == nil {
			return e, nil
		}
		if !IsNotExist(err) {
			return Entry{}, err
		}
		select {
		case <-ctx.Done():
			return Entry{}, wrap("waiting for", l, ctx.Err())
		case <-t.C:
		}
	}
}
