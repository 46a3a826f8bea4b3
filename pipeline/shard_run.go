package pipeline

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/rlvr-eval/rlvr-eval/internal/shard"
	"github.com/rlvr-eval/rlvr-eval/internal/storage"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// A sharded run (RunOptions.Shard, `rlvr-eval run --shard I/N`) resolves the
// config's inputs as a full run does, keeps shard I's share (shard.Select:
// whole checkpoints, balanced by bytes; a file whose checkpoint the records
// name is a unit of its own), grades it, and writes into the run folder:
//
//	samples/family=F/reward=R/part-I-of-N.parquet   its samples, Hive-partitioned
//	rejects/part-I-of-N.parquet                     its rejects
//	partial/part-I-of-N.gob                         the aggregate's per-problem state
//	partial/part-I-of-N.json                        its share of run.json (shardState)
//	_shards/shard-I-of-N.json                       its manifest, written last
//
// Every file is written to a local staging folder first and then copied into
// the run folder with storage's atomic writes; shard.Begin removes the
// shard's manifest and old files before it starts, and the manifest appears
// only after every file is in place, so a shard killed at any point leaves
// nothing the merge accepts (see Merge). Re-running a shard replaces only its
// own files.

// shardStateVersion is the version of partial/part-I-of-N.json.
const shardStateVersion = 1

// shardState is what a shard tells the merge besides the aggregate's state:
// the whole run's config and aggregate options (the same in every shard:
// their hash is the manifest's config hash), and its share of run.json and
// of the summary.
type shardState struct {
	Version   int               `json:"version"`
	Config    json.RawMessage   `json:"config"`
	Aggregate aggregate.Options `json:"aggregate"`
	// Manifest is the run.json a single run of this shard's inputs would
	// have written (its Tables, Files and Warnings left for the merge);
	// InputKeys[i] orders Manifest.Inputs[i] as a single run orders inputs
	// (the checkpoint the config gives the file, then its path).
	Manifest      *Manifest         `json:"manifest"`
	InputKeys     []string          `json:"input_keys"`
	InputPaths    []string          `json:"input_paths"`
	Samples       int64             `json:"samples"`
	Rejects       int64             `json:"rejects"`
	GraderPanics  int64             `json:"grader_panics"`
	PeerCompared  int64             `json:"peer_compared"`
	PeerDisagree  int64             `json:"peer_disagree"`
	PeerExamples  []PeerExample     `json:"peer_examples"`
	RejectSamples []schemas.Reject  `json:"reject_examples"`
	Partitions    map[string]string `json:"partitions,omitempty"` // samples file -> "family/reward", for the record
}

// shardHook, when set (by tests only), is called at the points of a shard's
// write named by its argument ("begun", "writing <file>" half-way through a
// file, "committed <file>", "finishing"); a test kills the process there.
var shardHook func(point string)

func hook(point string) {
	if shardHook != nil {
		shardHook(point)
	}
}

// shardInputs is cfg's inputs as shard items, with each file's size.
func shardInputs(ctx context.Context, cfg *Config) ([]shard.Item, error) {
	items := make([]shard.Item, len(cfg.inputs))
	st := storage.NewStore()
	defer st.Close()
	var errs []error
	for i, in := range cfg.inputs {
		loc, err := storage.Parse(in.Path)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		e, err := st.Stat(ctx, loc)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		items[i] = shard.Item{Checkpoint: fileCheckpoint(in), Path: in.Path, Size: e.Size}
	}
	return items, errors.Join(errs...)
}

// shardConfigHash identifies the run a shard belongs to: the resolved config
// without what may differ between the tasks of one run (workers; the shard
// index and count, the output and the cache are not in Config).
func shardConfigHash(cfg *Config) (string, error) {
	c := *cfg
	c.Workers = 0
	return shard.ConfigHash(&c)
}

// runShard is Run for a shard (o.Shard set). Its Result counts the shard's
// samples and rejects; its Tables are nil (the merge writes them).
func runShard(ctx context.Context, cfg *Config, o RunOptions) (*Result, error) {
	if cfg.inputs == nil {
		if err := cfg.Validate(); err != nil {
			return nil, err
		}
	}
	if o.Out == "" {
		return nil, errors.New("run: no output folder")
	}
	runLoc, err := storage.Parse(o.Out)
	if err != nil {
		return nil, err
	}
	items, err := shardInputs(ctx, cfg)
	if err != nil {
		return nil, err
	}
	cfgHash, err := shardConfigHash(cfg)
	if err != nil {
		return nil, err
	}
	full := cfg
	mine := *cfg
	mine.inputs = []Input{} // not nil: setup would resolve them all again
	for _, i := range shard.Select(items, o.Shard) {
		mine.inputs = append(mine.inputs, cfg.inputs[i])
	}

	st := storage.NewStore()
	defer st.Close()
	out, err := shard.Begin(ctx, st, runLoc, o.Shard)
	if err != nil {
		return nil, fmt.Errorf("shard %s: %w", o.Shard, err)
	}
	hook("begun")

	staging, err := os.MkdirTemp("", "rlvr-eval-shard-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	so := o
	so.Out = filepath.Join(staging, "run")
	local, display, err := localInputs(ctx, &mine, staging)
	if err != nil {
		return nil, err
	}
	so.display = display
	if err := so.localEvalset(ctx, local, staging); err != nil {
		return nil, err
	}
	rc, err := so.localCache(ctx, staging)
	if err != nil {
		return nil, err
	}
	r, err := setup(local, so)
	if err != nil {
		return nil, err
	}
	defer r.abort()
	r.res.display = display
	parts := &partitionSink{dir: filepath.Join(staging, "samples"), opts: r.wopts, profiles: mine.Profiles[1:]}
	defer parts.abort()
	if err := r.stream(ctx, parts.run); err != nil {
		return nil, err
	}

	// The aggregate's state, then every file into the run folder.
	var partial *aggregate.Partial
	if err := catch(func() (err error) { partial, err = r.agg.agg.Partial(); return err }); err != nil {
		return nil, fmt.Errorf("aggregating: %w", err)
	}
	r.pr.end(StageAggregate, "samples", r.agg.added)
	closeCtx := context.WithoutCancel(ctx)
	if err := parts.close(closeCtx); err != nil {
		return nil, err
	}
	if err := r.rejectsW.Close(closeCtx); err != nil {
		return nil, fmt.Errorf("closing rejects: %w", err)
	}
	r.samples.rows = parts.rows
	samples, rejects := parts.rows, r.rejects.rows
	r.pr.end(StageWrite, "samples", samples, "rejects", rejects)

	cfgJSON, err := json.Marshal(full)
	if err != nil {
		return nil, err
	}
	state := shardState{Version: shardStateVersion, Config: cfgJSON, Manifest: r.manifest(&aggregate.Tables{}, nil),
		Samples: samples, Rejects: rejects, GraderPanics: r.grading.panicked.Load(),
		PeerCompared: r.agg.tally.compared, PeerDisagree: r.agg.tally.disagree, PeerExamples: r.agg.tally.examples,
		RejectSamples: r.examples, Partitions: map[string]string{}}
	state.Aggregate = aggregate.Options{Ks: full.Ks, Profiles: full.Profiles, Baselines: baselines(full),
		Seed: full.Seed, Bootstrap: full.Bootstrap, Permutations: full.Permutations}
	for _, s := range r.srcs {
		state.InputKeys = append(state.InputKeys, fileCheckpoint(s.in))
		state.InputPaths = append(state.InputPaths, cmp.Or(display[s.in.Path], s.in.Path))
	}
	state.Manifest.Files, state.Manifest.Tables, state.Manifest.Warnings = nil, nil, nil

	if err := uploadShard(ctx, out, runLoc, o.Shard, r, parts, partial, &state); err != nil {
		return nil, err
	}

	if rc != nil {
		if err := rc.push(ctx); err != nil {
			return nil, fmt.Errorf("uploading the grading cache: %w", err)
		}
	}
	hook("finishing")
	m := shard.Manifest{ConfigHash: cfgHash, PlanHash: shard.PlanHash(items, o.Shard.Count), ToolVersion: r.o.Version,
		GraderVersion: grade.Version, SchemaVersion: schemas.Version, Checkpoints: partial.Checkpoints(),
		Records: samples + rejects, Rejects: rejects}
	for _, s := range r.srcs {
		m.Inputs = append(m.Inputs, shard.ManifestInput{Path: r.res.displayPath(s.in.Path), Checkpoint: fileCheckpoint(s.in), Size: s.size, SHA256: s.sha256})
	}
	if err := out.Finish(ctx, m); err != nil {
		return nil, err
	}
	r.pr.stop()
	r.log.Info("shard done", "shard", o.Shard.String(), "out", runLoc.WithoutQuery().String(), "checkpoints", len(m.Checkpoints),
		"samples", samples, "rejects", rejects, "took", time.Since(r.started).Round(time.Millisecond))
	if o.Stdout != nil {
		fmt.Fprintf(o.Stdout, "shard %s: %d input files, %d checkpoints, %d samples, %d rejects written to %s\n",
			o.Shard, len(r.srcs), len(m.Checkpoints), samples, rejects, runLoc.WithoutQuery())
	}
	return &Result{Out: o.Out, Manifest: state.Manifest, Samples: samples, Rejects: rejects}, nil
}

// uploadShard copies a shard's files into the run folder with the store's
// atomic writes: each samples partition, the rejects, the aggregate's partial
// state and the shard's state (state.Partitions is filled on the way). The
// manifest, written last by the caller, is what makes them count.
func uploadShard(ctx context.Context, out *shard.Output, runLoc storage.Location, spec shard.Spec, r *runState,
	parts *partitionSink, partial *aggregate.Partial, state *shardState) error {
	up := func(rel string, write func(io.Writer) error) error {
		f, err := out.Create(ctx, rel)
		if err != nil {
			return err
		}
		defer f.Abort()
		if err := write(&halfway{w: f, point: "writing " + rel}); err != nil {
			return fmt.Errorf("writing %s: %w", runLoc.Join(rel), err)
		}
		if err := f.Commit(); err != nil {
			return err
		}
		hook("committed " + rel)
		return nil
	}
	copyFile := func(rel, from string) error {
		return up(rel, func(w io.Writer) error {
			in, err := os.Open(from)
			if err != nil {
				return err
			}
			defer in.Close()
			_, err = io.Copy(w, in)
			return err
		})
	}
	for _, p := range parts.order {
		for _, ext := range tableExts(r.outFormat) {
			rel := strings.TrimSuffix(shard.SamplesPath(p.family, p.reward, spec), ".parquet") + ext
			state.Partitions[rel] = p.family + "/" + p.reward
			if err := copyFile(rel, filepath.Join(p.dir, schemas.TableSamples+ext)); err != nil {
				return err
			}
		}
	}
	for _, ext := range tableExts(r.outFormat) {
		if err := copyFile(shard.PartPath(shard.RejectsDir, spec, ext), filepath.Join(r.folder.stage, schemas.TableRejects+ext)); err != nil {
			return err
		}
	}
	if err := up(shard.PartPath(shard.PartialDir, spec, ".gob"), func(w io.Writer) error { return aggregate.WritePartial(w, partial) }); err != nil {
		return err
	}
	if err := up(shard.PartPath(shard.PartialDir, spec, ".json"), func(w io.Writer) error {
		b, err := json.MarshalIndent(state, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.Write(append(b, '\n'))
		return err
	}); err != nil {
		return err
	}
	return nil
}

// halfway calls the hook "writing <file>" once, after the first write: a
// test's SIGKILL there stops the shard in the middle of a file.
type halfway struct {
	w     io.Writer
	point string
	done  bool
}

func (h *halfway) Write(p []byte) (int, error) {
	if !h.done && len(p) > 1 {
		h.done = true
		n, err := h.w.Write(p[:len(p)/2])
		if err != nil {
			return n, err
		}
		hook(h.point)
		m, err := h.w.Write(p[len(p)/2:])
		return n + m, err
	}
	return h.w.Write(p)
}

// tableExts are the file extensions of the tables format f writes.
func tableExts(f write.Format) []string {
	var out []string
	if f == write.Parquet || f == write.Both {
		out = append(out, ".parquet")
	}
	if f == write.Arrow || f == write.Both {
		out = append(out, ".arrow")
	}
	return out
}

// partition is one (family, reward) of a shard's samples and its writer.
type partition struct {
	family, reward string
	dir            string
	w              *write.Writer[schemas.Sample]
}

// partitionSink writes a shard's samples, one writer per (family, reward),
// each in a folder of its own under dir. Rows keep their order within a
// partition.
type partitionSink struct {
	dir      string
	opts     write.Options
	profiles []string
	parts    map[[2]string]*partition
	order    []*partition // in order of first appearance
	rows     int64
}

func (ps *partitionSink) run(ctx context.Context, in <-chan []schemas.Sample) error {
	if ps.parts == nil {
		ps.parts = map[[2]string]*partition{}
	}
	for {
		var b []schemas.Sample
		var ok bool
		select {
		case b, ok = <-in:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok {
			return nil
		}
		for len(b) > 0 {
			k := [2]string{b[0].Family, b[0].Reward}
			n := 1
			for n < len(b) && b[n].Family == k[0] && b[n].Reward == k[1] {
				n++
			}
			p, err := ps.partition(k)
			if err != nil {
				return err
			}
			if err := p.w.Write(ctx, b[:n]); err != nil {
				return fmt.Errorf("writing samples (family %s, reward %s): %w", k[0], k[1], err)
			}
			ps.rows += int64(n)
			b = b[n:]
		}
	}
}

func (ps *partitionSink) partition(k [2]string) (*partition, error) {
	if p := ps.parts[k]; p != nil {
		return p, nil
	}
	p := &partition{family: k[0], reward: k[1], dir: filepath.Join(ps.dir, fmt.Sprint(len(ps.order)))}
	if err := os.MkdirAll(p.dir, 0o755); err != nil {
		return nil, err
	}
	o := ps.opts
	o.Dir = p.dir
	o.Profiles = ps.profiles
	o.RowGroupRows = samplesRowGroupRows
	w, err := write.New[schemas.Sample](o)
	if err != nil {
		return nil, err
	}
	p.w = w
	ps.parts[k] = p
	ps.order = append(ps.order, p)
	return p, nil
}

func (ps *partitionSink) close(ctx context.Context) error {
	// The partitions in the order of their Hive paths: the manifest's order.
	slices.SortFunc(ps.order, func(a, b *partition) int {
		return strings.Compare(shard.SamplesPath(a.family, a.reward, shard.Spec{Count: 1}), shard.SamplesPath(b.family, b.reward, shard.Spec{Count: 1}))
	})
	for _, p := range ps.order {
		if err := p.w.Close(ctx); err != nil {
			return fmt.Errorf("closing samples (family %s, reward %s): %w", p.family, p.reward, err)
		}
	}
	return nil
}

func (ps *partitionSink) abort() {
	for _, p := range ps.order {
		p.w.Abort()
	}
}
