package latex

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// Work must be linear in the input size (spec section 5): for every shape of
// hostile input, the parser's step count (tokens, bytes scanned, prefix
// lookups) per input byte stays under a constant from 10^3 to 10^6 bytes. Work
// is counted, not timed, so the test is exact on any machine.
func TestParseWorkIsLinear(t *testing.T) {
	shapes := map[string]func(n int) string{
		"long sum":          func(n int) string { return strings.Repeat("x+", n/2) + "1" },
		"long command":      func(n int) string { return "\\" + strings.Repeat("a", n) },
		"glued commands":    func(n int) string { return strings.Repeat("\\lea", n/4) },
		"unclosed text":     func(n int) string { return strings.Repeat("\\text{", n/6) },
		"unclosed begin":    func(n int) string { return strings.Repeat("\\begin{pmatrix}", n/15) },
		"unclosed boxed":    func(n int) string { return strings.Repeat("\\boxed{", n/7) },
		"unclosed fbox":     func(n int) string { return strings.Repeat("\\fbox{", n/6) },
		"open parens":       func(n int) string { return strings.Repeat("(", n) },
		"open braces":       func(n int) string { return strings.Repeat("{", n) },
		"bars":              func(n int) string { return strings.Repeat("|", n) },
		"digits":            func(n int) string { return strings.Repeat("7", n) },
		"nested frac":       func(n int) string { return strings.Repeat("\\frac", n/5) + "12" },
		"matrix cells":      func(n int) string { return "\\begin{pmatrix}" + strings.Repeat("1&", n/2) + "1\\end{pmatrix}" },
		"overline decimals": func(n int) string { return strings.Repeat("0.\\overline{3}+", n/15) },
		"list":              func(n int) string { return strings.Repeat("1,", n/2) + "1" },
		"unicode":           func(n int) string { return strings.Repeat("−π", n/4) },
	}
	const perByte = 4 // steps per input byte, with room to spare
	for name, gen := range shapes {
		t.Run(name, func(t *testing.T) {
			var figures []string
			for n := 1000; n <= 1000000; n *= 10 {
				src := gen(n)
				_, steps, _ := parse(src)
				figures = append(figures, fmt.Sprintf("%d B: %d steps", len(src), steps))
				if steps > perByte*len(src)+100 {
					t.Errorf("%d bytes: %d steps, over %d per byte", len(src), steps, perByte)
				}
			}
			t.Log(strings.Join(figures, "; "))
		})
	}
}

// maxCommandLen must be the longest known command, or a glued command with a
// longer known prefix would not be split.
func TestMaxCommandLen(t *testing.T) {
	longest := ""
	re := regexp.MustCompile(`^[A-Za-z]+$`)
	check := func(name string) {
		if re.MatchString(name) && len(name) > len(longest) {
			longest = name
		}
	}
	for _, m := range []map[string]bool{symbols, functions, fontCommands, structural, layoutCommands, textCommands} {
		for k := range m {
			check(k)
		}
	}
	for k := range opCommands {
		check(k)
	}
	if len(longest) != maxCommandLen {
		t.Errorf("longest known command is %s (%d letters); maxCommandLen is %d", longest, len(longest), maxCommandLen)
	}
	if x, err := Parse(`x\overrightarrowAB`); err != nil {
		t.Errorf("glued \\overrightarrow: %v", err)
	} else if got := Print(x); !strings.Contains(got, `\overrightarrow`) {
		t.Errorf("glued \\overrightarrow printed %s", got)
	}
}
