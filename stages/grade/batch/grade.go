package batch

import (
	"github.com/sourcegraph/conc/panics"

	"github.com/rlvr-eval/rlvr-eval/stages/grade"
)

// Response grades a whole model response against a prepared gold under profile p. A
// panic of the grader is recovered and returned (with its stack) instead of a
// verdict; it is nil otherwise. Safe for concurrent use.
func Response(g *grade.Gold, response string, p grade.Profile) (v grade.Verdict, failure *panics.Recovered) {
	failure = panics.Try(func() { v = grade.GradeResponse(g, response, p) })
	return v, failure
}

// Answer grades an already extracted answer against a prepared gold (answer mode),
// recovering a panic as Response does.
func Answer(g *grade.Gold, answer string) (v grade.Verdict, failure *panics.Recovered) {
	failure = panics.Try(func() { v = grade.GradeAnswer(g, answer) })
	return v, failure
}

// Response grades a response against the gold text gold, prepared once per distinct
// text; a panic while preparing the gold or grading is recovered as in Response.
// gold and response may be transient views of the caller's buffers: nothing returned
// keeps them, except Verdict.Extracted, which may be a part of response.
func (m *Memo) Response(gold, response string, p grade.Profile) (v grade.Verdict, failure *panics.Recovered) {
	failure = panics.Try(func() { v = grade.GradeResponse(m.Gold(gold), response, p) })
	return v, failure
}

// Answer grades an already extracted answer against the gold text gold (answer mode),
// as Memo.Response does.
func (m *Memo) Answer(gold, answer string) (v grade.Verdict, failure *panics.Recovered) {
	failure = panics.Try(func() { v = grade.GradeAnswer(m.Gold(gold), answer) })
	return v, failure
}
