package latex

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func TestParsePrint(t *testing.T) {
	cases := []struct{ in, want string }{
		// TeX argument rules
		{`\frac12`, `\frac{1}{2}`},
		{`\frac1{72}`, `\frac{1}{72}`},
		{`\frac\pi2`, `\frac{\pi}{2}`},
		{`x^23`, `x^{2} 3`},
		{`\sqrt3`, `\sqrt{3}`},
		{`\sqrt[3]{x}`, `\sqrt[3]{x}`},
		{`\frac{\sqrt{3}}{2}`, `\frac{\sqrt{3}}{2}`},
		// implicit multiplication, mixed numbers
		{`2\sqrt3`, `2 \sqrt{3}`},
		{`2\pi r`, `2 \pi r`},
		{`3\frac12`, `3\frac{1}{2}`},
		{`-3\frac12`, `-{3\frac{1}{2}}`},
		{`2\frac{\pi}{3}`, `2 \frac{\pi}{3}`},
		{`\frac{1}{2}3`, `\frac{1}{2} 3`},
		// layout and fonts
		{`\left( \frac{25}{13}, 10 \right)`, `(\frac{25}{13}, 10)`},
		{`\big( 1 \big)`, `(1)`},
		{`\Bigl[ 1, 2 \Bigr)`, `[1, 2)`},
		{`2\,\sqrt{3}\!`, `2 \sqrt{3}`},
		{`\dfrac{5}{9}`, `\frac{5}{9}`},
		{`\tfrac{1}{2}`, `\frac{1}{2}`},
		{`\mathrm{e}`, `\mathrm{e}`},
		{`\mathbf{v}`, `\mathbf{v}`},
		{`\text{Evelyn}`, `\text{Evelyn}`},
		{`\mbox{ cm}`, `\text{ cm}`},
		{`\textbf{(C)}`, `\text{(C)}`},
		{`5\text{ cm}`, `5 \text{ cm}`},
		{`18\text{ ft}^2`, `18 \text{ ft}^{2}`},
		// structures
		{`[a,b)`, `[a, b)`},
		{`(-\infty, 3] \cup (5, \infty)`, `(-\infty, 3] \cup (5, \infty)`},
		{`\{1,2\}`, `\{1, 2\}`},
		{`\left\{ 1 \right\}`, `\{1\}`},
		{`(1,2,3)`, `(1, 2, 3)`},
		{`1, 2, 3`, `1, 2, 3`},
		{`6 \text{ and } 8`, `6 \text{ and } 8`},
		{`1331 and 1728`, `1331 \text{ and } 1728`},
		{`19, 46, and 82`, `19, 46 \text{ and } 82`},
		{`\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`, `\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}`},
		{`\begin{bmatrix} 1 \\ 2 \\ \end{bmatrix}`, `\begin{bmatrix} 1 \\ 2 \end{bmatrix}`},
		{`\begin{vmatrix} a & b \\ c & d \end{vmatrix}`, `\begin{vmatrix} a & b \\ c & d \end{vmatrix}`},
		// big operators and calculus notation
		{`\sum_{k=1}^{10} k`, `\sum_{k = 1}^{10} {k}`},
		{`\sum_{k=1}^n k^2 + 1`, `\sum_{k = 1}^{n} {k^{2}} + 1`},
		{`\sum\limits_{k=1}^{n} 2k \cdot 3`, `\sum_{k = 1}^{n} {2 k} \cdot 3`},
		{`\prod^{5}_{k=1} (k+1)`, `\prod_{k = 1}^{5} {(k + 1)}`},
		{`\int_0^1 x^2\,dx`, `\int_{0}^{1} {x^{2}} d x`},
		{`\int x^2 + 1 \, d x`, `\int {x^{2} + 1} d x`},
		{`\int\limits_{0}^{\pi} \sin{\left(t \right)}\, dt`, `\int_{0}^{\pi} {\sin(t)} d t`},
		{`\lim_{x\to 0} \frac{\sin x}{x}`, `\lim_{x \to 0} {\frac{\sin{x}}{x}}`},
		{`\lim_{n \rightarrow \infty} (1+1/n)^n`, `\lim_{n \to \infty} {(1 + 1 / n)^{n}}`},
		// operators
		{`3 \pm 2\sqrt{2}`, `3 \pm 2 \sqrt{2}`},
		{`\pm 2`, `\pm 2`},
		{`a = b = c`, `a = b = c`},
		{`-2 \le x \le 7`, `-2 \le x \le 7`},
		{`x \leq 3`, `x \le 3`},
		{`x \geq 3`, `x \ge 3`},
		{`x \neq 3`, `x \ne 3`},
		{`x \in [0,1]`, `x \in [0, 1]`},
		{`25\%`, `25\%`},
		{`90^\circ`, `90^{\circ}`},
		{`90^{\circ}`, `90^{\circ}`},
		{`1011_2`, `1011_{2}`},
		{`\infty`, `\infty`},
		{`5!`, `5!`},
		{`|x-1|`, `|x - 1|`},
		{`\left|x\right|`, `|x|`},
		{`2 \cdot 3`, `2 \cdot 3`},
		{`2 \times 3`, `2 \cdot 3`},
		{`6 \div 3`, `6 / 3`},
		{`1:14`, `1 : 14`},
		{`a - (b + c)`, `a - (b + c)`},
		{`a - {b + c}`, `a - {b + c}`},
		// functions
		{`\sin x`, `\sin{x}`},
		{`\sin 2x`, `\sin{2 x}`},
		{`\sin^2 x + \cos^2 x`, `{\sin^{2}{x}} + \cos^{2}{x}`},
		{`\log_2 8`, `\log_{2}{8}`},
		{`\ln(x)`, `\ln(x)`},
		{`\exp(2)`, `\exp(2)`},
		{`\lfloor x \rfloor`, `\lfloor x \rfloor`},
		{`\binom{5}{2}`, `\binom{5}{2}`},
		{`\sin x \cos x`, `{\sin{x}} {\cos{x}}`},
		// plain text as models write it
		{`sqrt(2)`, `\sqrt{(2)}`},
		{`sqrt2`, `\sqrt{2}`},
		{`pi`, `\pi`},
		{`2pi`, `2 \pi`},
		{`2*x`, `2 \cdot x`},
		{`x**2`, `x^{2}`},
		{`2^(n+1)`, `2^{(n + 1)}`},
		{`x^-1`, `x^{-1}`},
		{`x <= 2`, `x \le 2`},
		{`x >= 2`, `x \ge 2`},
		{`x != 2`, `x \ne 2`},
		{`infinity`, `\infty`},
		// Unicode
		{`−3`, `-3`},
		{`π`, `\pi`},
		{`√2`, `\sqrt{2}`},
		{`x ≤ 3`, `x \le 3`},
		{`x ≥ 3`, `x \ge 3`},
		{`30°`, `30^{\circ}`},
		{`x²`, `x^{2}`},
		// repairs that never truncate
		{`4\sqrt(2)`, `4 \sqrt{(2)}`},
		{`x\ley`, `x \le y`},
		{`\pir`, `\pi r`},
		{`x_{1}=10,\quadx_{2}=3`, `x_{1} = 10, x_{2} = 3`},
		{`1-\frac1{\mathrm e}`, `1 - \frac{1}{\mathrm{e}}`},
		{`f(x) = \frac{1}{x}`, `f (x) = \frac{1}{x}`},
		{`f'(x)`, `f' (x)`},
		{`\overline{AB}`, `\overline{AB}`},
		{`0.\overline{3}`, `0.\overline{3}`},
		{`0.1\overline{6}`, `0.1\overline{6}`},
		{`2\overline{AB}`, `2 \overline{AB}`},
		{`2\overline{3}`, `2 \overline{3}`},
	}
	for _, c := range cases {
		t.Run(c.in, func(t *testing.T) {
			x, err := Parse(c.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", c.in, err)
			}
			got := Print(x)
			if got != c.want {
				t.Errorf("Print(Parse(%q)) = %q, want %q", c.in, got, c.want)
			}
			x2, err := Parse(got)
			if err != nil {
				t.Fatalf("reparse of %q: %v", got, err)
			}
			if again := Print(x2); again != got {
				t.Errorf("round trip not stable: %q -> %q", got, again)
			}
		})
	}
}

func TestTreeShape(t *testing.T) {
	// x^23 is x^2 times 3
	x, _ := Parse(`x^23`)
	b, ok := x.(*Binary)
	if !ok || !b.Implicit {
		t.Fatalf("x^23: %T %s", x, Print(x))
	}
	if p, ok := b.X.(*Binary); !ok || p.Op != POW || Print(p.Y) != "2" || Print(b.Y) != "3" {
		t.Errorf("x^23 parsed as %s", Print(x))
	}
	// 3\frac12 is a mixed number
	if _, ok := mustParse(t, `3\frac12`).(*Mixed); !ok {
		t.Error(`3\frac12 is not a Mixed`)
	}
	// positions are byte offsets
	r := mustParse(t, `x = 12`).(*Rel)
	if r.Args[1].Pos() != 4 {
		t.Errorf("position of 12 = %d, want 4", r.Args[1].Pos())
	}
	g := mustParse(t, `[0, 1)`).(*Group)
	if g.Open != LBRACK || g.Close != RPAREN {
		t.Errorf("[0, 1) brackets %v %v", g.Open, g.Close)
	}
}

func mustParse(t *testing.T, s string) Expr {
	t.Helper()
	x, err := Parse(s)
	if err != nil {
		t.Fatalf("Parse(%q): %v", s, err)
	}
	return x
}

func TestParseErrors(t *testing.T) {
	cases := []struct{ in, msg string }{
		{``, "offset 0: expected an answer, found end of input"},
		{`^2+b^2`, "offset 0: expected an operand, found '^'"},
		{`\frac{1}`, "offset 8: expected an argument, found end of input"},
		{`(1, 2`, "offset 5: expected ')' or ']', found end of input"},
		{`\{1, 2)`, "offset 6: expected '\\}', found ')'"},
		{`\foo`, "offset 0: unknown command \\foo"},
		{`1 + `, "offset 4: expected an operand, found end of input"},
		{`x}`, "offset 1: expected end of input, found '}'"},
		{`\begin{pmatrix} 1 & 2`, "offset 21: expected '&', '\\\\' or \\end{pmatrix}, found end of input"},
		{`\begin{pmatrix} 1 \end{bmatrix}`, "offset 18: expected \\end{pmatrix}, found \\end{bmatrix}"},
		{`\text{abc`, "offset 0: expected an operand, found illegal character \\text{abc"},
		{"1\x002", "offset 1: expected end of input, found illegal character \x00"},
		{strings.Repeat("(", 200) + "1" + strings.Repeat(")", 200), "nesting deeper than the limit"},
		{`\int x^2`, "offset 8: expected a differential (dx), found end of input"},
		{`\sum k`, "offset 5: expected the limits of \\sum, found identifier k"},
		{`\sum_{k}^{n} k`, "offset 6: expected a lower limit k = a"},
		{`\lim_{x = 0} x`, "offset 8: expected '\\to', found '='"},
		{`\lim^{2} x`, "offset 5: expected \\lim_{x \\to a}, found '{'"},
	}
	for _, c := range cases {
		x, err := Parse(c.in)
		if err == nil {
			t.Errorf("Parse(%q) = %s, want error %q", c.in, Print(x), c.msg)
			continue
		}
		var list ErrorList
		if !errors.As(err, &list) || len(list) == 0 {
			t.Errorf("Parse(%q): error %T is not an ErrorList", c.in, err)
		}
		if !strings.Contains(err.Error(), c.msg) {
			t.Errorf("Parse(%q) error = %q, want %q", c.in, err.Error(), c.msg)
		}
		if x != nil {
			t.Errorf("Parse(%q) returned a tree with an error", c.in)
		}
	}
}

func TestLimits(t *testing.T) {
	for name, in := range map[string]string{
		"braces": strings.Repeat("{", 5000) + "1" + strings.Repeat("}", 5000),
		"fracs":  strings.Repeat(`\frac`, 5000) + "12",
		"signs":  strings.Repeat("-", 5000) + "1",
		"powers": "2" + strings.Repeat("^{2", 3000) + strings.Repeat("}", 3000),
		"nodes":  strings.Repeat("1+", 30000) + "1",
		"abs":    strings.Repeat("|", 5000),
		"sqrt":   strings.Repeat(`\sqrt`, 5000) + "2",
		"matrix": strings.Repeat(`\begin{pmatrix}`, 500),
	} {
		if _, err := Parse(in); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestGolden parses testdata/golden.input (one answer per line) and compares the
// printed trees or errors with testdata/golden.golden; -update rewrites it.
func TestGolden(t *testing.T) {
	in, err := os.ReadFile(filepath.Join("testdata", "golden.input"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(string(in), "\n"), "\n") {
		x, err := Parse(line)
		if err != nil {
			b.WriteString(line + "\n\terror: " + err.Error() + "\n")
			continue
		}
		b.WriteString(line + "\n\t" + Print(x) + "\n")
	}
	golden := filepath.Join("testdata", "golden.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if b.String() != string(want) {
		t.Errorf("golden output differs from %s (run go test -update after checking):\n%s", golden, b.String())
	}
}

func BenchmarkParse(b *testing.B) {
	inputs := []string{"24", `-\frac{5}{8}`, `2\sqrt{3} - 2`, `\left( \frac{25}{13}, 10 \right)`, `x^2+2x+1`}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		Parse(inputs[i%len(inputs)])
	}
}
