package write

import (
	"context"
	"errors"
	"fmt"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// Writer streams the rows of one table to <table>.parquet and/or <table>.arrow
// in Options.Dir. The table is chosen by the row type (TableName[T]).
//
// Contract:
//   - The caller that creates a Writer owns it and calls exactly one of Close
//     (on success: the files appear under their final names) or Abort (on
//     failure: the temp files are removed). Abort after Close, or a second
//     Abort, is a no-op, so `defer w.Abort()` right after New is the idiom.
//   - Write and Close take the run's context. When it is cancelled they abort
//     the writer and return ctx.Err(): a cancelled run never leaves a table
//     under its final name. After any error from Write the writer is aborted.
//   - A Writer is not safe for concurrent use: one goroutine writes it.
//   - Write blocks on file I/O and compression. The caller may reuse the
//     batch slice once Write returns, but the writer keeps references to the
//     rows' strings until they are encoded (up to 1024 rows later), so string
//     bytes must never be mutated (no unsafe strings over a reused buffer).
//   - Memory: about one row group (Options.RowGroupRows rows) of encoded
//     Parquet pages, plus one record batch of Arrow builders when writing Arrow.
type Writer[T Row] struct {
	lay      *layout
	isSample bool
	pq       *parquetSink
	ar       *arrowSink
	noText   bool
	rows     int64
	repaired int64
	closed   bool
	scratch  T // a copy of a row whose strings are being repaired
}

// New creates a Writer for T's table with the options o. The files exist only
// as hidden temp files until Close.
func New[T Row](o Options) (*Writer[T], error) {
	return newWriter[T](o, memory.DefaultAllocator)
}

// newWriter lets tests pass a checked allocator for the Arrow side.
func newWriter[T Row](o Options, mem memory.Allocator) (*Writer[T], error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	lay, err := newLayout[T](o.Profiles)
	if err != nil {
		return nil, err
	}
	w := &Writer[T]{lay: lay, isSample: lay.table == schemas.TableSamples, noText: o.NoText}
	if o.Format.parquet() {
		if w.pq, err = newParquetSink(&o, lay); err != nil {
			return nil, err
		}
	}
	if o.Format.arrow() {
		if w.ar, err = newArrowSink(&o, lay, mem); err != nil {
			w.Abort()
			return nil, err
		}
	}
	return w, nil
}

// Write appends rows to the table, in order. It returns ErrAltMismatch when a
// sample's Alt verdicts do not match Options.Profiles, ctx.Err() when ctx is
// cancelled, and wrapped I/O or library errors; after any error the writer is
// aborted and later calls return ErrClosed.
func (w *Writer[T]) Write(ctx context.Context, rows []T) error {
	if w.closed {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		w.Abort()
		return err
	}
	if w.isSample {
		for i := range rows {
			if err := w.lay.checkAlt(unsafe.Pointer(&rows[i])); err != nil {
				w.Abort()
				return err
			}
		}
	}
	for i := range rows {
		p := unsafe.Pointer(&rows[i])
		if !w.lay.validUTF8(p, w.noText) {
			w.scratch = rows[i]
			p = unsafe.Pointer(&w.scratch)
			w.lay.repairUTF8(p)
			w.repaired++
		}
		// With Format Both the two files are encoded one after the other in
		// this goroutine: the pipeline's other stages keep the second core busy.
		if w.pq != nil {
			if err := w.pq.add(p); err != nil {
				w.Abort()
				return err
			}
		}
		if w.ar != nil {
			if err := w.ar.add(p); err != nil {
				w.Abort()
				return err
			}
		}
	}
	w.rows += int64(len(rows))
	return nil
}

// Result is what one Writer wrote, for a run to report (run.json, summary).
type Result struct {
	Table string // table name: schemas.TableSamples, ...
	Rows  int64  // rows written
	// Repaired counts the rows that had a string that was not valid UTF-8.
	// Parquet STRING and Arrow utf8 columns must hold UTF-8 (DuckDB refuses to
	// read a file that breaks this), so each invalid byte sequence was written
	// as U+FFFD; the caller's rows are left untouched. The repair changes data,
	// so a run must report it (run.json, summary).
	Repaired int64
}

// Result returns the table's counts so far; after Close, the final ones.
func (w *Writer[T]) Result() Result {
	return Result{Table: TableName[T](), Rows: w.rows, Repaired: w.repaired}
}

// Close finishes the files and renames them to their final names
// (<table>.parquet, <table>.arrow). If ctx is cancelled, or finishing fails, it
// aborts instead and returns the error; no file is left under a final name
// then, except that with Format Both a failure on the Arrow file after the
// Parquet file was renamed leaves the Parquet file in place (it is complete).
func (w *Writer[T]) Close(ctx context.Context) error {
	if w.closed {
		return ErrClosed
	}
	if err := ctx.Err(); err != nil {
		w.Abort()
		return err
	}
	w.closed = true
	var errs []error
	if w.pq != nil {
		if err := w.pq.close(); err != nil {
			errs = append(errs, err)
			if w.ar != nil {
				w.ar.abort()
				w.ar = nil
			}
		}
	}
	if w.ar != nil {
		if err := w.ar.close(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Abort discards the writer's temp files. It is idempotent and a no-op after
// Close.
func (w *Writer[T]) Abort() {
	if w.closed {
		return
	}
	w.closed = true
	if w.pq != nil {
		w.pq.abort()
	}
	if w.ar != nil {
		w.ar.abort()
	}
}

// WriteTable writes a whole small table at once, atomically: it creates a
// Writer for T, writes rows and closes it, or aborts on any error. Rows must
// already be sorted (../shared/spec/tables.md: every table is sorted deterministically).
func WriteTable[T Row](ctx context.Context, o Options, rows []T) error {
	w, err := New[T](o)
	if err != nil {
		return err
	}
	defer w.Abort()
	if err := w.Write(ctx, rows); err != nil {
		return fmt.Errorf("%s: %w", TableName[T](), err)
	}
	return w.Close(ctx)
}
