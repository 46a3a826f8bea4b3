package latex

import (
	"testing"
)

// FuzzParse checks that Parse never panics and that printing is stable: the
// printed tree parses back and prints the same.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`\frac12`, `x^23`, `3\frac12`, `2\pi r`, `\left( \frac{25}{13}, 10 \right)`, `[-1,0)\cup(1,\infty)`,
		`\{1,2\}`, `3 \pm 2 \sqrt{2}`, `-2 \le x \le 7`, `x \in [-2,7]`, `25\%`, `90^\circ`, `1011_2`,
		`\sin^2 x + \cos 2x`, `5!`, `|x-1|`, `sqrt(2)`, `x**2`, `−3 ≤ x`, `√2 π`,
		`\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`, `6 \text{ and } 8`, `x\ley`, `4\sqrt(2)`,
		`1-\frac1{\mathrm e}`, `\text{(C)}`, `f(x) = \frac{1}{x}`, `\sqrt[3]{x^2-2}^2`, `\log_2 8`,
		`15\mbox{ cm}^2`, `\frac{1}{2004!}`, `x=5+5+1=7=11`, `1:14`, `-3\frac12`, `\lfloor x \rfloor`,
		`{\sin{x}} y`, `a - {b + c}`, "1\x002", `\text{a{b}c}`, `\boxed{5}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4096 {
			return
		}
		x, err := Parse(s)
		if err != nil {
			if x != nil {
				t.Fatalf("Parse(%q) returned a tree and an error", s)
			}
			return
		}
		out := Print(x)
		x2, err := Parse(out)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but its print %q does not parse: %v", s, out, err)
		}
		if again := Print(x2); again != out {
			t.Fatalf("print not stable for %q:\n%q\n%q", s, out, again)
		}
	})
}
