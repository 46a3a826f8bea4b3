package grade

import (
	"encoding/json"
	"fmt"
	"math/big"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/extract"
)

// The metamorphic suite over real gold answers. For every gold of every benchmark it
// generates answers that must stay correct (value-preserving rewrites) and answers that
// must become wrong (value-changing perturbations), and checks each verdict. A rewrite
// that does not apply to a gold (no \frac to turn into \dfrac, no set to reorder) is
// skipped and counted. It also reports, per benchmark, the share of golds that parse into
// a math tree rather than falling back to text, and pins that share as a floor.

// mathShareFloor pins, per benchmark, the share of golds that parse into a math tree
// (measured when the suite was written, rounded down). A change that makes fewer golds
// parse fails here; raise a floor when the share rises.
var mathShareFloor = map[string]float64{
	"math500":      0.97,
	"aime24":       1.00,
	"amc23":        1.00,
	"college_math": 0.80,
	"minerva_math": 0.80,
}

// benchGold is one gold answer of a benchmark.
type benchGold struct {
	bench, id string
	gold      string // as the benchmark ships it
	answer    string // the answer it holds (a whole-solution gold: its box)
}

// loadBenchGolds reads the golds of the benchmarks in ../shared/data.
func loadBenchGolds(t *testing.T) map[string][]benchGold {
	out := map[string][]benchGold{}
	type m500 struct {
		Answer string `json:"answer"`
		ID     string `json:"unique_id"`
	}
	for _, r := range readJSONL[m500](t, "math500/test.jsonl") {
		out["math500"] = append(out["math500"], benchGold{bench: "math500", id: r.ID, gold: r.Answer, answer: r.Answer})
	}
	type row struct {
		ID       json.RawMessage `json:"id"`
		Idx      json.RawMessage `json:"idx"`
		Answer   json.RawMessage `json:"answer"`
		Solution string          `json:"solution"`
		QNum     string          `json:"question_number"`
	}
	for _, b := range []string{"aime24", "amc23", "college_math", "minerva_math"} {
		for i, r := range readJSONL[row](t, filepath.Join("benchmarks", b, "test.jsonl")) {
			g := benchGold{bench: b, id: fmt.Sprint(i)}
			var s string
			switch {
			case b == "minerva_math":
				// Minerva golds are whole solutions: the gold is answered by its box.
				g.gold = r.Solution
				res := extract.Solution(r.Solution)
				if !res.OK {
					t.Errorf("minerva_math %d: the solution holds no box", i)
					continue
				}
				g.answer = res.Answer
			case json.Unmarshal(r.Answer, &s) == nil:
				g.gold, g.answer = s, s
			default:
				// amc23 ships numbers (27.0): the toolkit reads them as their text.
				g.gold, g.answer = string(r.Answer), string(r.Answer)
			}
			out[b] = append(out[b], g)
		}
	}
	return out
}

// variant is one generated answer: its text, and whether it is a whole response.
type variant struct {
	text     string
	response bool
}

// A rewrite returns value-preserving variants of core (the gold's math, delimiters
// peeled) given how the gold parsed (kind: the first word of Describe); nil when it
// does not apply.
type rewrite struct {
	name string
	gen  func(core, kind string) []variant
}

var rewrites = []rewrite{
	{"dfrac", func(c, _ string) []variant { return ifChanged(c, strings.ReplaceAll(c, `\frac`, `\dfrac`)) }},
	{"frac", func(c, _ string) []variant {
		return ifChanged(c, strings.ReplaceAll(strings.ReplaceAll(c, `\dfrac`, `\frac`), `\tfrac`, `\frac`))
	}},
	{"slash fraction", func(c, _ string) []variant { return ifChanged(c, slashFractions(c)) }},
	{"decimal", func(c, kind string) []variant {
		if d, ok := terminatingDecimal(c); ok && kind == "scalar" {
			return []variant{{text: d}}
		}
		return nil
	}},
	{"integer form", func(c, kind string) []variant {
		if kind != "scalar" {
			return nil
		}
		if strings.HasSuffix(c, ".0") && allDigitsStr(strings.TrimPrefix(c[:len(c)-2], "-")) {
			return []variant{{text: c[:len(c)-2]}}
		}
		if allDigitsStr(strings.TrimPrefix(c, "-")) {
			return []variant{{text: c + ".0"}}
		}
		return nil
	}},
	{"reordered set", func(c, kind string) []variant {
		if kind != "set" || ambiguousList(c) {
			return nil
		}
		inner, open, close := c, "", ""
		if strings.HasPrefix(c, `\{`) && strings.HasSuffix(c, `\}`) {
			inner, open, close = c[2:len(c)-2], `\{`, `\}`
		}
		parts := splitTop(inner, ',')
		if len(parts) < 2 {
			return nil
		}
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
		return []variant{{text: open + strings.Join(trimAll(parts), ", ") + close}}
	}},
	{"reordered sum", func(c, kind string) []variant {
		if kind != "scalar" || strings.ContainsAny(c, "=<>,") || strings.Contains(c, `\pm`) || strings.Contains(c, `\mp`) ||
			strings.Contains(c, `\text`) || strings.Contains(c, `\%`) || strings.Contains(c, `\mod`) || strings.Contains(c, "|") {
			return nil
		}
		terms := splitTop(c, '+')
		if len(terms) < 2 || strings.TrimSpace(terms[0]) == "" || strings.TrimSpace(terms[1]) == "" {
			return nil
		}
		first := strings.TrimSpace(terms[0])
		if strings.HasPrefix(first, "-") || strings.HasSuffix(first, "^") || strings.HasSuffix(first, "_") {
			return nil
		}
		rest := strings.TrimSpace(strings.Join(terms[1:], "+"))
		return []variant{{text: rest + " + " + first}}
	}},
	{"left right", func(c, kind string) []variant {
		switch {
		case kind == "scalar" && !strings.Contains(c, ",") && !hasUnit(c):
			return []variant{{text: `\left(` + c + `\right)`}}
		case (kind == "tuple" || kind == "interval") && len(c) > 2 && strings.ContainsRune("([", rune(c[0])) && strings.ContainsRune(")]", rune(c[len(c)-1])):
			return []variant{{text: `\left` + c[:1] + c[1:len(c)-1] + `\right` + c[len(c)-1:]}}
		}
		return nil
	}},
	{"unit", func(c, kind string) []variant {
		if kind == "scalar" && isNumberLiteral(c) {
			return []variant{{text: c + `\text{ units}`}, {text: c + `\ \text{cm}`}}
		}
		return nil
	}},
	{"text wrapper", func(c, kind string) []variant {
		if kind == "text" || kind == "unparsable" || hasProseWord(stripCommands(c)) {
			return []variant{{text: `\text{` + c + `}`}} // a prose answer in a text wrapper
		}
		return []variant{{text: `\textbf{` + c + `}`}}
	}},
	{"label", func(c, kind string) []variant {
		if kind == "scalar" {
			return []variant{{text: "x = " + c}}
		}
		return nil
	}},
	{"delimiters", func(c, _ string) []variant {
		return []variant{{text: "$" + c + "$"}, {text: `\(` + c + `\)`}, {text: `\[` + c + `\]`}, {text: "$$" + c + "$$"}, {text: `\boxed{` + c + `}`}}
	}},
	{"box in a sentence", func(c, _ string) []variant {
		return []variant{
			{text: "We check every case.\n\nTherefore, the answer is $\\boxed{" + c + "}$.", response: true},
			{text: "So the final result is \\(\\boxed{" + c + "}\\) as required.", response: true},
		}
	}},
	{"minerva sentence", func(c, kind string) []variant {
		if !mathCore(c, kind) {
			return nil
		}
		return []variant{{text: "Final Answer: The final answer is $" + c + "$. I hope it is correct.", response: true}}
	}},
	{"gsm8k marker", func(c, _ string) []variant {
		if hasProseWord(c) || strings.Contains(c, "\n") {
			return nil // the marker takes a math value, not prose
		}
		return []variant{{text: "Computing gives\n#### " + c, response: true}, {text: "#### " + c}}
	}},
	{"boxes with prose", func(c, kind string) []variant {
		// One box per part of a multi-part gold, prose between them (one rule of
		// package grade): "$x_1 = \boxed{2}$, and $x_2 = \boxed{3}$".
		if kind != "set" && kind != "tuple" || ambiguousList(c) {
			return nil
		}
		inner := c
		switch {
		case kind == "tuple" && len(c) > 2 && c[0] == '(' && c[len(c)-1] == ')':
			inner = c[1 : len(c)-1]
		case kind == "tuple":
			return nil
		case strings.HasPrefix(c, `\{`) && strings.HasSuffix(c, `\}`):
			inner = c[2 : len(c)-2]
		}
		parts := trimAll(splitTop(inner, ','))
		if len(parts) < 2 || len(parts) > 8 {
			return nil
		}
		var b strings.Builder
		b.WriteString("Solving, we find")
		for i, p := range parts {
			if i > 0 {
				b.WriteString(", and")
			}
			fmt.Fprintf(&b, " $x_{%d} = \\boxed{%s}$", i+1, p)
		}
		b.WriteString(".")
		return []variant{{text: b.String(), response: true}}
	}},
	{"spacing", func(c, _ string) []variant {
		if strings.Contains(c, `\text`) || strings.Contains(c, `\mbox`) {
			return nil
		}
		return ifChanged(c, "  "+strings.NewReplacer("+", " + ", "=", " = ").Replace(c)+" ")
	}},
}

// A perturbation returns value-changing variants of core; nil when it does not apply.
var perturbations = []rewrite{
	{"changed digit", func(c, kind string) []variant {
		if kind == "text" || kind == "unparsable" || kind == "budget" || kind == "equation" || strings.Contains(c, `\approx`) {
			return nil // after \approx is commentary; an equation chain's middle sides are working
		}
		// The last digit of the last number that is not an exponent, a subscript or an
		// index (changing 2 in x^2 or log_2 can keep a value: 1^2 = 1^3).
		for i := len(c) - 1; i >= 0; i-- {
			if isDigitByte(c[i]) && !inScript(c, i) && !beforePower(c, i) {
				d := c[i] + 1
				if c[i] == '9' {
					d = '8'
				}
				if c[i] == '0' && i > 0 && c[i-1] == '.' {
					continue // 2.0 -> 2.1 fine, but a trailing zero digit change may not move x.0
				}
				return []variant{{text: c[:i] + string(d) + c[i+1:]}}
			}
		}
		return nil
	}},
	{"flipped sign", func(c, kind string) []variant {
		if kind != "scalar" || strings.ContainsAny(c, "=<>,") || strings.Contains(c, `\pm`) || strings.Contains(c, `\approx`) ||
			Equivalent(PrepareAnswer(c), PrepareAnswer("0")) {
			return nil // -0 is 0
		}
		if strings.HasPrefix(c, "-") && !strings.ContainsAny(c[1:], "+-") {
			return []variant{{text: c[1:]}}
		}
		return []variant{{text: "-(" + c + ")"}}
	}},
	{"swapped bracket", func(c, kind string) []variant {
		if kind != "interval" || strings.Contains(c, `\cup`) || len(c) < 3 {
			return nil
		}
		swap := map[byte]byte{'(': '[', '[': '(', ')': ']', ']': ')'}
		last := c[len(c)-1]
		if r, ok := swap[last]; ok && !strings.HasSuffix(strings.TrimSpace(c[:len(c)-1]), `\infty`) {
			return []variant{{text: c[:len(c)-1] + string(r)}}
		}
		if r, ok := swap[c[0]]; ok && !strings.HasPrefix(strings.TrimSpace(c[1:]), `-\infty`) {
			return []variant{{text: string(r) + c[1:]}}
		}
		return nil
	}},
	{"dropped element", func(c, kind string) []variant {
		if kind != "set" || ambiguousList(c) {
			return nil
		}
		inner, open, close := c, "", ""
		if strings.HasPrefix(c, `\{`) && strings.HasSuffix(c, `\}`) {
			inner, open, close = c[2:len(c)-2], `\{`, `\}`
		}
		parts := trimAll(splitTop(inner, ','))
		if len(parts) < 2 {
			return nil
		}
		// Dropping an element that another one repeats keeps the set: skip those.
		lastA := PrepareAnswer(parts[len(parts)-1])
		for _, p := range parts[:len(parts)-1] {
			if Equivalent(PrepareAnswer(p), lastA) {
				return nil
			}
		}
		return []variant{{text: open + strings.Join(parts[:len(parts)-1], ", ") + close}}
	}},
	{"added element", func(c, kind string) []variant {
		if ambiguousList(c) {
			return nil
		}
		if kind == "set" && !strings.HasPrefix(c, `\{`) {
			return []variant{{text: c + ", 98765"}}
		}
		if kind == "set" && strings.HasSuffix(c, `\}`) {
			return []variant{{text: c[:len(c)-2] + `, 98765\}`}}
		}
		return nil
	}},
	{"different letter", func(c, kind string) []variant {
		if kind != "choice" {
			return nil
		}
		for i := 0; i < len(c); i++ {
			if x := c[i] | 0x20; x >= 'a' && x <= 'e' && (i == 0 || !isLetterByte(c[i-1])) && (i+1 == len(c) || !isLetterByte(c[i+1])) {
				r := c[i] + 1
				if x == 'e' {
					r = c[i] - 4
				}
				return []variant{{text: c[:i] + string(r) + c[i+1:]}}
			}
		}
		return nil
	}},
}

// TestMetamorphicGolds runs the suite over every benchmark and prints its figures.
func TestMetamorphicGolds(t *testing.T) {
	all := loadBenchGolds(t)
	names := make([]string, 0, len(all))
	for b := range all {
		names = append(names, b)
	}
	sort.Strings(names)
	for _, b := range names {
		golds := all[b]
		t.Run(b, func(t *testing.T) {
			t.Parallel()
			metamorphicBench(t, b, golds)
		})
	}
}

// metamorphicBench runs the suite over the golds of benchmark b and logs its figures.
func metamorphicBench(t *testing.T, b string, golds []benchGold) {
	{
		var mathTree, selfOK int
		applied := map[string]int{}
		skipped := map[string]int{}
		passed := map[string]int{}
		check := func(key string, ok bool, msg string) {
			if !ok {
				t.Errorf("%s: %s", key, msg)
			}
		}
		for gi, g := range golds {
			gold := PrepareGold(g.gold)
			desc := gold.Describe()
			kind := descKind(desc)
			if kind != "unparsable" && kind != "budget" && kind != "text" {
				mathTree++
			}
			if v := GradeAnswer(gold, g.answer); v.Correct {
				selfOK++
			} else {
				check(b+"/"+g.id+"/self", false, fmt.Sprintf("gold %q is not its own answer %q: %s (%s)", g.gold, g.answer, v.Reason, v.Rule))
			}
			core := strings.TrimSpace(strings.TrimSuffix(peelMath(g.answer), "."))
			for _, set := range []struct {
				list []rewrite
				want bool
			}{{rewrites, true}, {perturbations, false}} {
				for _, rw := range set.list {
					var vs []variant
					if rw.name == "delimiters" || rw.name == "box in a sentence" && !strings.Contains(core, "\n\n") ||
						rw.name == "text wrapper" && !strings.ContainsAny(core, "$\n{}\\") || mathCore(core, kind) {
						vs = rw.gen(core, kind)
					}
					if len(vs) == 0 {
						skipped[rw.name]++
						continue
					}
					applied[rw.name]++
					if len(vs) > 1 {
						// Several spellings of one rewrite: each gold gets one, in turn, so that
						// every spelling meets a share of the golds at a fraction of the cost.
						vs = vs[gi%len(vs) : gi%len(vs)+1]
					}
					ok := true
					for _, vr := range vs {
						var v Verdict
						if vr.response {
							v = GradeResponse(gold, vr.text, Strict)
						} else {
							v = GradeAnswer(gold, vr.text)
						}
						if v.Correct != set.want {
							ok = false
							check(fmt.Sprintf("%s/%s/%s", b, g.id, rw.name), false,
								fmt.Sprintf("gold %.80q (%s), %s %.100q: correct=%v want %v (extracted %.60q by %s; %s, %s)",
									g.gold, desc, rw.name, vr.text, v.Correct, set.want, v.Extracted, v.ExtractMethod, v.Reason, v.Rule))
						}
					}
					if ok {
						passed[rw.name]++
						check(fmt.Sprintf("%s/%s/%s", b, g.id, rw.name), true, "")
					}
				}
			}
		}
		share := float64(mathTree) / float64(len(golds))
		t.Logf("%s: %d golds, %d parse into a math tree (%.1f%%, floor %.0f%%), %d are their own answer",
			b, len(golds), mathTree, 100*share, 100*mathShareFloor[b], selfOK)
		var line []string
		for _, rw := range append(append([]rewrite{}, rewrites...), perturbations...) {
			line = append(line, fmt.Sprintf("%s %d/%d (skipped %d)", rw.name, passed[rw.name], applied[rw.name], skipped[rw.name]))
		}
		t.Logf("%s: passed/applied: %s", b, strings.Join(line, "; "))
		if floor, ok := mathShareFloor[b]; !ok {
			t.Errorf("%s: no floor pinned for the math-tree share (%.3f)", b, share)
		} else if share < floor {
			t.Errorf("%s: %.1f%% of golds parse into a math tree, below the pinned floor %.0f%%", b, 100*share, 100*floor)
		}
	}
}

// mathCore reports a gold whose core is one math expression: it parsed into a math tree,
// and holds no prose word, no math delimiter and no line break. Only such golds get the
// rewrites and perturbations of math (a sentence has no \frac to rewrite meaningfully
// and no digit whose change must be wrong); every gold gets the delimiter and sentence
// rewrites.
func mathCore(core, kind string) bool {
	switch kind {
	case "unparsable", "budget", "text":
		return false
	}
	return !strings.ContainsAny(core, "$\n") && !hasProseWord(stripCommands(core))
}

// stripCommands drops the \text{…} and \mbox{…} groups of a unit ("5\text{ cm}") so
// that a unit is not prose; other command names are not words for hasProseWord.
func stripCommands(s string) string {
	for _, w := range []string{`\text{`, `\mbox{`, `\mathrm{`} {
		for {
			i := strings.Index(s, w)
			if i < 0 {
				break
			}
			j := strings.IndexByte(s[i:], '}')
			if j < 0 {
				break
			}
			s = s[:i] + s[i+j+1:]
		}
	}
	return s
}

// descKind is the first word of a Describe line ("scalar", "set", "unparsable", ...).
func descKind(d string) string {
	if i := strings.IndexByte(d, ':'); i > 0 {
		return d[:i]
	}
	return d
}

// peelMath removes one pair of math delimiters around the whole answer and spaces.
func peelMath(s string) string {
	s = strings.TrimSpace(s)
	for _, p := range [][2]string{{"$$", "$$"}, {"$", "$"}, {`\(`, `\)`}, {`\[`, `\]`}} {
		if len(s) > len(p[0])+len(p[1]) && strings.HasPrefix(s, p[0]) && strings.HasSuffix(s, p[1]) &&
			!strings.Contains(s[len(p[0]):len(s)-len(p[1])], p[0]) {
			return strings.TrimSpace(s[len(p[0]) : len(s)-len(p[1])])
		}
	}
	return s
}

func ifChanged(old, s string) []variant {
	if s == old {
		return nil
	}
	return []variant{{text: s}}
}

// slashFractions writes every \frac{p}{q} of integers p, q as (p/q), unless a digit
// precedes it (3\frac12 is a mixed number, not a product).
func slashFractions(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		j := strings.Index(s[i:], `\frac{`)
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		j += i
		p, q, end, ok := intFraction(s, j+len(`\frac`))
		if !ok || isDigitByte(lastNonSpace(s[:j])) {
			b.WriteString(s[i : j+1])
			i = j + 1
			continue
		}
		b.WriteString(s[i:j])
		b.WriteString("(" + p + "/" + q + ")")
		i = end
	}
	return b.String()
}

// intFraction reads "{p}{q}" of integers at s[i:].
func intFraction(s string, i int) (p, q string, end int, ok bool) {
	read := func(k int) (string, int, bool) {
		if k >= len(s) || s[k] != '{' {
			return "", 0, false
		}
		e := strings.IndexByte(s[k:], '}')
		if e < 0 {
			return "", 0, false
		}
		d := s[k+1 : k+e]
		return d, k + e + 1, allDigitsStr(d)
	}
	p, k, ok1 := read(i)
	q, end, ok2 := read(k)
	return p, q, end, ok1 && ok2
}

// terminatingDecimal writes an answer that is a fraction of integers with a
// terminating expansion (\frac{3}{8}, -\frac{1}{4}, 3/8) as an exact decimal.
func terminatingDecimal(c string) (string, bool) {
	sign := ""
	t := c
	if strings.HasPrefix(t, "-") {
		sign, t = "-", t[1:]
	}
	var p, q string
	if strings.HasPrefix(t, `\frac`) || strings.HasPrefix(t, `\dfrac`) {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			return "", false
		}
		var end int
		var ok bool
		if p, q, end, ok = intFraction(t, i); !ok || end != len(t) {
			return "", false
		}
	} else if k := strings.IndexByte(t, '/'); k > 0 && allDigitsStr(t[:k]) && allDigitsStr(t[k+1:]) {
		p, q = t[:k], t[k+1:]
	} else {
		return "", false
	}
	r, ok := new(big.Rat).SetString(p + "/" + q)
	if !ok || r.Denom().Cmp(big.NewInt(1)) == 0 {
		return "", false
	}
	d := new(big.Int).Set(r.Denom())
	digits := 0
	for _, f := range []int64{2, 5} {
		for new(big.Int).Mod(d, big.NewInt(f)).Sign() == 0 {
			d.Div(d, big.NewInt(f))
			digits++
		}
	}
	if d.Cmp(big.NewInt(1)) != 0 {
		return "", false
	}
	return sign + r.FloatString(digits), true
}

// splitTop splits s at sep outside braces, brackets and parentheses.
func splitTop(s string, sep byte) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' && i+1 < len(s) && (s[i+1] == '{' || s[i+1] == '}'):
			if s[i+1] == '{' {
				depth++
			} else {
				depth--
			}
			i++
		case c == '{' || c == '(' || c == '[':
			depth++
		case c == '}' || c == ')' || c == ']':
			depth--
		case c == sep && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func trimAll(xs []string) []string {
	for i := range xs {
		xs[i] = strings.TrimSpace(xs[i])
	}
	return xs
}

// beforePower reports whether the digit run holding s[i] is the base of a power
// (10^{0} is 11^{0}).
func beforePower(s string, i int) bool {
	j := i
	for j < len(s) && isDigitByte(s[j]) {
		j++
	}
	return j < len(s) && s[j] == '^'
}

// inScript reports whether s[i] is part of an exponent, a subscript or a root index.
func inScript(s string, i int) bool {
	j := i
	for j > 0 && (isDigitByte(s[j-1]) || s[j-1] == '{' || s[j-1] == '.') {
		j--
	}
	return j > 0 && (s[j-1] == '^' || s[j-1] == '_' || s[j-1] == '[')
}

// hasProseWord reports a word of two or more letters that is not a command name.
func hasProseWord(s string) bool {
	for i := 0; i < len(s); {
		if !isLetterByte(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isLetterByte(s[j]) {
			j++
		}
		if j-i >= 2 && (i == 0 || s[i-1] != '\\') {
			return true
		}
		i = j
	}
	return false
}

// ambiguousList reports a list whose commas may be thousands separators or a decimal
// comma ("25,100,55", "-5,0"): its elements are not what a split at commas gives.
func ambiguousList(c string) bool {
	parts := trimAll(splitTop(c, ','))
	for i, p := range parts[1:] {
		if len(p) >= 3 && allDigitsStr(p[:3]) && (len(p) == 3 || !isDigitByte(p[3])) && p[0] != ' ' && !strings.HasSuffix(parts[i], " ") {
			return true
		}
	}
	return len(parts) == 2 && allDigitsStr(strings.TrimPrefix(parts[0], "-")) && allDigitsStr(parts[1]) || strings.Contains(c, ";")
}

// hasUnit reports a unit written with \text, \mbox or \mathrm.
func hasUnit(c string) bool {
	return strings.Contains(c, `\text`) || strings.Contains(c, `\mbox`) || strings.Contains(c, `\mathrm`)
}

func lastNonSpace(s string) byte {
	s = strings.TrimRight(s, " ")
	if s == "" {
		return 0
	}
	return s[len(s)-1]
}

func isNumberLiteral(s string) bool {
	s = strings.TrimPrefix(s, "-")
	return s != "" && strings.Count(s, ".") <= 1 && allDigitsStr(strings.Replace(s, ".", "", 1))
}

func allDigitsStr(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return s != ""
}

func isDigitByte(c byte) bool  { return c >= '0' && c <= '9' }
func isLetterByte(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
