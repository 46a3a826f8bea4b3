package write

import (
	"sync"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// zstdCodec is parquet-go's zstd codec (the same encoder options, so the same
// bytes) with a free list of encoders that outlives garbage collections.
// parquet-go keeps its encoders in a sync.Pool, which drops them at every
// collection and holds one per P; each encoder owns a 16 MB history buffer,
// so a long run kept allocating fresh ones, and the garbage pushed the heap
// (and the peak RSS) up by tens of MB. Decoding is parquet-go's.
type zstdCodec struct {
	level zstd.EncoderLevel
	mu    sync.Mutex
	free  []*zstd.Encoder
}

// maxIdleEncoders bounds the encoders kept between uses.
const maxIdleEncoders = 4

func (c *zstdCodec) String() string { return "ZSTD" }

func (c *zstdCodec) CompressionCodec() format.CompressionCodec { return format.Zstd }

func (c *zstdCodec) Encode(dst, src []byte) ([]byte, error) {
	e, err := c.get()
	if err != nil {
		return dst[:0], err
	}
	out := e.EncodeAll(src, dst[:0])
	c.put(e)
	return out, nil
}

func (c *zstdCodec) Decode(dst, src []byte) ([]byte, error) { return parquet.Zstd.Decode(dst, src) }

func (c *zstdCodec) get() (*zstd.Encoder, error) {
	c.mu.Lock()
	if n := len(c.free); n > 0 {
		e := c.free[n-1]
		c.free[n-1] = nil
		c.free = c.free[:n-1]
		c.mu.Unlock()
		return e, nil
	}
	c.mu.Unlock()
	// parquet-go's options, plus WithLowerEncoderMem: a history buffer of the
	// 8 MB window + one block instead of twice the window. It changes when
	// history is moved down, which only pages over 8 MB reach, and a move
	// keeps the window, so the bytes stay the same.
	return zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(c.level),
		zstd.WithZeroFrames(true), zstd.WithEncoderCRC(false), zstd.WithLowerEncoderMem(true))
}

func (c *zstdCodec) put(e *zstd.Encoder) {
	c.mu.Lock()
	if len(c.free) < maxIdleEncoders {
		c.free = append(c.free, e)
	}
	c.mu.Unlock()
}
