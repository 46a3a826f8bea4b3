// Package leaderboard is the nightly leaderboard stage: it reads a history
// folder of dated runs and publishes a static site with the latest run's
// leaderboard, its charts and what changed since the previous night.
//
// # Input
//
// A history folder holds one run folder per night, named "YYYY-MM-DD" or
// "YYYY-MM-DDTHHMM" and sorted by name, each written by `rlvr-eval run`:
// metrics.parquet, comparisons.parquet, problems.parquet, samples.parquet,
// transitions.parquet, rejects.parquet and run.json, and, from issue 15 on,
// boundary.parquet and boundary_curves.parquet (read when present: older
// nights without them, or without the comparisons' method/q_value/pooled
// columns, stay usable). Other entries are ignored. A run folder with a missing or corrupt table or run.json is
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
//     gonum.org/v1/plot, a short inline script, no network). Sections: the
//     leaderboard table (family, model, reward, step, accuracy with its 95%
//     interval, pass@k at up to three k, maj@k at the largest k, Δ accuracy vs
//     the baseline with its paired interval, crossover k and coverage Δ from
//     the boundary table, code-reasoning rate, no-answer rate); the
//     seed-pooled accuracy deltas of conditions trained with several seeds
//     (n_seeds, interval over seeds and problems, seed sd, q); per family,
//     accuracy vs training step with one line per reward condition starting
//     from the shared step-0 baseline, pass@k curves on a log-k axis for the
//     baseline and each condition's latest checkpoint, the capability
//     boundary (pass@k at every k = 1..n from boundary_curves, baseline
//     dashed, each reward's latest checkpoint averaged over its seeds, a ring
//     at each crossover k), coverage gained (up) and lost (down) per reward,
//     and code-reasoning rate vs step; "since last night" (new checkpoints,
//     checkpoints that disappeared, and every metric whose new value lies
//     outside the previous run's 95% CI); and the list of runs.
//
// # Significance and intervals on the page
//
// A delta is marked * only when its q-value (Benjamini–Hochberg, written by
// the aggregate stage) is below 0.05 (schemas.Significant); a p-value alone
// marks nothing, and the page says so. Every interval is 95%; a cell shows
// "± h" when its interval is symmetric at the page's precision (0.1 point)
// and "[lo, hi]" when it is not (Wilson intervals near 0% or 100%), and its
// tooltip names the method (the metrics row's ci_method, the comparison's
// method); the footnote lists the methods the table uses.
//
// # Sweep scale
//
// A 513-checkpoint sweep is one table and a handful of charts per family, so
// the page's script filters rows by family, reward, step range and a search
// of the checkpoint id, and "latest checkpoints only" collapses a family to
// its baseline and each reward's latest step; a counter says how many rows
// are shown. The family filter also hides other families' charts, the
// reward filter their other lines. Charts draw every line, each in its own
// SVG group (<g class="series" data-series="i">); a chooser under each chart
// lists all of them, Options.MaxLines of them ticked when the page opens
// (baselines first), with buttons for all, baselines only and the default.
// Nothing is dropped: a hidden row or line is one control away.
//   - leaderboard.parquet: one row per checkpoint of the latest run (TableRow):
//     identity columns, profile, subset, accuracy with ci_low/ci_high, the
//     largest-k pass@k and maj@k with their CIs, the delta vs baseline with
//     its CI and p-value, rates, is_new, and the full curves as
//     LIST<STRUCT<k, value, ci_low, ci_high>> columns pass_curve and maj_curve.
//     Values are fractions in [0, 1]. zstd-compressed; DuckDB, pandas and
//     polars read it as is.
//   - leaderboard.json: the same rows, the seed-pooled deltas
//     ("seed_pooled"), the complete "since last night" changes, the run list
//     and the latest manifest.
//
// The table and charts show the latest run, subset "all", on the headline
// profile: run.json's first profile, else "strict", else the first by name.
// Charts average seeds of the same checkpoint.
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
