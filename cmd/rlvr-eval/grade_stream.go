package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/sourcegraph/conc/stream"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/grade/batch"
)

const (
	// defaultMaxLine bounds one input line; a longer line is reported and skipped.
	defaultMaxLine = 64 << 20
	// chunkBytes is the size of the blocks the input is read in and handed, cut after
	// their last whole line, to a grading goroutine.
	chunkBytes = 1 << 20
)

// streamConfig is how gradeStream works.
type streamConfig struct {
	profile grade.Profile // for lines without a "profile"
	workers int           // grading goroutines, at least 1
	maxLine int           // longest line graded, in bytes without its line ending
}

// inputLine is one line of input for the slow path, with its 1-based line number.
type inputLine struct {
	n       int
	text    []byte
	tooLong int // when > 0, the line was this many bytes with its ending and was not kept
	max     int // the longest line kept (for the too-long message)
}

// chunk is a run of whole input lines, or one line that was too long to keep.
type chunk struct {
	data    []byte // whole lines, each ending in '\n' except the last at end of input
	first   int    // line number of the first line
	lines   int    // number of '\n' in data
	tooLong int    // > 0: data is empty, and line first had this many bytes
	flush   bool   // flush the output once this chunk's lines are written
}

// gradeStream reads JSONL pairs from r and writes one verdict line per record to w,
// in input order. The input is read in blocks of about a megabyte, cut after their
// last whole line; each block is graded on one of cfg.workers goroutines and its
// output written in order. Memory is bounded by about 2·workers+3 blocks (a block
// grows to hold one line of up to cfg.maxLine bytes): the reader waits while every
// worker is busy. When a read returns less than it asked for (a pipe or terminal
// with nothing more to give at once), the lines read so far are graded and their
// verdicts flushed before the next read, so a caller that writes one line and waits
// for its verdict gets it.
//
// It returns an error only for broken infrastructure (read or write failure,
// cancellation); bad lines become error lines in the output. After a read error the
// whole lines read before it are still graded and written.
func gradeStream(ctx context.Context, r io.Reader, w io.Writer, cfg streamConfig) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	s := stream.New().WithMaxGoroutines(cfg.workers)
	golds := batch.NewGolds()

	var writeErr error // written only by callbacks, which run one at a time
	var failed atomic.Bool
	submit := func(c chunk) {
		s.Go(func() stream.Callback {
			out := getBuf(128 * (c.lines + 1))
			g := lineGrader{golds: golds.Memo(), profile: cfg.profile, maxLine: cfg.maxLine}
			if c.tooLong > 0 {
				out = g.slow(inputLine{n: c.first, tooLong: c.tooLong, max: cfg.maxLine}, out)
			} else {
				g.scratch = getBuf(0)
				out = g.gradeChunk(c.data, c.first, out)
				putBuf(g.scratch)
			}
			putBuf(c.data)
			return func() {
				defer putBuf(out)
				if writeErr != nil {
					return
				}
				_, err := bw.Write(out)
				if err == nil && c.flush {
					err = bw.Flush()
				}
				if err != nil {
					writeErr = fmt.Errorf("writing verdicts: %w", err)
					failed.Store(true)
				}
			}
		})
	}
	readErr := readChunks(ctx, r, cfg.maxLine, &failed, submit)
	s.Wait()
	if writeErr != nil {
		return writeErr
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing verdicts: %w", err)
	}
	return readErr
}

// readChunks reads r to its end and hands it to submit in chunks of whole lines. A
// line longer than maxLine+2 bytes (room for "\r\n") is not kept: it becomes a chunk
// of its own with its length. It stops early, returning the error, when ctx is done
// or a read fails, and without error when stop is set.
func readChunks(ctx context.Context, r io.Reader, maxLine int, stop *atomic.Bool, submit func(chunk)) error {
	buf := getBuf(chunkBytes)
	line := 1     // line number of the first line in buf
	skipping := 0 // > 0: bytes so far of a too long line being skipped
	for {
		if err := ctx.Err(); err != nil {
			putBuf(buf)
			return err
		}
		if stop.Load() {
			putBuf(buf)
			return nil
		}
		if len(buf) == cap(buf) {
			// No whole line in a full buffer: grow it, or skip the line.
			if limit := maxLine + 2; cap(buf) < limit {
				nb := make([]byte, len(buf), min(2*cap(buf), limit))
				copy(nb, buf)
				putBuf(buf)
				buf = nb
			} else {
				skipping += len(buf)
				buf = buf[:0]
			}
		}
		want := cap(buf) - len(buf)
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		eof := errors.Is(err, io.EOF)
		if err != nil && !eof {
			// Grade the whole lines read so far, then report.
			if i := bytes.LastIndexByte(buf, '\n'); i >= 0 && skipping == 0 {
				c := chunk{data: buf[:i+1], first: line, lines: bytes.Count(buf[:i+1], []byte{'\n'})}
				line += c.lines
				submit(c)
			}
			return fmt.Errorf("reading stdin line %d: %w", line, err)
		}
		// Only the bytes just read can hold a newline: what came before had none
		// (it was cut after its last one). Searching only them keeps a line that
		// trickles in a byte per read linear, not quadratic.
		fresh := len(buf) - n
		if skipping > 0 {
			i := bytes.IndexByte(buf[fresh:], '\n')
			if i < 0 && !eof {
				continue
			}
			if i < 0 {
				i = len(buf) - 1
			} else {
				i += fresh
			}
			submit(chunk{first: line, tooLong: skipping + i + 1})
			line++
			skipping = 0
			rest := getBuf(chunkBytes)
			rest = append(rest, buf[i+1:]...)
			putBuf(buf)
			buf = rest
			fresh = 0
			if eof && len(buf) == 0 {
				putBuf(buf)
				return nil
			}
		}
		if eof {
			if len(buf) > 0 {
				submit(chunk{data: buf, first: line, lines: bytes.Count(buf, []byte{'\n'})})
			} else {
				putBuf(buf)
			}
			return nil
		}
		// A read either filled the buffer or returned less than asked for: then the
		// next read may block, so grade (and flush) the whole lines read so far.
		i := bytes.LastIndexByte(buf[fresh:], '\n')
		if i < 0 {
			continue
		}
		i += fresh
		c := chunk{data: buf[:i+1], first: line, lines: bytes.Count(buf[:i+1], []byte{'\n'}), flush: n < want}
		line += c.lines
		rest := getBuf(chunkBytes)
		rest = append(rest, buf[i+1:]...)
		buf = rest
		submit(c)
	}
}

// bufs recycles input blocks, scratch and output buffers of the standard size.
var bufs sync.Pool

// getBuf returns an empty buffer with room for at least size bytes.
func getBuf(size int) []byte {
	if size <= chunkBytes {
		if b, ok := bufs.Get().(*[]byte); ok {
			return (*b)[:0]
		}
		return make([]byte, 0, chunkBytes)
	}
	return make([]byte, 0, size)
}

// putBuf gives a buffer back for reuse; only those of the standard size are kept.
func putBuf(b []byte) {
	if cap(b) == chunkBytes {
		b = b[:0]
		bufs.Put(&b)
	}
}
