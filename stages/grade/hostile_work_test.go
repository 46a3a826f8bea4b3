package grade

import (
	"runtime"
	"strings"
	"testing"
)

// TestHostileAnswerModeBounded runs the inputs that used to take quadratic time in answer
// mode and as a gold (unclosed \boxed{ and \fbox{ chains: 10,000 repeats took 0.5 s, a
// 1.2 MB line never finished) through PrepareGold, GradeAnswer and GradeResponse at
// 10^3..10^6 bytes. Work is counted, not timed: the bytes allocated per grading grow at
// most linearly with the input (each tenfold size at most 12 times the bytes, and at most
// 64 bytes per input byte) and the number of allocations at most logarithmically
// (buffers that double); the box finder itself is counted step by step in
// package extract (TestBoxesWorkIsLinear). Each input gets a verdict with a reason.
func TestHostileAnswerModeBounded(t *testing.T) {
	units := map[string]string{
		"unclosed boxed chain": `\boxed{`,
		"unclosed fbox chain":  `\fbox{`,
		"both chains":          `\boxed{\fbox{`,
		"chain of fractions":   `\boxed{\frac{1}{`,
		"boxes and prose":      `\boxed{1} then `,
		"gsm8k headings":       "#### Step ",
		"answer markers":       "the answer is ",
		"sentences":            "Final Answer: The largest $n$ is ",
	}
	g5 := PrepareGold("5")
	for name, unit := range units {
		t.Run(name, func(t *testing.T) {
			var allocs, bytes []float64
			for n := 1000; n <= 1_000_000; n *= 10 {
				s := strings.Repeat(unit, n/len(unit))
				var gold *Gold
				var va, vr, vg Verdict
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				gold = PrepareGold(s)
				vg = GradeAnswer(gold, "5")
				va = GradeAnswer(g5, s)
				vr = GradeResponse(g5, s, Lenient)
				runtime.ReadMemStats(&after)
				allocs = append(allocs, float64(after.Mallocs-before.Mallocs))
				b := float64(after.TotalAlloc - before.TotalAlloc)
				if k := len(bytes); k > 0 && b > 12*bytes[k-1] {
					t.Errorf("%d bytes: %.0f bytes allocated, %.1f times the allocation at a tenth of the size (linear is 10)", len(s), b, b/bytes[k-1])
				}
				bytes = append(bytes, b)
				for what, v := range map[string]Verdict{"as gold": vg, "as answer": va, "as response": vr} {
					if v.Correct || v.Reason == "" {
						t.Errorf("%d bytes %s: %+v", len(s), what, v)
					}
				}
			}
			// Three decades: a doubling buffer adds about 10 allocations per decade and
			// per pass over the input.
			if b := bytes[len(bytes)-1]; b > 64e6 {
				t.Errorf("%.0f bytes allocated for a 10^6-byte input, over 64 per input byte", b)
			}
			if last := allocs[len(allocs)-1]; last > allocs[0]+150 {
				t.Errorf("allocations per grading over 10^3..10^6 bytes grow faster than log n: %v", allocs)
			}
		})
	}
}
