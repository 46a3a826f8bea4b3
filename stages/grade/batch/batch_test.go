package batch

import (
	"fmt"
	"sync"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// TestGoldsPreparedOnce: each distinct gold text is prepared once, however many
// goroutines and Memos ask for it, and the memo's verdicts equal the grader's own.
func TestGoldsPreparedOnce(t *testing.T) {
	golds := NewGolds()
	texts := []string{`\frac{1}{2}`, "5", "(1,2]", `x^2+1`, "", "5 "}
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m := golds.Memo()
			for i := 0; i < 200; i++ {
				g := texts[(i/3+w)%len(texts)]
				got, f := m.Response(g, `so $\boxed{0.5}$`, grade.Strict)
				if f != nil {
					t.Errorf("gold %q: %v", g, f.Value)
					return
				}
				if want := grade.GradeResponse(grade.PrepareGold(g), `so $\boxed{0.5}$`, grade.Strict); got != want {
					t.Errorf("gold %q: memo verdict %+v, grader's %+v", g, got, want)
				}
			}
		}()
	}
	wg.Wait()
	// Two goroutines meeting a new gold at once may both prepare it; never more.
	if n := golds.Prepared(); n < int64(len(texts)) || n > int64(8*len(texts)) {
		t.Errorf("prepared %d golds for %d distinct texts", n, len(texts))
	}
	one := NewGolds()
	m := one.Memo()
	for i := 0; i < 1000; i++ {
		m.Answer(texts[i%len(texts)], "1/2")
	}
	if n := one.Prepared(); n != int64(len(texts)) {
		t.Errorf("one goroutine: prepared %d golds for %d distinct texts", n, len(texts))
	}
}

// TestGoldsTransientText: the memo keeps its own copy of a gold text, so a caller may
// reuse the buffer its text came from.
func TestGoldsTransientText(t *testing.T) {
	golds := NewGolds()
	buf := []byte("42")
	g := golds.Get(string(buf)) // a copy already, but the memo must not rely on it
	m := golds.Memo()
	view := buf[:]
	m.Gold(string(view))
	copy(buf, "17")
	if g.Raw() != "42" || golds.Get("42") != g || m.Gold("42") != g {
		t.Fatalf("changing the caller's buffer changed the memo: raw %q", g.Raw())
	}
	if golds.Get("17") == g {
		t.Fatal("17 and 42 share a prepared gold")
	}
}

// TestGoldsBounded: past its limits the memo starts again, so that memory stays
// bounded; verdicts do not change.
func TestGoldsBounded(t *testing.T) {
	for _, lim := range []struct{ n, bytes int }{{4, 1 << 20}, {1 << 20, 16}} {
		golds := NewGoldsLimited(lim.n, lim.bytes)
		m := golds.Memo()
		for i := 0; i < 100; i++ {
			text := fmt.Sprint(i)
			v, _ := m.Answer(text, text)
			if !v.Correct {
				t.Fatalf("limits %+v: gold %s against itself: %+v", lim, text, v)
			}
		}
		size := 0
		golds.m.Range(func(k, _ any) bool { size++; return true })
		if size > lim.n || size > lim.bytes {
			t.Errorf("limits %+v: the memo holds %d golds", lim, size)
		}
	}
}

// TestFailureRecovered: a grader panic becomes a failure with its value and stack,
// never a crash, and the next input is graded normally.
func TestFailureRecovered(t *testing.T) {
	v, f := Response(nil, `\boxed{1}`, grade.Strict) // a nil gold makes the grader panic
	if f == nil {
		t.Fatalf("no failure for a nil gold: %+v", v)
	}
	if f.Value == nil || len(f.Stack) == 0 {
		t.Errorf("failure without value or stack: %+v", f)
	}
	if v != (grade.Verdict{}) {
		t.Errorf("a failure came with a verdict: %+v", v)
	}
	if _, f := Answer(nil, "1"); f == nil {
		t.Error("no failure for a nil gold in answer mode")
	}
	g := grade.PrepareGold("1")
	if v, f := Response(g, `\boxed{1}`, grade.Strict); f != nil || !v.Correct {
		t.Errorf("after a failure: %+v, %v", v, f)
	}
}
