package write

import (
	"fmt"
	"github.com/klauspost/compress/zstd"
	"reflect"
	"unsafe"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
)

// stageRows is how many rows the Parquet sink gathers before handing them to
// parquet-go. parquet-go cuts pages at 64-row chunks counted from the start of
// each WriteRows call, so a fixed multiple of 64 makes page boundaries (and
// bytes) independent of how the caller batches its rows.
const stageRows = 1024

// parquetSink writes one table's rows to a Parquet file. Rows are turned into
// parquet.Row values through precomputed field offsets (no reflection per row)
// and staged in fixed-size chunks.
type parquetSink struct {
	out    *atomicFile
	w      *parquet.GenericWriter[any]
	lay    *layout
	noText bool

	values []parquet.Value // backing store of the staged rows
	rows   []parquet.Row
	n      int // staged rows
}

// freeText names the columns of free text, written without page statistics.
var freeText = map[string]bool{"response": true, "raw": true, "error": true}

// The zstd codecs of every writer: at the default level ("pretty fast", as
// parquet.Zstd) and at the fastest.
var (
	zstdDefault = zstdCodec{level: zstd.SpeedDefault}
	zstdFastest = zstdCodec{level: zstd.SpeedFastest}
)

func codecOf(c Compression) compress.Codec {
	switch c {
	case ZstdFastest:
		return &zstdFastest
	case Uncompressed:
		return &parquet.Uncompressed
	}
	return &zstdDefault
}

// parquetSchema builds the Parquet schema of a layout: a struct type made at run
// time with one field per column, in column order, carrying the same tags as the
// schemas structs (so the schema of a fixed table equals parquet.SchemaOf of its row type).
func parquetSchema(l *layout) *parquet.Schema {
	fields := make([]reflect.StructField, len(l.cols))
	for i, c := range l.cols {
		var t reflect.Type
		switch c.kind {
		case kindString:
			t = reflect.TypeFor[string]()
		case kindInt64:
			t = reflect.TypeFor[int64]()
		case kindFloat64:
			t = reflect.TypeFor[float64]()
		case kindBool:
			t = reflect.TypeFor[bool]()
		}
		tag := c.name
		if c.optional {
			t = reflect.PointerTo(t)
			tag += ",optional"
		}
		if c.dict {
			tag += ",dict"
		}
		fields[i] = reflect.StructField{
			Name: fmt.Sprintf("C%d", i),
			Type: t,
			Tag:  reflect.StructTag(`parquet:"` + tag + `"`),
		}
	}
	st := reflect.StructOf(fields)
	return parquet.NewSchema(l.table, parquet.SchemaOf(reflect.New(st).Interface()))
}

func newParquetSink(o *Options, l *layout) (s *parquetSink, err error) {
	out, err := createAtomic(o.Dir, l.table+".parquet")
	if err != nil {
		return nil, err
	}
	s = &parquetSink{out: out, lay: l, noText: o.NoText}
	err = try("creating "+out.final, func() error {
		keys, values := o.metadata(l.table)
		opts := []parquet.WriterOption{
			parquetCreatedBy,
			parquet.Compression(codecOf(o.Compression)),
			parquet.MaxRowsPerRowGroup(int64(o.rowGroupRows())),
			// Data page v1, as parquet-mr and pyarrow write by default: the
			// format every reader (Spark, pandas/fastparquet, DuckDB) opens.
			parquet.DataPageVersion(1),
		}
		for i, k := range keys {
			opts = append(opts, parquet.KeyValueMetadata(k, values[i]))
		}
		// Free text (a 2 kB response, a 512-byte raw record) makes useless and
		// bulky min/max statistics: skip them for those columns.
		for _, c := range l.cols {
			if freeText[c.name] {
				opts = append(opts, parquet.SkipPageBounds(c.name), parquet.SkipPageStatistics(c.name))
			}
		}
		opts = append(opts, parquetSchema(l))
		s.w = parquet.NewGenericWriter[any](out, opts...)
		return nil
	})
	if err != nil {
		out.abort()
		return nil, err
	}
	ncol := len(l.cols)
	s.values = make([]parquet.Value, stageRows*ncol)
	s.rows = make([]parquet.Row, stageRows)
	for i := range s.rows {
		s.rows[i] = s.values[i*ncol : (i+1)*ncol : (i+1)*ncol]
	}
	return s, nil
}

// parquetCreatedBy sets the created_by string verbatim (parquet.CreatedBy would
// reformat it).
var parquetCreatedBy = parquetCreatedByOption{}

type parquetCreatedByOption struct{}

func (parquetCreatedByOption) ConfigureWriter(c *parquet.WriterConfig) { c.CreatedBy = CreatedBy }

func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// add stages one row (p points at the row struct) and flushes a full stage.
func (s *parquetSink) add(p unsafe.Pointer) error {
	row := s.rows[s.n]
	for ci := range s.lay.cols {
		c := &s.lay.cols[ci]
		var v parquet.Value
		def := 0
		switch {
		case c.alt >= 0:
			v = parquet.BooleanValue(altAt(p, c))
		case !c.optional:
			switch c.kind {
			case kindString:
				str := strAt(p, c)
				if c.text && s.noText {
					str = ""
				}
				v = parquet.ByteArrayValue(bytesOf(str))
			case kindInt64:
				v = parquet.Int64Value(i64At(p, c))
			case kindFloat64:
				v = parquet.DoubleValue(f64At(p, c))
			case kindBool:
				v = parquet.BooleanValue(boolAt(p, c))
			}
		default:
			def = 1
			switch c.kind {
			case kindString:
				if x := strPtrAt(p, c); x != nil {
					v = parquet.ByteArrayValue(bytesOf(*x))
				} else {
					def = 0
				}
			case kindInt64:
				if x := i64PtrAt(p, c); x != nil {
					v = parquet.Int64Value(*x)
				} else {
					def = 0
				}
			case kindFloat64:
				if x := f64PtrAt(p, c); x != nil {
					v = parquet.DoubleValue(*x)
				} else {
					def = 0
				}
			case kindBool:
				if x := boolPtrAt(p, c); x != nil {
					v = parquet.BooleanValue(*x)
				} else {
					def = 0
				}
			}
		}
		row[ci] = v.Level(0, def, ci)
	}
	s.n++
	if s.n == stageRows {
		return s.flush()
	}
	return nil
}

// flush hands the staged rows to parquet-go.
func (s *parquetSink) flush() error {
	if s.n == 0 {
		return nil
	}
	err := try("writing "+s.out.final, func() error {
		_, err := s.w.WriteRows(s.rows[:s.n])
		return err
	})
	clear(s.values[:s.n*len(s.lay.cols)]) // drop references to the caller's strings
	s.n = 0
	if err != nil {
		return fmt.Errorf("writing %s: %w", s.out.final, err)
	}
	return nil
}

// close writes the staged rows and the footer, then renames the file into place.
func (s *parquetSink) close() error {
	if err := s.flush(); err != nil {
		s.out.abort()
		return err
	}
	if err := try("closing "+s.out.final, s.w.Close); err != nil {
		s.out.abort()
		return fmt.Errorf("writing %s: %w", s.out.final, err)
	}
	return s.out.commit()
}

func (s *parquetSink) abort() { s.out.abort() }
