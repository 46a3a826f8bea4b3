package evalsets

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
)

// Limits of checkParquet. An evalset is at most a few thousand problems; these
// are far above any real one and far below what would exhaust memory.
const (
	maxParquetBytes      = 256 << 20 // file size
	maxThriftElements    = 1 << 16   // list, set and map elements in one footer or page header
	maxThriftDepth       = 64        // nesting of structs, lists and maps
	maxParquetPageBytes  = 64 << 20  // uncompressed size of one page
	maxParquetPageValues = 1 << 20   // values in one page or column chunk
	maxParquetRows       = 1 << 17   // rows (problems) in the file
)

// checkParquet vets a Parquet file's framing, footer and page headers before
// parquet-go reads it. parquet-go allocates whatever sizes the file claims (the
// footer length, thrift list and binary lengths, page sizes) before reading the
// bytes, so a corrupt file could make it allocate gigabytes; here every claimed
// size is checked against the bytes actually present and the limits above.
func checkParquet(src string, data []byte) error {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: reading Parquet: %s", src, fmt.Sprintf(format, args...))
	}
	n := len(data)
	if n > maxParquetBytes {
		return fail("expected an evalset file of at most %d bytes, found %d", maxParquetBytes, n)
	}
	if n < 12 || string(data[:4]) != "PAR1" || string(data[n-4:]) != "PAR1" {
		return fail("expected PAR1 magic bytes at both ends of the file")
	}
	footerLen := int(binary.LittleEndian.Uint32(data[n-8 : n-4]))
	if footerLen > n-12 {
		return fail("expected a footer of at most %d bytes, found a length of %d", n-12, footerLen)
	}
	footer := data[n-8-footerLen : n-8]
	if _, err := walkThriftStruct(footer); err != nil {
		return fail("footer: %v", err)
	}
	var md format.FileMetaData
	if err := thrift.Unmarshal(new(thrift.CompactProtocol), footer, &md); err != nil {
		return fail("footer: %v", err)
	}
	if md.NumRows < 0 || md.NumRows > maxParquetRows {
		return fail("expected at most %d rows, found %d", maxParquetRows, md.NumRows)
	}
	var rows int64
	for g, rg := range md.RowGroups {
		if rows += rg.NumRows; rg.NumRows < 0 || rows > maxParquetRows {
			return fail("row group %d: expected at most %d rows in the file, found %d", g, maxParquetRows, rows)
		}
		for c, cc := range rg.Columns {
			m := cc.MetaData
			start := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
				start = m.DictionaryPageOffset
			}
			end := start + m.TotalCompressedSize
			if start < 4 || m.TotalCompressedSize < 0 || end > int64(n-8-footerLen) {
				return fail("row group %d column %d: expected its pages inside the file, found bytes %d..%d", g, c, start, end)
			}
			if m.NumValues < 0 || m.NumValues > maxParquetPageValues {
				return fail("row group %d column %d: expected at most %d values, found %d", g, c, maxParquetPageValues, m.NumValues)
			}
			if err := checkPages(data[start:end]); err != nil {
				return fail("row group %d column %d: %v", g, c, err)
			}
		}
	}
	return nil
}

// checkPages walks the page headers of one column chunk.
func checkPages(chunk []byte) error {
	for off := 0; off < len(chunk); {
		hl, err := walkThriftStruct(chunk[off:])
		if err != nil {
			return fmt.Errorf("page header at byte %d: %v", off, err)
		}
		var h format.PageHeader
		if err := thrift.Unmarshal(new(thrift.CompactProtocol), chunk[off:off+hl], &h); err != nil {
			return fmt.Errorf("page header at byte %d: %v", off, err)
		}
		rest := len(chunk) - off - hl
		switch {
		case h.CompressedPageSize < 0 || int(h.CompressedPageSize) > rest:
			return fmt.Errorf("page at byte %d: expected at most %d bytes, found a size of %d", off, rest, h.CompressedPageSize)
		case h.UncompressedPageSize < 0 || h.UncompressedPageSize > maxParquetPageBytes:
			return fmt.Errorf("page at byte %d: expected at most %d uncompressed bytes, found %d", off, maxParquetPageBytes, h.UncompressedPageSize)
		}
		for _, v := range []int64{int64(h.DataPageHeader.V.NumValues), int64(h.DictionaryPageHeader.V.NumValues),
			int64(h.DataPageHeaderV2.V.NumValues), int64(h.DataPageHeaderV2.V.NumRows), int64(h.DataPageHeaderV2.V.NumNulls)} {
			if v < 0 || v > maxParquetPageValues {
				return fmt.Errorf("page at byte %d: expected at most %d values, found %d", off, maxParquetPageValues, v)
			}
		}
		off += hl + int(h.CompressedPageSize)
	}
	return nil
}

// thriftWalker checks a thrift compact-protocol value without decoding it:
// every length and element count must fit in the bytes that follow.
type thriftWalker struct {
	b        []byte
	pos      int
	elements int
}

var errThriftShort = errors.New("thrift: expected more bytes, found the end")

// walkThriftStruct checks the struct at the start of b and returns its length.
func walkThriftStruct(b []byte) (int, error) {
	w := &thriftWalker{b: b}
	if err := w.value(12, 0); err != nil {
		return 0, err
	}
	return w.pos, nil
}

func (w *thriftWalker) byte() (byte, error) {
	if w.pos >= len(w.b) {
		return 0, errThriftShort
	}
	c := w.b[w.pos]
	w.pos++
	return c, nil
}

func (w *thriftWalker) uvarint() (uint64, error) {
	v, k := binary.Uvarint(w.b[w.pos:])
	if k <= 0 {
		if k == 0 {
			return 0, errThriftShort
		}
		return 0, errors.New("thrift: varint overflows 64 bits")
	}
	w.pos += k
	return v, nil
}

func (w *thriftWalker) skip(n uint64) error {
	if n > uint64(len(w.b)-w.pos) {
		return fmt.Errorf("thrift: expected %d more bytes, found %d", n, len(w.b)-w.pos)
	}
	w.pos += int(n)
	return nil
}

// count vets a claimed element count: each element takes at least one byte.
func (w *thriftWalker) count(n uint64) error {
	if n > uint64(len(w.b)-w.pos) {
		return fmt.Errorf("thrift: a collection claims %d elements in %d bytes", n, len(w.b)-w.pos)
	}
	w.elements += int(n)
	if w.elements > maxThriftElements {
		return fmt.Errorf("thrift: expected at most %d collection elements, found more", maxThriftElements)
	}
	return nil
}

// value checks one value of compact type t (12 = struct).
func (w *thriftWalker) value(t byte, depth int) error {
	if depth > maxThriftDepth {
		return fmt.Errorf("thrift: nesting deeper than %d", maxThriftDepth)
	}
	switch t {
	case 1, 2: // bool inside a field header: no payload
		return nil
	case 3: // i8
		return w.skip(1)
	case 4, 5, 6: // zigzag varints
		_, err := w.uvarint()
		return err
	case 7: // double
		return w.skip(8)
	case 8: // binary
		n, err := w.uvarint()
		if err != nil {
			return err
		}
		return w.skip(n)
	case 9, 10: // list, set
		h, err := w.byte()
		if err != nil {
			return err
		}
		n, et := uint64(h>>4), h&0x0f
		if n == 15 {
			if n, err = w.uvarint(); err != nil {
				return err
			}
		}
		if err := w.count(n); err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			if et == 1 || et == 2 { // a bool element is one byte
				if err := w.skip(1); err != nil {
					return err
				}
				continue
			}
			if err := w.value(et, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 11: // map
		n, err := w.uvarint()
		if err != nil || n == 0 {
			return err
		}
		kv, err := w.byte()
		if err != nil {
			return err
		}
		if err := w.count(n); err != nil {
			return err
		}
		for i := uint64(0); i < n; i++ {
			for _, et := range []byte{kv >> 4, kv & 0x0f} {
				if et == 1 || et == 2 {
					if err := w.skip(1); err != nil {
						return err
					}
				} else if err := w.value(et, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	case 12: // struct: fields until STOP
		for {
			h, err := w.byte()
			if err != nil {
				return err
			}
			if h == 0 {
				return nil
			}
			if h>>4 == 0 { // long form: the field id follows as a zigzag varint
				if _, err := w.uvarint(); err != nil {
					return err
				}
			}
			if err := w.value(h&0x0f, depth+1); err != nil {
				return err
			}
		}
	}
	return fmt.Errorf("thrift: unknown compact type %d at byte %d", t, w.pos)
}
