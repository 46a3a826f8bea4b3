package evalsets

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
)

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
