// Package schemas declares the tables a run writes and their vocabulary, once:
// one Go struct per table whose parquet tags are the stable, snake_case column
// names of the tables spec (../shared/spec/tables.md, beside the repository,
// not in it); the identity columns every per-checkpoint table leads with
// (Identity); the metric, subset and reward names (Metric*, Subset*,
// RewardNone); the baseline rule (IsBaseline); and the schema version recorded
// in run.json and in every file's key-value metadata. Every other package uses
// these names instead of spelling them; it imports nothing of the project.
//
// A change that renames or drops a column bumps Version.
package schemas
