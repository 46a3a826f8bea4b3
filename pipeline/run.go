package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"sort"
	"sync/atomic"

	"github.com/sourcegraph/conc/pool"

	"github.com/rlvr-eval/rlvr-eval/internal/shard"
	"github.com/rlvr-eval/rlvr-eval/pipeline/gradecache"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// DefaultBatchSize is the number of records per batch between stages.
const DefaultBatchSize = 500

// chanDepth is the buffer of every channel between stages, in batches: small,
// for backpressure. The batches in flight hold most of the run's response
// text (readers outrun grading, so their channels stay full), and the heap
// peaks at about twice what is live: two batches per channel keep every stage
// fed (a batch reads in a fraction of the time it takes to grade) with about
// a tenth less peak RSS than four (BenchmarkPipeline is as fast).
const chanDepth = 2

// RunOptions are the per-invocation settings of Run (what the config does not say).
type RunOptions struct {
	// Out is the output folder; it is created if needed.
	Out string
	// Logger receives stage-boundary logs; nil discards them.
	Logger *slog.Logger
	// Stdout receives the summary table; nil prints nothing.
	Stdout io.Writer
	// Progress is where progress bars go (usually os.Stderr). Bars are drawn
	// only when it is a terminal; nil shows none.
	Progress io.Writer
	// Version is the tool version recorded in run.json ("dev" when empty).
	Version string
	// BatchSize is the number of records per batch (0: DefaultBatchSize).
	BatchSize int
	// Cache is the grading cache folder ("" for none): records whose verdicts
	// a previous run stored there (same file content, format, grader version,
	// evalset and profiles) are not graded again. See package gradecache for the key and
	// the entry format. The tables are byte-identical with or without it.
	Cache string
	// HeapProfile, when set, receives a heap profile (pprof format, as
	// `go tool pprof` reads) taken when the streaming stages end, before the
	// aggregate tables are computed: the point where the run holds the most
	// state besides the batches in flight (every checkpoint's summary, the
	// open writers). Its inuse figures are as of a collection forced just
	// before; its alloc figures count the whole run. A failure to write it
	// is logged, not an error of the run.
	HeapProfile io.Writer

	// Shard, when set (--shard I/N), makes Run grade only shard I's share
	// of the inputs and write its part of the run folder Out (a path or a
	// storage URL) instead of the tables: see RunShard.
	Shard shard.Spec

	// display names the local copies of URL inputs (storage_io.go);
	// cacheDisplay is the --cache URL when Cache is its local mirror.
	display      map[string]string
	cacheDisplay string
	// evalsetLocal is the local copy of a URL evalset, evalsetDisplay
	// that URL without its query.
	evalsetLocal, evalsetDisplay string

	// cacheGraderVersion replaces grade.Version in the grading cache's keys
	// ("": grade.Version), so that a test can play a grader upgrade.
	cacheGraderVersion string
}

// Result is what a finished run produced.
type Result struct {
	// Out is the output folder.
	Out string
	// Tables are the aggregate tables written (problems, metrics,
	// comparisons, transitions) and their warnings.
	Tables   *aggregate.Tables
	Summary  *Summary
	Manifest *Manifest
	// Samples and Rejects count the rows of those tables.
	Samples int64
	Rejects int64
}

// Run executes the whole pipeline for cfg and writes every table into o.Out:
// samples, rejects, problems, metrics, comparisons, transitions, boundary,
// boundary_curves, problem_moves (Parquet and/or Arrow) and run.json. It blocks until done.
//
// The output folder is one unit (see the package doc, "Run folder"): the run
// is written into a stage folder beside o.Out and switched into place only
// when every table and run.json are complete. On an infrastructure error or
// when ctx is cancelled (Ctrl-C), the stage is removed, o.Out is as it was
// and the error is returned. Bad input is never an error: it is a row of
// rejects. When a gate fails (the share of samples rejected above
// cfg.MaxRejectShare, a checkpoint below min_coverage, a configured baseline
// absent), the tables and run.json are still written, and Run returns the
// Result with an error wrapping ErrIncomplete (*RejectShareError,
// *CoverageError, *BaselineError).
//
// Memory is bounded by the batches in flight (Workers × a few batches of
// BatchSize records), one row group per table writer, the per-problem
// scores and rows of every checkpoint (the aggregate tables), and per-sample
// state (a few dozen bytes of aggregation state and ~40 bytes of duplicate
// index per sample, never the response text) of the checkpoints later files
// may still add to. Inputs are read in the order of the checkpoint the config
// names, and when a file naming checkpoint K starts, every checkpoint before
// K is finished: its duplicate index is dropped and its samples are reduced
// to per-problem scores (aggregate.Aggregator.Seal). A run whose files all
// name their checkpoint thus holds one checkpoint's samples at a time, and
// its peak memory barely grows with the number of checkpoints; records that
// name their own checkpoint (config fields left open) keep their
// checkpoints' per-sample state to the end.
func Run(ctx context.Context, cfg *Config, o RunOptions) (*Result, error) {
	if o.Shard.Sharded() {
		return runShard(ctx, cfg, o)
	}
	if usesStorage(cfg, o) {
		return runWithStorage(ctx, cfg, o)
	}
	r, err := setup(cfg, o)
	if err != nil {
		return nil, err
	}
	defer r.abort()
	r.res.display = o.display
	if err := r.stream(ctx, nil); err != nil {
		return nil, err
	}
	res, err := r.finish(ctx)
	if err != nil && res == nil && ctx.Err() != nil {
		// Whichever step the cancellation stopped, the run wrote nothing:
		// one message, whatever the timing.
		return nil, fmt.Errorf("run cancelled: no table written: %w", context.Cause(ctx))
	}
	return res, err
}

// stream builds the stages and the channels between them, runs them and
// waits. The samples go to the run's samples writer, or to samples when it is
// not nil (a shard's partitioned writers).
func (r *runState) stream(ctx context.Context, samples func(context.Context, <-chan []schemas.Sample) error) error {
	cfg := r.cfg
	ins := make([]chan []ingest.Item, len(r.srcs))
	for i := range ins {
		ins[i] = make(chan []ingest.Item, chanDepth)
	}
	toGrade := make(chan resolvedBatch, chanDepth)
	toAgg := make(chan gradedBatch, chanDepth)
	toSamples := make(chan []schemas.Sample, chanDepth)
	toRejects := make(chan []schemas.Reject, chanDepth)

	slots := make(chan struct{}, r.workers)
	read := &readStage{srcs: r.srcs, batch: r.batch, slots: slots, pr: r.pr, prepass: r.cache != nil || cfg.Evalset.Name == ""}
	resolve := &resolveStage{srcs: r.srcs, res: r.res, cache: r.cache, batch: r.batch, slots: slots, pr: r.pr}
	grading := &gradeStage{workers: r.workers, profiles: r.profiles, noText: cfg.NoText, pr: r.pr}
	r.grading, r.agg = grading, &aggregateStage{agg: r.newAggregator(), pr: r.pr}
	r.samples = &sinkStage[schemas.Sample]{w: r.samplesW, each: func(b []schemas.Sample) { r.pr.add(StageWrite, int64(len(b))) }}
	r.rejects = &sinkStage[schemas.Reject]{w: r.rejectsW, each: r.examples.add}
	if samples == nil {
		samples = r.samples.run
	}

	r.pr.begin(StageRead, totalSize(r.srcs), "bytes")
	r.pr.begin(StageGrade, 0, "records")
	r.pr.begin(StageAggregate, 0, "samples")
	r.pr.begin(StageWrite, 0, "rows")
	p := pool.New().WithContext(ctx).WithCancelOnError().WithFirstError()
	p.Go(func(ctx context.Context) error { return read.run(ctx, ins) })
	p.Go(func(ctx context.Context) error { return resolve.run(ctx, ins, toGrade, toRejects) })
	p.Go(func(ctx context.Context) error { return grading.run(ctx, toGrade, toAgg, toSamples) })
	p.Go(func(ctx context.Context) error { return r.agg.run(ctx, toAgg) })
	p.Go(func(ctx context.Context) error { return samples(ctx, toSamples) })
	p.Go(func(ctx context.Context) error { return r.rejects.run(ctx, toRejects) })
	if err := p.Wait(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("run cancelled: no table written: %w", context.Cause(ctx))
		}
		return err
	}
	return nil
}

// source is one input file prepared for reading.
type source struct {
	in       Input
	format   ingest.Format
	detected bool
	reader   ingest.SourceReader
	size     int64
	sha256   string
	// result is the reader's report on the whole file; early is true when
	// it (and sha256) was known before the first record (readSource).
	result  ingest.FileResult
	early   bool
	records atomic.Int64
	rejects int64
	matches map[string]int64
	cache   *gradecache.File
	loss    *lineLoss // samples its rejects held (resolve stage)
}

// baselines merges the top-level baselines map with the per-run baseline
// settings (a run's baseline applies to every checkpoint its files hold, which
// is only known once read: the aggregate stage gets the top-level map, and
// per-run baselines for checkpoints the config fully names).
func baselines(cfg *Config) map[string]string {
	out := map[string]string{}
	for k, v := range cfg.Baselines {
		out[k] = v
	}
	for _, in := range cfg.inputs {
		if in.Baseline == "" {
			continue
		}
		id := fileCheckpoint(in)
		if id == "" {
			continue
		}
		if _, set := out[id]; !set {
			out[id] = in.Baseline
		}
	}
	return out
}

// prepareSources detects each input's format (or takes the configured one)
// and orders the inputs: by the checkpoint the config gives them, then by path.
func prepareSources(cfg *Config) ([]*source, error) {
	var srcs []*source
	var errs []error
	for _, in := range cfg.inputs {
		s := &source{in: in, loss: newLineLoss()}
		f, detected, err := cfg.InputFormat(in)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.format, s.detected = f, detected
		st, err := os.Stat(in.Path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s.size = st.Size()
		s.reader = s.format.NewSourceReader(in.FormatOptions)
		srcs = append(srcs, s)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.SliceStable(srcs, func(i, j int) bool {
		ki, kj := fileCheckpoint(srcs[i].in), fileCheckpoint(srcs[j].in)
		if ki != kj {
			return ki < kj
		}
		return srcs[i].in.Path < srcs[j].in.Path
	})
	return srcs, nil
}

// fileCheckpoint is the checkpoint id the config gives an input ("" when it
// leaves model, reward or step open: the records name it). Sources are read
// in the order of this key, which lets the resolver retire checkpoints (see
// resolver.retireBefore).
func fileCheckpoint(in Input) string {
	f := in.Fields
	if f.Model == nil || f.Reward == nil || f.Step == nil {
		return ""
	}
	return schemas.CheckpointID(*f.Model, *f.Reward, *f.Step, f.Seed)
}

// smallTable is a writer of one aggregate table, type-erased.
type smallTable struct {
	close func(context.Context) error
	abort func()
}

func openSmallTable[T write.Row](ctx context.Context, o write.Options, rows []T) (smallTable, error) {
	w, err := write.New[T](o)
	if err != nil {
		return smallTable{}, err
	}
	if err := w.Write(ctx, rows); err != nil {
		w.Abort()
		return smallTable{}, fmt.Errorf("writing %s: %w", write.TableName[T](), err)
	}
	return smallTable{close: w.Close, abort: w.Abort}, nil
}

// openSmallTables writes the aggregate tables to temp files (not yet renamed).
func openSmallTables(ctx context.Context, o write.Options, t *aggregate.Tables) ([]smallTable, error) {
	var out []smallTable
	add := func(st smallTable, err error) error {
		if err != nil {
			return err
		}
		out = append(out, st)
		return nil
	}
	if err := add(openSmallTable(ctx, o, t.Problems)); err != nil {
		return out, err
	}
	if err := add(openSmallTable(ctx, o, t.Metrics)); err != nil {
		return out, err
	}
	if err := add(openSmallTable(ctx, o, t.Comparisons)); err != nil {
		return out, err
	}
	if err := add(openSmallTable(ctx, o, t.Transitions)); err != nil {
		return out, err
	}
	if err := add(openSmallTable(ctx, o, t.Boundary)); err != nil {
		return out, err
	}
	if err := add(openSmallTable(ctx, o, t.BoundaryCurves)); err != nil {
		return out, err
	}
	if err := add(openSmallTable(ctx, o, t.ProblemMoves)); err != nil {
		return out, err
	}
	return out, nil
}

// samplesRowGroupRows is the row-group size of samples tables: the writer holds
// one row group of encoded pages, and samples rows carry the response text, so
// a smaller group than the other tables' keeps the run's memory low.
const samplesRowGroupRows = 16384
