package pipeline

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
)

// finish runs once every stage succeeded: it computes the aggregate tables,
// writes them, closes every table in the stage folder, writes run.json
// there (with each table file's rows and sha256), switches the stage into
// place as the output folder (commit.go), then prints the summary.
func (r *runState) finish(ctx context.Context) (*Result, error) {
	if r.o.HeapProfile != nil {
		runtime.GC()
		if err := pprof.Lookup("heap").WriteTo(r.o.HeapProfile, 0); err != nil {
			r.log.Warn("heap profile not written", "error", err)
		}
	}
	tables, err := r.agg.result()
	if err != nil {
		return nil, err
	}
	if err := r.closeTables(ctx, tables); err != nil {
		return nil, err
	}
	samples, rejects := r.samples.rows, r.rejects.rows
	r.pr.end(StageWrite, "samples", samples, "rejects", rejects)

	warnings := append([]string(nil), tables.Warnings...)
	if n := r.grading.panicked.Load(); n > 0 {
		warnings = append(warnings, fmt.Sprintf("the grader failed on %d responses (graded as unparsable)", n))
	}
	m := r.manifest(tables, warnings)
	gate := r.gates(m, tables)
	if m.TableFiles, err = tableFiles(r.folder.stage, m.Files, m.Tables); err != nil {
		return nil, fmt.Errorf("writing %s: %w", ManifestFile, err)
	}
	if err := writeManifest(r.folder.stage, m, r.cfg); err != nil {
		return nil, fmt.Errorf("writing %s: %w", ManifestFile, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("run cancelled: no table written: %w", context.Cause(ctx))
	}
	if err := r.folder.commit(); err != nil {
		return nil, err
	}
	sum := buildSummary(r.cfg.Profiles[0], tables.Metrics, tables.Comparisons, samples, rejects, &r.agg.tally, warnings)
	sum.RejectExamples = r.examples
	sum.SamplesRejected, sum.SamplesEstimated = m.SamplesRejected, m.SamplesRejectedEstimated
	sum.Coverage, sum.MinCoverage, sum.MissingBaselines = m.Coverage, m.MinCoverage, m.MissingBaselines
	sum.Peers = r.agg.peers.result(r.res.peerOf)
	if r.cfg.Evalset.Name == "" && m.Evalset != nil {
		sum.EvalsetFromFiles = fmt.Sprintf("%s (%s)", m.Evalset.Name, m.Evalset.Why)
	}
	r.pr.stop()
	sum.addBoundaries(tables.Boundary)
	if r.o.Stdout != nil {
		if err := sum.Print(r.o.Stdout); err != nil {
			return nil, err
		}
		if gate != nil {
			fmt.Fprintf(r.o.Stdout, "INCOMPLETE (tables written): %v\n", gate)
		}
	}
	r.log.Info("run done", "out", r.o.Out, "samples", samples, "rejects", rejects, "took", time.Since(r.started).Round(time.Millisecond))
	return &Result{Out: r.o.Out, Tables: tables, Summary: sum, Manifest: m, Samples: samples, Rejects: rejects}, gate
}

// gates checks the finished run against max_reject_share (in samples),
// min_coverage (in problems) and its configured baselines, and records the
// failures in m (Outcome, Failures). It returns them joined, or nil.
func (r *runState) gates(m *Manifest, tables *aggregate.Tables) error {
	var errs []error
	if m.RejectShare > r.cfg.MaxRejectShare {
		m.Failures = append(m.Failures, "too_many_rejects")
		errs = append(errs, &RejectShareError{Rejects: m.Rejects, Records: m.Records, SamplesRejected: m.SamplesRejected,
			SamplesGraded: m.SamplesGraded, Estimated: m.SamplesRejectedEstimated, Share: m.RejectShare, Max: r.cfg.MaxRejectShare})
	}
	var below []CheckpointCoverage
	for _, c := range m.Coverage {
		if c.Coverage < m.MinCoverage {
			below = append(below, c)
		}
	}
	if len(below) > 0 {
		m.Failures = append(m.Failures, "incomplete")
		errs = append(errs, &CoverageError{Below: below, Min: m.MinCoverage})
	}
	if _, bad := missingBaselines(tables, baselines(r.cfg)); len(bad) > 0 {
		m.Failures = append(m.Failures, "missing_baseline")
		errs = append(errs, &BaselineError{Problems: bad})
	}
	if len(m.Failures) > 0 {
		m.Outcome = m.Failures[0]
	}
	return errors.Join(errs...)
}

// closeTables writes the aggregate tables to temp files, then renames every
// table into place in the stage folder. Closing is not interrupted by a late
// cancellation, so the set of tables stays whole.
func (r *runState) closeTables(ctx context.Context, tables *aggregate.Tables) error {
	writers, err := openSmallTables(ctx, r.wopts, tables)
	defer func() {
		for _, w := range writers {
			w.abort()
		}
	}()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("run cancelled: no table written: %w", err)
	}
	closeCtx := context.WithoutCancel(ctx)
	if err := r.samplesW.Close(closeCtx); err != nil {
		return fmt.Errorf("closing samples: %w", err)
	}
	if err := r.rejectsW.Close(closeCtx); err != nil {
		return fmt.Errorf("closing rejects: %w", err)
	}
	for _, w := range writers {
		if err := w.close(closeCtx); err != nil {
			return err
		}
	}
	return nil
}
