// Package ingest reads generation files in the formats of spec/formats.md and turns
// every response into one Record, or every unusable input into a schemas.Reject.
// Readers stream: memory is constant in file size.
//
// # The reader contract
//
// A Format (format.go) is a name, a Detect function that looks at a file's first
// bytes, and a constructor of its Reader. A Reader emits, in file order, one Item
// per response (a Record) or per unusable record (a Reject naming file, line, what
// was expected and what was found), and returns an error only for broken
// infrastructure. Bad input is data: a reader never panics on it and never drops a
// record silently.
//
// Every reader of this package is a SourceReader (Format.NewSourceReader):
// ReadSource also returns a FileResult for the whole file: the tool's task
// (Record.Task too: lm-eval's problem identity is task + doc_id), the filter or
// sampling configs read, the rows skipped on purpose (FileResult.Skipped:
// another lm-eval filter, another lighteval sampling config, a results JSON
// that is not a samples file) with counts and why, which are never rejects, and
// the evalset name the file suggests (EvalsetGuess) with its reason. The
// format options OptFilter and OptSampling select among rows that repeat a
// document. Read, the older entry point, emits each skip as a line-0 reject.
//
// # Reading a file once
//
// OpenFile opens a file and reads its head through a sha256; Head feeds
// Detect, Source feeds ReadSource, and Digest, after the read, returns the
// size and sha256 of the whole file: streaming formats consume Source.R, so
// every byte is read once and hashed as it is read. A Parquet file (lighteval)
// needs random access: its reader opens the path itself (footer and column
// chunks through io.ReaderAt), and Digest hashes the bytes by draining
// Source.R, one sequential pass.
//
// # Adding an input format
//
// One file plus its test:
//
//  1. reader_<name>.go declares `var <name>Format = Format{Name, Detect,
//     Fields, New}` and the reader type, whose read method (formatReader)
//     streams a Source and fills the FileResult; New wraps it with wrap. Its doc comment says which tool writes the format,
//     which versions, and the fields read (with links or commits where known).
//     Decode lines with readJSONLFile + decodeLine (JSONL) or the Parquet helpers
//     of reader_lighteval.go; build rejects with rejectAt; start records with
//     newRecord (which sets the "unknown" markers).
//  2. Add <name>Format to the formats list in format.go, at the place where its
//     Detect must be tried: before every format whose signature is a subset of
//     its own (detection takes the first match; canonical stays last).
//  3. reader_<name>_test.go: table cases through runReaderCases, a fixture in
//     testdata/<name>/ in the tool's documented layout (or a test on a real file
//     in ../shared/data via internal/realdata), and a Fuzz target calling
//     fuzzReaderContract. TestDetectToolFormats and TestFormatsList check that
//     the format is listed, named once, and that no other format claims its
//     fixtures.
//
// The list is explicit (as miller's record-reader factory is) rather than built by
// init functions: the detection order is read in one place, and it cannot depend
// on file names or on numeric priorities spread over files.
package ingest
