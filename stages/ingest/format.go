package ingest

import (
	"context"
	"sort"
)

// Reader reads one generation file.
//
// Read streams the file at path and calls emit once per record or reject, in file
// order. A record that cannot be used is emitted as a Reject (with file, line, what
// was expected and what was found) and reading goes on. Read returns an error only
// for broken infrastructure (the file cannot be opened or read, ctx is cancelled)
// or when emit returns one. Implementations hold no state between calls and are
// safe for concurrent use on different files.
type Reader interface {
	Read(ctx context.Context, path string, emit func(Item) error) error
}

// Format is one input format: its name, how to recognise it, and its reader.
type Format struct {
	// Name is the config name (canonical, qwen-eval, spurious-rewards, ...).
	Name string
	// Priority orders detection: lower values are tried first.
	Priority int
	// Detect reports whether head, the first bytes of a file (up to 64 KiB), looks
	// like this format. path is given for formats recognised by file name.
	Detect func(path string, head []byte) bool
	// New returns a reader; opts carries format options from the config
	// (e.g. openai-batch's custom_id pattern) and may be nil.
	New func(opts map[string]string) Reader
}

var formats []Format

// register adds a format; it is called from init functions of reader files only.
func register(f Format) {
	formats = append(formats, f)
	sort.SliceStable(formats, func(i, j int) bool { return formats[i].Priority < formats[j].Priority })
}

// Formats returns the registered formats in detection order.
func Formats() []Format { return append([]Format(nil), formats...) }

// Lookup returns the format with the given name.
func Lookup(name string) (Format, bool) {
	for _, f := range formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}
