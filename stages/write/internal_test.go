package write

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// The schema built at run time for a fixed table must equal the one parquet-go
// derives from the schemas struct tags: the layout loses nothing.
func TestSchemaMatchesStructTags(t *testing.T) {
	check := func(name string, l *layout, err error, want *parquet.Schema) {
		t.Run(name, func(t *testing.T) {
			if err != nil {
				t.Fatal(err)
			}
			got := parquetSchema(l)
			if !parquet.EqualNodes(got, want) {
				t.Errorf("schema differs from struct tags:\n got %s\nwant %s", got, want)
			}
		})
	}
	l, err := newLayout[schemas.Sample](nil)
	check("samples", l, err, parquet.SchemaOf(new(schemas.Sample)))
	lp, err := newLayout[schemas.Problem](nil)
	check("problems", lp, err, parquet.SchemaOf(new(schemas.Problem)))
	lm, err := newLayout[schemas.Metric](nil)
	check("metrics", lm, err, parquet.SchemaOf(new(schemas.Metric)))
	lc, err := newLayout[schemas.Comparison](nil)
	check("comparisons", lc, err, parquet.SchemaOf(new(schemas.Comparison)))
	lt, err := newLayout[schemas.Transition](nil)
	check("transitions", lt, err, parquet.SchemaOf(new(schemas.Transition)))
	lr, err := newLayout[schemas.Reject](nil)
	check("rejects", lr, err, parquet.SchemaOf(new(schemas.Reject)))
	lb, err := newLayout[schemas.Boundary](nil)
	check("boundary", lb, err, parquet.SchemaOf(new(schemas.Boundary)))
	lbc, err := newLayout[schemas.BoundaryCurve](nil)
	check("boundary_curves", lbc, err, parquet.SchemaOf(new(schemas.BoundaryCurve)))
	lpm, err := newLayout[schemas.ProblemMove](nil)
	check("problem_moves", lpm, err, parquet.SchemaOf(new(schemas.ProblemMove)))
}

func TestTryTurnsPanicsIntoErrors(t *testing.T) {
	err := try("writing x", func() error { panic("boom") })
	if !errors.Is(err, ErrLibraryPanic) || !strings.Contains(err.Error(), "boom") || !strings.Contains(err.Error(), "writing x") {
		t.Errorf("try = %v, want an ErrLibraryPanic naming the operation and the panic", err)
	}
	want := errors.New("plain")
	if err := try("x", func() error { return want }); err != want {
		t.Errorf("try passed %v, want the function's own error", err)
	}
}

type unsupportedRow struct {
	When []int `parquet:"when"`
}

type mismatchedRow struct {
	SourceFile int64 `parquet:"source_file"`
}

type optionalNotPointer struct {
	X int64 `parquet:"x,optional"`
}

type subsetRow struct {
	Error   string `parquet:"error"`
	Missing *int64 `parquet:"not_in_file,optional"`
}

func TestReadParquetTypes(t *testing.T) {
	dir := t.TempDir()
	if err := WriteTable(t.Context(), Options{Dir: dir}, testRejects()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rejects.parquet")
	if _, err := ReadParquet[unsupportedRow](path); err == nil || !strings.Contains(err.Error(), "[]int") {
		t.Errorf("unsupported field type: err = %v", err)
	}
	if _, err := ReadParquet[optionalNotPointer](path); err == nil || !strings.Contains(err.Error(), "not a pointer") {
		t.Errorf("optional non-pointer: err = %v", err)
	}
	if _, err := ReadParquet[mismatchedRow](path); err == nil || !strings.Contains(err.Error(), "source_file is BYTE_ARRAY, expected INT64") {
		t.Errorf("type mismatch: err = %v", err)
	}
	got, err := ReadParquet[subsetRow](path)
	if err != nil {
		t.Fatal(err)
	}
	want := []subsetRow{{Error: testRejects()[0].Error}, {Error: testRejects()[1].Error}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("subset read = %+v, want %+v", got, want)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
}

// A footer that claims far more rows than the file holds is an error naming
// both counts; it must not be trusted to size an allocation (2^40 rows would be
// a fatal out-of-memory, which no recover catches).
func TestReadParquetCorruptRowCount(t *testing.T) {
	dir := t.TempDir()
	if err := WriteTable(t.Context(), Options{Dir: dir}, testRejects()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rejects.parquet")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// A Parquet file ends with the thrift footer, its 4-byte length and "PAR1".
	n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
	var md format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), b[len(b)-8-n:len(b)-8], &md); err != nil {
		t.Fatal(err)
	}
	md.NumRows = 1 << 40
	footer, err := thrift.Marshal(new(thrift.CompactProtocol), &md)
	if err != nil {
		t.Fatal(err)
	}
	out := append(b[:len(b)-8-n:len(b)-8-n], footer...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(footer)))
	out = append(out, "PAR1"...)
	if err := os.WriteFile(path, out, 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := ReadParquet[schemas.Reject](path)
	if err == nil || !strings.Contains(err.Error(), "expected 1099511627776 rows (footer), read 2") {
		t.Errorf("ReadParquet = %d rows, %v; want an error naming both row counts", len(rows), err)
	}
}
