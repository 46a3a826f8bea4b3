package pipeline

import (
	"context"
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
	// noHash skips hashing the files (Check: no run.json, no cache).
	noHash bool
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
			err := readSource(ctx, s, ch, st.batch, !st.noHash)
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

// readSource hashes one file (for run.json and its grading-cache key), then
// reads it into ch in batches.
func readSource(ctx context.Context, s *source, ch chan<- []ingest.Item, batch int, hash bool) error {
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
	// The file is hashed first: its sha256 is in run.json and in the key of
	// its grading-cache entry, needed before its first record is resolved.
	var err error
	if hash {
		size, sum, derr := fileDigest(s.in.Path)
		if derr != nil {
			return derr
		}
		s.size, s.sha256 = size, sum
	}
	var lastLine int64
	r := panics.Try(func() {
		err = s.reader.Read(ctx, s.in.Path, func(it ingest.Item) error {
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
	})
	if r != nil {
		// A reader bug on hostile input must not crash the run: the rest of the
		// file becomes one reject, and the run goes on.
		items = append(items, ingest.Item{Reject: &schemas.Reject{SourceFile: s.in.Path, SourceLine: lastLine + 1,
			Error: fmt.Sprintf("the %s reader failed after line %d (rest of the file skipped): %v", s.format.Name, lastLine, r.Value),
			Raw:   ""}})
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("reading %s: %w", s.in.Path, err)
	}
	return flush()
}
