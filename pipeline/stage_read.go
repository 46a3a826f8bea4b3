package pipeline

import (
	"context"
	"errors"
	"fmt"

	"github.com/sourcegraph/conc/panics"
	"github.com/sourcegraph/conc/pool"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// readStage reads every source, in order, each into its own channel (outs[i]
// for srcs[i], closed by the stage), so that the resolve stage can keep file
// order. A file holds a slot of slots from the start of its reading until the
// resolve stage has consumed it (and releases the slot), so at most cap(slots)
// files are in memory at once however many files a run has.
//
// Bad input is data: a reader that fails on a file's content, or panics, ends
// that file with a reject. The error is for infrastructure only (a file that
// cannot be opened or hashed, cancellation).
type readStage struct {
	srcs  []*source
	batch int
	slots chan struct{}
	pr    *progress
	// prepass: read each file once before its records (see readSource).
	prepass bool
}

func (st *readStage) run(ctx context.Context, outs []chan []ingest.Item) error {
	rp := pool.New().WithContext(ctx).WithCancelOnError().WithFirstError()
	total := totalSize(st.srcs) // before any reader updates a size
	for i := range st.srcs {
		s, ch := st.srcs[i], outs[i]
		select {
		case st.slots <- struct{}{}:
		case <-ctx.Done():
			rp.Wait()
			return ctx.Err()
		}
		rp.Go(func(ctx context.Context) error {
			defer close(ch)
			st.pr.touch(StageRead)
			err := readSource(ctx, s, ch, st.batch, st.prepass)
			st.pr.add(StageRead, s.size)
			return err
		})
	}
	err := rp.Wait()
	st.pr.end(StageRead, "files", len(st.srcs), "bytes", total)
	return err
}

// totalSize is the sum of the sources' sizes.
func totalSize(srcs []*source) int64 {
	var n int64
	for _, s := range srcs {
		n += s.size
	}
	return n
}

// readSource reads one file into ch in batches, and records its size,
// sha256 and ingest.FileResult (task, filters or sampling configs read, rows
// skipped on purpose, evalset guess) on s.
//
// A file is read once (ingest.OpenFile: its bytes are hashed as the reader
// streams them) unless something is needed before its first record that only
// the whole file gives: with prepass (a grading cache, whose key holds the
// file's sha256; or a run without evalset name, whose checkpoints are named
// with the evalset the file suggests), the file is first read through its
// reader with every item dropped, which gives the digest and the FileResult,
// then read again for its records. Both reads must see the same bytes: a
// file that changes in between is an error naming it.
func readSource(ctx context.Context, s *source, ch chan<- []ingest.Item, batch int, prepass bool) error {
	items := make([]ingest.Item, 0, batch)
	flush := func() error {
		if len(items) == 0 {
			return nil
		}
		select {
		case ch <- items:
		case <-ctx.Done():
			return ctx.Err()
		}
		items = make([]ingest.Item, 0, batch)
		return nil
	}
	if prepass {
		res, size, sum, err := readOnce(ctx, s, func(ingest.Item) error { return nil })
		var pe *readerPanic
		if err != nil && !errors.As(err, &pe) {
			// (A reader's panic shows again, as a reject, in the read below.)
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("reading %s: %w", s.in.Path, err)
		}
		s.size, s.sha256, s.result, s.early = size, sum, res, true
	}
	var lastLine int64
	res, size, sum, err := readOnce(ctx, s, func(it ingest.Item) error {
		if it.Record != nil {
			s.records.Add(1)
			lastLine = it.Record.SourceLine
		} else if it.Reject != nil {
			lastLine = it.Reject.SourceLine
		}
		items = append(items, it)
		if len(items) == batch {
			return flush()
		}
		return nil
	})
	var pe *readerPanic
	if errors.As(err, &pe) {
		// A reader bug on hostile input must not crash the run: the rest of the
		// file becomes one reject, and the run goes on.
		items = append(items, ingest.Item{Reject: &schemas.Reject{SourceFile: s.in.Path, SourceLine: lastLine + 1,
			Error: fmt.Sprintf("the %s reader failed after line %d (rest of the file skipped): %v", s.format.Name, lastLine, pe.value),
			Raw:   ""}})
		err = nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("reading %s: %w", s.in.Path, err)
	}
	if s.early {
		// The resolve stage reads what the first read gave from its first
		// batch on: it stays as it is, and the second read must agree.
		if sum != s.sha256 {
			return fmt.Errorf("reading %s: the file changed while it was read (sha256 %s, then %s)", s.in.Path, s.sha256, sum)
		}
		return flush()
	}
	s.size, s.sha256, s.result = size, sum, res
	return flush()
}

// readerPanic is a reader's panic, caught.
type readerPanic struct{ value any }

func (p *readerPanic) Error() string { return fmt.Sprint("reader panic: ", p.value) }

// readOnce opens s's file, reads it with s's reader and returns the reader's
// FileResult with the file's size and sha256. A reader's panic is returned as
// a *readerPanic (the digest is then of the whole file all the same).
func readOnce(ctx context.Context, s *source, emit func(ingest.Item) error) (ingest.FileResult, int64, string, error) {
	f, err := ingest.OpenFile(s.in.Path)
	if err != nil {
		return ingest.FileResult{}, 0, "", err
	}
	defer f.Close()
	var res ingest.FileResult
	if r := panics.Try(func() { res, err = s.reader.ReadSource(ctx, f.Source(), emit) }); r != nil {
		err = &readerPanic{value: r.Value}
	}
	var pe *readerPanic
	if err != nil && !errors.As(err, &pe) {
		return res, 0, "", err
	}
	size, sum, derr := f.Digest()
	if derr != nil {
		return res, 0, "", derr
	}
	return res, size, sum, err
}
