package write

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"github.com/parquet-go/parquet-go"
	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// tableCase writes one table's test rows and knows how to read them back.
type tableCase struct {
	table    string
	profiles []string
	noText   bool
	rows     any // the []T written
	// write writes rows with o in batches of batch rows, using mem for Arrow.
	write func(t *testing.T, o Options, mem memory.Allocator, batch int)
	// readBack reads the Parquet file with ReadParquet and returns the rows as
	// they should equal rows (Sample.Alt cannot come back through ReadParquet).
	readBack func(t *testing.T, path string) (got, want any)
}

func caseOf[T Row](rows []T, profiles []string, noText bool) tableCase {
	return tableCase{
		table: TableName[T](), profiles: profiles, noText: noText, rows: rows,
		write: func(t *testing.T, o Options, mem memory.Allocator, batch int) {
			t.Helper()
			o.Profiles, o.NoText = profiles, noText
			w, err := newWriter[T](o, mem)
			if err != nil {
				t.Fatalf("new %s writer: %v", TableName[T](), err)
			}
			defer w.Abort()
			for b := range slices.Chunk(rows, max(batch, 1)) {
				if err := w.Write(context.Background(), b); err != nil {
					t.Fatalf("write %s: %v", TableName[T](), err)
				}
			}
			if len(rows) == 0 {
				if err := w.Write(context.Background(), nil); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Close(context.Background()); err != nil {
				t.Fatalf("close %s: %v", TableName[T](), err)
			}
			if w.Result().Rows != int64(len(rows)) {
				t.Errorf("Rows = %d, want %d", w.Result().Rows, len(rows))
			}
		},
		readBack: func(t *testing.T, path string) (any, any) {
			t.Helper()
			got, err := ReadParquet[T](path)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.Clone(rows)
			for i := range want {
				if s, ok := any(&want[i]).(*schemas.Sample); ok {
					var alt []schemas.AltVerdict // only Profile and Correct are stored
					for _, a := range s.Alt {
						alt = append(alt, schemas.AltVerdict{Profile: a.Profile, Correct: a.Correct})
					}
					s.Alt = alt
					if noText {
						s.Response = ""
					}
				}
			}
			if len(want) == 0 {
				want = nil
			}
			if len(got) == 0 {
				got = nil
			}
			return got, want
		},
	}
}

func allCases() []tableCase {
	return []tableCase{
		caseOf(testSamples(300, 200), nil, false),
		caseOf(testSamples(300, 200, "lenient", "math_verify"), []string{"lenient", "math_verify"}, false),
		caseOf(testSamples(100, 200, "lenient"), []string{"lenient"}, true),
		caseOf(testProblems(), nil, false),
		caseOf(testMetrics(), nil, false),
		caseOf(testComparisons(), nil, false),
		caseOf(testTransitions(), nil, false),
		caseOf(testBoundary(), nil, false),
		caseOf(testBoundaryCurves(), nil, false),
		caseOf(testProblemMoves(), nil, false),
		caseOf(testRejects(), nil, false),
		caseOf([]schemas.Reject{}, nil, false), // empty table: all input was good
	}
}

func caseName(c tableCase) string {
	n := c.table
	for _, p := range c.profiles {
		n += "+" + p
	}
	if c.noText {
		n += "+notext"
	}
	if reflect.ValueOf(c.rows).Len() == 0 {
		n += "+empty"
	}
	return n
}

func TestParquetRoundTrip(t *testing.T) {
	for _, c := range allCases() {
		t.Run(caseName(c), func(t *testing.T) {
			dir := t.TempDir()
			c.write(t, Options{Dir: dir, RowGroupRows: 128}, memory.DefaultAllocator, 37)
			checkParquetFile(t, filepath.Join(dir, c.table+".parquet"), c)
			got, want := c.readBack(t, filepath.Join(dir, c.table+".parquet"))
			diffRows(t, got, want)
		})
	}
}

// checkParquetFile compares every column of the file with expectedColumns and
// checks the footer: created_by, key-value metadata, zstd, dictionary columns.
func checkParquetFile(t *testing.T, path string, c tableCase) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		t.Fatal(err)
	}
	md := pf.Metadata()
	if md.CreatedBy != CreatedBy {
		t.Errorf("created_by = %q, want %q", md.CreatedBy, CreatedBy)
	}
	kv := map[string]string{}
	for _, e := range md.KeyValueMetadata {
		kv[e.Key] = e.Value
	}
	if kv[MetaSchemaVersion] != schemas.Version || kv[MetaTable] != c.table {
		t.Errorf("key-value metadata = %v, want %s=%s and %s=%s", kv, MetaSchemaVersion, schemas.Version, MetaTable, c.table)
	}
	names, want := expectedColumns(c.rows, c.noText, c.profiles...)
	fields := pf.Schema().Fields()
	if len(names) > 0 {
		var gotNames []string
		for _, fl := range fields {
			gotNames = append(gotNames, fl.Name())
		}
		if !slices.Equal(gotNames, names) {
			t.Fatalf("columns = %q, want %q", gotNames, names)
		}
	}
	for _, rg := range md.RowGroups {
		for _, cc := range rg.Columns {
			if cc.MetaData.Codec.String() != "ZSTD" {
				t.Errorf("column %v codec %v, want ZSTD", cc.MetaData.PathInSchema, cc.MetaData.Codec)
			}
		}
	}
	got := make([][]any, len(fields))
	r := parquet.NewReader(pf)
	defer r.Close()
	buf := make([]parquet.Row, 64)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			for _, v := range row {
				got[v.Column()] = append(got[v.Column()], goValue(v))
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	for ci, name := range names {
		for r, w := range want[ci] {
			if g := got[ci][r]; !reflect.DeepEqual(g, w) {
				t.Fatalf("row %d column %s = %#v, want %#v", r, name, g, w)
			}
		}
	}
}

// goValue converts a parquet value to the Go value expectedColumns uses.
func goValue(v parquet.Value) any {
	switch {
	case v.IsNull():
		return nil
	case v.Kind() == parquet.ByteArray:
		return string(v.ByteArray())
	case v.Kind() == parquet.Int64:
		return v.Int64()
	case v.Kind() == parquet.Double:
		return v.Double()
	case v.Kind() == parquet.Boolean:
		return v.Boolean()
	}
	return fmt.Sprintf("unexpected kind %v", v.Kind())
}

// diffRows fails t at the first row that differs, naming it.
func diffRows(t *testing.T, got, want any) {
	t.Helper()
	g, w := reflect.ValueOf(got), reflect.ValueOf(want)
	if g.Len() != w.Len() {
		t.Fatalf("read back %d rows, want %d", g.Len(), w.Len())
	}
	for i := range g.Len() {
		if !reflect.DeepEqual(g.Index(i).Interface(), w.Index(i).Interface()) {
			t.Fatalf("row %d read back as\n%s\nwant\n%s", i, dump(g.Index(i)), dump(w.Index(i)))
		}
	}
}

func dump(v reflect.Value) string {
	b, _ := json.Marshal(v.Interface())
	return string(b)
}

// readArrow reads every column of an Arrow IPC file into Go values (nil for null)
// and returns the schema metadata.
func readArrow(t *testing.T, path string, mem memory.Allocator) (names []string, cols [][]any, meta map[string]string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	meta = map[string]string{}
	md := r.Schema().Metadata()
	for i, k := range md.Keys() {
		meta[k] = md.Values()[i]
	}
	for _, fl := range r.Schema().Fields() {
		names = append(names, fl.Name)
	}
	cols = make([][]any, len(names))
	for i := range r.NumRecords() {
		rec, err := r.RecordBatch(i)
		if err != nil {
			t.Fatal(err)
		}
		for ci := range names {
			col := rec.Column(ci)
			for j := range col.Len() {
				if col.IsNull(j) {
					cols[ci] = append(cols[ci], nil)
					continue
				}
				switch a := col.(type) {
				case *array.String:
					cols[ci] = append(cols[ci], a.Value(j))
				case *array.Int64:
					cols[ci] = append(cols[ci], a.Value(j))
				case *array.Float64:
					cols[ci] = append(cols[ci], a.Value(j))
				case *array.Boolean:
					cols[ci] = append(cols[ci], a.Value(j))
				default:
					t.Fatalf("column %s has unexpected Arrow type %s", names[ci], col.DataType())
				}
			}
		}
	}
	return names, cols, meta
}

func TestArrowRoundTrip(t *testing.T) {
	for _, c := range allCases() {
		t.Run(caseName(c), func(t *testing.T) {
			mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
			defer mem.AssertSize(t, 0)
			dir := t.TempDir()
			c.write(t, Options{Dir: dir, Format: Arrow, RowGroupRows: 128, Metadata: map[string]string{"run_id": "r1"}}, mem, 37)
			if _, err := os.Stat(filepath.Join(dir, c.table+".parquet")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("Format Arrow wrote a Parquet file (stat: %v)", err)
			}
			names, got, meta := readArrow(t, filepath.Join(dir, c.table+".arrow"), mem)
			wantNames, want := expectedColumns(c.rows, c.noText, c.profiles...)
			if len(wantNames) > 0 && !slices.Equal(names, wantNames) {
				t.Fatalf("columns = %q, want %q", names, wantNames)
			}
			if !reflect.DeepEqual(got, want) && len(wantNames) > 0 {
				t.Errorf("arrow values differ:\n got %v\nwant %v", got, want)
			}
			wantMeta := map[string]string{MetaSchemaVersion: schemas.Version, MetaTable: c.table, "run_id": "r1"}
			if !reflect.DeepEqual(meta, wantMeta) {
				t.Errorf("schema metadata = %v, want %v", meta, wantMeta)
			}
		})
	}
}

func TestArrowTypes(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	defer mem.AssertSize(t, 0)
	dir := t.TempDir()
	c := caseOf(testMetrics(), nil, false)
	c.write(t, Options{Dir: dir, Format: Arrow}, mem, 10)
	f, err := os.Open(filepath.Join(dir, "metrics.arrow"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := ipc.NewFileReader(f, ipc.WithAllocator(mem))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := map[string]struct {
		typ      arrow.DataType
		nullable bool
	}{
		"family": {arrow.BinaryTypes.String, false}, "step": {arrow.PrimitiveTypes.Int64, false},
		"seed": {arrow.PrimitiveTypes.Int64, true}, "k": {arrow.PrimitiveTypes.Int64, true},
		"value": {arrow.PrimitiveTypes.Float64, true}, "n_problems": {arrow.PrimitiveTypes.Int64, false},
	}
	for _, fl := range r.Schema().Fields() {
		if w, ok := want[fl.Name]; ok && (!arrow.TypeEqual(fl.Type, w.typ) || fl.Nullable != w.nullable) {
			t.Errorf("field %s: %s nullable=%v, want %s nullable=%v", fl.Name, fl.Type, fl.Nullable, w.typ, w.nullable)
		}
	}
}

func TestDeterministicBytes(t *testing.T) {
	for _, c := range allCases() {
		t.Run(caseName(c), func(t *testing.T) {
			var files [2]map[string][]byte
			// Different caller batchings must not change a byte.
			for i, batch := range []int{1, 1000} {
				dir := t.TempDir()
				c.write(t, Options{Dir: dir, Format: Both, RowGroupRows: 100, Metadata: map[string]string{"b": "2", "a": "1"}}, memory.DefaultAllocator, batch)
				files[i] = map[string][]byte{}
				entries, _ := os.ReadDir(dir)
				for _, e := range entries {
					b, err := os.ReadFile(filepath.Join(dir, e.Name()))
					if err != nil {
						t.Fatal(err)
					}
					files[i][e.Name()] = b
				}
			}
			if len(files[0]) != 2 {
				t.Fatalf("wrote %d files, want 2 (parquet and arrow)", len(files[0]))
			}
			for name, b := range files[0] {
				if !bytes.Equal(b, files[1][name]) {
					t.Errorf("%s differs between two writes of the same rows (%d vs %d bytes)", name, len(b), len(files[1][name]))
				}
			}
		})
	}
}

func listDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestAtomicity(t *testing.T) {
	rows := testSamples(50, 100)
	tests := []struct {
		name string
		run  func(t *testing.T, w *Writer[schemas.Sample]) error
		want []string // files left in the folder
	}{
		{"close", func(t *testing.T, w *Writer[schemas.Sample]) error {
			if err := w.Write(context.Background(), rows); err != nil {
				return err
			}
			if err := w.Close(context.Background()); err != nil {
				return err
			}
			if err := w.Write(context.Background(), rows); !errors.Is(err, ErrClosed) {
				t.Errorf("Write after Close = %v, want ErrClosed", err)
			}
			w.Abort() // no-op after Close: the files stay
			return nil
		}, []string{"samples.arrow", "samples.parquet"}},
		{"abort", func(t *testing.T, w *Writer[schemas.Sample]) error {
			if err := w.Write(context.Background(), rows); err != nil {
				return err
			}
			w.Abort()
			w.Abort() // idempotent
			if err := w.Close(context.Background()); !errors.Is(err, ErrClosed) {
				t.Errorf("Close after Abort = %v, want ErrClosed", err)
			}
			return nil
		}, nil},
		{"cancel before write", func(t *testing.T, w *Writer[schemas.Sample]) error {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cancel()
			if err := w.Write(ctx, rows); !errors.Is(err, context.Canceled) {
				t.Errorf("Write with cancelled context = %v, want context.Canceled", err)
			}
			return nil
		}, nil},
		{"cancel before close", func(t *testing.T, w *Writer[schemas.Sample]) error {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := w.Write(ctx, rows); err != nil {
				return err
			}
			cancel()
			if err := w.Close(ctx); !errors.Is(err, context.Canceled) {
				t.Errorf("Close with cancelled context = %v, want context.Canceled", err)
			}
			w.Abort()
			return nil
		}, nil},
		{"bad alt verdicts", func(t *testing.T, w *Writer[schemas.Sample]) error {
			bad := testSamples(3, 10, "lenient")
			if err := w.Write(context.Background(), bad); !errors.Is(err, ErrAltMismatch) {
				t.Errorf("Write with unexpected Alt = %v, want ErrAltMismatch", err)
			}
			if err := w.Write(context.Background(), rows); !errors.Is(err, ErrClosed) {
				t.Errorf("Write after failure = %v, want ErrClosed", err)
			}
			return nil
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			w, err := New[schemas.Sample](Options{Dir: dir, Format: Both})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			if got := listDir(t, dir); len(got) != 2 || got[0][0] != '.' || got[1][0] != '.' {
				t.Errorf("while writing the folder holds %q, want two hidden temp files", got)
			}
			if err := tt.run(t, w); err != nil {
				t.Fatal(err)
			}
			if got := listDir(t, dir); !slices.Equal(got, tt.want) {
				t.Errorf("folder holds %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOptionErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		err  error
		new  func() error
	}{
		{"no dir", ErrOptions, func() error { _, err := New[schemas.Reject](Options{}); return err }},
		{"bad format", ErrOptions, func() error { _, err := New[schemas.Reject](Options{Dir: dir, Format: 7}); return err }},
		{"bad compression", ErrOptions, func() error { _, err := New[schemas.Reject](Options{Dir: dir, Compression: 9}); return err }},
		{"reserved key", ErrOptions, func() error {
			_, err := New[schemas.Reject](Options{Dir: dir, Metadata: map[string]string{"rlvr_eval.table": "x"}})
			return err
		}},
		{"profiles on problems", ErrOptions, func() error {
			_, err := New[schemas.Problem](Options{Dir: dir, Profiles: []string{"lenient"}})
			return err
		}},
		{"bad profile name", ErrOptions, func() error {
			_, err := New[schemas.Sample](Options{Dir: dir, Profiles: []string{"Lenient!"}})
			return err
		}},
		{"duplicate profile", ErrOptions, func() error {
			_, err := New[schemas.Sample](Options{Dir: dir, Profiles: []string{"lenient", "lenient"}})
			return err
		}},
		{"missing dir", os.ErrNotExist, func() error {
			_, err := New[schemas.Sample](Options{Dir: filepath.Join(dir, "nope")})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.new(); !errors.Is(err, tt.err) {
				t.Errorf("err = %v, want %v", err, tt.err)
			}
		})
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("failed constructors left %q", got)
	}
}

func TestAltOrderMismatch(t *testing.T) {
	dir := t.TempDir()
	rows := testSamples(2, 10, "math_verify", "lenient")
	err := WriteTable(context.Background(), Options{Dir: dir, Profiles: []string{"lenient", "math_verify"}}, rows)
	if !errors.Is(err, ErrAltMismatch) {
		t.Fatalf("err = %v, want ErrAltMismatch", err)
	}
	if got := listDir(t, dir); len(got) != 0 {
		t.Errorf("failed WriteTable left %q", got)
	}
}

func TestFormats(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Format
		err  bool
	}{{"parquet", Parquet, false}, {"", Parquet, false}, {"arrow", Arrow, false}, {"both", Both, false}, {"csv", 0, true}} {
		got, err := ParseFormat(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("ParseFormat(%q) = %v, %v", tt.in, got, err)
		}
		if err == nil && tt.in != "" && got.String() != tt.in {
			t.Errorf("%v.String() = %q, want %q", got, got.String(), tt.in)
		}
	}
}

func TestReadParquetErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.parquet")
	if err := os.WriteFile(bad, []byte("not parquet at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{bad, filepath.Join(dir, "missing.parquet")} {
		if _, err := ReadParquet[schemas.Problem](p); err == nil {
			t.Errorf("ReadParquet(%s) succeeded", p)
		}
	}
}
