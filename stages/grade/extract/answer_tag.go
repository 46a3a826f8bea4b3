package extract

import "strings"

// answerTag returns the content of the last <answer>…</answer>, when not empty.
func answerTag(s string) (Result, bool) {
	e := lastIndexFast(s, "</answer>")
	if e < 0 {
		return Result{}, false
	}
	b := strings.LastIndex(s[:e], "<answer>")
	if b < 0 {
		return Result{}, false
	}
	x := unwrap(s[b+len("<answer>") : e])
	if x == "" {
		return Result{}, false
	}
	return Result{Answer: x, Method: MethodAnswerTag, OK: true}, true
}
