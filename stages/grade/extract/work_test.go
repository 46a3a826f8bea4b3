package extract

import (
	"strings"
	"testing"
)

// hostileBoxes are inputs built to make a box finder rescan the text: chains of unclosed
// boxes (each one's brace matching runs to the end of the input), deep nests, long
// one-token boxes and long lists. Each is repeated up to about n bytes.
var hostileBoxes = []struct {
	name         string
	head, unit   string
	tail         string
	answer       string // the Boxes answer expected at every size ("" for no box)
	answerSuffix bool   // answer is only checked as a suffix (a list of many boxes)
}{
	{name: "unclosed boxed chain", unit: `\boxed{`},
	{name: "unclosed fbox chain", unit: `\fbox{`},
	{name: "unclosed chains of both", unit: `\boxed{\fbox{`},
	{name: "unclosed chain after a box", head: `\boxed{7} `, unit: `\boxed{`, answer: "7"},
	{name: "unclosed chain before a box", unit: `\boxed{`, tail: `\boxed{7}`, answer: "7"},
	{name: "unclosed chain with escaped braces", unit: `\boxed{\{`},
	{name: "open braces then a box", unit: `{`, tail: ` \boxed{7}`, answer: "7"},
	{name: "closed nest", unit: `\boxed{`, tail: "7", answer: "7"}, // closed below
	{name: "list of boxes", unit: `\boxed{1}, `, tail: `\boxed{2}`, answer: "1, 2", answerSuffix: true},
	{name: "boxes separated by prose", unit: `\boxed{1} is not it `, tail: `\boxed{2}`, answer: "2"},
	{name: "one-token boxes", unit: `\boxed 5 x `, answer: "5"},
	{name: "long one-token box", head: `\boxed `, unit: `5`, answer: ""}, // checked by prefix below
	{name: "connectors only", unit: ` and , `, tail: `\boxed{3}`, answer: "3"},
	{name: "empty boxes", unit: `\boxed{}`},
	{name: "box commands that are not boxes", unit: `\boxedx \fboxsep `},
	{name: "backslashes", unit: `\\`, tail: `\boxed{3}`, answer: "3"},
}

// TestBoxesWorkIsLinear counts the bytes the box finder examines on hostile inputs of
// 10^3 to 10^6 bytes: the count must stay within a constant factor of the input size
// (a finder that rescans, as equiv's did on unclosed chains, does ~n^2/2 steps).
func TestBoxesWorkIsLinear(t *testing.T) {
	const perByte = 6 // steps allowed per input byte
	for _, h := range hostileBoxes {
		t.Run(h.name, func(t *testing.T) {
			for n := 1000; n <= 1_000_000; n *= 10 {
				s := build(h.head, h.unit, h.tail, n)
				if h.name == "closed nest" {
					s += strings.Repeat("}", strings.Count(s, `\boxed{`))
				}
				var m meter
				b, ok := lastBoxes(s, true, &m)
				if m.steps > perByte*len(s)+64 {
					t.Errorf("%d bytes: %d steps, over %d per byte", len(s), m.steps, perByte)
					break // a quadratic finder would take hours on the larger sizes
				}
				got := b.result.Answer
				switch {
				case h.name == "long one-token box":
					if !ok || !strings.HasPrefix(got, "5555") {
						t.Errorf("%d bytes: got %.20q, %v; want the digits", len(s), got, ok)
					}
				case h.answerSuffix:
					if !ok || !strings.HasSuffix(got, h.answer) {
						t.Errorf("%d bytes: got …%.20q, %v; want it to end with %q", len(s), tail(got), ok, h.answer)
					}
				case got != h.answer || ok != (h.answer != ""):
					t.Errorf("%d bytes: got %.40q, %v; want %q", len(s), got, ok, h.answer)
				}
				// The exported rule and the strategies agree with the metered core.
				if a, ok2 := Boxes(s); a != got || ok2 != ok {
					t.Errorf("%d bytes: Boxes = %.40q, %v; lastBoxes = %.40q, %v", len(s), a, ok2, got, ok)
				}
			}
		})
	}
}

// build repeats unit between head and tail to about n bytes.
func build(head, unit, tail string, n int) string {
	k := max(1, (n-len(head)-len(tail))/len(unit))
	return head + strings.Repeat(unit, k) + tail
}

func tail(s string) string {
	if len(s) > 20 {
		return s[len(s)-20:]
	}
	return s
}

// TestSolutionAndExtractBoundedAllocs checks that extraction of the hostile inputs, as a
// whole response (Extract, both profiles) and as a whole-solution gold (Solution),
// allocates a bounded number of times whatever the size, 10^3 to 10^6 bytes.
func TestSolutionAndExtractBoundedAllocs(t *testing.T) {
	for _, h := range hostileBoxes {
		var allocs []float64
		for n := 1000; n <= 1_000_000; n *= 10 {
			s := build(h.head, h.unit, h.tail, n)
			a := testing.AllocsPerRun(2, func() {
				Extract(s, Strict)
				Extract(s, Lenient)
				Solution(s)
			})
			allocs = append(allocs, a)
		}
		// A list answer is built once (up to maxListBoxes contents); nothing grows with n.
		if allocs[len(allocs)-1] > allocs[0]+16 || allocs[len(allocs)-1] > 64 {
			t.Errorf("%s: allocations per run over 10^3..10^6 bytes: %v", h.name, allocs)
		}
	}
}

// TestGSM8KWorkIsLinear counts the bytes the GSM8K marker search examines on inputs of
// 10^3 to 10^6 bytes made of markers that are not answers — on one endless line (each
// marker's line end was once searched to the end of the input: quadratic), on many
// lines, and markers of the wrong length.
func TestGSM8KWorkIsLinear(t *testing.T) {
	units := map[string]string{
		"headings on one line":   "#### Step ",
		"headings on many lines": "#### Step one\n",
		"five hashes":            "##### 5 ",
		"bare markers":           "####",
		"long line":              "#### 5 " + strings.Repeat("x", 1200),
	}
	for name, unit := range units {
		for n := 1000; n <= 1_000_000; n *= 10 {
			s := build("", unit, "\n#### 7", n)
			var m meter
			r, ok := gsm8k(s, &m)
			if m.steps > 4*len(s)+64 {
				t.Errorf("%s, %d bytes: %d steps, over 4 per byte", name, len(s), m.steps)
				break
			}
			if !ok || r.Answer != "7" {
				t.Errorf("%s, %d bytes: %+v, want the closing marker 7", name, len(s), r)
			}
		}
	}
}
