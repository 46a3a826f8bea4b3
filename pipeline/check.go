package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync/atomic"

	"github.com/sourcegraph/conc/pool"

	"github.com/rlvr-eval/rlvr-eval/evalsets"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// DefaultCheckRecords is how many items (records and rejects) of each file
// Check reads when CheckOptions.Records is 0.
const DefaultCheckRecords = 200

// maxCheckReasons is how many reject reasons Check keeps per file.
const maxCheckReasons = 3

// CheckOptions bound what Check reads.
type CheckOptions struct {
	// Records is the number of items read from the start of each file
	// (0: DefaultCheckRecords; negative: the whole file).
	Records int
}

// CheckReport is what `run` would do with the first records of every file:
// what it would grade and reject, and the gates it would fail.
type CheckReport struct {
	Files []FileCheck
	// Graded and SamplesRejected count the samples read that run would
	// grade and the samples its rejects would hold (estimated as run
	// estimates them); RejectShare is the share max_reject_share bounds.
	Graded          int64
	SamplesRejected int64
	RejectShare     float64
	// Complete is true when every file was read to its end: coverage and
	// baselines are then checked as run checks them.
	Complete bool
	Coverage []CheckpointCoverage
	// Failures are the gates run would fail, each in words; Notes what
	// could not be checked on a part of the files.
	Failures []string
	Notes    []string
}

// FileCheck is one file of a CheckReport.
type FileCheck struct {
	// Input is the file as the config gives it; Path as the tables write it.
	Input    Input
	Path     string
	Format   string
	Detected bool
	// Complete is true when the file was read to its end.
	Complete bool
	Records  int64
	Graded   int64
	Rejects  int64
	// SamplesRejected is the samples its rejects held (SamplesEstimated of
	// them estimated: lines rejected whole).
	SamplesRejected  int64
	SamplesEstimated int64
	// Reasons are the first rejects, in file order.
	Reasons     []schemas.Reject
	Checkpoints []string
}

// ckptKey is a checkpoint on an evalset.
type ckptKey struct{ ckpt, ev string }

// errStopRead ends a reader early (limitReader).
var errStopRead = errors.New("enough records read")

// limitReader passes on the first n items of a file.
type limitReader struct {
	r    ingest.SourceReader
	n    int
	more *atomic.Bool // set when the file had more than n items
}

func (l limitReader) ReadSource(ctx context.Context, src ingest.Source, emit func(ingest.Item) error) (ingest.FileResult, error) {
	seen := 0
	res, err := l.r.ReadSource(ctx, src, func(it ingest.Item) error {
		if seen == l.n {
			l.more.Store(true)
			return errStopRead
		}
		seen++
		return emit(it)
	})
	if errors.Is(err, errStopRead) {
		return res, nil
	}
	return res, err
}

// Check reads the first records of every input of cfg and resolves them
// exactly as Run does: the same format detection, the same read and resolve
// stages (checkpoint, problem, duplicates), only nothing is graded or
// written. It reports per file what would be graded and rejected, and the
// gates of Run (max_reject_share in samples; min_coverage and configured
// baselines when every file was read whole) that the run would fail.
func Check(ctx context.Context, cfg *Config, o CheckOptions) (*CheckReport, error) {
	if cfg.inputs == nil {
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
	}
	var ev *evalsets.Evalset
	if cfg.Evalset.Path != "" {
		var err error
		if ev, err = evalsets.Load(cfg.Evalset.Name, cfg.Evalset.Path); err != nil {
			return nil, err
		}
	}
	srcs, err := prepareSources(cfg)
	if err != nil {
		return nil, err
	}
	limit := o.Records
	if limit == 0 {
		limit = DefaultCheckRecords
	}
	more := make([]*atomic.Bool, len(srcs))
	for i, s := range srcs {
		more[i] = &atomic.Bool{}
		if limit > 0 {
			s.reader = limitReader{r: s.reader, n: limit, more: more[i]}
		}
	}
	res := newResolver(cfg, ev)
	res.files = make([]Input, len(srcs))
	for i, s := range srcs {
		res.files[i] = s.in
	}
	pr := newProgress(nil, discardLogger())
	workers := max(1, cfg.Workers)
	slots := make(chan struct{}, workers)
	ins := make([]chan []ingest.Item, len(srcs))
	for i := range ins {
		ins[i] = make(chan []ingest.Item, chanDepth)
	}
	toGrade := make(chan resolvedBatch, chanDepth)
	toRejects := make(chan []schemas.Reject, chanDepth)
	read := &readStage{srcs: srcs, batch: DefaultBatchSize, slots: slots, pr: pr}
	resolve := &resolveStage{srcs: srcs, res: res, batch: DefaultBatchSize, slots: slots, pr: pr}

	byPath := map[string]*FileCheck{}
	rep := &CheckReport{Complete: true}
	for i, s := range srcs {
		rep.Files = append(rep.Files, FileCheck{Input: s.in, Path: res.displayPath(s.in.Path), Format: s.format.Name, Detected: s.detected})
		byPath[rep.Files[i].Path] = &rep.Files[i]
	}
	problems := map[ckptKey]map[string]bool{}
	ckptsOf := map[string]map[string]bool{}
	p := pool.New().WithContext(ctx).WithCancelOnError().WithFirstError()
	p.Go(func(ctx context.Context) error { return read.run(ctx, ins) })
	p.Go(func(ctx context.Context) error { return resolve.run(ctx, ins, toGrade, toRejects) })
	p.Go(func(ctx context.Context) error {
		// One goroutine drains both outputs (each closed by the resolve stage).
		for toGrade != nil || toRejects != nil {
			select {
			case b, ok := <-toGrade:
				if !ok {
					toGrade = nil
					continue
				}
				for _, t := range b.tasks {
					f := byPath[t.file]
					f.Graded++
					k := ckptKey{t.id.Checkpoint, t.id.Evalset}
					if problems[k] == nil {
						problems[k] = map[string]bool{}
					}
					problems[k][t.problem] = true
					if ckptsOf[t.file] == nil {
						ckptsOf[t.file] = map[string]bool{}
					}
					ckptsOf[t.file][t.id.Checkpoint] = true
				}
			case b, ok := <-toRejects:
				if !ok {
					toRejects = nil
					continue
				}
				for _, r := range b {
					if f := byPath[r.SourceFile]; f != nil && len(f.Reasons) < maxCheckReasons {
						if n := len(f.Reasons); n == 0 || f.Reasons[n-1].SourceLine != r.SourceLine {
							f.Reasons = append(f.Reasons, r)
						}
					}
				}
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	if err := p.Wait(); err != nil {
		return nil, err
	}

	resolveEstimates(srcs)
	for i, s := range srcs {
		f := &rep.Files[i]
		f.Complete = !more[i].Load()
		rep.Complete = rep.Complete && f.Complete
		f.Records, f.Rejects = s.records.Load(), s.rejects
		f.SamplesRejected, f.SamplesEstimated = s.loss.known+s.loss.estimated(), s.loss.estimated()
		for c := range ckptsOf[f.Path] {
			f.Checkpoints = append(f.Checkpoints, c)
		}
		sort.Strings(f.Checkpoints)
		rep.Graded += f.Graded
		rep.SamplesRejected += f.SamplesRejected
	}
	if rep.Graded+rep.SamplesRejected > 0 {
		rep.RejectShare = float64(rep.SamplesRejected) / float64(rep.Graded+rep.SamplesRejected)
	}
	read1 := "the records read"
	if !rep.Complete {
		read1 = fmt.Sprintf("the first %d records of each file", limit)
	}
	if rep.RejectShare > cfg.MaxRejectShare {
		rep.Failures = append(rep.Failures, fmt.Sprintf("%d of %d samples of %s would be rejected (%.2f%%), above max_reject_share %.2f%%",
			rep.SamplesRejected, rep.Graded+rep.SamplesRejected, read1, 100*rep.RejectShare, 100*cfg.MaxRejectShare))
	}
	rep.checkCoverage(cfg, ev, problems)
	rep.checkBaselines(cfg, srcs)
	return rep, nil
}

// checkCoverage predicts min_coverage from the problems seen, when every
// file was read whole.
func (rep *CheckReport) checkCoverage(cfg *Config, ev *evalsets.Evalset, problems map[ckptKey]map[string]bool) {
	var rows []schemas.Problem
	for k, ps := range problems {
		for range ps {
			rows = append(rows, schemas.Problem{Identity: schemas.Identity{Checkpoint: k.ckpt, Evalset: k.ev}})
		}
	}
	n := 0
	if ev != nil {
		n = ev.Len()
	}
	rep.Coverage = coverage(rows, n)
	if !rep.Complete {
		if cfg.Coverage() > 0 {
			rep.Notes = append(rep.Notes, "coverage (min_coverage) not checked: files were read in part (--records -1 reads them whole)")
		}
		return
	}
	for _, c := range rep.Coverage {
		if c.Coverage < cfg.Coverage() {
			rep.Failures = append(rep.Failures, fmt.Sprintf("checkpoint %s would grade %d of %d problems (%.1f%%), below min_coverage %.0f%%",
				c.Checkpoint, c.Problems, c.Of, 100*c.Coverage, 100*cfg.Coverage()))
		}
	}
}

// checkBaselines reports configured baselines that name no checkpoint seen.
// A checkpoint a file would add later (records naming their own) may be
// missed when files were read in part: then it is a note, not a failure.
func (rep *CheckReport) checkBaselines(cfg *Config, srcs []*source) {
	seen := map[string]bool{}
	var ids []string
	for _, f := range rep.Files {
		for _, c := range f.Checkpoints {
			if !seen[c] {
				seen[c] = true
				ids = append(ids, c)
			}
		}
	}
	sure := rep.Complete
	if !sure {
		sure = true
		for _, s := range srcs {
			if fileCheckpoint(s.in) == "" {
				sure = false
			}
		}
	}
	bl := baselines(cfg)
	for _, ck := range sortedKeys(bl) {
		want := bl[ck]
		if !seen[ck] || seen[want] || want == ck {
			continue
		}
		msg := fmt.Sprintf("checkpoint %s: baseline %s is not a checkpoint of the files%s", ck, want, closest(want, ids))
		if sure {
			rep.Failures = append(rep.Failures, msg)
		} else {
			rep.Notes = append(rep.Notes, msg+" (in the records read)")
		}
	}
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
