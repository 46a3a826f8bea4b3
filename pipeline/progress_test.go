package pipeline

import (
	"bytes"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Bars drawn into a buffer: a writer with no terminal size still gets bars
// (the fallback width), a stage whose total is unknown shows its count
// alone, and one whose total became known shows "done / total".
func TestProgressWithoutTerminalSize(t *testing.T) {
	var buf syncBuffer
	pr := newProgressOn(&buf, discardLogger(), true)
	pr.begin(StageRead, 3<<20, "bytes")
	pr.begin(StageGrade, 0, "records")
	pr.begin(StageWrite, 0, "rows")
	pr.add(StageRead, 1<<20)
	pr.add(StageGrade, 1996)
	pr.add(StageWrite, 10)
	pr.setTotal(StageWrite, 40)
	// Wait for a frame with every bar (refreshed every 150 ms).
	var out string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if out = buf.String(); strings.Contains(out, "rows") {
			break
		}
	}
	pr.stop()
	t.Logf("frames: %q", out)
	// The last frame holds every bar.
	for _, want := range []string{"1.0 / 3.0 MiB", "1996 records", "10 / 40 rows"} {
		if !strings.Contains(out, want) {
			t.Errorf("bars lack %q:\n%q", want, out)
		}
	}
	if regexp.MustCompile(`\d+ / 0 `).MatchString(out) {
		t.Errorf("a count over a total of 0:\n%q", out)
	}
	// Each bar line fits the fallback width.
	for _, line := range strings.Split(regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]").ReplaceAllString(out, "\n"), "\n") {
		if n := len([]rune(line)); n > fallbackWidth {
			t.Errorf("line of %d runes: %q", n, line)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the renderer and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressOffWhenNotATerminal(t *testing.T) {
	var buf bytes.Buffer
	pr := newProgress(&buf, discardLogger())
	pr.begin(StageGrade, 0, "records")
	pr.add(StageGrade, 5)
	pr.stop()
	if buf.Len() != 0 {
		t.Errorf("bars on a buffer: %q", buf.String())
	}
}
