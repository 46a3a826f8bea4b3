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
//	         gold prepared once per problem                           │
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
// On the first infrastructure error (disk, cancellation, Ctrl-C) every stage
// stops and every writer aborts: no table appears under its final name. A bad
// record is never an error: it is a row of rejects with file, line and reason.
package pipeline
