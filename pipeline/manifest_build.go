package pipeline

import (
	"cmp"
	"fmt"
	"sort"
	"strings"
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
		Tables:   tableRows(tables, samples, rejects),
		Warnings: warnings,
	}
	resolveEstimates(r.srcs)
	m.SamplesGraded = samples
	for _, s := range r.srcs {
		m.SamplesRejected += s.loss.known + s.loss.estimated()
		m.SamplesRejectedEstimated += s.loss.estimated()
	}
	if samples+m.SamplesRejected > 0 {
		m.RejectShare = float64(m.SamplesRejected) / float64(samples+m.SamplesRejected)
	}
	evProblems := 0
	if r.ev != nil {
		evProblems = r.ev.Len()
	}
	m.Coverage = coverage(tables.Problems, evProblems)
	m.MinCoverage = cfg.Coverage()
	m.MissingBaselines, _ = missingBaselines(tables, baselines(cfg))
	for _, t := range schemas.RunTables() {
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
		m.Evalset = &ManifestEvalset{Name: cfg.Evalset.Name, Inline: true, Why: "evalset.name in the config"}
		if cfg.Evalset.Name == "" {
			m.Evalset.Name, m.Evalset.Why = r.evalsetFromFiles()
		}
	}
	if r.cache != nil {
		m.Cache = &ManifestCache{Dir: cmp.Or(r.o.cacheDisplay, r.cache.Stats().Dir), SamplesCached: r.grading.fromCache.Load()}
		m.Cache.SamplesGraded = samples - m.Cache.SamplesCached
	}
	for _, s := range r.srcs {
		mi := ManifestInput{Path: r.res.displayPath(s.in.Path), Format: s.format.Name, Detected: s.detected,
			Size: s.size, SHA256: s.sha256, Records: s.records.Load(), Rejects: s.rejects, MatchedBy: s.matches,
			RejectedSamples: s.loss.known + s.loss.estimated(), RejectedSamplesEstimated: s.loss.estimated(),
			RejectedSamplesEstimate: s.loss.estimateHow}
		fileResultInto(&mi, s, cfg.Evalset.Name)
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

// fileResultInto fills an input's entry with what its reader reported: task,
// filters or sampling configs read, rows skipped, and its evalset name and why.
func fileResultInto(mi *ManifestInput, s *source, cfgName string) {
	res := s.result
	mi.Task, mi.Selected = res.Task, res.Selected
	for _, k := range res.Skipped {
		mi.Skipped = append(mi.Skipped, ManifestSkip{Reason: k.Reason, Value: k.Value, Rows: k.Rows, Responses: k.Responses, FirstLine: k.FirstLine, Why: k.Why})
	}
	if cfgName != "" {
		mi.Evalset, mi.EvalsetWhy = cfgName, "evalset.name in the config"
		return
	}
	mi.Evalset, mi.EvalsetWhy = res.Evalset.Name, res.Evalset.Why
	if mi.Evalset == "" {
		mi.Evalset, mi.EvalsetWhy = "custom", "the file suggests no evalset name"
	}
}

// evalsetFromFiles names the evalset of a run without evalset: in its
// config: the name the files that gave samples suggest (results JSONs and
// other files without records aside), with why; several names are listed
// (each checkpoint's evalset column holds its own files').
func (r *runState) evalsetFromFiles() (name, why string) {
	var names, whys []string
	seen := map[string]bool{}
	for _, s := range r.srcs {
		if s.records.Load() == 0 {
			continue
		}
		g := s.result.Evalset
		if g.Name == "" {
			g.Name, g.Why = "custom", "the file suggests no evalset name"
		}
		if seen[g.Name] {
			continue
		}
		seen[g.Name] = true
		names = append(names, g.Name)
		whys = append(whys, fmt.Sprintf("%s: %s (first in %s)", g.Name, g.Why, r.res.displayPath(s.in.Path)))
	}
	if len(names) == 0 {
		return "custom", "no evalset: in the config, and no file with samples suggests a name"
	}
	return strings.Join(names, ", "), "no evalset: in the config; named from the files: " + strings.Join(whys, "; ")
}

// tableRows is run.json's row count of every table a run writes.
func tableRows(t *aggregate.Tables, samples, rejects int64) map[string]int64 {
	return map[string]int64{
		schemas.TableSamples: samples, schemas.TableRejects: rejects,
		schemas.TableProblems: int64(len(t.Problems)), schemas.TableMetrics: int64(len(t.Metrics)),
		schemas.TableComparisons: int64(len(t.Comparisons)), schemas.TableTransitions: int64(len(t.Transitions)),
		schemas.TableBoundary: int64(len(t.Boundary)), schemas.TableBoundaryCurves: int64(len(t.BoundaryCurves)),
		schemas.TableProblemMoves: int64(len(t.ProblemMoves)),
	}
}
