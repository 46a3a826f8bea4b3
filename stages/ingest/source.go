package ingest

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
)

// Source is one input file opened for reading.
//
// R streams the file's bytes from the start; every streaming format reads only
// R, once, so a caller that wraps R in a hashing reader has the file's sha256
// when the read ends (see OpenFile). Parquet (lighteval) needs random access:
// its reader opens Path itself and reads the footer and column chunks, and
// OpenFile's Digest hashes the bytes by draining R (one sequential pass).
type Source struct {
	// Path names the file in records and rejects; its base name can carry the
	// task (lm-eval samples_<task>_<date>.jsonl, lighteval details_<task>_<date>.parquet).
	Path string
	R    io.Reader
}

// FileResult is what a reader reports about a whole file besides its items.
type FileResult struct {
	// Format is the name of the format the file was read as.
	Format string
	// Task is the evaluation tool's task the file holds (lm-eval
	// "hendrycks_math_algebra", lighteval "lighteval|aime24|0"), "" when the
	// format names none.
	Task string
	// Selected names the filter (lm-eval) or sampling configs (lighteval) whose
	// rows became records, in file order; empty for formats without them.
	Selected []string
	// Skipped lists well-formed rows (or the whole file) the reader did not turn
	// into records on purpose, with why: never rejects, never a failed run.
	Skipped []Skip
	// Evalset is the evalset name the file suggests, for a run without evalset:.
	Evalset EvalsetGuess
}

// Skip counts the rows of a file skipped for one reason and value.
type Skip struct {
	// Reason is SkipFilter, SkipSampling or SkipNotSamples.
	Reason string
	// Value is the lm-eval filter or lighteval sampling config of the skipped
	// rows ("" for SkipNotSamples).
	Value string
	// Rows and Responses count what was skipped (rows of the file; responses in them).
	Rows, Responses int64
	// FirstLine is the first skipped row's line (1-based; 0-based row for Parquet).
	FirstLine int64
	// Why is a sentence for run.json and the summary.
	Why string
}

// The reasons of a Skip.
const (
	// SkipFilter: an lm-eval row of a filter other than the selected one (the
	// same document and responses, another filter's extraction and verdict).
	SkipFilter = "filter"
	// SkipSampling: a lighteval row of a sampling config other than the selected ones.
	SkipSampling = "sampling"
	// SkipNotSamples: the whole file is not a samples file (an lm-eval or
	// lighteval results JSON a folder glob picked up).
	SkipNotSamples = "not-samples"
)

// Format options (Format.New's opts) that select among rows repeating a document.
const (
	// OptFilter names the lm-eval filter whose rows are read (default: the
	// filter of the file's first row).
	OptFilter = "filter"
	// OptSampling names the lighteval sampling config whose rows are read
	// (default: the first row's), or SamplingAll for every config, each record
	// then carrying its config in Record.Sampling.
	OptSampling = "sampling"
	// SamplingAll is the OptSampling value that reads every sampling config.
	SamplingAll = "all"
)

// EvalsetGuess is the evalset name a file suggests and why.
type EvalsetGuess struct {
	// Name is the lm-eval task family, the lighteval task, the toolkit's data
	// name, the dataset a record names, or "custom".
	Name string
	// Why says where the name comes from ("lm-eval task hendrycks_math_algebra
	// (file name), family hendrycks_math").
	Why string
}

// EvalsetCustom is the evalset name when a file suggests none.
const EvalsetCustom = "custom"

// formatReader is what a format's file implements: read src, emitting items,
// and fill res (Format, Evalset default to the format name and "custom").
type formatReader interface {
	read(ctx context.Context, src Source, res *FileResult, emit func(Item) error) error
}

// reader adapts a formatReader to Reader: it checks for non-sample files first
// and fills the result's defaults.
type reader struct {
	format string
	r      formatReader
}

func wrap(format string, r formatReader) Reader { return reader{format: format, r: r} }

// ReadSource implements Reader.
func (rd reader) ReadSource(ctx context.Context, src Source, emit func(Item) error) (FileResult, error) {
	res := FileResult{Format: rd.format}
	br := bufio.NewReaderSize(src.R, 1<<16)
	head, err := br.Peek(SniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return res, fmt.Errorf("reading %s: %w", src.Path, err)
	}
	if why, ok := NotSamples(src.Path, head); ok {
		res.Evalset = EvalsetGuess{Name: EvalsetCustom, Why: "no samples in the file"}
		res.Skipped = []Skip{{Reason: SkipNotSamples, Why: why}}
		return res, nil
	}
	src.R = br
	if err := rd.r.read(ctx, src, &res, emit); err != nil {
		return res, err
	}
	if res.Evalset.Name == "" {
		res.Evalset = EvalsetGuess{Name: EvalsetCustom, Why: "the " + rd.format + " file names no task or dataset"}
	}
	return res, nil
}

// Read implements Reader: it opens path and reads it with ReadSource, and
// emits each Skip as one reject at line 0, so that a caller that knows only
// items still sees every skipped row counted. It is the transitional entry
// point until the pipeline reads FileResult.
func (rd reader) Read(ctx context.Context, path string, emit func(Item) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	res, err := rd.ReadSource(ctx, Source{Path: path, R: f}, emit)
	if err != nil {
		return err
	}
	for _, s := range res.Skipped {
		if err := emit(rejectAt(path, 0, nil, s.Why)); err != nil {
			return err
		}
	}
	return nil
}

// File is an input file opened to be read once: Head for detection, Source for
// the reader, and Digest for the sha256 of its bytes, computed while the reader
// streams them.
type File struct {
	path string
	f    *os.File
	h    hash.Hash
	n    int64
	tee  io.Reader
	br   *bufio.Reader
	head []byte
}

// OpenFile opens path and reads its head (up to SniffBytes) through the hash.
func OpenFile(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fl := &File{path: path, f: f, h: sha256.New()}
	fl.tee = io.TeeReader(f, countWriter{fl})
	fl.br = bufio.NewReaderSize(fl.tee, SniffBytes)
	head, err := fl.br.Peek(SniffBytes)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		f.Close()
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	fl.head = head
	return fl, nil
}

type countWriter struct{ f *File }

func (w countWriter) Write(p []byte) (int, error) {
	w.f.n += int64(len(p))
	return w.f.h.Write(p)
}

// Head returns the file's first up to SniffBytes bytes (for Detect).
func (f *File) Head() []byte { return f.head }

// Source returns the file as a Source; it is read once, by one reader.
func (f *File) Source() Source { return Source{Path: f.path, R: f.br} }

// Digest returns the file's size and hex sha256 after its read: bytes the
// reader did not consume (a Parquet file, read by random access; a document
// reader that stopped early) are hashed now, so the sum is always the whole
// file's.
func (f *File) Digest() (size int64, sum string, err error) {
	if _, err := io.Copy(io.Discard, f.tee); err != nil {
		return 0, "", fmt.Errorf("reading %s: %w", f.path, err)
	}
	return f.n, hex.EncodeToString(f.h.Sum(nil)), nil
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }
