package safeparquet

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

type row struct {
	ID   int64  `parquet:"id"`
	Text string `parquet:"text"`
}

// goodFile is a small file written by parquet-go: one row group, two columns.
func goodFile(t testing.TB) []byte {
	t.Helper()
	rows := make([]row, 100)
	for i := range rows {
		rows[i] = row{ID: int64(i), Text: strings.Repeat("x", i%7)}
	}
	var buf bytes.Buffer
	if err := parquet.Write(&buf, rows); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// footerOf decodes the footer of a file.
func footerOf(t testing.TB, b []byte) *format.FileMetaData {
	t.Helper()
	n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
	var md format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), b[len(b)-8-n:len(b)-8], &md); err != nil {
		t.Fatal(err)
	}
	return &md
}

// withFooter returns b with its footer replaced by md after edit.
func withFooter(t testing.TB, b []byte, edit func(md *format.FileMetaData)) []byte {
	t.Helper()
	md := footerOf(t, b)
	edit(md)
	enc, err := thrift.Marshal(new(thrift.CompactProtocol), md)
	if err != nil {
		t.Fatal(err)
	}
	n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
	out := append([]byte(nil), b[:len(b)-8-n]...)
	out = append(out, enc...)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(enc)))
	return append(out, "PAR1"...)
}

// withPageHeader returns b with the first page header of the first column
// chunk re-encoded after edit; every offset after it moves by the change in
// its length, so only the edit differs.
func withPageHeader(t testing.TB, b []byte, edit func(h *format.PageHeader)) []byte {
	t.Helper()
	md := footerOf(t, b)
	m := &md.RowGroups[0].Columns[0].MetaData
	off := m.DataPageOffset
	if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < off {
		off = m.DictionaryPageOffset
	}
	hl, err := walkThriftStruct(b[off:], Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var h format.PageHeader
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), b[off:off+int64(hl)], &h); err != nil {
		t.Fatal(err)
	}
	edit(&h)
	enc, err := thrift.Marshal(new(thrift.CompactProtocol), &h)
	if err != nil {
		t.Fatal(err)
	}
	delta := int64(len(enc) - hl)
	body := append(append(append([]byte(nil), b[:off]...), enc...), b[off+int64(hl):]...)
	return withFooter(t, body, func(md *format.FileMetaData) {
		shift := func(v *int64) {
			if *v > off {
				*v += delta
			}
		}
		for g := range md.RowGroups {
			for c := range md.RowGroups[g].Columns {
				cc := &md.RowGroups[g].Columns[c]
				shift(&cc.MetaData.DataPageOffset)
				shift(&cc.MetaData.DictionaryPageOffset)
				shift(&cc.ColumnIndexOffset)
				shift(&cc.OffsetIndexOffset)
				shift(&cc.FileOffset)
				if g == 0 && c == 0 {
					cc.MetaData.TotalCompressedSize += delta
				}
			}
		}
	})
}

// setValues sets the value count of a data page of either version.
func setValues(h *format.PageHeader, n int32) {
	if h.Type == format.DataPageV2 {
		h.DataPageHeaderV2.V.NumValues = n
	} else {
		h.DataPageHeader.V.NumValues = n
	}
}

func check(b []byte, lim Limits) error { return Check(bytes.NewReader(b), int64(len(b)), lim) }

// The helpers change only what a case asks: re-encoding unchanged gives a file
// that still opens and reads the same rows.
func TestRewritingHelpersKeepTheFileValid(t *testing.T) {
	good := goodFile(t)
	for name, b := range map[string][]byte{
		"footer":      withFooter(t, good, func(*format.FileMetaData) {}),
		"page header": withPageHeader(t, good, func(h *format.PageHeader) { h.CRC = 0 }),
	} {
		pf, err := Open(bytes.NewReader(b), int64(len(b)), Limits{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if pf.NumRows() != 100 {
			t.Fatalf("%s: %d rows, expected 100", name, pf.NumRows())
		}
	}
}

// Every hostile claim is an error that says what was expected and found, and
// Check returns it before parquet-go allocates anything the file claims.
func TestHostileFooters(t *testing.T) {
	good := goodFile(t)
	patch := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	footer := func(f func(md *format.FileMetaData)) []byte { return withFooter(t, good, f) }
	col := func(f func(m *format.ColumnMetaData)) []byte {
		return footer(func(md *format.FileMetaData) { f(&md.RowGroups[0].Columns[0].MetaData) })
	}
	page := func(f func(h *format.PageHeader)) []byte { return withPageHeader(t, good, f) }
	tests := []struct {
		name string
		in   []byte
		lim  Limits
		err  string
	}{
		{"empty", nil, Limits{}, "at least 12 bytes, found 0"},
		{"magic only", []byte("PAR1PAR1"), Limits{}, "expected PAR1 magic bytes"},
		{"no leading magic", patch(func(b []byte) []byte { b[0] = 'X'; return b }), Limits{}, `found "XAR1" and "PAR1"`},
		{"no trailing magic", patch(func(b []byte) []byte { return b[:len(b)-1] }), Limits{}, "expected PAR1 magic bytes"},
		{"footer length 3 GiB", patch(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[len(b)-8:], 0xc0000000)
			return b
		}), Limits{}, "expected a footer of at most"},
		{"footer cut in half", patch(func(b []byte) []byte {
			n := binary.LittleEndian.Uint32(b[len(b)-8:])
			binary.LittleEndian.PutUint32(b[len(b)-8:], n/2)
			return b
		}), Limits{}, "footer:"},
		{"file larger than the limit", good, Limits{FileBytes: 100}, "at most 100 bytes, found"},
		{"negative row count", footer(func(md *format.FileMetaData) { md.NumRows = -1 }), Limits{}, "expected -1 rows (footer), read 100 in its row groups"},
		{"row count beyond its row groups", footer(func(md *format.FileMetaData) { md.NumRows = 1 << 40 }), Limits{}, "expected 1099511627776 rows (footer), read 100"},
		{"row group rows over the limit", footer(func(md *format.FileMetaData) { md.RowGroups[0].NumRows = 1 << 40 }), Limits{}, "row group 0: expected at most"},
		{"row groups adding up over the limit", footer(func(md *format.FileMetaData) {
			md.NumRows = 0
			md.RowGroups = append(md.RowGroups, md.RowGroups[0], md.RowGroups[0])
		}), Limits{Rows: 250}, "row group 2: expected at most 250 rows in the file, found 100 more after 200"},
		{"chunk before the data", col(func(m *format.ColumnMetaData) { m.DataPageOffset = 0 }), Limits{}, "expected its pages inside bytes 4.."},
		{"chunk past the footer", col(func(m *format.ColumnMetaData) { m.TotalCompressedSize = 1 << 40 }), Limits{}, "expected its pages inside bytes 4.."},
		{"negative chunk size", col(func(m *format.ColumnMetaData) { m.TotalCompressedSize = -5 }), Limits{}, "found -5 bytes"},
		{"chunk values over the limit", col(func(m *format.ColumnMetaData) { m.NumValues = 1 << 40 }), Limits{}, "expected at most 268435456 values, found 1099511627776"},
		{"page larger than its chunk", page(func(h *format.PageHeader) { h.CompressedPageSize = 1 << 30 }), Limits{}, "found a size of 1073741824"},
		{"negative page size", page(func(h *format.PageHeader) { h.CompressedPageSize = -1 }), Limits{}, "found a size of -1"},
		{"uncompressed page of 2 GiB", page(func(h *format.PageHeader) { h.UncompressedPageSize = 1<<31 - 1 }), Limits{}, "expected at most 268435456 uncompressed bytes, found 2147483647"},
		{"page with more values than its chunk", page(func(h *format.PageHeader) { setValues(h, 1<<30) }), Limits{}, "expected at most 100 values, found 1073741824"},
		{"negative page values", page(func(h *format.PageHeader) { setValues(h, -1) }), Limits{}, "values, found -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := check(tc.in, tc.lim)
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Check: err = %v, expected it to contain %q", err, tc.err)
			}
			if _, err := Open(bytes.NewReader(tc.in), int64(len(tc.in)), tc.lim); err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("Open: err = %v, expected it to contain %q", err, tc.err)
			}
		})
	}
}

// A footer list that claims more elements than the limit fails in the walk,
// before thrift decoding allocates the list.
func TestFooterElementLimit(t *testing.T) {
	good := goodFile(t)
	b := withFooter(t, good, func(md *format.FileMetaData) {
		for i := 0; i < 50; i++ {
			md.KeyValueMetadata = append(md.KeyValueMetadata, format.KeyValue{Key: "k", Value: "v"})
		}
	})
	if err := check(b, Limits{ThriftElements: 20}); err == nil || !strings.Contains(err.Error(), "footer: thrift: expected at most 20 collection elements") {
		t.Fatalf("err = %v", err)
	}
	if err := check(b, Limits{}); err != nil {
		t.Fatalf("the same file under the default limits: %v", err)
	}
}

// A page header longer than HeaderBytes is refused; one that needs a window
// larger than the first read is still read.
func TestLongPageHeader(t *testing.T) {
	good := goodFile(t)
	long := strings.Repeat("m", 20000)
	b := withPageHeader(t, good, func(h *format.PageHeader) {
		if h.Type == format.DataPageV2 {
			h.DataPageHeaderV2.V.Statistics.MaxValue = []byte(long)
		} else {
			h.DataPageHeader.V.Statistics.MaxValue = []byte(long)
		}
	})
	if err := check(b, Limits{}); err != nil {
		t.Fatalf("a 20 kB page header under the default limits: %v", err)
	}
	if err := check(b, Limits{HeaderBytes: 8 << 10}); err == nil || !strings.Contains(err.Error(), "expected a page header of at most 8192 bytes") {
		t.Fatalf("err = %v", err)
	}
}

func TestDoTurnsPanicsIntoErrors(t *testing.T) {
	err := Do(func() error { panic("boom") })
	if !errors.Is(err, ErrPanic) || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, expected ErrPanic with the panic value", err)
	}
	want := errors.New("plain")
	if err := Do(func() error { return want }); err != want {
		t.Fatalf("err = %v, expected f's own error", err)
	}
}

func TestOpenPath(t *testing.T) {
	dir := t.TempDir()
	if _, _, err := OpenPath(dir, Limits{}); err == nil || !strings.Contains(err.Error(), "found a folder") {
		t.Fatalf("folder: err = %v", err)
	}
	if _, _, err := OpenPath(filepath.Join(dir, "missing.parquet"), Limits{}); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: err = %v", err)
	}
	p := filepath.Join(dir, "t.parquet")
	if err := os.WriteFile(p, goodFile(t), 0o644); err != nil {
		t.Fatal(err)
	}
	f, pf, err := OpenPath(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if pf.NumRows() != 100 {
		t.Fatalf("%d rows, expected 100", pf.NumRows())
	}
}

// Real files written by this project's writer pass under the default limits.
func TestProjectTablesPass(t *testing.T) {
	paths, _ := filepath.Glob("../../stages/write/testdata/golden/*.parquet")
	if len(paths) == 0 {
		t.Fatal("expected the writer's golden tables in stages/write/testdata/golden")
	}
	for _, p := range paths {
		f, _, err := OpenPath(p, Limits{})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		f.Close()
	}
}

func TestWalkThriftStruct(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		len  int
		err  string
	}{
		{"i32 field then stop", []byte{0x15, 0x02, 0x00, 0xff}, 3, ""},
		{"long-form field id", []byte{0x05, 0x04, 0x02, 0x00}, 4, ""},
		{"binary", []byte{0x18, 0x03, 'a', 'b', 'c', 0x00}, 6, ""},
		{"list of bools", []byte{0x19, 0x31, 0x01, 0x02, 0x01, 0x00}, 6, ""},
		{"map i32 to binary", []byte{0x1b, 0x01, 0x58, 0x02, 0x01, 'x', 0x00}, 7, ""},
		{"empty map", []byte{0x1b, 0x00, 0x00}, 3, ""},
		{"list claims more elements than bytes", []byte{0x19, 0xfc, 0xe8, 0x07, 0x00}, 0, "claims 1000 elements in 1 bytes"},
		{"binary longer than the input", []byte{0x18, 0x80, 0x80, 0x80, 0x80, 0x08}, 0, "more bytes, found 0"},
		{"truncated", []byte{0x15}, 0, "expected more bytes"},
		{"varint overflow", append([]byte{0x16}, bytes.Repeat([]byte{0xff}, 11)...), 0, "overflows"},
		{"unknown type", []byte{0x1d, 0x00}, 0, "unknown compact type 13"},
		{"too deep", bytes.Repeat([]byte{0x1c}, 100), 0, "nesting deeper than 64"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n, err := walkThriftStruct(tc.in, Limits{})
			if tc.err == "" && (err != nil || n != tc.len) {
				t.Fatalf("len %d err %v, want len %d", n, err, tc.len)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.err)
			}
		})
	}
	many := append([]byte{0x19, 0xf3}, binary.AppendUvarint(nil, 1<<16+1)...)
	many = append(many, bytes.Repeat([]byte{0x00}, 1<<16+2)...)
	if _, err := walkThriftStruct(many, Limits{ThriftElements: 1 << 16}); err == nil || !strings.Contains(err.Error(), "collection elements") {
		t.Fatalf("err = %v", err)
	}
}
