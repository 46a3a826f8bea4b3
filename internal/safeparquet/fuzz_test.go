package safeparquet

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// FuzzOpen: whatever the bytes, Open returns a file or an error and never
// panics; a file it returns reads to the end (rows or an error, through Do)
// without panicking, and holds no more rows than the limits allow.
func FuzzOpen(f *testing.F) {
	good := goodFile(f)
	f.Add(good)
	f.Add([]byte("PAR1PAR1"))
	f.Add(append([]byte(nil), good[:len(good)/2]...))
	big := append([]byte(nil), good...)
	binary.LittleEndian.PutUint32(big[len(big)-8:], 0x7fffffff)
	f.Add(big)
	lim := Limits{Rows: 1 << 12, ChunkValues: 1 << 14, PageBytes: 1 << 20, HeaderBytes: 1 << 16, ThriftElements: 1 << 12}
	f.Fuzz(func(t *testing.T, b []byte) {
		pf, err := Open(bytes.NewReader(b), int64(len(b)), lim)
		if err != nil {
			return
		}
		if pf.NumRows() > lim.Rows {
			t.Fatalf("opened a file of %d rows under a limit of %d", pf.NumRows(), lim.Rows)
		}
		_ = Do(func() error {
			for _, rg := range pf.RowGroups() {
				rows := rg.Rows()
				buf := make([]parquet.Row, 16)
				for {
					n, err := rows.ReadRows(buf)
					if n == 0 || err != nil {
						break
					}
				}
				rows.Close()
			}
			return nil
		})
	})
}
