package evalsets

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

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
			n, err := walkThriftStruct(tc.in)
			if tc.err == "" && (err != nil || n != tc.len) {
				t.Fatalf("len %d err %v, want len %d", n, err, tc.len)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.err)
			}
		})
	}
	many := append([]byte{0x19, 0xf3}, binary.AppendUvarint(nil, maxThriftElements+1)...)
	many = append(many, bytes.Repeat([]byte{0x00}, maxThriftElements+2)...)
	if _, err := walkThriftStruct(many); err == nil || !strings.Contains(err.Error(), "collection elements") {
		t.Fatalf("err = %v", err)
	}
}

func TestCheckParquet(t *testing.T) {
	var buf bytes.Buffer
	if err := parquet.Write(&buf, []hubRow{{ID: 1, Question: "p", Answer: 27}}); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	patch := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	tests := []struct {
		name string
		in   []byte
		err  string
	}{
		{"written by parquet-go", good, ""},
		{"too short", []byte("PAR1PAR1"), "expected PAR1 magic bytes"},
		{"no trailing magic", patch(func(b []byte) []byte { return b[:len(b)-1] }), "expected PAR1 magic bytes"},
		{"footer length beyond the file", patch(func(b []byte) []byte {
			binary.LittleEndian.PutUint32(b[len(b)-8:], 0xc0000000)
			return b
		}), "expected a footer of at most"},
		{"footer cut", patch(func(b []byte) []byte {
			n := binary.LittleEndian.Uint32(b[len(b)-8:])
			binary.LittleEndian.PutUint32(b[len(b)-8:], n/2)
			return b
		}), "footer:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkParquet("x.parquet", tc.in)
			if tc.err == "" && err != nil {
				t.Fatal(err)
			}
			if tc.err != "" && (err == nil || !strings.Contains(err.Error(), "x.parquet: reading Parquet: "+tc.err)) {
				t.Fatalf("err = %v, want it to contain %q", err, tc.err)
			}
		})
	}
}
