package pipeline

import (
	"context"
	"sync/atomic"

	"github.com/sourcegraph/conc/stream"

	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// gradedBatch is what the grade stage hands the aggregate stage: samples in
// input order, then the checkpoints to seal after them.
type gradedBatch struct {
	samples []schemas.Sample
	sealed  []string
}

// gradeStage grades batches on `workers` goroutines; conc/stream runs the
// callbacks in submission order, so samples leave in input order, on toAgg
// and toWrite (both closed by the stage). With a grading cache the in-order
// callback also writes each file's new entry. A grader panic is a verdict
// ("unparsable", counted in panicked), never an error: the error is for
// cancellation only.
type gradeStage struct {
	workers  int
	profiles []grade.Profile
	noText   bool
	pr       *progress

	panicked  atomic.Int64 // grader panics
	graded    atomic.Int64 // samples made
	fromCache atomic.Int64 // of which verdicts came from the grading cache
}

func (st *gradeStage) run(ctx context.Context, in <-chan resolvedBatch, toAgg chan<- gradedBatch, toWrite chan<- []schemas.Sample) error {
	defer close(toAgg)
	defer close(toWrite)
	s := stream.New().WithMaxGoroutines(st.workers)
	var sendErr atomic.Value
	// lost is set (by a callback; callbacks run one at a time) once a batch
	// was dropped on cancellation: no cache entry is committed after it.
	var lost bool
	for {
		var b resolvedBatch
		var ok bool
		select {
		case b, ok = <-in:
		case <-ctx.Done():
			s.Wait()
			return ctx.Err()
		}
		if !ok {
			break
		}
		s.Go(func() stream.Callback {
			if ctx.Err() != nil {
				return func() { lost = true }
			}
			samples, panics, np := gradeBatch(b.tasks, st.profiles, st.noText)
			st.panicked.Add(int64(np))
			return func() {
				// Callbacks run one at a time, in input order: each file's
				// entry gets its records in order, then is committed.
				for i, t := range b.tasks {
					if t.cached != nil {
						st.fromCache.Add(1)
					}
					if t.fc != nil {
						t.fc.Add(t.ord, t.check, &samples[i], panics[i])
					}
				}
				for _, fc := range b.ended {
					fc.Commit(lost)
				}
				st.graded.Add(int64(len(samples)))
				st.pr.add(StageGrade, int64(len(samples)))
				if err := send(ctx, toAgg, gradedBatch{samples: samples, sealed: b.sealed}); err != nil {
					sendErr.CompareAndSwap(nil, err)
					return
				}
				if err := send(ctx, toWrite, samples); err != nil {
					sendErr.CompareAndSwap(nil, err)
				}
			}
		})
	}
	s.Wait()
	st.pr.end(StageGrade, "records", st.graded.Load(), "from_cache", st.fromCache.Load(), "grader_panics", st.panicked.Load())
	if e, _ := sendErr.Load().(error); e != nil {
		return e
	}
	return ctx.Err()
}

// gradeBatch grades every task under every profile and builds its sample
// row; panics[i] is the number of grader panics task i took (its cached
// count when its verdicts come from the cache) and total their sum.
func gradeBatch(tasks []*task, profiles []grade.Profile, noText bool) (out []schemas.Sample, panics []int, total int) {
	out = make([]schemas.Sample, len(tasks))
	panics = make([]int, len(tasks))
	for i, t := range tasks {
		out[i] = buildSample(t, profiles, noText, &panics[i])
		total += panics[i]
	}
	return out, panics, total
}
