package pipeline

import (
	"cmp"
	"sort"
	"time"

	"github.com/rlvr-eval/rlvr-eval/evalsets"
	"github.com/rlvr-eval/rlvr-eval/pipeline/gradecache"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// manifest assembles run.json from what the stages left (the outcome is "ok";
// finish sets another).
func (r *runState) manifest(tables *aggregate.Tables, warnings []string) *Manifest {
	cfg := r.cfg
	samples, rejects := r.samples.rows, r.rejects.rows
	m := &Manifest{
		Tool: "rlvr-eval", ToolVersion: r.o.Version, GraderVersion: grade.Version, SchemaVersion: schemas.Version,
		Outcome: "ok", Records: samples + rejects, Rejects: rejects, MaxRejectShare: cfg.MaxRejectShare,
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
		if r.outFormat == write.Parquet || r.outFormat == write.Both {
			m.Files = append(m.Files, t+".parquet")
		}
		if r.outFormat == write.Arrow || r.outFormat == write.Both {
			m.Files = append(m.Files, t+".arrow")
		}
	}
	sort.Strings(m.Files)
	if ev := r.ev; ev != nil {
		me := &ManifestEvalset{Name: ev.Name, Path: cmp.Or(r.o.evalsetDisplay, ev.Path), FileSHA256: ev.FileSHA256, ContentHash: ev.Hash(), Problems: ev.Len()}
		if d, ok := evalsets.LookupDefinition(ev.Name); ok && d.SHA256 == ev.FileSHA256 {
			me.Published = true
		}
		m.Evalset = me
	} else {
		m.Evalset = &ManifestEvalset{Name: cfg.Evalset.Name, Inline: true}
	}
	if r.cache != nil {
		m.Cache = &ManifestCache{Dir: cmp.Or(r.o.cacheDisplay, r.cache.Stats().Dir), SamplesCached: r.grading.fromCache.Load()}
		m.Cache.SamplesGraded = samples - m.Cache.SamplesCached
	}
	for _, s := range r.srcs {
		mi := ManifestInput{Path: r.res.displayPath(s.in.Path), Format: s.format.Name, Detected: s.detected,
			Size: s.size, SHA256: s.sha256, Records: s.records.Load(), Rejects: s.rejects, MatchedBy: s.matches}
		if s.cache != nil {
			mi.Cache = s.cache.Status()
			if mi.Cache == gradecache.Invalid || mi.Cache == gradecache.Partial {
				m.Cache.EntriesInvalid++
			}
		}
		if s.cache == nil || s.cache.Graded() {
			m.FilesGraded++
		} else {
			m.FilesCached++
		}
		m.Inputs = append(m.Inputs, mi)
	}
	if r.cache != nil {
		st := r.cache.Stats()
		m.Cache.EntriesWritten, m.Cache.WriteErrors = st.Written, st.Failed
		if st.LastErr != nil {
			r.log.Warn("grading cache: entries not written", "dir", st.Dir, "failed", st.Failed, "last_error", st.LastErr)
		}
	}
	m.StageSeconds = r.pr.durations()
	m.WallSeconds = time.Since(r.started).Seconds()
	return m
}
