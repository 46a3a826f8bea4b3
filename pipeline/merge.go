package pipeline

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"time"

	"github.com/rlvr-eval/rlvr-eval/internal/shard"
	"github.com/rlvr-eval/rlvr-eval/internal/storage"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// MergeOptions are the settings of Merge.
type MergeOptions struct {
	// Run is the run folder the shards wrote into: a path or a storage URL.
	Run string
	// Count is the run's shard count (0: the count the manifests agree on).
	Count int
	// Wait, when positive, waits up to that long for every shard's manifest
	// (Count must be set), polling every Poll (0: 5 s), before checking.
	Wait, Poll time.Duration
	// Version is the tool version recorded in run.json ("dev" when empty).
	Version string
	Logger  *slog.Logger
	// Stdout receives the summary table; nil prints nothing.
	Stdout io.Writer
}

// Merge checks that every shard of the run in o.Run finished (shard.Open:
// the same config hash, plan, grader and schema versions, every file each
// manifest lists present and of its size, no stale part) and writes the
// problems, metrics, comparisons and transitions tables and run.json from
// the shards' partial state alone, without reading a response: the tables
// are byte-identical to those of one unsharded run of the same config. When a
// shard is missing or does not match, Merge returns a *shard.CheckError
// naming every problem and writes nothing.
//
// The samples and rejects stay where the shards wrote them (samples/ and
// rejects/, Hive-partitioned); run.json lists them. Like Run, Merge returns
// the Result with a *RejectShareError when the run's reject share is above
// max_reject_share.
func Merge(ctx context.Context, o MergeOptions) (*Result, error) {
	started := time.Now()
	log := o.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Version == "" {
		o.Version = "dev"
	}
	if o.Run == "" {
		return nil, errors.New("merge: no run folder")
	}
	loc, err := storage.Parse(o.Run)
	if err != nil {
		return nil, err
	}
	st := storage.NewStore()
	defer st.Close()
	if o.Wait > 0 {
		if o.Count < 1 {
			return nil, fmt.Errorf("%w: waiting for the shards needs their count (--shard-count)", shard.ErrSpec)
		}
		wctx, cancel := context.WithTimeout(ctx, o.Wait)
		err := shard.WaitAll(wctx, st, loc, o.Count, cmpOr(o.Poll, 5*time.Second))
		cancel()
		if err != nil {
			return nil, fmt.Errorf("merge of %s: %w", loc.WithoutQuery(), err)
		}
	}
	set, err := shard.Open(ctx, st, loc, shard.Expect{Count: o.Count, GraderVersion: grade.Version, SchemaVersion: schemas.Version})
	if err != nil {
		return nil, err
	}

	// Every shard's state, in shard order.
	states := make([]*shardState, set.Count)
	parts := make([]*aggregate.Partial, set.Count)
	for i, m := range set.Manifests {
		if states[i], parts[i], err = readShardState(ctx, st, loc, m); err != nil {
			return nil, err
		}
		if !bytes.Equal(states[i].Config, states[0].Config) {
			return nil, &shard.CheckError{Problems: []string{fmt.Sprintf("shard %s: %s holds another config than shard %s's, with the same config hash",
				m.Spec(), shard.PartPath(shard.PartialDir, m.Spec(), ".json"), set.Manifests[0].Spec())}}
		}
	}
	var cfg Config
	if err := json.Unmarshal(states[0].Config, &cfg); err != nil {
		return nil, fmt.Errorf("%s: the config: %w", shard.PartPath(shard.PartialDir, set.Manifests[0].Spec(), ".json"), err)
	}
	outFormat, err := write.ParseFormat(cfg.OutputFormat)
	if err != nil {
		return nil, err
	}

	agg, err := aggregate.Merge(states[0].Aggregate, parts)
	if err != nil {
		return nil, err
	}
	var tables *aggregate.Tables
	if err := catch(func() (err error) { tables, err = agg.Result(); return err }); err != nil {
		return nil, fmt.Errorf("aggregating: %w", err)
	}

	// The tables: written to a local staging folder as a run writes them,
	// then copied into the run folder; run.json last.
	staging, err := os.MkdirTemp("", "rlvr-eval-merge-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(staging)
	wopts := write.Options{Dir: staging, Format: outFormat, NoText: cfg.NoText,
		Metadata: map[string]string{"grader_version": grade.Version, "evalset": cfg.Evalset.Name}}
	writers, err := openSmallTables(ctx, wopts, tables)
	defer func() {
		for _, w := range writers {
			w.abort()
		}
	}()
	if err != nil {
		return nil, err
	}
	for _, w := range writers {
		if err := w.close(ctx); err != nil {
			return nil, err
		}
	}
	written, err := os.ReadDir(staging)
	if err != nil {
		return nil, err
	}
	var files []string
	for _, e := range written {
		if e.IsDir() || e.Name()[0] == '.' {
			continue
		}
		b, err := os.ReadFile(filepath.Join(staging, e.Name()))
		if err != nil {
			return nil, err
		}
		if err := st.WriteFile(ctx, loc.Join(e.Name()), b); err != nil {
			return nil, err
		}
		files = append(files, e.Name())
	}

	m, samples, rejects := mergeManifests(states, set, tables, files, o.Version)
	m.MaxRejectShare = cfg.MaxRejectShare
	var shareErr error
	if m.RejectShare > cfg.MaxRejectShare {
		m.Outcome = "too_many_rejects"
		shareErr = &RejectShareError{Rejects: rejects, Records: samples + rejects, Share: m.RejectShare, Max: cfg.MaxRejectShare}
	}
	m.WallSeconds = time.Since(started).Seconds()
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := st.WriteFile(ctx, loc.Join(ManifestFile), append(b, '\n')); err != nil {
		return nil, fmt.Errorf("writing %s: %w", ManifestFile, err)
	}

	tally := peerTally{}
	var examples rejectExamples
	for _, s := range states {
		tally.compared += s.PeerCompared
		tally.disagree += s.PeerDisagree
		for _, e := range s.PeerExamples {
			if len(tally.examples) < maxPeerExamples {
				tally.examples = append(tally.examples, e)
			}
		}
		examples.add(s.RejectSamples)
	}
	sum := buildSummary(cfg.Profiles[0], tables.Metrics, tables.Comparisons, samples, rejects, &tally, m.Warnings)
	sum.RejectExamples = examples
	if o.Stdout != nil {
		if err := sum.Print(o.Stdout); err != nil {
			return nil, err
		}
		if shareErr != nil {
			fmt.Fprintf(o.Stdout, "FAILED: %v\n", shareErr)
		}
	}
	log.Info("merge done", "run", loc.WithoutQuery().String(), "shards", set.Count, "samples", samples, "rejects", rejects,
		"took", time.Since(started).Round(time.Millisecond))
	return &Result{Out: o.Run, Tables: tables, Summary: sum, Manifest: m, Samples: samples, Rejects: rejects}, shareErr
}

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// readShardState reads shard m's partial/part-I-of-N.json and .gob.
func readShardState(ctx context.Context, st *storage.Store, run storage.Location, m *shard.Manifest) (*shardState, *aggregate.Partial, error) {
	jsonRel := shard.PartPath(shard.PartialDir, m.Spec(), ".json")
	gobRel := shard.PartPath(shard.PartialDir, m.Spec(), ".gob")
	b, err := st.ReadFile(ctx, run.Join(jsonRel))
	if err != nil {
		return nil, nil, fmt.Errorf("shard %s: %w", m.Spec(), err)
	}
	var s shardState
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, nil, fmt.Errorf("shard %s: %s: %w", m.Spec(), jsonRel, err)
	}
	if s.Version != shardStateVersion || s.Manifest == nil || len(s.InputKeys) != len(s.Manifest.Inputs) || len(s.InputPaths) != len(s.Manifest.Inputs) {
		return nil, nil, fmt.Errorf("shard %s: %s: expected a shard state of version %d with one key and path per input, found version %d",
			m.Spec(), jsonRel, shardStateVersion, s.Version)
	}
	r, err := st.NewReader(ctx, run.Join(gobRel))
	if err != nil {
		return nil, nil, fmt.Errorf("shard %s: %w", m.Spec(), err)
	}
	defer r.Close()
	p, err := aggregate.ReadPartial(r, gobRel)
	if err != nil {
		return nil, nil, fmt.Errorf("shard %s: %w", m.Spec(), err)
	}
	return &s, p, nil
}

// mergeManifests is run.json of the whole run from the shards' shares: the
// inputs in the order one run reads them, the counts summed, each stage's
// time the slowest shard's, the files every shard and the merge wrote.
func mergeManifests(states []*shardState, set *shard.Set, tables *aggregate.Tables, files []string, version string) (*Manifest, int64, int64) {
	first := states[0].Manifest
	m := &Manifest{Tool: "rlvr-eval", ToolVersion: version, GraderVersion: grade.Version, SchemaVersion: schemas.Version,
		Outcome: "ok", Config: states[0].Config, Evalset: first.Evalset, StageSeconds: map[string]float64{}}
	type in struct {
		key, path string
		mi        ManifestInput
	}
	var ins []in
	var samples, rejects, panics int64
	for _, s := range states {
		for i, mi := range s.Manifest.Inputs {
			ins = append(ins, in{s.InputKeys[i], s.InputPaths[i], mi})
		}
		samples += s.Samples
		rejects += s.Rejects
		panics += s.GraderPanics
		m.FilesGraded += s.Manifest.FilesGraded
		m.FilesCached += s.Manifest.FilesCached
		if c := s.Manifest.Cache; c != nil {
			if m.Cache == nil {
				m.Cache = &ManifestCache{Dir: c.Dir}
			}
			m.Cache.SamplesCached += c.SamplesCached
			m.Cache.SamplesGraded += c.SamplesGraded
			m.Cache.EntriesInvalid += c.EntriesInvalid
			m.Cache.EntriesWritten += c.EntriesWritten
			m.Cache.WriteErrors += c.WriteErrors
		}
		for k, v := range s.Manifest.StageSeconds {
			m.StageSeconds[k] = max(m.StageSeconds[k], v)
		}
	}
	sort.SliceStable(ins, func(i, j int) bool {
		if ins[i].key != ins[j].key {
			return ins[i].key < ins[j].key
		}
		return ins[i].path < ins[j].path
	})
	for _, x := range ins {
		m.Inputs = append(m.Inputs, x.mi)
	}
	m.Records, m.Rejects = samples+rejects, rejects
	if samples+rejects > 0 {
		m.RejectShare = float64(rejects) / float64(samples+rejects)
	}
	m.Tables = tableRows(tables, samples, rejects)
	m.Files = append(m.Files, files...)
	for _, sm := range set.Manifests {
		for _, f := range sm.Files {
			m.Files = append(m.Files, f.Path)
		}
		m.Files = append(m.Files, shard.ManifestPath(sm.Spec()))
	}
	sort.Strings(m.Files)
	m.Warnings = append(m.Warnings, tables.Warnings...)
	if panics > 0 {
		m.Warnings = append(m.Warnings, fmt.Sprintf("the grader failed on %d responses (graded as unparsable)", panics))
	}
	m.Warnings = slices.Clip(m.Warnings)
	return m, samples, rejects
}
