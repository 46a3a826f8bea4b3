package equiv

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
)

// An answer over a budget is refused (budget, incorrect) or, when both texts
// are identical in full, exact; it is never decided on a prefix.
func TestBudgetNeverDecidesOnAPrefix(t *testing.T) {
	sum := func(n int, last string) string {
		var b strings.Builder
		for i := 1; i < n; i++ {
			fmt.Fprintf(&b, "%d x^{%d} + ", i, i)
		}
		b.WriteString(last)
		return b.String()
	}
	sevens := strings.Repeat("7", 2000)
	cases := []struct {
		name, gold, pred string
		want             bool
		reason           string
	}{
		{"digits appended past 2000 bytes", sevens, sevens + "0000", false, ReasonBudget},
		{"digits appended, gold long", sevens + "0000", sevens, false, ReasonBudget},
		{"1200-term sums differing in the last term", sum(1200, "1"), sum(1200, "2"), false, ReasonBudget},
		{"identical 1200-term sums", sum(1200, "1"), sum(1200, "1"), true, ReasonExact},
		{"identical long digits", sevens + "0000", sevens + "0000", true, ReasonExact},
		{"boxed long answers differing at the end", "\\boxed{" + sevens + "1}", "\\boxed{" + sevens + "2}", false, ReasonBudget},
		{"over 1 MiB, differing after the cut", strings.Repeat("1", 1<<20) + "2", strings.Repeat("1", 1<<20) + "3", false, ReasonBudget},
		{"over 1 MiB, a box after the cut", "\\boxed{5}" + strings.Repeat(" ", 1<<20) + "\\boxed{6}", "5", false, ReasonBudget},
		{"over 1 MiB, identical", strings.Repeat("1", 1<<20+1), strings.Repeat("1", 1<<20+1), true, ReasonExact},
	}
	for _, c := range cases {
		for _, swap := range []bool{false, true} {
			g, p := c.gold, c.pred
			if swap {
				g, p = p, g
			}
			ok, reason, rule := Compare(Prepare(g), Prepare(p))
			if ok != c.want || reason != c.reason {
				t.Errorf("%s (swapped %v): %v %s (%s), want %v %s", c.name, swap, ok, reason, rule, c.want, c.reason)
			}
		}
	}
}

// Prepare's memory is linear in the input size: allocated bytes per input byte
// stay under a constant from 10^3 to 10^6 bytes, for every shape of hostile
// input (a quadratic pass that copies would show here; the parser's own step
// counter is checked in package latex).
func TestPrepareAllocationIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counting over 10^6-byte inputs")
	}
	shapes := map[string]func(n int) string{
		"digits":          func(n int) string { return strings.Repeat("7", n) },
		"long sum":        func(n int) string { return strings.Repeat("x+", n/2) + "1" },
		"thousands":       func(n int) string { return "1" + strings.Repeat(",000", n/4) },
		"spaced groups":   func(n int) string { return "1" + strings.Repeat("\\,000", n/5) },
		"dollars":         func(n int) string { return strings.Repeat("$", n) },
		"doubled slashes": func(n int) string { return strings.Repeat("\\\\le", n/4) },
		"trailing dots":   func(n int) string { return "1" + strings.Repeat(" .", n/2) },
		"commas":          func(n int) string { return strings.Repeat("1,", n/2) },
		"unclosed text":   func(n int) string { return strings.Repeat("\\text{", n/6) },
		"spaces":          func(n int) string { return "1" + strings.Repeat(" ", n) + "2" },
	}
	const perByte = 24
	for name, gen := range shapes {
		t.Run(name, func(t *testing.T) {
			var figures []string
			for n := 1000; n <= 1000000; n *= 10 {
				src := gen(n)
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				Prepare(src)
				runtime.ReadMemStats(&after)
				bytes := after.TotalAlloc - before.TotalAlloc
				figures = append(figures, fmt.Sprintf("%d B: %d B allocated", len(src), bytes))
				// The constant is the bounded parse and interpretation of an answer
				// under the 2000-byte budget.
				if bytes > uint64(perByte*len(src)+1<<20) {
					t.Errorf("%d input bytes: %d bytes allocated, over %d per byte", len(src), bytes, perByte)
				}
			}
			t.Log(strings.Join(figures, "; "))
		})
	}
}
