package equiv

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

// The tests of this file are written from the rules of issue 10's families:
// each generates its cases from the rule (every form against every other form,
// with a fixed seed) rather than listing instances, and each has the
// perturbation that must fail.

// matrixForms writes the rows of a matrix in every LaTeX form the rule names.
func matrixForms(rows [][]string) []string {
	var body strings.Builder
	for i, r := range rows {
		if i > 0 {
			body.WriteString(` \\ `)
		}
		body.WriteString(strings.Join(r, " & "))
	}
	b := body.String()
	cols := strings.Repeat("c", len(rows[0]))
	return []string{
		`\begin{pmatrix}` + b + `\end{pmatrix}`,
		`\begin{bmatrix}` + b + `\end{bmatrix}`,
		`\begin{Bmatrix}` + b + `\end{Bmatrix}`,
		`\begin{matrix}` + b + `\end{matrix}`,
		`\left[\begin{array}{` + cols + `}` + b + `\end{array}\right]`,
		`\left(\begin{array}{` + cols + `}` + b + `\end{array}\right)`,
		`\begin{array}{` + cols + `}` + b + `\end{array}`,
	}
}

func intRows(m [][]int64) [][]string {
	out := make([][]string, len(m))
	for i, r := range m {
		for _, v := range r {
			out[i] = append(out[i], fmt.Sprint(v))
		}
	}
	return out
}

func randMatrix(r *rand.Rand, rows, cols int) [][]int64 {
	m := make([][]int64, rows)
	for i := range m {
		m[i] = make([]int64, cols)
		for j := range m[i] {
			m[i][j] = int64(r.IntN(19) - 9)
		}
	}
	return m
}

func TestFamilyMatrices(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 1))
	var cases []pair
	for n := 0; n < 6; n++ {
		rows, cols := 1+r.IntN(3), 1+r.IntN(3)
		m := randMatrix(r, rows, cols)
		forms := matrixForms(intRows(m))
		changed := randMatrix(r, 0, 0)
		_ = changed
		// One entry changed by one.
		p := make([][]int64, rows)
		for i := range m {
			p[i] = append([]int64{}, m[i]...)
		}
		p[r.IntN(rows)][r.IntN(cols)]++
		wrong := matrixForms(intRows(p))
		for i, f := range forms {
			for j, g := range forms {
				cases = append(cases, pair{f, g, true, ""})
				if i == j {
					cases = append(cases, pair{f, wrong[(j+1)%len(wrong)], false, ""})
				}
			}
		}
		// Entries with full equivalence: a fraction as a decimal, a root as a power.
		if rows == 1 && cols >= 1 {
			a := fmt.Sprintf(`\begin{pmatrix}\frac{1}{2} & \sqrt[3]{x^2} & %d\end{pmatrix}`, m[0][0])
			b := fmt.Sprintf(`\left[\begin{array}{ccc}0.5 & x^{2/3} & %d\end{array}\right]`, m[0][0])
			c := fmt.Sprintf(`\begin{bmatrix}0.5 & x^{3/2} & %d\end{bmatrix}`, m[0][0])
			cases = append(cases, pair{a, b, true, ""}, pair{a, c, false, ""})
		}
	}
	// Arithmetic of matrices is its value: A + B, A - B, cA, A/c, AB, A^2.
	for n := 0; n < 12; n++ {
		k := 1 + r.IntN(3)
		a, b := randMatrix(r, k, k), randMatrix(r, k, k)
		c := int64(r.IntN(7) - 3)
		if c == 0 {
			c = 2
		}
		sum, diff, scaled, prod, sq := make([][]int64, k), make([][]int64, k), make([][]int64, k), make([][]int64, k), make([][]int64, k)
		for i := 0; i < k; i++ {
			for j := 0; j < k; j++ {
				sum[i] = append(sum[i], a[i][j]+b[i][j])
				diff[i] = append(diff[i], a[i][j]-b[i][j])
				scaled[i] = append(scaled[i], c*a[i][j])
				var p, q int64
				for l := 0; l < k; l++ {
					p += a[i][l] * b[l][j]
					q += a[i][l] * a[l][j]
				}
				prod[i] = append(prod[i], p)
				sq[i] = append(sq[i], q)
			}
		}
		fa, fb := matrixForms(intRows(a)), matrixForms(intRows(b))
		A, B := fa[n%len(fa)], fb[(n+3)%len(fb)]
		half := make([][]string, k)
		for i := range a {
			for _, v := range a[i] {
				half[i] = append(half[i], new(big.Rat).SetFrac64(v, c).RatString())
			}
		}
		want := func(m [][]int64) string { return matrixForms(intRows(m))[(n+1)%7] }
		off := func(m [][]int64) string {
			m2 := make([][]int64, k)
			for i := range m {
				m2[i] = append([]int64{}, m[i]...)
			}
			m2[k-1][k-1] += 1
			return matrixForms(intRows(m2))[0]
		}
		cases = append(cases,
			pair{want(sum), A + " + " + B, true, "set"},
			pair{off(sum), A + " + " + B, false, ""},
			pair{want(diff), A + " - " + B, true, "set"},
			pair{want(diff), A + " + (-1)" + B, true, "set"},
			pair{off(diff), A + " - " + B, false, ""},
			pair{want(scaled), fmt.Sprintf("%d %s", c, A), true, "set"},
			pair{want(scaled), fmt.Sprintf(`%s \cdot %d`, A, c), true, "set"},
			pair{off(scaled), fmt.Sprintf("%d %s", c, A), false, ""},
			pair{matrixForms(half)[0], fmt.Sprintf(`%s / %d`, A, c), true, "set"},
			pair{matrixForms(half)[0], fmt.Sprintf(`\frac{1}{%d} %s`, c, A), true, "set"},
			pair{want(prod), A + B, true, "set"},
			pair{want(prod), A + ` \cdot ` + B, true, "set"},
			pair{off(prod), A + B, false, ""},
			pair{want(sq), A + "^2", true, "set"},
			pair{want(sq), "(" + A + ")^{2}", true, "set"},
		)
	}
	// Undefined arithmetic is not a value: a matrix plus a scalar, mismatched shapes.
	cases = append(cases,
		pair{`\begin{pmatrix}2 & 3\end{pmatrix}`, `\begin{pmatrix}1 & 2\end{pmatrix} + 1`, false, ""},
		pair{`\begin{pmatrix}2 & 3\end{pmatrix}`, `\begin{pmatrix}1 & 2\end{pmatrix} + \begin{pmatrix}1 \\ 1\end{pmatrix}`, false, ""},
		pair{`\begin{pmatrix}1 & 2\end{pmatrix}`, `\begin{pmatrix}1 \\ 2\end{pmatrix}`, false, ""},
	)
	runPairs(t, cases)
	t.Logf("%d matrix pairs", len(cases))
}

func TestFamilyPowersAndRoots(t *testing.T) {
	// x^{p/q} in every spelling of the rule is one value, for every real x
	// (odd q takes the real root of a negative base), inside any structure.
	forms := func(b string, p, q int) []string {
		f := []string{
			fmt.Sprintf(`%s^{%d/%d}`, b, p, q),
			fmt.Sprintf(`%s^{\frac{%d}{%d}}`, b, p, q),
			fmt.Sprintf(`\sqrt[%d]{%s^{%d}}`, q, b, p),
			fmt.Sprintf(`\sqrt[%d]{%s}^{%d}`, q, b, p),
			fmt.Sprintf(`\left(\sqrt[%d]{%s}\right)^{%d}`, q, b, p),
			fmt.Sprintf(`(%s^{1/%d})^{%d}`, b, q, p),
			fmt.Sprintf(`(%s^{%d})^{1/%d}`, b, p, q),
		}
		if q == 2 {
			f = append(f, fmt.Sprintf(`\sqrt{%s^{%d}}`, b, p), fmt.Sprintf(`\sqrt{%s}^{%d}`, b, p))
		}
		return f
	}
	var cases []pair
	for _, pq := range [][2]int{{2, 3}, {1, 3}, {4, 3}, {2, 5}, {3, 5}, {1, 2}, {3, 2}} {
		p, q := pq[0], pq[1]
		bases := []string{"x", "(x+1)", "7", "(-8)"}
		if q%2 == 0 {
			bases = bases[:3] // an even root of a negative number is not real
			if p%2 == 1 {
				bases = []string{"7", "(x^2+1)"} // \sqrt{x^3} is not (\sqrt x)^3 for x < 0
			}
		}
		for _, b := range bases {
			fs := forms(b, p, q)
			for _, f := range fs {
				for _, g := range fs {
					cases = append(cases, pair{f, g, true, ""})
				}
				cases = append(cases,
					pair{f, fmt.Sprintf(`%s^{%d/%d}`, b, p+1, q), false, ""},
					pair{f, fmt.Sprintf(`%s^{%d/%d}`, b, p, q+2), false, ""},
				)
			}
			// inside structures
			cases = append(cases,
				pair{fmt.Sprintf(`(%s, 1)`, fs[0]), fmt.Sprintf(`(%s, 1)`, fs[2]), true, ""},
				pair{fmt.Sprintf(`\{1, %s\}`, fs[0]), fmt.Sprintf(`%s, 1`, fs[3]), true, ""},
				pair{fmt.Sprintf(`[%s, 9)`, fs[1]), fmt.Sprintf(`[%s, 9)`, fs[4]), true, ""},
				pair{fmt.Sprintf(`\begin{pmatrix}%s\end{pmatrix}`, fs[0]), fmt.Sprintf(`\begin{bmatrix}%s\end{bmatrix}`, fs[5]), true, ""},
				pair{fmt.Sprintf(`y = %s`, fs[0]), fs[6], true, ""},
			)
		}
	}
	// The real-root reading of odd roots, and what it does not allow.
	cases = append(cases,
		pair{`(-8)^{1/3}`, `-2`, true, ""},
		pair{`(-8)^{2/3}`, `4`, true, ""},
		pair{`\sqrt[3]{-27}`, `-3`, true, ""},
		pair{`(-4)^{1/2}`, `2i`, true, ""},
		pair{`x^{2/3}`, `x^{1/3}`, false, ""},
		pair{`x^{2/3}`, `|x|^{2/3}`, true, ""}, // even p: the same for every real x
		pair{`x^{1/3}`, `|x|^{1/3}`, false, ""},
	)
	runPairs(t, cases)
	t.Logf("%d power/root pairs", len(cases))
}

// interval writes the solution set of a x + b op c as an interval.
func linearSolution(a, b, c int64, op string) string {
	x := new(big.Rat).SetFrac64(c-b, a)
	bound := x.RatString()
	if !x.IsInt() {
		bound = fmt.Sprintf(`\frac{%s}{%s}`, x.Num(), x.Denom())
	}
	if a < 0 { // dividing by a negative number flips
		op = map[string]string{"<": ">", ">": "<", `\le`: `\ge`, `\ge`: `\le`}[op]
	}
	switch op {
	case "<":
		return `(-\infty, ` + bound + ")"
	case `\le`:
		return `(-\infty, ` + bound + "]"
	case ">":
		return "(" + bound + `, \infty)`
	}
	return "[" + bound + `, \infty)`
}

func TestFamilyInequalities(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 3))
	spell := map[string][]string{
		"<": {"<", `\lt`}, ">": {">", `\gt`},
		`\le`: {`\le`, `\leq`, `\leqslant`, "<=", "≤"}, `\ge`: {`\ge`, `\geq`, `\geqslant`, ">=", "≥"},
	}
	flip := map[string]string{"<": ">", ">": "<", `\le`: `\ge`, `\ge`: `\le`}
	var cases []pair
	for n := 0; n < 60; n++ {
		a := int64(r.IntN(9) - 4)
		if a == 0 {
			a = -1
		}
		b, c := int64(r.IntN(21)-10), int64(r.IntN(21)-10)
		ops := []string{"<", ">", `\le`, `\ge`}
		op := ops[r.IntN(4)]
		s := spell[op][r.IntN(len(spell[op]))]
		lin := fmt.Sprintf("%dx %+d", a, b)
		if a == 1 {
			lin = fmt.Sprintf("x %+d", b)
		} else if a == -1 {
			lin = fmt.Sprintf("-x %+d", b)
		}
		sol := linearSolution(a, b, c, op)
		// moved across, flipped around, multiplied by -1 (which flips)
		cases = append(cases,
			pair{sol, fmt.Sprintf("%s %s %d", lin, s, c), true, ""},
			pair{fmt.Sprintf("%s %s %d", lin, s, c), fmt.Sprintf("%d %s %s", c, spell[flip[op]][0], lin), true, ""},
			pair{fmt.Sprintf("%s %s %d", lin, s, c), fmt.Sprintf("%dx %s %d", a, s, c-b), true, ""},
			pair{fmt.Sprintf("%s %s %d", lin, s, c), fmt.Sprintf("%dx %+d %s %d", -a, -b, flip[op], -c), true, ""},
			pair{fmt.Sprintf("%s %s %d", lin, s, c), fmt.Sprintf("%dx %+d %s %d", -a, -b, op, -c), false, ""},
			pair{sol, fmt.Sprintf("%s %s %d", lin, s, c+1), false, ""},
			pair{sol, fmt.Sprintf("%s %s %d", lin, flip[op], c), false, ""},
		)
		// two variables: moving terms and scaling by a positive number keep it,
		// a negative scale without the flip does not.
		k := int64(1 + r.IntN(4))
		rel := fmt.Sprintf("%dx %s %dy %+d", a, s, b, c)
		cases = append(cases,
			pair{rel, fmt.Sprintf("%dx %+dy %s %d", k*a, -k*b, op, k*c), true, "symbolic"},
			pair{rel, fmt.Sprintf("%dy %+d %s %dx", b, c, flip[op], a), true, "symbolic"},
			pair{rel, fmt.Sprintf("%dx %+dy %s %d", -k*a, k*b, flip[op], -k*c), true, "symbolic"},
			pair{rel, fmt.Sprintf("%dx %+dy %s %d", -k*a, k*b, op, -k*c), false, ""},
			pair{rel, fmt.Sprintf("%dx %+dy %s %d", k*a, -k*b, op, k*c+1), false, ""},
		)
	}
	cases = append(cases,
		pair{`-x > -1`, `x < 1`, true, "interval"},
		pair{`3 < 2x+1 < 7`, `1 < x < 3`, true, "interval"},
		pair{`3 < -2x+1 \le 7`, `[-3, -1)`, true, "interval"},
		pair{`x + 2 \ne 5`, `x \ne 3`, true, ""},
		pair{`2(x - 1) \le 4`, `x \le 3`, true, "interval"},
		pair{`\frac{x}{2} > 1`, `x > 2`, true, "interval"},
		pair{`x - x < 1`, `x < 1`, false, ""}, // no variable left: not solved for x
	)
	runPairs(t, cases)
	t.Logf("%d inequality pairs", len(cases))
}

func TestFamilyUnionsOfIntervals(t *testing.T) {
	// A union is the set of reals it covers: overlapping or touching operands
	// merge, order is free; a gap or a missing endpoint is not the same set.
	runPairs(t, []pair{
		{`[1, 5]`, `[1, 3) \cup [2, 5]`, true, "interval"},
		{`[1, 5]`, `[2, 5] \cup [1, 3)`, true, "interval"},
		{`(0, 2)`, `(0, 1] \cup (1, 2)`, true, "interval"},
		{`(0, 2)`, `(0, 1) \cup [1, 2)`, true, "interval"},
		{`(0, 2)`, `(0, 1) \cup (1, 2)`, false, ""},
		{`x \ne 1`, `(-\infty, 1) \cup (1, \infty)`, true, ""},
		{`(-\infty, \infty)`, `(-\infty, 1] \cup (1, \infty)`, true, ""},
		{`(-\infty, 3) \cup (3, 4) \cup (4, \infty)`, `(4, \infty) \cup (-\infty, 3) \cup (3, 4)`, true, ""},
		{`(-\infty, 3) \cup (3, 4) \cup (4, \infty)`, `(-\infty, 3) \cup (3, \infty)`, false, ""},
		{`[0, \sqrt{2}]`, `[0, 1] \cup [1, \sqrt{2}]`, true, ""},
		{`[0, \sqrt{2}]`, `[0, 1] \cup [1.2, \sqrt{2}]`, false, ""},
		{`[0, a] \cup [1, 2]`, `[1, 2] \cup [0, a]`, true, ""}, // symbolic: compared as a set of intervals
	})
}

func TestFamilyNumbersAsWritten(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 4))
	var cases []pair
	for n := 0; n < 40; n++ {
		v := r.Int64N(1_000_000_000) + 1000
		digits := fmt.Sprint(v)
		var groups []string
		for len(digits) > 3 {
			groups = append([]string{digits[len(digits)-3:]}, groups...)
			digits = digits[:len(digits)-3]
		}
		groups = append([]string{digits}, groups...)
		plainNum := fmt.Sprint(v)
		// Every thousands separator people write is the number.
		for _, sep := range []string{",", "{,}", " ", `\,`, `\ `, "~", `,\!`} {
			written := strings.Join(groups, sep)
			cases = append(cases, pair{plainNum, written, true, ""}, pair{written, plainNum, true, ""})
			cases = append(cases, pair{fmt.Sprint(v + 1), written, false, ""})
		}
		cases = append(cases, pair{plainNum, `\$` + strings.Join(groups, "{,}"), true, ""})
		// Percent in words: x% is x and x/100; every spelling is \%.
		p := r.IntN(99) + 1
		frac := new(big.Rat).SetFrac64(int64(p), 100).FloatString(2)
		for _, w := range []string{"%s\\%%", "%s percent", "%s percentage points", "%s \\text{ percent}", "%s\\text{ percentage points}", "%s pct"} {
			written := fmt.Sprintf(w, fmt.Sprint(p))
			cases = append(cases,
				pair{fmt.Sprintf("%d\\%%", p), written, true, ""},
				pair{fmt.Sprint(p), written, true, ""},
				pair{frac, written, true, ""},
				pair{fmt.Sprint(p + 1), written, false, ""},
			)
		}
		// A decimal comma: digits, one comma, a group that is not three digits.
		d := fmt.Sprintf("%d.%d", r.IntN(100), 1+r.IntN(9))
		comma := strings.Replace(d, ".", ",", 1)
		cases = append(cases,
			pair{d, comma, true, "numeric"}, pair{"-" + d, "-" + comma, true, "numeric"},
			pair{d, strings.Replace(comma, ",", ", ", 1), false, ""}, // a spaced comma separates a list
		)
	}
	cases = append(cases,
		pair{"3.5", "3,500", false, ""}, // a group of three is a thousands separator
		pair{"3500", "3,500", true, ""},
		pair{"14916", "14{,}916", true, ""},
		pair{"1000", "1 000", true, ""},
		pair{"1,5", "5,1", true, "set"}, // still a list of two
	)
	runPairs(t, cases)
	t.Logf("%d number pairs", len(cases))
}

func TestFamilyChoicesWithOptionText(t *testing.T) {
	// A choice letter, alone or with its option's text, in any wrapper, is that
	// choice; a different letter never matches.
	forms := func(l, opt string) []string {
		return []string{
			l, "(" + l + ")", `\text{` + l + `}`, `\text{(` + l + `)}`, `\textbf{(` + l + `)}`,
			`\text{(` + l + `) ` + opt + `}`, "(" + l + ") " + opt, `\textbf{(` + l + `)} ` + opt,
			"(" + l + `)\ \text{` + opt + `}`, `\text{` + l + `) ` + opt + `}`, `\text{` + l + `. ` + opt + `}`,
		}
	}
	var cases []pair
	letters := "ABCDE"
	for i := range letters {
		l, other := letters[i:i+1], letters[(i+1)%5:(i+1)%5+1]
		fs := forms(l, "Hyperbola")
		for _, f := range fs {
			for _, g := range fs {
				cases = append(cases, pair{f, g, true, ""})
			}
			for _, g := range forms(other, "Hyperbola") {
				cases = append(cases, pair{f, g, false, ""})
			}
		}
	}
	cases = append(cases,
		pair{"(a) x", "a x", true, ""}, // one letter after (a) is a product, not option text
		pair{`\text{(E) Hyperbola}`, `\text{(D) Hyperbola}`, false, ""},
	)
	runPairs(t, cases)
	t.Logf("%d choice pairs", len(cases))
}

func TestFamilyUnitsAndListsInStructures(t *testing.T) {
	runPairs(t, []pair{
		{"5.7", `(5.7 \mathrm{hr})`, true, ""},
		{"5.7", `t = 5.7 \mathrm{hr}`, true, ""},
		{"12", `\left(12 \mathrm{~min}\right)`, true, ""},
		{"5.8", `(5.7 \mathrm{hr})`, false, ""},
		{"25,100,55", "55, 100, 25", true, "set"}, // a group that is not three digits makes a list
		{"25100, 55", "25,100,55", false, ""},
		{"-5,0", "-5", false, ""}, // a decimal does not end in 0: a list of two
		{"-5, 0", "0, -5", true, "set"},
		{`x = \frac{a}{b}`, `\textbf{x=\frac{a}{b}}`, true, ""},
		{`\sqrt{a}`, `\textbf{\sqrt{a}}`, true, ""},
		{`\text{Evelyn}`, `\textbf{evelyn}`, true, "text"},
	})
}

func TestParts(t *testing.T) {
	for in, want := range map[string]int{
		"5": 1, "1, 2": 2, `\{1, 2, 3\}`: 3, "(1, 2)": 2, "[1, 2)": 1, `1 \pm \sqrt{2}`: 2,
		`x = 1, 2`: 2, `x = 3`: 1, `\begin{pmatrix}1 & 2\end{pmatrix}`: 1, `\text{Evelyn}`: 1, `\frac{`: 1,
		`(x, y) = (1, 2)`: 2,
	} {
		if got := Prepare(in).Parts(); got != want {
			t.Errorf("Parts(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestFamilyTextWrappedMathAndSeparators(t *testing.T) {
	runPairs(t, []pair{
		// \text{}/\textbf{} around math is layout; around words it is text.
		{"-i", `\textbf{-i}`, true, ""},
		{"m", `\textbf{m}`, true, ""},
		{"a/b", `\textbf{a / b}`, true, ""},
		{"a/b", `\textbf{b / a}`, false, ""},
		{`\text{(C)}`, `\textbf{\text{(C)}}`, true, "text"},
		{`\text{(C)}`, `\textbf{\text{(D)}}`, false, ""},
		{`\text{no solution}`, `\textbf{No Solution}`, true, "text"},
		// a label equation of infinity
		{`\infty`, `x = \infty`, true, ""},
		{`\infty`, `x = -\infty`, false, ""},
		// \quad between equations separates them
		{`y=\frac{c x^{2}}{1-c x} \quad y=-x`, `y=\frac{c x^{2}}{2-c x} \quad y=-x`, false, ""},
		{`y=\frac{c x^{2}}{1-c x} \quad y=-x`, `y=-x, y=\frac{c x^{2}}{1-c x}`, true, ""},
		{`5 \quad`, "5", true, ""},
	})
}

func TestFamilyBigOperators(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 5))
	var cases []pair
	// Numeric limits: exact evaluation, compared with the value computed here.
	for n := 0; n < 30; n++ {
		lo, hi := int64(r.IntN(5)), int64(5+r.IntN(15))
		a, b := int64(r.IntN(7)-3), int64(r.IntN(7)-3)
		var sum, prod big.Rat
		prod.SetInt64(1)
		for k := lo; k <= hi; k++ {
			sum.Add(&sum, big.NewRat(a*k*k+b, 1))
		}
		for k := lo; k <= lo+4; k++ {
			prod.Mul(&prod, big.NewRat(k+1, 1))
		}
		body := fmt.Sprintf("(%d k^2 %+d)", a, b)
		v := sum.RatString()
		cases = append(cases,
			pair{v, fmt.Sprintf(`\sum_{k=%d}^{%d} %s`, lo, hi, body), true, "numeric"},
			pair{v, fmt.Sprintf(`\sum_{j=%d}^{%d} (%d j^{2} %+d)`, lo, hi, a, b), true, "numeric"},
			pair{v, fmt.Sprintf(`\sum\limits_{k = %d}^{%d} \left(%d k^2 %+d\right)`, lo, hi, a, b), true, "numeric"},
			pair{v, fmt.Sprintf(`\sum_{k=%d}^{%d} %s`, lo, hi+1, body), a*(hi+1)*(hi+1)+b == 0, ""},
			pair{prod.RatString(), fmt.Sprintf(`\prod_{k=%d}^{%d} (k+1)`, lo, lo+4), true, "numeric"},
			pair{prod.RatString(), fmt.Sprintf(`\frac{%d!}{%d!}`, lo+5, lo), true, "numeric"},
			pair{fmt.Sprint(r.IntN(50) + 60), fmt.Sprintf(`\prod_{k=%d}^{%d} (k+1)`, lo, lo+4), false, ""},
		)
	}
	// Symbolic limits, integrals, limits: equal up to renaming the bound
	// variable and reordering commutative terms and factors; other bodies,
	// limits or points differ.
	bodies := [][3]string{ // body in k, the same reordered in j, a different body in j
		{`k^2 + 1`, `1 + j^2`, `j^2 + 2`},
		{`2 k \cdot 3`, `3 \cdot 2 j`, `6 j^2`},
		{`\frac{1}{k(k+1)}`, `\frac{1}{(1+j) j}`, `\frac{1}{j(j+2)}`},
		{`\binom{n}{k} x^k`, `x^j \binom{n}{j}`, `x^j \binom{n}{j+1}`},
	}
	for _, b := range bodies {
		for _, op := range []string{`\sum`, `\prod`} {
			f := op + `_{k=1}^{n} {` + b[0] + `}`
			cases = append(cases,
				pair{f, op + `_{j=1}^{n} {` + b[1] + `}`, true, "symbolic"},
				pair{f, op + `_{j=1}^{n} {` + b[2] + `}`, false, ""},
				pair{f, op + `_{j=0}^{n} {` + b[1] + `}`, false, ""},
				pair{f, op + `_{j=1}^{m} {` + b[1] + `}`, false, ""},
				pair{f + " + n", "n + " + op + `_{j=1}^{n} {` + b[1] + `}`, true, "symbolic"},
			)
		}
		ik, ij, ij2 := strings.ReplaceAll(b[0], "k", "u"), strings.ReplaceAll(b[1], "j", "t"), strings.ReplaceAll(b[2], "j", "t")
		cases = append(cases,
			pair{`\int_0^1 {` + ik + `} \, du`, `\int_{0}^{1} {` + ij + `}\, dt`, true, ""},
			pair{`\int {` + ik + `} du`, `\int {` + ij + `} \,\mathrm{d}t`, false, ""}, // \mathrm{d}t is not read as a differential
			pair{`\int {` + ik + `} du`, `\int {` + ij + `} d t`, true, ""},
			pair{`\int {` + ik + `} du`, `\int {` + ij2 + `} dt`, false, ""},
			pair{`\int_0^1 {` + ik + `} du`, `\int_0^2 {` + ij + `} dt`, false, ""},
			pair{`\lim_{u \to 0} {` + ik + `}`, `\lim_{t\rightarrow 0} {` + ij + `}`, true, ""},
			pair{`\lim_{u \to 0} {` + ik + `}`, `\lim_{t\to 1} {` + ij + `}`, false, ""},
			pair{`\lim_{u \to \infty} {` + ik + `}`, `\lim_{t\to\infty} {` + ij + `}`, true, ""},
		)
	}
	cases = append(cases,
		pair{`\sum_{i=1}^{3}\sum_{j=1}^{i} ij`, "25", true, "numeric"}, // a bound i is not the imaginary unit
		pair{`\sum_{k=0}^{\infty} \frac{1}{2^k}`, `\sum_{n=0}^{\infty} \frac{1}{2^{n}}`, true, ""},
		pair{`(n+1)!`, `(1+n)!`, true, "symbolic"},
		pair{`(n+1)!`, `(n+2)!`, false, ""},
		pair{`\binom{n}{k} + 1`, `1 + \binom{n}{k}`, true, "symbolic"},
		pair{`\binom{n}{k}`, `\binom{n}{j}`, false, ""},
		pair{`\binom{x}{2}`, `\frac{x(x-1)}{2}`, true, "symbolic"},
		pair{`\lfloor x \rfloor + \lceil y \rceil`, `\lceil y \rceil + \lfloor x \rfloor`, true, "symbolic"},
		pair{`\lfloor \frac{7}{2} \rfloor`, "3", true, "numeric"},
		pair{`\lceil \frac{7}{2} \rceil`, "4", true, "numeric"},
		pair{`\sum_{k=1}^{100000} k`, "5000050000", false, "budget"}, // over the work budget: refused, never guessed
	)
	runPairs(t, cases)
	t.Logf("%d big-operator pairs", len(cases))
}

func TestFamilyLabelledLists(t *testing.T) {
	runPairs(t, []pair{
		// every element labelled by a distinct name: compared name by name
		{`C_{1}=2 / 5, C_{2}=-3, C_{3}=2`, `C_1 = 0.4, C_2 = -3, C_3 = 2`, true, "set"},
		{`C_{1}=2 / 5, C_{2}=-3, C_{3}=2`, `C_3 = 2, C_1 = 0.4, C_2 = -3`, true, "set"},
		{`C_{1}=2 / 5, C_{2}=-3, C_{3}=2`, `C_1 = 2, C_2 = -3, C_3 = 2/5`, false, ""},
		{`a = 1, b = 2`, `a = 2, b = 1`, false, ""},
		{`a = 1, b = 2`, `a = 1, c = 2`, false, ""},
		// one side bare values: compared as a set of values (the labels are not asked for)
		{`a = 1, b = 2`, `1, 2`, true, "set"},
		{`x = 1, x = 2`, `x = 2, x = 1`, true, "set"}, // one name: roots, a set
	})
}

func TestFamilyRestrictedDomains(t *testing.T) {
	// Expressions undefined at every regular sample point (x in 1.5..4.5 and
	// one negative x) are compared at the alternative points (x in 0.05..0.95,
	// then 5.5..12.5): reordered terms still match, changed ones do not.
	runPairs(t, []pair{
		{`\log _{5}(x-5)+\log _{5}(x+5)`, `\log _{5}(x+5) + \log _{5}(x-5)`, true, "symbolic"},
		{`\log _{5}(x-5)+\log _{5}(x+5)`, `\log _{5}(x^2-25)`, true, "symbolic"},
		{`\log _{5}(x-5)+\log _{5}(x+5)`, `\log _{5}(x+5) + \log _{5}(x-6)`, false, ""},
		{`\arcsin (x) / 8-\sin (4 \arcsin x) / 32+C`, `C + \arcsin (x) / 8-\sin (4 \arcsin x) / 32`, true, "symbolic"},
		{`\arcsin (x) / 8-\sin (4 \arcsin x) / 32+C`, `C + \arcsin (x) / 8-\sin (4 \arcsin x) / 31`, false, ""},
		{`2 \arcsin (x / 2)-x \sqrt{4-x^{2}} / 2+C`, `C - x \sqrt{4-x^{2}} / 2 + 2 \arcsin (x / 2)`, true, "symbolic"},
		{`\arccos x`, `\frac{\pi}{2} - \arcsin x`, true, "symbolic"},
		{`\log(x-100)`, `\log(x-101)`, false, ""}, // undefined at every point of every set: never equal
	})
}

func TestFamilyProse(t *testing.T) {
	runPairs(t, []pair{
		{"No solution", `\text{No solution}`, true, "text"},
		{"all real numbers", `\text{All real numbers}`, true, "text"},
		{"Infinite number of solutions", `\textbf{infinite number of solutions}`, true, "text"},
		{"No solution", `\text{One solution}`, false, ""},
		{"3.6 hours", `\text{3.6 hours}`, true, ""},
		{"3.6 hours", `3.6`, true, ""},
		{"350,000 pages", `\text{350,000 pages}`, true, ""},
		{"xy z", "x y z", true, ""}, // letters stay a product
		{"ab", "ba", true, ""},
	})
}
