// Package write is the last stage of rlvr-eval: it writes the run's tables
// (samples, problems, metrics, comparisons, transitions, boundary,
// boundary_curves, problem_moves, rejects; see
// ../shared/spec/tables.md and package schemas) as Parquet files and, on request, as
// Arrow IPC files, and reads the fixed-schema tables back.
//
// # Files
//
// Each table T goes to <Dir>/<table>.parquet and/or <Dir>/<table>.arrow
// (Options.Format). Parquet files are zstd-compressed with data page v1 (what
// parquet-mr and pyarrow write, so Spark, pandas, polars and DuckDB open them),
// string columns tagged `dict` in package schemas are dictionary-encoded,
// pointer fields are optional columns (NULL when nil), columns keep the order
// of the schemas structs, and free-text columns (response, error, raw) carry
// no min/max statistics.
// Arrow files have the same column names in the same order, as utf8 (plain,
// not dictionary-encoded), int64, float64 and bool, nullable exactly where the
// Parquet column is optional, with zstd-compressed record batches unless
// Options.Compression is Uncompressed.
//
// samples has dynamic columns: Options.Profiles lists the run's extraction
// profiles after the first, and each adds a bool column correct_<profile>
// after the fixed ones, filled from Sample.Alt (which must match the profiles
// in count and order: ErrAltMismatch otherwise). Options.NoText (--no-text)
// keeps the response column and writes empty strings into it, so the column
// set never depends on the flag; response_chars still counts the original text.
//
// Strings that are not valid UTF-8 (a response cut inside a character, a raw
// record cut at 512 bytes) are written with each invalid sequence replaced by
// U+FFFD: Parquet STRING and Arrow utf8 must hold UTF-8, and DuckDB refuses to
// read a file that breaks this. Writer.Result counts such rows (Repaired),
// for the run to report.
//
// # Determinism
//
// The same rows in the same order give byte-identical files, whatever batches
// the caller splits them into: the Parquet created_by is the fixed CreatedBy
// string, neither library writes timestamps, key-value metadata is sorted by
// key, and row groups, pages and Arrow record batches are cut at fixed row
// counts. Every file carries the metadata rlvr_eval.schema_version
// (schemas.Version) and rlvr_eval.table, plus Options.Metadata.
//
// # Atomicity and ownership
//
// A Writer writes each file under a hidden temp name in the destination folder
// (".<table>.parquet.tmp-*") and Close renames it into place; Abort, an error,
// or a cancelled context removes it. The caller that creates a Writer calls
// exactly one of Close or Abort (`defer w.Abort()` after New is safe: Abort is a
// no-op after Close). A process killed midway leaves only a hidden temp file,
// never a partial table under its final name. Writers are not safe for
// concurrent use; distinct writers share only parquet-go's concurrency-safe codec
// pools, so they may run in parallel.
//
// # Reading back
//
// ReadParquet reads a table into a slice of a tagged struct (the tests of the
// pipeline and the command read the tables back this way); for samples it also
// rebuilds Sample.Alt from the correct_<profile> columns.
//
// # Errors
//
// parquet-go and arrow-go may panic on mismatched values; every call into them
// is guarded and a panic comes back as an error wrapping ErrLibraryPanic.
//
// # Cost
//
// Rows are converted through field offsets computed once per table (no
// reflection per row). Memory is bounded by one row group
// (Options.RowGroupRows rows) of encoded pages plus, for Arrow, one record batch
// of builders. See BenchmarkSampleWriter for throughput.
package write
