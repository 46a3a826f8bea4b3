// Package evalsets loads benchmarks — problems with their gold answers, subject and
// level — from local JSONL or Parquet files, and finds a generation's problem in
// one by unique_id, by position, or by its problem text (normalised for
// whitespace and LaTeX math delimiters).
//
// The known evalsets are Definitions: math500.go names the published MATH-500
// split, which Fetch downloads and checks against its sha256; competition.go
// names AIME 2024, AIME 2025 and AMC 2023, whose files the user exports from
// Hugging Face and whose integer answers are validated on load. Load picks the
// loader from the definition's name. Local copies live in DefaultDir.
//
// An Evalset is immutable once loaded and safe for concurrent use.
package evalsets
