package pipeline

import (
	"context"
	"fmt"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/write"
)

// sinkStage writes every batch of in to a table writer (to its temp file:
// the run renames it into place at the end) and calls each, if set, after
// each batch. Its error is the writer's (infrastructure) or cancellation.
type sinkStage[T write.Row] struct {
	w    *write.Writer[T]
	each func([]T)
	rows int64
}

func (st *sinkStage[T]) run(ctx context.Context, in <-chan []T) error {
	for {
		var b []T
		var ok bool
		select {
		case b, ok = <-in:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok {
			return nil
		}
		if err := st.w.Write(ctx, b); err != nil {
			return fmt.Errorf("writing %s: %w", write.TableName[T](), err)
		}
		st.rows += int64(len(b))
		if st.each != nil {
			st.each(b)
		}
	}
}

// rejectExamples keeps the summary's first rejects, in input order, one a
// line (a problem line of many samples rejects each of them for the same
// reason).
type rejectExamples []schemas.Reject

func (ex *rejectExamples) add(b []schemas.Reject) {
	for _, r := range b {
		n := len(*ex)
		if n == maxRejectExamples {
			return
		}
		if n > 0 && (*ex)[n-1].SourceFile == r.SourceFile && (*ex)[n-1].SourceLine == r.SourceLine {
			continue
		}
		*ex = append(*ex, r)
	}
}
