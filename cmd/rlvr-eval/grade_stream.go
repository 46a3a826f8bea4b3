package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/sourcegraph/conc/stream"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// maxLineBytes bounds one input line; a longer line is reported and skipped. A
// variable only so that tests can lower it.
var maxLineBytes = 64 << 20

const (
	// batchLines and batchBytes bound one unit of work handed to a grading goroutine.
	batchLines = 256
	batchBytes = 1 << 20
)

// inputLine is one line of input with its 1-based line number.
type inputLine struct {
	n       int
	text    []byte
	tooLong int // when > 0, the line was this many bytes and was not kept
}

// gradeStream reads JSONL pairs from r and writes one verdict line per record to w, in
// input order, grading batches on `workers` goroutines. Memory is bounded by about
// (workers+2) batches: the stream blocks the reader while all workers are busy. It
// returns an error only for broken infrastructure (read or write failure,
// cancellation); bad lines become error lines in the output.
func gradeStream(ctx context.Context, r io.Reader, w io.Writer, p grade.Profile, workers int) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	br := bufio.NewReaderSize(r, 1<<16)
	s := stream.New().WithMaxGoroutines(workers)

	var writeErr error // written only by callbacks, which run one at a time
	var failed atomic.Bool
	// submit hands a batch to the stream; flush asks for the output to be flushed once
	// the batch is written (the input paused: a caller feeding lines interactively gets
	// its verdicts without waiting for a full batch or the end of input).
	submit := func(batch []inputLine, flush bool) {
		s.Go(func() stream.Callback {
			out := gradeBatch(batch, p)
			return func() {
				if writeErr != nil {
					return
				}
				_, err := bw.Write(out)
				if err == nil && flush {
					err = bw.Flush()
				}
				if err != nil {
					writeErr = fmt.Errorf("writing verdicts: %w", err)
					failed.Store(true)
				}
			}
		})
	}

	var readErr error
	batch := make([]inputLine, 0, batchLines)
	size := 0
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			readErr = err
			break
		}
		if failed.Load() {
			break
		}
		if len(batch) > 0 && br.Buffered() == 0 {
			// The next read may block: grade what we have first.
			submit(batch, true)
			batch, size = make([]inputLine, 0, batchLines), 0
		}
		text, tooLong, err := readLine(br, maxLineBytes)
		if err != nil && !errors.Is(err, io.EOF) {
			readErr = fmt.Errorf("reading stdin line %d: %w", n, err)
			break
		}
		if errors.Is(err, io.EOF) && len(text) == 0 && tooLong == 0 {
			break
		}
		if tooLong > 0 || len(bytes.TrimSpace(text)) > 0 {
			batch = append(batch, inputLine{n: n, text: text, tooLong: tooLong})
			size += len(text)
		}
		if len(batch) >= batchLines || size >= batchBytes {
			submit(batch, false)
			batch, size = make([]inputLine, 0, batchLines), 0
		}
		if errors.Is(err, io.EOF) {
			break
		}
	}
	if len(batch) > 0 && readErr == nil && !failed.Load() {
		submit(batch, false)
	}
	s.Wait()
	if writeErr != nil {
		return writeErr
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing verdicts: %w", err)
	}
	return readErr
}

// readLine reads one line without its line ending. A line longer than max is consumed
// and dropped: text is nil and tooLong its length. err is io.EOF on the last line
// (which text may still hold) and at the end.
func readLine(br *bufio.Reader, max int) (text []byte, tooLong int, err error) {
	var buf []byte
	n := 0
	for {
		chunk, e := br.ReadSlice('\n')
		n += len(chunk)
		if n <= max+2 { // room for "\r\n"
			buf = append(buf, chunk...)
		} else {
			buf = nil
		}
		if e == bufio.ErrBufferFull {
			continue
		}
		if n > max+2 {
			return nil, n, e
		}
		buf = bytes.TrimSuffix(buf, []byte("\n"))
		buf = bytes.TrimSuffix(buf, []byte("\r"))
		if len(buf) > max {
			return nil, n, e
		}
		return buf, 0, e
	}
}
