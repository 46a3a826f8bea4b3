package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/rlvr-eval/rlvr-eval/schemas"
)

// MaxLineBytes bounds one line of a JSONL file. A longer line is rejected and
// skipped without being held in memory whole, so a corrupt file cannot exhaust
// memory; responses of a few hundred KiB pass.
const MaxLineBytes = 64 << 20

// cancelEvery is how many lines ScanJSONLines reads between context checks.
const cancelEvery = 256

// ScanJSONLines streams the JSONL text of r (named file in rejects) and calls fn
// with the 1-based number and the bytes of every non-blank line, in order. The
// bytes are valid only until fn returns. Line numbers count blank lines too, so
// they match what an editor shows.
//
// Lines that are not JSON are passed to fn like the others (the reader decides
// what to reject), with two exceptions emitted here as rejects: a line longer
// than MaxLineBytes, and a last line without a newline that is not complete JSON
// (a write cut short: "truncated last line"). Memory is constant in the size of
// r apart from the longest line.
//
// ScanJSONLines returns an error only when r fails, ctx is cancelled, or emit or
// fn returns one.
func ScanJSONLines(ctx context.Context, file string, r io.Reader, emit func(Item) error, fn func(line int64, data []byte) error) error {
	br := bufio.NewReaderSize(r, 1<<16)
	var (
		buf  []byte
		line int64
	)
	for {
		buf = buf[:0]
		tooLong, sawNewline, read := false, false, 0
		var readErr error
		for {
			chunk, err := br.ReadSlice('\n')
			read += len(chunk)
			if !tooLong {
				if len(buf)+len(chunk) > MaxLineBytes {
					tooLong = true
					if keep := schemas.RawLimit - len(buf); keep > 0 {
						buf = append(buf, chunk[:min(keep, len(chunk))]...)
					}
				} else {
					buf = append(buf, chunk...)
				}
			}
			if err == nil {
				sawNewline = true
				break
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			readErr = err
			break
		}
		if read == 0 {
			if readErr != nil && readErr != io.EOF {
				return fmt.Errorf("reading %s line %d: %w", file, line+1, readErr)
			}
			return ctx.Err()
		}
		line++
		if line%cancelEvery == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		data := bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte("\n")), []byte("\r"))
		switch {
		case tooLong:
			if err := emit(rejectAt(file, line, data, fmt.Sprintf("expected a line of at most %d bytes, found one longer than that", MaxLineBytes))); err != nil {
				return err
			}
		case len(bytes.TrimSpace(data)) == 0:
		case !sawNewline && !json.Valid(data):
			if err := emit(rejectAt(file, line, data, "expected a complete JSON line, found a truncated last line (no newline, JSON cut short)")); err != nil {
				return err
			}
		default:
			if err := fn(line, data); err != nil {
				return err
			}
		}
		if readErr != nil {
			if readErr != io.EOF {
				return fmt.Errorf("reading %s line %d: %w", file, line, readErr)
			}
			return ctx.Err()
		}
	}
}

// RawExcerpt returns at most schemas.RawLimit bytes of raw as valid UTF-8 (for
// Reject.Raw): a rune cut by the limit is dropped and invalid bytes become U+FFFD
// as long as the result stays within the limit.
func RawExcerpt(raw []byte) string {
	if len(raw) <= schemas.RawLimit && utf8.Valid(raw) {
		return string(raw)
	}
	var b []byte
	for len(raw) > 0 {
		r, size := utf8.DecodeRune(raw)
		n := size
		if r == utf8.RuneError && size <= 1 {
			n = utf8.RuneLen(utf8.RuneError)
		}
		if len(b)+n > schemas.RawLimit {
			break
		}
		b = utf8.AppendRune(b, r)
		raw = raw[size:]
	}
	return string(b)
}

// FirstKeys returns up to n keys of the top-level JSON object that head starts
// with, in order. head may be cut anywhere (a 64 KiB file head): the keys read
// before the cut are returned. It returns nil when head does not start with an
// object.
func FirstKeys(head []byte, n int) []string {
	dec := json.NewDecoder(bytes.NewReader(head))
	tok, err := dec.Token()
	if err != nil || tok != json.Delim('{') {
		return nil
	}
	var keys []string
	for len(keys) < n && dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		k, ok := tok.(string)
		if !ok {
			break
		}
		keys = append(keys, k)
		if len(keys) == n || skipJSONValue(dec) != nil {
			break
		}
	}
	return keys
}

// skipJSONValue consumes the next JSON value of dec, however deeply nested,
// without keeping it.
func skipJSONValue(dec *json.Decoder) error {
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}
