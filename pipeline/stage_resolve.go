package pipeline

import (
	"context"

	"github.com/rlvr-eval/rlvr-eval/pipeline/gradecache"
	"github.com/rlvr-eval/rlvr-eval/schemas"
	"github.com/rlvr-eval/rlvr-eval/stages/ingest"
)

// resolvedBatch is what the resolve stage hands the grade stage: tasks in
// input order, then what becomes true once they are graded.
type resolvedBatch struct {
	tasks []*task
	// ended lists the files whose new cache entry is complete after tasks
	// (each file's records all come before it is listed).
	ended []*gradecache.File
	// sealed lists checkpoints no later record can belong to (see
	// resolver.retireBefore): the aggregate stage seals them once this
	// batch's samples are added.
	sealed []string
}

// resolveStage merges the read stage's channels in file order (deterministic)
// and resolves each record (checkpoint, problem, gold, sample_idx, duplicates)
// into a task or a reject. With a grading cache it looks each record's
// verdicts up. It closes both outputs when done. Bad records are rejects; the
// error is for cancellation only.
type resolveStage struct {
	srcs  []*source
	res   *resolver
	cache *gradecache.Cache // nil without --cache
	batch int
	slots chan struct{} // the read stage's: one is released per file consumed
	pr    *progress
}

func (st *resolveStage) run(ctx context.Context, ins []chan []ingest.Item, out chan<- resolvedBatch, rejects chan<- []schemas.Reject) error {
	defer close(out)
	defer close(rejects)
	e := &resolveEmitter{out: out, rejects: rejects, batch: st.batch}
	e.cur.tasks = make([]*task, 0, st.batch)
	var kept int64
	for i, s := range st.srcs {
		fs := st.res.startFile(&s.in, i)
		if k := fileCheckpoint(s.in); k != "" {
			// No later record can belong to a checkpoint before k: the
			// aggregate stage may reduce them to per-problem scores.
			e.cur.sealed = append(e.cur.sealed, st.res.retireBefore(k)...)
		}
		n, err := st.file(ctx, e, s, fs, ins[i])
		if err != nil {
			return err
		}
		kept += n
		s.matches = fs.matches
		if s.cache != nil {
			s.cache.Finish()
			if s.cache.Writes() {
				e.cur.ended = append(e.cur.ended, s.cache)
			}
		}
		<-st.slots // file i consumed: the next file may start
	}
	if err := e.flush(ctx); err != nil {
		return err
	}
	// Every record is known now: the later stages' bars get their totals.
	for _, name := range []string{StageGrade, StageAggregate, StageWrite} {
		st.pr.setTotal(name, kept)
	}
	return e.flushRejects(ctx)
}

// file resolves the items of one source; it returns the number of tasks made.
func (st *resolveStage) file(ctx context.Context, e *resolveEmitter, s *source, fs *fileState, in <-chan []ingest.Item) (int64, error) {
	var kept int64
	var ord int64 = -1 // the item's ordinal in its file
	if s.loss == nil {
		s.loss = newLineLoss()
	}
	started := false
	for {
		var items []ingest.Item
		var ok bool
		select {
		case items, ok = <-in:
		case <-ctx.Done():
			return kept, ctx.Err()
		}
		if !started {
			// With a grading cache or without an evalset name the reader read
			// the file once before its first batch (or before closing the
			// channel of an empty file): its sha256 and FileResult are known.
			started = true
			if st.cache != nil && s.cache == nil {
				s.cache = st.cache.File(s.sha256, s.format.Name, s.in.FormatOptions)
			}
			if s.early {
				// Without an evalset name the file was read before (prepass).
				fs.setEvalset(st.res.cfg.Evalset.Name, s.result.Evalset)
			}
		}
		if !ok {
			return kept, nil
		}
		for _, it := range items {
			ord++
			if it.Reject != nil {
				r := *it.Reject
				r.SourceFile = fs.display
				s.loss.item(r.SourceLine, false, true)
				e.reject(r, s)
				continue
			}
			t, rej := st.res.resolve(fs, it.Record)
			s.loss.item(it.Record.SourceLine, true, rej != nil)
			if rej != nil {
				e.reject(*rej, s)
				continue
			}
			if s.cache != nil {
				t.fc, t.ord = s.cache, ord
				t.check = gradecache.Check(t.rec.Response, t.gold.Raw())
				t.cached = s.cache.Lookup(ord, t.check)
			}
			kept++
			if err := e.task(ctx, t); err != nil {
				return kept, err
			}
		}
		if len(e.rejs) >= st.batch {
			if err := e.flushRejects(ctx); err != nil {
				return kept, err
			}
		}
	}
}

// resolveEmitter batches the resolve stage's two outputs.
type resolveEmitter struct {
	out     chan<- resolvedBatch
	rejects chan<- []schemas.Reject
	batch   int
	cur     resolvedBatch
	rejs    []schemas.Reject
}

func (e *resolveEmitter) reject(r schemas.Reject, s *source) {
	e.rejs = append(e.rejs, r)
	s.rejects++
}

func (e *resolveEmitter) task(ctx context.Context, t *task) error {
	e.cur.tasks = append(e.cur.tasks, t)
	if len(e.cur.tasks) < e.batch {
		return nil
	}
	return e.flush(ctx)
}

func (e *resolveEmitter) flush(ctx context.Context) error {
	if len(e.cur.tasks) == 0 && len(e.cur.ended) == 0 && len(e.cur.sealed) == 0 {
		return nil
	}
	if err := send(ctx, e.out, e.cur); err != nil {
		return err
	}
	e.cur = resolvedBatch{tasks: make([]*task, 0, e.batch)}
	return nil
}

func (e *resolveEmitter) flushRejects(ctx context.Context) error {
	if len(e.rejs) == 0 {
		return nil
	}
	if err := send(ctx, e.rejects, e.rejs); err != nil {
		return err
	}
	e.rejs = nil
	return nil
}

// send sends v on ch unless ctx is done first.
func send[T any](ctx context.Context, ch chan<- T, v T) error {
	select {
	case ch <- v:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
