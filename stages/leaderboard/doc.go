// Package leaderboard is the nightly leaderboard stage: it reads a history
// folder of dated runs and publishes a static site with the latest run's
// leaderboard, its charts and what changed since the previous night.
//
// # Input
//
// A history folder holds one run folder per night, named "YYYY-MM-DD" or
// "YYYY-MM-DDTHHMM" and sorted by name, each written by `rlvr-eval run`:
// metrics.parquet, comparisons.parquet, problems.parquet, samples.parquet,
// transitions.parquet, rejects.parquet and run.json. Other entries are
// ignored. A run folder with a missing or corrupt table or run.json is
// skipped, logged and listed (History.Skipped, the page's Runs section and
// leaderboard.json's "runs"); it never stops the build. Only the two newest
// usable runs are read in full; older ones have their footers checked, so the
// cost stays flat over hundreds of nights.
//
// # Output
//
// WriteSite writes three files into the site folder, each through a temporary
// file renamed into place once all three are written:
//
//   - index.html: self-contained (inline CSS, inline SVG charts drawn with
//     gonum.org/v1/plot, a short inline script to sort the table, no network).
//     Sections: the leaderboard table (family, model, reward, step, accuracy ±
//     95% CI, pass@k at up to three k, maj@k at the largest k, Δ accuracy vs
//     the baseline with its paired CI and a * when p < 0.05, code-reasoning
//     rate, no-answer rate); per family, accuracy vs training step with one
//     line per reward condition starting from the shared step-0 baseline, pass@k
//     curves on a log-k axis for the baseline and each condition's latest
//     checkpoint, and code-reasoning rate vs step; "since last night" (new
//     checkpoints, checkpoints that disappeared, and every metric whose new value
//     lies outside the previous run's 95% CI); and the list of runs.
//   - leaderboard.parquet: one row per checkpoint of the latest run (TableRow):
//     identity columns, profile, subset, accuracy with ci_low/ci_high, the
//     largest-k pass@k and maj@k with their CIs, the delta vs baseline with
//     its CI and p-value, rates, is_new, and the full curves as
//     LIST<STRUCT<k, value, ci_low, ci_high>> columns pass_curve and maj_curve.
//     Values are fractions in [0, 1]. zstd-compressed; DuckDB, pandas and
//     polars read it as is.
//   - leaderboard.json: the same rows, the complete "since last night"
//     changes, the run list and the latest manifest.
//
// The table and charts show the latest run, subset "all", on the headline
// profile: run.json's first profile, else "strict", else the first by name.
// Charts draw at most Options.MaxLines lines (the rest are counted in a note)
// and average seeds of the same checkpoint.
//
// # Determinism
//
// The same history gives byte-identical site files: maps are never iterated
// in output order, the page carries no timestamp or absolute path, and gonum's
// SVG output depends only on its inputs and the embedded Liberation fonts.
//
// The incremental grading cache of nightly runs (`rlvr-eval run --cache`)
// belongs to the pipeline, not to this package.
package leaderboard
