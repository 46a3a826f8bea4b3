package equiv

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// hostile inputs of spec section 5: each gets a verdict with a reason, fast.
func hostileInputs() map[string]string {
	return map[string]string{
		"exponent tower":          "2^{2^{2^{100}}}",
		"exponent tower 2":        "10^{10^{10}}",
		"huge power":              "2^{10^{7}}",
		"20000 digits":            strings.Repeat("7", 20000),
		"20000 digits decimal":    "0." + strings.Repeat("3", 20000),
		"5000 nested braces":      strings.Repeat("{", 5000) + "1" + strings.Repeat("}", 5000),
		"5000 nested parens":      strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000),
		"nested frac":             strings.Repeat("\\frac", 3000) + "12",
		"nested sqrt":             strings.Repeat("\\sqrt{", 2000) + "2" + strings.Repeat("}", 2000),
		"NUL bytes":               "1\x00\x002",
		"only NUL":                "\x00",
		"100 kB":                  strings.Repeat("x+", 50000) + "1",
		"100 kB boxed":            strings.Repeat("a", 100000) + "\\boxed{" + strings.Repeat("1+", 1000) + "1}",
		"big factorial":           "100000!",
		"factorial tower":         "((10!)!)!",
		"long unary chain":        strings.Repeat("-", 5000) + "1",
		"many pm":                 strings.Repeat("1\\pm ", 40) + "1",
		"deep exp":                "e^{e^{e^{e^{e^{10}}}}}",
		"sin of huge":             "\\sin(10^{100})",
		"big binomial":            "\\binom{10^{9}}{5 \\cdot 10^{8}}",
		"many elements":           strings.Repeat("1,", 900) + "1",
		"big matrix":              "\\begin{pmatrix}" + strings.Repeat("1 & ", 500) + "1\\end{pmatrix}",
		"unclosed text":           "\\text{abc",
		"unclosed boxed":          "\\boxed{1+",
		"root of huge":            "\\sqrt[64]{" + strings.Repeat("9", 3000) + "}",
		"variable power":          "x^{100000}",
		"invalid utf8":            "\xff\xfe1",
		"complex overflow":        "(10^{1000}+i)^{1000000}",
		"float overflow product":  strings.Repeat("e^{900000}", 150),
		"float underflow":         "\\pi^{-1000000}",
		"many logs":               strings.Repeat(`\ln 2+`, 280) + "1",
		"many roots of variables": strings.Repeat(`x^{1/3}+`, 220) + "1",
		"many sines":              strings.Repeat(`\sin(x)`, 200),
		"big factorials":          strings.Repeat(`3000!+`, 300) + "1",
		"huge sum":                `\sum_{k=1}^{10^{12}} k`,
		"nested sums":             strings.Repeat(`\sum_{k=1}^{9999}`, 8) + "k",
		"product of powers":       `\prod_{k=1}^{9999} k^{k}`,
		"sum of factorials":       `\sum_{k=1}^{3000} k!`,
		"nested integrals":        strings.Repeat(`\int `, 90) + "x" + strings.Repeat(" dx", 90),
		"deep limits":             strings.Repeat(`\lim_{x \to 0} `, 90) + "x",
	}
}

func TestBoundedInputs(t *testing.T) {
	gold := Prepare("2")
	for name, in := range hostileInputs() {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			a := Prepare(in)
			ok, reason, _ := Compare(gold, a)
			ok2, _, _ := Compare(a, a)
			_ = ok2
			runtime.ReadMemStats(&after)
			elapsed := time.Since(start)
			if ok {
				t.Errorf("hostile input accepted for gold 2 (%s)", reason)
			}
			if reason == "" {
				t.Error("empty reason")
			}
			if strings.HasPrefix(a.Describe(), "unparsable: internal error") {
				t.Errorf("internal error: %s", a.Describe())
			}
			// Work is bounded by budgets, checked here by what it allocates (the
			// time is logged, not asserted: a loaded machine says nothing);
			// BenchmarkPrepareHostile measures the time.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
				t.Errorf("allocated %d bytes", alloc)
			}
			t.Logf("%s: %v, %d B allocated, %s %s", name, elapsed, after.TotalAlloc-before.TotalAlloc, reason, trunc(a.Describe(), 80))
		})
	}
}

func TestBoundedReasons(t *testing.T) {
	cases := []struct{ in, reason string }{
		{"2^{2^{2^{100}}}", ReasonBudget},
		{strings.Repeat("7", 20000), ReasonBudget},
		{strings.Repeat("{", 5000) + "1" + strings.Repeat("}", 5000), ReasonBudget},   // over the size budget
		{strings.Repeat("{", 500) + "1" + strings.Repeat("}", 500), ReasonUnparsable}, // over the nesting limit
		{strings.Repeat("\\frac", 300) + "12", ReasonUnparsable},
		{strings.Repeat("1,", 900) + "1", ReasonBudget},
		{"1\x002", ReasonUnparsable},
		{strings.Repeat("x+", 50000) + "1", ReasonBudget},
		{"100000!", ReasonBudget},
	}
	for _, c := range cases {
		_, reason, _ := Compare(Prepare("2"), Prepare(c.in))
		if reason != c.reason {
			t.Errorf("%s: reason %s, want %s", trunc(c.in, 40), reason, c.reason)
		}
	}
	// Identical hostile text on both sides is still exact (cheap text path).
	big := strings.Repeat("7", 20000)
	if ok, reason, _ := Compare(Prepare(big), Prepare(big)); !ok || reason != ReasonExact {
		t.Errorf("identical 20000-digit numbers: %v %s", ok, reason)
	}
}

func trunc(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func TestConcurrentUse(t *testing.T) {
	golds := []string{"\\frac{1}{2}", "x^2+1", "(1,2)", "\\sqrt{2}", "1,2,3"}
	preds := []string{"0.5", "1+x^2", "(1,2)", "2^{1/2}", "3,2,1"}
	gs := make([]*Answer, len(golds))
	for i, g := range golds {
		gs[i] = Prepare(g)
	}
	done := make(chan bool)
	for w := 0; w < 8; w++ {
		go func() {
			ok := true
			for i := 0; i < 50; i++ {
				for j := range golds {
					if c, _, _ := Compare(gs[j], Prepare(preds[j])); !c {
						ok = false
					}
				}
			}
			done <- ok
		}()
	}
	for w := 0; w < 8; w++ {
		if !<-done {
			t.Error("a concurrent comparison failed")
		}
	}
}
