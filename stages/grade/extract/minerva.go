package extract

import "strings"

// minerva finds the Minerva closing sentence, "Final Answer: The final answer is X. I
// hope it is correct.": the last "i hope it is correct" and the last "final answer is"
// before it. X is everything between them, with quotes, math delimiters and the period
// peeled; math delimiters inside X (as in "$12$ and $13$") are dropped.
func minerva(s string) (Result, bool) {
	h := lastIndexFold(s, "i hope it is correct")
	if h < 0 {
		return Result{}, false
	}
	f := lastIndexFold(s[:h], "final answer is")
	if f < 0 {
		return Result{}, false
	}
	x := s[f+len("final answer is") : h]
	x = strings.TrimLeft(x, ": \t")
	x = strings.TrimSpace(x)
	// X is one short statement: a paragraph break or a page of text between the marker
	// and the closing formula means they do not belong together.
	if len(x) > maxStatement || strings.Contains(x, "\n\n") {
		return Result{}, false
	}
	x = unwrap(x)
	if x == "" {
		return Result{}, false
	}
	return Result{Answer: x, Method: MethodMinerva, OK: true}, true
}

// stripDelims drops \( \) \[ \] pairs anywhere in s (the $ signs are left to clean).
func stripDelims(s string) string {
	if !strings.Contains(s, `\(`) && !strings.Contains(s, `\[`) && !strings.Contains(s, `\)`) && !strings.Contains(s, `\]`) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '(', ')', '[', ']':
				b.WriteByte(' ')
				i++
				continue
			}
			b.WriteByte(s[i])
			b.WriteByte(s[i+1])
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return strings.TrimSpace(b.String())
}
