package pipeline

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/cupwriter"
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
	known map[string]bool // stages whose total is known
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
	return newProgressOn(w, log, w != nil && IsTerminal(w))
}

// newProgressOn shows bars on w when bars is set (a test draws them into a
// buffer).
func newProgressOn(w io.Writer, log *slog.Logger, bars bool) *progress {
	pr := &progress{log: log, bars: map[string]*mpb.Bar{}, start: map[string]time.Time{}, spans: map[string]*span{}, known: map[string]bool{}}
	if bars {
		pr.p = mpb.New(mpb.WithConsoleWriter(sizedConsole{cupwriter.New(w, true)}), mpb.WithWidth(40), mpb.WithRefreshRate(150*time.Millisecond))
	}
	return pr
}

// Fallback size of a terminal that does not report one (a serial console,
// a pty without a window size): mpb draws nothing on a size error or a
// zero width.
const (
	fallbackWidth  = 80
	fallbackHeight = 24
)

// sizedConsole is mpb's console writer, drawing on what IsTerminal took for
// a terminal, with a sane size when the terminal reports none.
type sizedConsole struct{ *cupwriter.Writer }

// IsTerminal is true: the progress draws bars only on what IsTerminal (a
// character device) accepted, and mpb refreshes only a terminal.
func (c sizedConsole) IsTerminal() bool { return true }

func (c sizedConsole) GetTermSize() (width, height int, err error) {
	width, height, err = c.Writer.GetTermSize()
	if err != nil || width <= 0 {
		width = fallbackWidth
	}
	if err != nil || height <= 0 {
		height = fallbackHeight
	}
	return width, height, nil
}

// counter shows "done / total unit" once the total is known and "done unit"
// before (never "1996 / 0").
func (pr *progress) counter(stage, unit string) decor.Decorator {
	return decor.Any(func(st decor.Statistics) string {
		pr.mu.Lock()
		known := pr.known[stage]
		pr.mu.Unlock()
		cur, total := st.Current, st.Total
		if st.Completed {
			known, total = true, cur
		}
		if unit == "bytes" {
			if !known {
				return fmt.Sprintf("%.1f MiB", float64(cur)/(1<<20))
			}
			return fmt.Sprintf("%.1f / %.1f MiB", float64(cur)/(1<<20), float64(total)/(1<<20))
		}
		if !known {
			return fmt.Sprintf("%d %s", cur, unit)
		}
		return fmt.Sprintf("%d / %d %s", cur, total, unit)
	})
}

// begin starts a stage with a total (0 when unknown yet); unit names what is
// counted (bytes, records, rows).
func (pr *progress) begin(stage string, total int64, unit string) {
	pr.mu.Lock()
	defer pr.mu.Unlock()
	pr.spans[stage] = &span{begun: time.Now()}
	if pr.p != nil {
		pr.known[stage] = total > 0
		pr.bars[stage] = pr.p.AddBar(total,
			mpb.PrependDecorators(decor.Name(stage, decor.WC{W: 10, C: decor.DindentRight})),
			mpb.AppendDecorators(pr.counter(stage, unit), decor.Name(" "), decor.Elapsed(decor.ET_STYLE_GO)))
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
	pr.known[stage] = true
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
