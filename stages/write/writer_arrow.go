package write

import (
	"fmt"
	"unsafe"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
)

// MaxArrowBatchRows caps the rows of one Arrow record batch (the builders of
// one batch are held in memory: 8192 samples with 2 kB of text are ≈ 16 MB).
const MaxArrowBatchRows = 8192

// arrowSink writes one table's rows to an Arrow IPC file. Rows are appended to
// builders through precomputed field offsets; a record batch is written every
// min(Options.RowGroupRows, MaxArrowBatchRows) rows (counted from the first
// row, so batch boundaries do not depend on the caller's batching) and at close.
//
// Strings are plain utf8 (not dictionary-encoded): every Arrow reader opens
// them without unifying dictionaries across batches.
type arrowSink struct {
	out    *atomicFile
	lay    *layout
	noText bool
	batch  int

	schema *arrow.Schema
	b      *array.RecordBuilder
	w      *ipc.FileWriter
	n      int // rows in the builder
}

func arrowType(k kind) arrow.DataType {
	switch k {
	case kindString:
		return arrow.BinaryTypes.String
	case kindInt64:
		return arrow.PrimitiveTypes.Int64
	case kindFloat64:
		return arrow.PrimitiveTypes.Float64
	}
	return arrow.FixedWidthTypes.Boolean
}

func arrowSchema(o *Options, l *layout) *arrow.Schema {
	fields := make([]arrow.Field, len(l.cols))
	for i, c := range l.cols {
		fields[i] = arrow.Field{Name: c.name, Type: arrowType(c.kind), Nullable: c.optional}
	}
	keys, values := o.metadata(l.table)
	md := arrow.NewMetadata(keys, values)
	return arrow.NewSchema(fields, &md)
}

func newArrowSink(o *Options, l *layout, mem memory.Allocator) (s *arrowSink, err error) {
	out, err := createAtomic(o.Dir, l.table+".arrow")
	if err != nil {
		return nil, err
	}
	s = &arrowSink{out: out, lay: l, noText: o.NoText, batch: min(o.rowGroupRows(), MaxArrowBatchRows), schema: arrowSchema(o, l)}
	err = try("creating "+out.final, func() error {
		opts := []ipc.Option{ipc.WithSchema(s.schema), ipc.WithAllocator(mem)}
		if o.Compression != Uncompressed {
			opts = append(opts, ipc.WithZstd())
		}
		var err error
		s.w, err = ipc.NewFileWriter(out, opts...)
		if err != nil {
			return err
		}
		s.b = array.NewRecordBuilder(mem, s.schema) // released by release()
		return nil
	})
	if err != nil {
		out.abort()
		return nil, err
	}
	return s, nil
}

// add appends one row (p points at the row struct) and writes a full batch.
func (s *arrowSink) add(p unsafe.Pointer) error {
	for ci := range s.lay.cols {
		c := &s.lay.cols[ci]
		fb := s.b.Field(ci)
		if c.alt >= 0 {
			fb.(*array.BooleanBuilder).Append(altAt(p, c))
			continue
		}
		if !c.optional {
			switch c.kind {
			case kindString:
				str := strAt(p, c)
				if c.text && s.noText {
					str = ""
				}
				fb.(*array.StringBuilder).Append(str)
			case kindInt64:
				fb.(*array.Int64Builder).Append(i64At(p, c))
			case kindFloat64:
				fb.(*array.Float64Builder).Append(f64At(p, c))
			case kindBool:
				fb.(*array.BooleanBuilder).Append(boolAt(p, c))
			}
			continue
		}
		switch c.kind {
		case kindString:
			if x := strPtrAt(p, c); x != nil {
				fb.(*array.StringBuilder).Append(*x)
			} else {
				fb.AppendNull()
			}
		case kindInt64:
			if x := i64PtrAt(p, c); x != nil {
				fb.(*array.Int64Builder).Append(*x)
			} else {
				fb.AppendNull()
			}
		case kindFloat64:
			if x := f64PtrAt(p, c); x != nil {
				fb.(*array.Float64Builder).Append(*x)
			} else {
				fb.AppendNull()
			}
		case kindBool:
			if x := boolPtrAt(p, c); x != nil {
				fb.(*array.BooleanBuilder).Append(*x)
			} else {
				fb.AppendNull()
			}
		}
	}
	s.n++
	if s.n == s.batch {
		return s.flush()
	}
	return nil
}

// flush writes the builder's rows as one record batch.
func (s *arrowSink) flush() error {
	if s.n == 0 {
		return nil
	}
	s.n = 0
	err := try("writing "+s.out.final, func() error {
		rec := s.b.NewRecordBatch()
		defer rec.Release()
		return s.w.Write(rec)
	})
	if err != nil {
		return fmt.Errorf("writing %s: %w", s.out.final, err)
	}
	return nil
}

// close writes the last batch and the footer, then renames the file into place.
// It releases the builder either way.
func (s *arrowSink) close() error {
	defer s.release()
	if err := s.flush(); err != nil {
		s.abort()
		return err
	}
	if err := try("closing "+s.out.final, s.w.Close); err != nil {
		s.abort() // FileWriter.Close is idempotent: this removes the temp file
		return fmt.Errorf("writing %s: %w", s.out.final, err)
	}
	return s.out.commit()
}

func (s *arrowSink) abort() {
	defer s.release()
	// Closing the IPC writer releases its dictionaries and encoder; its error
	// does not matter, the file is removed.
	_ = try("aborting "+s.out.final, s.w.Close)
	s.out.abort()
}

func (s *arrowSink) release() {
	if s.b != nil {
		s.b.Release()
		s.b = nil
	}
}
