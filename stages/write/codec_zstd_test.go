package write

import (
	"bytes"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/parquet-go/parquet-go"
	pzstd "github.com/parquet-go/parquet-go/compress/zstd"
)

// The writers' zstd codec must give parquet-go's bytes (only the encoder
// pooling differs), for pages within one block and pages that span several.
func TestZstdCodecMatchesParquetGo(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	words := []string{"answer", "\\boxed{", "so the", "python", " 42", "}\n", "Let x = ", "therefore "}
	var pages [][]byte
	for _, n := range []int{0, 1, 900, 5000, 130_000, 700_000, 9 << 20} {
		var b bytes.Buffer
		for b.Len() < n {
			if r.IntN(4) == 0 {
				b.WriteByte(byte(r.IntN(256)))
			} else {
				b.WriteString(words[r.IntN(len(words))])
			}
		}
		pages = append(pages, b.Bytes()[:n])
	}
	for _, tc := range []struct {
		name string
		ours *zstdCodec
		ref  *pzstd.Codec
	}{
		{"default", &zstdDefault, &parquet.Zstd},
		{"fastest", &zstdFastest, &pzstd.Codec{Level: pzstd.SpeedFastest}},
	} {
		for round := 0; round < 2; round++ { // the second round reuses encoders
			for _, p := range pages {
				got, err := tc.ours.Encode(nil, p)
				if err != nil {
					t.Fatal(err)
				}
				want, _ := tc.ref.Encode(nil, p)
				if !bytes.Equal(got, want) {
					t.Fatalf("%s: %d-byte page: %d bytes, parquet-go %d (different bytes)", tc.name, len(p), len(got), len(want))
				}
				back, err := tc.ours.Decode(nil, got)
				if err != nil || !bytes.Equal(back, p) {
					t.Fatalf("%s: %d-byte page does not round-trip: %v", tc.name, len(p), err)
				}
			}
		}
	}
}

// Encoders are reused across garbage collections, and concurrent writers get
// their own.
func TestZstdCodecReusesEncoders(t *testing.T) {
	c := &zstdCodec{level: pzstd.SpeedDefault}
	page := bytes.Repeat([]byte("the answer is \\boxed{7}. "), 20_000)
	first, _ := c.Encode(nil, page)
	runtime.GC()
	runtime.GC()
	if len(c.free) != 1 {
		t.Fatalf("%d idle encoders after one sequential use and two collections, want 1", len(c.free))
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if got, _ := c.Encode(nil, page); !bytes.Equal(got, first) {
				t.Error("concurrent Encode gave other bytes")
			}
		}()
	}
	wg.Wait()
	if len(c.free) > maxIdleEncoders {
		t.Errorf("%d idle encoders kept, want ≤ %d", len(c.free), maxIdleEncoders)
	}
}
