package ingest

import (
	"bytes"
	"io"
)

// lineCounter wraps a reader and maps byte offsets of the data read through it
// to 1-based line numbers, for streaming decoders (encoding/json.Decoder) that
// report positions as byte offsets. Offsets must be asked in increasing order;
// memory holds only the newlines read ahead of the last offset asked.
type lineCounter struct {
	r       io.Reader
	read    int64   // bytes read through r so far
	pending []int64 // offsets of newlines read but not yet passed
	passed  int64   // newlines before the last offset asked
}

func newLineCounter(r io.Reader) *lineCounter { return &lineCounter{r: r} }

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	chunk := p[:n]
	for {
		i := bytes.IndexByte(chunk, '\n')
		if i < 0 {
			break
		}
		c.pending = append(c.pending, c.read+int64(n-len(chunk)+i))
		chunk = chunk[i+1:]
	}
	c.read += int64(n)
	if err != nil && err != io.EOF {
		err = readError{err}
	}
	return n, err
}

// readError marks an error of the underlying file (not of its content), which a
// reader returns instead of turning it into a reject.
type readError struct{ error }

func (e readError) Unwrap() error { return e.error }

// LineAt returns the 1-based line of byte offset off.
func (c *lineCounter) LineAt(off int64) int64 {
	i := 0
	for i < len(c.pending) && c.pending[i] < off {
		i++
	}
	c.passed += int64(i)
	c.pending = c.pending[i:]
	if len(c.pending) == 0 {
		c.pending = c.pending[:0:0]
	}
	return c.passed + 1
}
