package ingest

import (
	"context"
)

// Reader reads one generation file.
//
// Read streams the file at path and calls emit once per record or reject, in file
// order. A record that cannot be used is emitted as a Reject (with file, line, what
// was expected and what was found) and reading goes on. Read returns an error only
// for broken infrastructure (the file cannot be opened or read, ctx is cancelled)
// or when emit returns one. Implementations hold no state between calls and are
// safe for concurrent use on different files.
//
// Every reader of this package is also a SourceReader; its Read is ReadSource on
// the file at path with each FileResult.Skipped entry emitted as a reject at
// line 0 (the contract before FileResult, kept until the pipeline reads
// FileResult).
type Reader interface {
	Read(ctx context.Context, path string, emit func(Item) error) error
}

// SourceReader is the reader contract with per-file results.
//
// ReadSource streams src and calls emit once per record or reject, in file
// order, and returns what it learnt about the whole file: its task, the rows it
// skipped on purpose and why, the evalset name the file suggests. A record
// that cannot be used is emitted as a Reject and reading goes on; a
// well-formed row that the options leave out (another lm-eval filter, another
// lighteval sampling config) or a file that holds no samples (a results JSON)
// is counted in FileResult.Skipped, never rejected. ReadSource returns an error
// only for broken infrastructure (src cannot be read, ctx is cancelled) or when
// emit returns one.
type SourceReader interface {
	ReadSource(ctx context.Context, src Source, emit func(Item) error) (FileResult, error)
}

// NewSourceReader returns the format's reader as a SourceReader. A Reader
// that is not one (a test double) is adapted: it reads Source.Path itself and
// reports nothing but the format name.
func (f Format) NewSourceReader(opts map[string]string) SourceReader {
	r := f.New(opts)
	if sr, ok := r.(SourceReader); ok {
		return sr
	}
	return pathReader{format: f.Name, r: r}
}

type pathReader struct {
	format string
	r      Reader
}

func (p pathReader) ReadSource(ctx context.Context, src Source, emit func(Item) error) (FileResult, error) {
	return FileResult{Format: p.format, Evalset: EvalsetGuess{Name: EvalsetCustom, Why: "the reader reports no file result"}},
		p.r.Read(ctx, src.Path, emit)
}

// Format is one input format: its name, how to recognise it, and its reader.
// Each format is declared in its reader's file and listed in formats below.
type Format struct {
	// Name is the config name (canonical, qwen-eval, spurious-rewards, ...).
	Name string
	// Detect reports whether head, the first bytes of a file (up to 64 KiB), looks
	// like this format. path is given for formats recognised by file name.
	Detect func(path string, head []byte) bool
	// Fields are the key groups of the first record Detect looks for (one key
	// of each group present), and FileName the file name it requires, if any:
	// an unrecognised file's DetectError names the format it comes closest to
	// and what it lacks. Nil for formats not recognised by keys (Parquet).
	Fields   [][]string
	FileName string
	// New returns a reader; opts carries format options from the config
	// (e.g. openai-batch's custom_id pattern) and may be nil.
	New func(opts map[string]string) Reader
}

// formats lists every input format in detection order: Detect tries them from
// the first, and the first that accepts a file names its format. A format whose
// signature is a subset of another's comes after it (canonical, whose
// problem_id + response any tool could also write, is last). See doc.go for how
// to add one.
var formats = []Format{
	spuriousRewardsFormat,  // one JSON document with metadata[].outputs
	lightevalFormat,        // Parquet: recognised by its magic, before any JSON format
	openAIBatchFormat,      // custom_id + response.body
	qwenEvalFormat,         // idx + code
	lmEvalFormat,           // doc_id + resps
	nemoSkillsFormat,       // output-rs<seed>.jsonl: generation + verdict fields
	perSampleLabeledFormat, // question_id + generation_id
	canonicalFormat,        // problem_id + response(s)
}

// Formats returns the formats in detection order.
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
