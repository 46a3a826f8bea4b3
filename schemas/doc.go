// Package schemas declares the tables a run writes: one Go struct per table whose
// parquet tags are the stable, snake_case column names of spec/tables.md, plus the
// schema version recorded in run.json and in every file's key-value metadata.
//
// A change that renames or drops a column bumps Version.
package schemas
