package pipeline

import (
	"cmp"
	"errors"
	"io"
	"log/slog"
	"runtime"
	"time"

	"github.com/rlvr-eval/rlvr-eval/evalsets"
	"github.com/rlvr-eval/rlvr-eval/pipeline/gradecache"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// runState is what one Run builds before its stages start (setup), what the
// stages leave behind, and what finish turns into tables and run.json.
type runState struct {
	cfg       *Config
	o         RunOptions
	started   time.Time
	log       *slog.Logger
	batch     int
	workers   int
	outFormat write.Format
	profiles  []grade.Profile
	ev        *evalsets.Evalset // nil in inline mode
	srcs      []*source
	res       *resolver
	cache     *gradecache.Cache // nil without --cache
	pr        *progress
	folder    *runFolder
	wopts     write.Options

	samplesW *write.Writer[schemas.Sample]
	rejectsW *write.Writer[schemas.Reject]

	// Set by Run: the stages whose state outlives them.
	grading  *gradeStage
	agg      *aggregateStage
	samples  *sinkStage[schemas.Sample]
	rejects  *sinkStage[schemas.Reject]
	examples rejectExamples // written by the rejects sink only
}

// setup applies the defaults, creates the output folder, loads the evalset,
// prepares the sources, opens the grading cache and the streaming writers.
// On error, what it opened is closed.
func setup(cfg *Config, o RunOptions) (r *runState, err error) {
	if cfg.inputs == nil {
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
	}
	r = &runState{cfg: cfg, o: o, started: time.Now(), log: o.Logger, batch: o.BatchSize, workers: cfg.Workers}
	if r.log == nil {
		r.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if r.o.Version == "" {
		r.o.Version = "dev"
	}
	if r.batch <= 0 {
		r.batch = DefaultBatchSize
	}
	if r.workers <= 0 {
		r.workers = runtime.GOMAXPROCS(0)
	}
	if o.Out == "" {
		return nil, errors.New("run: no output folder")
	}
	if r.outFormat, err = write.ParseFormat(cfg.OutputFormat); err != nil {
		return nil, err
	}
	r.profiles = make([]grade.Profile, len(cfg.Profiles))
	for i, p := range cfg.Profiles {
		r.profiles[i] = grade.Profile(p)
	}
	if cfg.Evalset.Path != "" {
		if r.ev, err = evalsets.Load(cfg.Evalset.Name, cmp.Or(o.evalsetLocal, cfg.Evalset.Path)); err != nil {
			return nil, err
		}
	}
	if r.srcs, err = prepareSources(cfg); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			r.abort()
		}
	}()
	if o.Cache != "" {
		if r.cache, err = gradecache.Open(o.Cache, r.cacheRun()); err != nil {
			return nil, err
		}
	}
	r.res = newResolver(cfg, r.ev)
	r.res.files = make([]Input, len(r.srcs))
	for i, s := range r.srcs {
		r.res.files[i] = s.in
	}
	r.pr = newProgress(o.Progress, r.log)
	// Everything is written into a stage folder beside o.Out and switched
	// into place at the end (commit.go).
	if r.folder, err = openRunFolder(o.Out, r.log); err != nil {
		return nil, err
	}

	// Writers: created up front, closed (renamed into place) only at the end.
	// File metadata: what graded the rows (no tool build string, so that the
	// same inputs give the same bytes across builds of the same grader).
	r.wopts = write.Options{Dir: r.folder.stage, Format: r.outFormat, NoText: cfg.NoText,
		Metadata: map[string]string{"grader_version": grade.Version, "evalset": cfg.Evalset.Name}}
	sopts := r.wopts
	sopts.Profiles = cfg.Profiles[1:]
	sopts.RowGroupRows = samplesRowGroupRows
	if r.samplesW, err = write.New[schemas.Sample](sopts); err != nil {
		return nil, err
	}
	if r.rejectsW, err = write.New[schemas.Reject](r.wopts); err != nil {
		return nil, err
	}
	return r, nil
}

// cacheRun is what the run's cache entries are keyed by.
func (r *runState) cacheRun() gradecache.Run {
	cr := gradecache.Run{GraderVersion: grade.Version, Profiles: r.cfg.Profiles, Evalset: "inline/" + r.cfg.Evalset.Name}
	if r.o.cacheGraderVersion != "" {
		cr.GraderVersion = r.o.cacheGraderVersion
	}
	if r.ev != nil {
		cr.Evalset = "evalset/" + r.ev.Hash()
	}
	return cr
}

func (r *runState) newAggregator() *aggregate.Aggregator {
	cfg := r.cfg
	return aggregate.New(aggregate.Options{Ks: cfg.Ks, Profiles: cfg.Profiles, Baselines: baselines(cfg),
		Seed: cfg.Seed, Bootstrap: cfg.Bootstrap, Permutations: cfg.Permutations})
}

// abort removes whatever the run left unfinished: the writers' temp files
// (a no-op for a writer already closed), the cache's open entries, the bars.
func (r *runState) abort() {
	if r.samplesW != nil {
		r.samplesW.Abort()
	}
	if r.rejectsW != nil {
		r.rejectsW.Abort()
	}
	if r.cache != nil {
		r.cache.AbortOpen()
	}
	if r.pr != nil {
		r.pr.stop()
	}
	r.folder.abort()
}
