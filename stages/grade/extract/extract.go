package extract

import "strings"

// Profile selects the extraction strategies.
type Profile uint8

const (
	// Strict is the default profile: think tags, boxes, answer tags, Minerva, "the answer is".
	Strict Profile = iota
	// Lenient adds the "last math span" and "last number" fallbacks after Strict's
	// strategies. The last-number fallback is a known false-positive source: a truncated
	// response whose reasoning contains the gold number gets credit.
	Lenient
)

// String returns the profile's name as written in configuration and output.
func (p Profile) String() string {
	switch p {
	case Strict:
		return "strict"
	case Lenient:
		return "lenient"
	}
	return "unknown"
}

// Method names: the value of Result.Method and of the extract_method column.
const (
	MethodBoxed      = "boxed"
	MethodAnswerTag  = "answer_tag"
	MethodMinerva    = "minerva"
	MethodGSM8K      = "gsm8k"
	MethodAnswerIs   = "answer_is"
	MethodLastMath   = "last_math"
	MethodLastNumber = "last_number"
	MethodNone       = "none"
)

// Result is the outcome of extraction.
type Result struct {
	// Answer is the extracted final answer, trimmed, with math delimiters around it and
	// markdown emphasis removed; "" when OK is false.
	Answer string
	// Method names the strategy that found the answer (Method* constants); MethodNone
	// when OK is false.
	Method string
	// OK reports whether an answer was found.
	OK bool
	// Run, set by the box strategy of ExtractRun only, holds the contents of the closing boxes in
	// reading order when short prose separates more of them than the closing group of
	// Answer ("$y_1 = \boxed{2}$ and $y_2 = \boxed{3}$": Answer "3", Run ["2", "3"]).
	// Answer stays the final answer; a caller that knows the gold has as many parts as
	// the run's last boxes may take those as one answer instead (package grade does).
	Run []string
}

var none = Result{Method: MethodNone}

// Extract returns the final answer of a whole model response under profile p.
// It never fails: a response without a recognizable answer gives OK false and Method
// "none". Cost is linear in len(response); the result may share memory with response.
// Result.Run is not gathered (see ExtractRun).
func Extract(response string, p Profile) Result { return extractWith(response, p, false) }

// ExtractRun is Extract that also gathers, when the box strategy answers, the run of
// closing boxes that short prose separates (Result.Run). The answer is Extract's; the run
// costs a bounded backward search, so callers ask for it only when they can use it (a
// gold with several parts).
func ExtractRun(response string, p Profile) Result { return extractWith(response, p, true) }

func extractWith(response string, p Profile, run bool) Result {
	s, ok := afterThink(response)
	if !ok {
		return none
	}
	if r, ok := strictStrategies(s, run); ok {
		return r
	}
	if p == Lenient {
		if r, ok := lenientFallback(s); ok {
			return r
		}
	}
	return none
}

// Solution extracts the answer of a text given in answer mode when that text is a whole
// worked solution, as lighteval's, Hendrycks' and GSM8K's golds are: its last box (or
// closing list of boxes), its closing Minerva sentence, or its GSM8K "#### X". OK is
// false when the text holds none of them, and the caller then uses the text itself as
// the answer.
func Solution(text string) Result {
	if strings.Contains(text, `\boxed`) || strings.Contains(text, `\fbox`) ||
		indexFold(text, "i hope it is correct") >= 0 || strings.Contains(text, gsm8kMarker) {
		if r, ok := boxed(text, false); ok {
			return r
		}
		if r, ok := minerva(text); ok {
			return r
		}
		if r, ok := gsm8k(text, nil); ok {
			return r
		}
	}
	return none
}

// afterThink applies the think-tag rule: the text after the last </think>, or false when
// a <think> is never closed.
func afterThink(s string) (string, bool) {
	if i := lastIndexFast(s, "</think>"); i >= 0 {
		return s[i+len("</think>"):], true
	}
	if strings.Contains(s, "<think>") {
		return "", false
	}
	return s, true
}

// strictStrategies runs the strategies of the strict profile in order.
func strictStrategies(s string, run bool) (Result, bool) {
	if r, ok := boxed(s, run); ok {
		return r, true
	}
	if r, ok := answerTag(s); ok {
		return r, true
	}
	if r, ok := gsm8k(s, nil); ok {
		return r, true
	}
	if r, ok := minerva(s); ok {
		return r, true
	}
	if r, ok := answerIs(s); ok {
		return r, true
	}
	return Result{}, false
}

// boxed is the box strategy: the closing box (or list of boxes) of s, unless a closing
// template follows the last box — a complete Minerva sentence or a GSM8K "#### X" —
// which then overrides it.
func boxed(s string, run bool) (Result, bool) {
	b, ok := lastBoxes(s, run, nil)
	if !ok {
		return Result{}, false
	}
	if r, ok := minerva(s[b.end:]); ok {
		return r, true
	}
	if r, ok := gsm8k(s[b.end:], nil); ok {
		return r, true
	}
	return b.result, true
}
