package pipeline

import (
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Stage names, as used in progress output and run.json stage timings.
const (
	StageRead      = "read"
	StageGrade     = "grade"
	StageAggregate = "aggregate"
	StageWrite     = "write"
)

// progress reports stage progress: mpb bars when the output is a terminal,
// plain slog lines at stage boundaries otherwise. Methods are safe for
// concurrent use; counters are updated per batch, never per record.
type progress struct {
	log *slog.Logger
	p   *mpb.Progress
	mu  sync.Mutex

	bars  map[string]*mpb.Bar
	start map[string]time.Time
	spans map[string]*span

	stopped bool
}

// span is a stage's wall time: from its first unit of work (or its start,
// when it never had any) to its end.
type span struct {
	begun, first, last time.Time
}

// IsTerminal reports whether w is a character device (a terminal): progress
// bars are drawn there, plain log lines elsewhere.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// newProgress shows bars on w when w is a terminal.
func newProgress(w io.Writer, log *slog.Logger) *progress {
	pr := &progress{log: log, bars: map[string]*mpb.Bar{}, start: map[string]time.Time{}, spans: map[string]*span{}}
	if w != nil && IsTerminal(w) {
		pr.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithRefreshRate(150*time.Millisecond))
	}
	return pr
}

// begin starts a stage with a total (0 when unknown yet); unit names what is
// counted (bytes, records, rows).
func (pr *progress) begin(stage string, total int64, unit string) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.spans[stage] = &span{begun: time.Now()}
	if pr.p != nil {
		dec := decor.CountersNoUnit("%d / %d")
		if unit == "bytes" {
			dec = decor.CountersKibiByte("% .1f / % .1f")
		}
		pr.bars[stage] = pr.p.AddBar(total,
			mpb.PrependDecorators(decor.Name(stage, decor.WC{W: 10, C: decor.DindentRight})),
			mpb.AppendDecorators(dec, decor.Name(" "+unit+" "), decor.Elapsed(decor.ET_STYLE_GO)))
	}
	pr.log.Debug("stage started", "stage", stage, "total", total, "unit", unit)
}

// touch marks the start of a stage's first unit of work.
func (pr *progress) touch(stage string) {
	pr.mu.Lock()
	if sp := pr.spans[stage]; sp != nil && sp.first.IsZero() {
		sp.first = time.Now()
	}
	pr.mu.Unlock()
}

// add counts n more units done in stage.
func (pr *progress) add(stage string, n int64) {
	pr.mu.Lock()
	if sp := pr.spans[stage]; sp != nil && sp.first.IsZero() {
		sp.first = time.Now()
	}
	b := pr.bars[stage]
	pr.mu.Unlock()
	if b != nil {
		b.IncrInt64(n)
	}
}

// setTotal fixes the total of a stage whose size became known.
func (pr *progress) setTotal(stage string, total int64) {
	if pr.p == nil {
		return
	}
	pr.mu.Lock()
	b := pr.bars[stage]
	pr.mu.Unlock()
	if b != nil {
		b.SetTotal(total, false)
	}
}

// end closes a stage and logs its counts.
func (pr *progress) end(stage string, attrs ...any) {
	pr.mu.Lock()
	sp := pr.spans[stage]
	if sp == nil {
		sp = &span{begun: time.Now()}
		pr.spans[stage] = sp
	}
	if sp.first.IsZero() {
		sp.first = sp.begun
	}
	sp.last = time.Now()
	b := pr.bars[stage]
	pr.mu.Unlock()
	if b != nil {
		b.SetTotal(-1, true)
	}
	pr.log.Info("stage done", append([]any{"stage", stage, "took", sp.last.Sub(sp.first).Round(time.Millisecond)}, attrs...)...)
}

// durations returns every stage's wall time in seconds.
func (pr *progress) durations() map[string]float64 {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	out := map[string]float64{}
	for k, s := range pr.spans {
		if !s.last.IsZero() {
			out[k] = s.last.Sub(s.first).Seconds()
		}
	}
	return out
}

// stop removes the bars (aborted ones included) and waits for the renderer.
// It is idempotent.
func (pr *progress) stop() {
	if pr.p == nil || pr.stopped {
		return
	}
	pr.stopped = true
	pr.mu.Lock()
	for _, b := range pr.bars {
		if !b.Completed() {
			b.Abort(false)
		}
	}
	pr.mu.Unlock()
	pr.p.Wait()
}
