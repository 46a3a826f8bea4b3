package safeparquet

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
	"github.com/sourcegraph/conc/panics"
)

// Limits bounds what a file may claim. A zero field takes the value of
// DefaultLimits.
type Limits struct {
	FileBytes      int64 // size of the file
	Rows           int64 // rows in the file
	ChunkValues    int64 // values in one column chunk, and so in one page
	PageBytes      int64 // uncompressed size of one page
	HeaderBytes    int64 // size of one page header (statistics included)
	ThriftElements int   // list, set and map elements in one footer or page header
	ThriftDepth    int   // nesting of structs, lists and maps
}

// DefaultLimits returns limits far above any table this project reads or
// writes (a history of thousands of runs, a details file of a large
// benchmark) and far below what would exhaust a machine's memory.
func DefaultLimits() Limits {
	return Limits{
		FileBytes:      16 << 30,
		Rows:           1 << 28,
		ChunkValues:    1 << 28,
		PageBytes:      256 << 20,
		HeaderBytes:    16 << 20,
		ThriftElements: 1 << 20,
		ThriftDepth:    64,
	}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	set := func(v *int64, def int64) {
		if *v <= 0 {
			*v = def
		}
	}
	set(&l.FileBytes, d.FileBytes)
	set(&l.Rows, d.Rows)
	set(&l.ChunkValues, d.ChunkValues)
	set(&l.PageBytes, d.PageBytes)
	set(&l.HeaderBytes, d.HeaderBytes)
	if l.ThriftElements <= 0 {
		l.ThriftElements = d.ThriftElements
	}
	if l.ThriftDepth <= 0 {
		l.ThriftDepth = d.ThriftDepth
	}
	return l
}

// ErrPanic marks an error that parquet-go raised as a panic.
var ErrPanic = errors.New("parquet-go panicked")

// Do runs f and returns its error, or a panic of f as an error wrapping
// ErrPanic. It is the one way this project turns a Parquet library panic into
// an error.
func Do(f func() error) (err error) {
	if r := panics.Try(func() { err = f() }); r != nil {
		return fmt.Errorf("%w: %v", ErrPanic, r.Value)
	}
	return err
}

// Open checks the file in r (size bytes) with Check and opens it with
// parquet-go (page index and bloom filters skipped: nothing here reads them).
func Open(r io.ReaderAt, size int64, lim Limits) (*parquet.File, error) {
	if err := Check(r, size, lim); err != nil {
		return nil, err
	}
	var pf *parquet.File
	err := Do(func() (err error) {
		pf, err = parquet.OpenFile(r, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true))
		return err
	})
	if err != nil {
		return nil, err
	}
	return pf, nil
}

// OpenPath opens the file at path with Open. The caller closes the returned
// *os.File once it is done with the *parquet.File. A folder is an error.
func OpenPath(path string, lim Limits) (*os.File, *parquet.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		err = errors.New("expected a Parquet file, found a folder")
	}
	var pf *parquet.File
	if err == nil {
		pf, err = Open(f, st.Size(), lim)
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, pf, nil
}

// Check vets a Parquet file's framing, footer and page headers: the magic
// bytes at both ends, a footer length inside the file, a footer and page
// headers whose every thrift length and element count fits in the bytes that
// follow, row counts, column chunks inside the data region, page sizes that
// fit in their chunk, value counts within their chunk's and lim. It reads
// the footer and each page header, never a page body.
func Check(r io.ReaderAt, size int64, lim Limits) error {
	lim = lim.withDefaults()
	if size > lim.FileBytes {
		return fmt.Errorf("expected a Parquet file of at most %d bytes, found %d", lim.FileBytes, size)
	}
	if size < 12 {
		return fmt.Errorf("expected PAR1 magic bytes at both ends of a file of at least 12 bytes, found %d bytes", size)
	}
	var head, tail [8]byte
	if _, err := r.ReadAt(head[:4], 0); err != nil {
		return err
	}
	if _, err := r.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	if string(head[:4]) != "PAR1" || string(tail[4:]) != "PAR1" {
		return fmt.Errorf("expected PAR1 magic bytes at both ends of the file, found %q and %q", head[:4], tail[4:])
	}
	footerLen := int64(uint32(tail[0]) | uint32(tail[1])<<8 | uint32(tail[2])<<16 | uint32(tail[3])<<24)
	if footerLen > size-12 {
		return fmt.Errorf("expected a footer of at most %d bytes, found a length of %d", size-12, footerLen)
	}
	footer := make([]byte, footerLen)
	if _, err := r.ReadAt(footer, size-8-footerLen); err != nil {
		return err
	}
	if _, err := walkThriftStruct(footer, lim); err != nil {
		return fmt.Errorf("footer: %v", err)
	}
	var md format.FileMetaData
	if err := Do(func() error { return thrift.Unmarshal(new(thrift.CompactProtocol), footer, &md) }); err != nil {
		return fmt.Errorf("footer: %v", err)
	}
	dataEnd := size - 8 - footerLen
	var rows int64
	for g, rg := range md.RowGroups {
		if rg.NumRows < 0 || rg.NumRows > lim.Rows-rows {
			return fmt.Errorf("row group %d: expected at most %d rows in the file, found %d more after %d", g, lim.Rows, rg.NumRows, rows)
		}
		rows += rg.NumRows
		for c, cc := range rg.Columns {
			if err := checkChunk(r, &cc.MetaData, dataEnd, lim); err != nil {
				return fmt.Errorf("row group %d column %d: %v", g, c, err)
			}
		}
	}
	// The footer's total sizes readers' allocations; it must be the rows the
	// row groups hold (so it is within lim.Rows too).
	if md.NumRows != rows {
		return fmt.Errorf("footer: expected %d rows (footer), read %d in its row groups", md.NumRows, rows)
	}
	return nil
}

// checkChunk checks one column chunk's claims and walks its page headers.
func checkChunk(r io.ReaderAt, m *format.ColumnMetaData, dataEnd int64, lim Limits) error {
	start := m.DataPageOffset
	if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
		start = m.DictionaryPageOffset
	}
	if start < 4 || m.TotalCompressedSize < 0 || m.TotalCompressedSize > dataEnd-start {
		return fmt.Errorf("expected its pages inside bytes 4..%d of the file, found %d bytes from byte %d", dataEnd, m.TotalCompressedSize, start)
	}
	if m.NumValues < 0 || m.NumValues > lim.ChunkValues {
		return fmt.Errorf("expected at most %d values, found %d", lim.ChunkValues, m.NumValues)
	}
	end := start + m.TotalCompressedSize
	for off := start; off < end; {
		hl, h, err := readPageHeader(r, off, end, lim)
		if err != nil {
			return fmt.Errorf("page header at byte %d: %v", off, err)
		}
		rest := end - off - hl
		switch {
		case h.CompressedPageSize < 0 || int64(h.CompressedPageSize) > rest:
			return fmt.Errorf("page at byte %d: expected at most %d bytes, found a size of %d", off, rest, h.CompressedPageSize)
		case h.UncompressedPageSize < 0 || int64(h.UncompressedPageSize) > lim.PageBytes:
			return fmt.Errorf("page at byte %d: expected at most %d uncompressed bytes, found %d", off, lim.PageBytes, h.UncompressedPageSize)
		}
		maxValues := m.NumValues // a data page holds some of the chunk's values
		if h.Type == format.DictionaryPage {
			maxValues = lim.ChunkValues
		}
		for _, v := range []int64{int64(h.DataPageHeader.V.NumValues), int64(h.DictionaryPageHeader.V.NumValues),
			int64(h.DataPageHeaderV2.V.NumValues), int64(h.DataPageHeaderV2.V.NumRows), int64(h.DataPageHeaderV2.V.NumNulls)} {
			if v < 0 || v > maxValues {
				return fmt.Errorf("page at byte %d: expected at most %d values, found %d", off, maxValues, v)
			}
		}
		off += hl + int64(h.CompressedPageSize)
	}
	return nil
}

// readPageHeader reads and decodes the page header at off, reading a window
// that grows until the header fits (at most lim.HeaderBytes and the chunk).
func readPageHeader(r io.ReaderAt, off, end int64, lim Limits) (int64, *format.PageHeader, error) {
	window := min(int64(4<<10), end-off)
	for {
		buf := make([]byte, window)
		if _, err := r.ReadAt(buf, off); err != nil {
			return 0, nil, err
		}
		hl, err := walkThriftStruct(buf, lim)
		if errors.Is(err, errThriftShort) && window < end-off && window < lim.HeaderBytes {
			window = min(4*window, end-off, lim.HeaderBytes)
			continue
		}
		if err != nil {
			if errors.Is(err, errThriftShort) && window == lim.HeaderBytes {
				return 0, nil, fmt.Errorf("expected a page header of at most %d bytes, found a longer one", lim.HeaderBytes)
			}
			return 0, nil, err
		}
		var h format.PageHeader
		if err := Do(func() error { return thrift.Unmarshal(new(thrift.CompactProtocol), buf[:hl], &h) }); err != nil {
			return 0, nil, err
		}
		return int64(hl), &h, nil
	}
}
