// Package pipeline wires the stages of rlvr-eval into one run: it loads and
// validates the config (YAML + RLVR_EVAL_* env + flags), streams every
// generation file through ingest, grading and aggregation concurrently, and
// writes the tables, the rejects and run.json atomically.
//
// Data flow (every arrow is a bounded channel of batches; every send can be
// cancelled):
//
//	config ─► Inputs (files sorted by path, checkpoint fields from the config)
//	             │
//	  ┌──────────┴───────────┐  readers: up to Workers files at once, each
//	  │ read file 1..F       │  into its own small channel of ~500 items
//	  │ (ingest.Reader)      │
//	  └──────────┬───────────┘
//	             ▼ merged in file order (deterministic)
//	  resolve: checkpoint (config ⊕ inline fields), problem (evalset by id,
//	           text or position), sample_idx, duplicates ──► rejects ─┐
//	             │ batches of ~500 records                            │
//	             ▼                                                    │
//	  grade: Workers goroutines (conc/stream keeps batch order);      │
//	         gold prepared once per problem; with a grading cache,    │
//	         verdicts of unchanged files come from it (cache.go) ◄─►  │
//	         and new verdicts are written back per file               │
//	             │ graded samples, in order                           │
//	      ┌──────┴─────────┐                                          │
//	      ▼                ▼                                          ▼
//	  aggregate       samples writer                          rejects writer
//	  (one goroutine) (streaming, temp file)                  (temp file)
//	      │
//	      ▼ at the end
//	  problems, metrics, comparisons, transitions writers
//	      │
//	      ▼ all succeeded: rename every temp file into place, then run.json
//	  summary (stdout), Result
//
// A config (see Config; LoadConfig reads it):
//
//	evalset: {name: math500, path: data/math500/test.jsonl}  # no path: gold from the records
//	runs:
//	  - template: "gens/{model}/{reward}/step{step}/seed{seed}.jsonl"
//	    family_of: {Qwen2.5-Math-7B: qwen2.5-math, Llama-3.1-8B: llama3.1}
//	  - files: ["extra/olmo/**/*.jsonl"]      # globs; ** spans folders
//	    family: olmo2
//	    model: OLMo-2-1124-7B
//	    reward: random
//	    step: 150
//	    format: qwen-eval                      # else detected per file
//	    baseline: OLMo-2-1124-7B/none/step0    # else same model, reward none, step 0
//	baselines: {Llama-3.1-8B/random/step100/seed1: Llama-3.1-8B/none/step0/seed1}
//	profiles: [strict, lenient]                # default [strict]
//	ks: [1, 4, 8]                              # default powers of two up to n
//	max_reject_share: 0.05
//	workers: 0                                 # 0: one per core
//	no_text: false
//	output: {format: parquet}                  # parquet, arrow or both
//	bootstrap: 2000
//	permutations: 10000
//	seed: 1
//
// Relative paths resolve against the config file's folder. Environment
// variables RLVR_EVAL_<KEY> (RLVR_EVAL_WORKERS, RLVR_EVAL_OUTPUT_FORMAT, ...)
// override the file's scalar settings, and flags override both.
//
// Incremental runs: with RunOptions.Cache (`rlvr-eval run --cache DIR`) the
// grader's verdicts are kept per input file, keyed by the file's content, its
// format, the grader version, the evalset and the profiles, and a re-run grades
// only what is new or changed. Only verdicts are cached: every other column,
// the sample numbering, duplicates and rejects are rebuilt as in a full run, so
// the tables are byte-identical with or without the cache. run.json counts the
// files graded and cached (files_graded, files_cached, cache, inputs[].cache).
//
// On the first infrastructure error (disk, cancellation, Ctrl-C) every stage
// stops and every writer aborts: no table appears under its final name. A bad
// record is never an error: it is a row of rejects with file, line and reason.
package pipeline
