// Package evalsets loads benchmarks — problems with their gold answers, subject and
// level — from local JSONL or Parquet files, and finds a generation's problem in
// one by unique_id, by position, or by its problem text (normalised for
// whitespace and LaTeX math delimiters). math500.go names the published MATH-500
// split.
//
// An Evalset is immutable once loaded and safe for concurrent use.
package evalsets
