// Package pipeline wires the stages of rlvr-eval into one run: it loads and
// validates the config (YAML + RLVR_EVAL_* env + flags), streams every
// generation file through ingest, grading and aggregation concurrently, and
// writes the tables, the rejects and run.json atomically.
//
// Data flow. Run (run.go) only builds the stages and the bounded channels
// between them (every send can be cancelled), starts them and waits; setup.go
// opens what they need and finish.go writes what they leave. Each stage is a
// type with one method, run(ctx, in..., out...) error, in a file of its own;
// it closes its outputs, and its error is for infrastructure only (bad input
// is a reject or a verdict):
//
//	config ─► Inputs, ordered by the checkpoint the config gives each file
//	          (files that leave it open first), then by path (prepareSources)
//	             │
//	  read (stage_read.go): up to Workers files at once, each hashed, then
//	       read by its ingest.Reader into its own channel of ~500 items
//	             │ []ingest.Item per file
//	             ▼ merged in that order (deterministic)
//	  resolve (stage_resolve.go): checkpoint (config ⊕ inline fields),
//	       problem (evalset by id, text or position), sample_idx,
//	       duplicates; the grading cache's verdicts looked up
//	       (gradecache) ──────────────────────────────► rejects ─┐
//	             │ resolvedBatch: tasks, then files whose cache   │
//	             │ entry is complete and checkpoints to seal      │
//	             ▼                                                │
//	  grade (stage_grade.go): Workers goroutines, conc/stream     │
//	       keeps batch order; new verdicts written back per file  │
//	             │ samples in order                               │
//	      ┌──────┴────────────────┐                               │
//	      ▼ gradedBatch           ▼ []schemas.Sample              ▼ []schemas.Reject
//	  aggregate                samples sink                  rejects sink
//	  (stage_aggregate.go)     (stage_sinks.go: temp file)   (temp file)
//	      │
//	      ▼ at the end (finish.go)
//	  problems, metrics, comparisons, transitions writers
//	      │
//	      ▼ all succeeded: rename every temp file into place, then run.json
//	  summary (stdout), Result
//
// run.json's type is package runjson's (read by the leaderboard too); the
// grading cache is package gradecache.
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
// Sharded runs (shard_run.go, merge.go): with RunOptions.Shard (`run --shard
// I/N`) Run grades only shard I's whole checkpoints and writes into the run
// folder its Hive-partitioned samples, its rejects and the aggregate's
// per-problem state (aggregate.Partial), its manifest last; Merge (`rlvr-eval
// merge`) checks every shard (internal/shard) and writes the tables and
// run.json from that state alone, byte-identical to an unsharded run. Inputs,
// the evalset, Out and Cache may be storage URLs (storage_io.go).
//
// On the first infrastructure error (disk, cancellation, Ctrl-C) every stage
// stops and every writer aborts: no table appears under its final name. A bad
// record is never an error: it is a row of rejects with file, line and reason.
package pipeline
