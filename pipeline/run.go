package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"sort"
	"sync/atomic"
	"time"

	"github.com/sourcegraph/conc/panics"
	"github.com/sourcegraph/conc/pool"
	"github.com/sourcegraph/conc/stream"

	"github.com/rlvr-eval/rlvr-eval/evalsets"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
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
	// evalset and profiles) are not graded again. See cache.go for the key and
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

// source is one input file prepared for reading.
type source struct {
	in       Input
	format   ingest.Format
	detected bool
	reader   ingest.Reader
	size     int64
	sha256   string
	records  atomic.Int64
	rejects  int64
	matches  map[string]int64
	cache    *fileCache
}

// Run executes the whole pipeline for cfg and writes every table into o.Out:
// samples, rejects, problems, metrics, comparisons, transitions (Parquet and/or
// Arrow) and run.json. It blocks until done.
//
// Tables appear atomically: each is written to a hidden temp file and renamed
// into place only when every stage succeeded. On an infrastructure error or
// when ctx is cancelled (Ctrl-C), every writer aborts, no table is left under
// its final name and the error is returned. Bad input is never an error: it is
// a row of rejects. When the reject share exceeds cfg.MaxRejectShare, the
// tables and run.json are still written, and Run returns the Result together
// with a *RejectShareError.
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
	started := time.Now()
	if cfg.inputs == nil {
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
	}
	log := o.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	batch := o.BatchSize
	if batch <= 0 {
		batch = DefaultBatchSize
	}
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if o.Out == "" {
		return nil, errors.New("run: no output folder")
	}
	if err := os.MkdirAll(o.Out, 0o755); err != nil {
		return nil, fmt.Errorf("creating output folder: %w", err)
	}
	outFormat, err := write.ParseFormat(cfg.OutputFormat)
	if err != nil {
		return nil, err
	}
	profiles := make([]grade.Profile, len(cfg.Profiles))
	for i, p := range cfg.Profiles {
		profiles[i] = grade.Profile(p)
	}

	var ev *evalsets.Evalset
	if cfg.Evalset.Path != "" {
		if ev, err = evalsets.Load(cfg.Evalset.Name, cfg.Evalset.Path); err != nil {
			return nil, err
		}
	}

	srcs, err := prepareSources(cfg)
	if err != nil {
		return nil, err
	}
	var gc *gradeCache
	if o.Cache != "" {
		evID := "inline/" + cfg.Evalset.Name
		if ev != nil {
			evID = "evalset/" + ev.Hash()
		}
		if gc, err = newGradeCache(o.Cache, cfg.Profiles, evID); err != nil {
			return nil, err
		}
		defer gc.abortOpen()
	}
	var totalBytes int64
	for _, s := range srcs {
		totalBytes += s.size
	}

	pr := newProgress(o.Progress, log)
	defer pr.stop()

	// Writers: created up front, closed (renamed into place) only at the end.
	// File metadata: what graded the rows (no tool build string, so that the
	// same inputs give the same bytes across builds of the same grader).
	wopts := write.Options{Dir: o.Out, Format: outFormat, NoText: cfg.NoText,
		Metadata: map[string]string{"grader_version": grade.Version, "evalset": cfg.Evalset.Name}}
	sopts := wopts
	sopts.Profiles = cfg.Profiles[1:]
	sopts.RowGroupRows = samplesRowGroupRows
	samplesW, err := write.New[schemas.Sample](sopts)
	if err != nil {
		return nil, err
	}
	defer samplesW.Abort()
	rejectsW, err := write.New[schemas.Reject](wopts)
	if err != nil {
		return nil, err
	}
	defer rejectsW.Abort()

	agg := aggregate.New(aggregate.Options{Ks: cfg.Ks, Profiles: cfg.Profiles, Baselines: baselines(cfg),
		Seed: cfg.Seed, Bootstrap: cfg.Bootstrap, Permutations: cfg.Permutations})
	res := newResolver(cfg, ev)
	res.files = make([]Input, len(srcs))
	for i, s := range srcs {
		res.files[i] = s.in
	}

	var (
		nSamples, nRejects, nRecords atomic.Int64
		panicked, nCached, nGraded   atomic.Int64
		tally                        peerTally
	)
	chans := make([]chan []ingest.Item, len(srcs))
	for i := range chans {
		chans[i] = make(chan []ingest.Item, chanDepth)
	}
	gradeIn := make(chan []*job, chanDepth)
	rejectsCh := make(chan []schemas.Reject, chanDepth)
	var firstRejects []schemas.Reject // the summary's examples, in input order; written by the rejects stage only
	aggCh := make(chan aggBatch, chanDepth)
	samplesCh := make(chan []schemas.Sample, chanDepth)

	pr.begin(StageRead, totalBytes, "bytes")
	pr.begin(StageGrade, 0, "records")
	pr.begin(StageAggregate, 0, "samples")
	pr.begin(StageWrite, 0, "rows")

	p := pool.New().WithContext(ctx).WithCancelOnError().WithFirstError()

	// Readers: started in file order, each into its own channel so that the
	// merge below can keep file order. A file holds a slot from the start of its
	// reading until the merge has consumed it, so at most `workers` files are
	// in memory at once however many files a run has.
	slots := make(chan struct{}, workers)
	p.Go(func(ctx context.Context) error {
		rp := pool.New().WithContext(ctx).WithCancelOnError().WithFirstError()
		for i := range srcs {
			s, ch := srcs[i], chans[i]
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				rp.Wait()
				return ctx.Err()
			}
			rp.Go(func(ctx context.Context) error {
				defer close(ch)
				pr.touch(StageRead)
				err := readSource(ctx, s, ch, batch)
				pr.add(StageRead, s.size)
				return err
			})
		}
		err := rp.Wait()
		pr.end(StageRead, "files", len(srcs), "bytes", totalBytes)
		return err
	})

	// Merge + resolve: one goroutine, in file order.
	p.Go(func(ctx context.Context) error {
		defer close(gradeIn)
		defer close(rejectsCh)
		jobs := make([]*job, 0, batch)
		var rejs []schemas.Reject
		var kept int64
		flushJobs := func() error {
			if len(jobs) == 0 {
				return nil
			}
			select {
			case gradeIn <- jobs:
			case <-ctx.Done():
				return ctx.Err()
			}
			jobs = make([]*job, 0, batch)
			return nil
		}
		flushRejects := func() error {
			if len(rejs) == 0 {
				return nil
			}
			select {
			case rejectsCh <- rejs:
			case <-ctx.Done():
				return ctx.Err()
			}
			rejs = nil
			return nil
		}
		for i, s := range srcs {
			fs := res.startFile(&s.in, i)
			if k := fileCheckpoint(s.in); k != "" {
				// No later record can belong to a checkpoint before k: the
				// aggregate stage may reduce them to per-problem scores.
				if done := res.retireBefore(k); len(done) > 0 {
					jobs = append(jobs, &job{seal: done})
					if len(jobs) == batch {
						if err := flushJobs(); err != nil {
							return err
						}
					}
				}
			}
			var ord int64 = -1 // the item's ordinal in its file
			for {
				var items []ingest.Item
				var ok bool
				select {
				case items, ok = <-chans[i]:
				case <-ctx.Done():
					return ctx.Err()
				}
				if gc != nil && s.cache == nil {
					// The reader hashed the file before its first batch (or
					// before closing the channel of an empty file).
					s.cache = gc.lookupFile(s.sha256, s.format.Name, s.in.FormatOptions)
				}
				if !ok {
					break
				}
				for _, it := range items {
					ord++
					if it.Reject != nil {
						r := *it.Reject
						r.SourceFile = fs.display
						rejs = append(rejs, r)
						s.rejects++
						continue
					}
					j, rej := res.resolve(fs, it.Record)
					if rej != nil {
						rejs = append(rejs, *rej)
						s.rejects++
						continue
					}
					if s.cache != nil {
						j.fc, j.ord = s.cache, ord
						j.check = recordCheck(j.rec.Response, j.gold.Raw())
						j.cached = s.cache.lookup(ord, j.check)
					}
					if j.cached != nil {
						nCached.Add(1)
					}
					jobs = append(jobs, j)
					kept++
					if len(jobs) == batch {
						if err := flushJobs(); err != nil {
							return err
						}
					}
				}
				if len(rejs) >= batch {
					if err := flushRejects(); err != nil {
						return err
					}
				}
			}
			s.matches = fs.matches
			if s.cache != nil {
				s.cache.finish()
				if s.cache.write {
					// The grading callback commits the file's new entry when
					// this marker passes, after the file's last sample.
					jobs = append(jobs, &job{endOf: s.cache})
					if len(jobs) == batch {
						if err := flushJobs(); err != nil {
							return err
						}
					}
				}
			}
			<-slots // file i consumed: the next file may start
		}
		if err := flushJobs(); err != nil {
			return err
		}
		// Every record is known now: the later stages' bars get their totals.
		for _, st := range []string{StageGrade, StageAggregate, StageWrite} {
			pr.setTotal(st, kept)
		}
		return flushRejects()
	})

	// Grading: `workers` goroutines; conc/stream runs the callbacks in
	// submission order, so samples leave in input order.
	p.Go(func(ctx context.Context) error {
		defer close(aggCh)
		defer close(samplesCh)
		st := stream.New().WithMaxGoroutines(workers)
		var sendErr atomic.Value
		// lost is set (by a callback; callbacks run one at a time) once a batch
		// was dropped on cancellation: no cache entry is committed after it.
		var lost bool
		for {
			var jobs []*job
			var ok bool
			select {
			case jobs, ok = <-gradeIn:
			case <-ctx.Done():
				st.Wait()
				return ctx.Err()
			}
			if !ok {
				break
			}
			st.Go(func() stream.Callback {
				if ctx.Err() != nil {
					return func() { lost = true }
				}
				samples, np := gradeBatch(jobs, profiles, cfg.NoText)
				if np > 0 {
					panicked.Add(int64(np))
				}
				return func() {
					ab := aggBatch{samples: samples}
					k := 0
					for _, j := range jobs {
						ab.seal = append(ab.seal, j.seal...)
						if gc == nil {
							continue
						}
						// Callbacks run one at a time, in input order: each
						// file's entry gets its records in order.
						if j.endOf != nil {
							j.endOf.commit(lost)
						}
						if j.marker() {
							continue
						}
						j.fc.add(j.ord, j.check, &samples[k], j.panics)
						k++
					}
					nGraded.Add(int64(len(samples)))
					pr.add(StageGrade, int64(len(samples)))
					select {
					case aggCh <- ab:
					case <-ctx.Done():
						sendErr.CompareAndSwap(nil, ctx.Err())
						return
					}
					select {
					case samplesCh <- samples:
					case <-ctx.Done():
						sendErr.CompareAndSwap(nil, ctx.Err())
						return
					}
				}
			})
		}
		st.Wait()
		pr.end(StageGrade, "records", nGraded.Load(), "from_cache", nCached.Load(), "grader_panics", panicked.Load())
		if e, _ := sendErr.Load().(error); e != nil {
			return e
		}
		return ctx.Err()
	})

	// Aggregation: one goroutine (the Aggregator is not safe for concurrent use).
	p.Go(func(ctx context.Context) error {
		for {
			select {
			case ab, ok := <-aggCh:
				if !ok {
					return nil // the stage ends after Result, below
				}
				b := ab.samples
				r := panics.Try(func() {
					agg.Add(b)
					// The seal markers follow every sample of the checkpoints
					// they name: a sample after the marker in this batch
					// belongs to a later checkpoint.
					for _, id := range ab.seal {
						agg.Seal(id)
					}
				})
				if r != nil {
					return fmt.Errorf("aggregating: %w", r.AsError())
				}
				tally.add(b)
				nRecords.Add(int64(len(b)))
				pr.add(StageAggregate, int64(len(b)))
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})

	// Samples writer (streaming).
	p.Go(func(ctx context.Context) error {
		for {
			select {
			case b, ok := <-samplesCh:
				if !ok {
					return nil
				}
				if err := samplesW.Write(ctx, b); err != nil {
					return fmt.Errorf("writing samples: %w", err)
				}
				nSamples.Add(int64(len(b)))
				pr.add(StageWrite, int64(len(b)))
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})

	// Rejects writer (streaming).
	p.Go(func(ctx context.Context) error {
		for {
			select {
			case b, ok := <-rejectsCh:
				if !ok {
					return nil
				}
				if err := rejectsW.Write(ctx, b); err != nil {
					return fmt.Errorf("writing rejects: %w", err)
				}
				nRejects.Add(int64(len(b)))
				for _, r := range b {
					if len(firstRejects) == maxRejectExamples {
						break
					}
					// One example a line: a problem line of many samples
					// rejects each of them for the same reason.
					if n := len(firstRejects); n > 0 && firstRejects[n-1].SourceFile == r.SourceFile && firstRejects[n-1].SourceLine == r.SourceLine {
						continue
					}
					firstRejects = append(firstRejects, r)
				}
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	})

	if err := p.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("run cancelled: no table written: %w", context.Cause(ctx))
		}
		return nil, err
	}

	if o.HeapProfile != nil {
		runtime.GC()
		if err := pprof.Lookup("heap").WriteTo(o.HeapProfile, 0); err != nil {
			log.Warn("heap profile not written", "error", err)
		}
	}

	// Aggregate tables.
	var tables *aggregate.Tables
	if r := panics.Try(func() { tables, err = agg.Result() }); r != nil {
		err = r.AsError()
	}
	if err != nil {
		return nil, fmt.Errorf("aggregating: %w", err)
	}
	pr.end(StageAggregate, "samples", nRecords.Load(), "problems", len(tables.Problems), "metrics", len(tables.Metrics))
	writers, err := openSmallTables(ctx, wopts, tables)
	defer func() {
		for _, w := range writers {
			w.abort()
		}
	}()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("run cancelled: no table written: %w", err)
	}
	// Every stage succeeded: rename every table into place. Closing is not
	// interrupted by a late cancellation, so the set of tables stays whole.
	closeCtx := context.WithoutCancel(ctx)
	if err := samplesW.Close(closeCtx); err != nil {
		return nil, fmt.Errorf("closing samples: %w", err)
	}
	if err := rejectsW.Close(closeCtx); err != nil {
		return nil, fmt.Errorf("closing rejects: %w", err)
	}
	for _, w := range writers {
		if err := w.close(closeCtx); err != nil {
			return nil, err
		}
	}
	pr.end(StageWrite, "samples", nSamples.Load(), "rejects", nRejects.Load())

	samples, rejects := nSamples.Load(), nRejects.Load()
	warnings := append([]string(nil), tables.Warnings...)
	if n := panicked.Load(); n > 0 {
		warnings = append(warnings, fmt.Sprintf("the grader failed on %d responses (graded as unparsable)", n))
	}
	m := &Manifest{
		Tool: "rlvr-eval", ToolVersion: o.Version, GraderVersion: grade.Version, SchemaVersion: schemas.Version,
		Outcome: "ok", Config: cfg, Records: samples + rejects, Rejects: rejects, MaxRejectShare: cfg.MaxRejectShare,
		Tables: map[string]int64{
			schemas.TableSamples: samples, schemas.TableRejects: rejects,
			schemas.TableProblems: int64(len(tables.Problems)), schemas.TableMetrics: int64(len(tables.Metrics)),
			schemas.TableComparisons: int64(len(tables.Comparisons)), schemas.TableTransitions: int64(len(tables.Transitions)),
		},
		Warnings: warnings,
	}
	if samples+rejects > 0 {
		m.RejectShare = float64(rejects) / float64(samples+rejects)
	}
	for _, t := range []string{schemas.TableSamples, schemas.TableProblems, schemas.TableMetrics, schemas.TableComparisons, schemas.TableTransitions, schemas.TableRejects} {
		if outFormat == write.Parquet || outFormat == write.Both {
			m.Files = append(m.Files, t+".parquet")
		}
		if outFormat == write.Arrow || outFormat == write.Both {
			m.Files = append(m.Files, t+".arrow")
		}
	}
	sort.Strings(m.Files)
	if ev != nil {
		me := &ManifestEvalset{Name: ev.Name, Path: ev.Path, FileSHA256: ev.FileSHA256, ContentHash: ev.Hash(), Problems: ev.Len()}
		if d, ok := evalsets.LookupDefinition(ev.Name); ok && d.SHA256 == ev.FileSHA256 {
			me.Published = true
		}
		m.Evalset = me
	} else {
		m.Evalset = &ManifestEvalset{Name: cfg.Evalset.Name, Inline: true}
	}
	if gc != nil {
		m.Cache = &ManifestCache{Dir: gc.dir, SamplesCached: nCached.Load()}
		m.Cache.SamplesGraded = samples - m.Cache.SamplesCached
	}
	for _, s := range srcs {
		mi := ManifestInput{Path: res.displayPath(s.in.Path), Format: s.format.Name, Detected: s.detected,
			Size: s.size, SHA256: s.sha256, Records: s.records.Load(), Rejects: s.rejects, MatchedBy: s.matches}
		if s.cache != nil {
			mi.Cache = s.cache.status
			if s.cache.status == CacheInvalid || s.cache.status == CachePartial {
				m.Cache.EntriesInvalid++
			}
		}
		if s.cache == nil || s.cache.graded() {
			m.FilesGraded++
		} else {
			m.FilesCached++
		}
		m.Inputs = append(m.Inputs, mi)
	}
	if gc != nil {
		m.Cache.EntriesWritten, m.Cache.WriteErrors = gc.written, gc.failed
		if gc.lastErr != nil {
			log.Warn("grading cache: entries not written", "dir", gc.dir, "failed", gc.failed, "last_error", gc.lastErr)
		}
	}
	m.StageSeconds = pr.durations()
	m.WallSeconds = time.Since(started).Seconds()

	var shareErr error
	if m.RejectShare > cfg.MaxRejectShare {
		m.Outcome = "too_many_rejects"
		shareErr = &RejectShareError{Rejects: rejects, Records: samples + rejects, Share: m.RejectShare, Max: cfg.MaxRejectShare}
	}
	if err := writeManifest(o.Out, m); err != nil {
		return nil, fmt.Errorf("writing %s: %w", ManifestFile, err)
	}
	sum := buildSummary(cfg.Profiles[0], tables.Metrics, tables.Comparisons, samples, rejects, &tally, warnings)
	sum.RejectExamples = firstRejects
	pr.stop()
	if o.Stdout != nil {
		if err := sum.Print(o.Stdout); err != nil {
			return nil, err
		}
		if shareErr != nil {
			fmt.Fprintf(o.Stdout, "FAILED: %v\n", shareErr)
		}
	}
	log.Info("run done", "out", o.Out, "samples", samples, "rejects", rejects, "took", time.Since(started).Round(time.Millisecond))
	return &Result{Out: o.Out, Tables: tables, Summary: sum, Manifest: m, Samples: samples, Rejects: rejects}, shareErr
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
		s := &source{in: in}
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
		s.reader = s.format.New(in.FormatOptions)
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

// aggBatch is what the aggregate stage receives: a batch of samples in input
// order, then the checkpoints to seal after it.
type aggBatch struct {
	samples []schemas.Sample
	seal    []string
}

// readSource hashes one file (for run.json and its grading-cache key), then
// reads it into ch in batches.
func readSource(ctx context.Context, s *source, ch chan<- []ingest.Item, batch int) error {
	items := make([]ingest.Item, 0, batch)
	flush := func() error {
		if len(items) == 0 {
			return nil
		}
		select {
		case ch <- items:
		case <-ctx.Done():
			return ctx.Err()
		}
		items = make([]ingest.Item, 0, batch)
		return nil
	}
	// The file is hashed first: its sha256 is in run.json and in the key of
	// its grading-cache entry, needed before its first record is resolved.
	size, sum, err := fileDigest(s.in.Path)
	if err != nil {
		return err
	}
	s.size, s.sha256 = size, sum
	var lastLine int64
	r := panics.Try(func() {
		err = s.reader.Read(ctx, s.in.Path, func(it ingest.Item) error {
			if it.Record != nil {
				s.records.Add(1)
				lastLine = it.Record.SourceLine
			} else if it.Reject != nil {
				lastLine = it.Reject.SourceLine
			}
			items = append(items, it)
			if len(items) == batch {
				return flush()
			}
			return nil
		})
	})
	if r != nil {
		// A reader bug on hostile input must not crash the run: the rest of the
		// file becomes one reject, and the run goes on.
		items = append(items, ingest.Item{Reject: &schemas.Reject{SourceFile: s.in.Path, SourceLine: lastLine + 1,
			Error: fmt.Sprintf("the %s reader failed after line %d (rest of the file skipped): %v", s.format.Name, lastLine, r.Value),
			Raw:   ""}})
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("reading %s: %w", s.in.Path, err)
	}
	return flush()
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
	return out, nil
}

// samplesRowGroupRows is the row-group size of samples tables: the writer holds
// one row group of encoded pages, and samples rows carry the response text, so
// a smaller group than the other tables' keeps the run's memory low.
const samplesRowGroupRows = 16384
