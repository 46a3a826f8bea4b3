package grade

import (
	"strings"

	"github.com/rlvr-eval/rlvr-eval/stages/grade/equiv"
	"github.com/rlvr-eval/rlvr-eval/stages/grade/extract"
)

// Version identifies the grading rules. It is part of every cache key and is
// written to run.json; bump it whenever any verdict can change.
//
// 1.1.0 (issue 10, "the grader generalizes"): one box rule for both modes, the GSM8K
// "#### X" marker on both sides, final-answer sentences, boxes with prose between them
// for multi-part golds, and equiv's families (matrices, roots, inequalities, big
// operators, numbers as people write them, choices with option text, no prefix
// comparison of long answers); the verdict changes on ../shared/data are listed in the
// commit that bumped it.
const Version = "1.1.0"

// Verdict is the grader's decision on one answer.
type Verdict struct {
	Correct bool
	// Extracted is the final answer found; empty with HasAnswer false when none was.
	Extracted string
	HasAnswer bool
	// ExtractMethod names the strategy that found the answer
	// ("boxed", "answer_tag", "gsm8k", "minerva", "answer_is", "last_math", "last_number",
	// "answer" for answer mode, "none" when nothing was found).
	ExtractMethod string
	// Reason is one of exact, numeric, symbolic, set, interval, text, no_answer,
	// unparsable, mismatch, budget.
	Reason string
	// Rule names the equivalence rule that decided (as reported by equiv.Compare);
	// empty for no_answer.
	Rule string
}

// Reason and method values the façade itself produces.
const (
	ReasonNoAnswer = "no_answer"
	MethodAnswer   = "answer"
	MethodNone     = extract.MethodNone
)

// Gold is a prepared gold answer: parsed once per problem, immutable, and safe
// for concurrent use by any number of goroutines.
type Gold struct {
	raw   string
	ans   *equiv.Answer
	parts int // ans.Parts(), for the rule on several boxes with prose between them
}

// PrepareGold parses a gold answer once (answer mode: delimiters, "ANSWER:" and one
// enclosing box are peeled; a whole worked solution gives its last box). It never
// fails: a gold that does not parse compares as text and yields "unparsable" verdicts.
func PrepareGold(gold string) *Gold {
	a := equiv.Prepare(answerMode(gold))
	return &Gold{raw: gold, ans: a, parts: a.Parts()}
}

// Raw returns the gold answer as given.
func (g *Gold) Raw() string { return g.raw }

// Text returns the gold's normalized text.
func (g *Gold) Text() string { return g.ans.Text() }

// Describe says in one line how the gold parsed.
func (g *Gold) Describe() string { return g.ans.Describe() }

// GradeResponse extracts the final answer from a whole model response under
// profile p and compares it with the gold. A response without an answer is
// incorrect with Reason "no_answer" and ExtractMethod "none".
func GradeResponse(g *Gold, response string, p Profile) Verdict {
	v, _ := gradeResponse(g, response, p)
	return v
}

// gradeResponse is GradeResponse that also returns the prepared extracted answer (nil
// when there is none), for ExplainResponse.
func gradeResponse(g *Gold, response string, p Profile) (Verdict, *equiv.Answer) {
	var r extract.Result
	if g.parts >= 2 {
		r = extract.ExtractRun(response, p.extractProfile())
	} else {
		r = extract.Extract(response, p.extractProfile())
	}
	if !r.OK {
		return noAnswer(), nil
	}
	v, pred := compare(g, r.Answer, r.Method)
	if !v.Correct && g.parts >= 2 && len(r.Run) >= 2 {
		// Several boxes with prose between them ("$y_1 = \boxed{2}$ and $y_2 =
		// \boxed{3}$") answer a gold of k parts as one answer: the last k boxes of the
		// run (all of them when there are fewer; a box may hold several parts, as
		// \pm 1 does). The closing answer is graded first and stands when right, so a
		// single box still wins, and a wrong run leaves the closing verdict.
		n := min(g.parts, len(r.Run))
		if v2, p2 := compare(g, strings.Join(r.Run[len(r.Run)-n:], ", "), r.Method); v2.Correct {
			return v2, p2
		}
	}
	return v, pred
}

// GradeAnswer compares an already extracted answer with the gold (answer mode). A
// blank answer is incorrect with Reason "no_answer" and ExtractMethod "none".
func GradeAnswer(g *Gold, answer string) Verdict {
	v, _ := gradeAnswer(g, answer)
	return v
}

// gradeAnswer is GradeAnswer that also returns the prepared answer (nil when blank),
// for ExplainAnswer.
func gradeAnswer(g *Gold, answer string) (Verdict, *equiv.Answer) {
	a := strings.TrimSpace(answerMode(answer))
	if a == "" {
		return noAnswer(), nil
	}
	return compare(g, a, MethodAnswer)
}

func noAnswer() Verdict {
	return Verdict{ExtractMethod: MethodNone, Reason: ReasonNoAnswer}
}

// compare prepares the extracted answer and compares it with the gold.
func compare(g *Gold, extracted, method string) (Verdict, *equiv.Answer) {
	pred := equiv.Prepare(extracted)
	ok, reason, rule := equiv.Compare(g.ans, pred)
	return Verdict{
		Correct:       ok,
		Extracted:     extracted,
		HasAnswer:     true,
		ExtractMethod: method,
		Reason:        reason,
		Rule:          rule,
	}, pred
}

// answerMode applies the one extraction rule of answer mode, on gold and prediction
// alike: a text that is a whole worked solution is answered by its closing box (or
// list of boxes) or closing Minerva sentence; any other text is returned as is, for
// equiv.Prepare to peel.
func answerMode(s string) string {
	if r := extract.Solution(s); r.OK {
		return r.Answer
	}
	return s
}
