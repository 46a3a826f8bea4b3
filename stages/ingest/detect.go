package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"
)

// SniffBytes is how much of a file's head detection looks at.
const SniffBytes = 64 << 10

// ErrUnknownFormat is returned (wrapped in a *DetectError) when no registered
// format recognises a file.
var ErrUnknownFormat = errors.New("unrecognised generation file format")

// DetectError says which file could not be recognised and what it starts with.
type DetectError struct {
	Path string
	// Keys are the first top-level keys of its first JSON record, if any.
	Keys []string
	// Head is a short excerpt of the file's start when it is not a JSON object.
	Head string
	// Tried lists the formats tried, in order.
	Tried []string
}

func (e *DetectError) Error() string {
	var seen string
	switch {
	case len(e.Keys) > 0:
		seen = "a JSON record with first keys " + strings.Join(e.Keys, ", ")
	case e.Head == "":
		seen = "an empty file"
	default:
		seen = fmt.Sprintf("%q", e.Head)
	}
	return fmt.Sprintf("%s: cannot tell its format: found %s; expected one of %s (name it with format: in the config)",
		e.Path, seen, strings.Join(e.Tried, ", "))
}

func (e *DetectError) Unwrap() error { return ErrUnknownFormat }

// Detect returns the first registered format, in priority order, whose Detect
// accepts head (the first up to SniffBytes bytes of the file at path).
func Detect(path string, head []byte) (Format, error) {
	var tried []string
	for _, f := range Formats() {
		tried = append(tried, f.Name)
		if f.Detect != nil && f.Detect(path, head) {
			return f, nil
		}
	}
	e := &DetectError{Path: path, Tried: tried}
	first := firstLine(head)
	if e.Keys = FirstKeys(first, 8); len(e.Keys) == 0 {
		h := bytes.TrimSpace(head)
		if len(h) > 60 {
			h = h[:60]
			for len(h) > 0 && !utf8.Valid(h) {
				h = h[:len(h)-1]
			}
		}
		e.Head = string(bytes.ToValidUTF8(h, []byte("?")))
	}
	return Format{}, e
}

// DetectFile reads the head of the file at path and detects its format.
func DetectFile(path string) (Format, error) {
	head, err := ReadHead(path)
	if err != nil {
		return Format{}, err
	}
	return Detect(path, head)
}

// ReadHead returns the first up to SniffBytes bytes of the file at path.
func ReadHead(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	head := make([]byte, SniffBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	return head[:n], nil
}

// firstLine returns the first non-blank line of head (possibly cut by the
// sniff limit).
func firstLine(head []byte) []byte {
	for len(head) > 0 {
		i := bytes.IndexByte(head, '\n')
		var l []byte
		if i < 0 {
			l, head = head, nil
		} else {
			l, head = head[:i], head[i+1:]
		}
		if len(bytes.TrimSpace(l)) > 0 {
			return l
		}
	}
	return nil
}

// firstRecordKeys returns the keys of the first JSON object of a JSONL head,
// up to 64 of them, for format detection.
func firstRecordKeys(head []byte) map[string]bool {
	return keySet(FirstKeys(firstLine(head), 64))
}

// keySet turns a key list into a set (the Detect functions test keys in it).
func keySet(keys []string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[k] = true
	}
	return m
}
