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
//	  read (stage_read.go): up to Workers files at once, each read once by
//	       its ingest.SourceReader (hashed as it streams; read a first time
//	       for its digest and FileResult when a grading cache or a run
//	       without evalset name needs them before the first record) into
//	       its own channel of ~500 items; rows skipped on purpose (another
//	       lm-eval filter or lighteval sampling config, a results JSON) are
//	       counted in run.json, never rejected
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
//	  problems, metrics, comparisons, transitions, boundary, boundary_curves, problem_moves writers
//	      │
//	      ▼ all succeeded: every table closed in the stage folder, then
//	        run.json (with each table file's rows and sha256), then the
//	        stage switched into place as the output folder (commit.go)
//	  summary (stdout), Result
//
// run.json's type is package runjson's (read by the leaderboard too); the
// grading cache is package gradecache.
//
// A config (see Config; LoadConfig reads it):
//
//	evalset: {name: math500, path: data/math500/test.jsonl}  # no path: gold from the records;
//	                                                         # none: named from each file
//	runs:
//	  - template: "gens/{model}/{reward}/step{step}/seed{seed}.jsonl"
//	    family_of: {Qwen2.5-Math-7B: qwen2.5-math, Llama-3.1-8B: llama3.1}
//	  - files: ["extra/olmo/**/*.jsonl"]      # globs; ** spans folders
//	    family: olmo2
//	    model: OLMo-2-1124-7B
//	    reward: random
//	    step: 150
//	    format: qwen-eval                      # else detected per file
//	    filter: flexible-extract               # lm-eval: which filter's rows (default the first)
//	    sampling: all                          # lighteval: which sampling config (all: one checkpoint each)
//	    baseline: OLMo-2-1124-7B/none/step0    # else same model, reward none, step 0
//	baselines: {Llama-3.1-8B/random/step100/seed1: Llama-3.1-8B/none/step0/seed1}
//	profiles: [strict, lenient]                # default [strict]
//	ks: [1, 4, 8]                              # default powers of two up to n
//	max_reject_share: 0.05                     # of the samples (a line rejected whole: its estimate)
//	min_coverage: 1.0                          # of each checkpoint's problems (default 1 with an evalset file)
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
// Run folder. The output folder is one unit: a run writes every table and
// run.json into a stage folder beside it (".<out>.rlvr-stage-<pid>-<rand>",
// same parent, so same file system) and, once all are complete, commit
// switches it into place. The previous folder's entries that runs do not
// write (isRunEntry: not a table file, run.json or their temp files; e.g. the
// demo's corpus/ and site/) are first moved into the stage, their names
// listed in ".<out>.rlvr-carry-<pid>"; then one renameat2(RENAME_EXCHANGE)
// swaps the two folders, and the previous run's folder (now at the stage's
// name) is deleted. Guarantee: a path lookup of out/<table> resolves in the
// previous complete run before the exchange and in the new complete run
// after it; no instant shows tables of two runs or a run.json that disagrees
// with its tables (run.json's table_files lets a reader check). A reader that
// opens tables one by one across the exchange can still get an old file and
// then a new one; one that holds the folder open (openat, its working
// directory) reads the old run until it is deleted. Carried entries are
// absent from out between their move and the exchange. Without
// RENAME_EXCHANGE (not Linux, or EINVAL from the file system) the swap is
// two renames and out is absent between them: "nothing", never a mix. When
// out is a mount point the stage is inside it and commit moves the files one
// by one, run.json last (logged as not atomic). Out may not be or contain
// the working directory (it is replaced as a whole).
//
// On the first infrastructure error (disk full, cancellation, Ctrl-C) every
// stage stops, the stage folder is removed and out is untouched. A killed
// run (SIGKILL) leaves its stage; the next run into the same out removes the
// stages whose process is gone (moving carried entries back first) and the
// temp files earlier versions left inside out. Nothing outside run files is
// ever deleted. A bad record is never an error: it is a row of rejects with
// file, line and reason.
//
// Losses and gates (finish.go, loss.go). The reject share counts samples: a
// record rejected after reading is one sample; a reader's reject on a line
// that also gave records is one; a line rejected whole holds the median
// number of records of the file's readable lines (of the run's files of its
// format when it has none), and run.json says per file how many samples were
// estimated and how. Each checkpoint's coverage is its problems graded over
// the evalset's (or, without an evalset file, the largest checkpoint's). A
// finished run that fails max_reject_share, min_coverage, or names a baseline
// that is not one of its checkpoints still writes everything and returns an
// error wrapping ErrIncomplete. Check (check.go) runs the read and resolve
// stages on the first records of every file to predict these gates
// (`rlvr-eval validate`).
//
// Sharded runs (shard_run.go, merge.go): with RunOptions.Shard (`run --shard
// I/N`) Run grades only shard I's whole checkpoints and writes into the run
// folder its Hive-partitioned samples, its rejects and the aggregate's
// per-problem state (aggregate.Partial), its manifest last; Merge (`rlvr-eval
// merge`) checks every shard (internal/shard) and writes the tables and
// run.json from that state alone, byte-identical to an unsharded run. Inputs,
// the evalset, Out and Cache may be storage URLs (storage_io.go).
package pipeline
