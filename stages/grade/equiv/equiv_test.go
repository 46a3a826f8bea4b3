package equiv

import (
	"strings"
	"testing"
)

type pair struct {
	gold, pred string
	want       bool
	reason     string // expected reason; "" to skip the check
}

func runPairs(t *testing.T, cases []pair) {
	t.Helper()
	for _, c := range cases {
		g, p := Prepare(c.gold), Prepare(c.pred)
		got, reason, rule := Compare(g, p)
		if got != c.want || c.reason != "" && reason != c.reason {
			t.Errorf("Compare(%q, %q) = %v (%s: %s), want %v (%s)\n  gold: %s\n  pred: %s",
				c.gold, c.pred, got, reason, rule, c.want, c.reason, g.Describe(), p.Describe())
		}
	}
}

func TestAnswerMode(t *testing.T) {
	runPairs(t, []pair{
		{"$5$", "5", true, "exact"},
		{"$$\\frac12$$", "\\frac{1}{2}", true, "exact"},
		{"\\(x+1\\)", "x+1", true, "exact"},
		{"\\[ 693 \\]", "693", true, "exact"},
		{"ANSWER: 42", "42", true, "exact"},
		{"\\boxed{42}", "42", true, "exact"},
		{"$\\boxed{\\frac{1}{3}}$", "1/3", true, "numeric"},
		{"We compute $2+2$, so the answer is $\\boxed{4}$. Check: \\boxed{\\{1\\}} no, final \\boxed{7}.", "7", true, "exact"},
		{"So $\\boxed{a{b}c}$", "a{b}c", true, "exact"},
		{"\\boxed 5", "5", true, "exact"},
		{"$\\boxed{1}\\boxed{2}$", "1,2", true, "exact"},
		{"\\(\\boxed{1}\\) and \\(\\boxed{-2}\\).", "-2, 1", true, "set"},
		{"The answer is \\boxed{3}, not \\boxed{4}", "3", false, "mismatch"},
	})
}

func TestNormalization(t *testing.T) {
	t.Run("layout", func(t *testing.T) {
		runPairs(t, []pair{
			{"\\left( \\frac{25}{13}, 10 \\right)", "(\\frac{25}{13},10)", true, ""},
			{"\\big( 1, 2 \\big)", "(1,2)", true, ""},
			{"2\\,\\sqrt{3}", "2\\sqrt3", true, ""},
			{"\\displaystyle\\frac{1}{2}", "1/2", true, ""},
			{"\\mathrm{e}^{2}", "e^2", true, ""},
			{"\\textbf{(C)}", "C", true, "text"},
			{"\\mathbf{5}", "5", true, ""},
			{"\\dfrac{5}{9}", "\\frac{5}{9}", true, "exact"},
			{"\\tfrac{1}{2}", "0.5", true, "numeric"},
			{"−3", "-3", true, ""},
			{"2 \\quad", "2", true, ""},
			{"-2 \\\\le x \\\\le 7", "x \\in [-2,7]", true, "interval"},
			{"\\\\left(\\\\frac{1}{5},\\\\frac{1}{6}\\\\right)", "(1/5, 1/6)", true, "set"},
			{"1\\\\sqrt{19}", "1", false, "mismatch"},
		})
	})
	t.Run("thousands", func(t *testing.T) {
		runPairs(t, []pair{
			{"1{,}000", "1000", true, "exact"},
			{"12,\\!345", "12345", true, "exact"},
			{"32,\\! 349", "32349", true, "exact"},
			{"1,000", "1000", true, "exact"},
			{"84,500", "84500", true, "exact"},
			{"12,000,023", "12000023", true, "exact"},
			{"1,000.99", "1000.99", true, "exact"},
			{"1 000", "1000", true, "exact"},
			{"1\\,000", "1000", true, "exact"},
			{"12~345~678", "12345678", true, "exact"},
			{"1\\ 000\\ 000", "1000000", true, "exact"},
			{"2\\,\\sqrt{3}", "2\\sqrt3", true, ""},
			{"(2,12) \\cup (12,102)", "(2,12)\\cup(12,102)", true, ""},
			{"1,22", "1.22", true, "numeric"}, // a decimal comma
			{"1,2", "2,1", true, "set"},       // but still a list
			{"10, 200", "10200", false, ""},
		})
	})
	t.Run("units and currency", func(t *testing.T) {
		runPairs(t, []pair{
			{"5\\text{ cm}", "5", true, ""},
			{"18\\text{ ft}^2", "18", true, ""},
			{"15\\mbox{ cm}^2", "15", true, ""},
			{"10\\text{ units}", "10 ", true, ""},
			{"82 \\mathrm{~m}", "82", true, ""},
			{"\\$10", "10", true, ""},
			{"$13", "13", true, ""},
			{"10 units", "10", true, ""},
			{"\\frac{1}{3} \\textbf{meters}", "1/3", true, ""},
			{"5\\text{ cm}", "6", false, ""},
			{"35, 4", "35 cm, 4", true, "set"},
			{"6, 8", "6\\text{ cm} \\text{ and } 8\\text{ cm}", true, "set"},
		})
	})
	t.Run("trailing period", func(t *testing.T) {
		runPairs(t, []pair{{"5.", "5", true, "exact"}, {"x+1.", "x+1", true, "exact"}})
	})
	t.Run("degrees", func(t *testing.T) {
		runPairs(t, []pair{
			{"90^\\circ", "90", true, ""},
			{"90^{\\circ}", "90", true, ""},
			{"30°", "30", true, ""},
			{"45 degrees", "45", true, ""},
			{"90^\\circ", "60", false, ""},
			{"\\frac{5\\pi}{6}", "150", false, ""},
			{"\\frac12", "\\sin 30^\\circ", true, "numeric"},
			{"(30^\\circ, 60^\\circ)", "(30, 60)", true, "set"},
		})
	})
	t.Run("text answers", func(t *testing.T) {
		runPairs(t, []pair{
			{"\\text{Evelyn}", "Evelyn", true, "text"},
			{"\\text{Evelyn}", "evelyn", true, "text"},
			{"\\text{Even}", "Even", true, "text"},
			{"\\text{Evelyn}", "Emily", false, ""},
			{"\\text{(C)}", "C", true, "text"},
			{"\\text{(C)}", "(C)", true, "text"},
			{"(C)", "\\text{C}", true, "text"},
			{"C", "c", true, "text"},
			{"\\text{e}", "e", true, ""},
			{"d", "\\text{E}", false, ""},
			{"\\text{(C)}", "(D)", false, ""},
			{"\\text{The midpoints form a regular hexagon}", "\\text{the midpoints form a regular hexagon}", true, ""},
		})
	})
}

func TestNumbers(t *testing.T) {
	runPairs(t, []pair{
		{"0.5", "\\frac12", true, "numeric"},
		{"\\frac{1}{2}", ".5", true, "numeric"},
		{"0.4", ".4", true, "numeric"},
		{"\\frac13", "0.33", false, "mismatch"},
		{"-10/9", "-\\frac{10}{9}", true, "numeric"},
		{"\\frac{-87}{16}", "-\\frac{87}{16}", true, "numeric"},
		{".08", "\\frac{2}{25}", true, "numeric"},
		{"2^{100}", "1267650600228229401496703205376", true, "numeric"},
		{"2^{100}", "1267650600228229401496703205377", false, "mismatch"},
		{"3\\frac12", "7/2", true, "numeric"},
		{"-3\\frac12", "-3.5", true, "numeric"},
		{"\\frac12", "1/2", true, "numeric"},
		{"x^23", "3x^2", true, "symbolic"},
		{"5!", "120", true, "numeric"},
		{"\\binom{5}{2}", "10", true, "numeric"},
		{"16386.20", "16386.2", true, "numeric"},
		{"1124", "1125", false, "mismatch"},
		{"\\frac{5057}{9990}", "\\frac{3203}{9990}", false, "mismatch"},
		{"|-3|", "3", true, "numeric"},
		{"2 \\cdot 3 \\times 4 \\div 6", "4", true, "numeric"},
		{"2*3", "6", true, "numeric"},
		{"2**10", "1024", true, "numeric"},
		{"049", "49", true, "numeric"},
		{"\\frac13", "0.\\overline{3}", true, "numeric"},
		{"\\frac16", "0.1\\overline{6}", true, "numeric"},
		{"\\frac{5057}{9990}", "0.5\\overline{062}", true, "numeric"},
		{"\\frac{4}{3}", "1.\\overline{3}", true, "numeric"},
		{"\\frac13", "0.\\overline{4}", false, "mismatch"},
	})
}

func TestAlgebraicAndTranscendental(t *testing.T) {
	runPairs(t, []pair{
		{"\\frac{3 + 2\\sqrt{2}}{2}", "\\frac{3}{2}+\\sqrt{2}", true, "numeric"},
		{"2\\sqrt{2}", "\\sqrt{8}", true, "numeric"},
		{"\\sqrt3", "\\sqrt{3}", true, ""},
		{"\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", true, "numeric"},
		{"\\frac{\\sqrt{\\sqrt{11}+\\sqrt{194}}}{15+2\\sqrt{33}}", "\\frac{\\sqrt{\\sqrt{11}+\\sqrt{194}}}{2\\sqrt{33}+15}", true, "numeric"},
		{"\\frac{6}{2 + 3\\sqrt{2}}", "\\frac{3(3\\sqrt{2}-2)}{7}", true, "numeric"},
		{"\\sqrt[3]{27}", "3", true, "numeric"},
		{"\\sqrt[3]{-8}", "-2", true, "numeric"},
		{"8^{1/3}", "2", true, "numeric"},
		{"\\sqrt{-4}", "2i", true, "numeric"},
		{"24\\pi", "24 \\pi", true, ""},
		{"2\\pi r", "2 r \\pi", true, "symbolic"},
		{"16\\pi", "16", false, "mismatch"},
		{"e^{1/2}", "\\sqrt{e}", true, "numeric"},
		{"1-\\frac{1}{e}", "1-e^{-1}", true, "numeric"},
		{"\\ln 8", "3\\ln 2", true, "numeric"},
		{"\\log_2 8", "3", true, "numeric"},
		{"\\log_{3} 81", "4", true, "numeric"},
		{"\\sin\\frac{\\pi}{6}", "\\frac12", true, "numeric"},
		{"\\cos(\\pi/3)", "0.5", true, "numeric"},
		{"\\tan\\frac{\\pi}{4}", "1", true, "numeric"},
		{"\\sin^2 x + \\cos^2 x", "1", true, "symbolic"},
		{"\\arctan 1", "\\frac{\\pi}{4}", true, "numeric"},
		{"\\arcsin\\frac12", "\\frac{\\pi}{6}", true, "numeric"},
		{"\\sin^{-1}(1)", "\\frac{\\pi}{2}", true, "numeric"},
		{"\\exp(2)", "e^2", true, "numeric"},
		{"\\pi", "3.14", false, "mismatch"},
		{"\\pi", "3.14159", true, "numeric"},
		{"sqrt(2)", "\\sqrt{2}", true, "numeric"},
		{"2 pi", "2\\pi", true, "exact"},
		{"√2", "\\sqrt2", true, "exact"},
		{"\\frac{1+\\sqrt{5}}{2}", "2", false, "mismatch"},
		{"1\\sqrt{19}", "1", false, "mismatch"},
		{"\\frac{3}{4}i", "\\frac34i", true, ""},
		{"(1+i)^2", "2i", true, "numeric"},
		{"\\frac{1}{1+i}", "\\frac{1-i}{2}", true, "numeric"},
	})
}

func TestDecimalApproximation(t *testing.T) {
	runPairs(t, []pair{
		{"\\frac{1}{12}", "0.0833333333", true, "numeric"},
		{"\\frac{1}{12}", "0.0833333333333333", true, "numeric"},
		{"\\frac{1}{12}", "0.083333", false, "mismatch"}, // 5 significant digits
		{"\\frac13", "0.333333", true, "numeric"},
		{"\\frac23", "0.666667", true, "numeric"}, // rounded
		{"\\frac23", "0.666666", true, "numeric"}, // truncated
		{"\\frac23", "0.666668", false, "mismatch"},
		{"\\frac{240}{7}", "34.28", false, "mismatch"},
		{"\\frac{100}{3}", "33.3", false, "mismatch"},
		{"\\sqrt{17}", "4.123105625617661", true, "numeric"},
		{"4.123105625617661", "\\sqrt{17}", true, "numeric"},
		{"\\pi", "3.141592653589793", true, "numeric"},
		{"\\frac18", "0.1250001", false, "mismatch"}, // 1/8 terminates: an approximation is wrong
		{"\\frac{6}{7}", "0.98", false, "mismatch"},
	})
	// 0.083333 has 5 significant digits: check the boundary explicitly.
	if ok, _, _ := Compare(Prepare("\\frac{1}{12}"), Prepare("0.08333")); ok {
		t.Error("0.08333 (4 significant digits) accepted for 1/12")
	}
}

func TestSymbolic(t *testing.T) {
	runPairs(t, []pair{
		{"(x+1)^2", "x^2+2x+1", true, "symbolic"},
		{"\\frac{x+2}{7}", "\\frac{x}{7}+\\frac{2}{7}", true, "symbolic"},
		{"x+2n+1", "x+1", false, "mismatch"},
		{"19x^4", "19x^4", true, "exact"},
		{"2ab", "2ba", true, "symbolic"},
		{"\\frac{10m}{m-10}", "\\frac{10m}{-10}", false, "mismatch"},
		{"\\frac{\\pi r}{h+r}", "\\frac{r\\pi}{r+h}", true, "symbolic"},
		{"-\\frac{2(x^2+6)}{9(x^2-2)\\sqrt[3]{x^2-2}^2}", "-\\frac{8x^2}{9(x^2-2)^{5/3}}+\\frac{2}{3(x^2-2)^{2/3}}", true, "symbolic"},
		{"\\left( \\frac{k+1}{k} \\right)^k", "(1+\\frac1k)^k", true, "symbolic"},
		{"f(x)", "f(y)", false, "mismatch"},
		{"x_1 + x_2", "x_2 + x_1", true, "symbolic"},
		{"\\alpha + \\beta", "\\beta+\\alpha", true, "symbolic"},
		{"2x", "2*x", true, "symbolic"},
		{"x^2", "x**2", true, "exact"},
		{"|x|", "x", false, "mismatch"},
		{"\\sqrt{x^2}", "x", false, "mismatch"},
		{"\\sqrt{x^2}", "|x|", true, "symbolic"},
		{"\\ln(x^2)", "2\\ln x", true, "symbolic"},
		{"x^{1/2}", "\\sqrt{x}", true, "symbolic"},
		{"\\frac{x^2-1}{x-1}", "x+1", true, "symbolic"},
		{"\\frac{n(n+1)}{2}", "\\binom{n+1}{2}", true, "symbolic"},
		{"e^{i\\pi}", "-1", true, "numeric"},
	})
}

func TestStructures(t *testing.T) {
	t.Run("tuples", func(t *testing.T) {
		runPairs(t, []pair{
			{"(6,31,-1)", "(6, 31, -1)", true, "exact"},
			{"(1,2)", "(2,1)", false, "mismatch"},
			{"\\left( \\frac{4}{3}, -\\frac{1}{3} \\right)", "(4/3, -1/3)", true, "set"},
			{"(1,3)", "{1,3}", true, "set"},
			{"(6,4)", "46", false, "mismatch"},
		})
	})
	t.Run("sets", func(t *testing.T) {
		runPairs(t, []pair{
			{"1,-2", "-2,1", true, "set"},
			{"1,-2", "1,-3", false, "mismatch"},
			{"0.1, 4, 2", "4, .1, 2", true, "set"},
			{"10, 4, 2", "4, 12, 2", false, "mismatch"},
			{"\\{1,2,3\\}", "3,2,1", true, "set"},
			{"1331 \\text{ and } 1728", "1728", false, "mismatch"},
			{"1331 and 1728", "1728, 1331", true, "set"},
			{"12", "9,12", false, "mismatch"},
			{"6 \\text{ and } 8", "6, 8", true, "set"},
			{"19, 46, and 82", "19, 46, \\text{ and } 82", true, ""},
			{"21,16 or 11", "21,16,11", true, "set"},
			{"(37,3,3,13),(17,3,3,7),(3,37,3,13),(3,17,3,7),(3,3,2,3)",
				"(3, 37, 3, 13), (3, 17, 3, 7), (3, 3, 2, 3), (3,17,3,7), (17,3,3,7), (37,3,3,13)", true, "set"},
			{"(0, 0), (1, 1), (2, 2)", "0", false, "mismatch"},
			{"a=4,\\,-8,\\,-10", "-10,-8,4", true, "set"},
			{"AB=4,CD=5", "4, 5", true, "set"},
			{"x = \\frac{1}{2}, x = \\frac{-1 \\pm \\sqrt{13}}{4}", "\\frac12, \\frac{-1+\\sqrt{13}}4, \\frac{-1-\\sqrt{13}}{4}", true, "set"},
			{"7:38", "6:19,7:38", false, "mismatch"},
			{"\\emptyset", "\\varnothing", true, "set"},
			{"\\emptyset", "\\{\\}", true, "set"},
			{"\\emptyset", "0", false, "mismatch"},
			// one value written two ways (MATH number_theory/459's solution boxes both)
			{"15\\frac{39}{40}, \\frac{639}{40}", "\\frac{639}{40}", true, "set"},
			{"\\frac{639}{40}", "15\\frac{39}{40}, \\frac{639}{40}", true, "set"},
			{"2, 2", "2", true, "set"},
			{"2, 3", "2", false, "mismatch"},
		})
	})
	t.Run("plus-minus", func(t *testing.T) {
		runPairs(t, []pair{
			{"3 \\pm 2 \\sqrt{2}", "3+2\\sqrt2, 3-2\\sqrt2", true, "set"},
			{"3 \\pm 2 \\sqrt{2}", "3-2\\sqrt2, 3+2\\sqrt{2}", true, "set"},
			{"\\pm 2021", "2021", false, "mismatch"},
			{"\\pm 2021", "2021, -2021", true, "set"},
			{"x = 3 \\pm 2\\sqrt2", "3 \\pm \\sqrt{8}", true, "set"},
		})
	})
	t.Run("intervals", func(t *testing.T) {
		runPairs(t, []pair{
			{"[0,1)", "[0,1)", true, "exact"},
			{"(0,9)", "[0,9)", false, "mismatch"},
			{"(-1,0]", "[-1,0)", false, "mismatch"},
			{"(-\\infty, 3]", "\\left(-\\infty,3\\right]", true, "exact"},
			{"[-1, -\\frac{1}{2}) \\cup (-\\frac{1}{2}, 0) \\cup (0, 1) \\cup (1, \\infty)",
				"[-1, -\\tfrac12) \\cup (-\\tfrac12, 0) \\cup (0, 1) \\cup (1, \\infty)", true, "exact"},
			{"[-1, -\\frac{1}{2}) \\cup (-\\frac{1}{2}, 0)", "(-0.5, 0) \\cup [-1, -0.5)", true, "interval"},
			{"(0,1) \\cup (2,3)", "(2,3) \\cup (0,1)", true, "interval"},
			{"(0,1) \\cup (2,3)", "(0,1)", false, "mismatch"},
			{"(2, 12) \\cup (12, 102)", "x \\in (2,12) \\cup (12,102)", true, "interval"},
		})
	})
	t.Run("matrices", func(t *testing.T) {
		runPairs(t, []pair{
			{"\\begin{pmatrix} 8/3 \\\\ 4/3 \\\\ -4/3 \\end{pmatrix}", "\\begin{pmatrix}\\frac{8}{3}\\\\\\frac{4}{3}\\\\-\\frac{4}{3}\\end{pmatrix}", true, "set"},
			{"\\begin{bmatrix}0 & 0 \\\\0 & 0\\end{bmatrix}", "\\begin{pmatrix}0 & 0 \\\\0 & 0\\end{pmatrix}", true, "set"},
			{"(\\begin{pmatrix}-\\frac{7}{4}&-2\\\\4&\\frac{1}{4}\\\\\\end{pmatrix})", "\\begin{pmatrix}-\\frac{7}{4}&-2\\\\4&\\frac{1}{4}\\end{pmatrix}", true, "set"},
			{"\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\\\ 4 & 3 \\end{pmatrix}", false, "mismatch"},
			{"\\begin{pmatrix} 1 & 2 \\end{pmatrix}", "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", false, "mismatch"},
			{"\\begin{vmatrix} 1 & 2 \\\\ 3 & 4 \\end{vmatrix}", "-2", true, "numeric"},
			{"\\begin{pmatrix} -1/3 \\\\ 2/3 \\\\ 5/3 \\end{pmatrix}", "(-\\frac13, \\frac23, \\frac53)", true, "set"},
			{"\\begin{pmatrix} -1/3 \\\\ 2/3 \\\\ 5/3 \\end{pmatrix}", "(\\frac23, -\\frac13, \\frac53)", false, "mismatch"},
			{"\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "(1, 2, 3, 4)", false, "mismatch"},
			{"\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}", "\\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix} \\begin{pmatrix}1 & 0 \\\\ 0 & 1\\end{pmatrix}", true, "set"},
			{"\\begin{pmatrix}2 & 1 \\\\ 4 & 3\\end{pmatrix}", "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix} \\begin{pmatrix}0 & 1 \\\\ 1 & 0\\end{pmatrix}", true, "set"},
			{"\\begin{pmatrix}2 & 4 \\\\ 6 & 8\\end{pmatrix}", "2\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}", true, "set"},
			{"\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}", "\\begin{pmatrix}1 & 2\\end{pmatrix}\\begin{pmatrix}1 \\\\ 2\\end{pmatrix}", false, "mismatch"},
		})
	})
}

func TestEquations(t *testing.T) {
	t.Run("value gold", func(t *testing.T) {
		runPairs(t, []pair{
			{"11", "x=11", true, "numeric"},
			{"11", "x = 5+5+1 = 7 =11", true, "numeric"},
			{"(3,2)", "(p,q)=(3,2)", true, "set"},
			{"13", "S = 47+48 = 13", true, "numeric"},
		})
	})
	t.Run("label gold", func(t *testing.T) {
		runPairs(t, []pair{
			{"x = 11", "x = 5+5+1 = 7 =11", true, "numeric"},
			{"k=1", "1", true, "numeric"},
			{"a = 2", "2", true, "numeric"},
			{"y=2x+3", "2x+3", true, "symbolic"},
			{"f(x) = \\frac{1}{x}", "1", false, "mismatch"},
			{"f(x) = \\frac{1}{x}", "\\frac1x", true, "symbolic"},
			{"k=m-1", "-1", false, "mismatch"},
			{"(p,q)=(3,2)", "(3,2)", true, "set"},
			{"|AB| = 5", "5", true, "numeric"},
			{"A:B=1", "1", true, "numeric"},
			{"V_{1}:V_{2}=11:21", "11:21", true, "numeric"},
			{"\\frac{NO}{BO} = \\frac{1}{3}", "1/3", true, "numeric"},
			{"z = 1 + 1 = 2", "z = 3+3 = 2", true, "numeric"},
			{"n = 6", "5", false, "mismatch"},
			{"f(y) = y", "f(y) = y", true, "exact"},
			{"D = (0, 1)", "D = (0, 1)", true, "exact"},
			{"n=1, 2, 3", "1,2,3", true, "set"},
			{"p=5,q=2;p=7,q=2", "(5,2),(7,2)", true, "set"},
			{"p=5,q=2;p=7,q=2", "(2,5),(7,2)", false, "mismatch"},
			{"1/3", "x=1/3\\approx0.33", true, "numeric"},
			{"1/3", "x \\approx 0.33", false, "mismatch"},
			{"y = 2x+3", "2x - y + 3 = 0", true, "symbolic"},
			{"x = 5", "x - 5 = 0", true, "symbolic"},
			{"y = 2x+3", "2x - y + 4 = 0", false, "mismatch"},
		})
	})
	t.Run("real equation gold", func(t *testing.T) {
		runPairs(t, []pair{
			{"a +3z = 0", "0", false, "mismatch"},
			{"2x + z = 1", "1", false, "mismatch"},
			{"x+2y=3", "2x+4y=6", true, "symbolic"},
			{"2x+4y-3=0", "y=-\\frac{1}{2}x+\\frac{3}{4}", true, "symbolic"},
			{"34x+45y-20z+100=0", "-34x-45y+20z-100=0", true, "symbolic"},
			{"5x - 7y + 11z + 4 = 0", "x + y - z + 2 = 0", false, "mismatch"},
			{"3x-y+13=0", "3x+4y+14=0", false, "mismatch"},
			{"x^2+y^2=4", "2x^2+2y^2-8=0", true, "symbolic"},
		})
	})
}

func TestInequalities(t *testing.T) {
	runPairs(t, []pair{
		{"x \\le 3", "(-\\infty, 3]", true, "interval"},
		{"(-\\infty, 3]", "x \\le 3", true, "interval"},
		{"x < 3", "(-\\infty, 3]", false, "mismatch"},
		{"-2 \\le x \\le 7", "[-2,7]", true, "interval"},
		{"x \\in [-2,7]", "[-2,7]", true, "interval"},
		{"x \\in [-2,7]", "-2 \\le x \\le 7", true, "interval"},
		{"x \\leq 5", "5 \\geq x", true, "interval"},
		{"x \\geq 5", "x \\leq 5", false, "mismatch"},
		{"x >= 5", "x \\geq 5", true, "exact"},
		{"x \\leq 2", "x <= 2", true, "exact"},
		{"x != 3", "x \\neq 3", true, ""},
		{"x \\ne 3", "(-\\infty,3)\\cup(3,\\infty)", true, "interval"},
		{"x < 1", "x > -1", false, "mismatch"},
		{"0<f(x)<1", "(0,1)", true, "interval"},
		{"k \\ge 2", "k \\ge 2", true, "exact"},
		{"x \\leq y", "x\\ley", true, ""},
		{"f(2) < f(1) < f(4)", "f(2) < f(1) < f(4)", true, "exact"},
		{"f(2) < f(1) < f(4)", "f(4) > f(1) > f(2)", true, "symbolic"},
		{"f(2) < f(1) < f(4)", "f(1) < f(2) < f(4)", false, "mismatch"},
		{"x ≤ 3", "x \\le 3", true, ""},
		{"1\\leq|z|\\leq \\frac{3}{2}", "z \\in \\left[-\\frac{3}{2}, -1\\right] \\cup \\left[1, \\frac{3}{2}\\right]", true, "interval"},
		{"|x| < 2", "(-2, 2)", true, "interval"},
		{"|x| \\le 2", "-2 \\le x \\le 2", true, "interval"},
		{"|x| > 1", "(-\\infty,-1)\\cup(1,\\infty)", true, "interval"},
		{"|x| < 2", "(0, 2)", false, "mismatch"},
	})
}

func TestPercentAndBases(t *testing.T) {
	runPairs(t, []pair{
		{"25\\%", "25", true, "numeric"},
		{"25\\%", "0.25", true, "numeric"},
		{"25\\%", "25\\%", true, "exact"},
		{"25", "25\\%", true, "numeric"},
		{"0.25", "25\\%", true, "numeric"},
		{"25\\%", "0.25\\%", false, "mismatch"},
		{"25\\%", "26", false, "mismatch"},
		{"28\\%", "28 percent", true, ""},
		{"1011_2", "1011_2", true, "exact"},
		{"1011_2", "1011", true, "numeric"},
		{"52_8", "52", true, "numeric"},
		{"343_7", "333_7", false, "mismatch"},
		{"1011_2", "1011_3", false, "mismatch"},
		{"22_3", "3", false, "mismatch"},
	})
}

func TestMultipleChoice(t *testing.T) {
	runPairs(t, []pair{
		{"(C)", "C", true, "text"},
		{"C", "\\text{(C)}", true, "text"},
		{"\\text{C}", "\\textbf{(C)}", true, "text"},
		{"(B)", "C", false, "mismatch"},
		{"-\\frac{3}{2}", "B", false, "mismatch"},
	})
}

// TestPeerFailures has one named test per known peer failure (spec section 6).
func TestPeerFailures(t *testing.T) {
	t.Run("tiny magnitudes 1/2004! vs 1/2006! (Math-Verify #14)", func(t *testing.T) {
		runPairs(t, []pair{
			{"\\frac{1}{2004!}", "\\frac{1}{2006!}", false, "mismatch"},
			{"\\frac{1}{2004!}", "\\frac{1}{2004!}", true, "exact"},
			{"\\frac{1}{2004!}", "\\frac{2005 \\cdot 2006}{2006!}", true, "numeric"},
			{"\\frac{\\pi}{10^{80}}", "\\frac{\\pi}{10^{81}}", false, "mismatch"},
		})
	})
	t.Run("bad LaTeX truncated: 4\\sqrt(2) vs 4 (Math-Verify #41)", func(t *testing.T) {
		runPairs(t, []pair{
			{"4\\sqrt(2)", "4", false, "mismatch"},
			{"4", "4\\sqrt(2)", false, "mismatch"},
			{"4\\sqrt{2}", "4\\sqrt(2)", true, "numeric"},
		})
	})
	t.Run("bad LaTeX truncated: 1-1/e vs 1+1/e", func(t *testing.T) {
		runPairs(t, []pair{
			{"1-\\frac1{\\mathrm e}", "1+\\frac1{\\mathrm e}", false, "mismatch"},
			{"1 - \\frac{1}{\\mathrm{e}}", "1 - \\frac{1}{\\mathrm{e}}", true, "exact"},
			{"1-\\frac1{\\mathrm e}", "1-\\frac{1}{e}", true, "numeric"},
		})
	})
	t.Run("comma lists by first element: 1,-2 vs 1,-3 (Qwen2.5-Math #50)", func(t *testing.T) {
		runPairs(t, []pair{{"1,-2", "1,-3", false, "mismatch"}, {"1,-3", "1,-2", false, "mismatch"}})
	})
	t.Run("subset accepted: 1331 and 1728 vs 1728 (Math-Verify #47)", func(t *testing.T) {
		runPairs(t, []pair{
			{"1331 and 1728", "1728", false, "mismatch"},
			{"1728", "1331 and 1728", false, "mismatch"},
			{"f(x) = 0 \\text{ and } f(x) = x", "0", false, "mismatch"},
		})
	})
	t.Run("plain-text equations reduced to last number: 3x-y+13=0 vs 3x+4y+14=0 (Math-Verify #60)", func(t *testing.T) {
		runPairs(t, []pair{{"3x-y+13=0", "3x+4y+14=0", false, "mismatch"}})
	})
	t.Run("identical tuples, intervals, matrices scored 0 (lm-eval #4030)", func(t *testing.T) {
		for _, s := range []string{
			"(1,2)", "\\left( \\frac{1}{5},\\frac{1}{6}\\right)", "[0,1)", "(-\\infty, 3] \\cup [5, \\infty)",
			"\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}", "\\begin{bmatrix} a \\\\ b \\end{bmatrix}",
			"\\{1, 2, 3\\}", "(3, 37, 3, 13), (3, 17, 3, 7)",
		} {
			if ok, reason, _ := Compare(Prepare(s), Prepare(s)); !ok {
				t.Errorf("%q vs itself: %s", s, reason)
			}
			// and with different spacing, so the text fast path does not decide
			spaced := strings.ReplaceAll(s, ",", " , ")
			if ok, reason, rule := Compare(Prepare(s), Prepare(spaced)); !ok {
				t.Errorf("%q vs %q: %s (%s)", s, spaced, reason, rule)
			}
		}
	})
	t.Run("double normalization: x \\in [-2,7] vs [-2,7]", func(t *testing.T) {
		runPairs(t, []pair{{"x \\in [-2,7]", "[-2,7]", true, "interval"}, {"[-2,7]", "x \\in [-2,7]", true, "interval"}})
	})
}

func TestEquivalentSymmetric(t *testing.T) {
	cases := []struct {
		a, b string
		want bool
	}{
		{"x=5", "5", true},
		{"\\frac12", "0.5", true},
		{"1,2", "2,1", true},
		{"25\\%", "0.25", true},
		{"1,-2", "1,-3", false},
		{"1331 and 1728", "1728", false},
	}
	for _, c := range cases {
		a, b := Prepare(c.a), Prepare(c.b)
		if got := Equivalent(a, b); got != c.want {
			t.Errorf("Equivalent(%q, %q) = %v, want %v", c.a, c.b, got, c.want)
		}
		if Equivalent(a, b) != Equivalent(b, a) {
			t.Errorf("Equivalent(%q, %q) is not symmetric", c.a, c.b)
		}
	}
}
