package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/rlvr-eval/rlvr-eval/stages/aggregate"
)

// finish runs once every stage succeeded: it computes the aggregate tables,
// writes them, renames every table into place, then writes run.json and
// prints the summary.
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
	var shareErr error
	if m.RejectShare > r.cfg.MaxRejectShare {
		m.Outcome = "too_many_rejects"
		shareErr = &RejectShareError{Rejects: rejects, Records: samples + rejects, Share: m.RejectShare, Max: r.cfg.MaxRejectShare}
	}
	if err := writeManifest(r.o.Out, m, r.cfg); err != nil {
		return nil, fmt.Errorf("writing %s: %w", ManifestFile, err)
	}
	sum := buildSummary(r.cfg.Profiles[0], tables.Metrics, tables.Comparisons, samples, rejects, &r.agg.tally, warnings)
	sum.RejectExamples = r.examples
	r.pr.stop()
	sum.addBoundaries(tables.Boundary)
	if r.o.Stdout != nil {
		if err := sum.Print(r.o.Stdout); err != nil {
			return nil, err
		}
		if shareErr != nil {
			fmt.Fprintf(r.o.Stdout, "FAILED: %v\n", shareErr)
		}
	}
	r.log.Info("run done", "out", r.o.Out, "samples", samples, "rejects", rejects, "took", time.Since(r.started).Round(time.Millisecond))
	return &Result{Out: r.o.Out, Tables: tables, Summary: sum, Manifest: m, Samples: samples, Rejects: rejects}, shareErr
}

// closeTables writes the aggregate tables to temp files, then renames every
// table into place. Closing is not interrupted by a late cancellation, so
// the set of tables stays whole.
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
